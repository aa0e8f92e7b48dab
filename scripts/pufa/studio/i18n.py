"""Chinese wording for the errors the checks raise (the checks themselves speak English).

Pydantic errors are translated by their type; PufaError messages by pattern. A message with no
pattern here is shown as it is, after a Chinese lead-in, so nothing is ever hidden.
"""

from __future__ import annotations

import re
from typing import Any

# pydantic error type -> Chinese (ctx values are formatted in)
PYDANTIC: dict[str, str] = {
    "missing": "必填项，不能为空",
    "extra_forbidden": "不认识的字段",
    "string_type": "请填写文字",
    "string_too_short": "至少要 {min_length} 个字",
    "string_too_long": "最多 {max_length} 个字",
    "string_pattern_mismatch": "格式不对：只能用小写英文字母、数字和连字符（例如 law-week-2027）",
    "too_short": "至少要有 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "int_type": "请填写整数",
    "int_parsing": "请填写整数",
    "int_from_float": "请填写整数",
    "float_parsing": "请填写数字",
    "bool_parsing": "请选择是或否",
    "greater_than": "必须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "date_parsing": "日期格式不对，请用日历选择（年-月-日）",
    "date_from_datetime_parsing": "日期格式不对，请用日历选择（年-月-日）",
    "date_type": "请选择日期",
    "literal_error": "只能选择：{expected}",
    "list_type": "应为列表",
    "dict_type": "应为一组字段",
    "model_type": "应为一组字段",
}

# English message (regex) -> Chinese; named groups are formatted in.
PATTERNS: list[tuple[str, str]] = [
    (r"end is before start", "结束日期早于开始日期"),
    (
        r"key date (?P<d>\S+) \((?P<n>.*)\) is outside start\.\.end",
        "重要日期 {d}（{n}）不在活动起止日期之内",
    ),
    (r"empty text", "不能为空"),
    (r"must be a single line", "只能写一行"),
    (r"hashtag '(?P<t>.*)': write the words only", "话题“{t}”：只写词语，不要加 # 或空格"),
    (
        r"unknown statute or citation '(?P<n>.*)'",
        "不认识的法律或条文“{n}”（请写成“宪法第33条”这样）",
    ),
    (r"cite the whole article", "请引用整条（不要写第几款）：显示屏按原文整条显示"),
    (
        r"(?P<t>.+) is (?P<s>已废止|已被修改|待核实): feature current law only",
        "《{t}》{s}：只能选现行有效的法律",
    ),
    (
        r"no excerpt of (?P<t>.+) article (?P<a>\d+) in (?P<f>\S+)",
        "{t}第{a}条还没有核对过的原文摘录（{f}），不能上屏",
    ),
    (r"featured\[\d+\] '(?P<c>[^']*)': (?P<rest>.*)", "“{c}”：{rest!t}"),
    (r"'(?P<c>.*)' is featured twice", "“{c}”重复了"),
    (r"unknown shared slogan '(?P<r>.*)'", "没有编号为“{r}”的共享标语"),
    (r"slogan '(?P<s>.*)' is listed twice", "标语“{s}”重复了"),
    (r"unknown screen '(?P<s>.*)'", "没有“{s}”这块显示屏"),
    (r"screen '(?P<s>.*)' is listed twice", "显示屏“{s}”重复了"),
    (r"unknown platform '(?P<p>.*)'", "没有“{p}”这个平台"),
    (r"platform '(?P<p>.*)' is listed twice", "平台“{p}”重复了"),
    (r"posts\.(?P<p>\S+): .* is not among", "“{p}”的文案：这个平台没有选上"),
    (r"featured page '(?P<p>.*)' does not exist", "页面“{p}”不存在"),
    (
        r"campaign '.*': (?P<what>.+) does not fit the screen '(?P<s>[^']+)' \((?P<size>[^)]+)\) "
        r"even at the minimum size (?P<px>\d+) px",
        "文字太长，在显示屏“{s}”（{size}）上用最小字号 {px} 像素也放不下，请缩短",
    ),
    (
        r"campaign '.*': the scroll text does not fit the height of screen '(?P<s>[^']+)'",
        "滚动字幕在显示屏“{s}”上放不下",
    ),
    (
        r"campaign '.*': (?P<p>\S+) (?P<n>title|digest|post) has (?P<c>\d+) characters, "
        r"(?P<side>over the maximum|under the minimum) \((?P<lo>\d+)–(?P<hi>\d+)",
        "{p}{n!t}有 {c} 个字，{side!t}（应为 {lo}–{hi} 个字）",
    ),
    (
        r"campaign '.*': (?P<what>.+) does not fit the (?P<p>\S+) cover (?P<size>\S+)",
        "文字太长，{p}封面（{size}）放不下，请缩短",
    ),
    (r"campaign id .* is not a lowercase slug", "编号只能用小写英文字母、数字和连字符"),
    (r"site_url must be", "网址必须以 http:// 或 https:// 开头、以 / 结尾"),
    (
        r"channels add up to (?P<a>\d+), not total_items (?P<b>\d+)",
        "各渠道合计 {a} 件，与总件数 {b} 不一致",
    ),
    (r"risks_resolved exceeds risks_found", "化解数不能多于排查数"),
    (r"a real case needs its published source", "真实案例要写明出处；编写的案例请勾选“示例案例”"),
    (r"title must be the question, ending with", "标题要写成问题，以“？”结尾"),
    (r"answer must be one sentence, found (?P<n>\d+)", "简单回答只能是一句话（现在是 {n} 句）"),
    (
        r"sections must be .* in this order",
        "正文必须依次有 ## 怎么办、## 法律依据、## 哪里可以求助 三节",
    ),
    (r"## 法律依据 cites no article", "“法律依据”一节没有引用任何条文"),
    (
        r"legal basis \[\[(?P<c>.*)\]\] has no verbatim excerpt",
        "法律依据 [[{c}]] 没有核对过的原文摘录",
    ),
    (r"unknown case '(?P<c>.*)'", "没有编号为“{c}”的案例"),
    (r"no FAQ answer links this case", "还没有问答页面链接这个案例"),
    (r"unknown statute '(?P<n>.*)'", "不认识的法律“{n}”"),
    (r"duplicate content id", "编号与已有内容重复"),
    (r"broken YAML", "文件格式错误"),
    (r"required field is missing", "必填项，不能为空"),
    (r"unknown field", "不认识的字段"),
]

WORDS = {
    "title": "标题",
    "digest": "摘要",
    "post": "正文",
    "over the maximum": "超过上限",
    "under the minimum": "不足下限",
}


def _word(value: str) -> str:
    return WORDS.get(value, value)


def translate(message: str) -> str:
    """The Chinese for an English check message (falls back to the original, labelled)."""
    for pattern, template in PATTERNS:
        m = re.search(pattern, message)
        if m:
            groups = m.groupdict()

            def fill(match: re.Match[str], groups: dict = groups) -> str:
                name, conv = match.group(1), match.group(2)
                value = groups.get(name) or ""
                if conv == "t":
                    value = _word(value) if value in WORDS else translate(value)
                return value

            return re.sub(r"\{(\w+)(?:!(\w))?\}", fill, template)
    if re.search(r"[\u4e00-\u9fff]", message) and not re.search(r"[a-z]{4,}", message):
        return message
    return f"检查未通过：{message}"


def pydantic_message(err: dict[str, Any]) -> str:
    template = PYDANTIC.get(err["type"])
    if template is None:
        if err["type"] in {"value_error", "assertion_error"}:
            return translate(str(err.get("ctx", {}).get("error", err["msg"])))
        return translate(str(err["msg"]))
    ctx = dict(err.get("ctx") or {})
    if "expected" in ctx:
        ctx["expected"] = str(ctx["expected"]).replace("'", "").replace(" or ", "、")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template
