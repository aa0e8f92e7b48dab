"""Everyday-words search, run in Chromium against the built site's real search."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlparse

import yaml

QUERIES = Path(__file__).parent / "search_queries"
GOAL = 0.90


def load_queries() -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for path in sorted(QUERIES.glob("*.yml")):
        out += yaml.safe_load(path.read_text(encoding="utf-8"))
    return out


def top_pages(page, base_url: str, query: str, n: int = 3) -> list[str]:
    page.goto(f"{base_url}?q={quote(query)}")
    results = page.locator("li.md-search-result__item > a.md-search-result__link")
    meta = page.locator(".md-search-result__meta")
    meta.wait_for(timeout=30_000)
    page.wait_for_function(
        "() => !document.querySelector('.md-search-result__meta').textContent.includes('正在')"
    )
    pages = [urlparse(results.nth(i).get_attribute("href")).path for i in range(results.count())]
    return list(dict.fromkeys(pages))[:n]


def test_queries_exist_and_point_at_real_pages(built_site: Path) -> None:
    queries = load_queries()
    assert len(queries) >= 40
    for q in queries:
        assert (built_site / q["expect"] / "index.html").is_file(), q


def test_everyday_queries_find_the_right_page_in_top_3(phone, base_url, built_site) -> None:
    queries = load_queries()
    misses = []
    for q in queries:
        got = top_pages(phone, base_url, q["query"])
        if not any(p.strip("/").endswith(q["expect"].strip("/")) for p in got):
            misses.append(f"{q['query']} -> expected {q['expect']}, got {got}")
    rate = 1 - len(misses) / len(queries)
    report = built_site.parent / "search-report.txt"
    report.write_text(
        f"top-3 hit rate {rate:.1%} over {len(queries)} queries\n" + "\n".join(misses) + "\n",
        encoding="utf-8",
    )
    print(f"\nsearch: top-3 hit rate {rate:.1%} over {len(queries)} queries")
    for miss in misses:
        print("  miss:", miss)
    assert rate >= GOAL, "\n".join(misses)
