"""Studio fixtures: a private git copy of the project with three accounts, and the studio
served on a free local port from a thread (the real WSGI server, waitress)."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import ROOT

PASSWORD = "correct-horse-42"
USERS = {
    # name: (display, roles)
    "zhang": ("张编辑", ["编辑"]),
    "li": ("李审核", ["审核"]),
    "wang": ("王主任", ["编辑", "审核"]),
}


@dataclass
class Studio:
    root: Path
    url: str

    def git(self, *args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=True
        ).stdout

    def drafts(self) -> list[Path]:
        return sorted((self.root / ".studio" / "drafts").glob("*.json"))


def make_project(dest: Path) -> Path:
    """A copy of the project's inputs (as the tests' ``project`` fixture makes), in its own git
    repository: the studio writes and commits there, never in the real checkout."""
    for name in ("data", "docs", "overrides", "scripts"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / ".gitignore").write_text(".studio/\nsite/\nsite.*/\nbuild/\n", encoding="utf-8")
    run = {"cwd": dest, "check": True, "capture_output": True}
    subprocess.run(["git", "init", "-q", "-b", "main"], **run)
    subprocess.run(["git", "config", "user.name", "测试"], **run)
    subprocess.run(["git", "config", "user.email", "test@example.invalid"], **run)
    subprocess.run(["git", "add", "-A"], **run)
    subprocess.run(["git", "commit", "-q", "-m", "start"], **run)
    from pufa.studio.store import add_user

    for name, (display, roles) in USERS.items():
        add_user(dest, name, PASSWORD, roles, display)
    return dest


def serve(root: Path) -> Iterator[str]:
    from pufa.studio.app import create_app
    from waitress.server import create_server

    server = create_server(create_app(root), host="127.0.0.1", port=0, threads=6)
    stop = threading.Event()

    def run() -> None:
        # The loop closes the server itself once asked to stop: closing it from another thread
        # while select() waits on its sockets fails with EBADF.
        while not stop.is_set():
            server.asyncore.loop(timeout=0.1, map=server._map, count=1)
        server.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop.set()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    root = make_project(tmp_path_factory.mktemp("studio"))
    for url in serve(root):
        yield Studio(root, url)


@pytest.fixture
def context(browser):
    ctx = browser.new_context(
        viewport={"width": 1400, "height": 1000},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        accept_downloads=True,
    )
    yield ctx
    ctx.close()


def login(page, url: str, name: str) -> None:
    page.goto(f"{url}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("header .who")
