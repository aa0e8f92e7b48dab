"""nginx configuration for serving the built site like production, generated from our data.

Security headers: a Content-Security-Policy of ``default-src 'self'`` without 'unsafe-inline' for
scripts — the theme's few inline scripts are allowed by their SHA-256 hashes, computed from the
built pages — plus frame-ancestors 'none', nosniff, no-referrer and a restrictive
Permissions-Policy. Precompressed ``.gz`` (and ``.br`` where nginx has the module) are served by
``gzip_static``/``brotli_static``. Theme assets with a content hash in their name are cached for a
year; everything else revalidates.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

from ..content.library import Library
from ..errors import PufaError

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
MIME_TYPES = Path("/etc/nginx/mime.types")


def inline_script_hashes(site: Path) -> list[str]:
    """SHA-256 sources for every executable inline script in the built pages."""
    hashes: set[str] = set()
    for page in site.rglob("*.html"):
        for match in INLINE_SCRIPT.finditer(page.read_text(encoding="utf-8")):
            attrs, body = match.group("attrs"), match.group("body")
            if "src=" in attrs or re.search(r'type="(?!text/javascript|module)', attrs):
                continue  # external, or a data block such as application/json
            digest = hashlib.sha256(body.encode("utf-8")).digest()
            hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(hashes)


def content_security_policy(script_hashes: list[str]) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' " + " ".join(script_hashes)
            if script_hashes
            else "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)


def security_headers(script_hashes: list[str]) -> str:
    lines = [
        f'add_header Content-Security-Policy "{content_security_policy(script_hashes)}" always;',
        'add_header X-Content-Type-Options "nosniff" always;',
        'add_header Referrer-Policy "no-referrer" always;',
        f'add_header Permissions-Policy "{PERMISSIONS_POLICY}" always;',
        'add_header X-Frame-Options "DENY" always;',
        'add_header Cross-Origin-Opener-Policy "same-origin" always;',
    ]
    return "\n".join(lines) + "\n"


def server_block(
    *, root: str, listen: str, server_name: str, headers_file: str, brotli: bool, tls: bool = False
) -> str:
    """One nginx ``server`` block. ``headers_file`` is included in every location, because nginx
    drops inherited add_header lines in any block that adds its own."""
    hsts = 'add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;'

    def location(match: str, cache: str, *extra: str) -> list[str]:
        inner = [
            *extra,
            f"include {headers_file};",
            *([hsts] if tls else []),
            f'add_header Cache-Control "{cache}" always;',
        ]
        return [f"location {match} {{", *("    " + line for line in inner), "}"]

    types = "text/css application/javascript text/javascript application/json image/svg+xml"
    lines = [
        *([f"listen {listen} ssl;", "http2 on;"] if tls else [f"listen {listen};"]),
        f"server_name {server_name};",
        f"root {root};",
        "index index.html;",
        "charset utf-8;",
        f"charset_types {types} text/calendar;",
        "gzip_static on;",
        *(["brotli_static on;"] if brotli else []),
        "gzip on;",
        "gzip_vary on;",
        f"gzip_types {types} text/calendar;",
        "server_tokens off;",
        *(
            [
                "ssl_certificate     /etc/ssl/certs/pufa.crt;  # replace with the real certificate",
                "ssl_certificate_key /etc/ssl/private/pufa.key;",
                "ssl_protocols TLSv1.2 TLSv1.3;",
            ]
            if tls
            else []
        ),
        "error_page 404 /404.html;",
        # HTML and unversioned files revalidate (ETag/Last-Modified make that cheap).
        *location("/", "no-cache", "try_files $uri $uri/ =404;"),
        # Theme assets carry a content hash in their name: cache them for a year.
        *location('~* "\\.[0-9a-f]{8}\\.min\\.(?:js|css)$"', "public, max-age=31536000, immutable"),
    ]
    return "server {\n" + "".join(f"    {line}\n" for line in lines) + "}\n"


def production_files(lib: Library, site: Path, *, root: str = "/srv/pufa/site") -> dict[str, str]:
    """deploy/*.conf for this office: plain HTTP, and a TLS example with HSTS."""
    host = urlparse(lib.office.site_url).hostname or "_"
    hashes = inline_script_hashes(site)
    headers = "/etc/nginx/snippets/pufa-security-headers.conf"
    intro = (
        f"# nginx for {lib.office.site_name} ({lib.office.name}), generated by `pufa deploy`.\n"
        "# Do not edit by hand: change data/office.yml or scripts/pufa/deploy.py and regenerate.\n"
    )
    return {
        "pufa-security-headers.conf": intro + security_headers(hashes),
        "pufa.conf": intro
        + server_block(root=root, listen="80", server_name=host, headers_file=headers, brotli=True),
        "pufa-tls.example.conf": intro
        + "server {\n    listen 80;\n    server_name "
        + host
        + ";\n"
        + "    return 301 https://$host$request_uri;\n}\n"
        + server_block(
            root=root, listen="443", server_name=host, headers_file=headers, brotli=True, tls=True
        ),
    }


def find_nginx() -> str | None:
    """nginx on PATH, or where Debian puts it (/usr/sbin is not on every user's PATH)."""
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file() else None
    )


def require_nginx(purpose: str) -> str:
    """nginx, or an error that says how to install it."""
    nginx = find_nginx()
    if nginx is None:
        raise PufaError(
            "nginx",
            f"not installed; {purpose} needs it",
            fix="sudo apt-get install nginx libnginx-mod-http-brotli-static "
            "(bash dev.sh test installs what is missing)",
        )
    return nginx


def test_config(site: Path, prefix: Path, port: int, *, as_root: bool) -> Path:
    """A complete nginx.conf that serves ``site`` on 127.0.0.1:port from a private prefix."""
    prefix.mkdir(parents=True, exist_ok=True)
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(exist_ok=True)
    headers = prefix / "security-headers.conf"
    headers.write_text(security_headers(inline_script_hashes(site)), encoding="utf-8")
    brotli = BROTLI_MODULE.is_file()
    conf = [
        f"load_module {BROTLI_MODULE};" if brotli else "",
        "user root root;" if as_root else "",
        "worker_processes 1;",
        "daemon off;",
        f"pid {prefix / 'nginx.pid'};",
        f"error_log {prefix / 'logs/error.log'} warn;",
        "events { worker_connections 256; }",
        "http {",
        f"    include {MIME_TYPES};",
        "    types { text/calendar ics; application/manifest+json webmanifest; }",
        "    default_type application/octet-stream;",
        f"    access_log {prefix / 'logs/access.log'};",
        *(
            f"    {d}_temp_path {prefix / 'tmp'};"
            for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        ),
        "    "
        + server_block(
            root=str(site),
            listen=f"127.0.0.1:{port}",
            server_name="localhost",
            headers_file=str(headers),
            brotli=brotli,
        ).replace("\n", "\n    "),
        "}",
    ]
    path = prefix / "nginx.conf"
    path.write_text("\n".join(c for c in conf if c) + "\n", encoding="utf-8")
    return path
