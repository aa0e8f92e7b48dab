"""Rendering in several processes (site/render.py, site/shards.py): the same site, and
failures that stop every worker and say why."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from pufa.errors import PufaError
from pufa.site.render import worker_count
from pufa.site.shards import Shard, Stopped

from .conftest import ROOT, build_test_site


def _files(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


@pytest.fixture()
def deadline():
    """A worker left waiting would hang the test run: fail after two minutes instead."""

    def expire(*_args):
        raise TimeoutError("the build did not finish: a render worker is waiting forever")

    before = signal.signal(signal.SIGALRM, expire)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, before)


def test_one_process_and_several_write_the_same_site(built_site, tmp_path) -> None:
    """The session's site is rendered by two workers (conftest); one worker, which renders
    every page itself as MkDocs alone would, writes the same files byte for byte: navigation,
    previous/next links, search index, stylesheet and QR codes do not depend on who rendered
    what. The one worker also renders every navigation item anew (no NavCache, site/nav.py):
    the kept items are the ones the theme would render."""
    from pufa.campaign.paths import default_out
    from pufa.site.nav import NAV_CACHE_ENV

    assert (default_out(ROOT)).is_dir()  # the campaign files the session build copied in
    one = build_test_site(tmp_path / "site", workers=1, **{NAV_CACHE_ENV: "0"})
    mine, theirs = _files(one), _files(built_site)
    assert sorted(mine) == sorted(theirs)
    differ = [name for name in mine if mine[name] != theirs[name]]
    assert not differ, differ[:10]


def test_page_errors_found_by_every_worker_are_reported(project, capsys) -> None:
    """Bad pages in both workers' shares: every one is named, nothing is published."""
    from pufa.cli import main

    faqs = sorted((project / "docs" / "faq" / "labor").glob("*.md"))[:4]
    assert len(faqs) == 4
    for faq in faqs:
        faq.write_text(faq.read_text(encoding="utf-8") + "\n[[!nonsense]]\n", encoding="utf-8")
    code = main(["--root", str(project), "build", "--workers", "2"])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code != 0
    for faq in faqs:
        assert f"docs/faq/labor/{faq.name}:" in text, text
    assert "Traceback" not in text and not (project / "site").exists()
    assert not list(project.glob(".*render-*")) and not (project / "site.tmp").exists()


def test_a_mkdocs_warning_fails_the_build_with_its_words(project, capsys) -> None:
    from pufa.cli import main

    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[链接](nope.md)\n", encoding="utf-8")
    code = main(["--root", str(project), "build", "--workers", "2"])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code != 0 and "nope.md" in text and "mkdocs.yml" in text, text
    assert "Traceback" not in text and not (project / "site").exists()


def test_a_configuration_error_is_said_once_with_mkdocs_words(project, capsys) -> None:
    """The configuration is loaded once, before the workers start: an unknown key (strict
    mode) fails the build with MkDocs' words, once, and writes nothing."""
    from pufa.cli import main

    config = project / "mkdocs.yml"
    config.write_text("no_such_setting: 1\n" + config.read_text(encoding="utf-8"), "utf-8")
    code = main(["--root", str(project), "build", "--workers", "2"])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code != 0 and "mkdocs.yml" in text and "Traceback" not in text, text
    assert text.count("Unrecognised configuration name: no_such_setting") == 1, text
    assert not (project / "site").exists() and not (project / "site.tmp").exists()


def test_a_worker_that_dies_stops_the_others(project, monkeypatch, deadline) -> None:
    """A worker killed mid-build (out of memory, say) leaves no message: the others stop
    waiting for it and the build fails saying so, instead of hanging."""
    import pufa.site.pages as pages
    from pufa.site.build import build_site

    render = pages.render_page

    def dies_on_about(markdown, meta, src_path, *args, **kwargs):
        if src_path == "about.md":
            os._exit(9)
        return render(markdown, meta, src_path, *args, **kwargs)

    monkeypatch.setattr(pages, "render_page", dies_on_about)
    stale = project / ".site.tmp.render-killed"  # left by a build killed outright
    stale.mkdir()
    (stale / "pages.0").write_bytes(b"old")
    with pytest.raises(PufaError, match="stopped without a message"):
        build_site(project, project / "site", workers=2)
    assert not (project / "site").exists() and not list(project.glob(".*render-*"))


def test_shares_alternate_and_cover_every_page() -> None:
    shards = [Shard(i, 3, Path(".")) for i in range(3)]
    owners = [[s.index for s in shards if s.owns(p)] for p in range(10)]
    assert owners == [[0], [1], [2], [0], [1], [2], [0], [1], [2], [0]]


def test_worker_count_follows_cores_and_site_size() -> None:
    assert worker_count(10) == 1  # too few pages to share
    assert worker_count(10, requested=3) == 3
    cores = len(os.sched_getaffinity(0))
    assert worker_count(100_000) == min(cores, 8)


def test_a_failed_worker_stops_the_others_waiting(tmp_path) -> None:
    first, second = Shard(0, 2, tmp_path), Shard(1, 2, tmp_path)
    first.publish("pages", {"a": 1})
    second.fail()
    with pytest.raises(Stopped):
        first.gather("pages")


def test_the_first_worker_done_with_its_pages_is_known_to_all(tmp_path) -> None:
    """The first to write its pages writes the search index; the last the stylesheet; the
    parent starts the link check once only the index is left (render.py)."""
    import multiprocessing as mp

    from pufa.site.shards import Claims

    claims = Claims(4, mp.get_context("fork"))
    shards = [Shard(i, 3, tmp_path, claims) for i in range(3)]
    assert claims.first_finished is None
    assert [shards[i].finished() for i in (2, 0, 1)] == [0, 1, 2]
    assert claims.first_finished == 2


def test_links_read_by_the_workers_are_checked(project, capsys) -> None:
    """The link check takes each page's links from the process that wrote it: raw HTML links
    MkDocs does not see, broken in pages of both workers' shares, fail the build by name."""
    from pufa.cli import main

    faqs = sorted((project / "docs" / "faq" / "labor").glob("*.md"))
    chosen = [faqs[0], faqs[-1]]
    for faq in chosen:
        faq.write_text(
            faq.read_text(encoding="utf-8") + '\n<p><a href="#no-such-anchor">x</a></p>\n',
            encoding="utf-8",
        )
    code = main(["--root", str(project), "build", "--workers", "2"])
    text = "".join(capsys.readouterr())
    assert code != 0 and "Traceback" not in text and not (project / "site").exists()
    for faq in chosen:
        assert f"faq/labor/{faq.stem}/index.html: #no-such-anchor (no anchor" in text, text
