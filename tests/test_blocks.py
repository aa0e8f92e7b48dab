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
    stages = lib.time_limits.stages
    handle = next(s for s in stages if s.id == "handle")
    old = handle.model_copy(update={"valid_to": dt.date(2030, 1, 1)})
    new = handle.model_copy(
        update={"limit": "受理之日起45日内", "days": 45, "valid_from": dt.date(2030, 1, 2)}
    )
    limits = lib.time_limits.model_copy(
        update={"stages": [s for s in stages if s.id != "handle"] + [old, new]}
    )
    changed = dataclasses.replace(lib, time_limits=limits)
    monkeypatch.setenv("PUFA_TODAY", "2026-11-27")
    assert "60日内" in expand("[[!time-limits]]", ctx(changed))
    monkeypatch.setenv("PUFA_TODAY", "2030-06-01")
    table = expand("[[!time-limits]]", ctx(changed))
    assert "45日内" in table and "60日内" not in table


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
        )
    out = expand("[[!cases]]", ctx(lib, "cases/index.md"))
    for case_id, case in lib.cases.items():
        assert f"{{#{case_id}}}" in out
        if case.illustrative:
            assert "示例案例" in out
    assert len(lib.cases) >= 6
