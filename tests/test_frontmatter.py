"""Front matter read once per build (content/frontmatter.py), yet never stale or shared."""

from __future__ import annotations

import os

from pufa.content import frontmatter
from pufa.content.frontmatter import read_front_matter


def test_parsed_once_while_unchanged_and_again_after_an_edit(tmp_path, monkeypatch) -> None:
    page = tmp_path / "a.md"
    page.write_text("---\ntitle: 旧\nasks: [一]\n---\n正文\n", encoding="utf-8")
    calls: list[str] = []
    real = frontmatter.split_front_matter
    monkeypatch.setattr(
        frontmatter, "split_front_matter", lambda text: calls.append(text) or real(text)
    )
    assert read_front_matter(page) == ({"title": "旧", "asks": ["一"]}, "正文\n", 4)
    read_front_matter(page)
    assert len(calls) == 1
    page.write_text("---\ntitle: 新的\n---\n正文\n", encoding="utf-8")
    os.utime(page, ns=(1, 1))  # even with an old time stamp: the size changed
    assert read_front_matter(page)[0] == {"title": "新的"}
    assert len(calls) == 2


def test_each_caller_gets_its_own_copy(tmp_path) -> None:
    page = tmp_path / "a.md"
    page.write_text("---\nasks: [一]\n---\n", encoding="utf-8")
    read_front_matter(page)[0]["asks"].append("二")
    assert read_front_matter(page)[0] == {"asks": ["一"]}


def test_a_caller_that_only_reads_can_skip_the_copy(tmp_path) -> None:
    page = tmp_path / "p.md"
    page.write_text("---\ntitle: 题\nasks: [一]\n---\n正文\n", encoding="utf-8")
    shared = read_front_matter(page, copy=False)[0]
    assert read_front_matter(page, copy=False)[0] is shared  # the parsed front matter itself
    assert read_front_matter(page)[0] is not shared and read_front_matter(page)[0] == shared
