"""End to end in Chromium: an editor creates a campaign through the forms and sees its slides
and covers, a reviewer approves it, the build runs, the zip downloads, the page is on the site,
and git records the editor as author and the approver in the message."""

from __future__ import annotations

import json
import time
import zipfile

from .conftest import login

CAMPAIGN = "rule-of-law-day-2027"
TITLE = "2027年法治宣传日"


def test_editor_to_published_zip(studio, context, tmp_path):
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    failures: list[str] = []
    page.on("pageerror", lambda e: failures.append(str(e)))
    page.on("response", lambda r: r.status >= 500 and failures.append(f"{r.status} {r.url}"))
    login(page, studio.url, "zhang")

    started = time.monotonic()
    page.click('[data-kind=campaign] a:has-text("新建宣传活动")')
    try:
        page.wait_for_selector('[data-schemapath="root.title"] input')
    except Exception:
        page.screenshot(path="/tmp/studio-shots/failure.png")
        raise AssertionError(failures) from None
    field = lambda p: page.locator(f'[data-schemapath="root.{p}"]').locator("input, textarea").first  # noqa: E731
    field("id").fill(CAMPAIGN)
    field("title").fill(TITLE)
    field("short_title").fill("法治宣传日")
    field("theme").fill("尊法学法守法用法")
    field("start").fill("2027-03-01")
    field("end").fill("2027-03-03")
    field("intro").fill("三月是法治宣传月。我们在接待大厅宣传宪法规定的公民基本权利和义务。")
    # Lists that need at least one entry start with one (json-editor follows minItems).
    page.locator('[data-schemapath="root.slogans.0"] input').first.fill("学法懂法 守法用法")
    page.locator('[data-schemapath="root.featured.0"] select').select_option("宪法第33条")
    screens = page.locator('[data-schemapath="root.screens"]')
    screens.get_by_text("室内小型全彩屏").click()
    screens.get_by_text("门头单色红色条屏").click()
    page.locator('[data-schemapath="root.platforms"]').get_by_text("微信公众号").click()
    page.locator('[data-schemapath="root.hashtags.0"] input').fill("法治宣传")

    # Live previews from the real renderers: every slide per screen, the lit door strip, covers.
    page.click("#check")
    try:
        page.wait_for_selector('.screen[data-screen="door"] img', timeout=30_000)
    except Exception:
        page.screenshot(path="/tmp/studio-shots/failure.png")
        status = page.locator("#status").inner_text()
        raise AssertionError([status, page.locator("#summary").inner_text(), failures]) from None
    assert page.locator('.screen[data-screen="indoor"] img').count() >= 3  # title, slogan, article
    assert page.locator(".slides.mono img").count() >= 3
    covers = page.locator('.post[data-platform="wechat"] img.cover')
    assert covers.count() == 2
    for img in covers.all():
        img.scroll_into_view_if_needed()
        assert img.evaluate("i => i.complete && i.naturalWidth > 0")
    assert "字" in page.locator('.post[data-platform="wechat"] .count').first.inner_text()
    assert page.locator(".field-error").count() == 0
    page.locator(".preview-col").evaluate("e => e.scrollTo(0, 0)")
    page.locator('[data-schemapath="root.slogans"]').scroll_into_view_if_needed()
    page.screenshot(path="/tmp/studio-shots/01-editor-campaign-preview.png", full_page=False)

    page.click("#submit")
    page.wait_for_url("**/drafts/*")
    assert page.locator("#draft-state").inner_text() == "待审核"
    assert not (studio.root / "data/campaigns" / f"{CAMPAIGN}.yml").exists()  # a draft only
    page.click("header .who button")

    login(page, studio.url, "li")
    page.click(f'table.drafts a:has-text("{TITLE}")')
    page.click("#approve")
    page.wait_for_selector('#draft-state:has-text("已批准")')
    assert (studio.root / "data/campaigns" / f"{CAMPAIGN}.yml").is_file()

    page.goto(f"{studio.url}/publish")
    assert page.locator(f'input[value="{CAMPAIGN}"]').is_checked()
    page.click("#publish")
    page.wait_for_selector("#result:not([hidden]), #publish-errors:not([hidden])", timeout=180_000)
    assert page.locator("#publish-errors").is_hidden(), page.locator("#publish-errors").inner_text()
    assert page.locator("#progress").evaluate("p => p.value") == 100
    added = page.locator('[data-change="新增"]').text_content()
    assert f"/campaigns/{CAMPAIGN}/" in added
    page.screenshot(path="/tmp/studio-shots/02-publish-done.png", full_page=True)
    with page.expect_download() as info:
        page.click(f'a.zip:has-text("{CAMPAIGN}.zip")')
    elapsed = time.monotonic() - started
    saved = tmp_path / "out.zip"
    info.value.save_as(saved)
    names = zipfile.ZipFile(saved).namelist()
    assert f"{CAMPAIGN}/manifest.json" in names
    assert any(n.endswith(".mp4") for n in names)
    (studio.root / "e2e-seconds.json").write_text(json.dumps({"new_to_zip": elapsed}))
    print(f"\n'new campaign' to zip downloaded: {elapsed:.1f} s")

    page.goto(f"{studio.url}/site/campaigns/{CAMPAIGN}/")
    assert page.locator("h1").first.inner_text().rstrip("¶") == TITLE
    page.screenshot(path="/tmp/studio-shots/03-site-campaign-page.png", full_page=False)

    log = studio.git("log", "-1", "--format=%an|%cn|%B")
    author, committer, message = log.split("|", 2)
    assert author == "张编辑"
    assert committer == "李审核"
    assert "审核：李审核" in message and "编辑：张编辑" in message
    assert studio.git("status", "--porcelain", "data", "docs") == ""

    assert not failures
    # Nothing left this machine: every request went to the studio itself.
    assert all(
        u.startswith(studio.url) or u.startswith(("data:", "blob:", "about:")) for u in requests
    ), [u for u in requests if not u.startswith(studio.url)]
