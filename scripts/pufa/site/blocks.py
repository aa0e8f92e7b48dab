"""Directives that render data files into pages: time limits, timeline, rota, cases, figures,
FAQ lists, the claim guide. Each is ``[[!name args]]`` on a line of its own, registered in
site.directives."""

from __future__ import annotations

import re
from html import escape

from ..content.citations import (
    Context,
    _date,
    _error,
    _value,
    render_excerpt,
    status_badge,
    statute_page,
)
from ..content.clock import today as _today
from ..content.faq import GROUPS, TOPICS, load_faqs
from ..content.models import WEEKDAYS, Figure, Rule
from ..content.rules import plain, process_stages, resolve, rule_link
from ..errors import PufaError
from .directives import directive
from .guide import render_flow, render_outcome, render_outcome_list, render_practice
from .shortcodes import expand
from .svg import Stage, bar_chart, timeline


def _stages(ctx: Context, line: int) -> list[Rule]:
    stages = process_stages(ctx.lib, "petition", _today())
    if not stages:
        raise PufaError(
            ctx.file,
            "data/rules.yml has no petition stages valid today",
            line=line,
            fix="add the rules with process: petition (信访工作条例 time limits)",
        )
    return stages


def _limit(ctx: Context, rule: Rule, line: int) -> tuple[str, str]:
    """(the limit as a linked figure, the extension as a linked figure or '')."""
    day = _today()
    text = f"{rule.runs_from}起{rule_link(ctx, rule)}内"
    extension = ""
    if rule.extension:
        ext = resolve(ctx, rule.extension, line, day)
        extension = f"最多延长{rule_link(ctx, ext)}"
    return text, extension


def _cite(ctx: Context, citation: str) -> str:
    return expand(f"[[{citation}]]", ctx)


@directive("time-limits")
def d_time_limits(ctx: Context, args: list[str], line: int) -> str:
    rows = ["| 环节 | 由谁办理 | 时限 | 延长 | 依据 |", "| --- | --- | --- | --- | --- |"]
    for s in _stages(ctx, line):
        limit, extension = _limit(ctx, s, line)
        cites = "、".join(_cite(ctx, c) for c in s.citations)
        rows.append(f"| {s.stage} | {s.who} | {limit} | {extension or '—'} | {cites} |")
    return "\n".join(rows)


@directive("timeline")
def d_timeline(ctx: Context, args: list[str], line: int) -> str:
    day = _today()
    stages = []
    for s in _stages(ctx, line):
        limit = s.figure.text
        if s.extension:
            limit += f"（可延长至多{resolve(ctx, s.extension, line, day).figure.text}）"
        article = re.search(r"第.+条", s.citations[0])
        stages.append(Stage(s.stage, s.who, limit, article.group(0) if article else ""))
    return f'<figure class="pufa-figure">{timeline(stages)}</figure>'


@directive("rules")
def d_rules(ctx: Context, args: list[str], line: int) -> str:
    """The register of legal facts in force today, one short section per rule (reads on a phone,
    unlike a wide table; each has an anchor, #rule-<id>)."""
    day = _today()
    out: list[str] = []
    for rule_id in ctx.lib.rules:
        rule = resolve(ctx, rule_id, line, day)
        cites = "、".join(_cite(ctx, c) for c in rule.citations)
        out += [
            f"### {escape(rule.name)} {{#rule-{rule.id}}}",
            "",
            f"**{rule_link(ctx, rule)}**，从{escape(rule.runs_from)}起算。{escape(rule.statement)}",
            "",
        ]
        notes = [*rule.conditions, *rule.exceptions]
        if notes:
            text = "".join(n if n.endswith("。") else n + "。" for n in notes)
            out.append(f"- **注意：**{escape(text)}")
        out += [f"- **错过了：**{escape(rule.if_missed)}", f"- **依据：**{cites}", ""]
    return "\n".join(out)


@directive("lawyers")
def d_lawyers(ctx: Context, args: list[str], line: int) -> str:
    rota = ctx.lib.rota
    if rota is None:
        raise PufaError(ctx.file, "data/lawyers.yml is missing", line=line, fix="add the rota file")
    entries = sorted(rota.entries, key=lambda e: WEEKDAYS.index(e.weekday))
    out = [
        '<div class="pufa-today" data-pufa-today hidden></div>',
        '<table class="pufa-rota">',
        "<caption>律师接访轮值表</caption>",
        '<thead><tr><th scope="col">星期</th><th scope="col">时间</th><th scope="col">律师</th>'
        '<th scope="col">律师事务所</th><th scope="col">类别</th></tr></thead><tbody>',
    ]
    for e in entries:
        day = WEEKDAYS.index(e.weekday) + 1  # ISO weekday, 1 = Monday
        out.append(
            f'<tr data-weekday="{day}"><th scope="row">{e.weekday}</th><td>{_value(e.time)}</td>'
            f"<td>{_value(e.who)}</td><td>{_value(e.firm)}</td><td>{e.kind}</td></tr>"
        )
    out.append("</tbody></table>")
    since = rota.valid_from.isoformat()
    out.append(f'<p class="pufa-note">轮值表自 {since} 起执行。{escape(rota.note)}</p>')
    return "\n".join(out)


@directive("cases")
def d_cases(ctx: Context, args: list[str], line: int) -> str:
    faqs = load_faqs(ctx.lib.root / "docs")
    out = []
    for case_id, case in ctx.lib.cases.items():
        label = (
            '<span class="pufa-status pufa-status--unverified">示例案例</span> '
            "为说明法律规定而编写，并非真实案件"
            if case.illustrative
            else f"来源：{escape(case.source)}"
        )
        related = [
            f"[{meta.title}]({ctx.link(src)})"
            for src, meta in faqs.values()
            if case_id in meta.cases
        ]
        out += [
            f"## {case.title} {{#{case_id}}}",
            "",
            f'<p class="pufa-case-label">{label}</p>',
            "",
            f"**案情：**{expand(case.facts, ctx)}",
            "",
            f"**问题：**{expand(case.question, ctx)}",
            "",
            f"**法律怎么规定：**{expand(case.law, ctx)}",
            "",
            f"**结果：**{expand(case.outcome, ctx)}",
            "",
            f"**启示：**{expand(case.lesson, ctx)}",
            "",
        ]
        if related:
            out += ["**相关问题：**" + "、".join(related), ""]
    return "\n".join(out)


@directive("faq-list")
def d_faq_list(ctx: Context, args: list[str], line: int) -> str:
    if len(args) != 1 or args[0] not in TOPICS:
        raise PufaError(
            ctx.file,
            f"[[!faq-list {' '.join(args)}]]: unknown topic",
            line=line,
            fix=f"use one of: {', '.join(TOPICS)}",
        )
    items = _by_topic(ctx).get(args[0], [])
    if not items:
        return '<p class="pufa-note">这一类问题正在整理中。</p>'
    return "\n".join(
        f"- [**{meta.title}**]({ctx.link(src)})<br>"
        f'<span class="pufa-lead">{escape(plain(ctx.lib, meta.answer, _today()))}</span>'
        for src, meta in items
    )


def _by_topic(ctx: Context) -> dict[str, list]:
    """Answers per topic, most asked first (lower ``order``; unordered last, then by title)."""
    out: dict[str, list] = {}
    for src, meta in load_faqs(ctx.lib.root / "docs").values():
        out.setdefault(src.split("/")[1], []).append((src, meta))
    for items in out.values():
        items.sort(key=lambda item: (item[1].order or 999, item[1].title))
    return out


@directive("faq-groups")
def d_faq_groups(ctx: Context, args: list[str], line: int) -> str:
    """The FAQ index: the citizen groups, each with its topics and their most-asked questions."""
    try:
        top = int(args[0]) if args else 3
    except ValueError:
        raise PufaError(
            ctx.file,
            f"[[!faq-groups {' '.join(args)}]]: expected a number of questions per topic",
            line=line,
            fix="write [[!faq-groups]] or e.g. [[!faq-groups 3]]",
        ) from None
    by_topic = _by_topic(ctx)
    out = []
    for group, topics in GROUPS.items():
        out += [f"## {group}", ""]
        for topic in topics:
            items = by_topic.get(topic, [])
            count = f"（{len(items)}个问题）" if items else "（正在整理）"
            out += [f"### [{TOPICS[topic]}]({ctx.link(f'faq/{topic}/index.md')}) {count}", ""]
            out += [f"- [{meta.title}]({ctx.link(src)})" for src, meta in items[:top]]
            if len(items) > top:
                out.append(f"- [全部{len(items)}个问题 »]({ctx.link(f'faq/{topic}/index.md')})")
            out.append("")
    return "\n".join(out)


@directive("stats")
def d_stats(ctx: Context, args: list[str], line: int) -> str:
    try:
        year = ctx.lib.stats[int(args[0])]
    except (IndexError, ValueError, KeyError):
        raise PufaError(
            ctx.file,
            f"[[!stats {' '.join(args)}]]: no such year in data/stats/",
            line=line,
            fix="use a year that has data/stats/<year>.yml",
        ) from None
    channels = sorted(year.channels, key=lambda f: -f.value)
    by_channel = f"{year.year}年信访事项按渠道分布（件）"
    risk_title = f"{year.year}年矛盾隐患排查和化解（件）"
    share = [(f, f.value / year.total_items) for f in channels]
    out = [
        '<div class="pufa-kpis">',
        f"<p><strong>{year.total_items:,}</strong><span>件信访事项</span></p>",
        f"<p><strong>{year.total_people:,}</strong><span>人次</span></p>",
        f"<p><strong>{year.risks_resolved:,}</strong>"
        f"<span>件矛盾隐患化解（排查 {year.risks_found:,} 件）</span></p>",
        f"<p><strong>{year.stability_assessments:,}</strong><span>项社会稳定风险评估</span></p>",
        "</div>",
        "",
        "### 按渠道分",
        "",
        f'<figure class="pufa-figure">{bar_chart(channels, title=by_channel)}'
        f"<figcaption>{year.year}年信访事项按渠道分布（单位：件）</figcaption></figure>",
        "",
        "| 渠道 | 件数 | 占比 |",
        "| --- | --- | --- |",
    ]
    out += [f"| {f.label} | {f.value:,} | {p:.1%} |" for f, p in share]
    out += [f"| **合计** | **{year.total_items:,}** | 100% |", ""]
    risks = [
        Figure(label="排查", value=year.risks_found),
        Figure(label="化解", value=year.risks_resolved),
    ]
    out += [
        "### 矛盾隐患排查化解",
        "",
        f'<figure class="pufa-figure">{bar_chart(risks, title=risk_title)}'
        f"<figcaption>化解率 {year.risks_resolved / year.risks_found:.1%}</figcaption></figure>",
        "",
        "| 项目 | 件数 |",
        "| --- | --- |",
        f"| 排查矛盾隐患 | {year.risks_found:,} |",
        f"| 化解矛盾隐患 | {year.risks_resolved:,} |",
        f"| 社会稳定风险评估 | {year.stability_assessments:,} |",
        "",
        f"数据来源：{escape(year.source)}。{escape(year.note)}",
    ]
    return "\n".join(out)


@directive("channels")
def d_channels(ctx: Context, args: list[str], line: int) -> str:
    """The office's own petition channels, from data/office.yml (unknown values read 待核实)."""
    rows = ["| 渠道 | 地址、号码或网址 | 怎么做 |", "| --- | --- | --- |"]
    rows += [
        f"| {c.name} | {_value(c.value)} | {expand(c.note, ctx) or '—'} |"
        for c in ctx.lib.office.channels
    ]
    return "\n".join(rows)


def _guides(ctx: Context, line: int):
    if ctx.lib.guides is None:
        raise PufaError(ctx.file, "no guides loaded", line=line, fix="add data/flows/*.yml")
    return ctx.lib.guides


def _one_flow(ctx: Context, name: str, args: list[str], line: int):
    """The guides and the one flow a ``[[!name <flow>]]`` directive names."""
    guides = _guides(ctx, line)
    if len(args) != 1 or args[0] not in guides.flows:
        raise PufaError(
            ctx.file,
            f"[[!{name} {' '.join(args)}]]: unknown flow",
            line=line,
            fix=f"use one of: {', '.join(guides.flows) or '(none)'}",
        )
    return guides, guides.flows[args[0]].flow


@directive("flow")
def d_flow(ctx: Context, args: list[str], line: int) -> str:
    guides, flow = _one_flow(ctx, "flow", args, line)
    return render_flow(flow, guides.channels, ctx)


@directive("outcome")
def d_outcome(ctx: Context, args: list[str], line: int) -> str:
    """An outcome's own page: [[!outcome <flow> <outcome id>]] (docs/guide/<id>.md)."""
    guides = _guides(ctx, line)
    if (
        len(args) != 2
        or args[0] not in guides.flows
        or args[1] not in guides.flows[args[0]].flow.outcomes
    ):
        raise PufaError(
            ctx.file,
            f"[[!outcome {' '.join(args)}]]: unknown flow or outcome",
            line=line,
            fix="write [[!outcome <flow> <outcome id>]] with ids from data/flows/<flow>.yml",
        )
    flow = guides.flows[args[0]].flow
    return render_outcome(args[0], flow, guides.channels, args[1], ctx)


@directive("outcomes")
def d_outcomes(ctx: Context, args: list[str], line: int) -> str:
    """Every outcome of a flow by class, linking to its page: [[!outcomes <flow>]]."""
    guides, flow = _one_flow(ctx, "outcomes", args, line)
    return render_outcome_list(flow, guides.channels, ctx)


@directive("practice")
def d_practice(ctx: Context, args: list[str], line: int) -> str:
    return render_practice(_guides(ctx, line), ctx)


@directive("legal-channels")
def d_legal_channels(ctx: Context, args: list[str], line: int) -> str:
    rows = ["| 途径 | 处理什么 | 依据 |", "| --- | --- | --- |"]
    rows += [
        f"| {c.name} | {c.covers} | {expand(f'[[{c.citation}]]', ctx)} |"
        for c in _guides(ctx, line).channels.values()
        if c.classify
    ]
    return "\n".join(rows)


@directive("kiosk")
def d_kiosk(ctx: Context, args: list[str], line: int) -> str:
    """The kiosk start screen: large tiles, hot questions, topics to tap instead of typing."""
    kiosk = ctx.lib.kiosk
    if kiosk is None:
        raise PufaError(ctx.file, "data/kiosk.yml is missing", line=line, fix="add the kiosk file")
    faqs = {src: meta for src, meta in load_faqs(ctx.lib.root / "docs").values()}
    docs = ctx.lib.root / "docs"
    out = [
        "<div data-pufa-kiosk-start></div>",
        "",
        '<nav class="pufa-tasks pufa-tasks--kiosk" aria-label="我想……" markdown>',
    ]
    for tile in kiosk.tiles:
        if not (docs / tile.page).is_file():
            raise PufaError(
                "data/kiosk.yml",
                f"tile '{tile.label}' points to missing page {tile.page}",
                key="tiles",
                fix="use a page under docs/",
            )
        out.append(f"[{tile.label}<small>{escape(tile.hint)}</small>]({ctx.link(tile.page)})")
    out += ["</nav>", "", "## 大家常问", "", '<div class="pufa-choices" markdown>', ""]
    for src in kiosk.hot_questions:
        if src not in faqs:
            raise PufaError(
                "data/kiosk.yml",
                f"hot question {src} is not a FAQ page",
                key="hot_questions",
                fix="use docs/faq/<topic>/<id>.md paths",
            )
        out.append(f"- [{faqs[src].title}]({ctx.link(src)})")
    out += ["", "</div>", "", "## 点一下就能查", "", '<ul class="pufa-chips">']
    out += [f'<li><a href="?q={escape(t)}">{escape(t)}</a></li>' for t in kiosk.topics]
    out.append("</ul>")
    return "\n".join(out)


@directive("statute-table")
def _d_statute_table(ctx: Context, args: list[str], line: int) -> str:
    rows = [
        "| 法规 | 类别 | 状态 | 现行版本施行 | 本站摘录 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for st in ctx.lib.statutes.values():
        eff = st.current_version_effective or st.effective
        eff_text = _date(eff)
        count = len(ctx.lib.excerpts.get(st.slug, {}))
        rows.append(
            f"| [{st.title}]({ctx.link(statute_page(st.slug))}) | {st.kind} | {status_badge(st)} "
            f"| {eff_text} | {count} 条 |"
        )
    return "\n".join(rows)


@directive("office")
def _d_office(ctx: Context, args: list[str], line: int) -> str:
    o = ctx.lib.office
    fields = [
        ("单位", o.name),
        ("地址", o.address),
        ("邮编", o.postcode),
        ("电话", o.phone),
        ("接待时间", o.hours),
        ("网上信访", o.online),
        ("领导信箱", o.leader_mailbox),
    ]
    rows = ["| 项目 | 内容 |", "| --- | --- |"]
    rows += [f"| {k} | {_value(v)} |" for k, v in fields]
    national = ["", "| 全国性渠道 | 号码或网址 | 说明 |", "| --- | --- | --- |"]
    national += [f"| {c.name} | {_value(c.value)} | {c.note} |" for c in o.national]
    return "\n".join(rows + national)


@directive("excerpts")
def _d_excerpts(ctx: Context, args: list[str], line: int) -> str:
    """Every excerpt of a statute not already shown on this page (keeps every anchor live)."""
    if len(args) != 1 or args[0] not in ctx.lib.statutes:
        raise _error(
            ctx,
            line,
            f"[[!excerpts {' '.join(args)}]]: expects one statute slug",
            "write [[!excerpts <slug>]] with a slug from data/statutes.yml",
        )
    statute = ctx.lib.statutes[args[0]]
    out = []
    for number, excerpt in sorted(ctx.lib.excerpts.get(statute.slug, {}).items()):
        if (statute.slug, number) in ctx.embedded:
            continue
        ctx.embedded.add((statute.slug, number))
        anchor = ctx.src_path == statute_page(statute.slug)
        out.append(render_excerpt(ctx, statute, excerpt, anchor=anchor))
    return "\n\n".join(out)
