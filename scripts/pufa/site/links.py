"""Link integrity of the built site: every internal link and anchor resolves; external links go
only to hosts in data/links.yml. Works on the HTML itself, so it also covers links that MkDocs
never sees (raw HTML from directives, the claim guide's fragments, theme templates)."""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlparse

from pydantic import Field

from ..content.models import Strict
from ..content.yamlio import load, validate


class AllowedHost(Strict):
    host: str
    name: str


class LinkPolicy(Strict):
    allowed_hosts: list[AllowedHost] = Field(min_length=1)


def load_policy(data: Path) -> set[str]:
    return {h.host for h in validate(load(data / "links.yml"), LinkPolicy).allowed_hosts}


# One pass of regular expressions per page (no HTML parser, no urljoin per link): the theme and
# Markdown write attributes in double quotes; single quotes are accepted too.
_TAG = re.compile(r"<(a|link|script|img|source|iframe)\b([^>]*)>", re.I)
_ATTR = re.compile(r"""\s(href|src|rel|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SKIP = ("mailto:", "tel:", "javascript:", "data:")


@dataclass
class PageLinks:
    """What the check needs of a page: its anchors and what it links or loads."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)


def _parse(path: Path) -> PageLinks:
    return parse_links(path.read_text(encoding="utf-8"))


def parse_links(text: str) -> PageLinks:
    """A page's anchors and links, from its HTML (the render processes read each page they
    write, while they have it, and hand the result to the check: check_links ``parsed``)."""
    page = PageLinks()
    page.ids = {unescape(a or b) for a, b in _ID.findall(text)}
    for tag, attrs in _TAG.findall(text):
        tag = tag.lower()
        a = {m[0].lower(): unescape(m[1] or m[2]) for m in _ATTR.findall(attrs)}
        if tag == "a" and "name" in a:
            page.ids.add(a["name"])
        fetched_link = tag == "link" and a.get("rel") not in ("canonical", "alternate")
        if (tag == "a" or fetched_link) and "href" in a:
            page.links.append((tag, a["href"]))
        elif tag in ("script", "img", "source", "iframe") and "src" in a:
            page.links.append((tag, a["src"]))
    return page


@dataclass
class LinkReport:
    pages: int = 0
    internal: int = 0
    external: int = 0
    broken: list[str] = field(default_factory=list)
    disallowed: list[str] = field(default_factory=list)


def _parse_all(paths: list[Path]) -> list[PageLinks]:
    if len(paths) < 200:
        return [_parse(p) for p in paths]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(_parse, paths, chunksize=64))


def check_links(
    site: Path, site_url: str, allowed: set[str], parsed: dict[str, PageLinks] | None = None
) -> LinkReport:
    """Every page is parsed once; every distinct (target, anchor) is checked once. ``parsed``:
    pages read already, by their path in the site ("faq/index.html"); the others are read
    here."""
    report = LinkReport()
    rels = {p: p.relative_to(site).as_posix() for p in sorted(site.rglob("*.html"))}
    known = dict(parsed or {})
    todo = [p for p, rel in rels.items() if rel not in known]
    known.update((rels[p], page) for p, page in zip(todo, _parse_all(todo), strict=True))
    by_rel = {rel: known[rel] for rel in rels.values()}
    base = urlparse(site_url)
    own = (f"http://{base.netloc}", f"https://{base.netloc}")
    exists: dict[str, str | None] = {}  # site path -> file rel path (None: missing)

    def target_of(path: str) -> str | None:
        if path not in exists:
            rel = path.lstrip("/")
            candidate = site / rel
            if path.endswith("/") or candidate.is_dir():
                rel = (rel.rstrip("/") + "/index.html").lstrip("/")
            exists[path] = rel if (site / rel).is_file() else None
        return exists[path]

    for rel, page in by_rel.items():
        report.pages += 1
        folder = "/" + rel.rpartition("/")[0] + "/" if "/" in rel else "/"
        for _tag, href in page.links:
            if href.startswith(_SKIP):
                continue
            if href.startswith(own):
                url = urlparse(href)
                href = (
                    "/"
                    + url.path[len(base.path) :].lstrip("/")
                    + (f"#{url.fragment}" if url.fragment else "")
                )
            elif "://" in href or href.startswith("//"):
                report.external += 1
                if urlparse(href).hostname not in allowed:
                    report.disallowed.append(f"{rel}: {href}")
                continue
            report.internal += 1
            rest, _, fragment = href.partition("#")
            path = unquote(rest.partition("?")[0])
            if not path:
                target: str | None = rel
            else:
                joined = path if path.startswith("/") else folder + path
                norm = posixpath.normpath(joined) + ("/" if joined.endswith("/") else "")
                target = target_of(norm.replace("//", "/"))
            if target is None:
                report.broken.append(f"{rel}: {href} (no file {path})")
                continue
            fragment = unquote(fragment)
            if fragment and target.endswith(".html"):
                ids = by_rel[target].ids if target in by_rel else _parse(site / target).ids
                if fragment not in ids:
                    report.broken.append(f"{rel}: {href} (no anchor #{fragment})")
    return report
