"""Slide plans: what goes on each slide, verbatim law text, durations, and text that cannot fit."""

from __future__ import annotations

import pytest
from pufa.campaign.build import build_campaigns
from pufa.campaign.data import date_range, load_campaign, load_campaigns
from pufa.campaign.slides import plan_screen
from pufa.content.library import load_library
from pufa.errors import PufaError, PufaErrors

from ..conftest import ROOT
from .conftest import GOOD, write_campaign


@pytest.fixture(scope="module")
def plans(lib, fonts):
    return {
        (spec.id, screen.id): (spec, plan_screen(spec, screen, fonts))
        for spec in load_campaigns(ROOT, lib)
        for screen in spec.screens
    }


def test_slide_order_title_slogans_excerpts(plans) -> None:
    for (cid, sid), (spec, slides) in plans.items():
        kinds = [s.kind for s in slides]
        assert kinds[0] == "title"
        first_slogan = kinds.index("slogan")
        first_excerpt = kinds.index("excerpt")
        assert set(kinds[first_slogan:first_excerpt]) == {"slogan"}
        assert set(kinds[first_excerpt:]) == {"excerpt"}
        slogans = {s.item for s in slides if s.kind == "slogan"}
        assert slogans == {f"slogan-{i}" for i in range(1, len(spec.slogans) + 1)}, (cid, sid)
        names = [s.file for s in slides]
        assert names == sorted(names) and len(set(names)) == len(names)


def test_excerpt_slides_show_the_stored_text_verbatim(plans) -> None:
    for (cid, sid), (spec, slides) in plans.items():
        for feature in spec.features:
            pages = [s for s in slides if s.item == f"excerpt-{feature.slug}"]
            assert [p.page for p in pages] == list(range(1, len(pages) + 1))
            body = "".join(b.text for p in pages for b in p.blocks if b.role == "body")
            assert body == "".join(feature.excerpt.lines), (cid, sid, feature.citation)
            heading = next(b for b in pages[0].blocks if b.role == "heading").text
            assert heading in feature.labels()
            assert all(p.source == feature.citation for p in pages)


def test_slogan_slides_show_the_slogan(plans) -> None:
    for (_, _), (spec, slides) in plans.items():
        for i, slogan in enumerate(spec.slogans, start=1):
            shown = "".join(s.text for s in slides if s.item == f"slogan-{i}")
            assert shown.replace(" ", "") == slogan.replace(" ", "")


def test_durations(plans) -> None:
    for (_, _), (_spec, slides) in plans.items():
        d = slides[0].screen.durations
        for slide in slides:
            if slide.kind == "title":
                assert slide.duration == d.title
            elif slide.kind == "slogan":
                assert slide.duration == d.slogan
            else:
                assert d.excerpt_min <= slide.duration <= d.excerpt_max
            assert slide.frames == slide.duration * slide.screen.fps


def test_one_bit_text_is_at_least_16_px(plans) -> None:
    for (_, sid), (_, slides) in plans.items():
        for slide in slides:
            if slide.screen.mode == "1":
                assert all(b.size >= 16 and b.mono for b in slide.blocks), (sid, slide.file)


def test_date_ranges() -> None:
    import datetime as dt

    d = dt.date
    assert date_range(d(2026, 12, 1), d(2026, 12, 7)) == "2026年12月1日至7日"
    assert date_range(d(2027, 4, 26), d(2027, 5, 10)) == "2027年4月26日至5月10日"
    assert date_range(d(2026, 12, 28), d(2027, 1, 3)) == "2026年12月28日至2027年1月3日"
    assert date_range(d(2027, 7, 1), d(2027, 7, 1)) == "2027年7月1日"


def test_text_that_cannot_fit_fails_naming_campaign_text_and_screen(project, fonts) -> None:
    long = "依法" * 150
    write_campaign(
        project, GOOD.replace("  - 学习宪法 尊崇宪法", f"  - 学习宪法 尊崇宪法\n  - {long}")
    )
    spec = load_campaign(project, "bad-campaign", load_library(project))
    lobby = next(s for s in spec.screens if s.id == "lobby")
    with pytest.raises(PufaError) as info:
        plan_screen(spec, lobby, fonts)
    err = info.value
    assert "campaign 'bad-campaign'" in err.message
    assert long in err.message
    assert "screen 'lobby' (1920×1080)" in err.message
    assert "80 px" in err.message  # the minimum slogan size of the lobby screen
    assert err.key == "slogans[1]" and err.line == 10
    assert "data/screens.yml" in (err.fix or "")


def test_a_bad_campaign_stops_the_build_before_anything_is_written(project, tmp_path) -> None:
    write_campaign(project, GOOD.replace("  - 学习宪法 尊崇宪法", "  - " + "法" * 400))
    out = tmp_path / "out"
    with pytest.raises((PufaError, PufaErrors)) as info:
        build_campaigns(project, out, progress=False, log=lambda m: None)
    assert "does not fit the screen" in str(info.value)
    assert not out.exists()


def test_a_strip_splits_a_long_slogan_between_phrases(plans) -> None:
    _, slides = plans[("constitution-week-2026", "door")]
    pages = [s.text for s in slides if s.item == "slogan-1"]
    assert pages == ["学习宪法 尊崇宪法", "遵守宪法 维护宪法", "运用宪法"]
