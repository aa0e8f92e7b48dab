"""Everyday-words search, run in Chromium against the built site's real search, and what search
costs: nothing on first view, only the shards a query needs afterwards."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
QUERIES = Path(__file__).parent / "search_queries"
GOAL = 0.95  # top-3 hit rate, for every query file on its own
SEARCH_URL = re.compile(r"/search/|search\.js|/workers/|lunr")


def load_queries(path: Path) -> list[dict[str, str]]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


QUERY_FILES = sorted(QUERIES.glob("*.yml"))


def top_pages(page, base_url: str, query: str, n: int = 3) -> list[str]:
    """The first ``n`` pages search lists for ``query``, opened as a shared link or the kiosk's
    topic buttons open it (?q=)."""
    page.goto(f"{base_url}?q={quote(query)}")
    return _listed(page, n)


def search_again(page, query: str, n: int = 3) -> list[str]:
    """As ``top_pages``, typed into the search box of a page that shows search already and sent
    with Enter, as a person searching again does (no page load)."""
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("Enter")  # the form's submit runs the search at once: "正在载入…" until it answers
    return _listed(page, n)


def _listed(page, n: int) -> list[str]:
    results = page.locator("li.md-search-result__item > a.md-search-result__link")
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return window.pufaSearch && m && !m.textContent.includes('正在'); }",
        timeout=30_000,
    )
    hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return list(dict.fromkeys(urlparse(h).path for h in hrefs))[:n]


def test_queries_exist_and_point_at_real_pages(built_site: Path) -> None:
    queries = [q for path in QUERY_FILES for q in load_queries(path)]
    assert len(queries) >= 40
    for q in queries:
        assert (built_site / q["expect"] / "index.html").is_file(), q


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_everyday_queries_find_the_right_page_in_top_3(phone, base_url, built_site, path) -> None:
    queries = load_queries(path)
    misses = []
    for i, q in enumerate(queries):
        # The first through the address, the rest typed again (what a page load would add is
        # the same for every query; tests above and in test_browser.py check that path).
        got = search_again(phone, q["query"]) if i else top_pages(phone, base_url, q["query"])
        if not any(p.strip("/").endswith(q["expect"].strip("/")) for p in got):
            misses.append(f"{q['query']} -> expected {q['expect']}, got {got}")
    rate = 1 - len(misses) / len(queries)
    report = built_site.parent / f"search-report-{path.stem}.txt"
    report.write_text(
        f"{path.name}: top-3 hit rate {rate:.1%} over {len(queries)} queries\n"
        + "\n".join(misses)
        + "\n",
        encoding="utf-8",
    )
    print(f"\nsearch {path.name}: top-3 hit rate {rate:.1%} over {len(queries)} queries")
    assert rate >= GOAL, "\n".join(misses)


@pytest.mark.parametrize("page", ["", "faq/labor/unpaid-wages/", "statutes/civil-code/", "kiosk/"])
def test_first_view_fetches_no_search_bytes(phone, base_url, page) -> None:
    workers: list[str] = []
    phone.on("worker", lambda w: workers.append(w.url))
    phone.goto(base_url + page)
    phone.wait_for_load_state("networkidle")
    assert [u for u in phone.requests if SEARCH_URL.search(u)] == []
    assert workers == []


def test_search_loads_on_focus_and_says_so(phone, base_url) -> None:
    gate: list = []
    phone.route("**/search/meta.json", lambda route: gate.append(route))
    phone.goto(base_url)
    phone.wait_for_load_state("networkidle")
    phone.locator(".md-header__button[for=__search]").click()
    meta = phone.locator(".md-search-result__meta")
    phone.wait_for_function(
        "() => document.querySelector('.md-search-result__meta').textContent.includes('正在载入')"
    )
    assert meta.is_visible()
    phone.wait_for_function("() => !!window.pufaSearch")
    while not gate:
        phone.wait_for_timeout(50)
    gate[0].continue_()
    phone.locator("input.md-search__input").fill("工资")
    phone.locator(".md-search-result__item").first.wait_for(timeout=30_000)
    fetched = [urlparse(u).path for u in phone.requests if "/search/" in u]
    # meta, one shard per term (工资 is one term), the result chunks: never the whole index.
    assert fetched.count("/search/meta.json") == 1
    assert len([p for p in fetched if re.search(r"/t\d+\.json$", p)]) == 1
    # The same query again fetches nothing more.
    before = len(phone.requests)
    phone.locator("input.md-search__input").fill("")
    phone.locator("input.md-search__input").fill("工资")
    phone.locator(".md-search-result__item").first.wait_for()
    phone.wait_for_timeout(300)
    assert [u for u in phone.requests[before:] if "/search/" in u] == []


def test_ime_composition_searches_only_the_finished_text(phone, base_url) -> None:
    phone.goto(base_url + "?q=")
    phone.wait_for_function("() => !!window.pufaSearch")
    phone.locator("input.md-search__input").evaluate(
        """e => { e.dispatchEvent(new CompositionEvent('compositionstart'));
                  e.value = 'gong';
                  e.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true})); }"""
    )
    phone.wait_for_timeout(400)
    assert phone.locator(".md-search-result__item").count() == 0
    assert not [u for u in phone.requests if re.search(r"/search/t\d+\.json", u)]
    phone.locator("input.md-search__input").evaluate(
        """e => { e.value = '工伤';
                  e.dispatchEvent(new CompositionEvent('compositionend', {data: '工伤'})); }"""
    )
    phone.locator(".md-search-result__item").first.wait_for(timeout=30_000)


def test_browser_and_python_cut_and_hash_terms_alike(phone, base_url) -> None:
    from pufa.site.searchindex import term_hash, tokens

    phone.goto(base_url + "?q=")
    phone.wait_for_function("() => !!window.pufaSearch")
    for text in [
        "老板欠工资不发",
        "劳动合同法第82条",
        "ＡＢＣ 12333 复议",
        "税",
        "法律援助怎么申请吗",
    ]:
        js = phone.evaluate("t => window.pufaSearch.tokens(t)", text)
        assert js == list(dict.fromkeys(tokens(text))), text
        assert phone.evaluate("t => t.map(window.pufaSearch.hash)", js) == [
            term_hash(t) for t in js
        ]


def test_mkdocs_build_alone_gives_the_same_search(tmp_path: Path) -> None:
    """`mkdocs serve` and `mkdocs build` (no pufa build) must serve the same search as
    production: our index is written by the hook, the theme's search worker is not shipped, and
    no theme file served under its content-hashed name (nginx: immutable for a year) differs from
    the theme's own copy."""
    import material

    out = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert (out / "search" / "meta.json").is_file()
    assert (out / "assets" / "javascripts" / "search.js").is_file()
    assert not list(out.rglob("workers/search.*.js")), "theme search worker still shipped"
    theme = Path(material.__file__).parent / "templates"
    hashed = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)$")
    for path in out.rglob("*"):
        if hashed.search(path.name):
            original = theme / path.relative_to(out)
            assert original.is_file(), path
            assert path.read_bytes() == original.read_bytes(), f"{path} changed under its hash"


def test_index_reads_text_as_it_reads_and_questions_by_their_content_words() -> None:
    """Pairs are made within a block across inline markup (a rule link "6个月" then "内起诉"), never
    across blocks or across question words (怎么, 吗...), whose accidental pairs (助怎, 么申) would
    match unrelated pages; explicit `search: {boost}` is honoured, hub pages rank below answers."""
    from pufa.site.searchindex import make_doc, page_boost, tokens

    doc = make_doc("faq/x/", "标题", '<p>在<a href="#r">6个月</a>内起诉</p><p>上诉</p>', {})
    assert {"月内", "内起"} <= set(doc.fields["text"])
    assert "诉上" not in doc.fields["text"]
    assert tokens("法律援助怎么申请") == ["法律", "律援", "援助", "怎么", "申请"]
    assert "么申" not in tokens("临时救助怎么申请吗")
    assert page_boost("faq/labor/unpaid-wages/", {}) == 1.0
    assert page_boost("guide/appeal/", {}) < 1.0 and page_boost("faq/labor/", {}) < 1.0
    assert page_boost("", {"search": {"boost": 0.5}}) == 0.5
