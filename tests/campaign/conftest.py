"""Campaign fixtures: one full build of every shipped campaign per session (then a second,
cached run), and helpers to write bad campaign files into a private project copy."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from ..conftest import ROOT


@pytest.fixture(scope="session")
def built(campaigns_built):
    """The session's one build of every shipped campaign (tests/conftest.py)."""
    return campaigns_built


@pytest.fixture(scope="session")
def lib():
    from pufa.content.library import load_library

    return load_library(ROOT)


@pytest.fixture(scope="session")
def fonts():
    from pufa.campaign.fonts import find_fonts

    return find_fonts()


GOOD = """\
title: 测试活动
short_title: 测试活动
theme: 依法信访
start: 2026-12-01
end: 2026-12-07
updated: 2026-11-27
intro: 这是一个测试活动。它只用于检查错误信息。
slogans:
  - 学习宪法 尊崇宪法
featured:
  - 宪法第33条
screens: [lobby, indoor, door]
platforms: [wechat, toutiao, weibo]
hashtags: [测试]
"""


def write_campaign(project: Path, text: str = GOOD, name: str = "bad-campaign") -> Path:
    path = project / "data" / "campaigns" / f"{name}.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path
