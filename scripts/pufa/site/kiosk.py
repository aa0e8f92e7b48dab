"""Kiosk mode in the built site: QR codes for links to other sites and the settings the page
script reads. The browser does the kiosk work itself (overrides/assets/javascripts/pufa.js)."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import segno

from ..content.models import KioskConfig

EXTERNAL_LINK = re.compile(r'<a (?P<attrs>[^>]*?)href="(?P<href>https?://[^"]+)"')


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
