"""A jieba user dictionary built from our data, so search keeps legal terms whole.

jieba splits 劳动合同法 into 劳动 / 合同法, while the theme segments a visitor's query against the
index vocabulary, so the two disagree and the statute page is missed. Statute names, excerpt tags
and the terms in data/search_terms.yml are written as single words with a high frequency.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field

from ..content.library import Library
from ..content.models import Strict
from ..content.yamlio import load, validate

FREQUENCY = 100_000  # high enough that jieba keeps the word whole


class SearchTerms(Strict):
    terms: list[str] = Field(default_factory=list)


def terms(lib: Library) -> list[str]:
    words: set[str] = set()
    for statute in lib.statutes.values():
        # Short names only: a full title as one word (中华人民共和国劳动合同法) would hide the
        # short name inside it from prefix matching.
        for name in (statute.short_title, *statute.aliases):
            words.add(re.sub(r"（.*?）|\(.*?\)", "", name))
    for excerpts in lib.excerpts.values():
        for excerpt in excerpts.values():
            words.update(excerpt.tags)
    path = lib.data_dir / "search_terms.yml"
    if path.is_file():
        words.update(validate(load(path), SearchTerms).terms)
    return sorted(w for w in words if len(w) >= 2 and not re.search(r"\s", w))


def write_user_dictionary(lib: Library, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{w} {FREQUENCY}\n" for w in terms(lib)), encoding="utf-8")
    return path
