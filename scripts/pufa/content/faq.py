"""FAQ answers: one page each, checked for shape, with everyday phrasings for search.

A FAQ page is ``docs/faq/<topic>/<id>.md``; the file name is its stable id and URL. Its front
matter holds the question, the one-sentence direct answer, how people actually ask, the date it
was last reviewed and related cases. The body has three sections in this order.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import PufaError, PufaErrors
from .citations import SHORTCODE, Context, parse_citation
from .frontmatter import read_front_matter

SECTIONS = ("怎么办", "法律依据", "哪里可以求助")
ASKS_ANCHOR = "asks"
ASKS_HEADING = "大家常这样问"
CASES_HEADING = "相关案例"
TOPICS = {
    "family": "婚姻家庭和继承",
    "village": "邻里和村务",
    "labor": "劳动和工资",
    "land": "征地拆迁",
    "property": "物业管理",
    "consumer": "消费维权",
    "debt": "借钱和欠款",
    "social-security": "社保和救助",
    "government": "政府信息公开、复议和诉讼",
    "petition": "怎样信访",
    "police": "公安和治安",
    "traffic": "交通事故",
    "courts": "打官司和执行",
}
"""Topic slug -> title; the folder docs/faq/<slug>/ holds its answers."""

GROUPS: dict[str, tuple[str, ...]] = {
    "家庭": ("family",),
    "邻里和村里的事": ("village",),
    "工作": ("labor",),
    "房子和土地": ("land", "property"),
    "买东西和借钱": ("consumer", "debt"),
    "社保和救助": ("social-security",),
    "和政府打交道": ("government", "petition"),
    "公安和法院": ("police", "traffic", "courts"),
}
"""The FAQ index groups topics as a citizen thinks of them; every topic is in exactly one group."""


class FaqMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(description="the question, as a citizen would ask it")
    answer: str = Field(description="one sentence: the direct answer")
    asks: list[str] = Field(min_length=3, description="everyday phrasings, for search")
    reviewed: dt.date
    reviewed_against: str = Field(
        min_length=1, description="what the answer was checked against (texts, their versions)"
    )
    cases: list[str] = []
    description: str | None = None
    order: int | None = None
    search: dict[str, Any] | None = None

    @field_validator("title")
    @classmethod
    def _question(cls, value: str) -> str:
        if not value.rstrip().endswith(("？", "?")):
            raise ValueError("title must be the question, ending with ？")
        return value

    @field_validator("answer")
    @classmethod
    def _one_sentence(cls, value: str) -> str:
        sentences = [s for s in re.split(r"[。！？]", value.strip()) if s.strip()]
        if len(sentences) != 1:
            raise ValueError(f"answer must be one sentence, found {len(sentences)}")
        return value.strip()


def is_faq(src_path: str) -> bool:
    parts = src_path.split("/")
    return len(parts) == 3 and parts[0] == "faq" and parts[1] in TOPICS and parts[2] != "index.md"


def parse_meta(meta: dict[str, Any], file: str) -> FaqMeta:
    try:
        return FaqMeta.model_validate(meta)
    except ValidationError as exc:
        raise PufaErrors(
            [
                PufaError(
                    file,
                    "required field is missing" if e["type"] == "missing" else str(e["msg"]),
                    key=".".join(str(p) for p in e["loc"]) or "front matter",
                    fix='see README.md, section "FAQ answers", or another answer for the format',
                )
                for e in exc.errors()
            ]
        ) from None


def check_body(body: str, ctx: Context, line_offset: int = 0) -> None:
    """The three sections, in order; the legal basis cites quoted (verbatim) excerpts only."""
    headings = [
        (i + 1, m.group(1).strip())
        for i, line in enumerate(body.split("\n"))
        if (m := re.match(r"^##\s+(.+?)\s*(?:\{.*\})?$", line))
    ]
    names = [h for _, h in headings]
    found = [s for s in names if s in SECTIONS]
    if found != list(SECTIONS):
        raise PufaError(
            ctx.file,
            f"sections must be ## {' / ## '.join(SECTIONS)} in this order, found {names}",
            fix="answer in order: what to do, legal basis, where to get help",
        )
    start = next(n for n, h in headings if h == "法律依据")
    end = next(n for n, h in headings if h == "哪里可以求助")
    lines = body.split("\n")[start : end - 1]
    cited = 0
    for offset, line in enumerate(lines, start=start + 1):
        for match in SHORTCODE.finditer(line):
            body_ = match.group("body").lstrip("> ")
            citation = parse_citation(ctx.lib, body_)
            if citation is None:
                continue
            if not ctx.lib.excerpt(citation.statute.slug, citation.article):
                raise PufaError(
                    ctx.file,
                    f"legal basis [[{body_}]] has no verbatim excerpt",
                    line=offset + line_offset,
                    fix=f"add the article to data/excerpts/{citation.statute.slug}.yml",
                )
            cited += 1
    if not cited:
        raise PufaError(
            ctx.file,
            "## 法律依据 cites no article",
            line=start + line_offset,
            fix="cite at least one quoted article, e.g. [[劳动合同法第82条]]",
        )


def render(meta: FaqMeta, body: str, ctx: Context, case_links: list[tuple[str, str]]) -> str:
    """Question as heading, the direct answer first, then the body, cases and phrasings."""
    out = [
        f"# {meta.title}",
        "",
        '<div class="pufa-answer" markdown>',
        f"**简单回答：**{meta.answer}",
        "</div>",
        "",
        body.strip(),
        "",
    ]
    if case_links:
        out += [f"## {CASES_HEADING}", ""]
        out += [f"- [{title}]({ctx.link(target)})" for title, target in case_links]
        out.append("")
    out += [f'<p class="pufa-reviewed">本页内容核对于 {meta.reviewed.isoformat()}</p>', ""]
    out.append(asks_section(meta.asks))
    return "\n".join(out)


def asks_section(asks: list[str]) -> str:
    """How people ask for this page, as a section search can weigh (see searchindex)."""
    return "\n".join([f"## {ASKS_HEADING} {{#{ASKS_ANCHOR}}}", "", *(f"- {a}" for a in asks), ""])


_loaded: dict[Path, tuple[tuple[tuple[str, int, int], ...], dict[str, tuple[str, FaqMeta]]]] = {}
_frozen: set[Path] = set()  # docs folders whose FAQ list is not looked at again (``freeze``)


def load_faqs(docs: Path) -> dict[str, tuple[str, FaqMeta]]:
    """All FAQ answers by id (file name): id -> (docs-relative path, meta).

    Parsed once while no FAQ file changes (the files' sizes and modification times are compared),
    so the many directives that list FAQs in one build share one parse; after ``freeze`` the
    files are not even compared."""
    key = docs.resolve()
    cached = _loaded.get(key)
    if cached and key in _frozen:
        return dict(cached[1])
    paths = sorted((docs / "faq").glob("*/*.md"))
    stamp = tuple((p.as_posix(), (st := p.stat()).st_mtime_ns, st.st_size) for p in paths)
    if cached and cached[0] == stamp:
        return dict(cached[1])
    out = _parse_faqs(docs, paths)
    _loaded[key] = (stamp, out)
    return dict(out)


def freeze(docs: Path) -> None:
    """From now on in this process, ``load_faqs(docs)`` returns the list as loaded now without
    comparing the files again: for a render process of `pufa build`, whose pages are checked
    and listed once before it starts (comparing every answer's file each time a page lists
    answers grew with the site twice over: more pages that list, more files to compare)."""
    load_faqs(docs)
    _frozen.add(docs.resolve())


def _parse_faqs(docs: Path, paths: list[Path]) -> dict[str, tuple[str, FaqMeta]]:
    out: dict[str, tuple[str, FaqMeta]] = {}
    for path in paths:
        src = path.relative_to(docs).as_posix()
        if not is_faq(src):
            continue
        meta, _, _ = read_front_matter(path)
        if path.stem in out:
            raise PufaError(
                f"docs/{src}",
                f"duplicate content id '{path.stem}' (also docs/{out[path.stem][0]})",
                fix="rename one of the two files",
            )
        out[path.stem] = (src, parse_meta(meta, f"docs/{src}"))
    return out
