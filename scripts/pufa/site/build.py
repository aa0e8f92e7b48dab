"""`pufa build`: check, build into a fresh folder, then swap it in.

The previous site/ stays intact until a build has fully succeeded.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import PufaError, PufaErrors
from . import render
from .compress import CACHE, precompress, prune

if TYPE_CHECKING:
    from ..content.library import Library
    from .links import PageLinks
    from .searchindex import IndexSizes


def _step(n: int, total: int, text: str) -> None:
    print(f"[{n}/{total}] {text}", flush=True)


@contextlib.contextmanager
def build_lock(site_dir: Path) -> Iterator[None]:
    """One build at a time per site (`pufa serve` rebuilding while someone runs `pufa build`
    would otherwise share the temporary folder)."""
    import fcntl

    lock = site_dir.with_name(f".{site_dir.name}.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build of {site_dir.name}/ to finish", flush=True)
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build_site(
    root: Path, site_dir: Path, *, reference: str | None = None, workers: int | None = None
) -> Path:
    """Check, render into a temporary folder, post-process, then publish with one rename.
    ``workers``: render processes (default: one per core, site/render.py)."""
    with build_lock(site_dir):
        return _build_site(root, site_dir, reference=reference, workers=workers)


def _draw_codes_ahead(root: Path, stop: Any) -> None:
    """In a process of its own, while `pufa build` checks: the page address codes rendering
    will need (site/kiosk.py prefetch_codes). A cache warmer: any failure only leaves the codes
    to the render processes, so it is silent."""
    try:
        import yaml

        from .kiosk import QR_CACHE, prefetch_codes

        office = yaml.safe_load((root / "data" / "office.yml").read_text(encoding="utf-8"))
        config = (root / "mkdocs.yml").read_text(encoding="utf-8")
        flat = re.search(r"^use_directory_urls:\s*(false|no|off)\b", config, re.M | re.I)
        urls = render.page_urls(root / "docs", str(office["site_url"]), directory_urls=not flat)
        prefetch_codes(root / QR_CACHE, urls, stop.is_set)
    except Exception:  # noqa: BLE001 (see above)
        pass


@contextlib.contextmanager
def codes_ahead(root: Path) -> Iterator[Callable[[], None]]:
    """Draw page codes on another core until the returned ``done`` is called (before the
    render processes start, which read what was drawn). Checks leave a core idle for about half
    a second before rendering; that is most of a 300-page site's codes (1.5 ms each)."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    stop = ctx.Event()
    proc = ctx.Process(target=_draw_codes_ahead, args=(root, stop), daemon=True)
    proc.start()

    def done() -> None:
        stop.set()
        proc.join(timeout=2)  # the code being drawn, then one file written
        if proc.is_alive():
            proc.terminate()
            proc.join()

    try:
        yield done
    finally:
        done()


def _build_site(root: Path, site_dir: Path, *, reference: str | None, workers: int | None) -> Path:
    with codes_ahead(root) as codes_drawn:
        return _checked_build(root, site_dir, reference, workers, codes_drawn)


def _checked_build(
    root: Path,
    site_dir: Path,
    reference: str | None,
    workers: int | None,
    codes_drawn: Callable[[], None],
) -> Path:
    from ..content.check import compare_excerpts
    from ..content.library import load_library
    from ..content.review import content_warnings
    from .pages import check_pages

    started = time.perf_counter()
    _step(1, 4, "checking data, pages and citations")
    lib = load_library(root)
    # Each page is rendered once, by MkDocs; its hook reports bad pages as `pufa check` would.
    errors = check_pages(lib, root / "docs", render=False)
    if errors:
        raise PufaErrors(errors)
    if reference:
        report = compare_excerpts(lib, Path(reference))
        if report.mismatches:
            first = report.mismatches[0]
            raise PufaError(
                f"data/excerpts/{first.slug}.yml",
                f"{len(report.mismatches)} excerpt(s) differ from the reference; "
                f"first: article {first.article}: {first.problem}",
                fix="run pufa check --reference DIR for the diff",
            )

    tmp = site_dir.with_name(f"{site_dir.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    # Any failure from here on (a check, a post-processing step, the swap, Ctrl+C) removes the
    # temporary output; the published site is only ever replaced by one rename.
    try:
        pages = sum(1 for _ in (root / "docs").rglob("*.md"))
        n = render.worker_count(pages, workers)
        _step(
            2,
            4,
            f"rendering {pages} pages with MkDocs (--strict) into {tmp.name}/ "
            f"in {n} process{'es' if n > 1 else ''}",
        )

        early = 0  # files compressed while the index is written, and their cache keys
        done: set[str] = set()

        def meanwhile(handed: render.Handed) -> None:  # while the index is written (render.py)
            nonlocal early
            _step(3, 4, "post-processing: warnings, links, no third-party URLs")
            # The workers found each page's warnings while they had the page in hand.
            pages = {file: found for share in handed("warnings") for file, found in share.items()}
            for warning in content_warnings(lib, pages):
                print(f"warning: {warning}")
            # The render processes read each page's links while they wrote it.
            parsed = {rel: links for share in handed("links") for rel, links in share.items()}
            check_output(root, tmp, lib, site_dir.name, parsed=parsed)
            # Nothing outside search/ changes now: the last pass compresses only the index.
            early = precompress(tmp, cache=root / CACHE, skip=tmp / "search", used=done)

        report = tmp.with_name(f"{tmp.name}.errors.json")
        # Loaded once for every render process, while codes are still drawn on the other core.
        config = render.load_mkdocs_config(root, tmp)
        codes_drawn()  # the render processes read what was drawn
        render.render(root, tmp, lib, report, n, meanwhile, config)
        print("  .gz and .br for text files")
        sizes, count = finish_output(root, tmp, done=(early, done))

        _step(4, 4, f"publishing {tmp.name}/ -> {site_dir.name}/")
        version = publish(tmp, site_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    print(f"  {site_dir.name} -> {version.parent.name}/{version.name}")

    pages = sum(1 for _ in site_dir.rglob("*.html"))
    if sizes:
        print(sizes.describe())
    print(
        f"wrote {pages} pages and {count} .gz/.br pairs to {site_dir} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return site_dir


def check_output(
    root: Path,
    tmp: Path,
    lib: Library,
    name: str,
    *,
    since: float | None = None,
    parsed: dict[str, PageLinks] | None = None,
) -> None:
    """The part of post-processing that needs every page but not the search index: no
    third-party URLs, the campaign files, the link check. A page rebuild (``since``: when it
    started) keeps the campaign files it was copied with. ``parsed``: the links of pages read
    as they were written (links.parse_links), by path in the site."""
    from ..campaign.paths import copy_into_site, default_out
    from .links import check_links, load_policy
    from .offline import strip_third_party

    replaced = strip_third_party(tmp)
    for item in replaced:
        print(f"  replaced third-party URL in {item}")
    if replaced:  # a script renamed for its new content: pages that load it were rewritten
        parsed = None
    if since is None:
        copied = copy_into_site(default_out(root), tmp)
        print(f"  copied {len(copied)} campaign files (previews, zip, ics, mp4) into {tmp.name}/")
    links = check_links(tmp, lib.office.site_url, load_policy(root / "data"), parsed)
    problems = [f"broken link {b}" for b in links.broken] + [
        f"link to a host not in data/links.yml: {d}" for d in links.disallowed
    ]
    if problems:
        raise PufaErrors(
            [PufaError(name, p, fix="fix the page or the allowlist") for p in problems]
        )
    print(
        f"  links: {links.internal:,} internal and {links.external} external links in "
        f"{links.pages} pages, none broken"
    )


def finish_output(
    root: Path,
    tmp: Path,
    *,
    since: float | None = None,
    done: tuple[int, set[str]] | None = None,
) -> tuple[IndexSizes, int]:
    """The rest, once the search index is written too: precompression, the index's sizes, the
    page QR codes the render processes drew (kept for the next build). ``since``: a page
    rebuild's start, only the files it wrote are compressed. ``done``: every file but the index
    is compressed already (how many, with which cache keys)."""
    from .kiosk import QR_CACHE, merge_qr_cache
    from .searchindex import measure

    if done is None:
        count = precompress(tmp, cache=root / CACHE, since=since)
    else:
        count, used = done
        count += precompress(tmp, cache=root / CACHE, only=tmp / "search", used=used)
        prune(root / CACHE, used)
    sizes = measure(tmp)  # after precompress: it reads the .gz files
    if sizes is None:
        raise PufaError(
            "mkdocs.yml",
            "no search index: is the pufa hook configured?",
            fix="list scripts/pufa/site/mkdocs_hooks.py under hooks:",
        )
    merge_qr_cache(root / QR_CACHE)  # what the render processes drew, for the next build
    return sizes, count


KEEP_VERSIONS = 3  # the published site and the two before it, for `pufa rollback`


def versions_dir(site_dir: Path) -> Path:
    return site_dir.with_name(f"{site_dir.name}.versions")


def _swap(site_dir: Path, version: Path) -> None:
    """Point the site_dir symlink at ``version`` with one rename (atomic on POSIX): a web server
    sees the old site or the new one, never none."""
    link = site_dir.with_name(f".{site_dir.name}.link-{os.getpid()}")
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(version, site_dir.parent))
    try:
        os.replace(link, site_dir)
    except BaseException:
        link.unlink(missing_ok=True)
        raise


def publish(tmp: Path, site_dir: Path, *, keep: int = KEEP_VERSIONS) -> Path:
    """Move the finished build into <site>.versions/<timestamp>/ and swap the <site> symlink to
    it. The previous versions stay for `pufa rollback`; older ones are removed."""
    from datetime import datetime

    versions = versions_dir(site_dir)
    versions.mkdir(exist_ok=True)
    version = versions / datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    tmp.rename(version)
    legacy = None
    try:
        if site_dir.exists() and not site_dir.is_symlink():
            # A plain folder from an older build becomes a version (only this once is there a
            # moment without a site).
            legacy = versions / "00000000-000000-000000-legacy"
            shutil.rmtree(legacy, ignore_errors=True)
            site_dir.rename(legacy)
        _swap(site_dir, version)
    except BaseException:
        if legacy is not None and not site_dir.exists():
            legacy.rename(site_dir)
        shutil.rmtree(version, ignore_errors=True)
        raise
    current = version.name
    old = sorted(v for v in versions.iterdir() if v.is_dir() and v.name != current)
    for stale in old[: max(0, len(old) - (keep - 1))]:
        shutil.rmtree(stale, ignore_errors=True)
    return version


def rollback(site_dir: Path) -> Path:
    """Point the site back at the version published before the current one."""
    versions = versions_dir(site_dir)
    if not site_dir.is_symlink():
        raise PufaError(
            site_dir.name,
            "not a published site (no version symlink), nothing to roll back to",
            fix="publish with pufa build first",
        )
    current = Path(os.readlink(site_dir)).name
    older = sorted(
        v for v in versions.iterdir() if v.is_dir() and v.name < current and "." not in v.name
    )
    if not older:
        raise PufaError(
            f"{versions.name}/",
            f"no version older than {current} to roll back to",
            fix="rebuild with pufa build",
        )
    _swap(site_dir, older[-1])
    return older[-1]


def cmd_rollback(args: argparse.Namespace) -> int:
    site_dir = args.project / args.site_dir
    before = Path(os.readlink(site_dir)).name if site_dir.is_symlink() else "?"
    version = rollback(site_dir)
    print(f"{args.site_dir} -> {version.parent.name}/{version.name} (was {before})")
    return 0


def add_rollback_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("rollback", help="point site/ back at the previously published build")
    p.add_argument("--site-dir", default="site")
    p.set_defaults(func=cmd_rollback)


def cmd_build(args: argparse.Namespace) -> int:
    build_site(
        args.root, args.project / args.site_dir, reference=args.reference, workers=args.workers
    )
    return 0


def add_build_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("build", help="check and build the site into site/")
    p.add_argument("--site-dir", default="site")
    p.add_argument("--reference", help="also verify excerpts against this collection first")
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="render with N processes (default: one per core, with at least "
        f"{render.MIN_PAGES_PER_WORKER} pages each)",
    )
    p.set_defaults(func=cmd_build)


__all__ = ["build_site", "precompress", "publish", "rollback"]
