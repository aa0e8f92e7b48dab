"""The one command-line entry point: ``pufa check | build | serve | reference``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import PufaError, PufaErrors


def find_root(start: Path | None = None) -> Path:
    here = (start or Path.cwd()).resolve()
    for path in (here, *here.parents):
        if (path / "mkdocs.yml").is_file() and (path / "data").is_dir():
            return path
    raise PufaError(
        here,
        "not inside a pufa project (no mkdocs.yml and data/ found)",
        fix="run pufa from the repository or pass --root",
    )


def _fail(errors: list[PufaError]) -> int:
    for err in errors:
        print(f"error: {err}", file=sys.stderr)
    print(f"{len(errors)} error(s)", file=sys.stderr)
    return 1


def cmd_check(args: argparse.Namespace) -> int:
    from .content.check import compare_excerpts, release_problems
    from .content.library import load_library
    from .content.review import content_warnings
    from .site.pages import check_pages

    root = args.root
    lib = load_library(root)
    errors = check_pages(lib, root / "docs")
    for warning in content_warnings(lib):
        print(f"warning: {warning}")
    print(f"data ok: {len(lib.statutes)} statutes, {lib.excerpt_count()} excerpts")
    if args.reference:
        report = compare_excerpts(lib, Path(args.reference))
        for m in report.mismatches:
            print(f"mismatch: data/excerpts/{m.slug}.yml article {m.article}: {m.problem}")
            if m.diff:
                print(m.diff)
        print(f"reference: {report.checked} excerpts checked, {len(report.mismatches)} mismatches")
        if report.mismatches:
            errors.append(
                PufaError(
                    args.reference,
                    f"{len(report.mismatches)} excerpt(s) differ",
                    fix="copy the official wording exactly",
                )
            )
    if args.release:
        errors.extend(release_problems(lib))
    if errors:
        return _fail(errors)
    return 0


def cmd_reference_show(args: argparse.Namespace) -> int:
    """Print articles from the reference as YAML excerpt stubs, in official punctuation."""
    from .content.reference import parse, to_official

    law = parse(Path(args.reference) / f"{args.law}.md")
    for number in args.articles:
        paras = law.paragraphs(number)
        if paras is None:
            print(f"# article {number} not found", file=sys.stderr)
            continue
        print(f"  - article: {number}\n    text: |-")
        for p in paras:
            print(f"      {to_official(p)}")
        print("    plain: >-\n      TODO\n    tags: [TODO]")
    return 0


def cmd_flow_pages(args: argparse.Namespace) -> int:
    """Write docs/guide/<id>.md for every outcome (generated from the flow data)."""
    from .content.library import load_library
    from .site.guide import write_outcome_pages

    changed = write_outcome_pages(args.root, load_library(args.root).guides)
    for rel in changed:
        print(f"wrote docs/{rel}")
    print(f"{len(changed)} outcome page(s) changed")
    return 0


def cmd_flow_paths(args: argparse.Namespace) -> int:
    """Print (or write) every route through a flow: the golden listing reviewers diff."""
    from .content.flow import path_listing
    from .content.library import load_library

    guides = load_library(args.root).guides
    if args.flow not in guides.flows:
        raise PufaError(
            f"data/flows/{args.flow}.yml",
            "no such flow",
            fix=f"use one of: {', '.join(guides.flows)}",
        )
    listing = path_listing(guides.flows[args.flow].flow, guides.channels)
    if args.write:
        Path(args.write).write_text(listing, encoding="utf-8")
        print(f"wrote {listing.count('=>')} paths to {args.write}")
    else:
        print(listing, end="")
    return 0


def cmd_deploy(args: argparse.Namespace) -> int:
    """Write deploy/*.conf (nginx) for this office from the built site."""
    from .content.library import load_library
    from .serve.deploy import production_files

    site = args.project / args.site_dir
    if not (site / "index.html").is_file():
        raise PufaError(site, "no built site", fix="run pufa build first")
    out = args.project / "deploy"
    out.mkdir(exist_ok=True)
    for name, text in production_files(
        load_library(args.root), site, root=args.server_root
    ).items():
        (out / name).write_text(text, encoding="utf-8")
        print(f"wrote deploy/{name}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pufa", description=__doc__)
    parser.add_argument("--root", type=Path, default=None, help="project root (default: found)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="validate data, pages and citations")
    p.add_argument("--reference", help="compare every excerpt with this reference collection")
    p.add_argument("--release", action="store_true", help="also fail on 待核实 office fields")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("reference", help="look up reference texts (for writing excerpts)")
    rsub = p.add_subparsers(dest="action", required=True)
    show = rsub.add_parser("show", help="print articles as excerpt stubs")
    show.add_argument("law", help="reference file stem, e.g. labor-contract-law")
    show.add_argument("articles", type=int, nargs="+")
    show.add_argument("--reference", default="../shared/reference/laws")
    show.set_defaults(func=cmd_reference_show)

    p = sub.add_parser("flow", help="claim-routing guides")
    fsub = p.add_subparsers(dest="action", required=True)
    fp = fsub.add_parser("paths", help="list every path (answers -> outcome)")
    fp.add_argument("flow", help="flow id, e.g. claims")
    fp.add_argument("--write", help="write the listing to this file (the golden file)")
    fp.set_defaults(func=cmd_flow_paths)
    fsub.add_parser(
        "pages", help="write docs/guide/<id>.md for every outcome (after editing the flow)"
    ).set_defaults(func=cmd_flow_pages)

    p = sub.add_parser("deploy", help="write the nginx config for this office to deploy/")
    p.add_argument("--site-dir", default="site")
    p.add_argument("--server-root", default="/srv/pufa/site", help="where nginx finds the site")
    p.set_defaults(func=cmd_deploy)

    from .selftest import add_selftest_command
    from .serve.commands import add_serve_commands
    from .site.bench import add_bench_command
    from .site.build import add_build_command, add_rollback_command

    add_build_command(sub)
    add_rollback_command(sub)
    add_selftest_command(sub)
    add_serve_commands(sub)
    add_bench_command(sub)

    from .campaign.cli import add_campaign_command

    add_campaign_command(sub)

    from .studio.cli import add_studio_command

    add_studio_command(sub)

    args = parser.parse_args(argv)
    try:
        from .content.overlay import resolve_project

        # Outputs (site/, deploy/) go beside the project the user named, even for an overlay.
        args.project = args.root.resolve() if args.root else find_root()
        args.root = resolve_project(args.project)
        return int(args.func(args) or 0)
    except PufaErrors as exc:
        return _fail(exc.errors)
    except PufaError as exc:
        return _fail([exc])
    except KeyboardInterrupt:  # Ctrl+C: every step cleans up after itself (site/ is kept)
        print("stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
