"""Link integrity of the built site: every internal link and anchor resolves; external links go
only to hosts in data/links.yml. Works on the HTML itself, so it also covers links that MkDocs
never sees (raw HTML from directives, the claim guide's fragments, theme templates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

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


@dataclass
class _Page(HTMLParser):
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in ("id", "name"):
            if key in a and (key == "id" or tag == "a"):
                self.ids.add(a[key])
        fetched_link = tag == "link" and a.get("rel") not in ("canonical", "alternate")
        if (tag == "a" or fetched_link) and "href" in a:
            self.links.append((tag, a["href"]))
        elif tag in ("script", "img", "source", "iframe") and "src" in a:
            self.links.append((tag, a["src"]))


@dataclass
class LinkReport:
    pages: int = 0
    internal: int = 0
    external: int = 0
    broken: list[str] = field(default_factory=list)
    disallowed: list[str] = field(default_factory=list)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def check_links(site: Path, site_url: str, allowed: set[str]) -> LinkReport:
    report = LinkReport()
    pages = {p: _parse(p) for p in sorted(site.rglob("*.html"))}
    base = urlparse(site_url)
    for path, page in pages.items():
        report.pages += 1
        rel = path.relative_to(site).as_posix()
        page_url = "http://site/" + (
            rel[: -len("index.html")] if rel.endswith("index.html") else rel
        )
        for _tag, href in page.links:
            if href.startswith(("mailto:", "tel:", "javascript:", "data:")):
                continue
            url = urlparse(href)
            if url.scheme in ("http", "https") and url.netloc == base.netloc:
                href = (
                    "/"
                    + url.path[len(base.path) :].lstrip("/")
                    + (f"#{url.fragment}" if url.fragment else "")
                )
                url = urlparse(href)
            if url.scheme in ("http", "https"):
                report.external += 1
                if url.hostname not in allowed:
                    report.disallowed.append(f"{rel}: {href}")
                continue
            report.internal += 1
            target_url = urlparse(urljoin(page_url, href))
            target = site / unquote(target_url.path).lstrip("/")
            if target.is_dir() or target_url.path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                report.broken.append(f"{rel}: {href} (no file {target.relative_to(site)})")
                continue
            fragment = unquote(target_url.fragment)
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if fragment not in ids:
                    report.broken.append(f"{rel}: {href} (no anchor #{fragment})")
    return report
