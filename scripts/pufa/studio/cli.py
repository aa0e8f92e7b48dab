"""`pufa studio` (serve the console on 127.0.0.1) and `pufa studio adduser NAME --role 编辑`."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from ..errors import PufaError


def cmd_studio(args: argparse.Namespace) -> int:
    from waitress import serve

    from .app import create_app
    from .store import load_users

    root: Path = args.root
    if not load_users(root):
        print("no studio accounts yet: run  pufa studio adduser NAME --role 编辑  first")
    if args.host not in {"127.0.0.1", "localhost", "::1"}:
        print(
            f"warning: listening on {args.host}: other machines can reach the studio; "
            "put it behind HTTPS (its cookies are Secure)",
            file=sys.stderr,
        )
    app = create_app(root)
    print(f"编辑台: http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    serve(app, host=args.host, port=args.port, threads=8, ident="pufa-studio")
    return 0


def cmd_adduser(args: argparse.Namespace) -> int:
    from .store import add_user

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise PufaError(".studio/users.json", "the passwords differ", fix="type it again")
    user = add_user(args.root, args.name, password, args.role, args.display or args.name)
    print(f"added {user.name} ({user.display}), roles: {'、'.join(user.roles)}")
    return 0


def add_studio_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("studio", help="the staff console: edit, review and publish in a browser")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: local only)")
    p.add_argument("--port", type=int, default=8765)
    p.set_defaults(func=cmd_studio)
    ssub = p.add_subparsers(dest="action")
    a = ssub.add_parser("adduser", help="add or update a studio account")
    a.add_argument("name", help="login name (letters, digits, - or _)")
    a.add_argument(
        "--role", action="append", required=True, choices=["编辑", "审核"], help="repeatable"
    )
    a.add_argument("--display", help="the name shown and used as git author (e.g. 张三)")
    a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    a.set_defaults(func=cmd_adduser)
