"""Schemas of the campaign data files: screens, platforms, shared slogans and campaigns."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..content.models import SLUG, UNVERIFIED, Strict

COLOUR = r"^#[0-9a-fA-F]{6}$"
MIN_MONO_PX = 16  # a single-colour strip draws every character at least 16 px high


class SizeRange(Strict):
    """Font sizes in pixels; the layout picks the largest size that fits."""

    min: int = Field(gt=0)
    max: int = Field(gt=0)

    @model_validator(mode="after")
    def _order(self) -> SizeRange:
        if self.min > self.max:
            raise ValueError(f"min {self.min} is larger than max {self.max}")
        return self


class Durations(Strict):
    """Seconds each slide stays on screen."""

    title: int = Field(gt=0)
    slogan: int = Field(gt=0, description="per slide; a slogan split over slides gets it each")
    excerpt_min: int = Field(gt=0)
    excerpt_max: int = Field(gt=0)
    chars_per_second: float = Field(gt=0, description="reading speed for article text")

    @model_validator(mode="after")
    def _order(self) -> Durations:
        if self.excerpt_min > self.excerpt_max:
            raise ValueError("excerpt_min is larger than excerpt_max")
        return self


class Scroll(Strict):
    """The long horizontal image a single-colour strip scrolls through."""

    size: int = Field(gt=0, description="font size in pixels")
    gap: float = Field(default=3.0, gt=0, description="blank between slogans, in em")
    speed: int = Field(default=32, gt=0, description="suggested scroll speed, pixels per second")


class Screen(Strict):
    id: str = Field(pattern=SLUG)
    name: str
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    mode: Literal["RGB", "1"] = Field(description="RGB: full colour; 1: single colour, 1-bit")
    lit: str = Field(
        default="#ff0000", pattern=COLOUR, description="colour of a lit LED (mode 1 previews)"
    )
    margin_x: int = Field(ge=0, description="safe margin left and right, pixels")
    margin_y: int = Field(ge=0, description="safe margin top and bottom, pixels")
    max_lines: int | None = Field(default=None, gt=0, description="lines per slide (None: any)")
    title: SizeRange
    subtitle: SizeRange | None = None
    slogan: SizeRange
    heading: SizeRange = Field(description="article label on excerpt slides")
    body: SizeRange = Field(description="article text")
    page_size: int = Field(gt=0, description="body size when an article needs several slides")
    label: int | None = Field(default=None, description="size of the top and bottom labels")
    line_spacing: float = Field(default=1.5, ge=1.0, le=3.0)
    split_slogans: bool = Field(
        default=False, description="split a slogan or title over slides at phrase breaks"
    )
    scroll: Scroll | None = None
    fps: int = Field(default=25, gt=0, le=60)
    durations: Durations
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Screen:
        if self.width % 2 or self.height % 2:
            raise ValueError("width and height must be even (H.264 yuv420p needs even sizes)")
        if not self.body.min <= self.page_size <= self.body.max:
            raise ValueError("page_size must lie within body min..max")
        if self.margin_x * 2 >= self.width or self.margin_y * 2 >= self.height:
            raise ValueError("the safe margins leave no room")
        if self.mode == "1":
            sizes = {
                "title": self.title.min,
                "slogan": self.slogan.min,
                "heading": self.heading.min,
                "body": self.body.min,
            }
            if self.subtitle:
                sizes["subtitle"] = self.subtitle.min
            if self.label is not None:
                sizes["label"] = self.label
            if self.scroll is not None:
                sizes["scroll.size"] = self.scroll.size
            small = {k: v for k, v in sizes.items() if v < MIN_MONO_PX}
            if small:
                raise ValueError(
                    f"a 1-bit screen needs at least {MIN_MONO_PX} px per character: {small}"
                )
            if self.scroll is None:
                raise ValueError("a 1-bit strip needs scroll: (the long image for scrolling)")
        return self

    @property
    def safe(self) -> tuple[int, int, int, int]:
        """The safe area (left, top, right, bottom); text never leaves it."""
        return (
            self.margin_x,
            self.margin_y,
            self.width - self.margin_x,
            self.height - self.margin_y,
        )


class Screens(Strict):
    screens: list[Screen] = Field(min_length=1)


# --- Platforms ------------------------------------------------------------------------------


class Limit(Strict):
    min: int = Field(default=1, ge=0)
    max: int = Field(gt=0)


class Cover(Strict):
    name: str = Field(pattern=SLUG, description="file name without .png")
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    ratio: str | None = Field(default=None, description="required aspect ratio, e.g. 16:9")
    use: str = ""

    @model_validator(mode="after")
    def _ratio(self) -> Cover:
        if self.ratio:
            a, _, b = self.ratio.partition(":")
            if not (a.isdigit() and b.isdigit()):
                raise ValueError("ratio must look like 16:9")
            if self.width * int(b) != self.height * int(a):
                raise ValueError(f"{self.width}x{self.height} is not {self.ratio}")
        return self


class Platform(Strict):
    id: str = Field(pattern=SLUG)
    name: str
    source: str = Field(description="where the limits come from")
    checked: dt.date | Literal["待核实"] = UNVERIFIED
    counting: Literal["chars", "weibo"] = Field(
        default="chars",
        description="chars: every character counts 1; weibo: two half-width characters count 1",
    )
    title: Limit | None = None
    digest: Limit | None = None
    text: Limit | None = Field(default=None, description="the whole post, when it is short text")
    body: Literal["html", "text", "none"]
    hashtag: str = Field(default="#{}#", description="how a hashtag is written; {} is the tag")
    covers: list[Cover] = Field(min_length=1)
    note: str = ""

    @field_validator("hashtag")
    @classmethod
    def _hashtag(cls, value: str) -> str:
        if value.count("{}") != 1:
            raise ValueError("hashtag must contain {} once")
        return value


class Platforms(Strict):
    platforms: list[Platform] = Field(min_length=1)


# --- Slogans and campaigns ------------------------------------------------------------------


def join_cjk(value: str) -> str:
    """Undo YAML folding inside Chinese prose: a line break between two Chinese characters
    must not become a space."""
    return re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", value.strip())


def _one_line(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("empty text")
    if "\n" in value:
        raise ValueError("must be a single line")
    return value


class SharedSlogans(Strict):
    slogans: dict[str, str]

    @field_validator("slogans")
    @classmethod
    def _ids(cls, value: dict[str, str]) -> dict[str, str]:
        for key, text in value.items():
            if not re.match(SLUG, key):
                raise ValueError(f"slogan id '{key}' must be a lowercase slug")
            _one_line(text)
        return {k: v.strip() for k, v in value.items()}


class SloganRef(Strict):
    ref: str = Field(pattern=SLUG, description="id of a slogan in data/slogans.yml")


class KeyDate(Strict):
    date: dt.date
    name: str


class PostText(Strict):
    title: str | None = None
    digest: str | None = None
    text: str | None = Field(default=None, description="the short post (微博) before link/tags")

    @field_validator("title", "digest", "text")
    @classmethod
    def _prose(cls, value: str | None) -> str | None:
        return None if value is None else join_cjk(value)


class Campaign(Strict):
    title: str
    short_title: str = Field(description="label on slides, e.g. 宪法宣传周")
    theme: str
    start: dt.date
    end: dt.date
    key_dates: list[KeyDate] = []
    updated: dt.date = Field(description="last edited; the .ics DTSTAMP, so builds are repeatable")
    intro: str = Field(description="2-4 sentences for the page and the posts")
    slogans: list[str | SloganRef] = Field(min_length=1)
    featured: list[str] = Field(min_length=1, description="citations such as 宪法第33条")
    pages: list[str] = Field(default=[], description="docs-relative pages the campaign features")
    screens: list[str] = Field(min_length=1)
    platforms: list[str] = Field(min_length=1)
    hashtags: list[str] = Field(min_length=1)
    posts: dict[str, PostText] = {}
    note: str = ""

    @field_validator("title", "short_title", "theme")
    @classmethod
    def _line(cls, value: str) -> str:
        return _one_line(value)

    @field_validator("intro")
    @classmethod
    def _intro(cls, value: str) -> str:
        return join_cjk(value)

    @field_validator("slogans")
    @classmethod
    def _slogans(cls, value: list[str | SloganRef]) -> list[str | SloganRef]:
        return [_one_line(s) if isinstance(s, str) else s for s in value]

    @field_validator("hashtags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        for tag in value:
            if not tag.strip() or "#" in tag or " " in tag.strip():
                raise ValueError(f"hashtag '{tag}': write the words only, without # or spaces")
        return [t.strip() for t in value]

    @model_validator(mode="after")
    def _dates(self) -> Campaign:
        if self.end < self.start:
            raise ValueError("end is before start")
        for k in self.key_dates:
            if not self.start <= k.date <= self.end:
                raise ValueError(f"key date {k.date} ({k.name}) is outside start..end")
        return self
