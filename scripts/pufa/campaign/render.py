"""Draw planned slides: full-colour RGB, or 1-bit with no anti-aliasing for single-colour strips.

Every unit is drawn at whole-pixel positions computed by the layout, with the anchor at its
baseline, so the glyphs sit on the pixel grid and the measured ink boxes are exact.
"""

from __future__ import annotations

import functools

from PIL import Image, ImageDraw

from .layout import SPACES, Placed
from .slides import Slide

Colour = tuple[int, int, int]

# The office's publicity palette: 中国红 backgrounds, gold headings, white text.
BACKGROUNDS: dict[str, tuple[Colour, Colour]] = {
    "title": ((200, 24, 30), (128, 6, 12)),
    "slogan": ((190, 22, 28), (120, 4, 10)),
    "excerpt": ((92, 10, 14), (48, 4, 8)),
    "cover": ((206, 28, 34), (132, 8, 14)),
}
GOLD: Colour = (255, 214, 120)
WHITE: Colour = (255, 255, 255)
CREAM: Colour = (255, 232, 200)
INK: dict[str, Colour] = {
    "title": GOLD,
    "heading": GOLD,
    "subtitle": WHITE,
    "slogan": WHITE,
    "body": WHITE,
    "label": CREAM,
    "caption": CREAM,
    "kicker": CREAM,
}


def hex_colour(value: str) -> Colour:
    return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))


@functools.lru_cache(maxsize=32)
def _gradient(width: int, height: int, top: Colour, bottom: Colour) -> Image.Image:
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(1, height - 1)
        column.putpixel((0, y), _mix(top, bottom, t))
    return column.resize((width, height), Image.Resampling.NEAREST)


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def background(width: int, height: int, scheme: str, mode: str) -> Image.Image:
    if mode == "1":
        return Image.new("1", (width, height), 0)
    top, bottom = BACKGROUNDS[scheme]
    return _gradient(width, height, top, bottom).copy()


def draw_blocks(image: Image.Image, blocks: list[Placed]) -> None:
    draw = ImageDraw.Draw(image)
    mono = image.mode == "1"
    if mono:
        draw.fontmode = "1"  # no anti-aliasing: every pixel is on or off
    for block in blocks:
        font = block.face.font(block.size)
        fill = 1 if mono else INK[block.role]
        for line, x, baseline in zip(block.lines, block.x, block.baselines, strict=True):
            for offset, unit in zip(line.offsets(), line.units, strict=True):
                if unit in SPACES:
                    continue
                draw.text((x + offset, baseline), unit, font=font, fill=fill, anchor="ls")


def render_slide(slide: Slide, *, text: bool = True) -> Image.Image:
    """The slide at the screen's exact size; ``text=False`` draws the background only (tests)."""
    s = slide.screen
    image = background(s.width, s.height, slide.background, s.mode)
    if slide.rules:
        draw = ImageDraw.Draw(image)
        for rule in slide.rules:
            draw.rectangle(rule, fill=1 if s.mode == "1" else GOLD)
    if text:
        draw_blocks(image, slide.blocks)
    return image


def lit(image: Image.Image, colour: Colour) -> Image.Image:
    """A 1-bit image as the strip shows it: lit pixels in the LED colour on black."""
    rgb = Image.new("RGB", image.size, (0, 0, 0))
    rgb.paste(colour, mask=image.convert("L"))
    return rgb
