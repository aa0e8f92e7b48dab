"""Rendered pages: no Markdown left as text, in the unit and in the whole built site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pufa.site.pages import unrendered_markdown


@pytest.mark.parametrize(
    "html",
    [
        "<p>**从收到之日起15日**</p>",
        '<li>起诉期限为[6个月](../statutes/x.md#art-46){ .pufa-rule title="t" }</li>',
        "<p>见[[rule:admin-suit-deadline]]</p>",
        "<dd>见[第46条](../statutes/x.md)</dd>",
    ],
)
def test_markdown_in_the_text_is_found(html: str) -> None:
    assert unrendered_markdown(html)


@pytest.mark.parametrize(
    "html",
    [
        '<p><strong>从收到之日起<a class="pufa-rule" href="../x/#art-46">15日</a></strong></p>',
        "<pre><code>**not text** [[rule:x]]</code></pre>",
        "<p>如填写<code>[x](y)</code>即可</p>",
        '<a title="**x** [y](z)" href="#">链接</a>',
        "<script>const a = '**x**'; f([1])(2)</script>",
        "<p>____年____月____日（当事人签名）</p>",
        "<p>（一）见本条第[二]款</p>",
    ],
)
def test_rendered_html_and_code_are_not_flagged(html: str) -> None:
    assert unrendered_markdown(html) == []


def test_no_page_of_the_built_site_shows_markdown(built_site: Path) -> None:
    shown = {
        str(p.relative_to(built_site)): found[:2]
        for p in sorted(built_site.rglob("*.html"))
        if (found := unrendered_markdown(p.read_text(encoding="utf-8")))
    }
    assert not shown, shown


def test_guide_deadlines_are_rule_links_to_the_quoted_article(built_site: Path) -> None:
    """Every deadline on the claim guide and on each outcome's own page is rendered: its figure
    is a link to the statute page's article, not Markdown text."""
    pages = [built_site / "guide/index.html", *sorted(built_site.glob("guide/*/index.html"))]
    with_deadlines = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for block in re.findall(r'<ul class="pufa-outcome__deadlines">(.*?)</ul>', html, re.S):
            with_deadlines += 1
            items = re.findall(r"<li>(.*?)</li>", block, re.S)
            assert items, page
            for item in items:
                assert item.lstrip().startswith("<p><strong>"), (page, item[:120])
            for href in re.findall(r'class="pufa-rule" href="([^"]+)"', block):
                assert re.search(r"/statutes/[\w-]+/#art-\d+$", href), (page, href)
    assert with_deadlines >= 40


def test_every_outcome_page_renders_its_deadlines_as_html() -> None:
    """Each outcome's own page, through Python-Markdown with the site's extensions (no MkDocs
    build): no Markdown left as text, and every deadline figure is a rule link."""
    import markdown
    import yaml
    from pufa.content.citations import Context
    from pufa.content.library import load_library
    from pufa.site.guide import render_outcome

    root = Path(__file__).resolve().parents[1]
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    lib = load_library(root)
    checked = 0
    for flow_id, guide in lib.guides.flows.items():
        flow = guide.flow
        for out_id, outcome in flow.outcomes.items():
            ctx = Context(lib=lib, src_path=f"guide/{out_id}.md", file=f"data/flows/{flow_id}.yml")
            text = render_outcome(flow_id, flow, lib.guides.channels, out_id, ctx)
            html = markdown.Markdown(extensions=extensions).convert(text)
            assert unrendered_markdown(html) == [], (out_id, unrendered_markdown(html)[:2])
            if outcome.deadlines:
                block = html.split('class="pufa-outcome__deadlines"', 1)[1].split("</ul>", 1)[0]
                assert 'class="pufa-rule"' in block or "待核实" in block, out_id
                checked += 1
    assert checked >= 30
