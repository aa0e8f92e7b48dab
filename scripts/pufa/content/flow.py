"""Claim-routing guides as data (GOV.UK smart-answer style) and the staff practice cases.

A flow has question nodes (one question in everyday words, 2–6 answers, each with a stable id and
pointing at a node or an outcome) and outcomes (a legal channel from data/channels.yml, the exact
body and how to find it, each deadline with the event it runs from and what happens if it is
missed, what to bring, the quoted articles it rests on, how people say it, and when it was
reviewed against what). ``check_flow`` proves the graph is sound; ``paths`` lists every route
for the golden file; ``walk_answers`` follows a layperson's answers; the site renders one screen
per step as in-page sections and one page per outcome.

Privacy: every step is a fragment (#g-3-1) of one page, so moving through the guide sends nothing
to any server — fragments never leave the browser — and CSS :target shows one step at a time,
so it works with JavaScript off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import Field

from ..errors import PufaError, PufaErrors
from .models import SLUG, Strict
from .yamlio import Located, load, validate


class Answer(Strict):
    id: str = Field(pattern=SLUG, description="stable within its node; scenarios answer by it")
    label: str
    next: str


class Node(Strict):
    question: str
    hint: str = ""
    answers: list[Answer] = Field(min_length=2, max_length=6)


class Deadline(Strict):
    text: str = Field(description="the time limit; figures only through [[rule:<id>]]")
    runs_from: str = Field(alias="from", description="the event the time runs from")
    missed: str = Field(description="what happens if it is missed")


class Outcome(Strict):
    channel: str
    title: str
    body: str
    who: str = Field(description="which body exactly")
    find: str = Field(description="how to find it")
    deadlines: list[Deadline] = []
    no_deadline: str = Field("", description="why no deadline applies (when deadlines is empty)")
    bring: list[str] = Field(min_length=1)
    next_steps: str
    citations: list[str] = Field(min_length=1)
    asks: list[str] = Field(min_length=3, description="how people really say it (site search)")
    reviewed: date
    reviewed_against: str
    unverified: list[str] = Field([], description="points shown as 待核实")


class Flow(Strict):
    title: str
    start: str
    last_resort: str = Field(
        "", description="the 信访 outcome: only for claims with no other legal channel"
    )
    nodes: dict[str, Node]
    outcomes: dict[str, Outcome]


class LegalChannel(Strict):
    id: str = Field(pattern=SLUG)
    name: str
    covers: str
    citation: str
    classify: bool = Field(True, description="one of the classes staff sort claims into")


class Channels(Strict):
    channels: list[LegalChannel]


class PracticeCase(Strict):
    id: str = Field(pattern=SLUG)
    story: str
    channel: str
    outcome: str = Field("", description="the claim-guide outcome with the details")
    trap: bool = Field(False, description="easy to get wrong (复议前置, 涉法涉诉, no time limit…)")
    why: str
    citations: list[str] = Field(min_length=1)


class Practice(Strict):
    cases: list[PracticeCase] = Field(min_length=1)


@dataclass
class LoadedFlow:
    id: str
    flow: Flow
    located: Located


@dataclass
class Guides:
    channels: dict[str, LegalChannel]
    flows: dict[str, LoadedFlow]
    practice: list[PracticeCase]
    practice_located: Located | None


def load_guides(data: Path) -> Guides:
    errors: list[PufaError] = []

    def collect(exc: Exception) -> None:
        errors.extend(exc.errors if isinstance(exc, PufaErrors) else [exc])  # type: ignore[attr-defined]

    channels: dict[str, LegalChannel] = {}
    path = data / "channels.yml"
    if path.is_file():
        try:
            for ch in validate(load(path), Channels).channels:
                channels[ch.id] = ch
        except (PufaError, PufaErrors) as exc:
            collect(exc)
    flows: dict[str, LoadedFlow] = {}
    for path in sorted((data / "flows").glob("*.yml")):
        try:
            located = load(path)
            flows[path.stem] = LoadedFlow(path.stem, validate(located, Flow), located)
        except (PufaError, PufaErrors) as exc:
            collect(exc)
    practice: list[PracticeCase] = []
    practice_located = None
    path = data / "practice.yml"
    if path.is_file():
        try:
            practice_located = load(path)
            practice = validate(practice_located, Practice).cases
        except (PufaError, PufaErrors) as exc:
            collect(exc)
    if errors:
        raise PufaErrors(errors)
    return Guides(channels, flows, practice, practice_located)


# --- paths ----------------------------------------------------------------------------------

Step = tuple[str, int]  # (node id, answer index)


def paths(flow: Flow) -> list[tuple[list[Step], str]]:
    """Every route from the start: the answers taken and the outcome reached."""
    out: list[tuple[list[Step], str]] = []

    def walk(node_id: str, taken: list[Step]) -> None:
        if node_id in flow.outcomes:
            out.append((taken, node_id))
            return
        for i, answer in enumerate(flow.nodes[node_id].answers):
            walk(answer.next, [*taken, (node_id, i)])

    walk(flow.start, [])
    return out


def route(flow: Flow, answers: list[int]) -> str:
    """Follow answer indices from the start; return the node or outcome reached."""
    current = flow.start
    for index in answers:
        current = flow.nodes[current].answers[index].next
    return current


class WalkError(ValueError):
    """An answer id that the question reached does not offer."""


def walk_answers(flow: Flow, answer_ids: list[str]) -> tuple[str, list[Step]]:
    """Follow answers given by id from the start; return where they lead and the steps taken."""
    current, taken = flow.start, []
    for given in answer_ids:
        node = flow.nodes.get(current)
        if node is None:
            raise WalkError(f"'{current}' is an outcome, but the answer '{given}' was still given")
        ids = [a.id for a in node.answers]
        if given not in ids:
            raise WalkError(
                f"question '{current}' ({node.question}) has no answer '{given}'; "
                f"its answers are: {', '.join(ids)}"
            )
        i = ids.index(given)
        taken.append((current, i))
        current = node.answers[i].next
    return current, taken


def path_listing(flow: Flow, channels: dict[str, LegalChannel]) -> str:
    lines = []
    for taken, outcome in paths(flow):
        steps = " > ".join(
            f"{node}/{flow.nodes[node].answers[i].id}: {flow.nodes[node].answers[i].label}"
            for node, i in taken
        )
        channel = channels[flow.outcomes[outcome].channel].name
        lines.append(f"{steps}\n    => {outcome} [{channel}]")
    return "\n".join(lines) + "\n"
