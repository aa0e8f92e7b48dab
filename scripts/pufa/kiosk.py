"""Kiosk mode for the touch screen in the reception hall, and the QR codes that let a visitor
continue on a phone.

The site itself does the kiosk work in the browser (overrides/assets/javascripts/pufa.js): idle
reset, QR instead of leaving the site, large text. This module holds the data model, the QR
codes generated at build, and the launcher that runs Chromium full-screen against our own nginx.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import segno
from pydantic import Field

from .models import Strict

EXTERNAL_LINK = re.compile(r'<a (?P<attrs>[^>]*?)href="(?P<href>https?://[^"]+)"')


class Tile(Strict):
    label: str
    hint: str
    page: str


class KioskConfig(Strict):
    idle_seconds: int = Field(ge=10)
    countdown_seconds: int = Field(ge=5)
    start: str
    tiles: list[Tile] = Field(min_length=2)
    hot_questions: list[str] = Field(min_length=1)
    topics: list[str] = []


def qr_svg(url: str, *, title: str = "二维码", scale: int = 4, css: str = "pufa-qr__code") -> str:
    """An inline SVG QR code (presentation attributes only, so a strict CSP allows it)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out,
        kind="svg",
        scale=scale,
        xmldecl=False,
        svgns=True,
        title=title,
        nl=False,
        svgclass=css,
        lineclass=None,
    )
    svg = out.getvalue().decode("utf-8")
    return svg.replace("<svg ", '<svg role="img" ', 1)


def annotate_external_links(html: str, site_url: str, qr_prefix: str) -> tuple[str, dict[str, str]]:
    """Mark links to other hosts with the QR image a kiosk shows instead of following them.

    Returns the new HTML and {file name: url} of the QR images to write under assets/qr/.
    """
    own = re.escape(site_url.rstrip("/"))
    images: dict[str, str] = {}

    def mark(match: re.Match[str]) -> str:
        href = match.group("href")
        if re.match(own, href) or "data-pufa-qr" in match.group("attrs"):
            return match.group(0)
        name = hashlib.sha256(href.encode()).hexdigest()[:16] + ".svg"
        images[name] = href
        return f'<a {match.group("attrs")}data-pufa-qr="{qr_prefix}{name}" href="{href}"'

    return EXTERNAL_LINK.sub(mark, html), images


def write_qr_images(images: dict[str, str], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, url in images.items():
        (directory / name).write_text(qr_svg(url, title=url, scale=6), encoding="utf-8")


def browser_config(kiosk: KioskConfig) -> str:
    """The settings the page script needs, as a JSON data block (not executable: CSP-safe)."""
    return json.dumps(
        {"idle": kiosk.idle_seconds, "countdown": kiosk.countdown_seconds}, ensure_ascii=False
    )


# --- launcher -------------------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--kiosk",
    "--no-first-run",
    "--noerrdialogs",
    "--disable-translate",
    "--disable-infobars",
    "--disable-session-crashed-bubble",
    "--disable-pinch",
    "--overscroll-history-navigation=0",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-features=TranslateUI",
    "--autoplay-policy=no-user-gesture-required",
    "--lang=zh-CN",
]


def chromium_policy(origin: str) -> dict[str, object]:
    """A managed policy that allows only our origin: everything else is blocked in the browser."""
    return {
        "URLBlocklist": ["*"],
        "URLAllowlist": [origin, "about:blank"],
        "DownloadRestrictions": 3,
        "DeveloperToolsAvailability": 2,
        "IncognitoModeAvailability": 1,
        "BrowserSignin": 0,
        "PasswordManagerEnabled": False,
        "AutofillAddressEnabled": False,
        "AutofillCreditCardEnabled": False,
        "TranslateEnabled": False,
        "PrintingEnabled": True,
    }


def chromium_command(chromium: str, url: str, profile: Path) -> list[str]:
    return [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--app={url}"]


POLICY_DIR = Path("/etc/chromium/policies/managed")


def install_policy(origin: str, directory: Path = POLICY_DIR) -> Path | None:
    """Write the allow-only-our-origin policy where Chromium reads it (needs root)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "pufa-kiosk.json"
        path.write_text(json.dumps(chromium_policy(origin), indent=2), encoding="utf-8")
        return path
    except PermissionError:
        return None


def keep_browser_running(
    command: list[str], *, max_starts: int | None = None, pause: float = 2.0
) -> int:
    """Start the browser and start it again whenever it exits (crash, or someone closed it)."""
    import subprocess
    import time

    starts = 0
    while max_starts is None or starts < max_starts:
        starts += 1
        started = time.monotonic()
        code = subprocess.call(command)
        print(
            f"kiosk: browser exited with {code} after {time.monotonic() - started:.0f} s; "
            "restarting",
            flush=True,
        )
        time.sleep(pause)
    return starts
