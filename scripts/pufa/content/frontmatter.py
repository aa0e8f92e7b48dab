"""YAML front matter of a Markdown page."""

from __future__ import annotations

from typing import Any

import yaml

# libyaml when present (about 10x faster; every page's front matter is read at least once).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """Return (meta, body, number of lines taken by the front matter)."""
    if not text.startswith("---\n"):
        return {}, text, 0
    end = text.find("\n---\n", 4)
    if end < 0:
        return {}, text, 0
    meta = yaml.load(text[4:end], Loader=_Loader) or {}
    head = text[: end + 5]
    return meta, text[end + 5 :], head.count("\n")


def front_matter_lines(text: str) -> int:
    """Lines taken by the front matter, without parsing it (0 if there is none)."""
    if not text.startswith("---\n"):
        return 0
    end = text.find("\n---\n", 4)
    return text[: end + 5].count("\n") if end >= 0 else 0
