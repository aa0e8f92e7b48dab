from __future__ import annotations

import dataclasses

import pytest
from pufa.content.citations import Context
from pufa.content.library import Library, load_library
from pufa.content.models import Excerpt
from pufa.errors import PufaError
from pufa.site.pages import expand

from .conftest import ROOT


@pytest.fixture(scope="module")
def lib() -> Library:
    real = load_library(ROOT)
    excerpt = Excerpt(article=82, text="甲。\n乙。", plain="一句。两句。", tags=["二倍工资"])
    repealed = Excerpt(article=33, text="旧规定。", plain="一句。两句。", tags=["信访"])
    return dataclasses.replace(
        real,
        excerpts={"labor-contract-law": {82: excerpt}, "petition-regulations-2005": {33: repealed}},
    )


def ctx(lib: Library, src: str = "faq/labor.md") -> Context:
    return Context(lib=lib, src_path=src, file=f"docs/{src}")


def test_citation_links_to_quoted_article_with_chinese_number(lib) -> None:
    out = expand("见[[劳动合同法第82条]]。", ctx(lib))
    assert (
        out
        == "见[《劳动合同法》第八十二条](../statutes/labor-contract-law.md#art-82){ .pufa-cite }。"
    )


def test_chinese_numerals_paragraph_and_same_page_link(lib) -> None:
    out = expand("[[劳动合同法第八十二条第2款]]", ctx(lib, "statutes/labor-contract-law.md"))
    assert "第八十二条第二款" in out and "](#art-82)" in out


def test_unquoted_article_links_statute_page(lib) -> None:
    out = expand("[[民法典第1165条]]", ctx(lib))
    assert "](../statutes/civil-code.md)" in out and "本站未摘录" in out


def test_repealed_statute_is_marked(lib) -> None:
    assert "（已废止）" in expand("[[信访条例第33条]]", ctx(lib))
    block = expand("[[> 信访条例第33条]]", ctx(lib))
    assert "pufa-status--repealed" in block and "不是现行规定" in block


def test_block_embed_has_anchor_only_on_own_page(lib) -> None:
    own = expand("[[> 劳动合同法第82条]]", ctx(lib, "statutes/labor-contract-law.md"))
    other = expand("[[> 劳动合同法第82条]]", ctx(lib))
    assert 'id="art-82"' in own and 'id="art-82"' not in other
    assert "](../statutes/labor-contract-law.md#art-82)" in other  # a link the engine resolves
    assert "<p>甲。</p>" in own and "解读" in own


def test_code_is_left_alone(lib) -> None:
    text = "`[[不存在法第1条]]`\n\n```\n[[不存在法第1条]]\n```"
    assert expand(text, ctx(lib)) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a\nb [[不存在法第1条]]", "unknown statute '不存在法'"),
        ("a\nb [[宪法第144条]]", "article 144 is beyond"),
        ("a\n[[> 民法典第1165条]]", "no excerpt of this article"),
        ("a\n[[!nope]]", "unknown directive"),
        ("a\nb [[> 宪法第1条]] c", "must stand on a line of its own"),
        ("a\n[[重庆市信访条例第3条]]", "no verified article count"),
    ],
)
def test_errors_name_file_and_line(lib, text: str, message: str) -> None:
    with pytest.raises(PufaError) as info:
        expand(text, ctx(lib))
    assert info.value.line == 2
    assert info.value.path == "docs/faq/labor.md"
    assert message in str(info.value)


def test_unquoted_article_on_its_own_page_is_plain_text(lib) -> None:
    out = expand("[[民法典第1165条]]", ctx(lib, "statutes/civil-code.md"))
    assert out.startswith('<span class="pufa-cite"') and "]()" not in out
