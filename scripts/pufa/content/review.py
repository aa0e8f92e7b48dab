"""The review trail: warnings for pages whose review is old, or older than the law they cite."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from .citations import SHORTCODE, parse_citation
from .clock import today
from .frontmatter import read_front_matter
from .library import Library
from .models import Statute
from .rules import (
    FigureMatchers,
    figure_matchers,
    find_hand_written,
    hand_written_figures,
    repealed_pages,
)


def _stale(file: str, meta: dict, max_age_days: int = 365) -> list[str]:
    """A page whose ``reviewed:`` date is older than a year (a warning, not an error)."""
    reviewed = meta.get("reviewed")
    limit = today() - dt.timedelta(days=max_age_days)
    if isinstance(reviewed, dt.date) and reviewed < limit:
        return [
            f"{file}: reviewed {reviewed} is more than a year old; check the page against "
            "current law and update reviewed:"
        ]
    return []


def _front_matter(path: Path) -> tuple[dict, str, int]:
    try:
        return read_front_matter(path, copy=False)  # only read
    except yaml.YAMLError:
        return {}, "", 0  # reported as an error by the page check


def latest_change(statute: Statute) -> dt.date | None:
    """When the statute last changed: its last revision, or for a repealed one its repeal."""
    dates = [a.date for a in statute.amendments]
    if isinstance(statute.repealed_on, dt.date):
        dates.append(statute.repealed_on)
    return max(dates) if dates else None


def cited_statutes(lib: Library, text: str) -> Iterator[Statute]:
    seen: set[str] = set()
    for match in SHORTCODE.finditer(text):
        body = match.group("body").lstrip(">").strip()
        citation = parse_citation(lib, body)
        statute = citation.statute if citation else lib.statute_by_name(body)
        if statute is not None and statute.slug not in seen:
            seen.add(statute.slug)
            yield statute


def _revised(lib: Library, where: str, reviewed: object, text: str) -> list[str]:
    """A page or case citing a statute revised after it was last reviewed."""
    if not isinstance(reviewed, dt.date):
        return []
    out = []
    for statute in cited_statutes(lib, text):
        changed = latest_change(statute)
        if changed and changed > reviewed:
            out.append(
                f"{where}: cites {statute.short_title}, changed on {changed}, after the "
                f"review of {reviewed}; check it against the current text and update reviewed:"
            )
    return out


def _revised_cases(lib: Library) -> list[str]:
    out = []
    for case_id, case in lib.cases.items():
        text = " ".join((case.facts, case.question, case.law, case.outcome, case.lesson))
        out += _revised(lib, f"data/cases/{case_id}.yml", case.reviewed, text)
    return out


@dataclass
class PageWarnings:
    """What one page under docs/ contributes to the content warnings (a render worker finds
    them while it has the page in hand: ``page_warnings``)."""

    stale: list[str]
    revised: list[str]
    figures: list[str]


def page_warnings(
    lib: Library, path: Path, text: str, matchers: FigureMatchers | None = None
) -> PageWarnings:
    """The warnings of one docs page whose source is ``text``."""
    file = path.relative_to(lib.root).as_posix()
    meta, body, _ = _front_matter(path)
    figures = []
    if file not in repealed_pages(lib):
        figures = [str(h) for h in find_hand_written(lib, text, file, today(), matchers)]
    return PageWarnings(
        _stale(file, meta), _revised(lib, file, meta.get("reviewed"), body), figures
    )


def content_warnings(lib: Library, pages: dict[str, PageWarnings] | None = None) -> list[str]:
    """Everything a build reports without failing: old reviews, reviews older than the law,
    registered figures written by hand. ``pages``: the warnings of docs pages found already
    (by the render workers, keyed by "docs/..." path); the others are read here. The same
    warnings in the same order either way."""
    pages = pages or {}
    day = today()
    matchers = figure_matchers(lib, day)
    found = {}
    for path in sorted((lib.root / "docs").rglob("*.md")):
        file = path.relative_to(lib.root).as_posix()
        found[file] = pages.get(file) or page_warnings(
            lib, path, path.read_text(encoding="utf-8"), matchers
        )
    data = [str(h) for h in hand_written_figures(lib, day, docs=False, matchers=matchers)]
    return [
        *(w for f in found.values() for w in f.stale),
        *(w for f in found.values() for w in f.revised),
        *_revised_cases(lib),
        *(w for f in found.values() for w in f.figures),
        *data,
    ]
