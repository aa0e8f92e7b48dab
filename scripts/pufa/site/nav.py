"""Fill navigation sections from folders, so adding a FAQ page needs no config edit.

In a nav list, an entry ``<dir>/index.md`` pulls in the other pages of ``<dir>`` that the nav
does not list elsewhere, ordered by front matter ``order`` and then title.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..content.frontmatter import read_front_matter

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
    meta, _, _ = read_front_matter(path)
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


# --- Section-local navigation -------------------------------------------------------------------
# Each page carries the top level of the site, its own section's path, and the pages of its own
# (sub)section when there are at most LIST_LIMIT of them; every other section is one link to its
# index page, which lists its pages. So a page's HTML does not grow with the site. Works on the
# nav MkDocs built from mkdocs.yml, so adding a nav entry (a statute page, a faq/<topic>/index.md)
# stays an edit of mkdocs.yml as before.

LIST_LIMIT = 40


class LocalNav:
    """What the theme's templates read from ``nav`` (items, homepage), for one page."""

    def __init__(self, nav: Any, items: list[Any]) -> None:
        self._nav = nav
        self.items = items
        self.homepage = nav.homepage

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._nav, name)


def _collapsed(section: Any, cache: dict[int, Any]) -> Any:
    """The section as a link to its index page only (or as it is, if it has no index page)."""
    from mkdocs.structure.nav import Section

    key = id(section)
    if key not in cache:
        first = section.children[0] if section.children else None
        if first is not None and getattr(first, "is_index", False):
            cache[key] = Section(section.title, [first])
        else:
            cache[key] = Section(
                section.title, [_collapsed_item(c, cache) for c in section.children]
            )
    return cache[key]


def _collapsed_item(item: Any, cache: dict[int, Any]) -> Any:
    return _collapsed(item, cache) if getattr(item, "is_section", False) else item


def local_nav(nav: Any, page: Any, cache: dict[int, Any]) -> LocalNav:
    """The navigation one page carries; ``cache`` holds the collapsed sections across pages."""
    from mkdocs.structure.nav import Section

    path: set[int] = set()
    node = getattr(page, "parent", None)
    while node is not None:
        path.add(id(node))
        node = node.parent

    def walk(items: list[Any]) -> list[Any]:
        out = []
        for item in items:
            if not getattr(item, "is_section", False):
                out.append(item)
            elif id(item) in path:
                pages = [c for c in item.children if not getattr(c, "is_section", False)]
                children = walk(
                    [
                        c
                        for c in item.children
                        if getattr(c, "is_section", False)
                        or len(pages) <= LIST_LIMIT
                        or c is page
                        or getattr(c, "is_index", False)
                    ]
                )
                copy = Section(item.title, children)
                copy.active = True
                out.append(copy)
            else:
                out.append(_collapsed(item, cache))
        return out

    return LocalNav(nav, walk(list(nav.items)))
