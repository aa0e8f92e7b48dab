"""One stylesheet per site: the theme's rules that can match our pages, then our own.

The theme ships one stylesheet for every feature it has (code highlighting, a dozen admonition
types with their icons, tabs, blog, dark palettes, right-to-left...): 21 KB compressed on every
first view, most of it for markup our pages never contain. After the pages are rendered we
know every class, attribute and custom property they use, so we keep only the rules that can
match them (adr/0010). The test is conservative: a selector is dropped only when it needs a
class, or an attribute value, that no page and no script of ours contains; classes inside
``:not()``/``:is()``/``:where()``/``:has()`` never drop a selector. A custom property is kept
when something kept refers to it. ``tests/test_stylesheet.py`` compares screenshots of page
types drawn with the theme's full stylesheet and with ours.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import tinycss2
from tinycss2 import ast

_CLASS_ATTR = re.compile(r"""class=(?:"([^"]*)"|'([^']*)')""")
_STYLE_VAR = re.compile(r"""style="[^"]*?(--[-\w]+)""")
_WORD = re.compile(r"[A-Za-z_][-\w]*")
_VAR = re.compile(r"var\(\s*(--[-\w]+)")
_ANIMATION = re.compile(r"[-\w]+")
_SEL_CLASS = re.compile(r"\.(-?[_a-zA-Z][-\w]*)")
_SEL_ATTR = re.compile(
    r"""\[\s*([-\w:]+)\s*(?:([~|^$*]?=)\s*(?:"([^"]*)"|'([^']*)'|([^\]\s]+))\s*)?[is]?\s*\]"""
)


def _attribute_tests(selector: str) -> list[tuple[str, str | None]]:
    """(name, value) for each [name=value] outside functional pseudo-classes; value None for
    the other forms ([name], [name^=x], ...), which test only that the attribute is there."""
    out = []
    for m in _SEL_ATTR.finditer(_outside_functions(selector)):
        value = m.group(3) or m.group(4) or m.group(5) or ""
        out.append((m.group(1).lower(), value if m.group(2) == "=" else None))
    return out


@dataclass(frozen=True)
class _Entry:
    """A top-level or nested node of a parsed stylesheet, with what the purge asks of it
    worked out once: a rule's selectors and declarations, an at-rule's inner entries."""

    node: ast.Node
    selectors: tuple[str, ...] = ()
    declarations: tuple[ast.Declaration, ...] = ()
    inner: tuple[_Entry, ...] | None = None  # an at-rule with a block


def _entries(nodes: list[ast.Node]) -> tuple[_Entry, ...]:
    out = []
    for node in nodes:
        if node.type == "qualified-rule":
            decls = tuple(_declarations(node.content))
            out.append(_Entry(node, tuple(_selectors(node.prelude)), decls))
        elif node.type == "at-rule" and node.content is not None:
            inner = _entries(tinycss2.parse_rule_list(node.content, True, True))
            out.append(_Entry(node, inner=inner))
        else:
            out.append(_Entry(node))
    return tuple(out)


@functools.lru_cache(maxsize=4)
def _digest(css: str) -> tuple[_Entry, ...]:
    """The stylesheet parsed once per process and content: parsing the theme's took longer than
    the rest of writing ours, and a `pufa serve` rebuild or a render worker asks again."""
    return _entries(tinycss2.parse_stylesheet(css, True, True))


def selector_attributes(css: str) -> set[tuple[str, str | None]]:
    """Every attribute test of a stylesheet's selectors: only these are looked for in pages.
    Each render worker asks before its first page, and parsing the theme's stylesheet took a
    tenth of a second: the selectors are read from the text (``_preludes``) in a few ms.
    tests/test_stylesheet.py compares this with ``parsed_selector_attributes``."""
    return {test for prelude in _preludes(css) for test in _attribute_tests(prelude)}


# Strings and comments (skipped whole: they may hold braces) and the characters that end a
# selector list (``{``) or start the next one (``}``, and ``;`` before a nested rule).
_CSS_TOKEN = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|/\*.*?\*/|[{};]", re.S)


def _preludes(css: str) -> list[str]:
    """The text before each ``{`` that may hold an attribute test: rule selector lists (at-rule
    preludes left out), comments removed."""
    out: list[str] = []
    parts: list[str] = []  # the current prelude so far, strings kept, comments left out
    pos = 0
    for token in _CSS_TOKEN.finditer(css):
        text = token.group()
        if text in "{};":
            if text == "{":
                parts.append(css[pos : token.start()])
                prelude = "".join(parts).strip()
                if "[" in prelude and not prelude.startswith("@"):
                    out.append(prelude)
            parts = []
        elif text.startswith("/*"):
            parts.append(css[pos : token.start()])
        else:
            parts.append(css[pos : token.end()])
        pos = token.end()
    return out


def parsed_selector_attributes(css: str) -> set[tuple[str, str | None]]:
    """``selector_attributes`` from the parsed stylesheet (the rules ``purge`` keeps or drops)."""

    def walk(entries: tuple[_Entry, ...]) -> None:
        for entry in entries:
            for selector in entry.selectors:
                tests.update(_attribute_tests(selector))
            if entry.inner is not None:
                walk(entry.inner)

    tests: set[tuple[str, str | None]] = set()
    walk(_digest(css))
    return tests


class Used:
    """What the site's markup and scripts can put in front of a stylesheet: classes, which of
    the stylesheet's attribute tests some page passes, the words of our scripts (classes and
    attributes they add) and custom properties set outside CSS."""

    def __init__(self, attribute_tests: set[tuple[str, str | None]]) -> None:
        self.classes: set[str] = set()
        self.attributes: set[str] = set()  # "name" and "name=value" found in some page
        self.words: set[str] = set()
        self.variables: set[str] = set()
        # Looked for as plain substrings (fast): the theme, Markdown and our generators write
        # attribute values in double quotes. A test found once is not looked for again.
        self._todo: dict[str, tuple[str, tuple[str, ...]]] = {}
        for name, value in attribute_tests:
            if value is None:
                self._todo[name] = (
                    f" {name}",
                    (f" {name}=", f" {name}>", f" {name} ", f" {name}/"),
                )
            else:
                exact = f' {name}="{value}"'
                self._todo[f"{name}={value}"] = (exact, (exact,))

    def add_html(self, html: str) -> None:
        for a, b in _CLASS_ATTR.findall(html):
            self.classes.update((a or b).split())
        self.variables.update(_STYLE_VAR.findall(html))
        found = [
            key
            for key, (first, forms) in self._todo.items()
            if first in html and any(form in html for form in forms)
        ]
        for key in found:
            self.attributes.add(key)
            del self._todo[key]

    def merge(self, other: Used) -> None:
        """Add what another collector saw (a render worker's pages)."""
        self.classes |= other.classes
        self.attributes |= other.attributes
        self.words |= other.words
        self.variables |= other.variables
        for key in other.attributes:
            self._todo.pop(key, None)

    def add_script(self, js: str) -> None:
        self.words.update(_WORD.findall(js))
        self.variables.update(re.findall(r"--[-\w]+", js))


def _selectors(prelude: list[ast.Node]) -> list[str]:
    """A rule's selector list, split at top-level commas."""
    text = tinycss2.serialize(prelude).strip()
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(text[start:i].strip())
            start = i + 1
    out.append(text[start:].strip())
    return [s for s in out if s]


def _outside_functions(selector: str) -> str:
    """The selector without the arguments of functional pseudo-classes (:not(...), :is(...))."""
    out, depth = [], 0
    for ch in selector:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def may_match(selector: str, used: Used) -> bool:
    for name, value in _attribute_tests(selector):
        if value is None:
            passed = name in used.attributes or name in used.words
        else:
            passed = f"{name}={value}" in used.attributes or value in used.words
        if not passed:
            return False
    # Attribute values may contain dots ([href$=".pdf"]): classes are read without them.
    plain = _SEL_ATTR.sub("", _outside_functions(selector))
    return all(c in used.classes or c in used.words for c in _SEL_CLASS.findall(plain))


def _rules(entries: tuple[_Entry, ...], used: Used) -> list:
    kept: list = []
    for entry in entries:
        node = entry.node
        if node.type == "qualified-rule":
            selectors = [s for s in entry.selectors if may_match(s, used)]
            if selectors:
                kept.append(_Rule(",".join(selectors), list(entry.declarations)))
        elif node.type == "at-rule":
            name = node.lower_at_keyword
            if entry.inner is not None and name in ("media", "supports", "container", "layer"):
                inner = _rules(entry.inner, used)
                if inner:
                    kept.append(_AtBlock(node, inner))
            else:
                kept.append(node)
    return kept


@dataclass
class _Rule:
    prelude: str
    declarations: list[ast.Declaration]
    type: str = "pufa-rule"


@dataclass
class _AtBlock:
    at: ast.AtRule
    inner: list[ast.Node]
    type: str = "pufa-at"


def _declarations(content: list[ast.Node]) -> list[ast.Declaration]:
    return [
        d for d in tinycss2.parse_blocks_contents(content, True, True) if d.type == "declaration"
    ]


def _walk_declarations(nodes: list) -> list[ast.Declaration]:
    out: list[ast.Declaration] = []
    for node in nodes:
        if node.type == "pufa-rule":
            out += node.declarations
        elif node.type == "pufa-at":
            out += _walk_declarations(node.inner)
    return out


def _serialize(nodes: list, keep_var, keep_frames) -> str:
    parts: list[str] = []
    for node in nodes:
        if node.type == "pufa-rule":
            decls = [
                f"{d.name}:{tinycss2.serialize(d.value).strip()}"
                + ("!important" if d.important else "")
                for d in node.declarations
                if not d.name.startswith("--") or keep_var(d.name)
            ]
            if decls:
                parts.append(f"{node.prelude}{{{';'.join(decls)}}}")
        elif node.type == "pufa-at":
            inner = _serialize(node.inner, keep_var, keep_frames)
            if inner:
                prelude = tinycss2.serialize(node.at.prelude).strip()
                parts.append(f"@{node.at.at_keyword} {prelude}{{{inner}}}")
        elif node.type == "at-rule" and node.lower_at_keyword.endswith("keyframes"):
            if keep_frames(tinycss2.serialize(node.prelude).strip()):
                parts.append(node.serialize())
        else:
            parts.append(node.serialize())
    return "".join(parts)


def purge(css: str, used: Used, *, also: str = "") -> str:
    """The rules of ``css`` that can match what ``used`` describes, minified. ``also``: other
    CSS served with it (ours), whose custom property and animation references count as uses."""
    nodes = _rules(_digest(css), used)
    decls = _walk_declarations(nodes)
    defined = {d.name: tinycss2.serialize(d.value) for d in decls if d.name.startswith("--")}
    plain = " ".join(
        f"{d.name}:{tinycss2.serialize(d.value)}" for d in decls if not d.name.startswith("--")
    )
    plain += " " + also
    # Custom properties referred to by kept declarations, by scripts or style attributes, and
    # by the properties those refer to, until nothing new turns up.
    needed = set(_VAR.findall(plain)) | used.variables
    todo = list(needed)
    while todo:
        value = defined.get(todo.pop(), "")
        for ref in _VAR.findall(value):
            if ref not in needed:
                needed.add(ref)
                todo.append(ref)
    animations = set(_ANIMATION.findall(" ".join(re.findall(r"animation[-\w]*:([^;}]*)", plain))))
    return _serialize(nodes, needed.__contains__, animations.__contains__)


THEME_CSS = "assets/stylesheets/main.*.min.css"


def find_theme_css(theme_dirs: list[Path]) -> Path:
    for folder in theme_dirs:
        found = sorted(folder.glob(THEME_CSS))
        if found:
            return found[0]
    raise FileNotFoundError(f"no {THEME_CSS} in the theme folders {theme_dirs}")


def collector(theme_css: Path) -> Used:
    return Used(selector_attributes(theme_css.read_text(encoding="utf-8")))


def write_stylesheet(site: Path, theme_css: Path, own: Path, out_rel: str, used: Used) -> int:
    """Write the site's one stylesheet (the theme's rules that can match, then ours) to
    ``site/out_rel``; returns its size. (themefix.py removes the theme's copy from the output.)"""
    for script in sorted((site / "assets" / "javascripts").glob("*.js")):
        used.add_script(script.read_text(encoding="utf-8"))
    mine = own.read_text(encoding="utf-8")
    css = purge(theme_css.read_text(encoding="utf-8"), used, also=mine)
    # Our rules after the theme's, as the two <link>s were ordered; comments dropped.
    mine = tinycss2.serialize(tinycss2.parse_stylesheet(mine, skip_comments=True)).strip()
    data = f"{css}\n{mine}\n".encode()
    target = site / out_rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return len(data)
