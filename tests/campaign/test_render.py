"""Rendering: exact sizes and modes, no anti-aliasing on 1-bit strips, text inside the safe
margin (checked on the pixels), and a golden comparison with tolerance for two slides."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pufa.campaign.data import CampaignSpec, load_campaigns, resolve_feature
from pufa.campaign.layout import Box
from pufa.campaign.models import Campaign, Screen
from pufa.campaign.render import render_slide
from pufa.campaign.slides import plan_screen
from pufa.content.yamlio import Located

from ..conftest import ROOT

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PUFA_UPDATE_GOLDEN") == "1"

# Fixed inputs, so the goldens change only when the renderer or the font does.
INDOOR = {
    "id": "indoor",
    "name": "室内小型全彩屏",
    "width": 768,
    "height": 384,
    "mode": "RGB",
    "margin_x": 24,
    "margin_y": 16,
    "label": 18,
    "title": {"min": 40, "max": 72},
    "subtitle": {"min": 20, "max": 30},
    "slogan": {"min": 34, "max": 64},
    "heading": {"min": 22, "max": 30},
    "body": {"min": 20, "max": 28},
    "page_size": 22,
    "line_spacing": 1.45,
    "durations": {
        "title": 8,
        "slogan": 6,
        "excerpt_min": 10,
        "excerpt_max": 30,
        "chars_per_second": 6,
    },
}
DOOR = {
    **INDOOR,
    "id": "door",
    "name": "门头单色红色条屏",
    "width": 192,
    "height": 32,
    "mode": "1",
    "margin_x": 2,
    "margin_y": 1,
    "label": None,
    "max_lines": 1,
    "title": {"min": 16, "max": 26},
    "subtitle": None,
    "slogan": {"min": 16, "max": 26},
    "heading": {"min": 16, "max": 22},
    "body": {"min": 16, "max": 16},
    "page_size": 16,
    "split_slogans": True,
    "scroll": {"size": 24},
}


def golden_spec(lib, screen: Screen) -> CampaignSpec:
    campaign = Campaign(
        title="2026年宪法宣传周",
        short_title="宪法宣传周",
        theme="弘扬宪法精神",
        start=dt.date(2026, 12, 1),
        end=dt.date(2026, 12, 7),
        updated=dt.date(2026, 11, 27),
        intro="测试。测试。",
        slogans=["学习宪法 尊崇宪法 遵守宪法 维护宪法 运用宪法"],
        featured=["宪法第33条"],
        screens=[screen.id],
        platforms=["weibo"],
        hashtags=["国家宪法日"],
    )
    office = lib.office.model_copy(update={"name": "重庆市潼南区信访办公室"})
    return CampaignSpec(
        id="golden",
        path=Path("golden.yml"),
        campaign=campaign,
        located=Located(Path("golden.yml"), {}, {}),
        slogans=list(campaign.slogans),
        features=[resolve_feature(lib, "宪法第33条")],
        screens=[screen],
        platforms=[],
        office=office,
        url="http://127.0.0.1:8000/campaigns/golden/",
    )


def compare(image: Image.Image, name: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        image.save(path)
    assert path.is_file(), f"no golden {path}: run with PUFA_UPDATE_GOLDEN=1 and review it"
    with Image.open(path) as golden:
        assert (golden.size, golden.mode) == (image.size, image.mode)
        diff = ImageChops.difference(golden.convert("RGB"), image.convert("RGB")).convert("L")
    hist = diff.histogram()
    total = image.width * image.height
    changed = sum(hist[33:]) / total  # pixels off by more than an eighth of the range
    mean = sum(i * n for i, n in enumerate(hist)) / total
    # Tolerance for FreeType/zlib differences between machines, not for a different layout.
    assert changed <= 0.005, f"{name}: {changed:.2%} of pixels differ (mean {mean:.2f})"
    assert mean <= 1.5, f"{name}: mean difference {mean:.2f}"


def test_golden_indoor_slogan_slide(lib, fonts) -> None:
    screen = Screen.model_validate(INDOOR)
    slides = plan_screen(golden_spec(lib, screen), screen, fonts)
    slide = next(s for s in slides if s.kind == "slogan")
    compare(render_slide(slide), "indoor-slogan.png")


def test_golden_door_strip_article_slide(lib, fonts) -> None:
    screen = Screen.model_validate(DOOR)
    slides = plan_screen(golden_spec(lib, screen), screen, fonts)
    slide = next(s for s in slides if s.kind == "excerpt" and s.page == 2)
    image = render_slide(slide)
    assert image.mode == "1"
    compare(image, "door-excerpt-p2.png")


def test_the_golden_comparison_catches_a_changed_slide(lib, fonts) -> None:
    screen = Screen.model_validate(INDOOR)
    slides = plan_screen(golden_spec(lib, screen), screen, fonts)
    if UPDATE:
        pytest.skip("updating the goldens")
    title = render_slide(slides[0])  # the title slide is not the slogan golden
    with pytest.raises(AssertionError, match="differ"):
        compare(title, "indoor-slogan.png")


def test_one_bit_slides_have_only_two_values(lib, fonts) -> None:
    screen = Screen.model_validate(DOOR)
    for slide in plan_screen(golden_spec(lib, screen), screen, fonts):
        image = render_slide(slide)
        assert image.mode == "1" and image.size == (192, 32)
        hist = image.convert("L").histogram()
        assert sum(hist[1:255]) == 0  # nothing between off and on: no anti-aliasing


def test_colour_text_pixels_stay_inside_the_safe_margin(lib, fonts) -> None:
    """Draw each slide with and without its text: every changed pixel is in the safe area."""
    spec = next(
        s for s in load_campaigns(ROOT, lib) if s.id == "petition-regulations-anniversary-2027"
    )
    for screen in spec.screens:
        safe = Box(*screen.safe)
        for slide in plan_screen(spec, screen, fonts):
            ink = ImageChops.difference(render_slide(slide), render_slide(slide, text=False))
            box = ink.getbbox()
            assert box is not None and safe.contains(box), (screen.id, slide.file, box)
            for block in slide.blocks:
                assert all(safe.contains(b) for b in block.inks), (screen.id, slide.file)
