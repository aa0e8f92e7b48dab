"""Checks of the claim guide and practice cases against the registry: every node reachable, no
cycles, every answer leads somewhere, every citation names a known article."""

from __future__ import annotations

from ..errors import PufaError
from .citations import Context, parse_citation
from .flow import Guides, LegalChannel, LoadedFlow, paths  # noqa: F401


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
