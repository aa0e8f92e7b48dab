"""The claim guide and the practice cases rendered as pages: one screen per step as in-page
sections (fragments, CSS :target), outcomes that print as a 告知单."""

from __future__ import annotations

from html import escape

from ..content.citations import Context, citation_link, parse_citation
from ..content.flow import Flow, Guides, LegalChannel, Outcome, Step  # noqa: F401
from ..errors import PufaError


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
