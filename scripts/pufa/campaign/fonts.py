"""Find the local CJK font (Noto Sans CJK SC) and check that it has every character we draw.

Found with ``fc-match`` or at the paths Debian, Ubuntu, Fedora and Arch install it to. The
character check reads the font's own cmap table, so a missing glyph is an error before anything
is drawn, never a tofu box on a screen.
"""

from __future__ import annotations

import functools
import shutil
import struct
import subprocess
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

from ..errors import PufaError
from .cache import sha256_file

FAMILY = "Noto Sans CJK SC"
INSTALL = "sudo apt-get install fonts-noto-cjk"
KNOWN_DIRS = [
    Path("/usr/share/fonts/opentype/noto"),  # Debian, Ubuntu (fonts-noto-cjk)
    Path("/usr/share/fonts/noto-cjk"),  # Arch (noto-fonts-cjk)
    Path("/usr/share/fonts/google-noto-cjk"),  # Fedora
    Path("/usr/share/fonts/google-noto-sans-cjk-fonts"),  # Fedora 38+
]
FILES = {"Regular": "NotoSansCJK-Regular.ttc", "Bold": "NotoSansCJK-Bold.ttc"}
FC_MATCH = "fc-match"


# --- cmap: which characters a font can draw --------------------------------------------------


def _tables(data: bytes, offset: int) -> dict[bytes, tuple[int, int]]:
    (num_tables,) = struct.unpack_from(">H", data, offset + 4)
    out = {}
    for i in range(num_tables):
        tag, _checksum, off, length = struct.unpack_from(">4sIII", data, offset + 12 + 16 * i)
        out[tag] = (off, length)
    return out


def read_cmap(path: Path, index: int = 0) -> tuple[list[int], list[int]]:
    """Sorted (starts, ends) of the code point ranges the font maps to a glyph."""
    data = path.read_bytes()
    offset = 0
    if data[:4] == b"ttcf":
        (count,) = struct.unpack_from(">I", data, 8)
        if index >= count:
            raise ValueError(f"{path} has {count} faces, not {index + 1}")
        (offset,) = struct.unpack_from(">I", data, 12 + 4 * index)
    cmap_off, _ = _tables(data, offset)[b"cmap"]
    (_, n) = struct.unpack_from(">HH", data, cmap_off)
    subtables = {}
    for i in range(n):
        pid, eid, off = struct.unpack_from(">HHI", data, cmap_off + 4 + 8 * i)
        subtables[(pid, eid)] = cmap_off + off
    ranges: list[tuple[int, int]] = []
    for key in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3)):
        if key not in subtables:
            continue
        sub = subtables[key]
        (fmt,) = struct.unpack_from(">H", data, sub)
        if fmt == 12:
            (n_groups,) = struct.unpack_from(">I", data, sub + 12)
            for g in range(n_groups):
                start, end, glyph = struct.unpack_from(">III", data, sub + 16 + 12 * g)
                ranges.append((start, end))
            break
        if fmt == 4:
            (seg2,) = struct.unpack_from(">H", data, sub + 6)
            segs = seg2 // 2
            ends = struct.unpack_from(f">{segs}H", data, sub + 14)
            starts = struct.unpack_from(f">{segs}H", data, sub + 16 + seg2)
            deltas = struct.unpack_from(f">{segs}h", data, sub + 16 + 2 * seg2)
            range_offsets_at = sub + 16 + 3 * seg2
            offsets = struct.unpack_from(f">{segs}H", data, range_offsets_at)
            for s in range(segs):
                if starts[s] == 0xFFFF:
                    continue
                if offsets[s] == 0:
                    # Every code point maps (glyph = c + delta); 0 would be .notdef.
                    ranges.append((starts[s], ends[s]))
                    continue
                for c in range(starts[s], ends[s] + 1):
                    at = range_offsets_at + 2 * s + offsets[s] + 2 * (c - starts[s])
                    (glyph,) = struct.unpack_from(">H", data, at)
                    if glyph and (glyph + deltas[s]) % 65536:
                        ranges.append((c, c))
            break
    if not ranges:
        raise ValueError(f"{path}: no Unicode cmap")
    ranges.sort()
    return [r[0] for r in ranges], [r[1] for r in ranges]


# --- Faces ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Face:
    path: Path
    index: int
    style: str

    @functools.cached_property
    def cmap(self) -> tuple[list[int], list[int]]:
        return read_cmap(self.path, self.index)

    def has(self, char: str) -> bool:
        if char in " \u3000":
            return True  # spaces are layout, not glyphs
        starts, ends = self.cmap
        i = bisect_right(starts, ord(char)) - 1
        return i >= 0 and ord(char) <= ends[i]

    def missing(self, text: str) -> list[str]:
        return sorted({c for c in text if not self.has(c)})

    @functools.cached_property
    def sha256(self) -> str:
        return _file_hash(self.path)

    def font(self, size: int) -> ImageFont.FreeTypeFont:
        return _font(str(self.path), self.index, size)

    @property
    def key(self) -> str:
        """What identifies the face in cache keys: the file's bytes, the face and style."""
        return f"{self.sha256}:{self.index}:{self.style}"


@functools.lru_cache(maxsize=512)
def _font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index, layout_engine=ImageFont.Layout.BASIC)


_file_hash = functools.lru_cache(maxsize=16)(sha256_file)


@dataclass(frozen=True)
class Fonts:
    regular: Face
    bold: Face

    def check(self, text: str, *, where: str, what: str) -> None:
        """Fail unless both faces can draw every character of ``text`` (no tofu)."""
        for face in (self.regular, self.bold):
            missing = face.missing(text)
            if missing:
                chars = " ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
                raise PufaError(
                    where,
                    f"{what}: {chars} not in the font {face.path.name}: it would show as a "
                    f"box. Text: {text}",
                    fix="use another character (e.g. a full-width form), or remove it",
                )

    @property
    def key(self) -> str:
        return f"{self.regular.key}|{self.bold.key}"


def _face_index(path: Path) -> int | None:
    """Index of the Simplified Chinese face in a font file (collections hold several)."""
    for index in range(16):
        try:
            font = ImageFont.truetype(str(path), 12, index=index)
        except OSError:
            return None
        if font.getname()[0] == FAMILY:
            return index
    return None


def _fc_match(style: str) -> Path | None:
    exe = shutil.which(FC_MATCH)
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, "-f", "%{file}", f"{FAMILY}:style={style}"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out) if out else None


def _find(style: str) -> Face | None:
    candidates: list[Path] = []
    matched = _fc_match(style)
    if matched is not None:
        candidates.append(matched)
    candidates += [d / FILES[style] for d in KNOWN_DIRS]
    for path in candidates:
        if not path.is_file():
            continue
        index = _face_index(path)
        if index is None:  # fc-match falls back to any font: only accept the CJK SC face
            continue
        font = ImageFont.truetype(str(path), 12, index=index)
        if font.getname()[1] != style:
            continue
        face = Face(path=path, index=index, style=style)
        if face.has("中") and face.has("。"):
            return face
    return None


@functools.lru_cache(maxsize=1)
def find_fonts() -> Fonts:
    """The Regular and Bold faces of Noto Sans CJK SC, or a clear error saying how to install."""
    found = {style: _find(style) for style in FILES}
    missing = [style for style, face in found.items() if face is None]
    if missing:
        raise PufaError(
            "fonts",
            f"the CJK font {FAMILY} ({', '.join(missing)}) was not found (looked with "
            f"{FC_MATCH} and in {', '.join(str(d) for d in KNOWN_DIRS)})",
            fix=f"install it: {INSTALL} (bash dev.sh does this for you)",
        )
    return Fonts(regular=found["Regular"], bold=found["Bold"])  # type: ignore[arg-type]
