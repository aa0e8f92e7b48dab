"""Kiosk mode, 长辈版 and read-aloud, proven in Chromium against the site served by nginx."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from pufa.serve.kiosk import CHROMIUM_FLAGS, chromium_command, chromium_policy
from pufa.site.kiosk import qr_svg

from .conftest import CHROMIUM, ROOT


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
    with page.expect_request("**/kiosk/?pufa-reset=1", timeout=8_000):
        pass  # the request the launcher watches for (it restarts the browser: empty history)
    page.wait_for_url("**/kiosk/", timeout=8_000)  # the address is cleaned again
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
    outcome = keep_browser_running([str(fake)], max_starts=3, pause=0)
    assert outcome.starts == 3 and outcome.code == 0
    assert marker.read_text().count("x") == 3
    policy = install_policy("http://127.0.0.1:8000", tmp_path / "policies")
    assert policy and json.loads(policy.read_text())["URLBlocklist"] == ["*"]


# --- Zoom, ways out, idle reset, start page, timer override -----------------------------------

ZOOM_PAGES = [
    "statutes/labor-contract-law/",
    "faq/labor/unpaid-wages/",
    "guide/",
    "petition/",
    "campaigns/constitution-week-2026/",
]


def text_metrics(page) -> dict:
    return page.evaluate(
        """() => ({
             root: parseFloat(getComputedStyle(document.documentElement).fontSize),
             p: parseFloat(getComputedStyle(document.querySelector('.md-typeset p')).fontSize),
             overflow: document.documentElement.scrollWidth - window.innerWidth,
             zoom: sessionStorage.getItem('pufa-zoom')})"""
    )


def test_zoom_is_one_value_kept_across_page_types(browser, base_url) -> None:
    context = kiosk_context(browser)
    page = context.new_page()
    page.goto(base_url + "kiosk/")
    before = text_metrics(page)
    for _ in range(3):
        page.locator("[data-pufa-larger]").click()
    zoomed = text_metrics(page)
    assert zoomed["p"] >= before["p"] * 1.3, (before, zoomed)
    for path in ZOOM_PAGES:
        page.goto(base_url + path)
        m = text_metrics(page)
        # The same factor on every page (one stored value, one unit), body text at least as
        # large as on the page where A+ was pressed, and nothing scrolls sideways.
        assert m["zoom"] == zoomed["zoom"] and abs(m["root"] - zoomed["root"]) < 0.5, (path, m)
        assert m["p"] >= 26 and m["root"] >= before["root"] * 1.4, (path, m)
        assert m["overflow"] <= 0, (path, m)
    context.close()


WAYS_OUT = """() => {
  const p = document.querySelector('.md-typeset p');
  const link = document.querySelector('.md-typeset a[href]');
  const input = document.querySelector('input.md-search__input');
  const blocked = (el, ev) => !el.dispatchEvent(ev);
  const key = (k, mods, el) => blocked(el || document.body,
      new KeyboardEvent('keydown', {key: k, bubbles: true, cancelable: true, ...mods}));
  const o = {bubbles: true, cancelable: true};
  return {
    contextmenu: blocked(p, new MouseEvent('contextmenu', o)),
    linkContextmenu: blocked(link, new MouseEvent('contextmenu', o)),
    dragLink: blocked(link, new DragEvent('dragstart', o)),
    selectText: blocked(p, new Event('selectstart', o)),
    middleClick: blocked(link, new MouseEvent('auxclick', {...o, button: 1})),
    altLeft: key('ArrowLeft', {altKey: true}),
    altRight: key('ArrowRight', {altKey: true}),
    ctrlN: key('n', {ctrlKey: true}), ctrlT: key('t', {ctrlKey: true}),
    ctrlL: key('l', {ctrlKey: true}), ctrlO: key('o', {ctrlKey: true}),
    ctrlP: key('p', {ctrlKey: true}), ctrlS: key('s', {ctrlKey: true}),
    F5: key('F5', {}), F11: key('F11', {}), F12: key('F12', {}),
    backspace: key('Backspace', {}), browserBack: key('BrowserBack', {}),
    // Typing in the search box still works.
    selectInInput: !blocked(input, new Event('selectstart', o)),
    pasteInInput: !key('v', {ctrlKey: true}, input),
    backspaceInInput: !key('Backspace', {}, input),
  };
}"""


def test_kiosk_blocks_the_browsers_ways_out(browser, base_url) -> None:
    context = kiosk_context(browser)
    page = context.new_page()
    page.goto(base_url + "kiosk/")
    page.goto(base_url + "statutes/labor-contract-law/")
    result = page.evaluate(WAYS_OUT)
    assert all(result.values()), {k: v for k, v in result.items() if not v}
    # Real gestures: a right click (long press) opens no menu; Ctrl+click on our own link
    # opens it here, never in a new tab or window.
    page.evaluate(
        "window.addEventListener('contextmenu', e => setTimeout(() =>"
        " window.__menu = e.defaultPrevented), true)"
    )
    page.locator(".md-typeset p").first.click(button="right")
    page.wait_for_function("window.__menu !== undefined")
    assert page.evaluate("window.__menu") is True
    link = page.locator('.md-typeset a[href^="../"]').first
    href = link.get_attribute("href")
    link.click(modifiers=["Control"])
    page.wait_for_load_state()
    assert len(context.pages) == 1, [p.url for p in context.pages]
    assert page.url != base_url + "statutes/labor-contract-law/", href
    context.close()


def test_outside_kiosk_mode_nothing_is_blocked(phone, base_url) -> None:
    phone.goto(base_url + "statutes/labor-contract-law/")
    result = phone.evaluate(WAYS_OUT)
    blocked = [k for k, v in result.items() if v and not k.endswith("InInput")]
    assert blocked == []


def rewrite_config(context, old: str, new: str) -> None:
    """Serve every page with its pufa-config block changed (the data block is not a script, so
    the CSP hashes still hold)."""

    def handle(route) -> None:
        response = route.fetch()
        body = response.text()
        assert old in body, "pufa-config not as expected"
        route.fulfill(response=response, body=body.replace(old, new))

    context.route(lambda url: url.endswith("/") or "/?" in url, handle)


def test_start_page_comes_from_data(browser, base_url) -> None:
    from pufa.content.library import load_library
    from pufa.site.kiosk import browser_config, start_path

    shipped = load_library(ROOT).kiosk
    assert json.loads(browser_config(shipped))["start"] == start_path(shipped) == "kiosk/"
    other = shipped.model_copy(update={"start": "faq/index.md"})
    assert json.loads(browser_config(other))["start"] == "faq/"
    assert start_path(shipped.model_copy(update={"start": "guide/practice.md"})) == (
        "guide/practice/"
    )
    # In the browser: the idle reset goes to the configured start page.
    context = kiosk_context(browser, {"idle": 1, "countdown": 1})
    rewrite_config(context, '"start": "kiosk/"', '"start": "faq/"')
    page = context.new_page()
    page.goto(base_url + "kiosk/")
    page.goto(base_url + "statutes/")
    page.wait_for_url("**/faq/", timeout=10_000)
    context.close()


def test_timer_override_works_only_in_test_builds(browser, base_url) -> None:
    from pufa.content.library import load_library
    from pufa.site.kiosk import TEST_BUILD_ENV, browser_config

    kiosk = load_library(ROOT).kiosk
    saved = os.environ.pop(TEST_BUILD_ENV, None)
    try:
        assert "testing" not in json.loads(browser_config(kiosk))  # production output
    finally:
        if saved is not None:
            os.environ[TEST_BUILD_ENV] = saved
    assert json.loads(browser_config(kiosk, testing=True))["testing"] is True
    # A test build takes the shortened idle time (the overlay shows after 1 s) ...
    times = {"idle": 1, "countdown": 60}
    context = kiosk_context(browser, times)
    page = context.new_page()
    page.goto(base_url + "kiosk/")
    page.locator(".pufa-overlay--idle").wait_for(timeout=5_000)
    context.close()
    # ... the same page without the test flag (as production is built) ignores it.
    context = kiosk_context(browser, times)
    rewrite_config(context, ', "testing": true', "")
    page = context.new_page()
    page.goto(base_url + "kiosk/")
    page.wait_for_timeout(3_000)
    assert page.locator(".pufa-overlay--idle").count() == 0
    assert (
        page.evaluate("JSON.parse(document.getElementById('pufa-config').textContent)")["idle"]
        == 90
    )
    context.close()


# --- Links to other sites --------------------------------------------------------------------


def test_own_site_is_an_exact_origin_match() -> None:
    from pufa.site.kiosk import annotate_external_links

    html = (
        '<a href="http://127.0.0.1:8000/faq/">ours</a>'
        '<a href="http://127.0.0.1:8000.evil.com/">not ours</a>'
        '<a href="http://127.0.0.1:80001/">not ours</a>'
        '<a href="https://127.0.0.1:8000/">not ours (scheme)</a>'
    )
    out, images = annotate_external_links(html, "http://127.0.0.1:8000/", "q/")
    assert sorted(images.values()) == sorted(
        ["http://127.0.0.1:80001/", "http://127.0.0.1:8000.evil.com/", "https://127.0.0.1:8000/"]
    )
    assert out.count("data-pufa-qr") == 3


def test_link_qr_encodes_the_address_not_html_entities(tmp_path: Path) -> None:
    from pufa.site.kiosk import annotate_external_links, write_qr_images

    html = '<a href="https://example.gov.cn/search?a=1&amp;b=2">x</a>'
    out, images = annotate_external_links(html, "http://127.0.0.1:8000/", "q/")
    assert list(images.values()) == ["https://example.gov.cn/search?a=1&b=2"]
    assert 'href="https://example.gov.cn/search?a=1&amp;b=2"' in out  # the HTML is unchanged
    write_qr_images(images, tmp_path)
    svg = next(tmp_path.iterdir()).read_text(encoding="utf-8")
    assert "a=1&amp;b=2</title>" in svg  # the title is XML-escaped once, not twice


# --- The launcher ----------------------------------------------------------------------------


def test_launcher_refuses_to_start_without_the_policy(tmp_path, monkeypatch, capsys) -> None:
    import pufa.serve.kiosk as launcher
    from pufa.cli import main

    monkeypatch.setattr(launcher, "POLICY_DIR", tmp_path / "managed")
    started: list[list[str]] = []
    monkeypatch.setattr(subprocess, "Popen", lambda cmd, **kw: started.append(cmd))
    code = main(["--root", str(ROOT), "kiosk", "--no-build"])
    err = capsys.readouterr().err
    assert code != 0 and "policy" in err and "--install-policy" in err, err
    assert started == []  # neither nginx nor the browser
    # A policy that allows another origin is refused too.
    launcher.install_policy("http://127.0.0.1:9999", tmp_path / "managed")
    assert main(["--root", str(ROOT), "kiosk", "--no-build"]) != 0
    assert "does not allow only http://127.0.0.1:8000" in capsys.readouterr().err
    assert started == []


def test_launcher_never_runs_nginx_or_chromium_as_root(tmp_path, monkeypatch) -> None:
    import pufa.serve.kiosk as launcher
    from pufa.serve.deploy import test_config

    if os.geteuid() != 0:
        pytest.skip("needs root to check the switch to the kiosk user")
    with pytest.raises(launcher.KioskError, match="no user"):
        launcher.identity("no-such-user-pufa")
    with pytest.raises(launcher.KioskError, match="root"):
        launcher.identity("root")
    who = launcher.identity("nobody")
    assert who.uid not in (None, 0) and who.popen_kwargs()["user"] == who.uid
    out = subprocess.run(["id", "-u"], capture_output=True, text=True, **who.popen_kwargs())
    assert out.stdout.strip() == str(who.uid)
    conf = test_config(ROOT / "docs", tmp_path / "nginx", 8000, as_root=False).read_text()
    assert "user root" not in conf
    source = (ROOT / "scripts/pufa/serve/commands.py").read_text(encoding="utf-8")
    kiosk = source[source.index("def cmd_kiosk") : source.index("def add_serve_commands")]
    assert "as_root=False" in kiosk and kiosk.count("**who.popen_kwargs()") == 2


def test_launcher_backs_off_then_gives_up_on_a_crashing_browser(tmp_path: Path) -> None:
    from pufa.serve.kiosk import keep_browser_running

    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 139\n")
    fake.chmod(0o755)
    waits: list[str] = []
    outcome = keep_browser_running(
        [str(fake)], max_crashes=3, window=60, pause=1.0, poll=0.01, report=waits.append
    )
    assert outcome.code != 0 and outcome.starts == 3
    pauses = [float(m.split("restarting in ")[1].split(" s")[0]) for m in waits[:-1]]
    assert "giving up" in waits[-1] and "139" in waits[-1]
    assert pauses == [1.0, 2.0]  # the pause doubles with each crash


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_port(port: int, proc: subprocess.Popen | None = None, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if (proc and proc.poll() is not None) or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_idle_reset_restarts_the_browser_with_an_empty_history(
    browser, built_site, tmp_path
) -> None:
    """The launcher's loop with real Chromium: after an idle reset the new browser session
    has one history entry (nothing to go back to)."""
    from pufa.serve.deploy import require_nginx, test_config
    from pufa.serve.kiosk import keep_browser_running

    port, cdp = _free_port(), _free_port()
    conf = test_config(built_site, tmp_path / "nginx", port, as_root=os.geteuid() == 0)
    nginx = subprocess.Popen([require_nginx("the kiosk test"), "-c", str(conf)])
    origin = f"http://127.0.0.1:{port}"
    profile = tmp_path / "profile"
    command = chromium_command(CHROMIUM, f"{origin}/kiosk/", profile) + [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        f"--remote-debugging-port={cdp}",
    ]
    messages: list[str] = []
    stop = threading.Event()
    loop = threading.Thread(
        target=keep_browser_running,
        args=(command,),
        kwargs={
            "profile": profile,
            "reset_log": tmp_path / "nginx/logs/access.log",
            "stop": stop,
            "pause": 0.2,
            "report": messages.append,
        },
    )
    try:
        _wait_port(port, nginx)
        loop.start()

        def kiosk_page():
            _wait_port(cdp, timeout=30)
            # A loaded machine can be slow to hand over a freshly started browser: retry.
            for attempt in range(3):
                try:
                    remote = browser.browser_type.connect_over_cdp(
                        f"http://127.0.0.1:{cdp}", timeout=45_000
                    )
                    break
                except Exception:
                    if attempt == 2:
                        raise
                    time.sleep(1)
            deadline = time.monotonic() + 15
            while not [p for c in remote.contexts for p in c.pages if p.url.startswith(origin)]:
                assert time.monotonic() < deadline, "the kiosk page did not open"
                time.sleep(0.2)
            page = next(p for c in remote.contexts for p in c.pages if p.url.startswith(origin))
            page.wait_for_load_state()
            return remote, page

        remote, page = kiosk_page()
        page.goto(f"{origin}/statutes/")
        page.goto(f"{origin}/faq/")
        page.evaluate("sessionStorage.setItem('pufa-kiosk-times', '{\"idle\":1,\"countdown\":1}')")
        page.goto(f"{origin}/guide/")
        assert page.evaluate("history.length") >= 4
        deadline = time.monotonic() + 20
        while not any("idle reset" in m for m in messages):
            assert time.monotonic() < deadline, f"no restart after the idle reset: {messages}"
            time.sleep(0.2)
        with contextlib.suppress(Exception):
            remote.close()  # its browser was restarted
        remote, page = kiosk_page()
        assert page.url.rstrip("/").endswith("/kiosk")
        assert page.evaluate("history.length") == 1
        remote.close()
    finally:
        stop.set()
        if loop.is_alive():
            loop.join(timeout=20)
        nginx.terminate()
        nginx.wait(timeout=10)


DUMP = ["--timeout=8000", "--dump-dom"]  # the DOM after at most 8 s (idle timers never end)
POLICY_WRAPPER = """#!/bin/sh
# Chromium with {etc} mounted over /etc/chromium in a private mount namespace: the managed
# policy applies to this browser only, not to any other Chromium on the machine.
exec unshare --mount -- \\
  sh -c 'mount --bind "$0" /etc/chromium && exec "$@"' {etc} {chromium} "$@"
"""


def test_policy_blocks_other_origins_in_chromium(base_url, tmp_path) -> None:
    """The launcher's policy, installed as a managed Chromium policy, in real Chromium."""
    from pufa.serve.kiosk import install_policy, policy_problem

    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare to mount a private /etc/chromium")
    etc = tmp_path / "etc-chromium"
    etc.mkdir()
    if Path("/etc/chromium").is_dir():
        for item in Path("/etc/chromium").iterdir():
            if item.is_file():
                shutil.copy(item, etc / item.name)
    origin = base_url.rstrip("/")
    path = install_policy(origin, etc / "policies" / "managed")
    assert policy_problem(origin, etc / "policies" / "managed") is None
    # Headless Chromium is driven through DevTools, which the kiosk policy turns off; everything
    # else is the launcher's policy as installed.
    policy = json.loads(path.read_text(encoding="utf-8"))
    del policy["DeveloperToolsAvailability"]
    path.write_text(json.dumps(policy), encoding="utf-8")
    wrapper = tmp_path / "chromium"
    wrapper.write_text(POLICY_WRAPPER.format(etc=etc, chromium=CHROMIUM))
    wrapper.chmod(0o755)
    other = base_url.replace("127.0.0.1", "localhost")  # the same server, another origin

    def load(url: str) -> str:
        out = subprocess.run(
            [str(wrapper), "--headless=new", "--no-sandbox", "--disable-gpu", *DUMP, url],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return out.stdout + out.stderr  # a blocked navigation is reported on stderr

    assert "pufa-tasks" in load(base_url + "kiosk/")  # our own site opens
    blocked = load(other + "kiosk/")
    assert "pufa-tasks" not in blocked and "ERR_BLOCKED_BY_ADMINISTRATOR" in blocked, blocked[:500]
