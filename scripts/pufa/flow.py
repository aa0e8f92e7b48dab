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
from html import escape
from pathlib import Path

from pydantic import Field

from .errors import PufaError, PufaErrors
from .models import SLUG, Strict
from .shortcodes import Context, citation_link, parse_citation
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


# --- checks ---------------------------------------------------------------------------------


def check_guides(guides: Guides, ctx: Context) -> list[PufaError]:
    errors: list[PufaError] = []
    for loaded in guides.flows.values():
        errors += check_flow(loaded, guides.channels, ctx)
    loc = guides.practice_located
    for i, case in enumerate(guides.practice):
        line = loc.line_of(("cases", i)) if loc else None
        file = loc.path if loc else "data/practice.yml"
        if case.channel not in guides.channels:
            errors.append(
                PufaError(
                    file,
                    f"practice case '{case.id}' names unknown channel '{case.channel}'",
                    line=line,
                    key=f"cases[{i}].channel",
                    fix=f"use one of: {', '.join(guides.channels)}",
                )
            )
        for j, cite in enumerate(case.citations):
            problem = _citation_problem(ctx, cite)
            if problem:
                errors.append(
                    PufaError(
                        file,
                        f"practice case '{case.id}': {problem}",
                        line=line,
                        key=f"cases[{i}].citations[{j}]",
                        fix="cite a statute from data/statutes.yml as 名称第N条",
                    )
                )
    ids = [c.id for c in guides.practice]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        errors.append(
            PufaError(
                loc.path if loc else "data/practice.yml",
                f"duplicate content id '{dup}'",
                fix="give each case its own id",
            )
        )
    return errors


def _citation_problem(ctx: Context, text: str) -> str | None:
    citation = parse_citation(ctx.lib, text)
    if citation is None:
        return f"unknown statute in '{text}'"
    count = citation.statute.articles
    if not isinstance(count, int) or citation.article > count:
        return f"'{text}' is beyond {citation.statute.short_title}'s articles"
    return None


def check_flow(
    loaded: LoadedFlow, channels: dict[str, LegalChannel], ctx: Context
) -> list[PufaError]:
    flow, loc = loaded.flow, loaded.located
    errors: list[PufaError] = []

    def err(key: tuple, message: str, fix: str) -> None:
        dotted = ".".join(str(k) if not isinstance(k, int) else f"[{k}]" for k in key)
        errors.append(
            PufaError(
                loc.path, message, line=loc.line_of(key), key=dotted.replace(".[", "["), fix=fix
            )
        )

    for node_id in set(flow.nodes) & set(flow.outcomes):
        err(("nodes", node_id), f"'{node_id}' is both a node and an outcome", "rename one of them")
    if flow.start not in flow.nodes:
        err(("start",), f"start '{flow.start}' is not a question node", "point start at a node")
        return errors
    for node_id, node in flow.nodes.items():
        for i, answer in enumerate(node.answers):
            if answer.next not in flow.nodes and answer.next not in flow.outcomes:
                err(
                    ("nodes", node_id, "answers", i, "next"),
                    f"node '{node_id}': next '{answer.next}' points to a missing node",
                    "use the id of a node or outcome in this file",
                )
    for out_id, outcome in flow.outcomes.items():
        if outcome.channel not in channels:
            err(
                ("outcomes", out_id, "channel"),
                f"outcome '{out_id}': unknown channel '{outcome.channel}'",
                f"use one of: {', '.join(channels)}",
            )
        for i, cite in enumerate(outcome.citations):
            problem = _citation_problem(ctx, cite)
            if problem:
                err(
                    ("outcomes", out_id, "citations", i),
                    f"outcome '{out_id}': {problem}",
                    "cite a statute from data/statutes.yml as 名称第N条",
                )
    if errors:
        return errors

    # Cycles and reachability, by depth-first search from the start.
    seen: set[str] = set()
    stack: list[str] = []

    def visit(node_id: str) -> None:
        if node_id in stack:
            cycle = " → ".join([*stack[stack.index(node_id) :], node_id])
            err(("nodes", node_id), f"cycle: {cycle}", "make every path end at an outcome")
            return
        if node_id in seen:
            return
        seen.add(node_id)
        if node_id in flow.outcomes:
            return
        stack.append(node_id)
        for answer in flow.nodes[node_id].answers:
            visit(answer.next)
        stack.pop()

    visit(flow.start)
    for node_id in flow.nodes:
        if node_id not in seen:
            err(
                ("nodes", node_id),
                f"node '{node_id}' is unreachable from '{flow.start}'",
                "link it from an answer or remove it",
            )
    for out_id in flow.outcomes:
        if out_id not in seen:
            err(
                ("outcomes", out_id),
                f"outcome '{out_id}' is unreachable from '{flow.start}'",
                "link it from an answer or remove it",
            )
    return errors


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


# --- rendering ------------------------------------------------------------------------------


def _state_id(prefix: tuple[int, ...]) -> str:
    return "g" + "".join(f"-{i + 1}" for i in prefix)


def _cites(ctx: Context, citations: list[str]) -> str:
    links = []
    for text in citations:
        citation = parse_citation(ctx.lib, text)
        assert citation is not None  # checked by check_flow
        links.append(citation_link(ctx, citation))
    return "、".join(links)


def render_flow(flow: Flow, channels: dict[str, LegalChannel], ctx: Context) -> str:
    """All steps of the guide as in-page sections; the start screen comes last (see CSS)."""
    sections: list[str] = []
    start = ""

    def walk(node_id: str, prefix: tuple[int, ...], taken: list[Step]) -> None:
        nonlocal start
        sid = _state_id(prefix)
        back = (
            f'<p class="pufa-back"><a href="#{_state_id(prefix[:-1])}">返回上一步</a></p>'
            if prefix
            else ""
        )
        if node_id in flow.outcomes:
            sections.append(_outcome(flow, channels, ctx, node_id, sid, back, taken))
            return
        node = flow.nodes[node_id]
        parts = [
            f'<section class="pufa-step" id="{sid}" aria-labelledby="{sid}-h" '
            f"data-search-exclude markdown>",
            back,
            f'<h2 class="pufa-step__q" id="{sid}-h">{escape(node.question)}</h2>',
        ]
        if node.hint:
            parts.append(f'<p class="pufa-step__hint">{escape(node.hint)}</p>')
        parts.append('<ul class="pufa-choices">')
        for i, answer in enumerate(node.answers):
            parts.append(
                f'<li><a href="#{_state_id((*prefix, i))}">{escape(answer.label)}</a></li>'
            )
        parts += ["</ul>", "</section>"]
        html = "\n".join(p for p in parts if p)
        if prefix:
            sections.append(html)
        else:
            start = html.replace('class="pufa-step"', 'class="pufa-step pufa-step--start"', 1)
        for i, answer in enumerate(node.answers):
            walk(answer.next, (*prefix, i), [*taken, (node_id, i)])

    walk(flow.start, (), [])
    return '<div class="pufa-flow" markdown>\n' + "\n\n".join([*sections, start]) + "\n</div>"


def _outcome(
    flow: Flow,
    channels: dict[str, LegalChannel],
    ctx: Context,
    out_id: str,
    sid: str,
    back: str,
    taken: list[Step],
) -> str:
    o = flow.outcomes[out_id]
    channel = channels[o.channel]
    summary = []
    for depth, (node_id, i) in enumerate(taken):
        change = _state_id(tuple(a for _, a in taken[:depth]))
        question = escape(flow.nodes[node_id].question)
        summary.append(
            f'<tr><th scope="row">{question}</th>'
            f"<td>{escape(flow.nodes[node_id].answers[i].label)}</td>"
            f'<td><a href="#{change}">更改<span class="pufa-sr">：{question}</span></a></td></tr>'
        )
    bring = "".join(f"<li>{escape(b)}</li>" for b in o.bring)
    return "\n".join(
        [
            f'<section class="pufa-step pufa-outcome" id="{sid}" aria-labelledby="{sid}-h" '
            f'data-outcome="{out_id}" data-search-exclude markdown>',
            back,
            f'<p class="pufa-outcome__channel">应当走的途径：'
            f"<strong>{escape(channel.name)}</strong></p>",
            f'<h2 class="pufa-step__q" id="{sid}-h">{escape(o.title)}</h2>',
            f"<p>{escape(o.body)}</p>",
            '<dl class="pufa-outcome__facts">',
            f"<dt>找谁</dt><dd>{escape(o.where)}</dd>",
            f"<dt>带什么</dt><dd><ul>{bring}</ul></dd>",
            f"<dt>期限</dt><dd>{escape(o.deadline)}</dd>",
            f"<dt>接下来</dt><dd>{escape(o.next_steps)}</dd>",
            "<dt>免费帮助</dt><dd>公共法律服务热线 12348；经济困难的可以申请法律援助。</dd>",
            "</dl>",
            "",
            f'<p class="pufa-outcome__basis" markdown="1">**法律依据：**'
            f"{_cites(ctx, o.citations)}</p>",
            "",
            '<table class="pufa-summary"><caption>您的回答</caption><tbody>',
            *summary,
            "</tbody></table>",
            '<p class="pufa-outcome__end"><a href="#g">重新开始</a>'
            "　可用浏览器的“打印”功能把本页打印成告知单。</p>",
            "</section>",
        ]
    )


def render_practice(guides: Guides, ctx: Context) -> str:
    """Each case with the seven channels as answers; feedback shows on :target (no JS needed)."""
    out = [
        '<div class="pufa-practice" data-search-exclude markdown>',
        f'<p class="pufa-score" data-pufa-score data-total="{len(guides.practice)}" hidden></p>',
    ]
    for n, case in enumerate(guides.practice, start=1):
        right = guides.channels.get(case.channel)
        if right is None:
            raise PufaError(
                ctx.file,
                f"practice case '{case.id}' names unknown channel '{case.channel}'",
                fix="see data/channels.yml for the channel ids",
            )
        out += [
            f'<section class="pufa-case" id="p-{case.id}" data-search-exclude markdown>',
            f'<h2 id="p-{case.id}-h">练习 {n}</h2>',
            f'<blockquote class="pufa-case__story"><p>{escape(case.story)}</p></blockquote>',
            "<p>这件事应当走哪个途径？</p>",
            '<ul class="pufa-choices pufa-choices--grid">',
        ]
        out += [
            f'<li><a href="#p-{case.id}-{ch.id}" data-case="{case.id}" data-channel="{ch.id}" '
            f'data-correct="{str(ch.id == case.channel).lower()}">{escape(ch.name)}</a></li>'
            for ch in guides.channels.values()
        ]
        out.append("</ul>")
        for ch in guides.channels.values():
            ok = ch.id == case.channel
            verdict = "✔ 答对了" if ok else f"✘ 不对，应当走“{escape(right.name)}”"
            out += [
                f'<div class="pufa-feedback pufa-feedback--{"right" if ok else "wrong"}" '
                f'id="p-{case.id}-{ch.id}" role="status" markdown="1">',
                f"<p><strong>{verdict}</strong>　{escape(case.why)}</p>",
                "",
                f'<p markdown="1">依据：{_cites(ctx, case.citations)}</p>',
                "",
                "</div>",
            ]
        out.append("</section>")
    out.append("</div>")
    return "\n".join(out)
