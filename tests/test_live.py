"""`pufa serve` after an edit: the edited pages are rebuilt alone, and the result is the site a
full build gives; bad edits keep the served site; only page bodies take the quick path."""

from __future__ import annotations

import filecmp
import os
import time
from pathlib import Path

import pytest
from pufa.errors import PufaErrors
from pufa.serve.live import Watcher, classify, front_matter, snapshot
from pufa.site.build import build_site
from pufa.site.rebuild import NeedsFullBuild, rebuild_pages

PAGE = "faq/labor/unpaid-wages"
STATUTE = "statutes/constitution"


def _add_paragraph(path: Path, text: str) -> None:
    """A new paragraph before the page's first second-level heading."""
    source = path.read_text(encoding="utf-8")
    i = source.index("\n## ") + 1
    path.write_text(source[:i] + text + "\n\n" + source[i:], encoding="utf-8")
    later = time.time() + 1  # newer than anything the last build wrote, on any file system
    os.utime(path, (later, later))


def _differences(a: Path, b: Path) -> list[str]:
    cmp = filecmp.dircmp(a, b)
    out: list[str] = []

    def walk(c: filecmp.dircmp, rel: str) -> None:
        out.extend(f"{rel}{n} only in one" for n in c.left_only + c.right_only)
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        out.extend(f"{rel}{n} differs" for n in mismatch + errors)
        for name, sub in c.subdirs.items():
            walk(sub, f"{rel}{name}/")

    walk(cmp, "")
    return out


def test_an_edited_page_is_rebuilt_alone_and_the_site_equals_a_full_build(project: Path) -> None:
    site = project / "site"
    with pytest.raises(NeedsFullBuild):
        rebuild_pages(project, site)  # nothing published yet
    build_site(project, site)
    before = site.resolve()
    published = {p: p.read_bytes() for p in sorted(before.rglob("*")) if p.is_file()}
    _add_paragraph(project / "docs" / f"{PAGE}.md", "编辑后新加的一段话。")
    _add_paragraph(project / "docs" / f"{STATUTE}.md", "宪法页面新加的一段话。")

    version, _seconds = rebuild_pages(project, site)
    assert site.resolve() == version != before
    assert "编辑后新加的一段话" in (site / PAGE / "index.html").read_text(encoding="utf-8")
    assert "宪法页面新加的一段话" in (site / STATUTE / "index.html").read_text(encoding="utf-8")
    # the published version it started from is untouched (copied or linked, never written
    # through), every file of it
    assert "编辑后新加的一段话" not in (before / PAGE / "index.html").read_text(encoding="utf-8")
    assert {p: p.read_bytes() for p in sorted(before.rglob("*")) if p.is_file()} == published
    quick = version

    build_site(project, site)  # the same sources, built in full
    assert _differences(quick, site.resolve()) == []


def test_a_bad_edit_names_the_page_and_keeps_the_site(project: Path) -> None:
    site = project / "site"
    build_site(project, site)
    served = site.resolve()
    page = project / "docs" / f"{PAGE}.md"
    _add_paragraph(page, "见[[民法典第99999条]]。")
    with pytest.raises(PufaErrors) as caught:
        rebuild_pages(project, site)
    assert any(e.path == f"docs/{PAGE}.md" and e.line for e in caught.value.errors)
    assert site.resolve() == served
    assert not (project / "site.tmp").exists()


def test_a_failed_search_index_stops_the_rebuild_and_keeps_the_site(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index of a page rebuild is written by another process meanwhile; if that fails, the
    rebuild says so and publishes nothing."""
    from pufa.errors import PufaError
    from pufa.site import searchindex

    site = project / "site"
    build_site(project, site)
    served = site.resolve()
    _add_paragraph(project / "docs" / f"{PAGE}.md", "又一段。")

    def fail(self, out):
        raise OSError("disk full")

    monkeypatch.setattr(searchindex.Index, "write", fail)
    with pytest.raises(PufaError, match="search index"):
        rebuild_pages(project, site)
    assert site.resolve() == served
    assert not (project / "site.tmp").exists()


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    later = time.time_ns() + 10**9  # a new modification time even on coarse file systems
    os.utime(path, ns=(later, later))


def test_only_page_bodies_take_the_quick_path(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "faq").mkdir(parents=True)
    (tmp_path / "data").mkdir()
    page = docs / "faq" / "a.md"
    page.write_text("---\ntitle: 问\n---\n\n正文。\n", encoding="utf-8")
    data = tmp_path / "data" / "office.yml"
    data.write_text("name: x\n", encoding="utf-8")

    def quick(path: Path, text: str) -> bool | None:
        before = snapshot(tmp_path)
        fronts = {p: front_matter(p) for p in before if p.suffix == ".md"}
        _write(path, text)
        found = classify(before, snapshot(tmp_path), docs, fronts)
        return None if found is None else found.pages_only

    assert quick(page, page.read_text(encoding="utf-8") + "又一段。\n") is True
    # a new title is listed by other pages: full build
    assert quick(page, page.read_text(encoding="utf-8").replace("问", "新问题")) is False
    assert quick(data, "name: y\n") is False
    assert quick(docs / "faq" / "b.md", "# 新页\n") is False


def test_the_watcher_runs_the_quick_or_the_full_build(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    page = tmp_path / "docs" / "index.md"
    page.write_text("# 首页\n", encoding="utf-8")
    conf = tmp_path / "mkdocs.yml"
    conf.write_text("site_name: x\n", encoding="utf-8")
    calls: list[str] = []
    watcher = Watcher(tmp_path, lambda: calls.append("all"), lambda: calls.append("pages") or 0.1)
    assert watcher.step() is None
    _write(page, "# 首页\n\n一段。\n")
    assert watcher.step() == "pages"
    _write(conf, "site_name: y\n")
    assert watcher.step() == "all"
    assert calls == ["pages", "all"]
