"""Outputs cached by a hash of their inputs, under <out>/.cache/<kind>/<key[:2]>/<key><suffix>."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path


class Cache:
    def __init__(self, root: Path, *, force: bool = False) -> None:
        self.root = root
        self.force = force  # ignore what is cached (entries are still rewritten)

    def path(self, kind: str, key: str, suffix: str) -> Path:
        return self.root / kind / key[:2] / f"{key}{suffix}"

    def get(self, kind: str, key: str, suffix: str) -> Path | None:
        path = self.path(kind, key, suffix)
        return path if not self.force and path.is_file() else None

    def reserve(self, kind: str, key: str, suffix: str) -> tuple[Path, Path]:
        """(temporary path to write, final path); call commit(tmp, final) when written."""
        final = self.path(kind, key, suffix)
        final.parent.mkdir(parents=True, exist_ok=True)
        return final.with_name(f"{final.stem}.{os.getpid()}.tmp{suffix}"), final

    @staticmethod
    def commit(tmp: Path, final: Path) -> Path:
        tmp.replace(final)  # atomic: a half-written entry is never used
        return final


def copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in chunks (fonts and videos are large)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
