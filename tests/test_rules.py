"""The register of legal facts: how figures are spelled, where a hand-written one is found, that
pages state none by hand, and that a rule links to the article it rests on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pufa.content.citations import Context
from pufa.content.clock import today
from pufa.content.library import Library, load_library
from pufa.content.rules import (
    _NOT_AFTER_NUMBER,
    current,
    figure_matchers,
    find_hand_written,
    hand_written_figures,
    rule_link,
    spellings,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library(ROOT)


def _rule(lib: Library, rule_id: str):
    rule = current(lib, rule_id, today())
    assert rule is not None, rule_id
    return rule


def test_repository_states_no_registered_figure_by_hand(lib) -> None:
    found = [str(h) for h in hand_written_figures(lib, today())]
    assert not found, "\n".join(found)


def test_any_figure_finds_what_the_look_behind_pattern_finds(lib) -> None:
    """The quick check finds a figure exactly where the union of the rules' patterns (spelling
    not right after a number) would: on every line of the pages and on generated text."""
    import random

    matchers = figure_matchers(lib, today())
    reference = re.compile(_NOT_AFTER_NUMBER + f"(?:{matchers.spelled.pattern})")
    texts = [
        line
        for p in sorted((ROOT / "docs").rglob("*.md"))
        for line in p.read_text("utf-8").split("\n")
    ]
    spelled = matchers.spelled.pattern.split("|")
    parts = [s.replace("\\", "") for s in spelled] + list("0123456789一二十百两年日月天个 ，。")
    rng = random.Random(13)
    texts += ["".join(rng.choices(parts, k=rng.randint(0, 8))) for _ in range(5000)]
    for text in texts:
        assert matchers.any_figure(text) == bool(reference.search(text)), text
    assert any(matchers.any_figure(t) for t in texts)
    assert not all(matchers.any_figure(t) for t in texts)


def test_document_names_and_front_matter_titles_are_not_figures(lib) -> None:
    text = (
        "---\ntitle: 网购七天无理由退货吗？\n---\n"
        "依照《网络购买商品七日无理由退货暂行办法》退货。\n"
    )
    assert list(find_hand_written(lib, text, "docs/x.md", today())) == []
    answer = "---\nanswer: 收到货之日起七日内可以无理由退货。\n---\n"
    assert [h.line for h in find_hand_written(lib, answer, "docs/x.md", today())] == [2]


def test_spellings(lib) -> None:
    days = spellings(_rule(lib, "appeal-judgment"))
    assert {"15日", "十五日", "15天", "十五天", "15 日"} <= set(days)
    assert "两年" in spellings(_rule(lib, "enforcement-deadline"))
    assert "二年" in spellings(_rule(lib, "enforcement-deadline"))
    assert "半年" in spellings(_rule(lib, "retrial-deadline"))
    assert "20个工作日" in spellings(_rule(lib, "info-disclosure-reply"))


def test_hand_written_figure_is_found_with_file_and_line(lib) -> None:
    text = "第一行没有期限。\n不服一审判决的，在判决书送达之日起十五日内上诉。\n"
    hits = list(find_hand_written(lib, text, "docs/x.md", today()))
    assert [(h.file, h.line) for h in hits] == [("docs/x.md", 2)]
    assert "appeal-judgment" in hits[0].rule_ids
    assert str(hits[0]).startswith("docs/x.md:2: ")
    assert "[[rule:appeal-judgment]]" in str(hits[0])


def test_figure_without_its_legal_term_or_inside_a_number_is_not_reported(lib) -> None:
    text = "公告期不少于十五日。\n上诉请在115日内。\n"
    assert list(find_hand_written(lib, text, "docs/x.md", today())) == []


def test_citing_the_rules_article_counts_as_its_legal_term(lib) -> None:
    # No legal term in the words, but the sentence cites the article the figure comes from.
    text = (
        "从被辞退之日起一年内提出（[[劳动争议调解仲裁法第27条]]）。\n"
        "一年内提出（[[劳动争议调解仲裁法第2条]]）。\n"  # another article: not this rule
    )
    hits = list(find_hand_written(lib, text, "docs/x.md", today()))
    assert [(h.line, h.rule_ids) for h in hits] == [(1, ("labor-arbitration-limit",))]


def test_figure_inside_a_shortcode_is_not_reported(lib) -> None:
    text = (
        "不服一审判决的，在判决书送达之日起[[rule:appeal-judgment]]内上诉（[[民事诉讼法第171条]]）。\n"
        "上诉见[[> 民事诉讼法第171条]]\n"
    )
    assert list(find_hand_written(lib, text, "docs/x.md", today())) == []


def test_repealed_statute_page_is_skipped(project) -> None:
    line = "\n不服一审判决的，在判决书送达之日起十五日内上诉。\n"
    repealed = project / "docs/statutes/petition-regulations-2005.md"
    current_page = project / "docs/statutes/petition-work-regulations.md"
    for page in (repealed, current_page):
        page.write_text(page.read_text(encoding="utf-8") + line, encoding="utf-8")
    lib = load_library(project)
    assert lib.statutes["petition-regulations-2005"].status == "已废止"
    files = {h.file for h in hand_written_figures(lib, today()) if "十五日内上诉" in h.text}
    assert files == {"docs/statutes/petition-work-regulations.md"}


def test_rule_link_points_at_the_cited_article(lib) -> None:
    rule = _rule(lib, "appeal-judgment")
    ctx = Context(lib=lib, src_path="faq/courts/appeal.md", file="docs/faq/courts/appeal.md")
    link = rule_link(ctx, rule)
    target = re.search(r"\]\(([^)]+)\)", link).group(1)
    assert target == "../../statutes/civil-procedure-law.md#art-171"
    assert lib.excerpt("civil-procedure-law", 171) is not None  # the anchor exists on the page
    assert link.startswith(f"[{rule.figure.text}]")
    on_page = Context(
        lib=lib, src_path="statutes/civil-procedure-law.md", file="docs/statutes/x.md"
    )
    assert "](#art-171)" in rule_link(on_page, rule)


def test_a_page_stating_a_figure_by_hand_is_reported(lib, tmp_path) -> None:
    """The whole-project scan (one set of patterns for every file) finds what one text shows."""
    import shutil

    for name in ("data", "docs"):
        shutil.copytree(ROOT / name, tmp_path / name)
    about = tmp_path / "docs" / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8") + "\n对判决不服，可以在十五日内上诉。\n", encoding="utf-8"
    )
    found = hand_written_figures(load_library(tmp_path), today())
    assert [(h.file, "appeal-judgment" in h.rule_ids) for h in found] == [("docs/about.md", True)]
