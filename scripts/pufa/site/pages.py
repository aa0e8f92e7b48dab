"""Page-level rendering: the statute page header and the checks that span all pages.

Engine-agnostic: takes Markdown text and front matter, returns Markdown. The MkDocs hook is a
thin adapter around ``render_page``.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from ..campaign import directives as _campaign_directives  # noqa: F401  (registers directives)
from ..content.citations import Context, _date, status_badge, statute_page
from ..content.clock import today
from ..content.faq import asks_section, check_body, is_faq, load_faqs, parse_meta
from ..content.faq import render as render_faq
from ..content.flowcheck import check_guides
from ..content.frontmatter import read_front_matter
from ..content.library import Library
from ..content.models import UNVERIFIED, Statute
from ..content.rules import check_rules
from ..errors import PufaError, PufaErrors
from . import blocks  # noqa: F401  (registers the data directives)
from .blocks import _d_excerpts
from .shortcodes import expand
from .svg import reset_ids


def version_line(st: Statute) -> str:
    parts = [f"{_date(st.adopted)}通过"]
    if st.amendments:
        last = st.amendments[-1]
        parts.append(f"{_date(last.date)}{last.event}")
    current = st.current_version_effective or st.effective
    parts.append(
        f"现行文本{_date(current)}起施行" if st.in_force else f"曾于{_date(st.effective)}起施行"
    )
    return "，".join(parts)


def statute_header(ctx: Context, st: Statute) -> str:
    rows = [
        ("制定机关", st.issuer),
        ("类别", st.kind),
        ("文号", st.doc_number or "无"),
        ("通过 / 公布", _date(st.adopted)),
        ("修改", "；".join(f"{_date(a.date)} {a.event}" for a in st.amendments) or "无"),
        ("首次施行", _date(st.effective)),
        ("条文数", f"{st.articles} 条" if isinstance(st.articles, int) else UNVERIFIED),
        ("官方文本", f"[{st.official_source}]({st.official_url})"),
    ]
    if st.status == "已废止":
        rows.insert(6, ("废止", _date(st.repealed_on)))
    lines = [
        f"# {st.title}",
        "",
        f'<p class="pufa-version">{status_badge(st)} <span>{version_line(st)}</span></p>',
        "",
    ]
    if st.status == "已废止" and st.replaced_by:
        new = ctx.lib.statutes[st.replaced_by]
        lines += [
            '!!! danger "本法规已废止，不再有效"',
            f"    国家法律法规数据库将《{st.title}》列为**已废止**。现在办理信访事项，依据的是"
            f"[《{new.title}》]({ctx.link(statute_page(new.slug))})"
            f"（{_date(new.effective)}起施行）。本页内容仅供了解历史。",
            "",
        ]
    if st.reference is None:
        lines += [
            '!!! warning "原文待核对"',
            "    本站没有可以逐字核对的该法规文本，因此本页只作概述、不引用条文。"
            f"具体规定请以{st.official_source}公布的正式文本为准。",
            "",
        ]
    lines += ["| 项目 | 内容 |", "| --- | --- |"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    lines += ["", f"**它是什么：**{st.summary}", "", f"**保护谁：**{st.protects}", ""]
    if st.note:
        lines += ['!!! note "说明"', f"    {st.note}", ""]
    return "\n".join(lines)


def render_page(
    markdown: str,
    meta: dict[str, Any],
    src_path: str,
    lib: Library,
    *,
    file: str | None = None,
    line_offset: int = 0,
) -> str:
    """Expand shortcodes; give statute pages their header and all their excerpts."""
    reset_ids()
    ctx = Context(lib=lib, src_path=src_path, file=file or f"docs/{src_path}")
    stem = PurePosixPath(src_path).stem
    if src_path.startswith("statutes/") and stem != "index" and meta.get("statute") != stem:
        raise PufaError(
            ctx.file,
            f"front matter 'statute' must be '{stem}'",
            key="statute",
            line=2,
            fix="the file name is the content id: make them match",
        )
    if is_faq(src_path):
        faq = parse_meta(meta, ctx.file)
        check_body(markdown, ctx, line_offset)
    try:
        body = expand(markdown, ctx)
    except PufaError as err:
        if err.line:
            err.line += line_offset
        raise
    if is_faq(src_path):
        for case_id in faq.cases:
            if case_id not in lib.cases:
                raise PufaError(
                    ctx.file,
                    f"unknown case '{case_id}'",
                    key="cases",
                    fix="use a file name from data/cases/ (without .yml)",
                )
        links = [(lib.cases[c].title, f"cases/index.md#{c}") for c in faq.cases]
        answer = expand(faq.answer, ctx)  # a registered figure in the answer becomes its link
        return render_faq(faq.model_copy(update={"answer": answer}), body, ctx, links)
    slug = meta.get("statute")
    asks = meta.get("asks")
    if asks is not None:
        if not isinstance(asks, list) or not all(isinstance(a, str) and a for a in asks):
            raise PufaError(
                ctx.file,
                "asks must be a list of phrasings",
                key="asks",
                fix="write asks: as a YAML list of strings",
            )
        body = body.rstrip() + "\n\n" + asks_section(asks)
    if not slug:
        return body
    statute = lib.statutes.get(slug)
    if statute is None:
        raise PufaError(
            ctx.file,
            f"unknown statute slug '{slug}'",
            key="statute",
            fix="use a slug from data/statutes.yml",
        )
    rest = _d_excerpts(ctx, [slug], 0)
    tail = f"\n\n## 本站引用的其他条文\n\n{rest}\n" if rest else ""
    return statute_header(ctx, statute) + "\n" + body + tail


def _cases_named(docs: Path) -> set[str]:
    """Case ids in the ``cases:`` of every FAQ's front matter, valid or not."""
    out: set[str] = set()
    for path in sorted((docs / "faq").glob("*/*.md")):
        try:
            meta, _, _ = read_front_matter(path, copy=False)  # only read
        except yaml.YAMLError:
            continue
        cases = meta.get("cases") if isinstance(meta, dict) else None
        if isinstance(cases, list):
            out.update(c for c in cases if isinstance(c, str))
    return out


def check_pages(lib: Library, docs: Path, *, render: bool = True) -> list[PufaError]:
    """Render every page's shortcodes and check each statute has its page (content id = name).

    With ``render=False`` only the checks that span pages run: `pufa build` leaves rendering to
    the MkDocs hook, which renders each page once and reports the same errors (file and line)."""
    errors: list[PufaError] = []
    for slug in lib.statutes:
        page = docs / statute_page(slug)
        if not page.is_file():
            errors.append(
                PufaError(
                    page,
                    f"statute '{slug}' has no page",
                    fix=f"create {page.relative_to(lib.root)} with front matter 'statute: {slug}'",
                )
            )
    try:
        faqs = load_faqs(docs)
    except (PufaError, PufaErrors) as exc:
        errors.extend(exc.errors if isinstance(exc, PufaErrors) else [exc])
        faqs = {}
    if lib.guides is not None:
        ctx = Context(lib=lib, src_path="guide/index.md", file="data/flows")
        errors.extend(check_guides(lib.guides, ctx))
    errors.extend(check_rules(lib, today()))
    # A FAQ that failed to parse is reported once, above; its cases still count as linked.
    linked = {c for _, meta in faqs.values() for c in meta.cases} | _cases_named(docs)
    for case_id in lib.cases:
        if case_id not in linked:
            errors.append(
                PufaError(
                    f"data/cases/{case_id}.yml",
                    "no FAQ answer links this case",
                    fix="add its id to the cases: list of the matching FAQ",
                )
            )
    if not render:
        return errors
    for path in sorted(docs.rglob("*.md")):
        src = path.relative_to(docs).as_posix()
        file = path.relative_to(lib.root).as_posix()
        try:
            meta, body, offset = read_front_matter(path)
            render_page(body, meta, src, lib, file=file, line_offset=offset)
        except PufaErrors as exc:
            errors.extend(exc.errors)
        except PufaError as exc:
            errors.append(exc)
        except yaml.YAMLError as exc:
            errors.append(broken_front_matter(file, exc))
    return errors


def broken_front_matter(file: str, exc: Exception) -> PufaError:
    return PufaError(
        file, f"broken front matter: {exc}", line=1, fix="fix the YAML between the --- lines"
    )


# `pufa build` sets this to a file path; the MkDocs hook writes the page errors there as JSON, so
# the build reports them (file, line, key, fix) as `pufa check` does, not as MkDocs output.
PAGE_ERRORS_ENV = "PUFA_PAGE_ERRORS"


def write_page_errors(report: Path, errors: list[PufaError]) -> None:
    rows = [
        {"path": e.path, "message": e.message, "line": e.line, "key": e.key, "fix": e.fix}
        for e in errors
    ]
    report.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


def read_page_errors(report: Path) -> list[PufaError]:
    """The page errors a build's hook wrote to ``report``; [] if none."""
    if not report.is_file() or not report.stat().st_size:
        return []
    return [
        PufaError(e["path"], e["message"], line=e["line"], key=e["key"], fix=e["fix"])
        for e in json.loads(report.read_text(encoding="utf-8"))
    ]


# Markdown syntax left as text in a rendered page: a link, an attribute list, bold, or one of
# our shortcodes. It happens when Markdown sits inside raw HTML without markdown="1" on every
# element around it, and a citizen then reads "**[15日](../x.md){ .pufa-rule }**".
_UNRENDERED = re.compile(r"\]\([^)\s]+\)|\{\s*[.#:][\w-][^}]*\}|\*\*[^*\n<>]+\*\*|\[\[[^\]\n]+\]\]")
_NOT_TEXT = re.compile(r"<(script|style|pre|code|textarea)\b.*?</\1>|<!--.*?-->|<[^>]+>", re.S)


def unrendered_markdown(html: str) -> list[str]:
    """Markdown syntax found in the text of a rendered page (tags, code and scripts left out)."""
    return _UNRENDERED.findall(_NOT_TEXT.sub(" ", html))


def unrendered_error(file: str, html: str) -> PufaError | None:
    found = unrendered_markdown(html)
    if not found:
        return None
    return PufaError(
        file,
        f"{len(found)} piece(s) of Markdown left unrendered in the page, "
        f"first: {unescape(found[0])[:80]!r}",
        fix='inside raw HTML, give every element down to the Markdown markdown="1" '
        "(each element on a line of its own), or write that part as HTML",
    )
