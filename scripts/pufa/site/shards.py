"""A render worker's share of the pages, and how workers meet (site/render.py runs them).

Workers meet through files in a run folder: each publishes what the others need at a stage
(written whole, then renamed, so never read half-written) and gathers everyone's. A worker that
fails leaves a marker, so the others stop waiting instead of hanging.
"""

from __future__ import annotations

import ctypes
import pickle
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..fileio import write_atomic

# Said by a worker that stops because another one failed (not the cause: reported last).
OTHER_FAILED = "another render worker failed"


def handed_files(run: Path, stage: str, count: int) -> list[Path]:
    """Where workers 0 .. count-1 publish what they hand over at ``stage``."""
    return [run / f"{stage}.{i}" for i in range(count)]


class Stopped(Exception):
    """Another worker failed while this one waited for it."""


def _stop_if_failed(run: Path) -> None:
    if any(run.glob("failed.*")):
        raise Stopped(OTHER_FAILED)


class Claims:
    """Pages handed out as the workers reach them. Every worker walks the pages in MkDocs' order
    and renders those it claims first, so one slowed by a long page (the claim guide takes half
    a second) or by a busy core takes fewer of the rest. Made before the workers are forked;
    each position holds its worker's index + 1 (0: not claimed yet)."""

    def __init__(self, size: int, ctx: Any) -> None:
        self.size = size
        self._owner = ctx.RawArray(ctypes.c_int8, size)
        self._done = ctx.RawArray(ctypes.c_int8, 2)  # workers done with their pages; the first
        self._done[1] = -1
        self._lock = ctx.Lock()

    def _locked(self, run: Path) -> None:
        # A worker killed while holding the lock would hold it for ever: wait in steps, and
        # stop when a failed worker's marker appears (as gather does).
        while not self._lock.acquire(timeout=0.5):
            _stop_if_failed(run)

    def claim(self, position: int, index: int, run: Path) -> bool:
        self._locked(run)
        try:
            owner = self._owner[position]
            if owner == 0:
                self._owner[position] = owner = index + 1
        finally:
            self._lock.release()
        return owner == index + 1

    def finished(self, index: int, run: Path) -> int:
        """Say worker ``index`` has written its pages; returns how many had before it."""
        self._locked(run)
        try:
            before = self._done[0]
            self._done[0] = before + 1
            if before == 0:
                self._done[1] = index
        finally:
            self._lock.release()
        return before

    @property
    def first_finished(self) -> int | None:
        """The worker that wrote its pages first (it writes the search index), if any yet."""
        first = self._done[1]
        return None if first < 0 else int(first)


@dataclass(frozen=True)
class Shard:
    """One worker's share of the documentation pages: those it claims first (``claims``), or
    without claims pages ``index``, ``index + count``, ... in MkDocs' order."""

    index: int
    count: int
    run: Path  # the folder the workers meet in
    claims: Claims | None = None

    def owns(self, position: int) -> bool:
        """Whether this worker renders the page at ``position``: ask once per page (a claim
        is taken by asking)."""
        if self.claims is None or position >= self.claims.size:
            return position % self.count == self.index
        return self.claims.claim(position, self.index, self.run)

    def finished(self) -> int:
        """Say this worker has written its pages: how many workers had before it (the first
        writes the search index while the others still write theirs; the last, which has
        every worker's stylesheet classes, the stylesheet)."""
        if self.claims is None:
            return self.index
        return self.claims.finished(self.index, self.run)

    def publish(self, stage: str, data: Any) -> None:
        """Hand ``data`` to the other workers (written whole, then renamed: never read half)."""
        blob = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(self.shared(stage)[self.index], blob)

    def gather(self, stage: str, *, others_only: bool = False) -> list[Any]:
        """Every worker's data for ``stage``, in worker order, once all have published it."""
        files = self.shared(stage)
        wanted = [f for i, f in enumerate(files) if not (others_only and i == self.index)]
        pause = 0.002
        while True:
            _stop_if_failed(self.run)
            if all(f.is_file() for f in wanted):
                break
            time.sleep(pause)
            pause = min(pause * 2, 0.005)  # a worker waiting here is idle: look again soon
        out = []
        for f in wanted:
            with f.open("rb") as fh:
                out.append(pickle.load(fh))
        return out

    def shared(self, stage: str) -> list[Path]:
        """The files every worker publishes for ``stage``, in worker order."""
        return handed_files(self.run, stage, self.count)

    def fail(self) -> None:
        (self.run / f"failed.{self.index}").touch()


__all__ = ["OTHER_FAILED", "Claims", "Shard", "Stopped", "handed_files"]
