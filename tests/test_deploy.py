"""The site served by real nginx with the generated config: headers, compression, 404, CSP."""

from __future__ import annotations

import gzip
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from pufa.content.library import load_library
from pufa.serve.deploy import content_security_policy, inline_script_hashes, production_files

from .conftest import ROOT

PAGE_TYPES = [
    "",  # home
    "statutes/petition-work-regulations/",  # statute
    "statutes/petition-regulations-2005/",  # repealed statute
    "faq/labor/unpaid-wages/",  # FAQ answer
    "faq/",  # FAQ index
    "guide/",  # claim guide (start)
    "guide/#g-3-1-1",  # claim guide (outcome)
    "guide/practice/",  # staff practice
    "petition/",  # petition guide with SVG timeline
    "petition/lawyers/",
    "stats/",
    "cases/",
    "campaigns/",  # campaign calendar
    "campaigns/constitution-week-2026/",  # campaign page
    "kiosk/",
    "no-such-page/",  # 404
]


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_security_headers_on_pages_and_assets(base_url: str) -> None:
    for path in ["", "statutes/", "assets/javascripts/pufa.js", "search/meta.json"]:
        status, headers, _ = fetch(base_url + path)
        assert status == 200, path
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert "camera=()" in headers["Permissions-Policy"]


def test_cache_lifetimes(base_url: str, built_site: Path) -> None:
    """Pages, the stylesheet and our scripts are revalidated (their names do not change with
    their content); only content-hashed names may be cached for a year."""
    for path in ["", "assets/stylesheets/pufa.css", "assets/javascripts/pufa.js"]:
        _, headers, _ = fetch(base_url + path)
        assert headers["Cache-Control"] == "no-cache", path
    hashed = built_site / "assets/stylesheets/theme.0123abcd.min.css"
    hashed.write_text("", encoding="utf-8")
    try:
        _, asset, _ = fetch(base_url + "assets/stylesheets/theme.0123abcd.min.css")
    finally:
        hashed.unlink()
    assert "immutable" in asset["Cache-Control"] and "max-age=31536000" in asset["Cache-Control"]


def test_precompressed_variants_are_served(base_url: str, built_site: Path) -> None:
    shard = max((built_site / "search").glob("t*.json"), key=lambda p: p.stat().st_size)
    status, headers, body = fetch(base_url + f"search/{shard.name}", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert body == shard.with_name(shard.name + ".gz").read_bytes()
    assert "charset=utf-8" in headers["Content-Type"]
    if Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so").is_file():
        status, headers, body = fetch(base_url, **{"Accept-Encoding": "br"})
        assert headers.get("Content-Encoding") == "br"
        assert body == (built_site / "index.html.br").read_bytes()
    _, headers, body = fetch(base_url)
    assert "Content-Encoding" not in headers  # clients without gzip get the plain file
    assert gzip.decompress((built_site / "index.html.gz").read_bytes()) == body


def test_chinese_404(base_url: str) -> None:
    status, headers, body = fetch(base_url + "no-such-page/")
    assert status == 404
    assert "找不到这个页面" in body.decode("utf-8")
    assert "Content-Security-Policy" in headers


def test_inline_scripts_are_hashed_not_unsafe_inline(built_site: Path, base_url: str) -> None:
    """Every executable inline script of every page as served is allowed by a hash in the CSP
    header nginx sends (hashes computed here, independently of pufa.serve.deploy)."""
    import base64
    import hashlib

    pages = [p for p in PAGE_TYPES if "#" not in p]
    _, headers, _ = fetch(base_url)
    csp = headers["Content-Security-Policy"]
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src "))
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in script_src
    allowed = set(script_src.split()[2:])
    seen = 0
    for path in pages:
        _, _, body = fetch(base_url + path)
        for attrs, text in re.findall(r"<script([^>]*)>(.*?)</script>", body.decode(), re.S):
            if "src=" in attrs or "application/json" in attrs:
                continue
            digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in allowed, (path, text[:80])
            seen += 1
    assert seen >= len(pages)  # at least the head script on each page
    assert inline_script_hashes(built_site) == sorted(allowed)
    assert content_security_policy(sorted(allowed)) == csp


def test_campaign_gallery_layout_holds_under_the_csp(browser, base_url: str) -> None:
    """The campaign page as served: no CSP violation, and the gallery is a grid (figures side
    by side), which inline style= attributes would lose under style-src 'self'."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = context.new_page()
    page.goto(base_url + "campaigns/constitution-week-2026/")
    page.wait_for_load_state("networkidle")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.pufa-gallery')].map(g =>
             [...g.querySelectorAll('figure')].slice(0, 3).map(f => {
               const r = f.getBoundingClientRect(); return [r.left, r.top, r.width]; }))"""
    )
    violations = page.evaluate("window.__csp")
    context.close()
    assert violations == []
    assert boxes and all(len(b) >= 2 for b in boxes), boxes
    for figures in boxes:
        (x0, y0, w0), (x1, y1, w1) = figures[:2]
        assert abs(y0 - y1) < 1 and x1 >= x0 + w0, figures  # side by side in one row
        assert 150 < w0 < 700, figures  # a grid column, not the full width


def test_committed_deploy_config_is_current(built_site: Path) -> None:
    files = production_files(load_library(ROOT), built_site)
    for name, text in files.items():
        committed = ROOT / "deploy" / name
        assert committed.read_text(encoding="utf-8") == text, (
            f"deploy/{name} is stale: run `pufa deploy --write`"
        )


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_no_csp_violations_or_console_errors(phone, base_url: str, path: str) -> None:
    phone.goto(base_url + path)
    phone.wait_for_load_state("networkidle")
    if path == "":  # also exercise search (search.js + index shards fetched) under the CSP
        phone.goto(base_url + "?q=工资")
        phone.locator(".md-search-result__item").first.wait_for(timeout=30_000)
        phone.locator("[data-pufa-search-input]").fill("老板欠工资不发")
        phone.wait_for_function(
            "() => document.querySelector('.md-search-result__item a')"
            "?.getAttribute('href').includes('faq/')"
        )
        assert any("/search/t" in url for url in phone.requests)
    assert phone.evaluate("window.__csp") == []
    errors = [e for e in phone.console_errors if "404" not in e or path != "no-such-page/"]
    assert errors == []


def test_every_immutable_file_is_the_themes_or_named_by_its_own_content(
    base_url: str, built_site: Path
) -> None:
    """nginx serves content-hashed names `immutable` for a year: such a file is either the theme's
    own file, byte for byte, or one we changed and renamed after a hash of its new content."""
    import material
    from pufa.site.offline import HASHED, content_hash

    theme = Path(material.__file__).parent / "templates"
    immutable = []
    for path in sorted(built_site.rglob("*")):
        if not path.is_file() or path.suffix in (".gz", ".br"):
            continue
        rel = path.relative_to(built_site).as_posix()
        request = urllib.request.Request(base_url + rel, method="HEAD")
        with urllib.request.urlopen(request) as response:
            if "immutable" not in response.headers.get("Cache-Control", ""):
                continue
        immutable.append(rel)
        data = path.read_bytes()
        original = theme / rel
        match = HASHED.match(path.name)
        assert (original.is_file() and original.read_bytes() == data) or (
            match and match["hash"] == content_hash(data)
        ), f"{rel} is served immutable but is neither the theme's file nor named by its content"
    # Today none is: the theme's stylesheet and bundle are no longer shipped (adr/0010).
    assert all(HASHED.match(Path(p).name) for p in immutable), immutable
