"""Page address QR codes drawn once per address and kept between builds in one file
(site/kiosk.py PageCodes, merge_qr_cache)."""

from __future__ import annotations

import pickle

import pufa.site.kiosk as kiosk

URL = "http://127.0.0.1:8000/faq/labor/unpaid-wages/"
OTHER = URL.replace("unpaid-wages", "overtime")


def _count(monkeypatch) -> list[str]:
    drawn: list[str] = []
    real = kiosk.qr_svg

    def counted(url: str, **kwargs) -> str:
        drawn.append(url)
        return real(url, **kwargs)

    monkeypatch.setattr(kiosk, "qr_svg", counted)
    return drawn


def test_a_kept_code_is_the_code_and_is_drawn_once_across_builds(tmp_path, monkeypatch) -> None:
    fresh = kiosk.page_qr(URL)
    drawn = _count(monkeypatch)
    worker = kiosk.PageCodes(tmp_path)  # a render process of the first build
    assert worker.get(URL) == fresh and worker.get(URL) == fresh
    worker.save()
    other = kiosk.PageCodes(tmp_path)  # another process of the same build, after the first
    assert other.get(OTHER) != fresh
    other.save()
    assert drawn == [URL, OTHER]
    kiosk.merge_qr_cache(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["codes.pickle"]  # one file, no shares

    later = kiosk.PageCodes(tmp_path)  # the next build
    assert later.get(URL) == fresh and later.get(OTHER) == kiosk.page_qr(OTHER)
    assert drawn == [URL, OTHER, OTHER]  # (the comparison drew OTHER once more)
    later.save()  # it drew nothing: its share names the codes it used, without them
    (share,) = tmp_path.glob("share-*.pickle")
    assert pickle.loads(share.read_bytes()) == dict.fromkeys(later.used)
    assert kiosk.merge_qr_cache(tmp_path) == 0 and len(kiosk.PageCodes(tmp_path).kept) == 2


def test_codes_no_build_used_for_a_month_are_dropped(tmp_path) -> None:
    day = 20_000
    first = kiosk.PageCodes(tmp_path)
    first.get(URL)
    first.get(OTHER)
    first.save()
    kiosk.merge_qr_cache(tmp_path, today=day)
    again = kiosk.PageCodes(tmp_path)  # a month later only URL is still a page
    again.get(URL)
    again.save()
    assert kiosk.merge_qr_cache(tmp_path, today=day + kiosk.QR_CACHE_DAYS) == 1
    assert len(kiosk.PageCodes(tmp_path).kept) == 1


def test_a_damaged_or_old_cache_costs_a_redraw_not_a_build(tmp_path, monkeypatch) -> None:
    (tmp_path / "codes.pickle").write_bytes(b"not a pickle")
    (tmp_path / "0123abcd.svg").write_text("<svg/>")  # a file per code, as kept before
    drawn = _count(monkeypatch)
    codes = kiosk.PageCodes(tmp_path)
    assert codes.get(URL) == kiosk.page_qr(URL) and drawn[0] == URL
    codes.save()
    kiosk.merge_qr_cache(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["codes.pickle"]
    assert list(kiosk.PageCodes(tmp_path).kept) != []


def test_codes_drawn_ahead_are_used_once_and_then_kept(tmp_path, monkeypatch) -> None:
    """`pufa build` draws codes while it checks (prefetch_codes); the render processes take
    them instead of drawing, the merge keeps the used ones, and the file drawn ahead goes."""
    assert kiosk.prefetch_codes(tmp_path, [URL, OTHER, URL], lambda: False) == 2
    drawn = _count(monkeypatch)
    worker = kiosk.PageCodes(tmp_path)
    got = worker.get(URL)
    assert worker.get(URL) == got
    worker.save()
    kiosk.merge_qr_cache(tmp_path)
    assert drawn == [] and [p.name for p in tmp_path.iterdir()] == ["codes.pickle"]
    assert got == kiosk.page_qr(URL)
    later = kiosk.PageCodes(tmp_path)
    assert later.get(URL) == kiosk.page_qr(URL) and not later.ahead
    assert set(kiosk._load_codes(tmp_path)) == {kiosk._code_key(URL)}  # OTHER was never used
    # Told to stop, it draws nothing more; codes already kept are not drawn again.
    assert kiosk.prefetch_codes(tmp_path, [OTHER], lambda: True) == 0
    assert kiosk.prefetch_codes(tmp_path, [URL], lambda: False) == 0


def test_codes_are_drawn_ahead_for_the_addresses_pages_get(built_site) -> None:
    """The addresses worked out without MkDocs are the canonical URLs of the built pages."""
    import re

    import yaml
    from pufa.site.render import page_urls

    from .conftest import ROOT

    office = yaml.safe_load((ROOT / "data" / "office.yml").read_text(encoding="utf-8"))
    canonical = {
        m[1]
        for p in built_site.rglob("*.html")
        if p.name != "404.html"
        for m in [re.search(r'<link rel="canonical" href="([^"]+)"', p.read_text("utf-8"))]
        if m
    }
    assert set(page_urls(ROOT / "docs", office["site_url"])) == canonical
    assert len(canonical) > 200
