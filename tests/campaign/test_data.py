"""Campaign files: every reference resolves, and each mistake names file, line, key and fix."""

from __future__ import annotations

import pytest
from pufa.campaign.data import load_campaign, load_campaigns, resolve_feature
from pufa.content.library import load_library
from pufa.errors import PufaError, PufaErrors

from ..conftest import ROOT
from .conftest import GOOD, write_campaign


def errors_of(project, name: str = "bad-campaign") -> list[PufaError]:
    lib = load_library(project)
    with pytest.raises((PufaError, PufaErrors)) as info:
        load_campaign(project, name, lib)
    exc = info.value
    return exc.errors if isinstance(exc, PufaErrors) else [exc]


def test_shipped_campaigns_load_and_feature_only_stored_excerpts(lib) -> None:
    specs = load_campaigns(ROOT, lib)
    assert {s.id for s in specs} >= {
        "constitution-week-2026",
        "civil-code-month-2027",
        "petition-regulations-anniversary-2027",
        "july-first-2027",
    }
    for spec in specs:
        assert spec.url == f"{lib.office.site_url}campaigns/{spec.id}/"
        for feature in spec.features:
            # The very excerpt object from data/excerpts: slides never carry retyped law text.
            assert feature.excerpt is lib.excerpt(feature.statute.slug, feature.article)
            assert feature.statute.status == "现行有效"


def test_dates_in_the_shipped_campaigns(lib) -> None:
    """Dates and anniversary numbers in the data agree with the calendar they count from."""
    import datetime as dt
    import re

    from pufa.content.numerals import from_chinese

    specs = {s.id: s.campaign for s in load_campaigns(ROOT, lib)}
    for campaign in specs.values():
        assert campaign.start <= campaign.end
        assert all(campaign.start <= k.date <= campaign.end for k in campaign.key_dates)
    week = specs["constitution-week-2026"]
    assert (week.start, week.end) == (dt.date(2026, 12, 1), dt.date(2026, 12, 7))
    for key in week.key_dates:
        # 国家宪法日 is 4 December, first observed in 2014.
        ordinal = re.search(r"第([零一二三四五六七八九十百]+)个国家宪法日", key.name)
        if ordinal:
            assert (key.date.month, key.date.day) == (12, 4)
            assert from_chinese(ordinal.group(1)) == key.date.year - 2013, key.name
    regs = specs["petition-regulations-anniversary-2027"]
    effective = lib.statutes["petition-work-regulations"].effective
    assert any(
        (k.date.month, k.date.day) == (effective.month, effective.day) for k in regs.key_dates
    )
    july = specs["july-first-2027"]
    assert (july.key_dates[0].date.month, july.key_dates[0].date.day) == (7, 1)
    years = re.search(r"(\d+)周年", july.title)
    assert years and int(years.group(1)) == july.key_dates[0].date.year - 1921  # founded 1921


def test_prose_folded_by_yaml_has_no_stray_spaces(lib) -> None:
    for spec in load_campaigns(ROOT, lib):
        texts = [spec.campaign.intro] + [
            t for p in spec.campaign.posts.values() for t in (p.title, p.digest, p.text) if t
        ]
        for text in texts:
            assert "。 " not in text and "， " not in text, text


def test_unknown_excerpt_is_an_error_with_file_key_and_fix(project) -> None:
    write_campaign(project, GOOD.replace("  - 宪法第33条", "  - 宪法第33条\n  - 宪法第1条"))
    (err,) = errors_of(project)
    assert err.path == "data/campaigns/bad-campaign.yml"
    assert err.key == "featured[1]"
    assert err.line == 12
    assert "no excerpt of 宪法 article 1" in err.message
    assert "data/excerpts" in (err.fix or "")


def test_unknown_statute_and_paragraph_citations_are_errors(project) -> None:
    write_campaign(project, GOOD.replace("  - 宪法第33条", "  - 宪章第33条\n  - 宪法第33条第2款"))
    errors = errors_of(project)
    assert [e.key for e in errors] == ["featured[0]", "featured[1]"]
    assert "unknown statute" in errors[0].message
    assert "whole article" in errors[1].message


def test_repealed_statutes_cannot_be_featured(project, lib) -> None:
    assert "已废止" in resolve_feature(lib, "2005年信访条例第33条")


def test_unknown_screen_and_platform_are_errors(project) -> None:
    write_campaign(
        project,
        GOOD.replace("[lobby, indoor, door]", "[lobby, stadium]").replace(
            "[wechat, toutiao, weibo]", "[wechat, douyin]"
        ),
    )
    errors = errors_of(project)
    assert [e.key for e in errors] == ["screens[1]", "platforms[1]"]
    assert "unknown screen 'stadium'" in errors[0].message
    assert "lobby" in (errors[0].fix or "") and "door" in (errors[0].fix or "")
    assert "unknown platform 'douyin'" in errors[1].message
    assert all(e.line for e in errors)


def test_shared_slogan_refs_resolve_and_unknown_refs_fail(project) -> None:
    write_campaign(project, GOOD.replace("  - 学习宪法 尊崇宪法", "  - ref: rational-petition"))
    spec = load_campaign(project, "bad-campaign", load_library(project))
    assert spec.slogans == ["依法逐级走访 理性表达诉求"]
    write_campaign(project, GOOD.replace("  - 学习宪法 尊崇宪法", "  - ref: no-such-slogan"))
    (err,) = errors_of(project)
    assert err.key == "slogans[0]" and "no-such-slogan" in err.message


def test_schema_errors_point_at_the_line(project) -> None:
    write_campaign(project, GOOD.replace("end: 2026-12-07", "end: 2026-11-07"))
    (err,) = errors_of(project)
    assert "end is before start" in err.message
    write_campaign(project, GOOD.replace("hashtags: [测试]", "hashtags: ['#测试#']"))
    (err,) = errors_of(project)
    assert err.key == "hashtags" and err.line == 14


def test_missing_featured_page_is_an_error(project) -> None:
    write_campaign(project, GOOD + "pages: [statutes/no-such-law.md]\n")
    (err,) = errors_of(project)
    assert err.key == "pages[0]"


def test_unknown_campaign_id(project) -> None:
    with pytest.raises(PufaError, match="no campaign 'nope'") as info:
        load_campaign(project, "nope", load_library(project))
    assert "constitution-week-2026" in (info.value.fix or "")
