"""What the studio edits: one Kind per data kind, each backed by the pydantic model `pufa check`
uses. The form's JSON Schema is generated from that model (rules, types, required fields), then
given Chinese labels (labels.py) and pickers filled from the project's data (excerpts, screens,
platforms, pages). Form data goes back through the same model before anything is written.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ..campaign.data import load_platforms, load_screens, load_shared_slogans
from ..campaign.models import Campaign, SharedSlogans
from ..content.faq import FaqMeta
from ..content.frontmatter import split_front_matter
from ..content.library import Library
from ..content.models import SLUG, Case, Office, Rota, YearStats
from ..content.numerals import to_chinese
from .i18n import pydantic_message
from .labels import HELP, LABELS

PathParts = tuple[str | int, ...]


@dataclass
class FieldError:
    path: PathParts  # into the form data; () for the whole form
    message: str  # Chinese
    fix: str = ""

    @property
    def schemapath(self) -> str:
        return ".".join(["root", *(str(p) for p in self.path)])

    def as_json(self) -> dict[str, str]:
        return {"path": self.schemapath, "message": self.message, "fix": self.fix}


@dataclass
class Kind:
    name: str  # url segment
    label: str  # Chinese, singular
    model: type[BaseModel]
    single: str | None = None  # the one file, for single-file kinds
    folder: str | None = None  # for collections: data/campaigns, data/cases ...
    id_label: str = "编号"
    id_pattern: str = SLUG
    extra: dict[str, dict] = field(default_factory=dict)  # extra form fields before the model's

    def path_of(self, item_id: str | None) -> str:
        if self.single:
            return self.single
        assert item_id is not None
        if self.name == "faq":
            return f"docs/faq/{item_id}.md"
        return f"{self.folder}/{item_id}.yml"


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "campaign", "宣传活动", Campaign, folder="data/campaigns", id_label="活动编号（网址）"
        ),
        Kind("slogans", "共享标语", SharedSlogans, single="data/slogans.yml"),
        Kind("rota", "律师接访轮值表", Rota, single="data/lawyers.yml"),
        Kind("office", "本办信息", Office, single="data/office.yml"),
        Kind(
            "stats",
            "年度数据",
            YearStats,
            folder="data/stats",
            id_label="年份",
            id_pattern=r"^\d{4}$",
        ),
        Kind("case", "以案释法案例", Case, folder="data/cases"),
        Kind("faq", "常见问题解答", FaqMeta, folder="docs/faq", id_label="栏目/编号"),
    )
}

FAQ_TOPICS = {"land": "征地拆迁", "labor": "劳动和工资", "property": "物业管理"}


def item_ids(root: Path, kind: Kind) -> list[str]:
    if kind.single:
        return []
    if kind.name == "faq":
        return sorted(
            f"{p.parent.name}/{p.stem}"
            for p in (root / "docs" / "faq").glob("*/*.md")
            if p.stem != "index" and p.parent.name in FAQ_TOPICS
        )
    return sorted(p.stem for p in (root / kind.folder).glob("*.yml"))  # type: ignore[operator]


def valid_id(kind: Kind, item_id: str) -> bool:
    if kind.name == "faq":
        topic, _, slug = item_id.partition("/")
        return topic in FAQ_TOPICS and bool(re.match(SLUG, slug))
    return bool(re.match(kind.id_pattern, item_id))


# --- JSON Schema for the form -------------------------------------------------------------


def _inline(schema: Any, defs: dict[str, Any]) -> Any:
    """Resolve $ref, drop `| None` branches: the form library gets one plain schema per field."""
    if isinstance(schema, list):
        return [_inline(s, defs) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        target = copy.deepcopy(defs[schema["$ref"].split("/")[-1]])
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        return _inline({**target, **rest}, defs)
    out = {k: _inline(v, defs) for k, v in schema.items() if k != "$defs"}
    if "anyOf" in out:
        branches = [b for b in out["anyOf"] if b.get("type") != "null"]
        if len(branches) == 1:
            merged = {**branches[0], **{k: v for k, v in out.items() if k != "anyOf"}}
            return merged
        out["anyOf"] = branches
    return out


def _label(schema: dict, model: str, name: str) -> None:
    schema["title"] = LABELS.get(f"{model}.{name}") or LABELS.get(name) or name
    help_ = HELP.get(f"{model}.{name}") or HELP.get(name)
    if help_:
        schema["description"] = help_
    else:
        schema.pop("description", None)


def _localise(schema: dict, model: str) -> None:
    for name, sub in schema.get("properties", {}).items():
        _label(sub, model, name)
        sub_model = sub.get("title_model") or _model_name(sub)
        if sub.get("type") == "object" and "properties" in sub:
            _localise(sub, sub_model or name)
        items = sub.get("items")
        if isinstance(items, dict):
            if "title" not in items or items.get("title") == items.get("x-model"):
                items["title"] = LABELS.get(f"{name}[]") or schema_item_title(name)
            if items.get("type") == "object":
                _localise(items, _model_name(items) or name)
        plain = sub.get("type") == "string" and sub.get("format") != "date" and "enum" not in sub
        if plain and name in MULTILINE:
            sub["format"] = "textarea"


def _model_name(schema: dict) -> str | None:
    return schema.get("x-model")


def schema_item_title(name: str) -> str:
    return {"slogans": "标语", "featured": "条文", "hashtags": "话题", "entries": "轮值"}.get(
        name, "项"
    )


MULTILINE = {"intro", "note", "facts", "law", "outcome", "lesson", "summary", "digest", "text"}


def model_schema(model: type[BaseModel]) -> dict:
    raw = model.model_json_schema()
    defs = raw.get("$defs", {})
    for name, d in defs.items():
        d["x-model"] = name
    schema = _inline(raw, defs)
    schema.pop("x-model", None)
    _localise(schema, model.__name__)
    schema["title"] = " "
    return schema


def _excerpt_choices(lib: Library) -> tuple[list[str], list[str]]:
    values, titles = [], []
    for slug, arts in lib.excerpts.items():
        st = lib.statutes[slug]
        if not st.in_force:
            continue
        for number, ex in sorted(arts.items()):
            cite = f"{st.short_title}第{number}条"
            first = ex.lines[0] if ex.lines else ""
            short = first if len(first) <= 36 else first[:36] + "…"
            values.append(cite)
            titles.append(f"{cite}（第{to_chinese(number)}条）{short}")
    return values, titles


def _docs_pages(root: Path) -> tuple[list[str], list[str]]:
    values, titles = [], []
    for p in sorted((root / "docs").rglob("*.md")):
        rel = p.relative_to(root / "docs").as_posix()
        meta, body, _ = split_front_matter(p.read_text(encoding="utf-8"))
        title = meta.get("title") or next(
            (ln[2:] for ln in body.splitlines() if ln.startswith("# ")), rel
        )
        values.append(rel)
        titles.append(f"{title}（{rel}）")
    return values, titles


def _choice(values: list[str], titles: list[str], **extra: str) -> dict[str, Any]:
    """A picker: a string that must be one of ``values``, shown by ``titles``."""
    return {"type": "string", **extra, "enum": values, "options": {"enum_titles": titles}}


def form_schema(kind: Kind, root: Path, lib: Library, *, new: bool) -> dict:
    """The JSON Schema the browser renders, with pickers filled from the project's data."""
    schema = model_schema(kind.model)
    props: dict[str, Any] = schema["properties"]
    if kind.name == "campaign":
        cites, titles = _excerpt_choices(lib)
        props["featured"]["items"] = _choice(cites, titles, title="条文")
        screens = load_screens(root)
        props["screens"].update(
            uniqueItems=True,
            format="checkbox",
            items=_choice(
                list(screens), [f"{s.name}（{s.width}×{s.height}）" for s in screens.values()]
            ),
        )
        platforms = load_platforms(root)
        props["platforms"].update(
            uniqueItems=True,
            format="checkbox",
            items=_choice(list(platforms), [p.name for p in platforms.values()]),
        )
        pages, page_titles = _docs_pages(root)
        props["pages"]["items"] = _choice(pages, page_titles, title="页面")
        shared = load_shared_slogans(root)
        props["slogans"]["items"] = {
            "title": "标语",
            "headerTemplate": "标语 {{i1}}",
            "anyOf": [
                {"type": "string", "title": "自己写"},
                {
                    "type": "object",
                    "title": "共享标语",
                    "properties": {
                        "ref": _choice(list(shared), list(shared.values()), title="共享标语")
                    },
                    "required": ["ref"],
                    "additionalProperties": False,
                },
            ],
        }
        post = props["posts"].get("additionalProperties") or {}
        props["posts"] = {
            "type": "object",
            "title": LABELS["posts"],
            "description": HELP.get("posts", ""),
            "properties": {
                pid: {**copy.deepcopy(post), "title": p.name} for pid, p in platforms.items()
            },
            "additionalProperties": False,
        }
    if kind.name == "slogans":
        props.clear()
        props["slogans"] = {
            "type": "array",
            "title": "共享标语",
            "format": "table",
            "items": {
                "type": "object",
                "title": "标语",
                "properties": {
                    "id": {"type": "string", "title": "编号", "pattern": SLUG},
                    "text": {"type": "string", "title": "标语"},
                },
                "required": ["id", "text"],
            },
        }
    if kind.name == "faq":
        props["body"] = {
            "type": "string",
            "title": "正文（Markdown）",
            "format": "markdown",
            "description": "依次写 ## 怎么办、## 法律依据、## 哪里可以求助；"
            "引用条文写 [[劳动合同法第82条]]",
        }
        props.pop("search", None)
        schema.setdefault("required", []).append("body")
    if kind.folder:
        id_schema = {
            "type": "string",
            "title": kind.id_label,
            "description": "只能用小写英文字母、数字和连字符，保存后不能修改（它是网址的一部分）"
            if kind.name != "stats"
            else "四位数年份",
            "pattern": kind.id_pattern,
            "options": {} if new else {"inputAttributes": {"readonly": "readonly"}},
        }
        if kind.name == "faq":
            id_schema["description"] = "栏目/编号，例如 labor/wage-arrears"
            id_schema.pop("pattern")
        schema["properties"] = {"id": id_schema, **props}
        schema.setdefault("required", []).insert(0, "id")
    return schema


# --- data in and out ------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load_form(kind: Kind, root: Path, item_id: str | None) -> dict:
    """The current file as form data (JSON), or a starting point for a new item."""
    today = _today()
    if item_id is None and kind.folder:
        if kind.name == "campaign":
            return {"updated": today.isoformat(), "screens": [], "platforms": []}
        if kind.name == "faq":
            return {"reviewed": today.isoformat(), "body": FAQ_TEMPLATE}
        return {}
    path = root / kind.path_of(item_id)
    text = path.read_text(encoding="utf-8")
    if kind.name == "faq":
        meta, body, _ = split_front_matter(text)
        data = {**_jsonable(meta), "body": body.lstrip("\n")}
    else:
        data = _jsonable(yaml.safe_load(text) or {})
    if kind.name == "slogans":
        data = {"slogans": [{"id": k, "text": v} for k, v in data.get("slogans", {}).items()]}
    if kind.folder:
        data = {"id": item_id, **data}
    return data


FAQ_TEMPLATE = "## 怎么办\n\n\n\n## 法律依据\n\n\n\n## 哪里可以求助\n\n\n"


def _today() -> dt.date:
    from ..content.clock import today

    return today()


def _clean(value: Any) -> Any:
    """Drop what an empty form field sends ('' and null), so optional fields take defaults and
    required ones are reported as missing."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = _clean(v)
            if v in ("", None) or v == {}:
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    return value


def _errors_from(exc: ValidationError, data: dict, prefix: PathParts = ()) -> list[FieldError]:
    out = []
    for err in exc.errors():
        path: list[str | int] = list(prefix)
        node: Any = data
        for part in err["loc"]:
            if (
                isinstance(node, dict)
                and part in node
                or isinstance(node, list)
                and isinstance(part, int)
                and part < len(node)
            ):
                path.append(part)
                node = node[part]
            elif isinstance(node, dict) and isinstance(part, str) and not path[len(prefix) :]:
                path.append(part)  # a missing top-level field
                node = None
            elif (
                isinstance(node, dict)
                and isinstance(part, str)
                and part.isidentifier()
                and (part[:1].islower())
            ):
                path.append(part)
                node = None
            else:
                break
        message = pydantic_message(err)
        if len(path) == len(prefix):  # a model-level rule: point at the field it is about
            for pattern, name in MODEL_RULE_FIELDS:
                if re.search(pattern, str(err["msg"])):
                    path.append(name)
                    break
        out.append(FieldError(tuple(path), message))
    return out


# Model validators report on the whole model; these are the fields their messages are about.
MODEL_RULE_FIELDS = [
    (r"end is before start", "end"),
    (r"key date", "key_dates"),
    (r"channels add up", "total_items"),
    (r"risks_resolved exceeds", "risks_resolved"),
    (r"a real case needs", "source"),
    (r"site_url", "site_url"),
]


@dataclass
class Parsed:
    item_id: str | None
    model: BaseModel | None
    files: dict[str, str]  # repo-relative path -> new text
    errors: list[FieldError]


def parse_form(kind: Kind, root: Path, data: dict, *, new: bool) -> Parsed:
    """Form data -> validated model and the file texts it would write (nothing is written)."""
    data = _clean(dict(data))
    errors: list[FieldError] = []
    item_id: str | None = None
    if kind.folder:
        item_id = str(data.pop("id", "") or "").strip()
        if not item_id:
            errors.append(FieldError(("id",), "必填项，不能为空"))
        elif not valid_id(kind, item_id):
            msg = (
                "只能用小写英文字母、数字和连字符（例如 law-week-2027）"
                if kind.name != "faq"
                else "写成 栏目/编号，栏目为 " + "、".join(FAQ_TOPICS) + "，编号为小写英文和连字符"
            )
            errors.append(FieldError(("id",), msg))
        elif new and (root / kind.path_of(item_id)).exists():
            errors.append(FieldError(("id",), f"编号“{item_id}”已经有了，请换一个"))
    body = ""
    if kind.name == "faq":
        body = str(data.pop("body", "") or "")
        if not body.strip():
            errors.append(FieldError(("body",), "必填项，不能为空"))
    payload: Any = data
    if kind.name == "slogans":
        items = data.get("slogans", [])
        payload = {"slogans": {}}
        for i, item in enumerate(items):
            sid, text = item.get("id", ""), item.get("text", "")
            if not re.match(SLUG, sid or ""):
                errors.append(
                    FieldError(("slogans", i, "id"), "编号只能用小写英文字母、数字和连字符")
                )
            elif sid in payload["slogans"]:
                errors.append(FieldError(("slogans", i, "id"), f"编号“{sid}”重复了"))
            if not text.strip():
                errors.append(FieldError(("slogans", i, "text"), "不能为空"))
            payload["slogans"][sid] = text
    if kind.name == "stats" and item_id and "year" in data and str(data["year"]) != item_id:
        errors.append(FieldError(("year",), f"年份应与编号 {item_id} 一致"))
    model = None
    try:
        model = kind.model.model_validate(payload)
    except ValidationError as exc:
        errors.extend(_errors_from(exc, data))
    if errors or model is None:
        return Parsed(item_id, None, {}, errors)
    files = {kind.path_of(item_id): dump(kind, model, body)}
    if kind.name == "campaign" and new:
        files[f"docs/campaigns/{item_id}.md"] = campaign_page(item_id, model)  # type: ignore[arg-type]
    return Parsed(item_id, model, files, [])


def dump(kind: Kind, model: BaseModel, body: str = "") -> str:
    data = model.model_dump(mode="python", exclude_defaults=True)
    if kind.name == "rota":
        data = model.model_dump(mode="python")
    if kind.name == "faq":
        data.pop("search", None)
        head = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        return f"---\n{head}---\n\n{body.strip()}\n"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return f"# 由编辑台（pufa studio）写入。\n{text}"


def campaign_page(item_id: str, campaign: Campaign) -> str:
    description = f"{campaign.title}：宣传标语、法律条文原文和解读、显示屏和新媒体素材。"
    head = yaml.safe_dump(
        {"title": campaign.title, "description": description}, allow_unicode=True, sort_keys=False
    )
    return f"---\n{head}---\n\n# {campaign.title}\n\n[[!campaign {item_id}]]\n"


ItemTitle = Callable[[dict], str]


def item_title(kind: Kind, data: dict) -> str:
    for key in ("title", "name", "year"):
        if data.get(key):
            return str(data[key])
    return kind.label
