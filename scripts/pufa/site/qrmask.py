"""QR codes as segno draws them, in a fraction of its time: the mask the standard asks for.

ISO/IEC 18004 has the encoder try the eight data masks and keep the one with the lowest
penalty (runs, blocks, finder-like patterns, dark/light balance). segno does this module by
module in pure Python: about 5 of the 6 ms a page's address code costs, the largest single cost
of rendering a page. Here the same penalties are computed on whole rows at once (integer XOR for
the masks, a regular expression for runs, bit operations for blocks); the symbol is encoded once
(the chosen mask replaces mask 0 by XOR, then its format information is written), and
``path_data`` draws the SVG path segno's writer would. tests/test_qrmask.py checks, against
segno, every penalty of every mask, the mask chosen, the symbol and the SVG document, for
hundreds of addresses of every size the site uses.

Uses five functions of ``segno.encoder`` (the matrix layout, the mask patterns, the format
information), so segno is pinned (requirements.lock) and that test is what a segno upgrade
must pass.
"""

from __future__ import annotations

import functools
import re

import segno
from segno import encoder

_RUN = re.compile(rb"\x00{5,}|\x01{5,}")
_N3 = bytes((1, 0, 1, 1, 1, 0, 1))
_BITS = bytes.maketrans(b"\x00\x01", b"01")


@functools.cache
def _layout(width: int) -> tuple[list[int], list[int], list[list[int]]]:
    """For a symbol of ``width``: per row, the encoding region (0x01 per module, as an integer of
    bytes), the function patterns as segno has them during the evaluation, and per mask the
    modules it flips."""
    base = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(base, width, width)
    encoder.add_alignment_patterns(base, width, width)
    region = [bytes(1 if v == 2 else 0 for v in row) for row in base]
    fixed = [bytes(0 if v == 2 else v for v in row) for row in base]
    flips = [
        [
            int.from_bytes(bytes(r[j] & bool(mask(i, j)) for j in range(width)), "big")
            for i, r in enumerate(region)
        ]
        for mask in encoder.get_data_mask_functions(False)
    ]
    return (
        [int.from_bytes(r, "big") for r in region],
        [int.from_bytes(r, "big") for r in fixed],
        flips,
    )


_LIGHT4 = bytes(4)


def _n3(seqs: list[bytes]) -> int:
    """Finder-like patterns (dark-light-dark-dark-dark-light-dark with four light modules on
    one side), counted as segno counts them. The rows or columns are searched as one string,
    each between four light modules: segno treats the outside of the symbol as light, and the
    pattern, which never has two light modules together, cannot reach across them."""
    joined = _LIGHT4 + _LIGHT4.join(seqs) + _LIGHT4
    count = 0
    idx = joined.find(_N3)
    while idx != -1:
        offset = idx + 7
        if not any(joined[idx - 4 : idx]) or not any(joined[offset : offset + 4]):
            count += 40
        else:
            offset = idx + 4
        idx = joined.find(_N3, offset)
    return count


def penalties(rows: list[bytes]) -> tuple[int, int, int, int]:
    """The four penalty scores (N1..N4) of a square matrix of 0/1 modules."""
    size = len(rows)
    cols = [bytes(c) for c in zip(*rows, strict=True)]
    # Runs of five or more alike, rows and columns kept apart by a value neither has.
    runs = _RUN.finditer(b"\x02".join((*rows, *cols)))
    n1 = sum(m.end() - m.start() - 2 for m in runs)
    pairs = (1 << (size - 1)) - 1
    n2 = 0
    above = None
    for row in rows:
        bits = int(row.translate(_BITS), 2)
        same = ~(bits ^ (bits >> 1)) & pairs  # a module equal to its right neighbour
        if above is not None:
            over, over_same = above
            n2 += 3 * (same & over_same & ~(bits ^ over)).bit_count()
        above = (bits, same)
    n3 = _n3(rows) + _n3(cols)
    percent = float(sum(row.count(1) for row in rows)) / (size**2)
    n4 = 10 * int(abs(percent * 100 - 50) / 5)
    return n1, n2, n3, n4


def _encoded(url: str, error: str) -> tuple[encoder.Code, int, list[list[int]], list[int]]:
    """segno's symbol for ``url`` with mask 0, its width, the layout's mask flips, and its rows
    before masking as the evaluation sees them (the function patterns in place, format and
    version areas still empty), as integers."""
    first = encoder.encode(url, error=error, mask=0)
    width = len(first.matrix)
    region, fixed, flips = _layout(width)
    data = [
        (int.from_bytes(bytes(row), "big") & region[i]) ^ flips[0][i] | fixed[i]
        for i, row in enumerate(first.matrix)
    ]
    return first, width, flips, data


def _masked(width: int, flips: list[list[int]], data: list[int]) -> list[list[bytes]]:
    return [
        [(d ^ f).to_bytes(width, "big") for d, f in zip(data, flip, strict=True)] for flip in flips
    ]


def masked(url: str, error: str = "m") -> list[list[bytes]]:
    """The symbol for ``url`` under each of the eight masks, rows of 0/1 modules, as the
    evaluation sees it (format and version areas still empty)."""
    _, width, flips, data = _encoded(url, error)
    return _masked(width, flips, data)


def _lowest(candidates: list[list[bytes]]) -> int:
    scores = [sum(penalties(rows)) for rows in candidates]
    return scores.index(min(scores))  # the first of equals, as segno


def best_mask(url: str, error: str = "m") -> int:
    """The mask segno (and the standard) would choose for ``url``: the lowest penalty, the
    first of equals."""
    return _lowest(masked(url, error))


def code(url: str, error: str = "m") -> encoder.Code:
    """The symbol segno.make(url, error=error) draws, encoded once: the chosen mask is put on
    the mask-0 symbol's encoding region by XOR, and its format information written over."""
    first, width, flips, data = _encoded(url, error)
    best = _lowest(_masked(width, flips, data))
    matrix = tuple(
        bytearray((int.from_bytes(bytes(row), "big") ^ a ^ b).to_bytes(width, "big"))
        for row, a, b in zip(first.matrix, flips[0], flips[best], strict=True)
    )
    encoder.add_format_info(matrix, first.version, first.error, best)
    return encoder.Code(matrix, first.version, first.error, best, first.segments)


def make(url: str, error: str = "m") -> segno.QRCode:
    """segno.make(url, error=error), with the mask chosen here."""
    return segno.QRCode(code(url, error))


_DARK = re.compile(rb"\x01+")


def path_data(matrix: tuple[bytearray, ...] | list[bytes], border: int = 4) -> str:
    """The ``d`` of the one path segno's SVG writer draws for a one-colour code: a horizontal
    stroke per run of dark modules, each move relative to the end of the one before, strokes
    on the module rows' centres (y + 0.5)."""
    parts = []
    last_x, last_y = 0, 0.0
    for i, row in enumerate(matrix):
        y = border + i + 0.5
        for run in _DARK.finditer(row):
            x1, x2 = border + run.start(), border + run.end()
            dy = y - last_y
            move = "m" if parts else "M"
            parts.append(f"{move}{x1 - last_x} {int(dy) if dy == int(dy) else dy}h{x2 - x1}")
            last_x, last_y = x2, y
    return "".join(parts)


__all__ = ["best_mask", "code", "make", "masked", "path_data", "penalties"]
