"""Render the site with MkDocs on every core: each worker process renders a share of the pages.

MkDocs renders one page after another in one process. Here each worker runs a whole MkDocs
build of the same configuration in MkDocs' dirty mode, which renders and writes only the files
it is told are modified: the hook (``on_files``) tells each worker that a page is modified only
if it claims the page first when MkDocs reaches it (``shards.Claims``), so the faster worker
takes more pages. Two moments need the whole site, and there the workers meet through files in
a run folder:

1. after Markdown (``on_env``): templates need every page's title and front matter (navigation,
   previous/next links), so each worker writes its pages' and reads the others'; a worker that
   found page errors says so there and every worker stops before writing a page;
2. after the pages (``on_post_build``): the search index, the stylesheet and the link QR images
   cover every page. Each worker handed over its search entries at the first meeting; the
   first to have written its pages writes the search index while the others still write
   theirs, and the last, given every worker's stylesheet classes, writes the stylesheet and QR
   images (one worker: both). Pages are claimed while Markdown is rendered, so one worker
   often ends its pages seconds before the other: that time now goes to the index.

Nothing here is specific to one page type; a worker is a forked copy of `pufa build` (the
library it checked is reused, not loaded again). A worker that fails leaves a marker so the
others stop waiting; the parent leaves it for a worker that died without one.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import pickle
import posixpath
import shutil
import tempfile
from collections.abc import Callable, Iterator
from multiprocessing.connection import wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import PufaError, PufaErrors
from . import buildstate
from .shards import OTHER_FAILED, Claims, Shard, handed_files

if TYPE_CHECKING:
    from ..content.library import Library

# What render() gives ``meanwhile``: every worker's hand-over for a stage.
Handed = Callable[[str], list[Any]]

# Below this many pages per worker, starting one more costs more than it saves.
MIN_PAGES_PER_WORKER = 40
MAX_WORKERS = 8


def worker_count(pages: int, requested: int | None = None) -> int:
    """``requested`` if given, else one per usable core, with at least MIN_PAGES_PER_WORKER
    pages each."""
    if requested:
        return max(1, requested)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS, pages // MIN_PAGES_PER_WORKER))


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def mkdocs_log() -> Iterator[list[str]]:
    """MkDocs' warnings and errors, collected for the message (nothing prints them in-process).
    MkDocs also warns that a dirty build may have stale navigation (the hook gives pages it did
    not render their titles); in strict mode that warning alone would fail the build."""
    build_log = logging.getLogger("mkdocs.commands.build")
    collect = _Collect()

    def drop(record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()

    build_log.addFilter(drop)
    logging.getLogger("mkdocs").addHandler(collect)
    try:
        yield collect.messages
    finally:
        build_log.removeFilter(drop)
        logging.getLogger("mkdocs").removeHandler(collect)


def mkdocs_config(root: Path, site: Path) -> Any:
    """MkDocs' configuration for a strict build into ``site`` (raises MkDocs' exceptions)."""
    from mkdocs.config import load_config

    from ..content.clock import source_date_epoch

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    epoch = source_date_epoch()  # a fixed today (PUFA_TODAY) dates the sitemap too
    if epoch is not None:
        os.environ.setdefault("SOURCE_DATE_EPOCH", epoch)
    return load_config(str(root / "mkdocs.yml"), site_dir=str(site), strict=True)


def load_mkdocs_config(root: Path, site: Path) -> Any:
    """``mkdocs_config`` for the render workers, loaded once before they are forked (each
    took a tenth of a second to load it); a bad configuration is a PufaError with MkDocs'
    words."""
    from mkdocs.exceptions import MkDocsException

    with mkdocs_log() as messages:
        try:
            return mkdocs_config(root, site)
        except MkDocsException as exc:
            said = [m for m in messages if m != str(exc)] + [str(exc)]
    raise _could_not_build(said)


def _could_not_build(said: list[str]) -> PufaError:
    """MkDocs' own words for a build it could not make (the configuration or a worker)."""
    return PufaError(
        "mkdocs.yml",
        "MkDocs could not build the site:\n" + "\n".join(s for s in said if s),
        fix="fix the first error shown",
    )


def mkdocs_build(root: Path, site: Path, config: Any | None = None) -> None:
    """One strict MkDocs build in dirty mode, in this process (raises MkDocs' exceptions).
    ``config``: ``mkdocs_config(root, site)`` loaded already (by the process that forked this
    one); MkDocs' build changes it, so each is used for one build."""
    from mkdocs.commands.build import build

    build(config if config is not None else mkdocs_config(root, site), dirty=True)


# Collections of the youngest objects after this many allocations (Python's default: 700). A
# worker allocates millions of short-lived objects (Markdown trees, template output) and keeps
# the site's pages and search entries: at the default, full collections that walk all of them
# took 0.2-0.5 s of a worker's CPU at 277-1,000 pages; at this, under 0.1 s. Garbage cycles
# (a Markdown instance per page) are still collected, a little later.
GC_THRESHOLD = (50_000, 20, 20)


def _tune_gc() -> None:
    """In a forked worker: what the parent made (imports, the checked library) lives as long as
    the worker, so collections skip it (gc.freeze), and they run less often."""
    import gc

    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def _work(
    root: Path, site: Path, report: Path, shard: Shard, lib: Library, config: Any | None
) -> None:
    """A worker's life (in the forked process): build its share, leave its messages, exit."""
    from mkdocs.exceptions import MkDocsException

    from ..content.faq import freeze
    from .pages import PAGE_ERRORS_ENV

    code = 1
    messages: list[str] = []
    try:
        _tune_gc()
        os.environ[PAGE_ERRORS_ENV] = str(report)
        buildstate.shard = shard
        buildstate.preloaded = lib
        with mkdocs_log() as messages:
            try:
                freeze(root / "docs")  # the answers `pufa build` checked, as they were then
                mkdocs_build(root, site, config)
                code = 0
            except MkDocsException as exc:  # reported by the parent with MkDocs' messages
                messages.append(str(exc))
            except Exception as exc:  # a fault of ours or of a library: say which
                messages.append(f"{type(exc).__name__}: {exc}")
    finally:
        if code:
            shard.fail()
            (shard.run / f"log.{shard.index}").write_text("\n".join(messages), encoding="utf-8")
        os._exit(code)


def render(
    root: Path,
    site: Path,
    lib: Library,
    report: Path,
    workers: int,
    meanwhile: Callable[[Handed], None] | None = None,
    config: Any | None = None,
) -> None:
    """Render the whole site into ``site`` with ``workers`` processes.

    ``meanwhile`` runs in this process as soon as every page and every site-wide file but the
    search index is written (only the worker writing the index is left), while that worker may
    still be writing the index into ``search/``: work on the written pages (the link check)
    then uses a core that would otherwise wait. With one worker it runs after it. It is given
    ``handed(stage)``: what the workers handed over for a stage (``Shard.publish``).
    ``config``: ``load_mkdocs_config(root, site)``, for the workers to share (else each loads
    it).

    Raises PufaErrors with the page errors the hook found (file, line, key, fix), or PufaError
    with MkDocs' messages for anything else."""
    from .pages import read_page_errors

    # Where the workers meet; one left by a build that was killed outright goes now (the build
    # lock keeps two builds of one site apart).
    prefix = f".{site.name}.render-"
    for stale in site.parent.glob(f"{prefix}*"):
        shutil.rmtree(stale, ignore_errors=True)
    run = Path(tempfile.mkdtemp(prefix=prefix, dir=site.parent))
    ctx = mp.get_context("fork")  # the workers inherit the checked library and the imports
    # Room for every file under docs/ (documentation pages are some of them); a page beyond
    # it (another docs_dir) is assigned by position instead.
    claims = Claims(sum(1 for p in (root / "docs").rglob("*") if p.is_file()), ctx)
    shards = [Shard(i, workers, run, claims) for i in range(workers)]
    reports = [report.with_name(f"{report.name}.{i}") for i in range(workers)]
    procs = [
        ctx.Process(target=_work, args=(root, site, reports[i], shards[i], lib, config))
        for i in range(workers)
    ]
    early: Exception | None = None  # what ``meanwhile`` raised while a worker still ran

    def handed(stage: str) -> list[Any]:
        """What every worker that got there handed over for ``stage``, in worker order."""
        files = handed_files(run, stage, workers)
        return [pickle.loads(f.read_bytes()) for f in files if f.is_file()]

    try:
        for proc in procs:
            proc.start()
        pending = {proc.sentinel: (i, proc) for i, proc in enumerate(procs)}
        while pending:
            for sentinel in wait(list(pending)):
                i, proc = pending.pop(sentinel)  # type: ignore[index]
                proc.join()
                if proc.exitcode != 0:
                    shards[i].fail()  # whether or not it could say so itself
                elif (
                    meanwhile is not None
                    and len(pending) == 1
                    and claims.first_finished in [j for j, _ in pending.values()]
                ):
                    # Every other worker has written its pages and the last the stylesheet:
                    # all is written but the search index, which the first is writing.
                    try:
                        meanwhile(handed)
                    except Exception as exc:  # raised below, once the workers have stopped
                        # A worker may be about to stop with MkDocs' own words for the same
                        # fault (strict mode fails a build at its end): those come first.
                        early = exc
                    meanwhile = None
        errors = [e for r in reports for e in read_page_errors(r)]
        if errors:
            raise PufaErrors(errors)
        failed = [i for i, proc in enumerate(procs) if proc.exitcode != 0]
        if failed:
            said = [_log(run, i) for i in failed]
            said = [s for s in said if OTHER_FAILED not in s] or said
            raise _could_not_build(said)
        if early is not None:
            raise early
        if meanwhile is not None:
            meanwhile(handed)
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
                proc.join()
        for r in reports:
            r.unlink(missing_ok=True)
        shutil.rmtree(run, ignore_errors=True)


def page_urls(docs: Path, site_url: str, *, directory_urls: bool = True) -> list[str]:
    """The canonical URL MkDocs gives each Markdown page under ``docs`` (its File.url and
    Page.canonical_url), worked out without loading the configuration: what `pufa build` draws
    page codes for ahead of rendering (an address it gets wrong is only a code drawn twice)."""
    from urllib.parse import quote, urljoin

    base = site_url if site_url.endswith("/") else site_url + "/"
    urls = []
    for path in sorted(docs.rglob("*.md")):
        parent, name = posixpath.split(path.relative_to(docs).as_posix())
        stem = name[: -len(".md")]
        stem = "index" if stem == "README" else stem
        if not directory_urls:
            url = posixpath.join(parent, stem + ".html")
        elif stem == "index":
            url = (parent or ".") + "/"
        else:
            url = posixpath.join(parent, stem) + "/"
        url = quote(url)
        urls.append(urljoin(base, "" if url in (".", "./") else url))
    return urls


def _log(run: Path, index: int) -> str:
    path = run / f"log.{index}"
    text = path.read_text(encoding="utf-8").strip() if path.is_file() else ""
    return text or f"render worker {index} stopped without a message"


__all__ = [
    "load_mkdocs_config",
    "mkdocs_build",
    "mkdocs_config",
    "mkdocs_log",
    "page_urls",
    "render",
    "worker_count",
]
