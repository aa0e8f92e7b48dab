"""`pufa build` and `pufa serve`: check, build into a fresh folder, then swap it in.

The previous site/ stays intact until a build has fully succeeded.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from .errors import PufaError, PufaErrors


def _step(n: int, total: int, text: str) -> None:
    print(f"[{n}/{total}] {text}", flush=True)


def build_site(root: Path, site_dir: Path, *, reference: str | None = None) -> Path:
    from .campaign.build import copy_into_site
    from .campaign.paths import default_out
    from .check import compare_excerpts
    from .library import load_library
    from .links import check_links, load_policy
    from .offline import strip_third_party
    from .pages import check_pages, stale_reviews
    from .searchindex import measure
    from .themefix import patch_search_worker

    started = time.perf_counter()
    _step(1, 4, "checking data, pages and citations")
    lib = load_library(root)
    errors = check_pages(lib, root / "docs")
    if errors:
        raise PufaErrors(errors)
    for warning in stale_reviews(root / "docs"):
        print(f"warning: {warning}")
    if reference:
        report = compare_excerpts(lib, Path(reference))
        if report.mismatches:
            first = report.mismatches[0]
            raise PufaError(
                f"data/excerpts/{first.slug}.yml",
                f"{len(report.mismatches)} excerpt(s) differ from the reference; "
                f"first: article {first.article}: {first.problem}",
                fix="run pufa check --reference DIR for the diff",
            )

    tmp = site_dir.with_name(f"{site_dir.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    _step(2, 4, f"rendering the site with MkDocs (--strict) into {tmp.name}/")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--site-dir",
            str(tmp),
            "--config-file",
            str(root / "mkdocs.yml"),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if proc.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        sys.stderr.write(proc.stdout + proc.stderr)
        raise PufaError(
            "mkdocs.yml",
            f"MkDocs build failed (see messages above); {site_dir.name}/ was left as it was",
            fix="fix the first error shown",
        )

    _step(3, 4, "post-processing: no third-party URLs, .gz for text assets")
    for item in strip_third_party(tmp):
        print(f"  replaced third-party URL in {item}")
    print(f"  patched Chinese query segmentation in {patch_search_worker(tmp).relative_to(tmp)}")
    copied = copy_into_site(default_out(root), tmp)
    print(f"  copied {len(copied)} campaign files (previews, zip, ics, mp4) into {tmp.name}/")
    links = check_links(tmp, lib.office.site_url, load_policy(root / "data"))
    problems = [f"broken link {b}" for b in links.broken] + [
        f"link to a host not in data/links.yml: {d}" for d in links.disallowed
    ]
    if problems:
        shutil.rmtree(tmp, ignore_errors=True)
        raise PufaErrors(
            [PufaError(site_dir.name, p, fix="fix the page or the allowlist") for p in problems]
        )
    print(
        f"  links: {links.internal:,} internal and {links.external} external links in "
        f"{links.pages} pages, none broken"
    )
    sizes = measure(tmp)
    if sizes is None:
        raise PufaError(
            "mkdocs.yml",
            "no compacted search index: is the pufa hook configured?",
            fix="list scripts/pufa/mkdocs_hooks.py under hooks:",
        )
    count = precompress(tmp)

    _step(4, 4, f"publishing {tmp.name}/ -> {site_dir.name}/")
    old = site_dir.with_name(f"{site_dir.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    tmp.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)

    pages = sum(1 for _ in site_dir.rglob("*.html"))
    if sizes:
        print(sizes.describe())
    print(
        f"wrote {pages} pages and {count} .gz/.br pairs to {site_dir} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return site_dir


# Brotli quality 9 vs 11 on our search index: 143 KB vs 128 KB, but 20 times faster to build.
BROTLI_QUALITY = 9
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ics", ".map"}


def precompress(site: Path, min_size: int = 256) -> int:
    """Write .gz (and .br) beside each text asset, for nginx's gzip_static / brotli_static."""
    import brotli

    from .searchindex import write_gzip

    count = 0
    for path in sorted(site.rglob("*")):
        if path.suffix in COMPRESSIBLE and path.is_file() and path.stat().st_size >= min_size:
            if not path.with_name(path.name + ".gz").exists():
                write_gzip(path)
            br = path.with_name(path.name + ".br")
            br.write_bytes(brotli.compress(path.read_bytes(), quality=BROTLI_QUALITY))
            count += 1
    return count


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript; charset=utf-8",
        ".json": "application/json; charset=utf-8",
        ".html": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".svg": "image/svg+xml",
        ".webmanifest": "application/manifest+json",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        # Serve the precompressed variant when the client accepts gzip (like gzip_static).
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        gz = path.with_name(path.name + ".gz")
        if "gzip" in self.headers.get("Accept-Encoding", "") and gz.is_file() and path.is_file():
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(gz.stat().st_size))
            self.end_headers()
            return gz.open("rb")
        return super().send_head()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def make_server(
    site: Path, host: str = "127.0.0.1", port: int = 8000
) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_Handler, directory=str(site))
    return http.server.ThreadingHTTPServer((host, port), handler)


def cmd_build(args: argparse.Namespace) -> int:
    build_site(args.root, args.project / args.site_dir, reference=args.reference)
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve with nginx and the production headers when nginx is installed (as deployed);
    otherwise with Python's server, which has no security headers."""
    from .deploy import test_config

    site = (args.project / args.site_dir).resolve()
    if not args.no_build:
        build_site(args.root, site, reference=args.reference)
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx and args.host == "127.0.0.1" and not args.python:
        conf = test_config(
            site, args.project / ".cache" / "nginx", args.port, as_root=os.geteuid() == 0
        )
        print(
            f"serving {site} with nginx on http://{args.host}:{args.port}/ (Ctrl+C to stop)",
            flush=True,
        )
        proc = subprocess.Popen([nginx, "-c", str(conf), "-e", "stderr"])
        # Stop nginx with us, whether we get Ctrl+C or a SIGTERM from a supervisor.
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            return proc.wait()
        except KeyboardInterrupt:
            return 0
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    server = make_server(site, args.host, args.port)
    print(f"serving {site} on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


def cmd_kiosk(args: argparse.Namespace) -> int:
    """Serve the site with nginx on 127.0.0.1 and keep Chromium full-screen on the kiosk page."""
    from .deploy import test_config
    from .kiosk import chromium_command, install_policy, keep_browser_running

    site = (args.project / args.site_dir).resolve()
    if not args.no_build:
        build_site(args.root, site)
    origin = f"http://127.0.0.1:{args.port}"
    policy = install_policy(origin)
    print(
        f"kiosk: browser policy {'written to ' + str(policy) if policy else 'NOT written'} "
        "(it allows only this site; run as root once to install it)",
        flush=True,
    )
    conf = test_config(
        site, args.project / ".cache" / "kiosk-nginx", args.port, as_root=os.geteuid() == 0
    )
    nginx = subprocess.Popen(
        [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(conf), "-e", "stderr"]
    )
    signal.signal(signal.SIGTERM, _interrupt)
    profile = args.project / ".cache" / "kiosk-profile"
    try:
        keep_browser_running(chromium_command(args.chromium, f"{origin}/kiosk/", profile))
    except KeyboardInterrupt:
        pass
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
    return 0


def add_build_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name, func, help_ in (
        ("build", cmd_build, "check and build the site into site/"),
        ("serve", cmd_serve, "build, then serve site/ on 127.0.0.1"),
    ):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--site-dir", default="site")
        p.add_argument("--reference", help="also verify excerpts against this collection first")
        if name == "serve":
            p.add_argument("--host", default="127.0.0.1")
            p.add_argument("--port", type=int, default=8000)
            p.add_argument("--no-build", action="store_true")
            p.add_argument(
                "--python", action="store_true", help="use Python's http.server instead of nginx"
            )
        p.set_defaults(func=func)
    p = sub.add_parser("kiosk", help="run the touch-screen kiosk: nginx + full-screen Chromium")
    p.add_argument("--site-dir", default="site")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-build", action="store_true")
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.set_defaults(func=cmd_kiosk)


__all__ = ["build_site", "make_server", "precompress"]
