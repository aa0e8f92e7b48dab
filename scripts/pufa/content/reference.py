"""Read a reference statute collection laid out like ``shared/reference/laws`` and compare quotes.

Layout (see that folder's README): a ``# title`` line, header lines, ``<!-- INFO END -->``, then
headings and articles. Each article starts a line with ``第<numeral>条`` and one space; every
further paragraph is its own block. Comparison applies NFKC and removes all whitespace on both
sides, since the source mixes ASCII and full-width punctuation and has zero-width-space lines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PufaError
from .numerals import from_chinese

_ARTICLE = re.compile(r"^第([零一二三四五六七八九十百千]+)条[ \u3000](.*)$")
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\ufeff]+")


def normalize(text: str) -> str:
    """The form in which a quote and the reference must agree."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


@dataclass
class ReferenceLaw:
    slug: str
    path: Path
    title: str = ""
    header: list[str] = field(default_factory=list)
    articles: dict[int, list[str]] = field(default_factory=dict)

    def paragraphs(self, article: int) -> list[str] | None:
        return self.articles.get(article)


def parse(path: Path) -> ReferenceLaw:
    if not path.is_file():
        raise PufaError(
            path,
            "no such reference text",
            fix=f"use a file name (without .md) from {path.parent}, or check --reference",
        )
    law = ReferenceLaw(slug=path.stem, path=path)
    in_header = False
    current: list[str] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.replace("\u200b", "").strip()
        if not line or line.startswith("<!--"):
            if line == "<!-- INFO END -->":
                in_header = False
            continue
        if line.startswith("# "):
            # A top-level title opens a header block (the civil code has one per book).
            if not law.title:
                law.title = line[2:].strip()
            in_header = True
            current = None
            continue
        if in_header:
            law.header.append(line)
            continue
        if line.startswith("#"):
            current = None
            continue
        match = _ARTICLE.match(line)
        if match:
            number = from_chinese(match.group(1))
            current = [match.group(2).strip()]
            law.articles[number] = current
        elif current is not None:
            current.append(line)
    return law


def load_collection(directory: Path) -> dict[str, ReferenceLaw]:
    if not directory.is_dir():
        raise PufaError(
            directory,
            "reference collection not found (no such directory)",
            fix="pass --reference the folder of statute texts, e.g. ../shared/reference/laws",
        )
    laws = {}
    for path in sorted(directory.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        laws[path.stem] = parse(path)
    return laws


_ASCII_TO_FULL = str.maketrans(
    {"(": "（", ")": "）", ":": "：", ",": "，", ";": "；", "?": "？", "!": "！"}
)


def to_official(paragraph: str) -> str:
    """Undo the source's ASCII punctuation (the official texts use full-width marks)."""
    return paragraph.translate(_ASCII_TO_FULL)
