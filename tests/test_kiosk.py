"""Kiosk mode, 长辈版 and read-aloud, proven in Chromium against the site served by nginx."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pufa.serve.kiosk import CHROMIUM_FLAGS, chromium_command, chromium_policy
from pufa.site.kiosk import qr_svg


def kiosk_context(browser, times: dict[str, int] | None = None, width: int = 1080):
    context = browser.new_context(
        viewport={"width": width, "height": 1920}, locale="zh-CN", has_touch=True
    )
    if times:
        context.add_init_script(
            f"sessionStorage.setItem('pufa-kiosk-times', '{json.dumps(times)}')"
        )
    return context


def test_kiosk_start_sets_a_session_flag_and_elder_mode(browser, base_url) -> None:
    context = kiosk_context(browser)
    page = context.new_page()
    page.goto(base_url + "kiosk/")
    page.goto(base_url + "statutes/")
    classes = page.evaluate("document.documentElement.className")
    assert "pufa-kiosk" in classes and "pufa-elder" in classes
    assert page.locator("[data-pufa-zoom]").is_visible()
    before = page.evaluate("getComputedStyle(document.querySelector('.md-typeset p')).fontSize")
    page.locator("[data-pufa-larger]").click()
    after = page.evaluate("getComputedStyle(document.querySelector('.md-typeset p')).fontSize")
    assert float(after[:-2]) > float(before[:-2])
    context.close()


def test_targets_are_at_least_60px_in_kiosk_mode(browser, base_url) -> None:
    context = kiosk_context(browser)
    page = context.new_page()
    page.goto(base_url + "kiosk/")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll(
             '.pufa-tasks a, .pufa-choices a, .pufa-chips a, .pufa-tools button:not([hidden])')]
           .filter(e => e.offsetParent !== null)
           .map(e => { const r = e.getBoundingClientRect();
                       return [e.textContent.trim().slice(0, 8), r.width, r.height]; })"""
    )
    context.close()
    assert len(sizes) >= 15
    small = [s for s in sizes if s[1] < 60 or s[2] < 60]
    assert small == [], small


ELDER_TARGETS = ", ".join(
    [
        ".pufa-step:target .pufa-choices a",
        ".pufa-tools button:not([hidden])",
        ".md-header__button.md-icon",
    ]
)


def test_targets_are_at_least_60px_in_elder_mode(browser, base_url) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812})
    context.add_init_script("localStorage.setItem('pufa-elder', '1')")
    page = context.new_page()
    page.goto(base_url + "guide/#g-3")
    sizes = page.evaluate(
        """targets => [...document.querySelectorAll(targets)]
           .filter(e => e.offsetParent !== null)
           .map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })""",
        ELDER_TARGETS,
    )
    body = page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('.md-typeset p'));"
        " return [parseFloat(s.fontSize), parseFloat(s.lineHeight) / parseFloat(s.fontSize)]; })()"
    )
    context.close()
    assert len(sizes) >= 5
    assert all(w >= 60 and h >= 60 for w, h in sizes), sizes
    assert body[0] >= 20 and body[1] >= 1.6, body


def test_idle_overlay_counts_down_and_reset_clears_state(browser, base_url) -> None:
    context = kiosk_context(browser, {"idle": 2, "countdown": 2})
    page = context.new_page()
    page.goto(base_url + "kiosk/")
    page.goto(base_url + "guide/#g-3-1")  # a visitor answered the guide...
    page.evaluate("sessionStorage.setItem('visitor-note', 'x'); window.scrollTo(0, 400)")
    page.locator("input.md-search__input").evaluate("e => e.value = '工资'")
    overlay = page.locator(".pufa-overlay--idle")
    overlay.wait_for(timeout=5_000)
    assert "还在看吗" in overlay.inner_text()
    page.wait_for_url("**/kiosk/", timeout=8_000)
    state = page.evaluate(
        "({note: sessionStorage.getItem('visitor-note'),"
        " kiosk: sessionStorage.getItem('pufa-kiosk'), hash: location.hash, scroll: window.scrollY,"
        " search: document.querySelector('input.md-search__input').value})"
    )
    context.close()
    assert state == {"note": None, "kiosk": "1", "hash": "", "scroll": 0, "search": ""}


def test_any_touch_cancels_the_idle_overlay(browser, base_url) -> None:
    context = kiosk_context(browser, {"idle": 1, "countdown": 5})
    page = context.new_page()
    page.goto(base_url + "kiosk/")
    page.locator(".pufa-overlay--idle").wait_for(timeout=5_000)
    page.mouse.click(10, 300)
    assert page.locator(".pufa-overlay--idle").count() == 0
    assert page.url.endswith("/kiosk/")
    context.close()


def test_external_link_shows_qr_and_does_not_navigate(browser, base_url) -> None:
    context = kiosk_context(browser)
    page = context.new_page()
    page.goto(base_url + "kiosk/")
    page.goto(base_url + "statutes/constitution/")
    link = page.locator('a[href^="https://flk.npc.gov.cn"]').first
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    link.click()
    overlay = page.locator(".pufa-overlay--qr")
    overlay.wait_for(timeout=3_000)
    assert page.url.startswith(base_url)
    assert "flk.npc.gov.cn" in overlay.inner_text()
    qr = overlay.locator("img.pufa-overlay__qr")
    qr.wait_for()
    assert page.evaluate("e => e.complete && e.naturalWidth > 0", qr.element_handle())
    assert not any("flk.npc.gov.cn" in u for u in requests)
    context.close()


def test_every_page_offers_its_qr_code(phone, base_url) -> None:
    phone.goto(base_url + "faq/labor/unpaid-wages/")
    aside = phone.locator("aside.pufa-qr")
    assert "扫码在手机上继续阅读" in aside.inner_text()
    title = aside.locator("svg title").text_content() or ""
    assert title.endswith("/faq/labor/unpaid-wages/")  # the page's public URL from site_url


def test_search_works_with_input_events_alone(phone, base_url) -> None:
    phone.goto(base_url)
    phone.locator("label.md-search__icon, .md-header__button[for=__search]").first.click()
    # An on-screen keyboard or IME delivers text through input events, with no key-ups.
    phone.locator("input.md-search__input").evaluate(
        "e => { e.value = '工伤'; e.dispatchEvent(new InputEvent('input', {bubbles: true})); }"
    )
    phone.locator(".md-search-result__item").first.wait_for(timeout=30_000)


def test_search_waits_for_ime_composition_to_end(phone, base_url) -> None:
    phone.goto(base_url)
    phone.locator("label.md-search__icon, .md-header__button[for=__search]").first.click()
    phone.locator("input.md-search__input").evaluate(
        """e => { e.dispatchEvent(new CompositionEvent('compositionstart'));
                  e.value = 'gong';
                  e.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true}));
                  e.value = '工资';
                  e.dispatchEvent(new CompositionEvent('compositionend', {data: '工资'})); }"""
    )
    phone.locator(".md-search-result__item").first.wait_for(timeout=30_000)


def test_elder_mode_persists_across_pages_and_reloads(browser, base_url) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(base_url + "faq/")
    button = page.locator("[data-pufa-elder]")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert "pufa-elder" in page.evaluate("document.documentElement.className")
    page.goto(base_url + "statutes/")
    assert "pufa-elder" in page.evaluate("document.documentElement.className")
    page.reload()
    assert page.locator("[data-pufa-elder]").get_attribute("aria-pressed") == "true"
    page.locator("[data-pufa-elder]").click()  # one tap back
    page.reload()
    assert "pufa-elder" not in page.evaluate("document.documentElement.className")
    context.close()


STUB = """
window.__spoken = [];
const fake = {
  speaking: false, paused: false,
  getVoices: () => [{lang: 'zh-CN', name: 'stub'}],
  speak(u) { window.__spoken.push({text: u.text, lang: u.lang}); },
  cancel() { window.__cancelled = true; }, pause() { this.paused = true; },
  resume() { this.paused = false; }, addEventListener() {},
};
Object.defineProperty(window, 'speechSynthesis', {value: fake});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""


def test_read_aloud_uses_speech_synthesis_in_chinese(browser, base_url) -> None:
    context = browser.new_context()
    context.add_init_script(STUB)
    page = context.new_page()
    page.goto(base_url + "faq/labor/unpaid-wages/")
    page.locator("[data-pufa-read]").click()
    spoken = page.evaluate("window.__spoken")
    assert spoken and all(s["lang"] == "zh-CN" for s in spoken)
    assert "简单回答" in "".join(s["text"] for s in spoken)
    assert page.locator("[data-pufa-pause]").is_visible()
    page.locator("[data-pufa-stop]").click()
    assert page.evaluate("window.__cancelled") is True
    context.close()


def test_read_aloud_is_hidden_without_a_chinese_voice(browser, base_url) -> None:
    context = browser.new_context()
    context.add_init_script(STUB.replace("lang: 'zh-CN', name", "lang: 'en-US', name"))
    page = context.new_page()
    page.goto(base_url + "faq/labor/unpaid-wages/")
    assert page.locator("[data-pufa-read]").is_hidden()
    context.close()


def test_launcher_allows_only_our_origin() -> None:
    policy = chromium_policy("http://127.0.0.1:8000")
    assert policy["URLBlocklist"] == ["*"] and "http://127.0.0.1:8000" in policy["URLAllowlist"]
    command = chromium_command("/usr/bin/chromium", "http://127.0.0.1:8000/kiosk/", Path("/p"))
    assert "--kiosk" in command and "--disable-pinch" in command
    assert command[-1] == "--app=http://127.0.0.1:8000/kiosk/"
    assert set(CHROMIUM_FLAGS) <= set(command)


def test_qr_code_is_an_accessible_svg() -> None:
    svg = qr_svg("http://127.0.0.1:8000/faq/", title="本页地址")
    assert svg.startswith('<svg role="img"') and "<title>本页地址</title>" in svg
    assert "style=" not in svg


@pytest.mark.parametrize("path", ["", "kiosk/"])
def test_kiosk_pages_work_without_javascript(browser, base_url, path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + path)
    assert page.locator(".pufa-tasks a").count() >= 4
    context.close()


def test_launcher_restarts_the_browser_when_it_exits(tmp_path: Path) -> None:
    from pufa.serve.kiosk import install_policy, keep_browser_running

    marker = tmp_path / "starts"
    fake = tmp_path / "chromium"
    fake.write_text(f"#!/bin/sh\necho x >> {marker}\nexit 1\n")
    fake.chmod(0o755)
    assert keep_browser_running([str(fake)], max_starts=3, pause=0) == 3
    assert marker.read_text().count("x") == 3
    policy = install_policy("http://127.0.0.1:8000", tmp_path / "policies")
    assert policy and json.loads(policy.read_text())["URLBlocklist"] == ["*"]
