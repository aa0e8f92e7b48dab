"""Campaign fixtures: one full build of every shipped campaign per session (then a second,
cached run), and helpers to write bad campaign files into a private project copy."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import ROOT


@dataclass
class Built:
    out: Path
    first: object  # build.Report of the cold run
    second: object  # build.Report of the run with nothing changed
    log: list[str]

    def manifest(self, campaign_id: str) -> dict:
        return json.loads((self.out / campaign_id / "manifest.json").read_text(encoding="utf-8"))

    def manifests(self) -> dict[str, dict]:
        return {
            p.parent.name: self.manifest(p.parent.name) for p in self.out.glob("*/manifest.json")
        }


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    from pufa.campaign.build import build_campaigns

    out = tmp_path_factory.mktemp("campaigns")
    log: list[str] = []
    first = build_campaigns(ROOT, out, progress=False, log=log.append)
    second = build_campaigns(ROOT, out, progress=False, log=log.append)
    return Built(out, first, second, log)


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
