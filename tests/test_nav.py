"""Rendered navigation kept between pages (site/nav.py NavCache and the theme's nav item macro
in overrides/partials/nav-item.html)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import material
from pufa.site.nav import NavCache

from .conftest import ROOT

THEME = Path(material.__file__).parent / "templates" / "partials" / "nav-item.html"
OURS = ROOT / "overrides" / "partials" / "nav-item.html"
MACRO = "{% macro render(nav_item, path, level, parent) %}"


def test_the_override_is_the_installed_themes_file_with_its_macro_renamed() -> None:
    """A theme upgrade that changes its nav item markup fails here: regenerate the override
    from the new file (rename the macro, keep our comment and the `render` at the end)."""
    theirs = THEME.read_text(encoding="utf-8")
    ours = OURS.read_text(encoding="utf-8")
    start = ours.index("{#-\n  This file was automatically generated")
    end = ours.index("{% macro render(nav_item, path, level, parent) -%}")
    assert theirs.count(MACRO) == 1
    assert ours[start:end] == theirs.replace(MACRO, MACRO.replace("render", "_render"))
    assert "pufa_nav.key(nav_item, path, level, page)" in ours[end:]


def _page(url: str) -> SimpleNamespace:
    return SimpleNamespace(url=url, active=False, children=None)


def _section(*children: object) -> SimpleNamespace:
    return SimpleNamespace(url=None, active=False, children=list(children))


def test_pages_side_by_side_share_an_item_unless_it_links_into_their_folder() -> None:
    cache = NavCache()
    labor = _section(_page("faq/labor/"), _page("faq/labor/wages/"), _page("faq/labor/injury/"))
    family = _section(_page("faq/family/"), _page("faq/family/support/"))
    wages, injury, index = _page("faq/labor/wages/"), _page("faq/labor/injury/"), labor.children[0]
    assert cache.key(family, "__nav_2_1", 2, wages) == cache.key(family, "__nav_2_1", 2, injury)
    assert cache.key(family, "__nav_2_1", 2, wages) != cache.key(family, "__nav_2_1", 2, index)
    # The section index lives in the folder above its answers: links into it are not shared.
    assert cache.key(labor, "__nav_2_3", 2, index) is None
    # Another path, level or a page in another folder: another entry.
    assert cache.key(family, "__nav_2_2", 2, wages) != cache.key(family, "__nav_2_1", 2, wages)
    assert cache.key(family, "__nav_2_1", 2, _page("statutes/labor-law/")) != cache.key(
        family, "__nav_2_1", 2, wages
    )
    labor.active = True  # on the current page's path: rendered for each page
    assert cache.key(labor, "__nav_2_3", 2, wages) is None
    assert cache.key(family, "__nav_2_1", 2, _page("")) is None  # the home page: not shared
    key = cache.key(family, "__nav_2_1", 2, wages)
    assert cache.get(key) is None
    assert cache.keep(key, family, "<li>家庭</li>") == "<li>家庭</li>"
    assert cache.get(key) == "<li>家庭</li>"
    assert cache.get(None) is None and cache.keep(None, family, "x") == "x"


def test_without_the_hook_the_theme_renders_every_item(tmp_path: Path) -> None:
    """A plain `mkdocs build` (no pufa hook, so no cache) still builds with our templates and
    writes the theme's navigation (pufa bench compares against it)."""
    import shutil
    import subprocess
    import sys

    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "plain.yml").write_text(
        "INHERIT: mkdocs.yml\nhooks: []\nstrict: false\nnav: [index.md, about.md]\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "plain.yml", "-d", str(out)],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    html = (out / "about" / "index.html").read_text(encoding="utf-8")
    assert '<a href=".." class="md-nav__link">' in html  # the home page, rendered by the theme
