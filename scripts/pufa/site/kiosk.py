"""Kiosk mode in the built site: QR codes for links to other sites and the settings the page
script reads. The browser does the kiosk work itself (overrides/assets/javascripts/pufa.js)."""

from __future__ import annotations

import hashlib
import html as htmllib
import json
import os
import re
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


def page_qr(url: str, cache: Path | None = None) -> str:
    """The "continue on your phone" QR code of a page (picklable, for drawing them in parallel).

    A code costs about 1.5 ms (qrmask.py), still one of the larger costs of rendering a page;
    with ``cache`` it is drawn once per address and kept (keyed by the address, segno's
    version, this file and qrmask.py).
    An entry's time stamp says when a build last used it (``prune_qr_cache``)."""
    title = f"本页地址：{url}"
    if cache is None:
        return qr_svg(url, title=title)
    path = cache / f"{hashlib.sha256(_QR_KEY + url.encode()).hexdigest()[:32]}.svg"
    try:
        svg = path.read_text(encoding="utf-8")
        os.utime(path)
        return svg
    except FileNotFoundError:
        pass
    svg = qr_svg(url, title=title)
    cache.mkdir(parents=True, exist_ok=True)
    write_atomic(path, svg.encode())  # render workers share the folder
    return svg


# What a code depends on besides its address: segno, the drawing options (this file) and the
# mask choice (qrmask.py).
_QR_KEY = f"{segno.__version__}\n".encode() + b"".join(
    hashlib.sha256(Path(f).read_bytes()).digest() for f in (__file__, qrmask.__file__)
)
QR_CACHE = ".cache/qr"  # under the project root
QR_CACHE_DAYS = 30


def prune_qr_cache(cache: Path, days: int = QR_CACHE_DAYS) -> int:
    """Remove codes no build used for ``days`` (pages renamed or removed); returns how many."""
    import time

    if not cache.is_dir():
        return 0
    limit = time.time() - days * 86400
    old = [p for p in cache.iterdir() if p.stat().st_mtime < limit]
    for path in old:
        path.unlink(missing_ok=True)
    return len(old)


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
