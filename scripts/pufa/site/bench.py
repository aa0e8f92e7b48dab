"""`pufa bench`: measured figures for the built site (reported, not asserted).

Page weight is what a first visit transfers with gzip: the HTML plus every same-origin stylesheet,
script and image it references, counting the precompressed ``.gz`` size where one exists. The
search index is reported on its own, since the search worker fetches it only when search opens.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

from ..errors import PufaError

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


# Our templates that only pay with the pufa hook (the kept navigation items, site/nav.py):
# without it they fall back to the theme's own, one macro call slower per item, so the plain
# build uses the theme's files instead and is compared as the theme ships.
HOOK_ONLY_TEMPLATES = ("partials/nav-item.html",)


def plain_mkdocs_seconds(root: Path, keep: Path | None = None) -> float:
    """The same pages built by plain MkDocs: no pufa hook, no checks, no post-processing.
    ``keep``: a new folder to build into, left for the caller to remove (see cmd_scale)."""
    config = root / ".pufa-bench-mkdocs.yml"
    out = keep / "site" if keep else Path(tempfile.mkdtemp(prefix="pufa-plain-"))
    templates = out.with_name(out.name + "-overrides")
    shutil.copytree(root / "overrides", templates)
    for name in HOOK_ONLY_TEMPLATES:
        (templates / name).unlink(missing_ok=True)
    config.write_text(
        f"INHERIT: mkdocs.yml\nhooks: []\nstrict: false\ntheme:\n  custom_dir: {templates}\n",
        encoding="utf-8",
    )
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
        if keep is None:
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(templates, ignore_errors=True)


LIGHTHOUSE = "lighthouse@12.8.2"  # the newest line that supports Node 20


def lighthouse(root: Path, site: Path, pages: list[str]) -> dict[str, dict[str, float]]:
    """Mobile Lighthouse scores per page, against the site served by nginx with our config."""
    prefix = root / ".cache" / "lighthouse"
    if not (prefix / "node_modules" / ".bin" / "lighthouse").exists():
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(prefix), LIGHTHOUSE],
            check=True,
            capture_output=True,
        )
    nginx, base = _serve(site)
    scores: dict[str, dict[str, float]] = {}
    try:
        for page in pages:
            for _attempt in (1, 2):  # Chromium sometimes fails to start on a loaded machine
                result = subprocess.run(
                    [
                        str(prefix / "node_modules" / ".bin" / "lighthouse"),
                        f"{base}{page}",
                        "--quiet",
                        "--output=json",
                        "--only-categories=performance,accessibility,best-practices",
                        "--form-factor=mobile",
                        f"--chrome-path={chromium_path()}",
                        "--chrome-flags=--headless --no-sandbox --disable-gpu "
                        "--disable-background-networking --disable-component-update",
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if result.returncode == 0:
                    break
            if result.returncode != 0:
                print(f"lighthouse failed on {page or '/'}: {result.stderr[-300:]}")
                continue
            report = json.loads(result.stdout)
            scores[page or "/"] = {
                k: round(v["score"] * 100) for k, v in report["categories"].items()
            }
            scores[page or "/"]["cls"] = report["audits"]["cumulative-layout-shift"]["numericValue"]
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
    return scores


FIRST_VIEW_PAGES = [
    "",
    "statutes/petition-work-regulations/",
    "statutes/petition-regulations-2005/",
    "faq/labor/unpaid-wages/",
    "faq/",
    "guide/",
    "guide/practice/",
    "petition/",
    "stats/",
    "cases/",
    "campaigns/",
    "campaigns/constitution-week-2026/",
    "kiosk/",
]


def _serve(site: Path):
    """nginx with our production config on a free port; returns (process, base URL)."""
    from ..serve.deploy import require_nginx, test_config

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    conf = test_config(
        site.resolve(),
        Path(tempfile.mkdtemp(prefix="pufa-nginx-")),
        port,
        as_root=os.geteuid() == 0,
    )
    proc = subprocess.Popen([require_nginx("the bench"), "-c", str(conf), "-e", "stderr"])
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return proc, f"http://127.0.0.1:{port}/"


def chromium_path() -> str:
    """The browser the bench drives (PUFA_CHROMIUM, else Debian's), or a clear error."""
    path = os.environ.get("PUFA_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).is_file():
        raise PufaError(
            path,
            "no Chromium here; the bench loads pages in it",
            fix="sudo apt-get install chromium, or set PUFA_CHROMIUM to its path",
        )
    return path


def _browser_tools() -> None:
    """Fail before building when a later step would need a missing tool."""
    from ..serve.deploy import require_nginx

    require_nginx("the bench")
    chromium_path()


@contextlib.contextmanager
def _phone(site: Path) -> Iterator[tuple[Callable[[], Any], str]]:
    """nginx serving ``site`` and headless Chromium; yields (new phone-sized context, base URL).
    Each context starts with an empty cache, as a first visit does."""
    from playwright.sync_api import sync_playwright

    proc, base = _serve(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium_path(),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            try:
                yield (
                    lambda: browser.new_context(
                        viewport={"width": 375, "height": 812}, locale="zh-CN"
                    ),
                    base,
                )
            finally:
                browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _transferred(requests: list[Any]) -> int:
    """Bytes on the wire: compressed bodies plus headers."""
    total = 0
    for request in requests:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    return total


def first_view(site: Path, pages: list[str]) -> dict[str, tuple[int, int]]:
    """What a phone fetches on a first visit to each page, as the browser counts it: every
    response through nginx (HTML, CSS, JS, images, fonts, workers, anything a script loads)
    until the network is idle, transferred bytes (compressed body + headers). Returns
    page -> (requests, bytes)."""
    out: dict[str, tuple[int, int]] = {}
    with _phone(site) as (new_context, base):
        for page in pages:
            context = new_context()
            tab = context.new_page()
            done: list[Any] = []
            tab.on("requestfinished", lambda r, done=done: done.append(r))
            tab.goto(base + page, wait_until="networkidle")
            out[page or "/"] = (len(done), _transferred(done))
            context.close()
    return out


def first_search_seconds(
    site: Path, queries: list[str], *, throttle: float = 4, page: str = "faq/labor/unpaid-wages/"
) -> dict[str, tuple[float, int]]:
    """A first search as a person makes it on a slow phone: a fresh browser (empty cache) on
    ``page`` through nginx, the CPU slowed ``throttle`` times (Chromium's DevTools throttling);
    from the tap on the search button to the top 3 results on screen. Returns query ->
    (seconds, bytes fetched by the search)."""
    out: dict[str, tuple[float, int]] = {}
    with _phone(site) as (new_context, base):
        for query in queries:
            context = new_context()
            tab = context.new_page()
            tab.goto(base + page, wait_until="networkidle")
            fetched: list[Any] = []
            tab.on("requestfinished", lambda r, fetched=fetched: fetched.append(r))
            cdp = context.new_cdp_session(tab)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
            started = tab.evaluate("() => performance.now()")
            tab.locator(".md-header__button[for=__search]").click()
            tab.locator("input.md-search__input").fill(query)
            tab.wait_for_function(
                "() => document.querySelectorAll('li.md-search-result__item').length >= 3",
                timeout=60_000,
            )
            ended = tab.evaluate("() => performance.now()")
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
            tab.wait_for_load_state("networkidle")
            out[query] = ((ended - started) / 1000, _transferred(fetched))
            context.close()
    return out


# --- pufa bench --scale N ... -------------------------------------------------------------------


def make_scaled_project(root: Path, out: Path, pages: int) -> int:
    """A copy of the project in out/ with about ``pages`` pages: the real pages plus FAQ answers
    made from the real ones (each new page takes its body from one answer and its question,
    answer and phrasings from another, so no two pages are the same). Returns the page count."""
    from ..content.frontmatter import split_front_matter

    for name in ("data", "docs", "overrides", "scripts"):
        shutil.copytree(root / name, out / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "mkdocs.yml", out / "mkdocs.yml")
    existing = sum(1 for _ in (out / "docs").rglob("*.md"))
    faqs = [p for p in sorted((out / "docs" / "faq").glob("*/*.md")) if p.name != "index.md"]
    parsed = [(p, *split_front_matter(p.read_text(encoding="utf-8"))[:2]) for p in faqs]
    n = len(parsed)
    for i in range(max(0, pages - existing)):
        body_path, body_meta, body = parsed[i % n]
        _, other, _ = parsed[(i * 7 + 3) % n]
        meta = dict(body_meta)
        meta["title"] = f"{str(other['title']).rstrip('？')}（第{i + 1}问）？"
        meta["answer"] = other.get("answer", meta.get("answer"))
        meta["asks"] = [f"{a}{i + 1}" for a in (other.get("asks") or [])][:6] or meta.get("asks")
        meta["order"] = 1000 + i
        import yaml

        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"
        (body_path.parent / f"{body_path.stem}-v{i + 1}.md").write_text(text + body, "utf-8")
    return max(pages, existing)


def _peak_child_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _child_cpu() -> float:
    """CPU seconds (user and system) of every child process waited for so far, with theirs."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def first_search_bytes(site: Path, query: str) -> int:
    """Compressed bytes the first search for ``query`` fetches: search.js, meta, the shards of
    its terms, the chunks of the 10 results shown (brotli where present, as nginx sends)."""
    from .searchindex import load, score, term_hash, tokens

    def size(path: Path) -> int:
        for ext in (".br", ".gz", ""):
            candidate = path.with_name(path.name + ext)
            if candidate.is_file():
                return candidate.stat().st_size
        return 0

    out = site / "search"
    meta, _docs = load(out)
    files = {site / "assets/javascripts/search.js", out / "meta.json"}
    files |= {out / f"t{term_hash(t) % meta['shards']}.json" for t in tokens(query)}
    files |= {out / f"d{d // meta['chunk']}.json" for d in score(out, meta, query)[:10]}
    return sum(size(f) for f in files)


def _span(values: list[float]) -> str:
    """The median, with the range when there is more than one run."""
    mid = statistics.median(values)
    return f"{mid:.1f}" if len(values) == 1 else f"{mid:.1f} ({min(values):.1f}-{max(values):.1f})"


def cmd_scale(args: argparse.Namespace) -> int:
    import multiprocessing

    _browser_tools()  # the table times the first search in Chromium through nginx
    rows = []
    scratches: list[Path] = []  # removed at the end, after every size (see below)
    try:
        for n in args.scale:
            scratch = Path(tempfile.mkdtemp(prefix=f"pufa-scale-{n}-"))
            scratches.append(scratch)
            source = scratch / "source"
            source.mkdir()
            count = make_scaled_project(args.root, source, n)
            # Runs alternate a cold pufa build with a plain MkDocs build of the same pages, so
            # a machine whose speed drifts (a shared VM) slows both sides alike. Each run builds
            # into new folders and all are removed at the end: on ext4 without a journal (this
            # machine's), files created seconds after thousands were deleted cost more system
            # time (the inode allocator passes over recently deleted inodes), which measured
            # the bench's own clean-up rather than either build.
            seconds: list[float] = []
            plains: list[float] = []
            cpu: list[float] = []  # CPU seconds of the pufa build (all its processes)
            plain_cpu: list[float] = []
            peak = 0.0
            for run in range(max(1, args.repeat)):
                project = scratch / f"project-{run}"
                shutil.copytree(source, project, symlinks=True)
                before = _peak_child_mb()
                used = _child_cpu()
                started = time.perf_counter()
                proc = subprocess.run(
                    [sys.executable, "-m", "pufa.cli", "--root", str(project), "build"],
                    capture_output=True,
                    text=True,
                )
                seconds.append(time.perf_counter() - started)
                cpu.append(_child_cpu() - used)
                if proc.returncode != 0:
                    sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
                    return 1
                if run == 0:  # before any plain MkDocs build of this size (also a child)
                    peak = max(_peak_child_mb(), before)
                used = _child_cpu()
                plains.append(plain_mkdocs_seconds(project, keep=scratch / f"plain-{run}"))
                plain_cpu.append(_child_cpu() - used)
            site = project / "site"
            written = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
            faq = page_weight(site, "faq/labor/unpaid-wages/")
            home = page_weight(site, "")
            search = {q: first_search_bytes(site, q) for q in args.queries}
            timed = first_search_seconds(site, args.queries)
            rows.append(
                (count, seconds, plains, cpu, plain_cpu, peak, written, faq, home, search, timed)
            )
    finally:
        for scratch in scratches:
            shutil.rmtree(scratch, ignore_errors=True)
    print(
        f"\n{multiprocessing.cpu_count()} cores. Times: the median of {max(1, args.repeat)} cold "
        "build(s) (range); ratio: median over median; CPU: user and system seconds of all "
        "processes, medians. Weights are gzip sizes; search is the first search's transfer "
        "(brotli) per query."
    )
    print(
        "| pages | pufa build s | plain mkdocs s | ratio | CPU s, pufa / plain "
        "| peak MB (max child) | written MB | FAQ page KB | home first view KB "
        "| first search KB per query | first search top 3, CPU 4x slower: s (KB fetched) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for count, seconds, plains, cpu, plain_cpu, peak, written, faq, home, search, timed in rows:
        per_query = ", ".join(f"{q} {b / 1024:.0f}" for q, b in search.items())
        per_time = ", ".join(f"{q} {t:.2f} ({b / 1024:.0f})" for q, (t, b) in timed.items())
        ratio = statistics.median(seconds) / statistics.median(plains)
        print(
            f"| {count} | {_span(seconds)} | {_span(plains)} | {ratio:.2f} "
            f"| {statistics.median(cpu):.1f} / {statistics.median(plain_cpu):.1f} | {peak:.0f} "
            f"| {written / 1e6:.1f} | {faq.gzip / 1024:.1f} | {home.gzip / 1024:.1f} "
            f"| {per_query} | {per_time} |"
        )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        growth = statistics.median(last[1]) / statistics.median(first[1])
        print(f"\ntime({last[0]}) / time({first[0]}) = {growth:.1f}")
    return 0


def cmd_campaigns(args: argparse.Namespace) -> int:
    """Cold (empty cache, scratch folder) and cached `pufa campaign build --all`."""
    import os
    import tempfile

    from ..campaign.build import build_campaigns

    with tempfile.TemporaryDirectory(prefix="pufa-bench-campaigns-") as tmp:
        out = Path(tmp)
        rows = []
        for label in ("cold", "cached"):
            report = build_campaigns(args.root, out, progress=False, log=lambda _m: None)
            rows.append((label, report))
    cores = os.cpu_count()
    print(f"\n| campaign build --all ({cores} cores) | s | images drawn | videos encoded |")
    print("| --- | --- | --- | --- |")
    for label, r in rows:
        print(f"| {label} | {r.seconds:.1f} | {r.rendered} | {r.videos_encoded} |")
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    """What `pufa serve` does after an edit to one page: time the page rebuild (the watcher
    adds up to 0.4 s to notice the save)."""
    import os

    from .build import build_site
    from .rebuild import NeedsFullBuild, rebuild_pages

    site = args.project / args.site_dir
    pages = [args.root / "docs" / (p.rstrip("/") or "index") for p in args.pages]
    sources = [
        p.with_suffix(".md") if p.with_suffix(".md").is_file() else p / "index.md" for p in pages
    ]
    print(f"\n| edited page (touched; {os.cpu_count()} cores) | rebuild s |")
    print("| --- | --- |")
    for src in sources:
        os.utime(src)
        try:
            _, seconds = rebuild_pages(args.root, site)
        except NeedsFullBuild:
            build_site(args.root, site)
            os.utime(src)
            _, seconds = rebuild_pages(args.root, site)
        print(f"| {src.relative_to(args.root).as_posix()} | {seconds:.2f} |")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    if args.scale:
        return cmd_scale(args)
    if args.campaigns:
        return cmd_campaigns(args)
    if args.rebuild:
        return cmd_rebuild(args)
    if args.search_time or args.first_view or args.lighthouse:
        _browser_tools()
    if args.search_time:
        site = args.site or args.project / args.site_dir
        print(
            "\n| first search, CPU 4x slower (tap to top 3) | s | KB fetched |\n| --- | --- | --- |"
        )
        for q, (t, b) in first_search_seconds(site, args.queries).items():
            print(f"| {q} | {t:.2f} | {b / 1024:.1f} |")
        return 0
    from .build import build_site
    from .searchindex import measure

    if args.site:
        site = args.site
    else:
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
    if args.first_view:
        print("\n| page (first visit, Chromium via nginx) | requests | transferred KB |")
        print("| --- | --- | --- |")
        for page, (n, size) in first_view(site, FIRST_VIEW_PAGES).items():
            print(f"| {page} | {n} | {size / 1024:.1f} |")
    if args.lighthouse:
        print(
            "\n| page | performance | CLS | accessibility | best practices |\n"
            "| --- | --- | --- | --- | --- |"
        )
        for page, s in lighthouse(args.root, site, args.pages).items():
            print(
                f"| {page} | {s['performance']} | {s['cls']:.3f} | {s['accessibility']} "
                f"| {s['best-practices']} |"
            )
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
    p.add_argument(
        "--first-view",
        action="store_true",
        help="also load each page type in Chromium through nginx and count every byte fetched",
    )
    p.add_argument(
        "--site",
        type=Path,
        help="measure this already built site instead of building (with --first-view/--lighthouse)",
    )
    p.add_argument(
        "--search-time",
        action="store_true",
        help="time the first search of each --queries in Chromium with the CPU 4x slower",
    )
    p.add_argument(
        "--rebuild",
        action="store_true",
        help="time what pufa serve does after an edit: rebuild each given page alone",
    )
    p.add_argument(
        "--campaigns",
        action="store_true",
        help="time a cold and a cached `pufa campaign build --all` in a scratch folder",
    )
    p.add_argument(
        "--scale",
        nargs="+",
        type=int,
        metavar="N",
        help="build N-page sites made from the real content in a scratch folder and print a table",
    )
    p.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="R",
        help="with --scale: build each size R times, alternating with plain MkDocs (medians)",
    )
    p.add_argument(
        "--queries",
        nargs="+",
        default=["工资", "老板欠工资不发", "劳动合同法", "征地补偿标准太低"],
        help="queries whose first-search transfer --scale reports",
    )
    p.set_defaults(func=cmd_bench)
