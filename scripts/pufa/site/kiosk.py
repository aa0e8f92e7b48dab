"""Kiosk mode in the built site: QR codes for links to other sites and the settings the page
script reads. The browser does the kiosk work itself (overrides/assets/javascripts/pufa.js)."""

from __future__ import annotations

import hashlib
import html as htmllib
import json
import os
import pickle
import re
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

import segno

from ..content.models import KioskConfig
from ..fileio import write_atomic
from . import qrmask

EXTERNAL_LINK = re.compile(r'<a (?P<attrs>[^>]*?)href="(?P<href>https?://[^"]+)"')


QR_BORDER = 4  # modules of quiet zone, as the standard asks (segno's default)


def qr_svg(url: str, *, title: str = "二维码", scale: int = 4, css: str = "pufa-qr__code") -> str:
    """An inline SVG QR code (presentation attributes only, so a strict CSP allows it): the
    document segno writes for ``save(kind="svg", xmldecl=False, nl=False, lineclass=None)``,
    drawn here from the symbol's rows in a tenth of segno's time (tests/test_qrmask.py)."""
    code = qrmask.code(url, error="m")
    size = (len(code.matrix) + 2 * QR_BORDER) * scale
    transform = f' transform="scale({scale})"' if scale != 1 else ""
    return (
        f'<svg role="img" xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f"class={quoteattr(css)}><title>{escape(title)}</title>"
        f'<path{transform} stroke="#000" d="{qrmask.path_data(code.matrix, QR_BORDER)}"/></svg>'
    )


def page_qr(url: str) -> str:
    """The "continue on your phone" QR code of a page (about 1.5 ms, qrmask.py)."""
    return qr_svg(url, title=f"本页地址：{url}")


# What a code depends on besides its address: segno, the drawing options (this file) and the
# mask choice (qrmask.py).
_QR_KEY = f"{segno.__version__}\n".encode() + b"".join(
    hashlib.sha256(Path(f).read_bytes()).digest() for f in (__file__, qrmask.__file__)
)
QR_CACHE = ".cache/qr"  # under the project root
QR_CACHE_DAYS = 30
_CODES = "codes.pickle"  # every kept code: key -> (svg, the day a build last used it)
# What one render process used, until a build merges it: key -> svg for a code it drew, None
# for a kept one (so a build that draws nothing leaves a few kilobytes, not every code again).
_SHARE = "share-"


# Codes drawn ahead of rendering by ``prefetch_codes``: key -> svg, read by the render
# processes and removed with the shares once a build has merged what it used.
_AHEAD = "ahead-"


def _code_key(url: str) -> str:
    return hashlib.sha256(_QR_KEY + url.encode()).hexdigest()[:32]


class PageCodes:
    """Page address codes kept between builds, in one file rather than one per page (a file
    per page cost more to create than the code itself). A render process reads the kept codes
    once (and those drawn ahead of rendering, ``prefetch_codes``), draws the missing ones, and
    leaves what it used in a share file of its own; ``merge_qr_cache`` folds the shares in after
    the build."""

    def __init__(self, cache: Path | None) -> None:
        self.cache = cache
        self.used: dict[str, str | None] = {}
        self.kept: dict[str, str] = {}
        self.ahead: dict[str, str] = {}
        if cache is not None and cache.is_dir():
            self.kept = {k: svg for k, (svg, _day) in _load_codes(cache).items()}
            for share in sorted(cache.glob(f"{_SHARE}*.pickle")):  # not merged yet
                self.kept.update((k, svg) for k, svg in _load(share).items() if svg)
            for drawn in sorted(cache.glob(f"{_AHEAD}*.pickle")):
                self.ahead.update((k, svg) for k, svg in _load(drawn).items() if svg)

    def get(self, url: str) -> str:
        key = _code_key(url)
        svg = self.kept.get(key)
        if svg is None:
            # Drawn now or ahead: new to the kept codes either way (merged after the build).
            svg = self.kept[key] = self.ahead.get(key) or page_qr(url)
            self.used[key] = svg
        else:
            self.used.setdefault(key, None)
        return svg

    def save(self) -> None:
        """Leave the codes this process used for the next merge (one file, written whole)."""
        if self.cache is None or not self.used:
            return
        self.cache.mkdir(parents=True, exist_ok=True)
        share = self.cache / f"{_SHARE}{os.getpid()}-{time.time_ns()}.pickle"
        write_atomic(share, pickle.dumps(self.used, protocol=pickle.HIGHEST_PROTOCOL))


def prefetch_codes(cache: Path, urls: list[str], stop: Callable[[], bool]) -> int:
    """Draw the codes of ``urls`` that are not kept, until ``stop()`` is true, and leave them
    for the render processes (PageCodes). `pufa build` runs this on the core its checks leave
    idle before rendering starts; a code for an address no page has is never used and goes
    with the file after the build. Returns how many were drawn."""
    kept = set(_load_codes(cache)) if cache.is_dir() else set()
    drawn: dict[str, str] = {}
    for url in urls:
        if stop():
            break
        key = _code_key(url)
        if key not in kept and key not in drawn:
            drawn[key] = page_qr(url)
    if drawn:
        cache.mkdir(parents=True, exist_ok=True)
        ahead = cache / f"{_AHEAD}{os.getpid()}-{time.time_ns()}.pickle"
        write_atomic(ahead, pickle.dumps(drawn, protocol=pickle.HIGHEST_PROTOCOL))
    return len(drawn)


def _load(path: Path) -> dict:
    try:
        value = pickle.loads(path.read_bytes())
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
        return {}  # a cache: a damaged file costs a redraw, never a build
    return value if isinstance(value, dict) else {}


def _load_codes(cache: Path) -> dict[str, tuple[str, int]]:
    codes = _load(cache / _CODES)
    return {k: v for k, v in codes.items() if isinstance(v, tuple) and len(v) == 2}


def merge_qr_cache(cache: Path, days: int = QR_CACHE_DAYS, today: int | None = None) -> int:
    """Fold the render processes' shares into the kept codes, marking them used today, and
    drop codes no build used for ``days`` (pages renamed or removed) and anything else in the
    folder (an older layout's files). Returns how many codes were dropped."""
    if not cache.is_dir():
        return 0
    day = int(time.time() // 86400) if today is None else today
    codes = _load_codes(cache)
    for share in sorted(cache.glob(f"{_SHARE}*.pickle")):
        for key, svg in _load(share).items():
            if svg:
                codes[key] = (svg, day)
            elif key in codes:
                codes[key] = (codes[key][0], day)
    kept = {k: v for k, v in codes.items() if v[1] > day - days}
    write_atomic(cache / _CODES, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
    for path in cache.iterdir():
        if path.name != _CODES:
            path.unlink(missing_ok=True)
    return len(codes) - len(kept)


def origin(url: str) -> tuple[str, str]:
    """(scheme, host[:port]) in lower case: two URLs are the same site only if these are equal."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # not a port (e.g. 127.0.0.1:8000.evil.com): compare the text as is
        return parts.scheme.lower(), parts.netloc.lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    host = (parts.hostname or "").lower()
    return parts.scheme.lower(), host if port in (None, default) else f"{host}:{port}"


def annotate_external_links(html: str, site_url: str, qr_prefix: str) -> tuple[str, dict[str, str]]:
    """Mark links to other hosts with the QR image a kiosk shows instead of following them.

    Returns the new HTML and {file name: url} of the QR images to write under assets/qr/.
    """
    own = origin(site_url)
    images: dict[str, str] = {}

    def mark(match: re.Match[str]) -> str:
        href = match.group("href")
        url = htmllib.unescape(href)  # the address itself: &amp; in HTML is & in the URL
        if origin(url) == own or "data-pufa-qr" in match.group("attrs"):
            return match.group(0)
        name = hashlib.sha256(url.encode()).hexdigest()[:16] + ".svg"
        images[name] = url
        return f'<a {match.group("attrs")}data-pufa-qr="{qr_prefix}{name}" href="{href}"'

    return EXTERNAL_LINK.sub(mark, html), images


def write_qr_images(images: dict[str, str], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, url in images.items():
        (directory / name).write_text(qr_svg(url, title=url, scale=6), encoding="utf-8")


TEST_BUILD_ENV = "PUFA_TEST_BUILD"


def start_path(kiosk: KioskConfig) -> str:
    """The start page's URL path relative to the site root: kiosk/index.md -> kiosk/."""
    src = kiosk.start
    if src == "index.md" or src.endswith("/index.md"):
        return src[: -len("index.md")]
    return src.removesuffix(".md") + "/"


def browser_config(kiosk: KioskConfig, *, testing: bool | None = None) -> str:
    """The settings the page script needs, as a JSON data block (not executable: CSP-safe).

    ``testing`` (default: the environment variable PUFA_TEST_BUILD=1, set by the test suite)
    lets tests shorten the idle times through sessionStorage; production builds never have it.
    """
    if testing is None:
        testing = os.environ.get(TEST_BUILD_ENV) == "1"
    data: dict[str, object] = {
        "idle": kiosk.idle_seconds,
        "countdown": kiosk.countdown_seconds,
        "start": start_path(kiosk),
    }
    if testing:
        data["testing"] = True
    return json.dumps(data, ensure_ascii=False)
