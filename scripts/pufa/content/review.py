"""The review trail: warnings for pages whose review is old, or older than the law they cite."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import yaml

from .citations import SHORTCODE, parse_citation
from .clock import today
from .frontmatter import read_front_matter
from .library import Library
from .models import Statute
from .rules import hand_written_figures


def stale_reviews(docs: Path, *, max_age_days: int = 365) -> list[str]:
    """Pages whose ``reviewed:`` date is older than a year (a warning, not an error)."""
    out = []
    limit = today() - dt.timedelta(days=max_age_days)
    for path in sorted(docs.rglob("*.md")):
        meta, _, _ = _front_matter(path)
        reviewed = meta.get("reviewed")
        if isinstance(reviewed, dt.date) and reviewed < limit:
            out.append(
                f"docs/{path.relative_to(docs).as_posix()}: reviewed {reviewed} is more than "
                "a year old; check the page against current law and update reviewed:"
            )
    return out


def _front_matter(path: Path) -> tuple[dict, str, int]:
    try:
        return read_front_matter(path)
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


def revised_since_review(lib: Library) -> list[str]:
    """Pages and cases that cite a statute revised after they were last reviewed."""
    out = []

    def check(where: str, reviewed: object, text: str) -> None:
        if not isinstance(reviewed, dt.date):
            return
        for statute in cited_statutes(lib, text):
            changed = latest_change(statute)
            if changed and changed > reviewed:
                out.append(
                    f"{where}: cites {statute.short_title}, changed on {changed}, after the "
                    f"review of {reviewed}; check it against the current text and update reviewed:"
                )

    docs = lib.root / "docs"
    for path in sorted(docs.rglob("*.md")):
        meta, body, _ = _front_matter(path)
        check(path.relative_to(lib.root).as_posix(), meta.get("reviewed"), body)
    for case_id, case in lib.cases.items():
        text = " ".join((case.facts, case.question, case.law, case.outcome, case.lesson))
        check(f"data/cases/{case_id}.yml", case.reviewed, text)
    return out


def content_warnings(lib: Library) -> list[str]:
    """Everything a build reports without failing: old reviews, reviews older than the law,
    registered figures written by hand."""
    day = today()
    return [
        *stale_reviews(lib.root / "docs"),
        *revised_since_review(lib),
        *(str(h) for h in hand_written_figures(lib, day)),
    ]
