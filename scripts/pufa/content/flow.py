"""Claim-routing guides as data (GOV.UK smart-answer style) and the staff practice cases.

A flow has question nodes (one question, 2–6 answers, each pointing at a node or an outcome) and
outcomes (a legal channel from data/channels.yml, who decides, what to bring, the deadline and
the articles it rests on). ``check_flow`` proves the graph is sound; ``paths`` lists every route
for the golden file; ``render_flow`` writes one screen per step as in-page sections.

Privacy: every step is a fragment (#g-3-1) of one page, so moving through the guide sends nothing
to any server — fragments never leave the browser — and CSS :target shows one step at a time,
so it works with JavaScript off.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from ..errors import PufaError, PufaErrors
from .models import SLUG, Strict
from .yamlio import Located, load, validate


class Answer(Strict):
    label: str
    next: str


class Node(Strict):
    question: str
    hint: str = ""
    answers: list[Answer] = Field(min_length=2, max_length=6)


class Outcome(Strict):
    channel: str
    title: str
    body: str
    where: str
    bring: list[str] = Field(min_length=1)
    deadline: str
    next_steps: str
    citations: list[str] = Field(min_length=1)


class Flow(Strict):
    title: str
    start: str
    nodes: dict[str, Node]
    outcomes: dict[str, Outcome]


class LegalChannel(Strict):
    id: str = Field(pattern=SLUG)
    name: str
    covers: str
    citation: str


class Channels(Strict):
    channels: list[LegalChannel]


class PracticeCase(Strict):
    id: str = Field(pattern=SLUG)
    story: str
    channel: str
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


def path_listing(flow: Flow, channels: dict[str, LegalChannel]) -> str:
    lines = []
    for taken, outcome in paths(flow):
        steps = " > ".join(f"{node}: {flow.nodes[node].answers[i].label}" for node, i in taken)
        channel = channels[flow.outcomes[outcome].channel].name
        lines.append(f"{steps}\n    => {outcome} [{channel}]")
    return "\n".join(lines) + "\n"
