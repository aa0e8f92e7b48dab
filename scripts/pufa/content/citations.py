"""Citations of statutes and articles: parsing, checking against the registry, and the Markdown
they render to (a link, or the quoted article with its 解读). Expansion of the shortcodes in a
page is site.shortcodes; this module knows nothing of pages or directives."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field

from ..errors import PufaError
from .library import Library
from .models import UNVERIFIED, Excerpt, Statute
from .numerals import from_chinese, to_chinese
from .rawhtml import set_aside

NUM = r"[0-9零一二三四五六七八九十百千]+"
SHORTCODE = re.compile(r"\[\[(?P<body>[^\[\]\n]+)\]\]")
CITATION = re.compile(rf"^(?P<name>.+?)第(?P<article>{NUM})条(?:第(?P<para>{NUM})款)?$")

STATUS_CLASS = {
    "现行有效": "current",
    "已废止": "repealed",
    "已被修改": "amended",
    UNVERIFIED: "unverified",
}


@dataclass
class Citation:
    statute: Statute
    article: int
    paragraph: int | None = None

    @property
    def label(self) -> str:
        text = f"《{self.statute.short_title}》第{to_chinese(self.article)}条"
        if self.paragraph:
            text += f"第{to_chinese(self.paragraph)}款"
        if self.statute.status == "已废止":
            text += "（已废止）"
        return text


@dataclass
class Context:
    """What a page needs to expand its shortcodes."""

    lib: Library
    src_path: str  # docs-relative, POSIX, e.g. "faq/labor.md"
    file: str  # for error messages, e.g. "docs/faq/labor.md"
    embedded: set[tuple[str, int]] = field(default_factory=set)
    citations: list[Citation] = field(default_factory=list)

    def link(self, target: str) -> str:
        """Relative Markdown link from this page to a docs-relative target (with #anchor)."""
        path, _, anchor = target.partition("#")
        if path == self.src_path:
            rel = ""
        else:
            rel = posixpath.relpath(path, posixpath.dirname(self.src_path) or ".")
        return rel + (f"#{anchor}" if anchor else "")


def statute_page(slug: str) -> str:
    return f"statutes/{slug}.md"


def article_anchor(article: int) -> str:
    return f"art-{article}"


def parse_citation(lib: Library, body: str) -> Citation | None:
    match = CITATION.match(body.strip())
    if not match:
        return None
    statute = lib.statute_by_name(match.group("name"))
    if statute is None:
        return None
    para = match.group("para")
    return Citation(
        statute, from_chinese(match.group("article")), from_chinese(para) if para else None
    )


def _error(ctx: Context, line: int, message: str, fix: str) -> PufaError:
    return PufaError(ctx.file, message, line=line, fix=fix)


def resolve_citation(ctx: Context, body: str, line: int) -> Citation:
    citation = parse_citation(ctx.lib, body)
    if citation is None:
        match = CITATION.match(body.strip())
        name = match.group("name") if match else body
        raise _error(
            ctx,
            line,
            f"unknown statute '{name}' in [[{body}]]",
            "use a title, short title or alias from data/statutes.yml",
        )
    count = citation.statute.articles
    if not isinstance(count, int):
        raise _error(
            ctx,
            line,
            f"[[{body}]]: {citation.statute.short_title} has no verified article count",
            "cite the statute page instead, or verify the text and fill in its article count",
        )
    if citation.article > count:
        raise _error(
            ctx,
            line,
            f"[[{body}]]: article {citation.article} is beyond {citation.statute.short_title}'s "
            f"{count} articles",
            "check the article number against the official text",
        )
    ctx.citations.append(citation)
    return citation


def citation_link(ctx: Context, citation: Citation) -> str:
    slug = citation.statute.slug
    if ctx.lib.excerpt(slug, citation.article):
        href = ctx.link(f"{statute_page(slug)}#{article_anchor(citation.article)}")
        return f"[{citation.label}]({href}){{ .pufa-cite }}"
    # Not quoted on this site: link to the statute page, which links the official text.
    href = ctx.link(statute_page(slug))
    title = "本站未摘录此条原文，请查阅官方文本"
    if not href:  # already on that statute's page
        return f'<span class="pufa-cite" title="{title}">{citation.label}</span>'
    return f'[{citation.label}]({href}){{ .pufa-cite title="{title}" }}'


def status_badge(statute: Statute) -> str:
    css = STATUS_CLASS[statute.status]
    text = "状态待核实" if statute.status == UNVERIFIED else statute.status
    return f'<span class="pufa-status pufa-status--{css}">{text}</span>'


def render_excerpt(ctx: Context, statute: Statute, excerpt: Excerpt, *, anchor: bool) -> str:
    """The quoted article with its 解读 and tags, as HTML set aside from Markdown
    (content/rawhtml.py). On its statute's page (``anchor``) the opening tag with the anchor is
    left to the engine, which lists the anchors of a page; elsewhere the heading links to that
    page in Markdown, which the engine turns into the page URL and checks."""
    number = f"第{to_chinese(excerpt.article)}条"
    # Reference blocks count 项 as well as 款, so a block number is not a 款 number: say 节选 only.
    part = "（节选）" if excerpt.paragraphs else ""
    attrs = f' id="{article_anchor(excerpt.article)}"' if anchor else ""
    repealed = statute.status == "已废止"
    css = "pufa-article pufa-article--repealed" if repealed else "pufa-article"
    head = f"《{html.escape(statute.title)}》{number}{part}"
    badge = f" {status_badge(statute)} 仅供了解历史，不是现行规定" if repealed else ""
    body = []
    if anchor:
        body.append(f'<p class="pufa-article__head">{head}{badge}</p>')
    body.append('<blockquote class="pufa-article__text" lang="zh-CN">')
    body.extend(f"<p>{html.escape(p)}</p>" for p in excerpt.lines)
    body.append("</blockquote>")
    body.append(
        f'<p class="pufa-article__plain"><strong>解读</strong> {html.escape(excerpt.plain)}</p>'
    )
    tags = "".join(f'<span class="pufa-tag">{html.escape(t)}</span>' for t in excerpt.tags)
    body.append(f'<p class="pufa-article__tags">{tags}</p>')
    if anchor:
        # The opening tag stays raw HTML outside the comment, where the engine finds the anchor.
        inner = set_aside("\n".join(body))
        return f'<div class="{css}"{attrs}>\n{inner}\n</div>'
    target = ctx.link(f"{statute_page(statute.slug)}#{article_anchor(excerpt.article)}")
    heading = f"[{head}]({target}){badge}\n{{: .pufa-article__head }}"
    return "\n\n".join(
        [set_aside(f'<div class="{css}">'), heading, set_aside("\n".join(body + ["</div>"]))]
    )


def embed(ctx: Context, body: str, line: int) -> str:
    citation = resolve_citation(ctx, body, line)
    statute = citation.statute
    excerpt = ctx.lib.excerpt(statute.slug, citation.article)
    if excerpt is None:
        raise _error(
            ctx,
            line,
            f"[[> {body}]]: no excerpt of this article in data/excerpts/{statute.slug}.yml",
            "add the article's verbatim text there, or cite it inline with [[...]]",
        )
    on_own_page = ctx.src_path == statute_page(statute.slug)
    key = (statute.slug, citation.article)
    anchor = on_own_page and key not in ctx.embedded
    if on_own_page:
        ctx.embedded.add(key)
    return render_excerpt(ctx, statute, excerpt, anchor=anchor)


def _value(value: str) -> str:
    if value == UNVERIFIED:
        return f'<span class="pufa-unverified">{UNVERIFIED}</span>'
    if value.startswith("http"):
        return f"<{value}>"
    return value


def _date(value: object) -> str:
    if value is None:
        return "—"
    if value == UNVERIFIED:
        return UNVERIFIED
    return f"{value.year}年{value.month}月{value.day}日"  # type: ignore[attr-defined]
