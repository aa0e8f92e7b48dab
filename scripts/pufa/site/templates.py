"""How page templates are loaded: without their indentation, and compiled once per machine.

**Indentation.** The theme's templates are indented for reading: a FAQ answer's HTML was
57 KB, 36 KB of it navigation, mostly the indentation of nested ``{% if %}`` blocks. Browsers
render a run of whitespace that holds a line break as one line break (CSS white-space
``normal``, ``nowrap`` and ``pre-line``), so each such run in a template's text becomes one line
break when the template is loaded: once per build, not once per page. Pages are 28% smaller
before compression and 7-8% after it, and every step that reads a page (compression, the link
check, the stylesheet's class scan) reads less.

Left as written: Jinja's own tags, whose whitespace is syntax; elements whose whitespace may be
kept (``pre``, ``textarea``, ``code`` and ``kbd``, which the theme styles ``pre-wrap``, and
``script`` and ``style``); templates other than HTML (the sitemap). tests/test_templates.py
compares pages built with and without it, element by element.

**Compiled templates** are kept in the user's cache folder (``$XDG_CACHE_HOME/pufa/jinja``), as
Python keeps compiled modules: Jinja checks each against its template's source, so one folder
serves every project on the machine. Kept in the project, each render worker of a fresh
checkout compiled the theme's templates anew (about 0.17 s).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

# What is copied as written: a Jinja tag, comment or expression, or an element whose whitespace
# can matter, from its start tag to its end tag (with any Jinja inside).
_KEEP = re.compile(
    r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}"
    r"|<(pre|textarea|code|kbd|script|style)\b.*?</\1\s*>",
    re.S | re.I,
)
# HTML's whitespace with a line break in it (not ``\s``: a no-break or ideographic space is text).
_RUN = re.compile(r"[ \t\r\f]*\n[ \t\n\r\f]*")


def collapse(source: str) -> str:
    """``source`` with each whitespace run that holds a line break, outside Jinja syntax and
    whitespace-keeping elements, as one line break."""
    out: list[str] = []
    pos = 0
    for keep in _KEEP.finditer(source):
        out.append(_RUN.sub("\n", source[pos : keep.start()]))
        out.append(keep.group(0))
        pos = keep.end()
    out.append(_RUN.sub("\n", source[pos:]))
    return "".join(out)


class CollapsingLoader(jinja2.BaseLoader):
    """The environment's loader, with ``collapse`` applied to HTML templates. Compiled templates
    cached by source (a bytecode cache) are keyed by the collapsed source."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self.inner = inner

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        if template.endswith(".html"):
            source = collapse(source)
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


class VisibleLoader(jinja2.FileSystemLoader):
    """The theme's loader, listing no hidden file (a name with a part that starts with "."):
    MkDocs lists a theme's files to copy the static ones, and its own filter drops hidden ones,
    but it walked and pattern-matched every file first: the theme keeps 14,500 icons in
    ``.icons/``, about 0.1 s of each render process. Loading a template by name is unchanged."""

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for searchpath in self.searchpath:
            for dirpath, dirnames, filenames in os.walk(searchpath, followlinks=self.followlinks):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                folder = Path(dirpath).relative_to(searchpath).as_posix()
                for name in filenames:
                    if not name.startswith("."):
                        found.add(name if folder == "." else f"{folder}/{name}")
        return sorted(found)


def visible_files_only(get_env: Callable[[], Any]) -> Callable[[], Any]:
    """MkDocs' ``theme.get_env``, giving environments whose loader is a VisibleLoader (given
    one made by this, returns it as it is)."""
    if getattr(get_env, "visible_files_only", False):
        return get_env

    def env() -> Any:
        made = get_env()
        loader = made.loader
        if type(loader) is jinja2.FileSystemLoader:
            made.loader = VisibleLoader(loader.searchpath, loader.encoding, loader.followlinks)
        return made

    env.visible_files_only = True  # type: ignore[attr-defined]
    return env


KEEP_DAYS = 30  # compiled templates not written for this long are removed (old sources)


def compiled_cache(project: Path) -> Path:
    """Where compiled templates are kept: the user's cache folder, or the project's .cache if
    that cannot be written. Entries older than KEEP_DAYS go (they are rewritten only when the
    source changes, so an entry in use may go too: it is compiled again)."""
    candidates = [project / ".cache" / "jinja"]
    try:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        candidates.insert(0, Path(base) / "pufa" / "jinja")
    except (RuntimeError, KeyError):  # no home folder (a service account without one)
        pass
    for folder in candidates:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not os.access(folder, os.W_OK):
                continue
        except OSError:
            continue
        old = time.time() - KEEP_DAYS * 86400
        for entry in folder.iterdir():
            try:
                if entry.stat().st_mtime < old:
                    entry.unlink()
            except OSError:
                pass  # another build removed it first
        return folder
    return project / ".cache" / "jinja"


# Set to 1, templates keep their indentation (tests/test_templates.py builds the site both ways).
KEEP_INDENT_ENV = "PUFA_KEEP_TEMPLATE_INDENT"


def prepare(env: Any, project: Path) -> None:
    """Install the collapsing loader and the compiled-template cache on MkDocs' environment
    (before any page template is loaded)."""
    keep = os.environ.get(KEEP_INDENT_ENV) == "1"
    if not keep and not isinstance(env.loader, CollapsingLoader):
        env.loader = CollapsingLoader(env.loader)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(compiled_cache(project)))


__all__ = [
    "KEEP_DAYS",
    "KEEP_INDENT_ENV",
    "CollapsingLoader",
    "VisibleLoader",
    "collapse",
    "compiled_cache",
    "prepare",
    "visible_files_only",
]
