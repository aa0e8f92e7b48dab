from __future__ import annotations

import datetime as dt

import pytest
from pufa.content.citations import Context
from pufa.content.faq import FaqMeta, check_body, parse_meta, render
from pufa.content.library import load_library
from pufa.errors import PufaError, PufaErrors

from .conftest import ROOT

META = {
    "title": "不签劳动合同怎么办？",
    "answer": "超过一个月不签，可以要求二倍工资。",
    "asks": ["不签合同", "没签合同双倍工资", "单位不给签合同"],
    "reviewed": dt.date(2026, 11, 27),
    "reviewed_against": "本站摘录的条文和 data/rules.yml",
}
BODY = """## 怎么办

1. 先协商。

## 法律依据

- [[劳动合同法第82条]]：二倍工资。

## 哪里可以求助

- 12348
"""


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(lib=load_library(ROOT), src_path="faq/labor/x.md", file="docs/faq/labor/x.md")


def test_valid_answer_renders_question_answer_and_phrasings(ctx) -> None:
    meta = parse_meta(META, "docs/faq/labor/x.md")
    check_body(BODY, ctx)
    out = render(meta, BODY, ctx, [("案例", "cases/index.md#c")])
    assert out.startswith("# 不签劳动合同怎么办？")
    assert out.index("简单回答") < out.index("## 怎么办") < out.index("## 相关案例")
    assert "## 大家常这样问 {#asks}" in out and "- 没签合同双倍工资" in out
    assert "](../../cases/index.md#c)" in out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "不签劳动合同怎么办"}, "ending with ？"),
        ({"answer": "可以。还可以。"}, "one sentence"),
        ({"asks": ["一", "二"]}, "at least 3"),
        ({"reviewed": None}, "reviewed"),
        ({"reviewed_against": ""}, "reviewed_against"),
    ],
)
def test_bad_front_matter_names_the_key(change, message) -> None:
    with pytest.raises(PufaErrors) as info:
        parse_meta({**META, **change}, "docs/faq/labor/x.md")
    assert message in str(info.value)
    assert "docs/faq/labor/x.md" in str(info.value)


def test_sections_must_be_in_order(ctx) -> None:
    swapped = BODY.replace("## 怎么办", "## TMP").replace("## 法律依据", "## 怎么办")
    swapped = swapped.replace("## TMP", "## 法律依据")
    with pytest.raises(PufaError, match="in this order"):
        check_body(swapped, ctx)


def test_legal_basis_must_cite_quoted_excerpts(ctx) -> None:
    with pytest.raises(PufaError, match="no verbatim excerpt") as info:
        check_body(BODY.replace("[[劳动合同法第82条]]", "[[民法典第1000条]]"), ctx, line_offset=6)
    assert info.value.line == 7 + 6
    with pytest.raises(PufaError, match="cites no article"):
        check_body(BODY.replace("[[劳动合同法第82条]]", "二倍工资"), ctx)


def test_every_faq_in_the_site_is_valid_and_enough_of_them() -> None:
    from pufa.content.faq import load_faqs

    faqs = load_faqs(ROOT / "docs")
    by_topic: dict[str, int] = {}
    for src, meta in faqs.values():
        assert isinstance(meta, FaqMeta)
        by_topic[src.split("/")[1]] = by_topic.get(src.split("/")[1], 0) + 1
    assert by_topic.get("land", 0) >= 12, by_topic
    assert by_topic.get("labor", 0) >= 18, by_topic
    assert by_topic.get("property", 0) >= 10, by_topic
    assert sum(by_topic.values()) >= 40


def test_faqs_are_parsed_once_until_a_file_changes(project, monkeypatch) -> None:
    """Every directive that lists FAQs calls load_faqs; one build parses the files once."""
    import os

    from pufa.content import faq as faq_module

    calls = []
    parse = faq_module.parse_meta
    monkeypatch.setattr(faq_module, "parse_meta", lambda *a: calls.append(1) or parse(*a))
    docs = project / "docs"
    first = faq_module.load_faqs(docs)
    n = len(calls)
    assert n == len(first)
    assert faq_module.load_faqs(docs) == first and len(calls) == n
    page = docs / "faq/labor/unpaid-wages.md"
    page.write_text(page.read_text(encoding="utf-8").replace("title: ", "title: 新", 1), "utf-8")
    os.utime(page, ns=(1, 1))  # a different modification time, whatever the clock's resolution
    assert faq_module.load_faqs(docs)["unpaid-wages"][1].title.startswith("新")
    assert len(calls) == 2 * n


def test_a_frozen_faq_list_is_not_looked_at_again(project, monkeypatch) -> None:
    """A render process of `pufa build` freezes the list the build checked: listing answers
    again reads no file (it grew with the site), and other folders are still compared."""
    from pathlib import Path

    from pufa.content import faq as faq_module

    monkeypatch.setattr(faq_module, "_frozen", set())
    docs = project / "docs"
    faq_module.freeze(docs)
    first = faq_module.load_faqs(docs)
    looked: list[Path] = []
    stat = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **k: looked.append(self) or stat(self, **k))

    def answers() -> list[Path]:
        return [p for p in looked if p.suffix == ".md"]

    assert faq_module.load_faqs(docs) == first and not answers()
    faq_module.load_faqs(ROOT / "docs")  # not frozen: its files are compared
    assert answers()
