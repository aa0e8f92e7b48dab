"""Fill navigation sections from folders, so adding a FAQ page needs no config edit.

In a nav list, an entry ``<dir>/index.md`` pulls in the other pages of ``<dir>`` that the nav
does not list elsewhere, ordered by front matter ``order`` and then title.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
    meta, _, _ = read_front_matter(path, copy=False)  # only read
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


# --- Rendered navigation kept between pages ------------------------------------------------------
# The theme renders every navigation item of every page with a recursive template macro: half
# of all template time. An item that is not on the current page's path renders the same on every
# page whose links to it come out the same, so overrides/partials/nav-item.html (the theme's
# file, its macro renamed, checked in tests/test_nav.py) asks this cache first.
NAV_CACHE_ENV = "PUFA_NAV_CACHE"  # "0": render every item (tests compare both ways)


def _parts(url: str) -> tuple[str, ...]:
    """A site path as MkDocs compares them (mkdocs.utils.get_relative_url)."""
    path = posixpath.normpath("/" + url)[1:]
    return tuple(path.split("/")) if path else ()


class NavCache:
    """Rendered nav items by (item, checkbox path, level, the folder above the page). Items on
    the current page's path (active) are never cached.

    The theme links an item relative to the page (MkDocs' ``url`` filter): from page folder O
    to address D it writes one ".." per part of O after their common start, then the rest of D.
    Unless D lies in O itself, that common start ends before O's last part, so the links depend
    only on the folder above O. Pages side by side (every answer of a topic) therefore share
    each item's HTML; an item that links into the page's own folder is not cached for it."""

    def __init__(self) -> None:
        self._html: dict[tuple[object, ...], tuple[Any, str]] = {}
        self._prefixes: dict[int, tuple[Any, set[tuple[str, ...]]]] = {}
        self.enabled = os.environ.get(NAV_CACHE_ENV, "1") != "0"

    def _starts(self, item: Any) -> set[tuple[str, ...]]:
        """Every leading part of every site path the item's subtree links to."""
        entry = self._prefixes.get(id(item))
        if entry is None or entry[0] is not item:
            starts: set[tuple[str, ...]] = set()
            stack = [item]
            while stack:
                node = stack.pop()
                url = getattr(node, "url", None)
                if url is not None and not urlsplit(str(url)).netloc:
                    parts = _parts(str(url))
                    starts.update(parts[:i] for i in range(len(parts) + 1))
                stack.extend(getattr(node, "children", None) or ())
            entry = (item, starts)  # kept with the item, so its id is never another's
            self._prefixes[id(item)] = entry
        return entry[1]

    def key(self, item: Any, path: str, level: int, page: Any) -> tuple[object, ...] | None:
        if not self.enabled or page is None or getattr(item, "active", False):
            return None
        folder, _, name = str(page.url).rpartition("/")
        here = _parts(folder if "." in name else str(page.url))  # as get_relative_url does
        if here in self._starts(item):  # it links into the page's own folder (or the root)
            return None
        return (id(item), path, level, here[:-1])

    def get(self, key: tuple[object, ...] | None) -> str | None:
        entry = self._html.get(key) if key is not None else None
        return entry[1] if entry is not None else None

    def keep(self, key: tuple[object, ...] | None, item: Any, html: str) -> str:
        if key is not None:
            self._html[key] = (item, html)
        return html
