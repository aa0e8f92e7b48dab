"""Fill navigation sections from folders, so adding a FAQ page needs no config edit.

In a nav list, an entry ``<dir>/index.md`` pulls in the other pages of ``<dir>`` that the nav
does not list elsewhere, ordered by front matter ``order`` and then title.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..content.frontmatter import split_front_matter

NavItem = str | dict[str, Any]


def _listed(nav: Any) -> set[str]:
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, list):
        return set().union(*(_listed(i) for i in nav)) if nav else set()
    if isinstance(nav, dict):
        return set().union(*(_listed(v) for v in nav.values())) if nav else set()
    return set()


def _sort_key(path: Path) -> tuple[int, str]:
    meta, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
    return (int(meta.get("order") or 999), str(meta.get("title") or path.stem))


def expand_nav(nav: list[NavItem], docs: Path) -> list[NavItem]:
    listed = _listed(nav)

    def walk(items: list[NavItem]) -> list[NavItem]:
        out: list[NavItem] = []
        for item in items:
            if isinstance(item, dict):
                out.append({k: walk(v) if isinstance(v, list) else v for k, v in item.items()})
                continue
            out.append(item)
            if isinstance(item, str) and item.endswith("/index.md"):
                folder = docs / item[: -len("/index.md")]
                extra = [
                    p
                    for p in folder.glob("*.md")
                    if p.name != "index.md" and p.relative_to(docs).as_posix() not in listed
                ]
                out += [p.relative_to(docs).as_posix() for p in sorted(extra, key=_sort_key)]
        return out

    return walk(nav)
