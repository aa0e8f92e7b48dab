"""Outputs cached by a hash of their inputs, under <out>/.cache/<kind>/<key[:2]>/<key><suffix>."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

# The campaign modules whose code decides what an image or a video looks like.
# (The preview maker in build.py is hashed into preview keys on its own.)
RENDERER_MODULES = ("layout", "render", "slides", "posts", "qr", "fonts", "video")


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


@functools.cache
def toolchain() -> dict[str, str]:
    """Everything outside the data that changes the pixels: our renderer code, Pillow and its
    FreeType, and ffmpeg. Part of every cache key, so an upgrade re-renders (no hand-bumped
    version numbers)."""
    from PIL import __version__ as pillow
    from PIL import features

    here = Path(__file__).parent
    code = hashlib.sha256()
    for name in RENDERER_MODULES:
        code.update((here / f"{name}.py").read_bytes())
    try:
        ffmpeg = subprocess.run(
            ["ffmpeg", "-version"], capture_output=True, text=True, check=False
        ).stdout.split("\n", 1)[0]
    except OSError:
        ffmpeg = "none"
    return {
        "code": code.hexdigest(),
        "pillow": pillow,
        "freetype": str(features.version("freetype2")),
        "ffmpeg": ffmpeg,
    }


def cache_key(kind: str, spec: dict, tools: dict[str, str] | None = None) -> str:
    """The key of a cached output: its kind, everything in ``spec`` and the toolchain."""
    data = {"kind": kind, "spec": spec, "tools": toolchain() if tools is None else tools}
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
