"""Precompressed .gz and .br beside each text file, for nginx's gzip_static and brotli_static.

Compression is most of what a build does after rendering (about 2.5 ms of CPU per page). A
cache keyed by content holds every compressed file: a rebuild compresses only what changed,
and the render workers fill it for the pages they write while they have the page in memory
(``warm``), so the build's final pass mostly links files in from the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import brotli
import deflate

from ..fileio import write_atomic

# Brotli quality 8: measured on today's pages, 7 times faster than 9 for 0.4% more bytes
# (80 pages: 0.14 s, 744 KB vs 1.04 s, 741 KB; search shards: 0.09 s vs 0.93 s, the same size);
# 11 is 6 times slower again for 8% less.
BROTLI_QUALITY = 8
# For clients without brotli (Chromium over plain http, the hall's kiosk). libdeflate at level 7
# writes smaller files than zlib-ng at 9, in half the time (a third of the 1,000-page site's
# pages: 89 ms, 2,388,992 B vs 179 ms, 2,396,192 B; the search index: 43 ms, 909,489 B vs
# 111 ms, 921,410 B). Its levels 10-12 save 2-3% more at 5-15 times the time.
GZIP_LEVEL = 7
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ics", ".map"}
MIN_SIZE = 256  # below this, compressing saves too little to be worth a file
CACHE = ".cache/compressed"  # under the project root


def compress(data: bytes) -> tuple[bytes, bytes]:
    # (libdeflate writes the gzip header with no time and no name: the same bytes every build)
    return deflate.gzip_compress(data, GZIP_LEVEL), brotli.compress(data, quality=BROTLI_QUALITY)


# Part of every cache key: other settings or another brotli give other bytes.
_SETTINGS = (
    f"libdeflate gzip {GZIP_LEVEL} (deflate {deflate.__version__}), brotli {BROTLI_QUALITY} "
    f"({brotli.__version__})\n"
).encode()


def cache_key(data: bytes) -> str:
    return hashlib.sha256(_SETTINGS + data).hexdigest()


def _cached(cache: Path, key: str) -> bool:
    return (cache / f"{key}.br").is_file() and (cache / f"{key}.gz").is_file()


def warm(cache: Path, data: bytes, target: Path | None = None) -> None:
    """Put ``data`` compressed into the cache (a render worker, for a page it is writing) and,
    with ``target`` (the file ``data`` is written to), write target.gz/.br as the last pass
    would: it then finds them in place and leaves them."""
    if len(data) < MIN_SIZE:
        return
    key = cache_key(data)
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
    if _cached(cache, key):
        if target is not None:
            _link_variants(cache, key, target)
        return
    gz, br = compress(data)
    cache.mkdir(parents=True, exist_ok=True)
    for suffix, variant in ((".gz", gz), (".br", br)):
        entry = cache / f"{key}{suffix}"
        if target is None:
            # Whole or not at all: another worker may write the same entry at the same time.
            write_atomic(entry, variant)
            continue
        # Written once, beside the page, and linked into the cache: a link appears whole, and
        # one already there (another worker's, of the same bytes) is as good.
        out = target.with_name(target.name + suffix)
        out.unlink(missing_ok=True)
        out.write_bytes(variant)
        try:
            os.link(out, entry)
        except FileExistsError:
            pass
        except OSError:  # the cache on another file system
            write_atomic(entry, variant)


class Beside:
    """Files compressed on other threads as they are written (``add``), each as ``warm`` with a
    target would: .gz and .br beside it, linked into the cache. gzip and brotli let go of the
    GIL, so the thread that writes the files goes on making the next (the search index: its
    postings) meanwhile. Leaving the ``with`` block waits for all and raises the first error."""

    def __init__(self, cache: Path) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.cache = cache
        self._pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
        self._pending: list[Any] = []

    def add(self, path: Path, data: bytes) -> None:
        if path.suffix in COMPRESSIBLE:
            self._pending.append(self._pool.submit(warm, self.cache, data, path))

    def __enter__(self) -> Beside:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            for future in self._pending:
                future.result()
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _link_variants(cache: Path, key: str, path: Path) -> None:
    """path.gz and path.br as the cache entries of ``key``."""
    for suffix in (".gz", ".br"):
        _place(cache / f"{key}{suffix}", path.with_name(path.name + suffix))


def _place(source: Path, target: Path) -> None:
    """``target`` as a hard link to the cache entry (no copy), or a copy across file systems.
    Cache entries are only ever replaced by a rename, never rewritten in place."""
    with contextlib.suppress(OSError):
        if os.path.samefile(source, target):
            return  # linked already (by the render worker that wrote the page)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def precompress(
    site: Path,
    min_size: int = MIN_SIZE,
    cache: Path | None = None,
    since: float | None = None,
    skip: Path | None = None,
    only: Path | None = None,
    used: set[str] | None = None,
) -> int:
    """Write .gz (and .br) beside each text asset, for nginx's gzip_static / brotli_static.

    Files are compressed on every core (in threads); with a cache folder, a file whose content
    is in the cache (an earlier build, or a render worker of this one) is linked from it
    instead, so a rebuild compresses only what changed. Cache entries not used by this build are
    removed, after a run over every file (not ``since``: only files modified after that time, as
    ``time.time()``; not ``skip`` or ``only``: without / only the files under that folder, e.g.
    one still being written). ``used``: a set this run adds the cache keys it used to, for
    ``prune`` after runs over parts.
    """
    from concurrent.futures import ThreadPoolExecutor

    todo: list[tuple[Path, str, bytes]] = []
    count = 0
    used = set() if used is None else used
    for path in sorted((only or site).rglob("*")):
        if path.suffix not in COMPRESSIBLE or not path.is_file():
            continue
        if skip is not None and path.is_relative_to(skip):
            continue
        stat = path.stat()
        if stat.st_size < min_size or (since is not None and stat.st_mtime < since):
            continue
        count += 1
        content = path.read_bytes()  # read once: for the key and, if new, to compress
        key = cache_key(content) if cache else ""
        if cache and _cached(cache, key):
            _link_variants(cache, key, path)
            used.add(key)
        else:
            todo.append((path, key, content))
    # gzip and brotli let go of the GIL while they compress: threads use every core without
    # forking this process (which cost more than the work for the search index's files).
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = list(pool.map(compress, [content for _, _, content in todo]))
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    for (path, key, _), (gz, br) in zip(todo, results, strict=True):
        for suffix, data in ((".gz", gz), (".br", br)):
            target = path.with_name(path.name + suffix)
            if cache:  # written once, into the cache, and linked like an entry found there
                write_atomic(cache / f"{key}{suffix}", data)
                _place(cache / f"{key}{suffix}", target)
            else:
                target.unlink(missing_ok=True)  # it may be a link into a cache
                target.write_bytes(data)
        if cache:
            used.add(key)
    if cache and since is None and skip is None and only is None:
        prune(cache, used)
    return count


def prune(cache: Path, used: set[str]) -> None:
    """Remove the cache entries a build did not use (and what an interrupted write left)."""
    for old in cache.iterdir():
        if old.stem not in used:
            old.unlink(missing_ok=True)


__all__ = ["BROTLI_QUALITY", "COMPRESSIBLE", "Beside", "compress", "precompress", "prune", "warm"]
