from pathlib import Path

from pufa.site.links import check_links, load_policy

from .conftest import ROOT


def write(root: Path, rel: str, html: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><body>{html}</body></html>", encoding="utf-8")


def test_finds_broken_files_anchors_and_foreign_hosts(tmp_path: Path) -> None:
    write(
        tmp_path,
        "index.html",
        '<a href="a/">ok</a><a href="a/#x">ok</a><a href="a/#nope">bad</a>'
        '<a href="missing/">bad</a><a href="https://flk.npc.gov.cn/">ok</a>'
        '<a href="https://example.com/">foreign</a><a href="http://pufa.test/a/#x">self</a>'
        '<img src="img.png"><a href="#top">self</a><p id="top"></p>',
    )
    write(tmp_path, "a/index.html", '<h2 id="x">x</h2><a href="../">up</a>')
    report = check_links(tmp_path, "http://pufa.test/", {"flk.npc.gov.cn"})
    assert report.pages == 2
    assert sorted(b.split(" (")[0] for b in report.broken) == [
        "index.html: a/#nope",
        "index.html: img.png",
        "index.html: missing/",
    ]
    assert report.disallowed == ["index.html: https://example.com/"]


def test_built_site_has_no_broken_links(built_site: Path) -> None:
    from pufa.content.library import load_library

    lib = load_library(ROOT)
    report = check_links(built_site, lib.office.site_url, load_policy(ROOT / "data"))
    assert report.internal > 1000
    assert report.broken == []
    assert report.disallowed == []


def test_pages_read_as_they_were_written_give_the_same_report(built_site: Path) -> None:
    """check_links with the links the render processes read (``parsed``) reports as it does
    reading every page itself."""
    from pufa.content.library import load_library
    from pufa.site.links import parse_links

    lib = load_library(ROOT)
    policy = load_policy(ROOT / "data")
    pages = sorted(built_site.rglob("*.html"))
    parsed = {
        p.relative_to(built_site).as_posix(): parse_links(p.read_text(encoding="utf-8"))
        for p in pages[::2]  # half of them: the others are read by the check
    }
    assert check_links(built_site, lib.office.site_url, policy, parsed) == check_links(
        built_site, lib.office.site_url, policy
    )
    parsed[next(iter(parsed))].links.append(("a", "#broken-on-purpose"))
    assert check_links(built_site, lib.office.site_url, policy, parsed).broken
