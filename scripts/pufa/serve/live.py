"""`pufa serve` keeps the site current while people edit: it watches the project's pages, data,
theme overrides and mkdocs.yml, and rebuilds after each change.

An edit to the body of existing pages rebuilds just those pages (`site.rebuild`, 2-3 s);
anything else (data, overrides, config, a page added, removed or with new front matter, which
other pages list) runs the full build. Either way the served site is swapped atomically and a
failed build leaves it as it was, with the error printed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..content.frontmatter import front_matter_head
from ..errors import PufaError, PufaErrors

WATCHED = ("docs", "data", "overrides", "mkdocs.yml", "pufa.yml")
POLL_SECONDS = 0.25
SETTLE_SECONDS = 0.15  # editors save in several writes: wait until the files are quiet


def snapshot(project: Path, base: Path | None = None) -> dict[Path, int]:
    """Modification time of every watched file (of the project and, for an overlay, its base)."""
    seen: dict[Path, int] = {}
    for top in (project, base) if base is not None else (project,):
        for name in WATCHED:
            path = top / name
            if path.is_file():
                seen[path] = path.stat().st_mtime_ns
            elif path.is_dir():
                for f in path.rglob("*"):
                    if f.is_file() and not f.name.startswith("."):
                        seen[f] = f.stat().st_mtime_ns
    return seen


def front_matter(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    # A block that is not closed counts whole: any edit to such a page takes the full build,
    # which reports the broken front matter.
    return front_matter_head(text) or (text if text.startswith("---\n") else "")


@dataclass
class Change:
    changed: list[Path]
    pages_only: bool  # only the bodies of existing pages changed


def classify(
    before: dict[Path, int], after: dict[Path, int], docs: Path, fronts: dict[Path, str]
) -> Change | None:
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    if not changed:
        return None
    pages_only = all(
        p in before
        and p in after
        and p.suffix == ".md"
        and p.is_relative_to(docs)
        and front_matter(p) == fronts.get(p)
        for p in changed
    )
    return Change(changed, pages_only)


class Watcher:
    """Polls the project (no extra dependency, works on every file system) in a thread."""

    def __init__(
        self,
        project: Path,
        build_all: Callable[[], None],
        build_pages: Callable[[], float],
        *,
        base: Path | None = None,
        overlay: bool = False,
    ) -> None:
        self.project = project
        self.base = base
        self.overlay = overlay  # the built folder is a merge: always the full build
        self.build_all = build_all
        self.build_pages = build_pages
        self.docs = project / "docs"
        self.stop = threading.Event()
        self.scan_seconds = 0.0
        self.state = snapshot(project, base)
        self.fronts = self._fronts()

    def _fronts(self) -> dict[Path, str]:
        return {p: front_matter(p) for p in self.state if p.suffix == ".md"}

    def step(self) -> str | None:
        """Check once; rebuild if something changed. Returns what was done, for logs and tests."""
        started = time.perf_counter()
        now = snapshot(self.project, self.base)
        self.scan_seconds = time.perf_counter() - started
        if now == self.state:
            return None
        time.sleep(SETTLE_SECONDS)
        now = snapshot(self.project, self.base)
        change = classify(self.state, now, self.docs, self.fronts)
        self.state = now
        if change is None:
            return None
        shown = ", ".join(_rel(p, self.project, self.base) for p in change.changed[:5])
        more = f" and {len(change.changed) - 5} more" if len(change.changed) > 5 else ""
        print(f"changed: {shown}{more}", flush=True)
        try:
            if change.pages_only and not self.overlay:
                from ..site.rebuild import NeedsFullBuild

                try:
                    seconds = self.build_pages()
                    print(f"rebuilt the edited page(s) in {seconds:.1f} s", flush=True)
                    return "pages"
                except NeedsFullBuild as exc:
                    print(f"full build needed: {exc}", flush=True)
            started = time.perf_counter()
            self.build_all()
            self.fronts = self._fronts()
            print(f"rebuilt the site in {time.perf_counter() - started:.1f} s", flush=True)
            return "all"
        except PufaErrors as exc:
            _report(exc.errors)
        except PufaError as exc:
            _report([exc])
        return "failed"

    def run(self) -> None:
        # Import MkDocs and the theme's plugins now, not on the first edit.
        import mkdocs.commands.build  # noqa: F401
        import mkdocs.config  # noqa: F401

        # A large site takes longer to scan: poll less often, so scanning stays under ~10% of
        # a core (360 files: 5 ms a scan; 1,000 pages: 14 ms).
        while not self.stop.wait(max(POLL_SECONDS, 10 * self.scan_seconds)):
            self.step()

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="pufa-watch", daemon=True)
        thread.start()
        return thread


def _rel(path: Path, project: Path, base: Path | None) -> str:
    for top in (project, base):
        if top is not None and path.is_relative_to(top):
            return path.relative_to(top).as_posix()
    return str(path)


def _report(errors: list[PufaError]) -> None:
    for err in errors:
        print(f"error: {err}", flush=True)
    print(f"{len(errors)} error(s); still serving the site as it was", flush=True)
