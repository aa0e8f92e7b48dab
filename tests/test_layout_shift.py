"""Pages do not jump while they load: cumulative layout shift on a first visit (fresh browser, no
stored mode), as Chromium reports it, for every page type, the kiosk start page included."""

from __future__ import annotations

import pytest

PAGES = [
    "",
    "statutes/petition-work-regulations/",
    "faq/labor/unpaid-wages/",
    "faq/",
    "guide/",
    "petition/",
    "stats/",
    "campaigns/constitution-week-2026/",
    "kiosk/",
]
GOAL = 0.02  # Lighthouse counts up to 0.1 as good; the issue asks for 0.02

CLS = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("path", PAGES)
def test_first_visit_does_not_jump(phone, base_url, path) -> None:
    phone.goto(base_url + path)
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate(CLS) <= GOAL


def test_kiosk_start_page_is_in_kiosk_mode_before_pufa_js_runs(phone, base_url, built_site) -> None:
    """The start page switches kiosk mode on in <head> (kiosk-start.js), not after first paint."""
    phone.route("**/assets/javascripts/pufa.js", lambda route: route.abort())
    phone.goto(base_url + "kiosk/")
    classes = phone.evaluate("document.documentElement.className")
    assert "pufa-kiosk" in classes and "pufa-elder" in classes
    assert phone.evaluate("sessionStorage.getItem('pufa-kiosk')") == "1"
    # Only the start page loads it.
    assert "kiosk-start.js" not in (built_site / "faq/index.html").read_text(encoding="utf-8")
