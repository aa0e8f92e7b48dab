from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from pufa.content.citations import Context
from pufa.content.library import load_library
from pufa.content.models import Case, Figure, YearStats
from pufa.site.pages import expand
from pydantic import ValidationError

from .conftest import ROOT


@pytest.fixture(scope="module")
def lib():
    return load_library(ROOT)


def ctx(lib, src: str = "petition/index.md") -> Context:
    return Context(lib=lib, src_path=src, file=f"docs/{src}")


def test_time_limits_are_chosen_by_date(lib, monkeypatch) -> None:
    """A change in the law is a new dated entry: the table shows the one valid on the day."""
    (handle,) = lib.rules["petition-handle"]
    old = handle.model_copy(update={"valid_to": dt.date(2030, 1, 1)})
    new = handle.model_copy(
        update={
            "figure": handle.figure.model_copy(update={"value": 45}),
            "valid_from": dt.date(2030, 1, 2),
        }
    )
    changed = dataclasses.replace(lib, rules={**lib.rules, "petition-handle": [old, new]})
    monkeypatch.setenv("PUFA_TODAY", "2026-11-27")
    assert "[60日]" in expand("[[!time-limits]]", ctx(changed))
    monkeypatch.setenv("PUFA_TODAY", "2030-06-01")
    table = expand("[[!time-limits]]", ctx(changed))
    assert "[45日]" in table and "[60日]" not in table
    assert "[45日]" in expand("办结期限[[rule:petition-handle]]", ctx(changed))


def test_time_limits_cite_articles(lib) -> None:
    table = expand("[[!time-limits]]", ctx(lib))
    assert table.count("信访工作条例》第") >= 5


def test_rota_lists_every_entry_and_never_invents_names(lib) -> None:
    html = expand("[[!lawyers]]", ctx(lib, "petition/lawyers.md"))
    assert html.count("<tr data-weekday=") == len(lib.rota.entries)
    for entry in lib.rota.entries:
        assert entry.weekday in html
    assert "data-pufa-today" in html


def test_stats_must_add_up() -> None:
    with pytest.raises(ValidationError, match="add up"):
        YearStats(
            year=2020,
            source="x",
            total_items=10,
            total_people=1,
            channels=[Figure(label="a", value=3)],
            risks_found=1,
            risks_resolved=1,
            stability_assessments=0,
        )


def test_stats_page_has_chart_and_table(lib) -> None:
    out = expand("[[!stats 2020]]", ctx(lib, "stats/index.md"))
    assert out.count("<svg") == 2
    assert "| 网上投诉 | 2,183 | 56.1% |" in out
    assert "| **合计** | **3,890** | 100% |" in out


def test_real_cases_need_a_source_and_invented_ones_are_labelled(lib) -> None:
    with pytest.raises(ValidationError, match="source"):
        Case(
            title="t",
            illustrative=False,
            facts="f",
            question="q",
            law="l",
            outcome="o",
            lesson="l",
            topic="labor",
            reviewed_against="摘录",
        )
    out = expand("[[!cases]]", ctx(lib, "cases/index.md"))
    for case_id, case in lib.cases.items():
        assert f"{{#{case_id}}}" in out
        if case.illustrative:
            assert "示例案例" in out
    assert len(lib.cases) >= 6


# --- FAQ grouping ---------------------------------------------------------------------------


def test_every_topic_belongs_to_exactly_one_group() -> None:
    from pufa.content.faq import GROUPS, TOPICS

    grouped = [topic for topics in GROUPS.values() for topic in topics]
    assert sorted(grouped) == sorted(TOPICS)  # each once, none unknown
    assert set(Case.model_fields["topic"].annotation.__args__) == set(TOPICS)


def test_faq_index_lists_every_group_and_topic(lib) -> None:
    from pufa.content.faq import GROUPS, TOPICS

    out = expand("[[!faq-groups]]", ctx(lib, "faq/index.md"))
    for group in GROUPS:
        assert f"## {group}\n" in out
    for topic, title in TOPICS.items():
        assert f"[{title}]({topic}/index.md)" in out
        assert (ROOT / "docs/faq" / topic / "index.md").is_file()
    assert out.index("## 家庭") < out.index("## 公安和法院")


def _answer(title: str, order: int | None) -> str:
    extra = f"order: {order}\n" if order is not None else ""
    head = f"---\ntitle: {title}？\nanswer: 答。\nasks: [一, 二, 三]\n"
    return f"{head}reviewed: 2026-12-01\nreviewed_against: 摘录\n{extra}---\n"


def test_topic_page_puts_most_asked_first(lib, tmp_path) -> None:
    folder = tmp_path / "docs/faq/debt"
    folder.mkdir(parents=True)
    (folder / "a.md").write_text(_answer("甲问题", None), encoding="utf-8")
    (folder / "b.md").write_text(_answer("乙问题", 2), encoding="utf-8")
    (folder / "c.md").write_text(_answer("丙问题", 1), encoding="utf-8")
    moved = dataclasses.replace(lib, root=tmp_path)
    out = expand("[[!faq-list debt]]", ctx(moved, "faq/debt/index.md"))
    assert out.index("丙问题") < out.index("乙问题") < out.index("甲问题")
    index = expand("[[!faq-groups 2]]", ctx(moved, "faq/index.md"))
    assert "丙问题" in index and "乙问题" in index and "甲问题" not in index
    assert "[全部3个问题 »](debt/index.md)" in index
    assert "正在整理" in expand("[[!faq-list family]]", ctx(moved, "faq/family/index.md"))


def test_faq_groups_rejects_bad_argument(lib) -> None:
    from pufa.errors import PufaError

    with pytest.raises(PufaError, match="number of questions") as info:
        expand("[[!faq-groups many]]", ctx(lib, "faq/index.md"))
    assert "docs/faq/index.md" in str(info.value)
