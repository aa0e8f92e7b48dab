"""The claim-routing flow: scenarios walked by the layperson's answers, graph checks, the golden
path listing, outcome pages, practice cases."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pufa.content.citations import Context
from pufa.content.flow import Flow, LoadedFlow, WalkError, path_listing, paths, walk_answers
from pufa.content.flowcheck import check_flow, check_guides
from pufa.content.library import load_library
from pufa.content.yamlio import load, validate
from pufa.site.guide import expected_outcome_pages

from .conftest import ROOT

GOLDEN = Path(__file__).parent / "golden" / "flow-claims-paths.txt"
SCENARIOS = yaml.safe_load(
    (Path(__file__).parent / "flow_scenarios.yml").read_text(encoding="utf-8")
)["scenarios"]


@pytest.fixture(scope="module")
def lib():
    return load_library(ROOT)


@pytest.fixture(scope="module")
def claims(lib) -> Flow:
    return lib.guides.flows["claims"].flow


def ctx(lib) -> Context:
    return Context(lib=lib, src_path="guide/index.md", file="data/flows/claims.yml")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["say"] for s in SCENARIOS])
def test_scenario_reaches_its_outcome(claims, scenario) -> None:
    reached, taken = walk_answers(claims, scenario["answers"])
    assert reached == scenario["outcome"], (
        f"{scenario['say']}: answers {scenario['answers']} reach '{reached}'"
    )
    assert len(taken) == len(scenario["answers"])


def test_scenarios_are_many_and_cover_every_outcome(claims) -> None:
    assert len(SCENARIOS) >= 80
    assert {s["outcome"] for s in SCENARIOS} == set(claims.outcomes)


def test_walk_rejects_an_answer_the_question_does_not_offer(claims) -> None:
    with pytest.raises(WalkError, match="has no answer 'salary'"):
        walk_answers(claims, ["work", "salary"])
    with pytest.raises(WalkError, match="is an outcome"):
        walk_answers(claims, ["work", "money", "more"])


def test_a_first_instance_judgment_is_appealed_not_retried(claims) -> None:
    # The review's worst finding: 一审判决不服 sent to 再审 with a 6-month deadline.
    reached, _ = walk_answers(claims, ["court", "first-instance"])
    assert reached == "appeal"
    texts = " ".join(d.text for d in claims.outcomes["appeal"].deadlines)
    assert "[[rule:appeal-judgment]]" in texts and "[[rule:appeal-ruling]]" in texts


def test_outcomes_cover_the_seven_classes(lib, claims) -> None:
    classes = {c.id for c in lib.guides.channels.values() if c.classify}
    assert len(classes) == 7
    assert classes <= {o.channel for o in claims.outcomes.values()}
    assert len(claims.outcomes) >= 35


def test_every_outcome_has_asks_a_deadline_line_and_a_review(claims) -> None:
    for out_id, o in claims.outcomes.items():
        assert len(o.asks) >= 3, out_id
        assert bool(o.deadlines) != bool(o.no_deadline), out_id
        assert o.reviewed and o.reviewed_against, out_id


def test_the_real_flow_passes_its_checks(lib) -> None:
    assert check_guides(lib.guides, ctx(lib)) == []


def test_every_path_ends_at_an_outcome_that_cites_the_law(claims) -> None:
    routes = paths(claims)
    assert {outcome for _, outcome in routes} == set(claims.outcomes)
    for _, outcome in routes:
        assert claims.outcomes[outcome].citations


def test_path_listing_matches_golden(lib, claims) -> None:
    listing = path_listing(claims, lib.guides.channels)
    assert listing == GOLDEN.read_text(encoding="utf-8"), (
        "the flow changed: review the diff, then run "
        "`pufa flow paths claims --write tests/golden/flow-claims-paths.txt`"
    )


def test_each_outcome_has_its_generated_page(lib) -> None:
    expected = expected_outcome_pages(lib.guides)
    assert len(expected) == len(lib.guides.flows["claims"].flow.outcomes)
    for rel, text in expected.items():
        path = ROOT / "docs" / rel
        assert path.is_file() and path.read_text(encoding="utf-8") == text, (
            f"docs/{rel} is stale: run .venv/bin/pufa flow pages"
        )


def broken(tmp_path: Path, text: str) -> LoadedFlow:
    path = tmp_path / "bad.yml"
    path.write_text(text, encoding="utf-8")
    located = load(path)
    return LoadedFlow("bad", validate(located, Flow), located)


OUTCOME = """outcomes:
  done:
    channel: petition
    title: t
    body: b
    who: w
    find: f
    deadlines:
      - {text: "[[rule:petition-review]]内", from: 收到之日, missed: 不再受理}
    bring: [x]
    next_steps: n
    citations: [信访工作条例第29条]
    asks: [a, b, c]
    reviewed: 2026-12-01
    reviewed_against: r
"""
TWO = "      - {id: x, label: x, next: done}\n      - {id: y, label: y, next: done}\n"


@pytest.mark.parametrize(
    ("nodes", "message"),
    [
        (
            "  a:\n    question: q\n    answers:\n      - {id: x, label: x, next: done}\n"
            "      - {id: y, label: y, next: nowhere}\n",
            "next 'nowhere' points to a missing node",
        ),
        (
            f"  a:\n    question: q\n    answers:\n{TWO}  orphan:\n    question: q\n"
            f"    answers:\n{TWO}",
            "node 'orphan' is unreachable",
        ),
        (
            "  a:\n    question: q\n    answers:\n      - {id: x, label: x, next: b}\n"
            "      - {id: y, label: y, next: done}\n  b:\n    question: q\n    answers:\n"
            "      - {id: x, label: x, next: a}\n      - {id: y, label: y, next: done}\n",
            "cycle: a → b → a",
        ),
        (
            "  a:\n    question: q\n    answers:\n      - {id: x, label: x, next: done}\n"
            "      - {id: x, label: y, next: done}\n",
            "answer id 'x' is used twice",
        ),
    ],
)
def test_bad_flows_name_file_node_and_fix(lib, tmp_path, nodes, message) -> None:
    flow = broken(tmp_path, f"title: t\nstart: a\nnodes:\n{nodes}{OUTCOME}")
    errors = check_flow(flow, lib.guides.channels, ctx(lib))
    text = "\n".join(str(e) for e in errors)
    assert message in text, text
    assert "bad.yml:" in text and "fix:" in text


def _flow_with(tmp_path, outcome: str, *, nodes: str = "", last_resort: str = "") -> LoadedFlow:
    nodes = nodes or f"  a:\n    question: q\n    answers:\n{TWO}"
    head = f"title: t\nstart: a\n{last_resort}nodes:\n"
    return broken(tmp_path, head + nodes + outcome)


def test_a_legal_matter_may_not_end_at_petition(lib, tmp_path) -> None:
    nodes = (
        "  a:\n    question: 什么事？\n    answers:\n"
        "      - {id: wages, label: 老板欠工资不给, next: done}\n"
        "      - {id: other, label: 路灯坏了, next: done}\n"
    )
    flow = _flow_with(tmp_path, OUTCOME, nodes=nodes, last_resort="last_resort: done\n")
    text = "\n".join(str(e) for e in check_flow(flow, lib.guides.channels, ctx(lib)))
    assert "names '工资'" in text and "nodes.a.answers[0]" in text, text
    assert "answers[1]" not in text
    # The same flow without the 信访 marker is not flagged: the check is about last_resort.
    plain = _flow_with(tmp_path, OUTCOME, nodes=nodes)
    assert not any("names" in str(e) for e in check_flow(plain, lib.guides.channels, ctx(lib)))


def test_a_catch_all_may_not_end_at_petition(lib, tmp_path) -> None:
    nodes = (
        "  a:\n    question: q\n    answers:\n      - {id: x, label: 建议, next: done}\n"
        "      - {id: y, label: 以上都不是, next: done}\n"
    )
    flow = _flow_with(tmp_path, OUTCOME, nodes=nodes, last_resort="last_resort: done\n")
    text = "\n".join(str(e) for e in check_flow(flow, lib.guides.channels, ctx(lib)))
    assert "catch-all answer '以上都不是' ends at 信访" in text, text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    deadlines:\n"
            '      - {text: "[[rule:petition-review]]内", from: 收到之日, missed: 不再受理}\n',
            "",
            "needs a deadline line",
        ),
        ("[[rule:petition-review]]", "三十日", "states no basis"),
        ("第29条", "第290条", "beyond"),
        ("信访工作条例第29条", "信访工作条例第3条", "is not quoted"),
        ("[[rule:petition-review]]", "[[rule:no-such-rule]]", "unknown rule 'no-such-rule'"),
    ],
)
def test_bad_outcomes_fail(lib, tmp_path, old, new, message) -> None:
    assert old in OUTCOME
    flow = _flow_with(tmp_path, OUTCOME.replace(old, new))
    text = "\n".join(str(e) for e in check_flow(flow, lib.guides.channels, ctx(lib)))
    assert message in text and "bad.yml:" in text, text


def test_outcome_without_citation_or_asks_fails_to_load(tmp_path) -> None:
    from pufa.errors import PufaErrors

    with pytest.raises(PufaErrors, match=r"outcomes\.done\.citations"):
        _flow_with(tmp_path, OUTCOME.replace("[信访工作条例第29条]", "[]"))
    with pytest.raises(PufaErrors, match=r"outcomes\.done\.asks"):
        _flow_with(tmp_path, OUTCOME.replace("asks: [a, b, c]", "asks: [a]"))


def test_practice_cases_cover_every_class_with_traps(lib) -> None:
    guides = lib.guides
    assert len(guides.practice) >= 60
    classes = {c.id for c in guides.channels.values() if c.classify}
    assert {c.channel for c in guides.practice} == classes
    assert sum(c.trap for c in guides.practice) >= 15
    outcomes = set(guides.flows["claims"].flow.outcomes)
    assert all(c.outcome in outcomes for c in guides.practice)


def test_practice_case_with_unknown_channel_fails(project) -> None:
    from pufa.cli import main

    path = project / "data/practice.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("channel: arbitration", "channel: magic", 1),
        encoding="utf-8",
    )
    assert main(["--root", str(project), "check"]) == 1
