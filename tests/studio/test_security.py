"""Refusals: anonymous requests, self-approval, a POST without the CSRF token, a forged
cross-site POST from another origin, and too many failed logins."""

from __future__ import annotations

import http.server
import json
import re
import threading

import pytest

from .conftest import PASSWORD, login

CAMPAIGN = {
    "id": "security-test",
    "title": "2027年安全测试",
    "short_title": "安全测试",
    "theme": "依法信访",
    "start": "2027-05-01",
    "end": "2027-05-02",
    "updated": "2026-11-27",
    "intro": "这是一个测试活动。它只用于检查权限。",
    "slogans": ["学习宪法 尊崇宪法"],
    "featured": ["宪法第33条"],
    "screens": ["door"],
    "platforms": ["weibo"],
    "hashtags": ["测试"],
}

SUBMIT = """async ([kind, data]) => {
  const token = document.querySelector('meta[name=csrf-token]').content;
  const r = await fetch('/api/submit/' + kind, {method: 'POST', credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
    body: JSON.stringify({data: data, new: true})});
  return [r.status, await r.json()];
}"""

POST_WITH_TOKEN = """async (url) => {
  const token = document.querySelector('meta[name=csrf-token]').content;
  const body = new URLSearchParams({csrf_token: token});
  const r = await fetch(url, {method: 'POST', credentials: 'same-origin', body: body});
  return [r.status, await r.text()];
}"""


@pytest.fixture(scope="module")
def pages(studio, browser):
    out = {}
    contexts = []
    for name in ("zhang", "li", "wang"):
        ctx = browser.new_context(locale="zh-CN")
        contexts.append(ctx)
        page = ctx.new_page()
        login(page, studio.url, name)
        out[name] = page
    yield out
    for ctx in contexts:
        ctx.close()


def _submit(page, data: dict) -> str:
    status, body = page.evaluate(SUBMIT, ["campaign", data])
    assert status == 200, body
    return body["draft"]


def _state(studio, draft_id: str) -> str:
    path = studio.root / ".studio" / "drafts" / f"{draft_id}.json"
    return json.loads(path.read_text(encoding="utf-8"))["state"]


def test_anonymous_is_refused(studio, browser):
    ctx = browser.new_context()
    page = ctx.new_page()
    page.goto(f"{studio.url}/edit/campaign/new")
    assert "/login" in page.url
    for path in ("/", "/publish", "/drafts/x", "/site/", "/download/x.zip"):
        page.goto(studio.url + path)
        assert "/login" in page.url, path
    r = ctx.request.get(f"{studio.url}/api/publish/1")
    assert r.status == 401
    r = ctx.request.post(f"{studio.url}/api/submit/campaign", data={"data": CAMPAIGN, "new": True})
    assert r.status in (400, 401)
    assert studio.drafts() == []
    ctx.close()


def test_reviewer_cannot_approve_own_draft(studio, pages):
    wang = pages["wang"]  # both 编辑 and 审核
    draft = _submit(wang, {**CAMPAIGN, "id": "self-approval"})
    wang.goto(f"{studio.url}/drafts/{draft}")
    assert wang.locator("#approve").count() == 0
    assert "另一位审核人员" in wang.locator("main").inner_text()
    status, text = wang.evaluate(POST_WITH_TOKEN, f"/drafts/{draft}/approve")
    assert status == 403 and "不能审核自己提交的草稿" in text
    assert _state(studio, draft) == "待审核"
    assert not (studio.root / "data/campaigns/self-approval.yml").exists()


def test_post_without_csrf_token_is_refused(studio, pages):
    draft = _submit(pages["zhang"], {**CAMPAIGN, "id": "no-token"})
    li = pages["li"]
    li.goto(f"{studio.url}/drafts/{draft}")
    status = li.evaluate(
        "async (url) => (await fetch(url, {method: 'POST', credentials: 'same-origin'})).status",
        f"/drafts/{draft}/approve",
    )
    assert status == 400
    assert _state(studio, draft) == "待审核"


def test_forged_cross_site_post_is_refused(studio, pages):
    draft = _submit(pages["zhang"], {**CAMPAIGN, "id": "forged"})
    evil = f"""<!doctype html><form id=f method=post action="{studio.url}/drafts/{draft}/approve">
<input name=csrf_token value=guess></form><script>document.getElementById('f').submit()</script>"""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = evil.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        li = pages["li"]  # logged-in reviewer visits another site ("localhost" is another site)
        with li.expect_response(re.compile(r".*/approve$")) as resp:
            li.goto(f"http://localhost:{server.server_port}/")
        assert resp.value.status in (400, 401, 403)
    finally:
        server.shutdown()
    assert _state(studio, draft) == "待审核"
    assert not (studio.root / "data/campaigns/forged.yml").exists()


def test_login_attempts_are_limited(studio):
    from pufa.studio.app import create_app

    client = create_app(studio.root, testing=True).test_client()
    base = "https://localhost"

    def attempt(password: str) -> int:
        page = client.get("/login", base_url=base).get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return client.post(
            "/login",
            data={"name": "zhang", "password": password, "csrf_token": token},
            base_url=base,
            headers={"Origin": base},
        ).status_code

    assert [attempt("wrong-password") for _ in range(5)] == [401] * 5
    assert attempt(PASSWORD) == 429  # even the right password, until the window passes
