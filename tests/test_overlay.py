"""A second office reuses the shared project through an overlay, built here as in CI."""

from __future__ import annotations

from pathlib import Path

import pytest
from pufa.content.overlay import resolve_project
from pufa.errors import PufaError
from pufa.site.build import build_site

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "second-office"


@pytest.fixture(scope="module")
def second_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(resolve_project(EXAMPLE), tmp_path_factory.mktemp("second") / "site")


def test_second_office_inherits_statutes_and_faqs(second_site: Path) -> None:
    for page in ["statutes/petition-work-regulations", "faq/labor/unpaid-wages", "guide"]:
        assert (second_site / page / "index.html").is_file(), page


def test_second_office_has_its_own_identity_and_data(second_site: Path) -> None:
    home = (second_site / "index.html").read_text(encoding="utf-8")
    assert "重庆市铜梁区信访办公室" in home and "铜梁区信访普法站" in home
    stats = (second_site / "stats/index.html").read_text(encoding="utf-8")
    assert "3,890" not in stats  # the base office's figures are not inherited
    lawyers = (second_site / "petition/lawyers/index.html").read_text(encoding="utf-8")
    assert lawyers.count("<tr data-weekday=") == 2
    sitemap = (second_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "http://127.0.0.1:8001/" in sitemap


def test_overlay_with_missing_base_fails_clearly(tmp_path: Path) -> None:
    (tmp_path / "pufa.yml").write_text("base: ../nowhere\n", encoding="utf-8")
    with pytest.raises(PufaError, match="base project not found"):
        resolve_project(tmp_path)
