"""Bad input through the forms: each class of error the checks or the campaign build raise is
shown at its field, in Chinese, and nothing is written (no draft, no file, no commit)."""

from __future__ import annotations

import pytest

from .conftest import login

GOOD = {
    "id": "bad-input-test",
    "title": "2027年测试活动",
    "short_title": "测试活动",
    "theme": "依法信访",
    "start": "2027-04-01",
    "end": "2027-04-03",
    "updated": "2026-11-27",
    "intro": "这是一个测试活动。它只用于检查错误信息。",
    "slogans": ["学习宪法 尊崇宪法"],
    "featured": ["宪法第33条"],
    "screens": ["indoor", "door"],
    "platforms": ["wechat"],
    "hashtags": ["测试"],
}

CASES = {
    # name: (changes, field, words the message must contain)
    "date range ends before it starts": ({"end": "2027-03-01"}, "end", "结束日期早于开始日期"),
    "text that does not fit a screen": (
        {"slogans": ["学习宪法尊崇宪法遵守宪法维护宪法运用宪法" * 12]},
        "slogans.0",
        "放不下",
    ),
    "title over a platform limit": ({"title": "关于" * 20}, "title", "超过上限"),
    "id that is not a slug": ({"id": "Bad Id"}, "id", "小写英文字母"),
    "missing required field": ({"theme": ""}, "theme", "必填"),
}


@pytest.fixture(scope="module")
def editor_page(studio, browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = ctx.new_page()
    login(page, studio.url, "zhang")
    yield page
    ctx.close()


def _nothing_written(studio) -> None:
    assert studio.drafts() == []
    assert studio.git("status", "--porcelain", "data", "docs") == ""


@pytest.mark.parametrize("case", list(CASES))
def test_campaign_error_at_field(studio, editor_page, case):
    changes, field, words = CASES[case]
    page = editor_page
    page.goto(f"{studio.url}/edit/campaign/new")
    page.wait_for_selector('[data-schemapath="root.title"] input')
    page.evaluate("data => window.studioEditor.setValue(data)", {**GOOD, **changes})
    page.click("#submit")
    error = page.locator(f'.field-error[data-for="root.{field}"]')
    error.wait_for(timeout=60_000)
    assert words in error.inner_text()
    # shown inside the field's own container, next to its input
    assert error.evaluate(
        "(e, p) => e.closest('[data-schemapath]').getAttribute('data-schemapath') === p",
        f"root.{field}",
    )
    assert "未保存任何内容" in page.locator("#summary").inner_text()
    _nothing_written(studio)


def test_unknown_citation_in_answer_at_body(studio, editor_page):
    page = editor_page
    faq = "labor/labor-dispatch"
    page.goto(f"{studio.url}/edit/faq/{faq}")
    page.wait_for_selector(".EasyMDEContainer")
    bad = "## 法律依据\n\n见[[民法典第9999条]]。"
    page.evaluate(
        "bad => window.studioMarkdown.value("
        "window.studioMarkdown.value().replace('## 法律依据', bad))",
        bad,
    )
    page.click("#submit")
    error = page.locator('.field-error[data-for="root.body"]')
    error.wait_for(timeout=60_000)
    assert "9999" in error.inner_text() or "条" in error.inner_text()
    _nothing_written(studio)
