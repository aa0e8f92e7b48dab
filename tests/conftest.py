"""Shared fixtures: a fixed clock, one built site, a real HTTP server and headless Chromium."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("PUFA_REFERENCE", ROOT.parent / "shared" / "reference" / "laws"))
CHROMIUM = os.environ.get("PUFA_CHROMIUM", "/usr/bin/chromium")

# Fixed date and timezone: the site's date logic must not depend on when tests run.
os.environ["TZ"] = "Asia/Shanghai"
os.environ["PUFA_TODAY"] = "2026-11-27"
time.tzset()


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    if not REFERENCE.is_dir():
        pytest.fail(f"reference statute collection not found at {REFERENCE} (set PUFA_REFERENCE)")
    return REFERENCE


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pufa.build import build_site

    return build_site(ROOT, tmp_path_factory.mktemp("build") / "site")


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    from pufa.build import make_server

    server = make_server(built_site, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def phone(browser):
    """A fresh 375x812 page that records every request it makes."""
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.on("request", lambda r: page.requests.append(r.url))  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the project's inputs, to break on purpose."""
    for name in ("data", "docs", "overrides", "scripts"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path
