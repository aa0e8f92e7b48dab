"""Shared fixtures: a fixed clock, one built site, a real HTTP server and headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
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


@dataclass
class CampaignsBuilt:
    out: Path
    first: object  # build.Report of the cold run
    second: object  # build.Report of the run with nothing changed
    log: list[str]

    def manifest(self, campaign_id: str) -> dict:
        return json.loads((self.out / campaign_id / "manifest.json").read_text(encoding="utf-8"))

    def manifests(self) -> dict[str, dict]:
        return {
            p.parent.name: self.manifest(p.parent.name) for p in self.out.glob("*/manifest.json")
        }


@pytest.fixture(scope="session")
def campaigns_built(tmp_path_factory: pytest.TempPathFactory) -> CampaignsBuilt:
    """Every shipped campaign built once from scratch (then a second, cached run): the campaign
    tests check these outputs and the site is built with them, so a test run renders once."""
    from pufa.campaign.build import build_campaigns

    out = tmp_path_factory.mktemp("campaigns")
    log: list[str] = []
    first = build_campaigns(ROOT, out, progress=False, log=log.append)
    second = build_campaigns(ROOT, out, progress=False, log=log.append)
    return CampaignsBuilt(out, first, second, log)


def build_test_site(site: Path, workers: int, **env: str) -> Path:
    """``pufa build`` of the project into ``site`` as a test build (PUFA_TEST_BUILD=1 lets kiosk
    tests shorten the idle times; production output has no such hook), with ``env`` set."""
    from pufa.site.build import build_site
    from pufa.site.kiosk import TEST_BUILD_ENV

    settings = {TEST_BUILD_ENV: "1", **env}
    os.environ.update(settings)
    try:
        return build_site(ROOT, site, workers=workers)
    finally:
        for name in settings:
            del os.environ[name]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, campaigns_built: CampaignsBuilt) -> Path:
    """The site as `bash dev.sh serve` builds it: campaign outputs first (the session's build,
    put where `pufa campaign build` writes them, so campaign pages show their galleries), then
    the site, as a test build (PUFA_TEST_BUILD=1 lets kiosk tests shorten the idle times;
    production output has no such hook)."""
    from pufa.campaign.paths import default_out

    shutil.copytree(campaigns_built.out, default_out(ROOT), dirs_exist_ok=True)
    # Two render processes whatever the machine: test_render compares it with one.
    return build_test_site(tmp_path_factory.mktemp("build") / "site", workers=2)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def base_url(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built site served by real nginx with the generated production headers."""
    from pufa.serve.deploy import find_nginx, test_config

    nginx = find_nginx()
    if nginx is None:
        pytest.fail("nginx not found: sudo apt-get install nginx libnginx-mod-http-brotli-static")
    port = _free_port()
    conf = test_config(
        built_site, tmp_path_factory.mktemp("nginx"), port, as_root=os.geteuid() == 0
    )
    proc = subprocess.Popen([nginx, "-c", str(conf), "-e", "stderr"], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(
                    f"nginx did not start: {proc.stderr.read().decode() if proc.stderr else ''}"
                )
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/"
    proc.terminate()
    proc.wait(timeout=10)


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
    # Record CSP violations and console errors, for the "0 violations" checks.
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = context.new_page()
    page.requests = []  # type: ignore[attr-defined]
    page.console_errors = []  # type: ignore[attr-defined]
    page.on("request", lambda r: page.requests.append(r.url))  # type: ignore[attr-defined]
    page.on(  # type: ignore[attr-defined]
        "console", lambda m: m.type == "error" and page.console_errors.append(m.text)
    )
    yield page
    context.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the project's inputs, to break on purpose."""
    for name in ("data", "docs", "overrides", "scripts"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path
