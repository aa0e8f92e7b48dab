"""Structure of the built site: offline-clean, readable anchors, statuses, search index."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from pufa.content.library import load_library

from .conftest import ROOT

THIRD_PARTY = re.compile(
    r"fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr|unpkg\.com|cdnjs\.|googletagmanager|"
    r"google-analytics|hm\.baidu"
)
# src/href attributes that make the browser fetch something (links <a href> are not fetched).
FETCHING = re.compile(
    r"<(?:script|img|iframe|source|video|audio|embed)\b[^>]*?\bsrc=\"(?:https?:)?//"
    r"|<link\b(?=[^>]*\brel=\"[^\"]*(?:stylesheet|icon|preload|prefetch|manifest))[^>]*?"
    r"\bhref=\"(?:https?:)?//",
    re.I,
)


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_statute_has_a_page(built_site: Path) -> None:
    lib = load_library(ROOT)
    for slug in lib.statutes:
        assert (built_site / "statutes" / slug / "index.html").is_file(), slug


def test_no_third_party_hosts_anywhere(built_site: Path) -> None:
    for path in built_site.rglob("*"):
        if path.suffix in {".html", ".css", ".js", ".json", ".xml"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not THIRD_PARTY.search(text), path
            if path.suffix == ".html":
                assert not FETCHING.search(text), (path, FETCHING.search(text))


def test_readable_chinese_anchors(built_site: Path) -> None:
    text = (built_site / "statutes/petition-work-regulations/index.html").read_text(
        encoding="utf-8"
    )
    ids = re.findall(r'<h[2-4] id="([^"]+)"', text)
    assert ids, "no headings with ids"
    assert not [i for i in ids if re.fullmatch(r"_\d*", i)], ids
    assert any(re.search(r"[\u4e00-\u9fff]", i) for i in ids), ids


def test_status_badge_and_version_line_on_every_statute_page(built_site: Path) -> None:
    lib = load_library(ROOT)
    for slug, statute in lib.statutes.items():
        text = (built_site / "statutes" / slug / "index.html").read_text(encoding="utf-8")
        assert 'class="pufa-version"' in text, slug
        assert "pufa-status--" in text, slug
        if statute.status == "已废止":
            assert "本法规已废止，不再有效" in text
            assert "pufa-status--current" not in text.split('class="pufa-version"')[1][:300]


def test_repealed_petition_regulations_points_to_current(built_site: Path) -> None:
    text = (built_site / "statutes/petition-regulations-2005/index.html").read_text(
        encoding="utf-8"
    )
    assert "已废止" in text and "2022年5月1日" in text
    assert "../petition-work-regulations/" in text


def test_every_excerpt_is_anchored_once_on_its_statute_page(built_site: Path) -> None:
    lib = load_library(ROOT)
    for slug, excerpts in lib.excerpts.items():
        text = (built_site / "statutes" / slug / "index.html").read_text(encoding="utf-8")
        for number in excerpts:
            assert text.count(f'id="art-{number}"') == 1, (slug, number)


def test_unchecked_statute_quotes_nothing(built_site: Path) -> None:
    text = (built_site / "statutes/chongqing-petition-regulations/index.html").read_text(
        encoding="utf-8"
    )
    assert "原文待核对" in text
    assert "pufa-article__text" not in text


def test_search_index_is_utf8_and_precompressed(built_site: Path) -> None:
    """Our sharded index (adr/0006): UTF-8 JSON, every file precompressed; no theme index."""
    out = built_site / "search"
    assert not (out / "search_index.json").exists(), "the theme's whole-site index is shipped"
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["shards"] >= 1 and meta["docs"] > 0
    files = sorted(out.glob("*.json"))
    assert len(files) == 1 + meta["shards"] + -(-meta["docs"] // meta["chunk"])
    for path in files:
        raw = path.read_bytes()
        assert not re.search(rb"\\u[4-9][0-9a-f]{3}", raw), f"{path.name}: CJK as \\u escapes"
        json.loads(raw.decode("utf-8"))
        gz = path.with_name(path.name + ".gz")
        if len(raw) >= 256:  # smaller files are not worth compressing (compress.MIN_SIZE)
            assert gzip.decompress(gz.read_bytes()) == raw, path.name
    docs = [
        row
        for k in range(-(-meta["docs"] // meta["chunk"]))
        for row in json.loads((out / f"d{k}.json").read_text(encoding="utf-8"))
    ]
    assert any("劳动" in title for _url, title, _summary in docs)
    shards = [
        json.loads((out / f"t{k}.json").read_text(encoding="utf-8")) for k in range(meta["shards"])
    ]
    assert any("劳动" in shard for shard in shards)


def test_office_details_and_site_url_from_data(built_site: Path) -> None:
    lib = load_library(ROOT)
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert lib.office.name in home
    assert "待核实" in home  # unknown details are not invented
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert lib.office.site_url + "statutes/" in sitemap


def test_page_weight_counts_html_and_assets(built_site: Path) -> None:
    from pufa.site.bench import page_weight

    home = page_weight(built_site, "")
    assert home.files >= 3  # html, theme css, our css, scripts
    assert 0 < home.gzip < home.raw


# --- Atomic publish, clean-up on failure, rollback -------------------------------------------


class _Sizes:
    def describe(self) -> str:
        return "search index: (stub)"


def _fake_mkdocs(marker: str):
    def render(root, site, lib, report, workers, meanwhile=None, config=None):
        site.mkdir(parents=True)
        (site / "index.html").write_text(f"<p>{marker}</p>", encoding="utf-8")
        if meanwhile is not None:  # the link check and the rest, as render.py calls them
            meanwhile(lambda stage: [])

    return render


def _fast_steps(monkeypatch, marker: str) -> None:
    """Every step after the checks, replaced by a quick stand-in that succeeds."""
    import pufa.campaign.paths as campaign_paths
    import pufa.site.build as build
    import pufa.site.links as links
    import pufa.site.offline as offline
    import pufa.site.render as render
    import pufa.site.searchindex as searchindex

    monkeypatch.setattr(render, "render", _fake_mkdocs(marker))
    monkeypatch.setattr(offline, "strip_third_party", lambda *a, **k: [])
    monkeypatch.setattr(campaign_paths, "copy_into_site", lambda *a, **k: [])
    report = type(
        "R", (), {"broken": [], "disallowed": [], "internal": 0, "external": 0, "pages": 1}
    )
    monkeypatch.setattr(links, "check_links", lambda *a, **k: report())
    monkeypatch.setattr(searchindex, "measure", lambda *a, **k: _Sizes())
    monkeypatch.setattr(build, "precompress", lambda *a, **k: 0)
    monkeypatch.setattr(build, "prune", lambda *a, **k: None)


def _boom(*args, **kwargs):
    raise RuntimeError("step failed")


FAILING_STEPS = [
    ("pufa.site.render", "load_mkdocs_config"),
    ("pufa.site.render", "render"),  # MkDocs
    ("pufa.site.offline", "strip_third_party"),
    ("pufa.campaign.paths", "copy_into_site"),
    ("pufa.site.links", "check_links"),
    ("pufa.site.searchindex", "measure"),
    ("pufa.site.build", "precompress"),
    ("pufa.site.build", "_swap"),  # the publish step itself
    ("pufa.site.build", "os.replace"),  # the one rename
]


@pytest.mark.parametrize(("module", "name"), FAILING_STEPS)
def test_a_failure_at_any_step_keeps_the_site_and_removes_the_output(
    monkeypatch, tmp_path, module, name
) -> None:
    import importlib

    from pufa.site.build import build_site, versions_dir

    site = tmp_path / "site"
    _fast_steps(monkeypatch, "first")
    build_site(ROOT, site)
    assert site.is_symlink() and (site / "index.html").read_text() == "<p>first</p>"
    before = sorted(p.name for p in tmp_path.iterdir())
    versions = sorted(p.name for p in versions_dir(site).iterdir())

    _fast_steps(monkeypatch, "second")
    if "." in name:
        target, attr = name.split(".")
        obj = getattr(importlib.import_module(module), target)
    else:
        obj, attr = importlib.import_module(module), name
    monkeypatch.setattr(obj, attr, _boom)
    with pytest.raises(RuntimeError, match="step failed"):
        build_site(ROOT, site)
    monkeypatch.undo()
    assert (site / "index.html").read_text() == "<p>first</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no site.tmp, no stray link
    assert sorted(p.name for p in versions_dir(site).iterdir()) == versions


def test_publish_swaps_a_symlink_and_rollback_goes_back(monkeypatch, tmp_path, capsys) -> None:
    from pufa.cli import main
    from pufa.site.build import build_site, versions_dir

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>plain folder</p>")  # a site from before versions
    for n in range(4):
        _fast_steps(monkeypatch, f"v{n}")
        build_site(ROOT, site)
        assert site.is_symlink() and (site / "index.html").read_text() == f"<p>v{n}</p>"
    assert len(list(versions_dir(site).iterdir())) == 3  # the current one and two before it
    assert main(["--root", str(ROOT), "rollback", "--site-dir", str(site)]) == 0
    assert (site / "index.html").read_text() == "<p>v2</p>"
    assert main(["--root", str(ROOT), "rollback", "--site-dir", str(site)]) == 0
    assert (site / "index.html").read_text() == "<p>v1</p>"
    assert main(["--root", str(ROOT), "rollback", "--site-dir", str(site)]) != 0
    assert "no version older" in capsys.readouterr().err
    assert (site / "index.html").read_text() == "<p>v1</p>"


def test_a_fixed_today_dates_the_sitemap(built_site: Path) -> None:
    """PUFA_TODAY (2026-11-27 in tests) is the build's date everywhere, the sitemap included: two
    builds of the same sources either side of midnight write the same files."""
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {"2026-11-27"}
