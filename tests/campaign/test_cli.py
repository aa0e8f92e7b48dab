"""`pufa campaign build` on the command line (through add_campaign_command)."""

from __future__ import annotations

import argparse

import pytest
from pufa.campaign.cli import add_campaign_command
from pufa.cli import main


def test_the_subcommand_parses() -> None:
    parser = argparse.ArgumentParser()
    add_campaign_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["campaign", "build", "a", "b", "--out", "x", "--force"])
    assert (args.ids, args.out, args.force, args.all) == (["a", "b"], "x", True, False)
    args = parser.parse_args(["campaign", "build", "--all"])
    assert args.all and args.ids == []


def test_ids_or_all_is_required(project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(project), "campaign", "build"]) == 1
    assert "or pass --all" in capsys.readouterr().err


def test_unknown_id_fails(project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(project), "campaign", "build", "nope"]) == 1
    err = capsys.readouterr().err
    assert "no campaign 'nope'" in err and "constitution-week-2026" in err


def test_build_one_campaign_from_the_cache(built, capsys: pytest.CaptureFixture[str]) -> None:
    from ..conftest import ROOT

    code = main(
        ["--root", str(ROOT), "campaign", "build", "july-first-2027", "--out", str(built.out),
         "--no-progress"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    assert "0 rendered" in out and "0 encoded" in out
    assert (built.out / "july-first-2027" / "july-first-2027.zip").is_file()


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    from ..conftest import ROOT

    assert main(["--root", str(ROOT), "campaign", "list"]) == 0
    assert "constitution-week-2026" in capsys.readouterr().out
