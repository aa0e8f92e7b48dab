"""Pieces without a browser: every data kind's form round-trips its current file, writes stay
under data/ and docs/, Chinese messages, accounts, and the vendored front-end files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pufa.errors import PufaError

from ..conftest import ROOT

VENDOR = ROOT / "scripts" / "pufa" / "studio" / "static" / "vendor"


@pytest.fixture(scope="module")
def lib():
    from pufa.content.library import load_library

    return load_library(ROOT)


@pytest.mark.parametrize(
    "kind_name", ["campaign", "slogans", "rota", "office", "stats", "case", "faq"]
)
def test_form_round_trips_current_file(kind_name, lib):
    from pufa.studio.kinds import KINDS, form_schema, item_ids, load_form, parse_form

    kind = KINDS[kind_name]
    schema = form_schema(kind, ROOT, lib, new=False)
    assert schema["type"] == "object" and schema["properties"]
    assert all("title" in p for p in schema["properties"].values())  # every field labelled
    item = None if kind.single else item_ids(ROOT, kind)[0]
    parsed = parse_form(kind, ROOT, load_form(kind, ROOT, item), new=False)
    assert parsed.errors == []
    assert list(parsed.files) == [kind.path_of(item)]


def test_writes_stay_in_data_and_docs(tmp_path):
    from pufa.studio.store import safe_target, write_files

    for bad in ("../outside.yml", "scripts/pufa/x.py", "/etc/passwd", "data/../mkdocs.yml"):
        with pytest.raises(PufaError):
            safe_target(tmp_path, bad)
    (tmp_path / "data").mkdir()
    write_files(tmp_path, {"data/a.yml": "a: 1\n"})
    assert (tmp_path / "data/a.yml").read_text() == "a: 1\n"


def test_messages_in_chinese():
    from pufa.studio.i18n import translate

    assert translate("end is before start") == "结束日期早于开始日期"
    out = translate(
        "campaign 'x': 微信公众号 title has 40 characters, "
        "over the maximum (1–32, data/platforms.yml"
    )
    assert "40" in out and "超过上限" in out
    assert translate("something new").startswith("检查未通过")


def test_adduser_command(tmp_path, monkeypatch):
    from pufa.cli import main
    from pufa.studio.store import authenticate, load_users

    for name in ("data", "docs"):
        (tmp_path / name).mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    argv = [
        "--root",
        str(tmp_path),
        "studio",
        "adduser",
        "li",
        "--role",
        "审核",
        "--display",
        "李四",
    ]
    assert main([*argv, "--password-stdin"]) == 0
    user = load_users(tmp_path)["li"]
    assert user.roles == ["审核"] and user.hash.startswith("$argon2id$")
    assert authenticate(tmp_path, "li", "a-long-password") is not None
    assert authenticate(tmp_path, "li", "wrong") is None
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main([*argv, "--password-stdin"]) == 1  # a clear error, not a traceback


@pytest.mark.parametrize(
    "vendored, installed",
    [
        ("jsoneditor.js", "@json-editor/json-editor/dist/jsoneditor.js"),
        ("easymde.min.js", "easymde/dist/easymde.min.js"),
        ("easymde.min.css", "easymde/dist/easymde.min.css"),
    ],
)
def test_vendored_files_match_pinned_npm_packages(vendored, installed):
    source = ROOT / "node_modules" / installed
    if not source.is_file():
        pytest.skip("node_modules not installed (npm ci)")
    assert (VENDOR / vendored).read_bytes() == Path(source).read_bytes()
