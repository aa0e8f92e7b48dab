"""QR codes as segno draws them, in a fraction of its time.

segno encodes, places and masks a code module by module in pure Python, and tries the eight
data masks the standard asks for (ISO/IEC 18004 7.8.3: keep the one with the lowest penalty for
runs, blocks, finder-like patterns and dark/light balance): about 4 ms for a page's address,
once the largest single cost of rendering a page. Here segno still turns the address into its
data codewords; the error correction codewords come from a shift register on one integer
(``_final_bits``: segno's message for every version and level), the bits are placed row by row
(a getter per row, made once per symbol size), the masks are applied by integer XOR, the
penalties are counted on whole rows (bit operations for runs and blocks, a byte search for
finder-like patterns, counted only for masks that can still win), and ``path_data`` draws the
SVG path segno's writer would: about 1.3 ms.
tests/test_qrmask.py checks, against segno, every penalty of every mask, the mask chosen, the
symbol and the SVG document, for hundreds of addresses of every size the site uses.

Uses segno.encoder's functions for the codewords, the matrix layout, the mask patterns and the
format and version information, so segno is pinned (requirements.lock) and that test is what a
segno upgrade must pass.
"""

from __future__ import annotations

import functools
import re
from itertools import zip_longest
from operator import itemgetter
from typing import NamedTuple

from segno import encoder

_N3 = bytes((1, 0, 1, 1, 1, 0, 1))
_BITS = bytes.maketrans(b"\x00\x01", b"01")


class _Layout(NamedTuple):
    """What every symbol of one size shares. Rows are integers two ways: one byte per module
    (0x01 dark), as the symbol is drawn, and one bit per module, as the masks are evaluated."""

    fixed: list[int]  # per row, the function patterns as segno has them during the evaluation
    fixed_bits: list[int]
    flips: list[list[int]]  # per mask, per row: the modules the mask flips
    flips_bits: list[list[int]]
    placement: list[itemgetter]  # where the message's bits go (``_placement``)


@functools.cache
def _layout(width: int) -> _Layout:
    base = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(base, width, width)
    encoder.add_alignment_patterns(base, width, width)
    region = [bytes(1 if v == 2 else 0 for v in row) for row in base]
    fixed = [bytes(0 if v == 2 else v for v in row) for row in base]
    flips = [
        [bytes(r[j] & bool(mask(i, j)) for j in range(width)) for i, r in enumerate(region)]
        for mask in encoder.get_data_mask_functions(False)
    ]
    return _Layout(
        [int.from_bytes(r, "big") for r in fixed],
        [_row_bits(r) for r in fixed],
        [[int.from_bytes(r, "big") for r in rows] for rows in flips],
        [[_row_bits(r) for r in rows] for rows in flips],
        _placement(region),
    )


def _row_bits(row: bytes) -> int:
    """A row of 0/1 modules as an integer with one bit per module (the first the highest)."""
    return int(row.translate(_BITS), 2)


def _placement(region: list[bytes]) -> list[itemgetter]:
    """Per row, a getter that takes that row's modules from the message's bits (plus one light
    module after them, for the modules outside the encoding region). The bits go in two-module
    columns from the right, upwards and downwards in turn, skipping the vertical timing pattern
    (ISO/IEC 18004 7.7.3), as segno's add_codewords places them."""
    width = len(region)
    order = [[-1] * width for _ in range(width)]
    idx = 0
    for right in range(width - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(width):
            for j in (right, right - 1):
                upwards = ((right & 2) == 0) ^ (j < 6)
                i = width - 1 - vertical if upwards else vertical
                if region[i][j] and order[i][j] < 0:
                    order[i][j] = idx
                    idx += 1
    return [itemgetter(*(o if o >= 0 else idx for o in row)) for row in order]


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


def _runs_blocks_balance(bits: list[int]) -> tuple[int, int, int]:
    """N1, N2 and N4 of a square matrix, its rows as integers with one bit per module.

    N1 (runs of five or more alike, each scoring its length - 2): ``same`` marks a module equal
    to its neighbour; four of those in a row mark five alike, so a run of length L leaves L - 4
    marks in one group: L - 2 = marks + 2 per group. Columns alike: five rows equal in a column.
    """
    size = len(bits)
    pairs = (1 << (size - 1)) - 1
    full = (1 << size) - 1
    n1 = n2 = dark = 0
    above = above_same = 0
    equal: list[int] = []  # per pair of rows, the columns where they are alike
    for i, b in enumerate(bits):
        dark += b.bit_count()
        same = ~(b ^ (b >> 1)) & pairs  # a module equal to its right neighbour
        five = same & (same >> 1) & (same >> 2) & (same >> 3)
        if five:
            n1 += five.bit_count() + 2 * (five & ~(five >> 1)).bit_count()
        if i:
            alike = ~(b ^ above) & full
            equal.append(alike)
            n2 += 3 * (same & above_same & alike).bit_count()  # 2x2 blocks alike
        above, above_same = b, same
    before = 0
    for i in range(len(equal) - 3):
        five = equal[i] & equal[i + 1] & equal[i + 2] & equal[i + 3]
        n1 += five.bit_count() + 2 * (five & ~before).bit_count()
        before = five
    percent = float(dark) / (size**2)
    n4 = 10 * int(abs(percent * 100 - 50) / 5)
    return n1, n2, n4


def _finder_like(rows: list[bytes]) -> int:
    return _n3(rows) + _n3([bytes(c) for c in zip(*rows, strict=True)])


def penalties(rows: list[bytes]) -> tuple[int, int, int, int]:
    """The four penalty scores (N1..N4) of a square matrix of 0/1 modules."""
    n1, n2, n4 = _runs_blocks_balance([_row_bits(r) for r in rows])
    return n1, n2, _finder_like(rows), n4


class _Symbol(NamedTuple):
    version: int
    error: int
    segments: list
    width: int
    layout: _Layout
    data: list[int]  # rows before masking as the evaluation sees them, a byte per module
    data_bits: list[int]  # the same, a bit per module


# Each byte as its eight bits, one byte (0/1) per module, most significant first.
_BYTE_BITS = [bytes((b >> i) & 1 for i in range(7, -1, -1)) for b in range(256)]


@functools.cache
def _ecc_table(words: int) -> tuple[int, list[int]]:
    """For a Reed-Solomon code with ``words`` error correction codewords: a mask of that many
    bytes, and per leading coefficient the generator polynomial times it, as an integer."""
    log, exp, gen = encoder.consts.GALIOS_LOG, encoder.consts.GALIOS_EXP, encoder.consts.GEN_POLY
    table = [0] + [
        int.from_bytes(bytes(exp[log[c] + g] for g in gen[words]), "big") for c in range(1, 256)
    ]
    return (1 << (8 * words)) - 1, table


def _ecc(block: bytes, words: int) -> bytes:
    """The error correction codewords of ``block``: segno's synthetic division, done as a shift
    register on one integer (a dozen integer operations per codeword instead of ``words``
    table lookups)."""
    mask, table = _ecc_table(words)
    top = 8 * (words - 1)
    rem = 0
    for byte in block:
        rem = ((rem << 8) & mask) ^ table[byte ^ (rem >> top)]
    return rem.to_bytes(words, "big")


def _final_bits(version: int, level: int, codewords: bytes) -> bytes:
    """What ``encoder.make_final_message(...).getbits()`` gives for a QR Code (not Micro QR):
    the data and error correction blocks interleaved, one byte per bit, then the remainder
    bits (ISO/IEC 18004 7.6)."""
    data: list[bytes] = []
    ecc: list[bytes] = []
    pos = 0
    for info in encoder.consts.ECC[version][level]:
        for _ in range(info.num_blocks):
            block = codewords[pos : pos + info.num_data]
            pos += info.num_data
            data.append(block)
            ecc.append(_ecc(block, info.num_total - info.num_data))
    out = [_BYTE_BITS[b] for column in zip_longest(*data) for b in column if b is not None]
    out += [_BYTE_BITS[b] for column in zip_longest(*ecc) for b in column if b is not None]
    remainder = 7 if 2 <= version <= 6 else 4 if 21 <= version <= 27 else 0
    if 14 <= version <= 20 or 28 <= version <= 34:
        remainder = 3
    return b"".join(out) + bytes(remainder)


def _encoded(url: str, error: str) -> _Symbol:
    """The message for ``url`` as segno encodes it (the same steps as ``encoder._encode``, up to
    the final codewords), placed in the encoding region before masking. Placing it here, row by
    row, saves segno's module-by-module placement and its masking with mask 0."""
    segments = encoder.prepare_data(url, None, None)
    level = encoder.normalize_errorlevel(error)
    version = encoder.find_version(segments, level, eci=False, micro=False)
    level = encoder.boost_error_level(version, level, segments, False, is_sa=False)
    buff = encoder.Buffer()
    for segment in segments:
        encoder.write_segment(buff, segment, None, encoder.version_range(version), False)
    capacity = encoder.consts.SYMBOL_CAPACITY[version][level]
    encoder.write_terminator(buff, capacity, None, len(buff))
    encoder.write_padding_bits(buff, version, len(buff))
    encoder.write_pad_codewords(buff, version, capacity, len(buff))
    bits = _final_bits(version, level, bytes(buff.toints())) + b"\x00"
    width = encoder.calc_matrix_size(version)
    layout = _layout(width)
    rows = [bytes(get(bits)) for get in layout.placement]
    data = [int.from_bytes(r, "big") | f for r, f in zip(rows, layout.fixed, strict=True)]
    data_bits = [_row_bits(r) | f for r, f in zip(rows, layout.fixed_bits, strict=True)]
    return _Symbol(version, level, segments, width, layout, data, data_bits)


def _masked_bits(sym: _Symbol) -> list[list[int]]:
    """The rows under each of the eight masks, a bit per module."""
    return [
        [d ^ f for d, f in zip(sym.data_bits, flip, strict=True)] for flip in sym.layout.flips_bits
    ]


def masked(url: str, error: str = "m") -> list[list[bytes]]:
    """The symbol for ``url`` under each of the eight masks, rows of 0/1 modules, as the
    evaluation sees it (format and version areas still empty)."""
    sym = _encoded(url, error)
    return [_modules(sym, m) for m in range(len(sym.layout.flips))]


def _modules(sym: _Symbol, mask: int) -> list[bytes]:
    """The rows under ``mask``, a byte per module."""
    flips = sym.layout.flips[mask]
    return [(d ^ f).to_bytes(sym.width, "big") for d, f in zip(sym.data, flips, strict=True)]


def _lowest(sym: _Symbol) -> int:
    """The mask with the lowest penalty, the first of equals (as segno). Runs, blocks and
    balance are counted on rows a bit per module; finder-like patterns (N3, the dearest to
    count, on rows of modules) only for masks that can still win: the others already score
    more than the best total without them."""
    partial = [sum(_runs_blocks_balance(rows)) for rows in _masked_bits(sym)]
    best = (float("inf"), len(partial))
    for m in sorted(range(len(partial)), key=lambda m: (partial[m], m)):
        if (partial[m], m) >= best:
            break  # N3 >= 0: neither this one nor any after it can come first
        best = min(best, (partial[m] + _finder_like(_modules(sym, m)), m))
    return best[1]


def best_mask(url: str, error: str = "m") -> int:
    """The mask segno (and the standard) would choose for ``url``: the lowest penalty, the
    first of equals."""
    return _lowest(_encoded(url, error))


def code(url: str, error: str = "m") -> encoder.Code:
    """The symbol segno.make(url, error=error) draws: the message placed once, the chosen mask
    applied by XOR, then the format and version information written."""
    sym = _encoded(url, error)
    best = _lowest(sym)
    matrix = tuple(
        bytearray((d ^ f).to_bytes(sym.width, "big"))
        for d, f in zip(sym.data, sym.layout.flips[best], strict=True)
    )
    encoder.add_format_info(matrix, sym.version, sym.error, best)
    encoder.add_version_info(matrix, sym.version)
    return encoder.Code(matrix, sym.version, sym.error, best, sym.segments)


_DARK = re.compile(rb"\x01+")


def path_data(matrix: tuple[bytearray, ...] | list[bytes], border: int = 4) -> str:
    """The ``d`` of the one path segno's SVG writer draws for a one-colour code: a horizontal
    stroke per run of dark modules, each move relative to the end of the one before, strokes
    on the module rows' centres (y + 0.5)."""
    parts = []
    last_x, last_i = 0, -1
    for i, row in enumerate(matrix):
        for run in _DARK.finditer(row):
            start, end = run.span()
            if last_i < 0:  # the first stroke moves from the origin to the row's centre
                parts.append(f"M{border + start} {border + i + 0.5}h{end - start}")
            else:  # the others by whole rows
                parts.append(f"m{border + start - last_x} {i - last_i}h{end - start}")
            last_x, last_i = border + end, i
    return "".join(parts)


__all__ = ["best_mask", "code", "masked", "path_data", "penalties"]
