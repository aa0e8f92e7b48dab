"""YAML front matter of a Markdown page."""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path
from typing import Any

import yaml

# libyaml when present (about 10x faster; every page's front matter is read at least once).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def front_matter_head(text: str) -> str:
    """The front matter block with its two '---' lines ('' if there is none or it is not closed)."""
    if not text.startswith("---\n"):
        return ""
    end = text.find("\n---\n", 4)
    return text[: end + 5] if end >= 0 else ""


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """Return (meta, body, number of lines taken by the front matter)."""
    head = front_matter_head(text)
    if not head:
        return {}, text, 0
    meta = yaml.load(head[4:-5], Loader=_Loader) or {}
    return meta, text[len(head) :], head.count("\n")


def front_matter_lines(text: str) -> int:
    """Lines taken by the front matter, without parsing it (0 if there is none)."""
    return front_matter_head(text).count("\n")


# path -> ((mtime ns, size), parsed): the checks, the directives of other pages and navigation
# all read the same pages' front matter in one build (render workers inherit what the checks
# parsed). Keyed on the file's state, so an edit is read again.
_parsed: dict[str, tuple[tuple[int, int], tuple[dict[str, Any], str, int]]] = {}


def read_front_matter(path: Path, *, copy: bool = True) -> tuple[dict[str, Any], str, int]:
    """split_front_matter of a file, parsed once while the file is unchanged. The front matter
    is a copy each time, as a caller may change it; ``copy=False`` for a caller that only reads
    it (at 5,000 pages the copies cost more than the parse)."""
    stat = path.stat()
    state = (stat.st_mtime_ns, stat.st_size)
    hit = _parsed.get(str(path))
    if hit is None or hit[0] != state:
        hit = (state, split_front_matter(path.read_text(encoding="utf-8")))
        _parsed[str(path)] = hit
    meta, body, lines = hit[1]
    return (deepcopy(meta) if copy else meta), body, lines
