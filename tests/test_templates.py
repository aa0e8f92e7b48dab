"""Templates without their indentation (site/templates.py): pages that render the same, and
compiled templates kept per machine."""

from __future__ import annotations

import os
import re
from pathlib import Path

import jinja2
from pufa.site.templates import KEEP_INDENT_ENV, collapse, compiled_cache, prepare

from .conftest import ROOT, build_test_site

# A tag (its attributes' values kept exactly), a comment, or text.
_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_ATTR = re.compile(r"""([^\s=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_KEPT = {"pre", "textarea", "code", "kbd", "script", "style"}
_RUN = re.compile(r"[ \t\r\f]*\n[ \t\n\r\f]*")


def _nodes(html: str) -> list[str]:
    """The page as a browser's parser sees it, for comparing: tags by name and attributes
    (values exactly as written), text with each whitespace run that holds a line break as one
    line break, except inside elements that keep whitespace; runs of such text joined."""
    out: list[str] = []
    kept = 0
    pos = 0
    text: list[str] = []

    def flush() -> None:
        if text:
            joined = "".join(text)
            out.append(joined if kept else _RUN.sub("\n", joined))
            text.clear()

    for m in _TAG.finditer(html):
        text.append(html[pos : m.start()])
        pos = m.end()
        flush()
        if m.group(2) is None:  # a comment: not rendered, compared as text
            out.append(_RUN.sub("\n", m.group(0)))
            continue
        closing, name = m.group(1), m.group(2).lower()
        attrs = " ".join(f"{a}={v}" for a, v in _ATTR.findall(m.group(3).rstrip("/ \n")))
        out.append(f"<{closing}{name} {attrs}>")
        if name in _KEPT:
            kept += -1 if closing else 1
    text.append(html[pos:])
    flush()
    return out


def test_collapse_keeps_jinja_and_whitespace_keeping_elements() -> None:
    source = (
        "<ul>\n    <li>{{ a }}</li>\n  \n  {% if x %}\n\t<li>b</li>{% endif %}\n</ul>"
        '<pre>\n  one\n    two</pre>\n   <code class="x">\n  c</code>'
        "<script>\n  var s = 1;\n</script>{#\n   note #}{{ '\n  kept' }}"
        "<p>一\u3000\n\u3000二\u00a0\n</p>"
    )
    out = collapse(source)
    assert "<ul>\n<li>{{ a }}</li>\n{% if x %}\n<li>b</li>{% endif %}\n</ul>" in out
    assert "<pre>\n  one\n    two</pre>\n<code" in out
    assert '<code class="x">\n  c</code>' in out
    assert "<script>\n  var s = 1;\n</script>" in out
    assert "{#\n   note #}{{ '\n  kept' }}" in out
    # No-break and ideographic spaces are text, not collapsible whitespace.
    assert "一\u3000\n\u3000二\u00a0\n</p>" in out
    assert collapse(out) == out


def test_pages_render_the_same_without_template_indentation(built_site, tmp_path) -> None:
    """The session's site (indentation collapsed) against the same site built with the
    templates as written: every tag with the same attributes, the same text up to runs of
    whitespace with a line break in them, the same content where whitespace is kept; every
    other file byte for byte. And the pages are smaller."""
    indented = build_test_site(tmp_path / "site", workers=2, **{KEEP_INDENT_ENV: "1"})
    ours = sorted(p.relative_to(built_site) for p in built_site.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(indented) for p in indented.rglob("*") if p.is_file())
    assert ours == theirs
    compressed = {".gz", ".br"}
    # The search index's version names its content; the stylesheet is purged by the same
    # classes either way.
    pages = [p for p in ours if p.suffix == ".html"]
    for rel in ours:
        if rel.suffix in compressed or rel.suffix == ".html":
            continue
        assert (built_site / rel).read_bytes() == (indented / rel).read_bytes(), rel
    smaller = 0
    for rel in pages:
        mine = (built_site / rel).read_text(encoding="utf-8")
        before = (indented / rel).read_text(encoding="utf-8")
        assert _nodes(mine) == _nodes(before), rel
        smaller += len(before) - len(mine)
    assert smaller > 0.15 * sum((indented / p).stat().st_size for p in pages)


def test_the_collapsing_loader_serves_html_templates_only(tmp_path) -> None:
    (tmp_path / "page.html").write_text("<div>\n    {{ x }}\n</div>\n", encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text("<url>\n    <loc>{{ x }}</loc>\n</url>\n", "utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))
    prepare(env, tmp_path)
    assert env.get_template("page.html").render(x="a") == "<div>\na\n</div>"
    assert env.get_template("sitemap.xml").render(x="a") == "<url>\n    <loc>a</loc>\n</url>"
    prepare(env, tmp_path)  # a second call wraps nothing twice
    assert env.get_template("page.html").render(x="b") == "<div>\nb\n</div>"


def test_compiled_templates_live_in_the_user_cache_or_else_the_project(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    project = tmp_path / "project"
    assert compiled_cache(project) == tmp_path / "cache" / "pufa" / "jinja"
    old = tmp_path / "cache" / "pufa" / "jinja" / "__jinja2_old.cache"
    old.write_bytes(b"x")
    os.utime(old, (1, 1))
    compiled_cache(project)
    assert not old.exists()  # unused for longer than KEEP_DAYS
    (tmp_path / "blocked").write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "blocked"))
    assert compiled_cache(project) == project / ".cache" / "jinja"

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert compiled_cache(project) == project / ".cache" / "jinja"


def test_every_theme_template_still_parses_after_collapsing() -> None:
    """Not only the templates this site renders (compared above): every HTML template of the
    theme and of overrides/ is still a valid template once collapsed."""
    from mkdocs.config import load_config

    env = load_config(str(ROOT / "mkdocs.yml")).theme.get_env()
    names = [n for n in env.list_templates() if n.endswith(".html")]
    assert len(names) > 50
    for name in names:
        source, _, _ = env.loader.get_source(env, name)
        env.parse(collapse(source), name)


def test_the_theme_files_mkdocs_copies_are_the_same_without_hidden_ones_listed(tmp_path) -> None:
    """MkDocs takes the static files to copy from the theme loader's list, through its own
    filter: with hidden files left out of the list (VisibleLoader) it takes the same files, here
    from the real theme folders and from one holding hidden files and folders at every depth."""
    from mkdocs.structure.files import Files
    from pufa.site.render import mkdocs_config
    from pufa.site.templates import VisibleLoader, visible_files_only

    made = tmp_path / "theme"
    for name in ("a.css", ".hidden.css", ".dot/b.js", "js/.c.js", "js/d.js", "js/.e/f.js"):
        (made / name).parent.mkdir(parents=True, exist_ok=True)
        (made / name).write_text("x", encoding="utf-8")
    config = mkdocs_config(ROOT, tmp_path / "site")
    config.theme.dirs.append(str(made))
    plain = config.theme.get_env()
    get_env = visible_files_only(config.theme.get_env)
    assert visible_files_only(get_env) is get_env  # wrapped once, however often asked
    visible = get_env()
    assert isinstance(visible.loader, VisibleLoader)
    listed = [set(), set()]
    for env, found in zip((plain, visible), listed, strict=True):
        files = Files([])
        files.add_files_from_theme(env, config)
        found.update((f.src_uri, f.abs_src_path) for f in files)
    assert listed[0] == listed[1]
    assert {"a.css", "js/d.js"} <= {uri for uri, _ in listed[1]}
    assert len(plain.list_templates()) > 10 * len(visible.loader.list_templates())
