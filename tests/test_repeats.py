"""Fragments a page repeats are rendered by Markdown once and copied after: the page is the
same as if Markdown had rendered every copy."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
import yaml
from pufa.content.frontmatter import split_front_matter
from pufa.content.library import Library, load_library
from pufa.content.rawhtml import restore
from pufa.site.pages import render_page
from pufa.site.repeats import LostFragment, Repeats, after_markdown, copy_repeats

ROOT = Path(__file__).resolve().parents[1]


def _markdown() -> markdown.Markdown:
    """Python-Markdown with the site's extensions and their settings (as MkDocs makes it)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.Loader)
    names, settings = [], {}
    for entry in config["markdown_extensions"]:
        name = entry if isinstance(entry, str) else next(iter(entry))
        names.append(name)
        if not isinstance(entry, str):
            settings[name] = entry[name]
    return markdown.Markdown(extensions=names, extension_configs=settings)


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library(ROOT)


def _page(lib: Library, src: str) -> str:
    meta, body, offset = split_front_matter((ROOT / "docs" / src).read_text(encoding="utf-8"))
    return render_page(body, meta, src, lib, file=f"docs/{src}", line_offset=offset)


@pytest.mark.parametrize("src", ["guide/index.md", "guide/practice.md"])
def test_a_page_reads_as_if_every_copy_were_rendered(
    lib: Library, src: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    md = _markdown()
    once = _page(lib, src)
    assert "<!--pufa-same:" in once, "the page repeats nothing any more: test another"
    html = after_markdown(md.reset().convert(once))
    with monkeypatch.context() as m:
        m.setattr(Repeats, "place", lambda self, fragment, inline=False: fragment)
        every = _page(lib, src)
    assert "<!--pufa-once" not in every and "<!--pufa-same" not in every
    assert html == restore(md.reset().convert(every))
    assert len(once) < 0.8 * len(every)  # what Markdown is spared


def test_block_and_inline_fragments() -> None:
    page = Repeats()
    block = "\n<p markdown>**一**</p>\n\n"
    inline = "见[第1条](a.md)"
    parts = [p for _ in range(3) for p in (page.place(block), page.place(inline, inline=True))]
    assert parts[0].startswith("\n<!--pufa-once:") and parts[0].endswith("-->\n\n")
    assert parts[2].startswith("\n<!--pufa-same:") and parts[2].endswith("-->\n\n")
    assert parts[3] == parts[5] and "pufa-same" in parts[3]
    # Another directive on the same page placing the same fragment shares the first copy.
    other = Repeats()
    assert "pufa-once" in other.place(inline, inline=True)
    assert other.place("\n\n") == "\n\n"  # nothing to render: left as it is
    text = "<div>" + "|".join(parts) + "</div>"
    rendered = text.replace("**一**", "<strong>一</strong>")  # as if Markdown had run
    assert (
        copy_repeats(rendered)
        == "<div>" + "|".join(["\n<p markdown><strong>一</strong></p>\n\n", inline] * 3) + "</div>"
    )
    assert copy_repeats("<p>no fragments</p>") == "<p>no fragments</p>"
    with pytest.raises(LostFragment):  # the hook reports it as the page's error
        copy_repeats(rendered.split("<!--/pufa-once:")[0] + parts[2])


def test_no_marker_is_left_in_the_built_site(built_site: Path) -> None:
    left = [
        p.relative_to(built_site).as_posix()
        for p in sorted(built_site.rglob("*.html"))
        if any(
            m in p.read_text(encoding="utf-8")
            for m in ("<!--pufa-once:", "<!--pufa-same:", "<!--pufa-html")
        )
    ]
    assert not left
