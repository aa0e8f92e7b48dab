"""Headless Chromium at phone size against the built site served over HTTP."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

PAGES = [
    "",
    "statutes/petition-work-regulations/",
    "statutes/petition-regulations-2005/",
    "statutes/labor-contract-law/",
]


def off_origin(requests: list[str], base_url: str) -> list[str]:
    origin = urlparse(base_url).netloc
    return [
        u
        for u in requests
        if urlparse(u).scheme in {"http", "https"} and urlparse(u).netloc != origin
    ]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_on_phone_without_horizontal_scroll_or_third_party_requests(
    phone, base_url, path
):
    response = phone.goto(base_url + path)
    assert response and response.ok
    phone.wait_for_load_state("networkidle")
    assert off_origin(phone.requests, base_url) == []
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"horizontal scroll of {overflow}px"
    assert (
        phone.evaluate("getComputedStyle(document.body).fontFamily").find("Noto Sans CJK SC") >= 0
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("劳动合同", "statutes/labor-contract-law/"),
        ("二倍工资", "faq/labor/written-contract-double-pay/"),
        ("二倍工资", "statutes/labor-contract-law/"),
    ],
)
def test_search_finds_the_right_page(phone, base_url, query, expected):
    phone.goto(base_url)
    phone.locator("label.md-search__icon, .md-header__button[for=__search]").first.click()
    box = phone.locator("input.md-search__input")
    box.fill(query)
    # One result per page; the right page must be among the first three.
    results = phone.locator("li.md-search-result__item > a.md-search-result__link")
    results.first.wait_for(timeout=30_000)
    pages = [urlparse(results.nth(i).get_attribute("href")).path for i in range(results.count())]
    top3 = list(dict.fromkeys(pages))[:3]
    assert any(p.endswith(expected) for p in top3), top3
    assert off_origin(phone.requests, base_url) == []


def test_citation_link_lands_on_quoted_article(phone, base_url):
    """Follow real citation links from an answer: each lands on its statute page, scrolled to
    the quoted article it names."""
    page_url = base_url + "faq/labor/unpaid-wages/"
    phone.goto(page_url)
    links = phone.locator('article a.pufa-cite[href*="#art-"]')
    count = min(links.count(), 3)
    assert count >= 1
    for i in range(count):
        phone.goto(page_url)
        link = phone.locator('article a.pufa-cite[href*="#art-"]').nth(i)
        label = link.inner_text().strip()  # e.g. 《劳动法》第五十条
        href = link.get_attribute("href") or ""
        link.click()
        phone.wait_for_url("**/statutes/**")
        fragment = href.split("#", 1)[1]
        assert phone.evaluate("location.hash") == "#" + fragment
        target = phone.locator(f"#{fragment}")
        assert "pufa-article" in (target.get_attribute("class") or "")
        head = target.locator(".pufa-article__head").inner_text().strip()
        assert head.endswith(label.split("》", 1)[1]), (label, head)
        top = phone.evaluate(f"document.getElementById('{fragment}').getBoundingClientRect().top")
        assert 0 <= top < phone.viewport_size["height"], (fragment, top)


def test_todays_duty_lawyer_is_shown_first(browser, base_url):
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, timezone_id="Asia/Shanghai"
    )
    context.clock.set_fixed_time("2026-11-27T10:00:00+08:00")  # a Friday
    page = context.new_page()
    page.goto(base_url + "petition/lawyers/")
    first = page.locator("table.pufa-rota tbody tr").first
    assert first.get_attribute("data-weekday") == "5"
    assert first.get_attribute("aria-current") == "date"
    assert "星期五" in page.locator("[data-pufa-today]").inner_text()
    context.close()


def test_faq_and_petition_guide_work_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(base_url + "faq/labor/unpaid-wages/")
    assert page.locator("h1").inner_text().replace("¶", "").strip().endswith("？")
    assert page.locator(".pufa-answer").is_visible()
    assert page.locator("#asks").count() == 1
    page.goto(base_url + "petition/")
    svg = page.locator("svg.pufa-timeline")
    assert svg.is_visible() and svg.bounding_box()["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto(base_url + "petition/lawyers/")
    assert page.locator("table.pufa-rota tbody tr").count() >= 5
    context.close()


@pytest.mark.parametrize(
    ("clicks", "outcome"),
    [
        (["已经在法院打官司了", "一审刚判"], "appeal"),  # 法院判了我不服
        (["政府部门、派出所、交警", "罚了款", "当场开给我的罚单"], "on-the-spot-penalty"),
        (["工作上的事", "老板欠工资"], "labor-arbitration"),  # 老板跑了工钱没给
    ],
)
def test_claim_guide_clicks_through_without_javascript(browser, base_url, clicks, outcome):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = context.new_page()
    requests: list[str] = []
    page.goto(base_url + "guide/")
    page.wait_for_load_state("networkidle")
    page.on("request", lambda r: requests.append(r.url))
    for text in clicks:
        step = page.locator(".pufa-step:visible")
        assert step.count() == 1  # one question per screen
        step.locator("a", has_text=text).first.click()
    shown = page.locator(".pufa-step:visible")
    assert shown.count() == 1
    assert shown.get_attribute("data-outcome") == outcome
    assert shown.locator("a.pufa-cite").count() >= 1  # the legal basis links to the law
    assert shown.locator(".pufa-outcome__deadlines li, .pufa-outcome__facts dd").count() >= 3
    summary = shown.locator("table.pufa-summary a")
    assert summary.count() == len(clicks)  # a change link per answer
    summary.first.click()
    assert page.locator(".pufa-step:visible .pufa-step__q").inner_text().rstrip("¶") == (
        "先说说，是什么事？"
    )
    # Answering sends nothing to any server (the browser may still fetch its favicon).
    assert [u for u in requests if "/favicon." not in u] == [], requests
    context.close()


def test_outcome_page_is_a_printable_notice_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = context.new_page()
    response = page.goto(base_url + "guide/on-the-spot-penalty/")
    assert response and response.ok
    notice = page.locator('.pufa-outcome--page[data-outcome="on-the-spot-penalty"]')
    assert notice.is_visible()
    assert notice.locator(".pufa-outcome__deadlines li").count() >= 1
    assert notice.locator("a.pufa-cite").count() >= 1
    assert page.locator(".pufa-article").count() >= 1  # the quoted articles
    assert page.locator("#asks").count() == 1  # how people ask it, for search
    context.close()


def test_search_finds_the_outcome_page(phone, base_url):
    phone.goto(base_url)
    phone.locator("label.md-search__icon, .md-header__button[for=__search]").first.click()
    phone.locator("input.md-search__input").fill("交警当场罚款不服")
    results = phone.locator("li.md-search-result__item > a.md-search-result__link")
    results.first.wait_for(timeout=30_000)
    pages = [urlparse(results.nth(i).get_attribute("href")).path for i in range(results.count())]
    top5 = list(dict.fromkeys(pages))[:5]
    assert any(p.endswith("guide/on-the-spot-penalty/") for p in top5), top5
    assert off_origin(phone.requests, base_url) == []


def test_practice_scores_in_the_page_per_class(phone, base_url):
    phone.goto(base_url + "guide/practice/")
    cases = phone.locator("section.pufa-case")
    assert cases.count() >= 60
    first = phone.locator('section.pufa-case[data-class="administrative"]').first
    first.locator('a[data-correct="true"]').click()
    other = phone.locator('section.pufa-case[data-class="litigation"]').first
    other.locator('a[data-correct="false"]').first.click()
    assert "答对 1 题" in phone.locator("[data-pufa-score]").inner_text()
    assert phone.locator(".pufa-feedback.is-shown").count() == 2
    rows = phone.locator("[data-pufa-score-classes]")
    assert rows.is_visible()
    admin = rows.locator('tr[data-class="administrative"]')
    assert admin.locator("[data-right]").inner_text() == "1"
    lit = rows.locator('tr[data-class="litigation"]')
    assert lit.locator("[data-right]").inner_text() == "0"
    assert lit.locator("[data-answered]").inner_text() == "1"
