"""`pufa build`: check, build into a fresh folder, then swap it in.

The previous site/ stays intact until a build has fully succeeded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ..errors import PufaError, PufaErrors


def _step(n: int, total: int, text: str) -> None:
    print(f"[{n}/{total}] {text}", flush=True)


def build_site(root: Path, site_dir: Path, *, reference: str | None = None) -> Path:
    from ..campaign.build import copy_into_site
    from ..campaign.paths import default_out
    from ..content.check import compare_excerpts
    from ..content.library import load_library
    from .links import check_links, load_policy
    from .offline import strip_third_party
    from ..content.review import content_warnings
    from .pages import check_pages
    from .searchindex import measure

    started = time.perf_counter()
    _step(1, 4, "checking data, pages and citations")
    lib = load_library(root)
    errors = check_pages(lib, root / "docs")
    if errors:
        raise PufaErrors(errors)
    for warning in content_warnings(lib):
        print(f"warning: {warning}")
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
    _step(2, 4, f"rendering the site with MkDocs (--strict) into {tmp.name}/")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--site-dir",
            str(tmp),
            "--config-file",
            str(root / "mkdocs.yml"),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if proc.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        sys.stderr.write(proc.stdout + proc.stderr)
        raise PufaError(
            "mkdocs.yml",
            f"MkDocs build failed (see messages above); {site_dir.name}/ was left as it was",
            fix="fix the first error shown",
        )

    _step(3, 4, "post-processing: no third-party URLs, .gz for text assets")
    for item in strip_third_party(tmp):
        print(f"  replaced third-party URL in {item}")
    copied = copy_into_site(default_out(root), tmp)
    print(f"  copied {len(copied)} campaign files (previews, zip, ics, mp4) into {tmp.name}/")
    links = check_links(tmp, lib.office.site_url, load_policy(root / "data"))
    problems = [f"broken link {b}" for b in links.broken] + [
        f"link to a host not in data/links.yml: {d}" for d in links.disallowed
    ]
    if problems:
        shutil.rmtree(tmp, ignore_errors=True)
        raise PufaErrors(
            [PufaError(site_dir.name, p, fix="fix the page or the allowlist") for p in problems]
        )
    print(
        f"  links: {links.internal:,} internal and {links.external} external links in "
        f"{links.pages} pages, none broken"
    )
    sizes = measure(tmp)
    if sizes is None:
        raise PufaError(
            "mkdocs.yml",
            "no search index: is the pufa hook configured?",
            fix="list scripts/pufa/site/mkdocs_hooks.py under hooks:",
        )
    count = precompress(tmp, cache=root / ".cache" / "compressed")

    _step(4, 4, f"publishing {tmp.name}/ -> {site_dir.name}/")
    old = site_dir.with_name(f"{site_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    tmp.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)

    pages = sum(1 for _ in site_dir.rglob("*.html"))
    if sizes:
        print(sizes.describe())
    print(
        f"wrote {pages} pages and {count} .gz/.br pairs to {site_dir} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return site_dir


# Brotli quality 9 vs 11 on our search index: 143 KB vs 128 KB, but 20 times faster to build.
BROTLI_QUALITY = 9
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ics", ".map"}


def _compress(path: Path) -> tuple[bytes, bytes]:
    import gzip

    import brotli

    data = path.read_bytes()
    return gzip.compress(data, compresslevel=9, mtime=0), brotli.compress(
        data, quality=BROTLI_QUALITY
    )


def precompress(site: Path, min_size: int = 256, cache: Path | None = None) -> int:
    """Write .gz (and .br) beside each text asset, for nginx's gzip_static / brotli_static.

    Files are compressed on every core; with a cache folder, a file whose content was compressed
    by an earlier build is copied from the cache instead (keyed by content hash), so a rebuild
    compresses only what changed. Cache entries not used by this build are removed.
    """
    import hashlib
    from concurrent.futures import ProcessPoolExecutor

    todo: list[tuple[Path, str]] = []
    count = 0
    used: set[str] = set()
    for path in sorted(site.rglob("*")):
        if path.suffix not in COMPRESSIBLE or not path.is_file():
            continue
        if path.stat().st_size < min_size:
            continue
        count += 1
        key = hashlib.sha256(path.read_bytes()).hexdigest() if cache else ""
        if cache and (cache / f"{key}.br").is_file() and (cache / f"{key}.gz").is_file():
            shutil.copyfile(cache / f"{key}.gz", path.with_name(path.name + ".gz"))
            shutil.copyfile(cache / f"{key}.br", path.with_name(path.name + ".br"))
            used.add(key)
        else:
            todo.append((path, key))
    if len(todo) > 20 and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
            results = list(pool.map(_compress, [p for p, _ in todo], chunksize=16))
    else:
        results = [_compress(p) for p, _ in todo]
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    for (path, key), (gz, br) in zip(todo, results, strict=True):
        path.with_name(path.name + ".gz").write_bytes(gz)
        path.with_name(path.name + ".br").write_bytes(br)
        if cache:
            (cache / f"{key}.gz").write_bytes(gz)
            (cache / f"{key}.br").write_bytes(br)
            used.add(key)
    if cache:
        for old in cache.iterdir():
            if old.stem not in used:
                old.unlink(missing_ok=True)
    return count


def cmd_build(args: argparse.Namespace) -> int:
    build_site(args.root, args.project / args.site_dir, reference=args.reference)
    return 0


def add_build_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("build", help="check and build the site into site/")
    p.add_argument("--site-dir", default="site")
    p.add_argument("--reference", help="also verify excerpts against this collection first")
    p.set_defaults(func=cmd_build)


__all__ = ["build_site", "precompress"]
