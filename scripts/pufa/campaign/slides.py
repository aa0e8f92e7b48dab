"""Plan the slides of a campaign on a screen: what text goes where, at which size, for how long.

Planning lays out every text (so it fails early, naming campaign, text and screen, when something
cannot fit) but draws nothing; render.py draws a planned slide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from ..errors import PufaError
from .data import CampaignSpec, Feature, date_range
from .fonts import Fonts
from .layout import (
    Box,
    Line,
    Placed,
    Style,
    Unfit,
    fit,
    fit_or_split,
    fit_phrases,
    paginate,
    place,
    spec_hash,
    tokenize,
)
from .models import Screen, SizeRange

# Part of every cache key: bump it when drawing changes in a way the layout does not show
# (palette, backgrounds, rules, QR drawing, PNG settings).
RENDERER_VERSION = "1"


@dataclass
class Slide:
    screen: Screen
    kind: str  # title | slogan | excerpt
    item: str  # stable name of what it shows: title, slogan-2, excerpt-constitution-33
    page: int  # 1-based page of the item
    pages: int
    duration: int  # seconds
    blocks: list[Placed]
    background: str  # title | slogan | excerpt (colour scheme)
    rules: list[tuple[int, int, int, int]] = field(default_factory=list)  # gold lines
    source: str | None = None  # the citation an excerpt slide quotes
    file: str = ""  # set when numbered: NN-<item>[-pK].png

    @property
    def text(self) -> str:
        """The main text the slide shows (labels excluded)."""
        return "".join(b.text for b in self.blocks if b.role != "label")

    @property
    def stem(self) -> str:
        return self.item + (f"-p{self.page}" if self.pages > 1 else "")

    @property
    def frames(self) -> int:
        return self.duration * self.screen.fps

    def spec(self) -> dict:
        """Everything that determines the image; its hash is the cache key."""
        return {
            "renderer": RENDERER_VERSION,
            "size": [self.screen.width, self.screen.height],
            "mode": self.screen.mode,
            "background": self.background,
            "rules": [list(r) for r in self.rules],
            "blocks": [b.spec() for b in self.blocks],
        }

    def key(self) -> str:
        return spec_hash(self.spec())


def _range(r: SizeRange) -> tuple[int, int]:
    return (r.min, r.max)


def key_date_lines(spec: CampaignSpec) -> list[str]:
    return [f"{k.date.month}月{k.date.day}日 {k.name}" for k in spec.campaign.key_dates]


class Planner:
    """Lays out one campaign on one screen."""

    def __init__(self, spec: CampaignSpec, screen: Screen, fonts: Fonts) -> None:
        self.spec = spec
        self.screen = screen
        self.fonts = fonts
        self.mono = screen.mode == "1"
        left, top, right, bottom = screen.safe
        self.safe = Box(left, top, right, bottom)

    # -- helpers ------------------------------------------------------------------------------

    def fail(self, what: str, text: str, loc: tuple[str | int, ...], sizes: SizeRange) -> None:
        s = self.screen
        key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        raise PufaError(
            self.spec.file,
            f"campaign '{self.spec.id}': {what} does not fit the screen '{s.id}' "
            f"({s.width}×{s.height}) even at the minimum size {sizes.min} px: {text}",
            line=self.spec.line_of(*loc) if loc else None,
            key=key or None,
            fix=f"shorten the text, or change the size range for '{s.id}' in data/screens.yml",
        )

    def check_glyphs(self, text: str, what: str) -> None:
        self.fonts.check(text, where=self.spec.file, what=f"{what} on screen '{self.screen.id}'")

    def style(self, role: str, sizes: tuple[int, int], **kw) -> Style:  # noqa: ANN003
        bold = role in {"title", "slogan", "heading"}
        kw.setdefault("max_lines", self.screen.max_lines)
        return Style(
            face=self.fonts.bold if bold else self.fonts.regular,
            sizes=sizes,
            mono=self.mono,
            role=role,
            **kw,
        )

    def label_zones(
        self, top_text: str | None, bottom: list[tuple[str, str]], top_loc: tuple = ("short_title",)
    ) -> tuple:
        """Top label, bottom labels [(text, align)], gold rules, and the main box between."""
        s = self.screen
        if s.label is None or self.mono:
            return [], [], self.safe
        size = s.label
        zone = round(size * 1.45)
        gap = max(6, size * 3 // 4)
        blocks: list[Placed] = []
        rules = []
        main = self.safe
        rule_h = max(2, s.height // 360)
        if top_text:
            box = Box(self.safe.left, self.safe.top, self.safe.right, self.safe.top + zone)
            placed = fit([top_text], self.style("label", (size, size), align="left"), box)
            if placed is None:
                self.fail("the label", top_text, top_loc, SizeRange(min=size, max=size))
            blocks.append(placed)
            y = box.bottom + gap
            rules.append((self.safe.left, y, self.safe.right - 1, y + rule_h - 1))
            main = main.below(y + rule_h + gap)
        if bottom:
            box = Box(self.safe.left, self.safe.bottom - zone, self.safe.right, self.safe.bottom)
            for text, align in bottom:
                placed = fit([text], self.style("label", (size, size), align=align), box)
                if placed is None:
                    self.fail("the label", text, (), SizeRange(min=size, max=size))
                blocks.append(placed)
            y = box.top - gap - rule_h
            rules.append((self.safe.left, y, self.safe.right - 1, y + rule_h - 1))
            main = main.above(y - gap)
        return blocks, rules, main

    def fit_main(
        self,
        paragraphs: list[str],
        style: Style,
        box: Box,
        *,
        what: str,
        loc: tuple[str | int, ...],
        sizes: SizeRange,
    ) -> list[Placed]:
        text = " / ".join(paragraphs)
        if self.screen.split_slogans:
            # Split between phrases if possible, else words, else any two characters (禁则 kept).
            pages = (
                fit_or_split(paragraphs, style, box)
                or fit_or_split(paragraphs, replace(style, mode="words"), box)
                or fit_or_split(paragraphs, replace(style, mode="any"), box)
            )
        else:
            one = fit_phrases(paragraphs, style, box)
            pages = [one] if one else None
        if not pages:
            self.fail(what, text, loc, sizes)
        return pages  # type: ignore[return-value]

    # -- slides -------------------------------------------------------------------------------

    def title(self) -> list[Slide]:
        c = self.spec.campaign
        s = self.screen
        subtitle = [date_range(c.start, c.end), *key_date_lines(self.spec), c.theme]
        self.check_glyphs(c.title, "title")
        for line in subtitle:
            self.check_glyphs(line, "title slide")
        if self.mono or s.subtitle is None:
            style = self.style("title", _range(s.title), mode="phrase")
            pages = self.fit_main(
                [c.title], style, self.safe, what="the title", loc=("title",), sizes=s.title
            )
            return [
                Slide(s, "title", "title", i + 1, len(pages), s.durations.title, [p], "title")
                for i, p in enumerate(pages)
            ]
        labels, rules, main = self.label_zones(self.spec.office.name, [], top_loc=())
        split = main.top + round(main.height * 0.56)
        style = self.style(
            "title", _range(s.title), line_spacing=1.2, valign="bottom", mode="phrase", balance=True
        )
        title = fit_phrases([c.title], style, main.above(split))
        if title is None:
            self.fail("the title", c.title, ("title",), s.title)
        gap = max(8, s.subtitle.max)
        sub_style = self.style(
            "subtitle", _range(s.subtitle), line_spacing=1.45, valign="top", balance=True
        )
        sub = fit_phrases(subtitle, sub_style, main.below(title.bbox[3] + gap))
        if sub is None:
            self.fail("the dates and theme", " / ".join(subtitle), ("theme",), s.subtitle)
        # Centre title and subtitle together in the main box.
        dy = (main.top + main.bottom) // 2 - (title.bbox[1] + sub.bbox[3]) // 2
        dy = max(main.top - title.bbox[1], min(dy, main.bottom - sub.bbox[3]))
        title, sub = title.shifted(dy), sub.shifted(dy)
        return [
            Slide(
                s, "title", "title", 1, 1, s.durations.title, [*labels, title, sub], "title", rules
            )
        ]

    def slogans(self) -> list[Slide]:
        s = self.screen
        out: list[Slide] = []
        for i, text in enumerate(self.spec.slogans, start=1):
            self.check_glyphs(text, f"slogans[{i - 1}]")
            labels, rules, main = self.label_zones(
                self.spec.campaign.short_title, [(self.spec.office.name, "left")]
            )
            style = self.style(
                "slogan", _range(s.slogan), line_spacing=1.35, mode="phrase", balance=True
            )
            pages = self.fit_main(
                [text], style, main, what=f"slogan {i}", loc=("slogans", i - 1), sizes=s.slogan
            )
            out += [
                Slide(
                    s,
                    "slogan",
                    f"slogan-{i}",
                    k + 1,
                    len(pages),
                    s.durations.slogan,
                    [*labels, p],
                    "slogan",
                    rules,
                )
                for k, p in enumerate(pages)
            ]
        return out

    def excerpt(self, index: int, feature: Feature) -> list[Slide]:
        s = self.screen
        d = s.durations
        item = f"excerpt-{feature.slug}"
        for line in feature.excerpt.lines:
            self.check_glyphs(line, f"featured[{index}] ({feature.citation})")
        heading_style = self.style(
            "heading",
            _range(s.heading),
            align="left",
            valign="center" if self.mono else "top",
            max_lines=1,
        )

        def duration(chars: int) -> int:
            return max(d.excerpt_min, min(d.excerpt_max, math.ceil(chars / d.chars_per_second)))

        def heading_in(box: Box) -> Placed:
            for label in feature.labels():
                self.check_glyphs(label, f"featured[{index}] ({feature.citation})")
                placed = fit([label], heading_style, box)
                if placed is not None:
                    return placed
            self.fail("the article label", feature.labels()[-1], ("featured", index), s.heading)
            raise AssertionError  # unreachable

        body_style = self.style(
            "body",
            _range(s.body),
            line_spacing=s.line_spacing,
            align="left",
            valign="top",
            indent_em=0 if self.mono else 2,
        )
        paragraphs = feature.excerpt.lines
        if self.mono:
            # A strip shows one line at a time: the label on its own slide, then the text.
            head = heading_in(self.safe)
            body_style = self.style("body", _range(s.body), align="left", valign="center")
            pages = fit_or_split(paragraphs, body_style, self.safe)
            if not pages:
                self.fail(
                    f"featured article {feature.citation}",
                    "".join(paragraphs),
                    ("featured", index),
                    s.body,
                )
            total = len(pages) + 1
            slides = [
                Slide(
                    s,
                    "excerpt",
                    item,
                    1,
                    total,
                    d.excerpt_min,
                    [head],
                    "excerpt",
                    source=feature.citation,
                )
            ]
            slides += [
                Slide(
                    s,
                    "excerpt",
                    item,
                    k + 2,
                    total,
                    duration(len(p.text)),
                    [p],
                    "excerpt",
                    source=feature.citation,
                )
                for k, p in enumerate(pages)
            ]
            return slides

        top = self.spec.campaign.short_title
        labels, rules, main = self.label_zones(top, [(self.spec.office.name, "left")])
        head = heading_in(main)
        gap = max(6, head.size // 2)
        body_box = main.below(head.bbox[3] + gap)
        one = fit(paragraphs, body_style, body_box)
        if one is not None:
            pages = [one]
        else:
            try:
                pages = paginate(paragraphs, body_style, s.page_size, body_box)
            except Unfit:
                self.fail(
                    f"featured article {feature.citation}",
                    "".join(paragraphs),
                    ("featured", index),
                    s.body,
                )
        slides = []
        for k, page in enumerate(pages):
            extra = []
            if len(pages) > 1:
                labels_k, _, _ = self.label_zones(
                    top, [(self.spec.office.name, "left"), (f"{k + 1}/{len(pages)}", "right")]
                )
                extra = labels_k
            slides.append(
                Slide(
                    s,
                    "excerpt",
                    item,
                    k + 1,
                    len(pages),
                    duration(len(page.text)),
                    [*(extra or labels), head, page],
                    "excerpt",
                    rules,
                    source=feature.citation,
                )
            )
        return slides

    def plan(self) -> list[Slide]:
        slides = self.title() + self.slogans()
        for i, feature in enumerate(self.spec.features):
            slides += self.excerpt(i, feature)
        width = max(2, len(str(len(slides))))
        for n, slide in enumerate(slides, start=1):
            slide.file = f"{n:0{width}d}-{slide.stem}.png"
        return slides


def plan_screen(spec: CampaignSpec, screen: Screen, fonts: Fonts) -> list[Slide]:
    return Planner(spec, screen, fonts).plan()


@dataclass
class ScrollPlan:
    """One long single-line image of the slogans, for controllers that scroll text."""

    screen: Screen
    width: int
    blocks: list[Placed]

    @property
    def text(self) -> str:
        return "".join(b.text for b in self.blocks)

    def spec(self) -> dict:
        return {
            "renderer": RENDERER_VERSION,
            "size": [self.width, self.screen.height],
            "blocks": [b.spec() for b in self.blocks],
        }

    def key(self) -> str:
        return spec_hash(self.spec())


def plan_scroll(spec: CampaignSpec, screen: Screen, fonts: Fonts) -> ScrollPlan:
    """The slogans in one line at ``scroll.size``, separated by ``scroll.gap`` em."""
    assert screen.scroll is not None
    size = screen.scroll.size
    gap = round(screen.scroll.gap * size)
    style = Style(face=fonts.bold, sizes=(size, size), mono=screen.mode == "1", role="slogan")
    m = style.metrics(size)
    x = screen.margin_x
    band = Box(0, screen.margin_y, 1 << 30, screen.height - screen.margin_y)
    blocks = []
    for i, text in enumerate(spec.slogans):
        fonts.check(text, where=spec.file, what=f"slogans[{i}] on the '{screen.id}' scroll")
        units = tokenize(text)
        line = Line(units, [m.advance(u) for u in units])
        box = Box(x, band.top, x + line.width + gap // 2, band.bottom)
        placed = place([line], m, box, role="slogan", pitch=size, align="left")
        if placed is None:
            raise PufaError(
                spec.file,
                f"campaign '{spec.id}': the scroll text does not fit the height of screen "
                f"'{screen.id}' ({screen.height} px) at {size} px: {text}",
                line=spec.line_of("slogans", i),
                key=f"slogans[{i}]",
                fix=f"lower scroll.size for '{screen.id}' in data/screens.yml",
            )
        blocks.append(placed)
        x += line.width + gap
    return ScrollPlan(screen, x, blocks)
