"""`pufa campaign build <id>... | --all [--out DIR] [--force]` and `pufa campaign list`."""

from __future__ import annotations

import argparse
from pathlib import Path


def cmd_campaign_build(args: argparse.Namespace) -> int:
    from ..errors import PufaError
    from .build import build_campaigns

    if bool(args.all) == bool(args.ids):
        raise PufaError(
            "pufa campaign build",
            "name the campaigns to build, or pass --all (not both)",
            fix="e.g. pufa campaign build constitution-week-2026, or pufa campaign build --all",
        )
    from .paths import default_out

    # Outputs go beside the project the user named (for an overlay office too, see overlay.py).
    project = getattr(args, "project", None) or args.root
    out = Path(args.out) if args.out else default_out(project)
    if not out.is_absolute():
        out = Path.cwd() / out
    build_campaigns(
        args.root,
        out,
        ids=None if args.all else list(args.ids),
        force=args.force,
        progress=not args.no_progress,
    )
    return 0


def cmd_campaign_list(args: argparse.Namespace) -> int:
    from ..content.library import load_library
    from .data import load_campaigns

    for spec in load_campaigns(args.root, load_library(args.root)):
        c = spec.campaign
        print(f"{spec.id}\t{c.start} – {c.end}\t{c.title}\t{spec.url}")
    return 0


def add_campaign_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("campaign", help="campaign outputs: LED slides, videos, posts, calendar")
    csub = p.add_subparsers(dest="action", required=True)
    b = csub.add_parser("build", help="build every output of the named campaigns (or --all)")
    b.add_argument("ids", nargs="*", help="campaign ids (file names in data/campaigns/)")
    b.add_argument("--all", action="store_true", help="build every campaign")
    b.add_argument("--out", help="output folder (default: build/campaigns)")
    b.add_argument("--force", action="store_true", help="ignore the cache and render everything")
    b.add_argument("--no-progress", action="store_true", help="no progress bar")
    b.set_defaults(func=cmd_campaign_build)
    ls = csub.add_parser("list", help="list the campaigns")
    ls.set_defaults(func=cmd_campaign_list)
