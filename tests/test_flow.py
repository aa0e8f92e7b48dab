"""The claim-routing flow: routes, graph checks, the golden path listing, practice cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from pufa.content.citations import Context
from pufa.content.flow import Flow, LoadedFlow, path_listing, paths, route
from pufa.content.flowcheck import check_flow
from pufa.content.library import load_library
from pufa.content.yamlio import load, validate

from .conftest import ROOT

GOLDEN = Path(__file__).parent / "golden" / "flow-claims-paths.txt"


@pytest.fixture(scope="module")
def lib():
    return load_library(ROOT)


@pytest.fixture(scope="module")
def claims(lib) -> Flow:
    return lib.guides.flows["claims"].flow


def ctx(lib) -> Context:
    return Context(lib=lib, src_path="guide/index.md", file="data/flows/claims.yml")


def answer(flow: Flow, node: str, key: str) -> int:
    """Index of the answer at ``node`` that leads to ``key`` (tests name targets, not wording)."""
    return next(i for i, a in enumerate(flow.nodes[node].answers) if a.next == key)


def walk(flow: Flow, *targets: str) -> str:
    node, indices = flow.start, []
    for target in targets:
        indices.append(answer(flow, node, target))
        node = target
    return route(flow, indices)


@pytest.mark.parametrize(
    ("steps", "outcome", "channel"),
    [
        (("whose", "labor", "labor-arbitration"), "labor-arbitration", "arbitration"),  # 欠薪无合同
        (("whose", "court", "enforcement"), "enforcement", "litigation"),  # 拒不执行生效判决
        (("whose", "decision", "administrative-review"), "administrative-review", "administrative"),
        (("suggestion",), "suggestion", "petition"),  # 建议修村道
        (("report-official",), "report-official", "other-complaints"),  # 检举挪用公款
        (("whose", "civil", "civil-dispute"), "civil-dispute", "litigation"),  # 邻里纠纷
        (("whose", "labor", "work-injury"), "work-injury", "technical"),
    ],
)
def test_routes(claims, steps, outcome, channel) -> None:
    assert walk(claims, *steps) == outcome
    assert claims.outcomes[outcome].channel == channel


def test_expropriation_and_injury_decisions_both_go_to_review(claims) -> None:
    decision = claims.nodes["decision"]
    targets = [a.next for a in decision.answers]
    # 房屋征收补偿决定 and 工伤认定决定 are the first two answers of that node.
    assert targets[0] == targets[1] == "administrative-review"


def test_every_path_ends_at_an_outcome_that_cites_the_law(claims) -> None:
    routes = paths(claims)
    assert routes
    reached = {outcome for _, outcome in routes}
    assert reached == set(claims.outcomes)
    for _, outcome in routes:
        assert claims.outcomes[outcome].citations


def test_path_listing_matches_golden(lib, claims) -> None:
    listing = path_listing(claims, lib.guides.channels)
    assert listing == GOLDEN.read_text(encoding="utf-8"), (
        "the flow changed: review the diff, then run "
        "`pufa flow paths claims --write tests/golden/flow-claims-paths.txt`"
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
    where: w
    bring: [x]
    deadline: d
    next_steps: n
    citations: [信访工作条例第29条]
"""


@pytest.mark.parametrize(
    ("nodes", "message"),
    [
        (
            "  a:\n    question: q\n    answers:\n      - {label: x, next: done}\n"
            "      - {label: y, next: nowhere}\n",
            "next 'nowhere' points to a missing node",
        ),
        (
            "  a:\n    question: q\n    answers:\n      - {label: x, next: done}\n"
            "      - {label: y, next: done}\n  orphan:\n    question: q\n    answers:\n"
            "      - {label: x, next: done}\n      - {label: y, next: done}\n",
            "node 'orphan' is unreachable",
        ),
        (
            "  a:\n    question: q\n    answers:\n      - {label: x, next: b}\n"
            "      - {label: y, next: done}\n  b:\n    question: q\n    answers:\n"
            "      - {label: x, next: a}\n      - {label: y, next: done}\n",
            "cycle: a → b → a",
        ),
    ],
)
def test_bad_flows_name_file_node_and_fix(lib, tmp_path, nodes, message) -> None:
    flow = broken(tmp_path, f"title: t\nstart: a\nnodes:\n{nodes}{OUTCOME}")
    errors = check_flow(flow, lib.guides.channels, ctx(lib))
    text = "\n".join(str(e) for e in errors)
    assert message in text, text
    assert "bad.yml:" in text and "fix:" in text


def test_outcome_without_citation_fails(tmp_path) -> None:
    from pufa.errors import PufaErrors

    with pytest.raises(PufaErrors, match=r"outcomes\.done\.citations"):
        broken(
            tmp_path,
            "title: t\nstart: a\nnodes:\n  a:\n    question: q\n    answers:\n"
            "      - {label: x, next: done}\n      - {label: y, next: done}\n"
            + OUTCOME.replace("[信访工作条例第29条]", "[]"),
        )


def test_outcome_citing_beyond_article_count_fails(lib, tmp_path) -> None:
    flow = broken(
        tmp_path,
        "title: t\nstart: a\nnodes:\n  a:\n    question: q\n    answers:\n"
        "      - {label: x, next: done}\n      - {label: y, next: done}\n"
        + OUTCOME.replace("第29条", "第290条"),
    )
    errors = check_flow(flow, lib.guides.channels, ctx(lib))
    assert any("beyond" in str(e) and "citations[0]" in str(e) for e in errors)


def test_practice_cases_use_known_channels_and_enough_of_them(lib) -> None:
    guides = lib.guides
    assert len(guides.practice) >= 20
    assert {c.channel for c in guides.practice} <= set(guides.channels)
    assert len(guides.channels) == 7


def test_practice_case_with_unknown_channel_fails(project) -> None:
    from pufa.cli import main

    path = project / "data/practice.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("channel: arbitration", "channel: magic", 1),
        encoding="utf-8",
    )
    assert main(["--root", str(project), "check"]) == 1
