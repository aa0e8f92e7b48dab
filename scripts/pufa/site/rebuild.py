"""Rebuild only the pages that were edited, for `pufa serve` (a full build takes 8-10 s).

A copy of the published version is updated with MkDocs' dirty mode in this process (only
pages whose source is newer than their HTML are rendered; the hook keeps the other pages'
titles and search entries), post-processed like a full build and published with the same
atomic swap, so the served site is never half-updated. Only edits to a page's text take this
path: what other pages show of a page (its front matter: title, answer) changes by the full
build (`serve/live.py` decides).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import shutil
import sys
import time
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from pathlib import Path

from ..errors import PufaError, PufaErrors
from . import buildstate

NO_SAVED_SEARCH = "no saved search entries for this site"  # the hook's words


class NeedsFullBuild(Exception):
    """The change cannot be applied page by page (no published site, no saved search data)."""


# Media no step rewrites are linked into the copy, not copied.
LINKED = {".mp4", ".zip", ".png", ".jpg", ".jpeg", ".webp", ".woff", ".woff2"}
# So are files every step replaces (unlinks first) instead of writing into: the .gz/.br that
# precompress linked into its cache, and the search index (searchindex.Index.write). A file
# written in place here would change the published version too (tests/test_live.py compares
# it before and after; MkDocs' own sitemap.xml.gz is removed by the hook before it is written).
REPLACED = {".gz", ".br"}


def _linkable(src: str) -> bool:
    path = Path(src)
    if path.suffix in LINKED:
        return True
    if path.suffix in REPLACED:
        return os.stat(src).st_nlink > 1  # a compression cache entry, not a copied file
    return path.suffix == ".json" and path.parent.name == "search"


def _link_or_copy(src: str, dest: str) -> str:
    if _linkable(src):
        try:
            os.link(src, dest)
            return dest
        except OSError:
            pass
    return shutil.copy2(src, dest)


def aside(work: Callable[[], None]) -> BaseProcess:
    """``work`` (writing the search index) in a forked process, so the rest of the rebuild
    (the stylesheet, the link check) uses the other core meanwhile; ``_wait_aside`` joins it."""
    process = mp.get_context("fork").Process(
        target=_report, args=(work,), name="pufa-search-index", daemon=True
    )
    process.start()
    return process


def _report(work: Callable[[], None]) -> None:
    try:
        work()
    except Exception as exc:  # said in one line; the rebuild raises the PufaError
        print(f"pufa: writing the search index failed: {exc}", file=sys.stderr, flush=True)
        sys.exit(1)


def _wait_aside() -> None:
    """Wait for the search index writer the hook started; a failed one stops the rebuild."""
    process, buildstate.aside = buildstate.aside, None
    if process is None:
        return
    process.join()
    if process.exitcode != 0:
        raise PufaError(
            "search/",
            f"writing the search index failed (exit code {process.exitcode}; the reason is "
            "printed above)",
            fix="run pufa build for a full build",
        )


def _render(root: Path, tmp: Path, report: Path) -> None:
    from mkdocs.exceptions import Abort, ConfigurationError

    from .pages import read_page_errors
    from .render import mkdocs_build, mkdocs_log

    with mkdocs_log() as messages:
        try:
            mkdocs_build(root, tmp)
        except (Abort, ConfigurationError) as exc:
            errors = read_page_errors(report)
            if errors:
                raise PufaErrors(errors) from None
            said = "\n".join(messages) or str(exc)
            if NO_SAVED_SEARCH in said:
                raise NeedsFullBuild(said) from None
            raise PufaError(
                "mkdocs.yml",
                f"MkDocs could not rebuild the edited pages:\n{said}",
                fix="fix the first error shown",
            ) from None


def rebuild_pages(root: Path, site_dir: Path) -> tuple[Path, float]:
    """Re-render the edited pages of the published site; returns (version, seconds)."""
    from .build import build_lock

    with build_lock(site_dir):
        return _rebuild_pages(root, site_dir)


def _rebuild_pages(root: Path, site_dir: Path) -> tuple[Path, float]:
    from .build import check_output, finish_output, publish
    from .pages import PAGE_ERRORS_ENV

    started = time.perf_counter()
    current = site_dir.resolve()
    if not site_dir.is_symlink() or not (current / "search" / "meta.json").is_file():
        raise NeedsFullBuild("no published site to update")
    tmp = site_dir.with_name(f"{site_dir.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    report = tmp.with_name(f"{tmp.name}.errors.json")
    report.unlink(missing_ok=True)
    saved_env = os.environ.get(PAGE_ERRORS_ENV)
    try:
        # copy2 keeps modification times: MkDocs renders a page only if its source is newer.
        # Media no step rewrites (videos, zips, images) are linked, not copied.
        shutil.copytree(current, tmp, symlinks=True, copy_function=_link_or_copy)
        since = time.time()
        os.environ[PAGE_ERRORS_ENV] = str(report)
        buildstate.dirty = True
        try:
            _render(root, tmp, report)
        finally:
            buildstate.dirty = False
        lib = buildstate.library
        assert lib is not None
        check_output(root, tmp, lib, site_dir.name, since=since)
        _wait_aside()  # the index, written meanwhile, is compressed with the rest
        finish_output(root, tmp, since=since)
        version = publish(tmp, site_dir)
    except BaseException:
        with contextlib.suppress(PufaError):
            _wait_aside()  # before its folder goes
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        report.unlink(missing_ok=True)
        if saved_env is None:
            os.environ.pop(PAGE_ERRORS_ENV, None)
        else:
            os.environ[PAGE_ERRORS_ENV] = saved_env
    return version, time.perf_counter() - started
