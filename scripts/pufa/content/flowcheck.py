"""Checks of the claim guide and practice cases against the registry: every node reachable, no
cycles, every answer leads somewhere, every citation names a quoted article, every outcome has a
deadline line (or says why none applies), every class of claim has an outcome and a practice
case, and no path that names a matter with a legal channel ends at the 信访 outcome."""

from __future__ import annotations

import re

from ..errors import PufaError
from .citations import Context, parse_citation
from .flow import Flow, Guides, LegalChannel, LoadedFlow, paths

# Everyday words that name a matter with a legal channel (the channel in brackets). An answer on
# a path to the 信访 outcome (Flow.last_resort) must not use them: such a claim has a channel.
MATTERS: dict[str, str] = {
    "工资": "劳动仲裁、劳动保障监察",
    "欠薪": "劳动仲裁、劳动保障监察",
    "工伤": "工伤认定、劳动仲裁",
    "职业病": "职业病诊断鉴定",
    "辞退": "劳动仲裁",
    "社保": "社会保险费征收机构",
    "判决": "上诉、再审、执行",
    "裁定": "上诉、再审",
    "判了": "上诉、再审、执行",
    "罚款": "行政复议、行政诉讼",
    "罚单": "行政复议",
    "处罚": "行政复议、行政诉讼",
    "处分": "复审、复核、申诉",
    "拘留": "行政复议、国家赔偿",
    "征收": "行政复议、行政诉讼",
    "征地": "行政复议、行政诉讼",
    "拆迁": "行政复议、行政诉讼",
    "补偿": "行政复议、行政诉讼、民事诉讼",
    "赔偿": "民事诉讼、国家赔偿",
    "合同": "民事诉讼、仲裁",
    "借钱": "民事诉讼",
    "欠钱": "民事诉讼",
    "离婚": "民事诉讼",
    "继承": "民事诉讼",
    "赡养": "民事诉讼",
    "抚养": "民事诉讼",
    "承包": "土地承包仲裁",
    "仲裁": "仲裁、诉讼",
    "信息公开": "政府信息公开、行政复议",
    "物业": "物业主管部门、民事诉讼",
    "污染": "生态环境部门",
    "假货": "市场监管部门",
    "报案": "公安机关",
    "被骗": "公安机关",
}
CATCH_ALL = re.compile(r"以上都不是|都不是|不知道|说不清|其他|别的")
RULE = re.compile(r"\[\[rule:([a-z0-9-]+)\]\]")
HAS_BASIS = re.compile(r"\[\[rule:|待核实|第[0-9一二三四五六七八九十百]+条")


def check_guides(guides: Guides, ctx: Context) -> list[PufaError]:
    errors: list[PufaError] = []
    for loaded in guides.flows.values():
        errors += check_flow(loaded, guides.channels, ctx)
    loc = guides.practice_located
    file = loc.path if loc else "data/practice.yml"
    classes = {c.id for c in guides.channels.values() if c.classify}
    for i, case in enumerate(guides.practice):
        line = loc.line_of(("cases", i)) if loc else None
        if case.channel not in classes:
            errors.append(
                PufaError(
                    file,
                    f"practice case '{case.id}' names unknown channel '{case.channel}'",
                    line=line,
                    key=f"cases[{i}].channel",
                    fix=f"use one of: {', '.join(sorted(classes))}",
                )
            )
        outcomes = {o for f in guides.flows.values() for o in f.flow.outcomes}
        if case.outcome and case.outcome not in outcomes:
            errors.append(
                PufaError(
                    file,
                    f"practice case '{case.id}' names unknown outcome '{case.outcome}'",
                    line=line,
                    key=f"cases[{i}].outcome",
                    fix="use an outcome id from data/flows/*.yml",
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
                        fix="cite an article quoted in data/excerpts/<slug>.yml as 名称第N条",
                    )
                )
    if guides.practice:
        for missing in sorted(classes - {c.channel for c in guides.practice}):
            errors.append(
                PufaError(
                    file,
                    f"no practice case for the class '{missing}'",
                    key="cases",
                    fix="add a case whose channel is that class",
                )
            )
    ids = [c.id for c in guides.practice]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        errors.append(
            PufaError(file, f"duplicate content id '{dup}'", fix="give each case its own id")
        )
    return errors


def _citation_problem(ctx: Context, text: str) -> str | None:
    citation = parse_citation(ctx.lib, text)
    if citation is None:
        return f"unknown statute in '{text}'"
    count = citation.statute.articles
    if not isinstance(count, int) or citation.article > count:
        return f"'{text}' is beyond {citation.statute.short_title}'s articles"
    if ctx.lib.excerpt(citation.statute.slug, citation.article) is None:
        return f"'{text}' is not quoted (no excerpt in data/excerpts/{citation.statute.slug}.yml)"
    return None


def _rules(ctx: Context) -> set[str] | None:
    """Rule ids of the register of legal facts, when it is loaded."""
    rules = getattr(ctx.lib, "rules", None)
    if rules is None:
        return None
    if isinstance(rules, dict):
        return set(rules)
    items = getattr(rules, "rules", rules)
    try:
        return {getattr(r, "id", r) for r in items}
    except TypeError:
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
    if flow.last_resort and flow.last_resort not in flow.outcomes:
        err(
            ("last_resort",),
            f"last_resort '{flow.last_resort}' is not an outcome",
            "name the 信访 outcome",
        )
    for node_id, node in flow.nodes.items():
        seen_ids: set[str] = set()
        for i, answer in enumerate(node.answers):
            if answer.id in seen_ids:
                err(
                    ("nodes", node_id, "answers", i, "id"),
                    f"node '{node_id}': answer id '{answer.id}' is used twice",
                    "give each answer of a question its own id",
                )
            seen_ids.add(answer.id)
            if answer.next not in flow.nodes and answer.next not in flow.outcomes:
                err(
                    ("nodes", node_id, "answers", i, "next"),
                    f"node '{node_id}': next '{answer.next}' points to a missing node",
                    "use the id of a node or outcome in this file",
                )
            if (
                flow.last_resort
                and answer.next == flow.last_resort
                and CATCH_ALL.search(answer.label)
            ):
                err(
                    ("nodes", node_id, "answers", i, "next"),
                    f"node '{node_id}': the catch-all answer '{answer.label}' ends at 信访 "
                    f"('{flow.last_resort}')",
                    "send a catch-all to a question that sorts further, or to free legal advice",
                )
    rule_ids = _rules(ctx)
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
                    "cite an article quoted in data/excerpts/<slug>.yml as 名称第N条",
                )
        if bool(outcome.deadlines) == bool(outcome.no_deadline.strip()):
            err(
                ("outcomes", out_id),
                f"outcome '{out_id}' needs a deadline line: "
                + (
                    "both deadlines and no_deadline are given"
                    if outcome.deadlines
                    else "neither deadlines nor no_deadline"
                ),
                "list each deadline (text with [[rule:<id>]], from, missed), "
                "or say in no_deadline why none applies",
            )
        for i, deadline in enumerate(outcome.deadlines):
            if not HAS_BASIS.search(deadline.text):
                err(
                    ("outcomes", out_id, "deadlines", i, "text"),
                    f"outcome '{out_id}': deadline '{deadline.text}' states no basis",
                    "write the figure as [[rule:<id>]], or name the article (第N条), "
                    "or mark it 待核实",
                )
        if rule_ids is not None:
            texts = [d.text for d in outcome.deadlines] + [outcome.no_deadline, outcome.next_steps]
            for rid in sorted({m for t in texts for m in RULE.findall(t)} - rule_ids):
                err(
                    ("outcomes", out_id),
                    f"outcome '{out_id}': unknown rule '{rid}'",
                    "use a rule id from data/rules.yml",
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
    if errors:
        return errors
    errors += _last_resort_paths(loaded, err)
    classes = {c.id for c in channels.values() if c.classify}
    for missing in sorted(classes - {o.channel for o in flow.outcomes.values()}):
        err(("outcomes",), f"no outcome for the class '{missing}'", "add an outcome in that class")
    return errors


def _last_resort_paths(loaded: LoadedFlow, err) -> list[PufaError]:
    """No path ends at the 信访 outcome when an answer on it names a matter with a channel."""
    flow: Flow = loaded.flow
    if not flow.last_resort:
        return []
    reported: set[tuple[str, int]] = set()
    for taken, outcome in paths(flow):
        if outcome != flow.last_resort:
            continue
        for node_id, i in taken:
            label = flow.nodes[node_id].answers[i].label
            for word, channel in MATTERS.items():
                if word in label and (node_id, i) not in reported:
                    reported.add((node_id, i))
                    err(
                        ("nodes", node_id, "answers", i),
                        f"node '{node_id}': the answer '{label}' names '{word}' (a matter for "
                        f"{channel}) but a path through it ends at 信访 ('{flow.last_resort}')",
                        "route that matter to its legal channel before the 信访 outcome",
                    )
    return []
