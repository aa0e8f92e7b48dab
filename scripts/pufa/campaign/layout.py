"""Chinese text layout: line breaks that obey 禁则, automatic font size, pages, exact ink boxes.

Every glyph is placed at whole-pixel positions. A block "fits" only when the ink box of every
line (the union of its glyphs' boxes from FreeType, which always holds the pixels drawn) lies
inside its box, so nothing drawn can be clipped.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from .fonts import Face

# 禁则 (kinsoku): these may not start a line ...
NO_START = frozenset("，。、；：？！）》」』】〕〉”’…—·～%,.;:?!)]}")
# ... and these may not end one.
NO_END = frozenset("（《「『【〔〈“‘([{")
# In phrase mode (slogans on a narrow strip) a line may only break at a space or after these.
PHRASE_END = frozenset("，。、；：？！》」）·,;:?!")
SPACES = frozenset(" \u3000")

# Half-width runs (numbers, Latin words, URLs) stay on one line.
RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:/%+\-_]*[A-Za-z0-9%]|[A-Za-z0-9]")

Mode = Literal["any", "words", "phrase"]
Align = Literal["left", "center", "right"]
VAlign = Literal["top", "center", "bottom"]


class Unfit(Exception):
    """The text cannot be laid out in the box at this size."""


def tokenize(text: str) -> list[str]:
    """Units that are never split: one CJK character, a half-width run, a run of —— or ……."""
    out: list[str] = []
    i = 0
    while i < len(text):
        match = RUN.match(text, i)
        if match:
            out.append(match.group())
            i = match.end()
            continue
        char = text[i]
        j = i + 1
        if char in "—…":
            while j < len(text) and text[j] == char:
                j += 1
        out.append(text[i:j])
        i = j
    return out


def no_start(unit: str) -> bool:
    return unit[0] in NO_START


def no_end(unit: str) -> bool:
    return unit[-1] in NO_END


@dataclass(frozen=True)
class Metrics:
    """Advances and ink boxes of one face at one size, in whole pixels."""

    face: Face
    size: int
    mono: bool  # 1-bit: no anti-aliasing, FreeType's monochrome hinting

    def advance(self, unit: str) -> int:
        return _advance(self.face, self.size, unit)

    def ink(self, unit: str) -> tuple[int, int, int, int] | None:
        """Ink box of ``unit`` drawn with its baseline-left at (0, 0), or None for spaces."""
        return _ink(self.face, self.size, self.mono, unit)


@functools.lru_cache(maxsize=200_000)
def _advance(face: Face, size: int, unit: str) -> int:
    if unit in SPACES:
        return size  # one em: slogans separate phrases with a full-width gap
    return round(face.font(size).getlength(unit))


@functools.lru_cache(maxsize=200_000)
def _ink(face: Face, size: int, mono: bool, unit: str) -> tuple[int, int, int, int] | None:
    if unit in SPACES:
        return None
    box = face.font(size).getbbox(unit, mode="1" if mono else "L", anchor="ls")
    if box[2] <= box[0] or box[3] <= box[1]:
        return None
    return box


@dataclass
class Line:
    units: list[str]
    advances: list[int]
    indent: int = 0

    @property
    def text(self) -> str:
        return "".join(self.units)

    @property
    def width(self) -> int:
        return self.indent + sum(self.advances)

    def offsets(self) -> list[int]:
        """x of each unit from the line's left edge (whole pixels)."""
        out, x = [], self.indent
        for adv in self.advances:
            out.append(x)
            x += adv
        return out

    def ink(self, m: Metrics) -> tuple[int, int, int, int] | None:
        box = None
        for x, unit in zip(self.offsets(), self.units, strict=True):
            ink = m.ink(unit)
            if ink is None:
                continue
            shifted = (ink[0] + x, ink[1], ink[2] + x, ink[3])
            box = shifted if box is None else _union(box, shifted)
        return box


def _union(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> tuple[int, ...]:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


@functools.lru_cache(maxsize=4096)
def word_starts(text: str) -> frozenset[int]:
    """Character offsets where a word begins (jieba, the segmenter the site's search uses)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    starts, at = set(), 0
    for word in jieba.lcut(text):
        starts.add(at)
        at += len(word)
    return frozenset(starts)


def _can_break(
    units: Sequence[str], b: int, mode: Mode, words: frozenset[int] | None = None, at: int = 0
) -> bool:
    """May a line end before units[b] (which starts at character ``at``)?"""
    before, after = units[b - 1], units[b]
    if after in SPACES or before in SPACES:
        return True
    if no_start(after) or no_end(before):
        return False
    if mode == "phrase":
        return before[-1] in PHRASE_END
    if mode == "words":
        # Between words, and never between a number and what it counts (106|周年).
        return words is not None and at in words and not RUN.fullmatch(before)
    return True


def wrap(text: str, m: Metrics, width: int, *, indent: int = 0, mode: Mode = "any") -> list[Line]:
    """Greedy line breaking with 禁则; raises Unfit when a unit cannot be placed."""
    units = tokenize(text)
    adv = [m.advance(u) for u in units]
    at = [0]
    for unit in units:
        at.append(at[-1] + len(unit))
    words = word_starts(text) if mode == "words" else None
    lines: list[Line] = []
    i, n = 0, len(units)
    first = True
    while i < n:
        while i < n and units[i] in SPACES:
            i += 1
        if i >= n:
            break
        avail = width - (indent if first else 0)
        j, used = i, 0
        while j < n and used + adv[j] <= avail:
            used += adv[j]
            j += 1
        if j == i:
            raise Unfit(f"'{units[i]}' is wider than the line")
        if j < n:
            b = j
            while b > i and not _can_break(units, b, mode, words, at[b]):
                b -= 1
            if b == i:
                raise Unfit(f"no allowed line break in '{''.join(units[i : j + 1])}'")
            j = b
        end = j
        while end > i and units[end - 1] in SPACES:
            end -= 1
        lines.append(Line(units[i:end], adv[i:end], indent if first else 0))
        first = False
        i = j
    _avoid_widow(lines, mode)
    return lines


def _avoid_widow(lines: list[Line], mode: Mode) -> None:
    """Don't leave one or two characters alone on a paragraph's last line: move a unit down
    from the line before when the break stays allowed."""
    if mode != "any" or len(lines) < 2:
        return
    prev, last = lines[-2], lines[-1]
    width = max(prev.width, last.width)
    while len(last.units) < 3 and len(prev.units) > 4:
        units = prev.units + last.units
        b = len(prev.units) - 1
        if not _can_break(units, b, mode):
            return
        moved_unit, moved_adv = prev.units[-1], prev.advances[-1]
        if last.width + moved_adv > width:
            return
        prev = Line(prev.units[:-1], prev.advances[:-1], prev.indent)
        last = Line([moved_unit, *last.units], [moved_adv, *last.advances], last.indent)
        lines[-2:] = [prev, last]


# --- Blocks: lines placed in a box ----------------------------------------------------------


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def contains(self, box: Sequence[int]) -> bool:
        return (
            box[0] >= self.left
            and box[1] >= self.top
            and box[2] <= self.right
            and box[3] <= self.bottom
        )

    def below(self, y: int) -> Box:
        return Box(self.left, max(self.top, y), self.right, self.bottom)

    def above(self, y: int) -> Box:
        return Box(self.left, self.top, self.right, min(self.bottom, y))


@dataclass
class Placed:
    """A laid-out block: lines with pen positions and their measured ink boxes."""

    face: Face
    size: int
    mono: bool
    role: str  # colour role: title, text, heading, label, ...
    lines: list[Line]
    x: list[int]  # left edge of each line
    baselines: list[int]
    inks: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(line.text for line in self.lines)

    def spec(self) -> dict:
        """What determines how the block is drawn (part of an image's cache key)."""
        return {
            "face": self.face.key,
            "size": self.size,
            "mono": self.mono,
            "role": self.role,
            "lines": [[ln.units, ln.offsets()] for ln in self.lines],
            "x": self.x,
            "baselines": self.baselines,
        }

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        box = self.inks[0]
        for ink in self.inks[1:]:
            box = _union(box, ink)
        return box

    def shifted(self, dy: int) -> Placed:
        """The same block moved down by ``dy`` pixels."""
        return Placed(
            self.face,
            self.size,
            self.mono,
            self.role,
            self.lines,
            self.x,
            [b + dy for b in self.baselines],
            [(a, t + dy, c, u + dy) for a, t, c, u in self.inks],
        )

    def describe(self) -> dict:
        return {
            "role": self.role,
            "face": self.face.style,
            "size": self.size,
            "lines": [line.text for line in self.lines],
            "boxes": [list(b) for b in self.inks],
        }


def measure(lines: list[Line], m: Metrics, pitch: int) -> tuple[int, int, list] | None:
    """(ink top, ink bottom) of the block relative to the first baseline at y = 0, and each
    line's own ink box (relative to its pen position), or None when nothing is drawn."""
    inks = [line.ink(m) for line in lines]
    tops = [ink[1] + i * pitch for i, ink in enumerate(inks) if ink is not None]
    bottoms = [ink[3] + i * pitch for i, ink in enumerate(inks) if ink is not None]
    if not tops:
        return None
    return min(tops), max(bottoms), inks


def place(
    lines: list[Line],
    m: Metrics,
    box: Box,
    *,
    role: str,
    pitch: int,
    align: Align = "center",
    valign: VAlign = "center",
) -> Placed | None:
    """Position lines in ``box``; None unless every line's ink lies inside it."""
    measured = measure(lines, m, pitch)
    if measured is None:
        return None
    top, bottom, inks = measured
    if bottom - top > box.height:
        return None
    if valign == "top":
        first = box.top - top
    elif valign == "bottom":
        first = box.bottom - bottom
    else:
        first = box.top + (box.height - (bottom - top)) // 2 - top
    xs, baselines, boxes = [], [], []
    for i, (line, ink) in enumerate(zip(lines, inks, strict=True)):
        baseline = first + i * pitch
        if align == "left":
            x = box.left
        elif align == "right":
            x = box.right - line.width
        else:
            x = box.left + (box.width - line.width) // 2
        if ink is not None:
            # Keep the ink, not only the advance box, inside: shift in if a side bearing pokes out.
            if x + ink[0] < box.left:
                x = box.left - ink[0]
            if x + ink[2] > box.right:
                x = box.right - ink[2]
            placed = (x + ink[0], baseline + ink[1], x + ink[2], baseline + ink[3])
            if not box.contains(placed):
                return None
            boxes.append(placed)
        xs.append(x)
        baselines.append(baseline)
    return Placed(m.face, m.size, m.mono, role, lines, xs, baselines, boxes)


@dataclass(frozen=True)
class Style:
    """How a block is set: face, size range, spacing, alignment, breaking."""

    face: Face
    sizes: tuple[int, int]  # min, max
    mono: bool
    role: str
    line_spacing: float = 1.3
    align: Align = "center"
    valign: VAlign = "center"
    indent_em: float = 0.0
    mode: Mode = "any"
    max_lines: int | None = None
    balance: bool = False  # even out line lengths (centred titles and slogans)

    def metrics(self, size: int) -> Metrics:
        return Metrics(self.face, size, self.mono)

    def pitch(self, size: int) -> int:
        return round(size * self.line_spacing)

    def candidates(self) -> Iterable[int]:
        return range(self.sizes[1], self.sizes[0] - 1, -1)


def lay_lines(paragraphs: Sequence[str], style: Style, size: int, width: int) -> list[Line]:
    m = style.metrics(size)
    indent = round(style.indent_em * size)
    lines: list[Line] = []
    for paragraph in paragraphs:
        lines += wrap(paragraph, m, width, indent=indent, mode=style.mode)
    return lines


def balanced(paragraphs: Sequence[str], style: Style, size: int, width: int) -> list[Line]:
    """The same number of lines as greedy breaking, at the narrowest width that allows it."""
    lines = lay_lines(paragraphs, style, size, width)
    if len(lines) < 2:
        return lines
    low, high = width // len(lines), width
    while high - low > 1:
        mid = (low + high) // 2
        try:
            trial = lay_lines(paragraphs, style, size, mid)
        except Unfit:
            low = mid
            continue
        if len(trial) == len(lines):
            high = mid
        else:
            low = mid
    return lay_lines(paragraphs, style, size, high)


def fit(paragraphs: Sequence[str], style: Style, box: Box) -> Placed | None:
    """The largest size within the style's range at which the whole text fits in ``box``."""
    for size in style.candidates():
        try:
            lines = lay_lines(paragraphs, style, size, box.width)
        except Unfit:
            continue
        if style.max_lines is not None and len(lines) > style.max_lines:
            continue
        if style.balance:
            lines = balanced(paragraphs, style, size, box.width)
        placed = place(
            lines,
            style.metrics(size),
            box,
            role=style.role,
            pitch=style.pitch(size),
            align=style.align,
            valign=style.valign,
        )
        if placed is not None:
            return placed
    return None


def paginate(paragraphs: Sequence[str], style: Style, size: int, box: Box) -> list[Placed]:
    """Split text over as many boxes as it needs at ``size``; raises Unfit if a line can't fit."""
    lines = lay_lines(paragraphs, style, size, box.width)
    m = style.metrics(size)
    pitch = style.pitch(size)
    pages: list[Placed] = []
    i = 0
    while i < len(lines):
        best = None
        j = i + 1
        while j <= len(lines) and (style.max_lines is None or j - i <= style.max_lines):
            placed = place(
                lines[i:j],
                m,
                box,
                role=style.role,
                pitch=pitch,
                align=style.align,
                valign=style.valign,
            )
            if placed is None:
                break
            best, j = placed, j + 1
        if best is None:
            raise Unfit(f"the line '{lines[i].text}' does not fit the box at {size} px")
        pages.append(best)
        i += len(best.lines)
    return pages


def fit_phrases(paragraphs: Sequence[str], style: Style, box: Box) -> Placed | None:
    """Fit display text (titles, slogans): break between phrases; between words when that
    allows a clearly larger size (25 %); between any two characters only as a last resort."""
    phrase = fit(paragraphs, replace(style, mode="phrase"), box)
    words = fit(paragraphs, replace(style, mode="words"), box)
    if phrase is not None and (words is None or phrase.size * 5 >= words.size * 4):
        return phrase
    return words or fit(paragraphs, replace(style, mode="any"), box)


def fit_or_split(paragraphs: Sequence[str], style: Style, box: Box) -> list[Placed] | None:
    """One page at the largest size that fits; else the fewest pages (largest size on ties)."""
    one = fit(paragraphs, style, box)
    if one is not None:
        return [one]
    best: list[Placed] | None = None
    for size in style.candidates():
        try:
            pages = paginate(paragraphs, style, size, box)
        except Unfit:
            continue
        if best is None or len(pages) < len(best):
            best = pages
    return best


def spec_hash(spec: dict) -> str:
    """The cache key of an image: a hash of everything that determines it."""
    return hashlib.sha256(json.dumps(spec, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
