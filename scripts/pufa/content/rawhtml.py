"""HTML a directive writes whole, carried past Markdown in one comment and put back after.

Markdown engines read the raw HTML they are given: Python-Markdown's HTML block parser and
md_in_html walk every tag. The quoted articles are such HTML (escaped statute text, 解读 and tags;
only their heading link is Markdown): setting them aside took 0.3 s of the 277-page site's 2.1 s
of Markdown (adr/0011 lists the other parts set aside). Set aside,
a fragment stands in the page's Markdown as a single HTML comment, which Markdown passes on
without reading it, and ``restore`` puts the fragment back once the page is HTML. A fragment is
block-level and must hold no Markdown: links to other pages stay outside it, in Markdown, so the
engine resolves and checks them.
"""

from __future__ import annotations

import re

_OPEN = "<!--pufa-html "
# What a comment cannot hold ("--"), and what Markdown would rewrite before it reads a comment
# (tabs, line ends): escaped, "%" first so the escapes read back unambiguously.
_ESCAPES = (("%", "%25"), ("-", "%2D"), ("\n", "%0A"), ("\r", "%0D"), ("\t", "%09"))
# A comment Markdown wrapped in a paragraph is put back without it (a block in a <p> is invalid).
_ASIDE = re.compile(r"(<p>)?<!--pufa-html ([^-]*)-->(?(1)</p>)")


def set_aside(html: str) -> str:
    """``html`` as the comment that stands for it in the Markdown (on lines of its own)."""
    for char, escape in _ESCAPES:
        html = html.replace(char, escape)
    return f"{_OPEN}{html}-->"


def _unescape(text: str) -> str:
    for char, escape in reversed(_ESCAPES):
        text = text.replace(escape, char)
    return text


def restore(html: str) -> str:
    """The page's HTML with every set-aside fragment in place of its comment."""
    if _OPEN not in html:
        return html
    return _ASIDE.sub(lambda m: _unescape(m[2]), html)


__all__ = ["restore", "set_aside"]
