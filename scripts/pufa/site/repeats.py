"""Fragments a generated page repeats, rendered by Markdown once and copied after.

The claim guide shows an outcome's 告知单 on every path that reaches it, and the practice page
the same explanation under each of a case's answers: the same Markdown, up to seven times on one
page. Python-Markdown's cost grows with the HTML it walks (these two pages took a quarter of all
Markdown time of the site), so the first copy is rendered between marker comments and each other
copy is a placeholder comment, replaced by the rendered first copy in ``copy_repeats`` once the
page is HTML. A fragment renders the same wherever it stands (no headings, footnotes or ids in
it), so the page is the same as if Markdown had rendered every copy.
"""

from __future__ import annotations

import hashlib
import re

from ..content.rawhtml import restore

_ONCE = re.compile(r"<!--pufa-once:(\w+)-->(\n?)(.*?)\2<!--/pufa-once:\1-->", re.S)
_SAME = re.compile(r"<!--pufa-same:(\w+)-->")


class Repeats:
    """Places fragments in one page's Markdown: the first of each content in full, marked."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def place(self, fragment: str, *, inline: bool = False) -> str:
        """``fragment`` as Markdown for the page. Block fragments (``inline`` false) stand on
        lines of their own, with the blank lines around them kept; inline ones inside a
        paragraph. Keys are the content's digest, so two directives on one page cannot mix up
        their fragments."""
        core = fragment if inline else fragment.strip("\n")
        if not core.strip():
            return fragment
        key = hashlib.blake2b(core.encode("utf-8"), digest_size=8).hexdigest()
        lead, trail = ("", "") if inline else fragment.partition(core)[::2]
        if key in self._seen:
            return f"{lead}<!--pufa-same:{key}-->{trail}"
        self._seen.add(key)
        sep = "" if inline else "\n"
        return f"{lead}<!--pufa-once:{key}-->{sep}{core}{sep}<!--/pufa-once:{key}-->{trail}"

    @staticmethod
    def is_copy(placed: str) -> bool:
        """Whether ``placed`` (what ``place`` returned) is only a placeholder for a copy: plain
        HTML then, which may be set aside from Markdown (content/rawhtml.py)."""
        return _SAME.fullmatch(placed.strip("\n")) is not None


class LostFragment(ValueError):
    """A placeholder whose first copy Markdown did not leave between its markers."""


def copy_repeats(html: str) -> str:
    """The page's HTML with every placeholder replaced by its fragment and the markers gone."""
    if "<!--pufa-once:" not in html and "<!--pufa-same:" not in html:
        return html
    rendered: dict[str, str] = {}

    def keep(match: re.Match[str]) -> str:
        rendered[match[1]] = match[3]
        return match[3]

    def copy(match: re.Match[str]) -> str:
        if match[1] not in rendered:
            raise LostFragment(f"a repeated part of the page lost its first copy ({match[1]})")
        return rendered[match[1]]

    return _SAME.sub(copy, _ONCE.sub(keep, html))


def after_markdown(html: str) -> str:
    """What a page's HTML needs once Markdown has run: the HTML set aside from Markdown put
    back (content/rawhtml.py), then each repeated fragment copied in (set-aside HTML may hold
    a copy's placeholder; a fragment never holds set-aside HTML that is not back by then)."""
    return copy_repeats(restore(html))
