"""The kiosk launcher: full-screen Chromium against our own nginx, with a browser policy that
allows only our origin."""

from __future__ import annotations

import json
from pathlib import Path

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
