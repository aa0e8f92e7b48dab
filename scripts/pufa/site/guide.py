"""The claim guide and the practice cases rendered as pages.

The guide is one screen per step as in-page sections (fragments, CSS :target: works without
JavaScript and sends nothing to a server while answering); each outcome screen prints as a
告知单. Every outcome also has its own page, docs/guide/<id>.md (a stub generated from the data
by ``write_outcome_pages``; the page body is the ``[[!outcome <flow> <id>]]`` directive), so site
search finds it by its title, text and ``asks`` and its URL stays stable however the questions
change. The practice page shows each case with the classes as answers and a score per class.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

from ..content.citations import Context, citation_link, parse_citation
from ..content.faq import asks_section
from ..content.flow import Flow, Guides, LegalChannel, Outcome, Step
from ..content.rawhtml import set_aside
from ..errors import PufaError
from .repeats import Repeats
from .shortcodes import expand

UNVERIFIED_NOTE = "待核实"


def _state_id(prefix: tuple[int, ...]) -> str:
    return "g" + "".join(f"-{i + 1}" for i in prefix)


def _cites(ctx: Context, citations: list[str]) -> str:
    links = []
    for text in citations:
        citation = parse_citation(ctx.lib, text)
        assert citation is not None  # checked by check_flow
        links.append(citation_link(ctx, citation))
    return "、".join(links)


def _md(ctx: Context, text: str) -> str:
    """Author text as Markdown: HTML-escaped, shortcodes ([[rule:…]], citations) expanded."""
    return expand(escape(text, quote=False), ctx)


def _paras(ctx: Context, text: str) -> list[str]:
    """Author text as one HTML paragraph per Markdown paragraph, each rendered by md_in_html
    (a blank line inside one ``<p markdown>`` would end the HTML block early)."""
    return [
        f'<p markdown="1">{_md(ctx, para.strip())}</p>'
        for para in re.split(r"\n\s*\n", text.strip())
        if para.strip()
    ]


def outcome_page(out_id: str) -> str:
    """Docs-relative path of an outcome's own page."""
    return f"guide/{out_id}.md"


def _facts(ctx: Context, o: Outcome, channel: LegalChannel, *, full: bool) -> list[str]:
    """The 告知单 body shared by the guide screen and the outcome page (Markdown in HTML)."""
    deadlines = []
    for d in o.deadlines:
        deadlines += [
            '<li markdown="1">',
            f'<p markdown="1">**{_md(ctx, d.text)}**</p>',
            f'<p markdown="1">从何时起算：{_md(ctx, d.runs_from)}；'
            f"错过了：{_md(ctx, d.missed)}</p>",
            "</li>",
        ]
    # Markdown inside HTML is rendered only where every element down to it says markdown="1";
    # each element on a line of its own (md_in_html wraps a line of several in a paragraph).
    if deadlines:
        deadline_html = [
            '<dd markdown="1">',
            '<ul class="pufa-outcome__deadlines" markdown="1">',
            *deadlines,
            "</ul>",
            "</dd>",
        ]
    else:
        deadline_html = ['<dd markdown="1">', *_paras(ctx, o.no_deadline), "</dd>"]
    bring = "".join(f"<li>{escape(b)}</li>" for b in o.bring)
    out = [
        f'<p class="pufa-outcome__channel">应当走的途径：<strong>{escape(channel.name)}</strong>'
        f"（{escape(channel.covers)}）</p>",
        "",
        *_paras(ctx, o.body),
        "",
        '<dl class="pufa-outcome__facts" markdown="1">',
        "<dt>找谁</dt>",
        f"<dd>{escape(o.who)}</dd>",
        "<dt>怎么找到</dt>",
        f"<dd>{escape(o.find)}</dd>",
        "<dt>期限</dt>",
        *deadline_html,
        "<dt>带什么</dt>",
        f"<dd><ul>{bring}</ul></dd>",
        "<dt>接下来</dt>",
        '<dd markdown="1">',
        *_paras(ctx, o.next_steps),
        "</dd>",
        "<dt>免费帮助</dt>",
        "<dd>公共法律服务热线 12348；经济困难的可以申请法律援助。</dd>",
        "</dl>",
        "",
    ]
    if o.unverified:
        items = "；".join(escape(u) for u in o.unverified)
        out += [
            f'<p class="pufa-outcome__unverified"><span class="pufa-unverified">'
            f"{UNVERIFIED_NOTE}</span> 以下内容本站还没有核对到官方文本，请以有关机关的告知为准："
            f"{items}。</p>",
            "",
        ]
    out += [
        f'<p class="pufa-outcome__basis" markdown="1">**法律依据：**{_cites(ctx, o.citations)}</p>',
        "",
        f'<p class="pufa-outcome__reviewed">核对日期：{o.reviewed.isoformat()}；'
        f"核对依据：{escape(o.reviewed_against)}</p>",
        "",
    ]
    return out


def render_flow(flow: Flow, channels: dict[str, LegalChannel], ctx: Context) -> str:
    """All steps of the guide as in-page sections; the start screen comes last (see CSS)."""
    sections: list[str] = []
    start = ""
    rendered: dict[str, str] = {}  # an outcome's facts are the same on every path
    repeats = Repeats()  # ... and rendered by Markdown once

    def walk(node_id: str, prefix: tuple[int, ...], taken: list[Step]) -> None:
        nonlocal start
        sid = _state_id(prefix)
        back = (
            f'<p class="pufa-back"><a href="#{_state_id(prefix[:-1])}">返回上一步</a></p>'
            if prefix
            else ""
        )
        if node_id in flow.outcomes:
            if node_id not in rendered:
                o = flow.outcomes[node_id]
                rendered[node_id] = "\n".join(_facts(ctx, o, channels[o.channel], full=False))
            facts = repeats.place(rendered[node_id])
            sections.append(_outcome(flow, ctx, node_id, sid, back, taken, [facts]))
            return
        node = flow.nodes[node_id]
        parts = [
            f'<section class="pufa-step" id="{sid}" aria-labelledby="{sid}-h" '
            f'data-node="{node_id}" data-search-exclude markdown>',
            back,
            f'<h2 class="pufa-step__q" id="{sid}-h">{escape(node.question)}</h2>',
        ]
        if node.hint:
            parts.append(f'<p class="pufa-step__hint">{escape(node.hint)}</p>')
        parts.append('<ul class="pufa-choices">')
        for i, answer in enumerate(node.answers):
            parts.append(
                f'<li><a href="#{_state_id((*prefix, i))}" data-answer="{answer.id}">'
                f"{escape(answer.label)}</a></li>"
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
    ctx: Context,
    out_id: str,
    sid: str,
    back: str,
    taken: list[Step],
    facts: list[str],
) -> str:
    o = flow.outcomes[out_id]
    summary = []
    for depth, (node_id, i) in enumerate(taken):
        change = _state_id(tuple(a for _, a in taken[:depth]))
        question = escape(flow.nodes[node_id].question)
        summary.append(
            f'<tr><th scope="row">{question}</th>'
            f"<td>{escape(flow.nodes[node_id].answers[i].label)}</td>"
            f'<td><a href="#{change}">更改<span class="pufa-sr">：{question}</span></a></td></tr>'
        )
    page = ctx.link(outcome_page(out_id))
    return "\n".join(
        [
            f'<section class="pufa-step pufa-outcome" id="{sid}" aria-labelledby="{sid}-h" '
            f'data-outcome="{out_id}" data-search-exclude markdown>',
            back,
            f'<h2 class="pufa-step__q" id="{sid}-h">{escape(o.title)}</h2>',
            *facts,
            # Plain HTML, a third of the guide page: set aside from Markdown (content/rawhtml.py)
            set_aside(
                "\n".join(
                    [
                        '<table class="pufa-summary"><caption>您的回答</caption><tbody>',
                        *summary,
                        "</tbody></table>",
                    ]
                )
            ),
            f'<p class="pufa-outcome__end" markdown="1">[单独打开这一项（可收藏、转发）]({page})'
            '　<a href="#g">重新开始</a>　可用浏览器的“打印”功能把本页打印成告知单。</p>',
            "</section>",
        ]
    )


def render_outcome(
    flow_id: str, flow: Flow, channels: dict[str, LegalChannel], out_id: str, ctx: Context
) -> str:
    """An outcome's own page: the 告知单, the quoted articles, how people ask (for search)."""
    o = flow.outcomes[out_id]
    guide = ctx.link("guide/index.md")
    out = [
        f"# {o.title}",
        "",
        f'<div class="pufa-outcome pufa-outcome--page" data-outcome="{out_id}" markdown>',
        "",
        *_facts(ctx, o, channels[o.channel], full=True),
        "</div>",
        "",
        f"不确定是不是您的情况？[从头回答几个问题]({guide})，或者拨打 12348 免费咨询。"
        "可用浏览器的“打印”功能把本页打印成告知单。",
        "",
        "## 法律依据原文",
        "",
    ]
    seen: set[tuple[str, int]] = set()
    for text in o.citations:
        citation = parse_citation(ctx.lib, text)
        assert citation is not None  # checked by check_flow
        key = (citation.statute.slug, citation.article)
        if key in seen:
            continue
        seen.add(key)
        out += [expand(f"[[> {citation.statute.short_title}第{citation.article}条]]", ctx), ""]
    out.append(asks_section(o.asks))
    return "\n".join(out)


def render_outcome_list(flow: Flow, channels: dict[str, LegalChannel], ctx: Context) -> str:
    """Every outcome, grouped by class, linking to its own page."""
    out: list[str] = []
    for channel in channels.values():
        items = [(i, o) for i, o in flow.outcomes.items() if o.channel == channel.id]
        if not items:
            continue
        out += [f"### {channel.name}", "", f"{escape(channel.covers)}", ""]
        out += [f"- [{o.title}]({ctx.link(outcome_page(i))})" for i, o in items]
        out.append("")
    return "\n".join(out)


def outcome_stub(flow_id: str, out_id: str, outcome: Outcome, order: int) -> str:
    """The generated source of docs/guide/<id>.md (front matter for nav and search)."""
    first = outcome.body.split("。")[0] + "。"
    return (
        "---\n"
        f"# Generated from data/flows/{flow_id}.yml by pufa.site.guide.write_outcome_pages;\n"
        "# edit the data, not this file.\n"
        f"title: {json.dumps(outcome.title, ensure_ascii=False)}\n"
        f"description: {json.dumps(first, ensure_ascii=False)}\n"
        f"order: {100 + order}\n"
        "---\n"
        f"[[!outcome {flow_id} {out_id}]]\n"
    )


def expected_outcome_pages(guides: Guides) -> dict[str, str]:
    """docs-relative path -> text of every outcome page."""
    pages: dict[str, str] = {}
    for flow_id, loaded in guides.flows.items():
        for n, (out_id, outcome) in enumerate(loaded.flow.outcomes.items()):
            pages[outcome_page(out_id)] = outcome_stub(flow_id, out_id, outcome, n)
    return pages


def write_outcome_pages(root: Path, guides: Guides) -> list[str]:
    """Write docs/guide/<id>.md for every outcome; remove stale generated ones. Returns changes."""
    docs = root / "docs"
    expected = expected_outcome_pages(guides)
    changed = []
    for rel, text in expected.items():
        path = docs / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(rel)
    for path in sorted((docs / "guide").glob("*.md")):
        rel = path.relative_to(docs).as_posix()
        if rel not in expected and "by pufa.site.guide.write_outcome_pages" in path.read_text(
            encoding="utf-8"
        ):
            path.unlink()
            changed.append(rel)
    return changed


def render_practice(guides: Guides, ctx: Context) -> str:
    """Each case with the classes as answers; feedback on :target (no JS); a score per class."""
    classes = [ch for ch in guides.channels.values() if ch.classify]
    per_class = {ch.id: sum(1 for c in guides.practice if c.channel == ch.id) for ch in classes}
    rows = "".join(
        f'<tr data-class="{ch.id}"><th scope="row">{escape(ch.name)}</th>'
        f"<td data-right>0</td><td data-answered>0</td><td>{per_class[ch.id]}</td></tr>"
        for ch in classes
    )
    out = [
        '<div class="pufa-practice" data-search-exclude markdown>',
        f'<p class="pufa-score" data-pufa-score data-total="{len(guides.practice)}" hidden></p>',
        '<table class="pufa-score-classes" data-pufa-score-classes hidden>'
        '<caption>按途径分的得分</caption><thead><tr><th scope="col">途径</th>'
        '<th scope="col">答对</th><th scope="col">已答</th><th scope="col">题数</th></tr>'
        f"</thead><tbody>{rows}</tbody></table>",
    ]
    repeats = Repeats()  # a case's explanation, the same under each answer: Markdown once
    for n, case in enumerate(guides.practice, start=1):
        right = guides.channels.get(case.channel)
        if right is None:
            raise PufaError(
                ctx.file,
                f"practice case '{case.id}' names unknown channel '{case.channel}'",
                fix="see data/channels.yml for the channel ids",
            )
        why = _md(ctx, case.why)
        basis = "\n".join(
            [
                f'<p markdown="1">依据：{_cites(ctx, case.citations)}</p>',
                "",
                *(
                    [
                        '<p markdown="1">'
                        f"[这类诉求的告知单]({ctx.link(outcome_page(case.outcome))})</p>",
                        "",
                    ]
                    if case.outcome
                    else []
                ),
            ]
        )
        # Plain HTML (the case, its answers, and each answer's feedback once the explanation
        # is Markdown's, under the first) is set aside from Markdown (content/rawhtml.py); the
        # heading stays, for the page's table of contents.
        head = [
            f'<blockquote class="pufa-case__story"><p>{escape(case.story)}</p></blockquote>',
            "<p>这件事应当走哪个途径？</p>",
            '<ul class="pufa-choices pufa-choices--grid">',
        ]
        head += [
            f'<li><a href="#p-{case.id}-{ch.id}" data-case="{case.id}" data-channel="{ch.id}" '
            f'data-class="{case.channel}" '
            f'data-correct="{str(ch.id == case.channel).lower()}">{escape(ch.name)}</a></li>'
            for ch in classes
        ]
        head.append("</ul>")
        out += [
            f'<section class="pufa-case" id="p-{case.id}" data-class="{case.channel}" '
            "data-search-exclude markdown>",
            f'<h2 id="p-{case.id}-h">练习 {n}{"（易错）" if case.trap else ""}</h2>',
            set_aside("\n".join(head)),
        ]
        for ch in classes:
            ok = ch.id == case.channel
            verdict = "✔ 答对了" if ok else f"✘ 不对，应当走“{escape(right.name)}”"
            opening = (
                f'<div class="pufa-feedback pufa-feedback--{"right" if ok else "wrong"}" '
                f'id="p-{case.id}-{ch.id}" role="status"'
            )
            why_here = repeats.place(why, inline=True)
            basis_here = repeats.place(basis)
            if repeats.is_copy(why_here) and repeats.is_copy(basis_here):
                feedback = [
                    f"{opening}>",
                    f"<p><strong>{verdict}</strong>　{why_here}</p>",
                    basis_here.strip("\n"),
                    "</div>",
                ]
                out.append(set_aside("\n".join(feedback)))
                continue
            out += [
                f'{opening} markdown="1">',
                f'<p markdown="1"><strong>{verdict}</strong>　{why_here}</p>',
                "",
                basis_here,
                "</div>",
            ]
        out.append("</section>")
    out.append("</div>")
    return "\n".join(out)
