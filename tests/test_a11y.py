"""Accessibility in Chromium with axe-core (pinned in package-lock.json): every page type in normal,
长辈版 (elder) and kiosk modes, WCAG 2.x A/AA rules; plus small screens and keyboard focus."""

from __future__ import annotations

import pytest

from .conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = {
    "home": "",
    "statute": "statutes/petition-work-regulations/",
    "faq": "faq/labor/unpaid-wages/",
    "guide-question": "guide/#g-3",
    "guide-outcome": "guide/#g-3-1-1",
    "practice": "guide/practice/",
    "petition": "petition/",
    "stats": "stats/",
    "kiosk-start": "kiosk/",
    "campaign": "campaigns/constitution-week-2026/",
    "campaign-calendar": "campaigns/",
}
MODES = ["normal", "elder", "kiosk"]
RESULTS: dict[str, int] = {}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail("axe-core missing: run `npm ci` (bash dev.sh test does it)")
    return AXE.read_text(encoding="utf-8")


def open_in_mode(browser, base_url: str, mode: str, width: int = 375):
    # bypass_csp only so the test can inject axe; the site's CSP is tested in test_deploy.
    context = browser.new_context(
        viewport={"width": width, "height": 800}, bypass_csp=True, locale="zh-CN"
    )
    if mode == "elder":
        context.add_init_script("localStorage.setItem('pufa-elder', '1')")
    if mode == "kiosk":
        context.add_init_script("sessionStorage.setItem('pufa-kiosk', '1')")
    return context


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_reports_no_violations(browser, base_url, axe_source, name, mode) -> None:
    context = open_in_mode(browser, base_url, mode)
    page = context.new_page()
    page.goto(base_url + PAGES[name])
    page.wait_for_load_state("networkidle")
    page.evaluate(axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        TAGS,
    )
    context.close()
    RESULTS["rules"] = max(
        RESULTS.get("rules", 0),
        len(result["passes"])
        + len(result["inapplicable"])
        + len(result["violations"])
        + len(result["incomplete"]),
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]
    assert violations == [], "\n".join(violations)


@pytest.mark.parametrize(
    "name", ["home", "statute", "faq", "guide-outcome", "stats", "kiosk-start"]
)
def test_no_horizontal_scroll_at_320px(browser, base_url, name) -> None:
    context = open_in_mode(browser, base_url, "elder", width=320)
    page = context.new_page()
    page.goto(base_url + PAGES[name])
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 0, f"{name}: {overflow}px of horizontal scroll at 320px"


def test_keyboard_reaches_links_with_visible_focus(browser, base_url) -> None:
    context = open_in_mode(browser, base_url, "normal")
    page = context.new_page()
    page.goto(base_url)
    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                return {tag: e.tagName, text: (e.textContent || '').trim().slice(0, 20),
                        outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
                                 || s.boxShadow !== 'none'}; }"""
        )
        seen.append(info)
    context.close()
    focused = [s for s in seen if s["tag"] in ("A", "BUTTON", "INPUT", "LABEL")]
    assert len(focused) >= 10
    assert all(s["outline"] for s in focused), [s for s in focused if not s["outline"]]
    assert any("查法规" in s["text"] for s in focused), seen  # the top tasks are reachable


@pytest.mark.parametrize("path", ["faq/", "cases/", "faq/labor/unpaid-wages/", "guide/#g-1-1"])
def test_links_in_text_are_not_marked_by_colour_alone(phone, base_url, path) -> None:
    """WCAG 1.4.1 (Lighthouse `link-in-text-block`): a link that sits in a paragraph, list item,
    table cell or heading together with other text is underlined, not only red."""
    phone.goto(base_url + path, wait_until="networkidle")
    bare = phone.evaluate(
        """() => [...document.querySelectorAll('.md-content a:not(.headerlink)')]
          .filter(a => a.offsetParent !== null)
          .filter(a => {
            const block = a.closest('p, li, td, dd, th, h2, h3, h4');
            return block && block.textContent.trim() !== a.textContent.trim();
          })
          .filter(a => !getComputedStyle(a).textDecorationLine.includes('underline'))
          .filter(a => !a.closest('.pufa-tasks, .pufa-choices, .pufa-chips'))
          .map(a => a.textContent.trim().slice(0, 30))"""
    )
    assert bare == [], bare
