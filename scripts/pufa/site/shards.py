"""A render worker's share of the pages, and how workers meet (site/render.py runs them).

Workers meet through files in a run folder: each publishes what the others need at a stage
(written whole, then renamed, so never read half-written) and gathers everyone's. A worker that
fails leaves a marker, so the others stop waiting instead of hanging.
"""

from __future__ import annotations

import pickle
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..fileio import write_atomic

# Said by a worker that stops because another one failed (not the cause: reported last).
OTHER_FAILED = "another render worker failed"


class Stopped(Exception):
    """Another worker failed while this one waited for it."""


@dataclass(frozen=True)
class Shard:
    """One worker's share: documentation pages ``index``, ``index + count``, ... in MkDocs'
    order (alternating, so the long statute pages, which sit together, are spread)."""

    index: int
    count: int
    run: Path  # the folder the workers meet in

    def owns(self, position: int) -> bool:
        return position % self.count == self.index

    def publish(self, stage: str, data: Any) -> None:
        """Hand ``data`` to the other workers (written whole, then renamed: never read half)."""
        blob = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(self.run / f"{stage}.{self.index}", blob)

    def gather(self, stage: str, *, others_only: bool = False) -> list[Any]:
        """Every worker's data for ``stage``, in worker order, once all have published it."""
        wanted = [i for i in range(self.count) if not (others_only and i == self.index)]
        pause = 0.002
        while True:
            if any(self.run.glob("failed.*")):
                raise Stopped(OTHER_FAILED)
            if all((self.run / f"{stage}.{i}").is_file() for i in wanted):
                break
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        out = []
        for i in wanted:
            with (self.run / f"{stage}.{i}").open("rb") as fh:
                out.append(pickle.load(fh))
        return out

    def fail(self) -> None:
        (self.run / f"failed.{self.index}").touch()


__all__ = ["OTHER_FAILED", "Shard", "Stopped"]
