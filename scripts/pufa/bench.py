"""`pufa bench`: measured figures for the built site (reported, not asserted).

Page weight is what a first visit transfers with gzip: the HTML plus every same-origin stylesheet,
script and image it references, counting the precompressed ``.gz`` size where one exists. The
search index is reported on its own, since the search worker fetches it only when search opens.
"""

from __future__ import annotations

import argparse
import gzip
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlparse

ASSET = re.compile(
    r'<(?:script|img|source)\b[^>]*?\bsrc="([^"]+)"|<link\b[^>]*?\brel="(?:stylesheet|icon|preload|'
    r'modulepreload|manifest)"[^>]*?\bhref="([^"]+)"',
    re.I,
)


@dataclass
class Weight:
    page: str
    files: int
    raw: int
    gzip: int


def _gz_size(path: Path) -> int:
    gz = path.with_name(path.name + ".gz")
    if gz.is_file():
        return gz.stat().st_size
    data = path.read_bytes()
    # Images are already compressed; servers send them as they are.
    if path.suffix in {".png", ".jpg", ".jpeg", ".webp", ".gif", ".ico", ".woff2"}:
        return len(data)
    return len(gzip.compress(data, 9))


def page_weight(site: Path, page: str) -> Weight:
    """Bytes for one page (a site-relative URL path such as '' or 'statutes/')."""
    html_path = site / page / "index.html" if not page.endswith(".html") else site / page
    html = html_path.read_text(encoding="utf-8")
    base = "http://site/" + page
    files = {html_path}
    for match in ASSET.finditer(html):
        url = urljoin(base, match.group(1) or match.group(2))
        parsed = urlparse(url)
        if parsed.netloc != "site":
            continue
        target = site / parsed.path.lstrip("/")
        if target.is_file():
            files.add(target)
    return Weight(
        page or "/",
        len(files),
        sum(f.stat().st_size for f in files),
        sum(_gz_size(f) for f in files),
    )


def cmd_bench(args: argparse.Namespace) -> int:
    from .build import build_site
    from .searchindex import measure

    site = args.root / args.site_dir
    started = time.perf_counter()
    build_site(args.root, site)
    seconds = time.perf_counter() - started
    print(f"\nbuild: {seconds:.1f} s (pufa build, whole site)")
    print("\n| page | files | raw KB | gzip KB |\n| --- | ---: | ---: | ---: |")
    for page in args.pages:
        w = page_weight(site, page)
        print(f"| {w.page} | {w.files} | {w.raw / 1024:.1f} | {w.gzip / 1024:.1f} |")
    sizes = measure(site)
    if sizes:
        print(f"\n{sizes.describe()}")
    return 0


def add_bench_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("bench", help="build and report build time, page weight, index size")
    p.add_argument("--site-dir", default="site")
    p.add_argument(
        "pages", nargs="*", default=["", "statutes/labor-contract-law/", "faq/labor/unpaid-wages/"]
    )
    p.set_defaults(func=cmd_bench)
