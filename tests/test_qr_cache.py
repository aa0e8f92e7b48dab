"""Page address QR codes drawn once per address (site/kiosk.py page_qr with a cache)."""

from __future__ import annotations

import os
import time

import pufa.site.kiosk as kiosk

URL = "http://127.0.0.1:8000/faq/labor/unpaid-wages/"


def _count(monkeypatch) -> list[str]:
    drawn: list[str] = []
    real = kiosk.qr_svg

    def counted(url: str, **kwargs) -> str:
        drawn.append(url)
        return real(url, **kwargs)

    monkeypatch.setattr(kiosk, "qr_svg", counted)
    return drawn


def test_a_cached_code_is_the_code_and_is_drawn_once(tmp_path, monkeypatch) -> None:
    fresh = kiosk.page_qr(URL)
    drawn = _count(monkeypatch)
    assert kiosk.page_qr(URL, tmp_path) == fresh
    assert kiosk.page_qr(URL, tmp_path) == fresh
    assert drawn == [URL]
    other = URL.replace("unpaid-wages", "overtime")
    assert kiosk.page_qr(other, tmp_path) != fresh and drawn == [URL, other]
    assert not list(tmp_path.glob(".*"))  # no half-written entries left


def test_codes_no_build_used_for_a_month_are_removed(tmp_path) -> None:
    kiosk.page_qr(URL, tmp_path)
    kiosk.page_qr(URL + "old/", tmp_path)
    old = time.time() - (kiosk.QR_CACHE_DAYS + 1) * 86400
    for entry in tmp_path.iterdir():
        os.utime(entry, (old, old))
    kiosk.page_qr(URL, tmp_path)  # used again: kept
    assert kiosk.prune_qr_cache(tmp_path) == 1
    assert len(list(tmp_path.iterdir())) == 1
