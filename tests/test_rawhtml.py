"""HTML set aside from Markdown: it reads back exactly, wherever Markdown puts its comment."""

import random

import markdown
from pufa.content.rawhtml import restore, set_aside
from pufa.studio.preview import MARKDOWN_EXTENSIONS

BLOCK = (
    '<div class="pufa-article" id="art-3">\n<p class="pufa-article__head">《法》第三条</p>\n'
    '<blockquote lang="zh-CN">\n<p>a--b &amp; 100% %2D %25\ttab\r\n--></p>\n</blockquote>\n</div>'
)


def _md(text: str) -> str:
    return markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS)


def test_a_fragment_reads_back_exactly() -> None:
    rng = random.Random(3)
    alphabet = "%-2D5A0\n\r\t<>!ab条"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        aside = set_aside(text)
        assert "--" not in aside[4:-3] and "\n" not in aside and "\t" not in aside
        assert restore(aside) == text


def test_markdown_passes_fragments_on_unread_wherever_they_stand() -> None:
    """Between paragraphs (with or without blank lines), in an md_in_html block, in a list."""
    aside = set_aside(BLOCK)
    pages = [
        f"Para one.\n\n{aside}\n\nPara two.",
        f"Para one.\n{aside}\nPara two.",
        f'<div class="outer" markdown>\n\nhello\n\n{aside}\n\n</div>',
        f"- item\n\n    {aside}\n\n- next",
    ]
    for page in pages:
        html = restore(_md(page))
        assert html.count(BLOCK) == 1, html
        assert "<p><div" not in html and "pufa-html" not in html


def test_a_linked_heading_stays_markdown_between_two_fragments() -> None:
    page = (
        set_aside('<div class="pufa-article">')
        + "\n\n[《法》第三条](../statutes/law.md#art-3)\n{: .pufa-article__head }\n\n"
        + set_aside("<blockquote><p>正文</p></blockquote>\n</div>")
    )
    html = restore(_md(page))
    assert '<div class="pufa-article">' in html and html.rstrip().endswith("</div>")
    assert '<p class="pufa-article__head"><a href="../statutes/law.md#art-3">' in html
