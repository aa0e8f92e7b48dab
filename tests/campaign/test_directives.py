"""The campaign pages: slogans, verbatim articles, and links only to files that exist."""

from __future__ import annotations

import re
import shutil

import pytest
from pufa.campaign.data import campaign_ids
from pufa.campaign.directives import campaign_page
from pufa.content.citations import Context
from pufa.content.library import load_library
from pufa.errors import PufaError
from pufa.site.directives import DIRECTIVES
from pufa.site.pages import expand

from ..conftest import ROOT


def test_campaign_directives_are_registered() -> None:
    assert {"campaign", "campaign-calendar"} <= set(DIRECTIVES)


def page(lib, campaign_id: str) -> str:
    src = campaign_page(campaign_id)
    ctx = Context(lib=lib, src_path=src, file=f"docs/{src}")
    return expand(f"[[!campaign {campaign_id}]]", ctx)


def test_every_campaign_has_a_page_using_the_directive() -> None:
    for cid in campaign_ids(ROOT):
        text = (ROOT / "docs" / campaign_page(cid)).read_text(encoding="utf-8")
        assert f"[[!campaign {cid}]]" in text
    assert "[[!campaign-calendar]]" in (ROOT / "docs/campaigns/index.md").read_text("utf-8")


def test_page_shows_slogans_and_verbatim_articles(lib) -> None:
    html = page(lib, "constitution-week-2026")
    assert "2026年12月1日至7日" in html and "第十三个国家宪法日" in html
    assert "- 学习宪法 尊崇宪法 遵守宪法 维护宪法 运用宪法" in html
    for line in lib.excerpt("constitution", 33).lines:
        assert f"<p>{line}</p>" in html
    # The article heading links to the quoted article (a Markdown link the engine resolves).
    assert "](../statutes/constitution.md#art-33)" in html
    assert "](../statutes/constitution.md)" in html  # related pages: Markdown, checked by MkDocs


def test_without_outputs_the_page_links_no_files(project) -> None:
    shutil.rmtree(project / "build", ignore_errors=True)
    html = page(load_library(project), "constitution-week-2026")
    assert 'href="files/' not in html and 'src="files/' not in html
    assert "素材正在准备中" in html
    ctx = Context(lib=load_library(project), src_path="campaigns/index.md", file="x")
    assert "calendar.ics" not in expand("[[!campaign-calendar]]", ctx)


def test_with_outputs_the_page_links_exactly_what_copy_into_site_copies(built, project) -> None:
    from pufa.campaign.paths import copy_into_site

    shutil.copytree(
        built.out, project / "build" / "campaigns", ignore=shutil.ignore_patterns(".cache")
    )
    lib = load_library(project)
    site = project / "site"
    copy_into_site(project / "build" / "campaigns", site)
    for cid in campaign_ids(project):
        html = page(lib, cid)
        links = re.findall(r'(?:href|src)="(files/[^"]+)"', html)
        assert len(links) > 20
        for link in links:
            assert (site / "campaigns" / cid / link).is_file(), link
    ctx = Context(lib=lib, src_path="campaigns/index.md", file="docs/campaigns/index.md")
    calendar = expand("[[!campaign-calendar]]", ctx)
    assert 'href="files/calendar.ics"' in calendar
    assert (site / "campaigns" / "files" / "calendar.ics").is_file()


def test_calendar_lists_campaigns_by_date(lib) -> None:
    ctx = Context(lib=lib, src_path="campaigns/index.md", file="docs/campaigns/index.md")
    table = expand("[[!campaign-calendar]]", ctx)
    order = [table.index(f"({cid}.md)") for cid in (
        "constitution-week-2026",
        "petition-regulations-anniversary-2027",
        "civil-code-month-2027",
        "july-first-2027",
    )]  # fmt: skip
    assert order == sorted(order)


def test_directive_errors(lib) -> None:
    ctx = Context(lib=lib, src_path="campaigns/x.md", file="docs/campaigns/x.md")
    with pytest.raises(PufaError, match="no data/campaigns/nope.yml"):
        expand("[[!campaign nope]]", ctx)
    with pytest.raises(PufaError, match="belongs on docs/campaigns/july-first-2027.md"):
        expand("[[!campaign july-first-2027]]", ctx)
