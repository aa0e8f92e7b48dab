"""The kiosk launcher: full-screen Chromium against our own nginx, with a browser policy that
allows only our origin.

- The policy is installed once, as root (``pufa kiosk --install-policy``); the launcher refuses
  to start while it is missing or allows another origin.
- nginx and Chromium never run as root: started by root, the launcher runs both as the ``kiosk``
  user (Chromium refuses to run as root, and root-owned files would break the user service).
- Every browser start gets a fresh profile, and an idle reset (the page asks for the start page
  with ``?pufa-reset=1``, which nginx logs) restarts the browser, so the back history is empty.
- A browser that keeps crashing is restarted with growing pauses; after ``max_crashes`` crashes
  within ``window`` seconds the launcher stops and says so (systemd then shows the failure).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
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

POLICY_DIR = Path("/etc/chromium/policies/managed")
POLICY_NAME = "pufa-kiosk.json"
RESET_MARK = b"pufa-reset=1"


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
        "BrowserGuestModeEnabled": False,
        "DefaultPopupsSetting": 2,
        "TaskManagerEnabled": False,
        "SearchSuggestEnabled": False,
    }


def chromium_command(chromium: str, url: str, profile: Path) -> list[str]:
    return [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--app={url}"]


def install_policy(origin: str, directory: Path | None = None) -> Path:
    """Write the allow-only-our-origin policy where Chromium reads it (needs root)."""
    directory = directory or POLICY_DIR
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / POLICY_NAME
    path.write_text(json.dumps(chromium_policy(origin), indent=2), encoding="utf-8")
    path.chmod(0o644)
    return path


def policy_problem(origin: str, directory: Path | None = None) -> str | None:
    """Why the installed policy does not protect the kiosk, or None when it does."""
    path = (directory or POLICY_DIR) / POLICY_NAME
    fix = f"run once, as root: pufa kiosk --install-policy (writes {path})"
    try:
        policy = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"the browser policy {path} is not installed; {fix}"
    except (OSError, ValueError) as exc:
        return f"the browser policy {path} cannot be read ({exc}); {fix}"
    if policy.get("URLBlocklist") != ["*"] or origin not in policy.get("URLAllowlist", []):
        return f"the browser policy {path} does not allow only {origin}; {fix}"
    return None


@dataclass
class Identity:
    """Who nginx and Chromium run as: subprocess keyword arguments and the home folder."""

    name: str
    home: Path
    uid: int | None = None  # None: the current user (no switch)
    gid: int | None = None

    def popen_kwargs(self) -> dict[str, object]:
        if self.uid is None:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}

    def own(self, path: Path) -> None:
        """Give ``path`` (and everything under it) to this user."""
        if self.uid is None:
            return
        for p in [path, *path.rglob("*")]:
            os.chown(p, self.uid, self.gid or -1, follow_symlinks=False)


class KioskError(Exception):
    """A reason the launcher will not start, worded for the person at the machine."""


def identity(user: str = "kiosk") -> Identity:
    """As root: the ``user`` account (it must exist). Otherwise: the current user."""
    import pwd

    if os.geteuid() != 0:
        entry = pwd.getpwuid(os.geteuid())
        return Identity(entry.pw_name, Path(entry.pw_dir))
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        raise KioskError(
            f"no user {user!r}: the kiosk never runs nginx or Chromium as root; create the user "
            f"(adduser {user}) or name another with --user"
        ) from None
    if entry.pw_uid == 0:
        raise KioskError(f"--user {user} is root: name an ordinary account")
    return Identity(entry.pw_name, Path(entry.pw_dir), entry.pw_uid, entry.pw_gid)


@dataclass
class Outcome:
    code: int  # 0: stopped on request; non-zero: gave up after repeated crashes
    starts: int = 0
    resets: int = 0
    crashes: list[float] = field(default_factory=list)  # monotonic times


class ResetWatch:
    """Notices new ``?pufa-reset=1`` requests in nginx's access log."""

    def __init__(self, log: Path | None) -> None:
        self.log = log
        self.offset = log.stat().st_size if log and log.exists() else 0

    def requested(self) -> bool:
        if self.log is None or not self.log.exists():
            return False
        with self.log.open("rb") as fh:
            fh.seek(self.offset)
            new = fh.read()
        self.offset += len(new)
        return RESET_MARK in new


def keep_browser_running(
    command: list[str],
    *,
    profile: Path | None = None,
    reset_log: Path | None = None,
    max_starts: int | None = None,
    max_crashes: int = 5,
    window: float = 300.0,
    pause: float = 2.0,
    max_pause: float = 60.0,
    poll: float = 0.25,
    stop: threading.Event | None = None,
    popen: Callable[..., subprocess.Popen] = subprocess.Popen,
    popen_kwargs: dict[str, object] | None = None,
    report: Callable[[str], None] = lambda m: print(m, file=sys.stderr, flush=True),
) -> Outcome:
    """Run the browser; restart it with a fresh profile after an idle reset (at once) or when
    it exits (after a pause that doubles with each crash). Gives up, with a report and a
    non-zero code, after ``max_crashes`` crashes within ``window`` seconds."""
    outcome = Outcome(code=0)
    watch = ResetWatch(reset_log)
    stop = stop or threading.Event()
    while not stop.is_set() and (max_starts is None or outcome.starts < max_starts):
        if profile is not None:
            shutil.rmtree(profile, ignore_errors=True)  # a fresh session: no history, no cookies
        outcome.starts += 1
        started = time.monotonic()
        proc = popen(command, **(popen_kwargs or {}))
        reason = None
        while reason is None:
            code = proc.poll()
            if code is not None:
                reason = "exit"
            elif stop.wait(poll):
                reason = "stop"
            elif watch.requested():
                reason = "reset"
        if reason in ("stop", "reset"):
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if reason == "reset":
                outcome.resets += 1
                report("kiosk: idle reset: browser restarted with an empty history")
            continue
        now = time.monotonic()
        outcome.crashes = [t for t in outcome.crashes if now - t < window] + [now]
        crashes = len(outcome.crashes)
        if crashes >= max_crashes:
            report(
                f"kiosk: the browser exited {crashes} times within {window:.0f} s (last exit "
                f"code {code}); giving up. Check `{command[0]} --version` and the messages above."
            )
            outcome.code = 1
            break
        wait = min(pause * 2 ** (crashes - 1), max_pause)
        report(
            f"kiosk: browser exited with {code} after {now - started:.0f} s "
            f"(crash {crashes} of {max_crashes} allowed within {window:.0f} s); "
            f"restarting in {wait:.0f} s"
        )
        if stop.wait(wait):
            break
    return outcome
