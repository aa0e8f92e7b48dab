"""`pufa serve` and `pufa kiosk`: the built site served with nginx and the production headers
(Python's server as a fallback), and the hall's touch screen."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
from pathlib import Path

from ..site.build import build_site
from .kiosk import chromium_command, keep_browser_running


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve with nginx and the production headers when nginx is installed (as deployed);
    otherwise with Python's server, which has no security headers."""
    from .deploy import find_nginx, test_config

    site = (args.project / args.site_dir).absolute()  # the symlink: follows a new publish
    if not args.no_build:
        build_site(args.root, site, reference=args.reference)
    if not args.no_watch:
        _watch(args, site)
    nginx = find_nginx()
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
    from .pyserver import make_server

    server = make_server(site, args.host, args.port)
    print(f"serving {site} on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


def _watch(args: argparse.Namespace, site: Path) -> None:
    """Rebuild in the background while serving (see serve/live.py)."""
    from ..content.overlay import overlay_base, resolve_project
    from ..site.rebuild import rebuild_pages
    from .live import Watcher

    overlay = args.root.resolve() != args.project.resolve()

    def build_all() -> None:
        build_site(resolve_project(args.project), site, reference=args.reference)

    def build_pages() -> float:
        return rebuild_pages(args.root, site)[1]

    Watcher(
        args.project, build_all, build_pages, base=overlay_base(args.project), overlay=overlay
    ).start()
    print("watching docs/, data/, overrides/ and mkdocs.yml: edits are rebuilt", flush=True)


def cmd_kiosk(args: argparse.Namespace) -> int:
    """Serve the site with nginx on 127.0.0.1 and keep Chromium full-screen on the start page,
    both as the kiosk user, behind the installed allow-only-our-origin browser policy."""
    import sys

    from ..content.library import load_library
    from ..site.kiosk import start_path
    from .deploy import require_nginx, test_config
    from .kiosk import KioskError, identity, install_policy, policy_problem

    origin = f"http://127.0.0.1:{args.port}"
    if args.install_policy:
        if os.geteuid() != 0:
            print("kiosk: --install-policy writes under /etc: run it as root", file=sys.stderr)
            return 2
        print(f"kiosk: browser policy written to {install_policy(origin)}", flush=True)
        return 0
    problem = policy_problem(origin)
    if problem:
        print(f"kiosk: not starting: {problem}", file=sys.stderr)
        return 3
    try:
        who = identity(args.user)
    except KioskError as exc:
        print(f"kiosk: not starting: {exc}", file=sys.stderr)
        return 2
    lib = load_library(args.root)
    if lib.kiosk is None:
        print("kiosk: not starting: data/kiosk.yml is missing", file=sys.stderr)
        return 2
    nginx_bin = require_nginx("the kiosk")  # before minutes of building
    site = (args.project / args.site_dir).absolute()  # the symlink: follows a new publish
    if not args.no_build:
        build_site(args.root, site)
    # The kiosk user's own folders (never the project's .cache, which root would leave owned by
    # root): nginx's prefix and the browser profile, wiped at every browser start.
    state = who.home / ".cache" / "pufa-kiosk"
    prefix = state / "nginx"
    conf = test_config(site, prefix, args.port, as_root=False)
    who.own(state)
    nginx = subprocess.Popen(
        [nginx_bin, "-c", str(conf), "-e", "stderr"],
        **who.popen_kwargs(),  # type: ignore[arg-type]
    )
    signal.signal(signal.SIGTERM, _interrupt)
    url = f"{origin}/{start_path(lib.kiosk)}"
    print(f"kiosk: {url} as user {who.name}", flush=True)
    try:
        outcome = keep_browser_running(
            chromium_command(args.chromium, url, state / "profile"),
            profile=state / "profile",
            reset_log=prefix / "logs" / "access.log",
            popen_kwargs={**who.popen_kwargs(), "env": {**os.environ, "HOME": str(who.home)}},
        )
        return outcome.code
    except KeyboardInterrupt:
        return 0
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


def add_serve_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("serve", help="build, then serve site/ on 127.0.0.1")
    p.add_argument("--site-dir", default="site")
    p.add_argument("--reference", help="also verify excerpts against this collection first")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-build", action="store_true")
    p.add_argument(
        "--no-watch", action="store_true", help="do not rebuild when pages or data change"
    )
    p.add_argument(
        "--python", action="store_true", help="use Python's http.server instead of nginx"
    )
    p.set_defaults(func=cmd_serve)
    p = sub.add_parser("kiosk", help="run the touch-screen kiosk: nginx + full-screen Chromium")
    p.add_argument("--site-dir", default="site")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-build", action="store_true")
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.add_argument("--user", default="kiosk", help="run nginx and Chromium as USER when root")
    p.add_argument(
        "--install-policy",
        action="store_true",
        help="as root, once: install the browser policy that allows only this site, then exit",
    )
    p.set_defaults(func=cmd_kiosk)
