"""`pufa bench`: measured figures for the built site (reported, not asserted).

Page weight is what a first visit transfers with gzip: the HTML plus every same-origin stylesheet,
script and image it references, counting the precompressed ``.gz`` size where one exists. The
search index is reported on its own, since the search worker fetches it only when search opens.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
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


def plain_mkdocs_seconds(root: Path) -> float:
    """The same pages built by plain MkDocs: no pufa hook, no checks, no post-processing."""
    config = root / ".pufa-bench-mkdocs.yml"
    out = Path(tempfile.mkdtemp(prefix="pufa-plain-"))
    config.write_text("INHERIT: mkdocs.yml\nhooks: []\nstrict: false\n", encoding="utf-8")
    try:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)],
            cwd=root,
            check=True,
            capture_output=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        return time.perf_counter() - started
    finally:
        config.unlink(missing_ok=True)
        shutil.rmtree(out, ignore_errors=True)


LIGHTHOUSE = "lighthouse@12.8.2"  # the newest line that supports Node 20


def lighthouse(root: Path, site: Path, pages: list[str]) -> dict[str, dict[str, int]]:
    """Mobile Lighthouse scores per page, against the site served by nginx with our config."""
    from ..serve.deploy import test_config

    prefix = root / ".cache" / "lighthouse"
    if not (prefix / "node_modules" / ".bin" / "lighthouse").exists():
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(prefix), LIGHTHOUSE],
            check=True,
            capture_output=True,
        )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    conf = test_config(
        site.resolve(),
        Path(tempfile.mkdtemp(prefix="pufa-nginx-")),
        port,
        as_root=os.geteuid() == 0,
    )
    nginx = subprocess.Popen(["nginx", "-c", str(conf), "-e", "stderr"])
    scores: dict[str, dict[str, int]] = {}
    try:
        time.sleep(1)
        for page in pages:
            result = subprocess.run(
                [
                    str(prefix / "node_modules" / ".bin" / "lighthouse"),
                    f"http://127.0.0.1:{port}/{page}",
                    "--quiet",
                    "--output=json",
                    "--only-categories=performance,accessibility,best-practices",
                    "--form-factor=mobile",
                    "--chrome-path=/usr/bin/chromium",
                    "--chrome-flags=--headless --no-sandbox --disable-gpu "
                    "--disable-background-networking --disable-component-update",
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            report = json.loads(result.stdout)
            scores[page or "/"] = {
                k: round(v["score"] * 100) for k, v in report["categories"].items()
            }
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
    return scores


def cmd_bench(args: argparse.Namespace) -> int:
    from .build import build_site
    from .searchindex import measure

    site = args.project / args.site_dir
    started = time.perf_counter()
    build_site(args.root, site)
    seconds = time.perf_counter() - started
    plain = plain_mkdocs_seconds(args.root)
    print(
        f"\nbuild: pufa build {seconds:.1f} s; plain mkdocs build of the same pages "
        f"{plain:.1f} s; ratio {seconds / plain:.2f}"
    )
    print("\n| page | files | raw KB | gzip KB (first view, no search index) |")
    print("| --- | --- | --- | --- |")
    for page in args.pages:
        w = page_weight(site, page)
        print(f"| {w.page} | {w.files} | {w.raw / 1024:.1f} | {w.gzip / 1024:.1f} |")
    sizes = measure(site)
    if sizes:
        print(f"\n{sizes.describe()}")
    if args.lighthouse:
        print(
            "\n| page | performance | accessibility | best practices |\n| --- | --- | --- | --- |"
        )
        for page, s in lighthouse(args.root, site, args.pages).items():
            print(f"| {page} | {s['performance']} | {s['accessibility']} | {s['best-practices']} |")
    return 0


def add_bench_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("bench", help="build and report build time, page weight, index size")
    p.add_argument("--site-dir", default="site")
    p.add_argument(
        "pages", nargs="*", default=["", "statutes/labor-contract-law/", "faq/labor/unpaid-wages/"]
    )
    p.add_argument(
        "--lighthouse",
        action="store_true",
        help=f"also run {LIGHTHOUSE} (npm) in Chromium against nginx",
    )
    p.set_defaults(func=cmd_bench)
