"""The QR mask chosen by site/qrmask.py is the one segno's own evaluation (ISO/IEC 18004, 7.8.3)
chooses: every penalty of every mask, the mask, and the drawn code, for addresses of every
length up to version 10 symbols."""

from __future__ import annotations

import io
import random
import string

import pytest
import segno
from pufa.site import kiosk, qrmask
from segno import encoder

from .conftest import ROOT

SITE = "http://127.0.0.1:8000/"


def _addresses() -> list[str]:
    pages = [
        SITE + p.relative_to(ROOT / "docs").with_suffix("").as_posix().removesuffix("index") + "/"
        for p in sorted((ROOT / "docs").rglob("*.md"))
    ]
    rng = random.Random(13)
    letters = string.ascii_lowercase + string.digits + "/-_.?=&#"
    made = [
        "https://example.org/" + "".join(rng.choice(letters) for _ in range(rng.randint(0, 250)))
        for _ in range(300)
    ]
    chinese = ["https://www.gov.cn/" + "信访工作条例" * n for n in range(0, 12)]
    return pages + made + chinese


ADDRESSES = _addresses()


def test_the_addresses_cover_every_symbol_size_the_site_can_need() -> None:
    versions = {segno.make(url, error="m").version for url in ADDRESSES}
    assert {3, 4, 5, 6, 7, 8, 9, 10} <= versions  # 7 and up carry version information


@pytest.mark.parametrize("url", ADDRESSES[::7])
def test_every_penalty_of_every_mask_is_segnos(url: str) -> None:
    for rows in qrmask.masked(url):
        width = len(rows)
        theirs = encoder.mask_scores(tuple(bytearray(r) for r in rows), width, width)
        assert qrmask.penalties(rows) == tuple(theirs)


def test_the_mask_and_the_drawn_code_are_segnos() -> None:
    for url in ADDRESSES:
        theirs = segno.make(url, error="m")
        ours = segno.QRCode(qrmask.code(url, error="m"))
        assert ours.mask == theirs.mask, url
        assert ours.matrix == theirs.matrix, url  # format and version information included
        a, b = io.BytesIO(), io.BytesIO()
        theirs.save(a, kind="svg", scale=4)
        ours.save(b, kind="svg", scale=4)
        assert a.getvalue() == b.getvalue(), url


SCALES = [1, 4, 6]


@pytest.mark.parametrize("scale", SCALES)
def test_the_svg_we_draw_is_the_one_segno_writes(scale: int) -> None:
    # Each address at one of the scales, each scale over every third address (all lengths and
    # versions): the scale only multiplies coordinates, and segno draws each code in 10-20 ms.
    for url in ADDRESSES[SCALES.index(scale) :: len(SCALES)]:
        out = io.BytesIO()
        title = f"本页地址：{url} & <说明>"
        segno.make(url, error="m").save(
            out,
            kind="svg",
            scale=scale,
            xmldecl=False,
            svgns=True,
            title=title,
            nl=False,
            svgclass="pufa-qr__code",
            lineclass=None,
        )
        theirs = out.getvalue().decode("utf-8").replace("<svg ", '<svg role="img" ', 1)
        assert kiosk.qr_svg(url, title=title, scale=scale) == theirs, url


def test_the_final_message_is_segnos_for_every_version_and_level() -> None:
    """Blocks, error correction, interleaving and remainder bits, up to version 40."""
    rng = random.Random(7)
    for version in range(1, 41):
        for level in range(4):
            buff = encoder.Buffer()
            for _ in range(encoder.consts.SYMBOL_CAPACITY[version][level] // 8):
                buff.append_bits(rng.randrange(256), 8)
            expected = bytes(encoder.make_final_message(version, level, buff).getbits())
            assert qrmask._final_bits(version, level, bytes(buff.toints())) == expected
