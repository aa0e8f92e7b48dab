"""QR codes of campaign page URLs, drawn module by module on whole pixels."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from PIL import Image, ImageDraw

QUIET = 4  # modules of white around the code (the standard's quiet zone)
MIN_SCALE = 3  # pixels per module; smaller codes are hard to scan from a phone


def matrix(url: str) -> list[list[bool]]:
    code = segno.make(url, error="m", micro=False, boost_error=False)
    return [[bool(v) for v in row] for row in code.matrix]


@dataclass(frozen=True)
class QrPlacement:
    url: str
    x: int  # top-left of the white square, quiet zone included
    y: int
    scale: int
    modules: int  # modules per side, quiet zone excluded

    @property
    def size(self) -> int:
        return (self.modules + 2 * QUIET) * self.scale

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (self.x, self.y, self.x + self.size, self.y + self.size)


def place_qr(url: str, x: int, y: int, room: int) -> QrPlacement | None:
    """The largest whole-pixel scale that fits a ``room``-pixel square; None below MIN_SCALE."""
    modules = len(matrix(url))
    scale = room // (modules + 2 * QUIET)
    if scale < MIN_SCALE:
        return None
    return QrPlacement(url, x, y, scale, modules)


def draw_qr(image: Image.Image, qr: QrPlacement) -> None:
    draw = ImageDraw.Draw(image)
    draw.rectangle((qr.x, qr.y, qr.x + qr.size - 1, qr.y + qr.size - 1), fill=(255, 255, 255))
    origin_x = qr.x + QUIET * qr.scale
    origin_y = qr.y + QUIET * qr.scale
    for r, row in enumerate(matrix(qr.url)):
        for c, dark in enumerate(row):
            if dark:
                x0 = origin_x + c * qr.scale
                y0 = origin_y + r * qr.scale
                draw.rectangle((x0, y0, x0 + qr.scale - 1, y0 + qr.scale - 1), fill=(0, 0, 0))


def read_modules(image: Image.Image, qr: QrPlacement) -> list[list[bool]]:
    """Sample the centre of every module (tests use it to check the code on a cover)."""
    grey = image.convert("L")
    origin_x = qr.x + QUIET * qr.scale
    origin_y = qr.y + QUIET * qr.scale
    half = qr.scale // 2
    return [
        [
            grey.getpixel((origin_x + c * qr.scale + half, origin_y + r * qr.scale + half)) < 128
            for c in range(qr.modules)
        ]
        for r in range(qr.modules)
    ]
