"""Thin MkDocs adapter: decisions live in the pufa modules, so another engine can reuse them."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from pathlib import Path
from typing import Any

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from pufa.content.clock import today
from pufa.content.frontmatter import front_matter_lines, split_front_matter
from pufa.content.library import Library, load_library
from pufa.content.review import PageWarnings, page_warnings
from pufa.content.rules import FigureMatchers, figure_matchers
from pufa.errors import PufaError, PufaErrors
from pufa.site import buildstate
from pufa.site.compress import CACHE, Beside, warm
from pufa.site.kiosk import (
    QR_CACHE,
    PageCodes,
    annotate_external_links,
    browser_config,
    write_qr_images,
)
from pufa.site.links import PageLinks, parse_links
from pufa.site.nav import NavCache, expand_nav, local_nav
from pufa.site.pages import (
    PAGE_ERRORS_ENV,
    broken_front_matter,
    render_page,
    unrendered_error,
    write_page_errors,
)
from pufa.site.rebuild import NO_SAVED_SEARCH, aside
from pufa.site.repeats import LostFragment, after_markdown
from pufa.site.searchindex import Index, Saved, Share, load_docs, make_doc, save_docs
from pufa.site.shards import OTHER_FAILED, Shard, Stopped
from pufa.site.stylesheet import Used, collector, find_theme_css, write_stylesheet
from pufa.site.templates import prepare as prepare_templates
from pufa.site.templates import visible_files_only
from pufa.site.themefix import drop_unused_theme_files

log = logging.getLogger("mkdocs.plugins.pufa")
_lib: Library | None = None
_qr_images: dict[str, str] = {}  # external-link QR images to write: file name -> URL
_search = Index()  # pages to index, collected as they are rendered
_collapsed: dict[int, Any] = {}  # sections shown as one link, shared by every page
# Bad input found while rendering pages, reported (on_env) before any page is written.
_errors: list[PufaError] = []
_titles: dict[str, str] = {}  # source path -> title, as rendered (saved for page rebuilds)
_saved: Saved | None = None  # what the last full build left, during a page rebuild
_used: Used | None = None  # classes and attributes of every page written, for the stylesheet
_codes = PageCodes(None)  # page address QR codes, kept between builds (.cache/qr)
_warnings: dict[str, PageWarnings] = {}  # content warnings of this process's pages ("docs/...")
_matchers: FigureMatchers | None = None  # figures written by hand, compiled once per build
_links: dict[str, PageLinks] = {}  # links and anchors of this process's pages, for the check


def _figures() -> FigureMatchers:
    global _matchers
    if _matchers is None:
        assert _lib is not None
        _matchers = figure_matchers(_lib, today())
    return _matchers


@event_priority(100)
def on_config(config: Any) -> Any:
    global _lib, _search, _collapsed, _errors, _titles, _qr_images, _used, _codes
    global _warnings, _matchers, _links
    root = Path(config.config_file_path).parent
    _warnings, _matchers, _links = {}, None, {}
    _codes = PageCodes(root / QR_CACHE)
    _used = collector(find_theme_css([Path(d) for d in config.theme.dirs]))
    config.theme.get_env = visible_files_only(config.theme.get_env)  # (site/templates.py)
    _search = Index()
    _titles = {}
    _qr_images = {}
    _collapsed = {}
    _errors = []
    # A render worker of `pufa build` uses the library the build has just loaded and checked.
    _lib = buildstate.preloaded
    if _lib is None:
        try:
            _lib = load_library(root)
        except (PufaError, PufaErrors) as exc:
            raise PluginError(f"pufa: invalid data\n{exc}") from None
    buildstate.library = _lib
    office = _lib.office
    config.site_name = office.site_name
    config.site_url = office.site_url
    config.site_author = office.name
    config.extra["office"] = office.model_dump()
    if config.nav:
        config.nav = expand_nav(config.nav, Path(config.docs_dir))
    config.copyright = f"{office.name} · 内容仅供普法宣传，具体以官方文本和有权机关的决定为准"
    return config


def _modified() -> bool:
    return True


def _unmodified() -> bool:
    return False


def on_files(files: Any, config: Any) -> Any:
    """In a render worker (site/render.py), MkDocs' dirty mode renders and writes only what is
    "modified": this worker's pages and, for worker 0, the static files, 404 page and sitemap."""
    shard = buildstate.shard
    if shard is None:
        return files
    pages = {f.src_uri: i for i, f in enumerate(files.documentation_pages())}
    for f in files:
        if f.src_uri in pages:  # decided when MkDocs first asks (it asks again to write it)
            f.is_modified = functools.cache(functools.partial(shard.owns, pages[f.src_uri]))
        else:
            f.is_modified = _modified if shard.index == 0 else _unmodified
    if shard.index:
        config.theme.static_templates.clear()
    return files


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    """In a page rebuild MkDocs reads only the edited pages: give the others the titles the
    last full build rendered, so navigation and footer links read as after a full build."""
    global _saved
    _saved = None
    if buildstate.dirty:
        site = Path(config.site_dir)
        _saved = load_docs(_saved_dir(config), site / "search")
        if _saved is None:
            raise PluginError(f"pufa: {NO_SAVED_SEARCH}; build it in full")
        for f in files.documentation_pages():
            if f.page is not None and f.page.markdown is None and not f.is_modified():
                f.page.read_source(config)
                title = _saved.titles.get(f.src_uri)
                if title is not None:
                    f.page.meta["title"] = title
    return nav


def _saved_dir(config: Any) -> Path:
    return Path(config.config_file_path).parent / ".cache" / "search-docs"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    assert _lib is not None
    src = page.file.src_uri
    file = f"docs/{src}"
    # MkDocs strips front matter before this hook; count its lines so errors point at the file.
    text = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    offset = front_matter_lines(text)
    if offset:  # MkDocs also drops the blank lines after the front matter
        body = text.split("\n", offset)[-1]
        offset += len(body) - len(body.lstrip("\n"))
    if offset and not page.meta:  # MkDocs ignores front matter it cannot parse: we do not
        try:
            split_front_matter(text)
        except yaml.YAMLError as exc:
            _errors.append(broken_front_matter(file, exc))
            return markdown
    if buildstate.shard is not None:  # the page's content warnings, while it is in hand
        _warnings[file] = page_warnings(_lib, Path(page.file.abs_src_path), text, _figures())
    try:
        return render_page(markdown, page.meta, src, _lib, file=file, line_offset=offset)
    except PufaErrors as exc:
        _errors.extend(exc.errors)
    except PufaError as exc:
        _errors.append(exc)
    except yaml.YAMLError as exc:  # another page's front matter, read by a directive here
        _errors.append(broken_front_matter(file, exc))
    return markdown


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Every page has been rendered (MkDocs renders all before writing any): stop on bad input
    (in render workers, once every worker has said whether it found any)."""
    # Templates without their indentation, compiled once per machine (site/templates.py).
    prepare_templates(env, Path(config.config_file_path).parent)
    env.globals["pufa_nav"] = NavCache()  # rendered nav items (overrides/partials/nav-item.html)
    shard = buildstate.shard
    if shard is not None:  # tell the other workers whether to go on, and what they need
        rendered = _rendered_pages(files)
        shard.publish("pages", (rendered, bool(_errors)))
        shard.publish("warnings", _warnings)  # for `pufa build` (build.py) to print
        if shard.count > 1 and not _errors:  # for the search index (on_post_build)
            titles = {src: title for src, (title, _meta) in rendered.items()}
            shard.publish("search", (_search.docs, titles))
    if _errors:
        report = os.environ.get(PAGE_ERRORS_ENV)
        if report:
            write_page_errors(Path(report), _errors)
        raise PluginError(f"pufa: {len(_errors)} page error(s)\n{PufaErrors(_errors)}")
    if shard is not None:
        _take_pages(shard, files)
    return env


def _rendered_pages(files: Any) -> dict[str, tuple[str | None, dict]]:
    """src path -> (title, front matter) of the pages rendered in this process."""
    return {
        f.src_uri: (f.page.title, f.page.meta)
        for f in files.documentation_pages()
        if f.page is not None and f.page.markdown is not None
    }


def _take_pages(shard: Shard, files: Any) -> None:
    """Give the pages other workers rendered their titles and front matter, as a build in one
    process would have them when templates are filled in (navigation, previous/next links)."""
    shares = shard.gather("pages")
    if any(failed for _, failed in shares):
        raise Stopped(f"{OTHER_FAILED}: page errors")
    pages = {src: page for share, _ in shares for src, page in share.items()}
    for f in files.documentation_pages():
        if f.page is not None and f.page.markdown is None:
            title, meta = pages[f.src_uri]
            f.page.markdown = ""  # read, as far as MkDocs can tell; never rendered here
            f.page.meta = {**meta, "title": title} if title else dict(meta)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    assert _lib is not None
    try:
        html = after_markdown(html)  # repeated and set-aside fragments (site/repeats.py)
    except LostFragment as exc:
        _errors.append(
            PufaError(
                f"docs/{page.file.src_uri}",
                str(exc),
                fix="look for Markdown or HTML in the guide data that the page's other text "
                "runs into (an unclosed code span or tag), and report it if there is none",
            )
        )
    error = unrendered_error(f"docs/{page.file.src_uri}", html)
    if error is not None:
        _errors.append(error)
    prefix = "../" * page.url.count("/") + "assets/qr/"
    html, images = annotate_external_links(html, _lib.office.site_url, prefix)
    _qr_images.update(images)
    if not (page.meta.get("search") or {}).get("exclude"):
        _search.docs.append(make_doc(page.url, page.title or "", html, page.meta))
    return html


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    assert _lib is not None
    _titles[page.file.src_uri] = page.title
    url = page.canonical_url
    context["pufa_qr"] = _codes.get(url)
    context["pufa_config"] = browser_config(_lib.kiosk) if _lib.kiosk else "{}"
    context["nav"] = local_nav(nav, page, _collapsed)
    context["pufa_kiosk_start"] = "data-pufa-kiosk-start" in (page.content or "")
    return context


def on_post_page(output: str, page: Any, config: Any) -> str:
    assert _used is not None
    _used.add_html(output)
    if buildstate.shard is not None:  # compressed now, on this worker's core (compress.py)
        root = Path(config.config_file_path).parent
        data = output.encode("utf-8", errors="xmlcharrefreplace")  # as MkDocs writes it
        warm(root / CACHE, data, Path(page.file.abs_dest_path))
        # Its links, read while the page is in hand: the check in `pufa build` (build.py)
        # then reads no page again.
        _links[page.file.dest_uri] = parse_links(output)
    return output


# The one stylesheet every page links (mkdocs.yml extra_css; overrides/main.html links no other).
STYLESHEET = "assets/stylesheets/pufa.css"


def _stylesheet(config: Any, site: Path) -> None:
    """The theme's rules our pages can use, then ours, as one file (site/stylesheet.py)."""
    assert _used is not None
    dirs = [Path(d) for d in config.theme.dirs]
    if buildstate.dirty:  # only the rebuilt pages passed on_post_page: read them all
        for html in site.rglob("*.html"):
            _used.add_html(html.read_text(encoding="utf-8"))
    elif (site / "404.html").is_file():  # a template, not a page
        _used.add_html((site / "404.html").read_text(encoding="utf-8"))
    own = next(d / STYLESHEET for d in dirs if (d / STYLESHEET).is_file())
    size = write_stylesheet(site, find_theme_css(dirs), own, STYLESHEET, _used)
    log.info(f"stylesheet: {STYLESHEET}, {size:,} B (the theme's rules our pages use, then ours)")


def on_post_template(output: str, template_name: str, config: Any) -> str:
    if template_name == "sitemap.xml":
        # MkDocs writes sitemap.xml.gz into the file that is there; in a page rebuild that is
        # a link shared with the published site and the compression cache (rebuild.py): a new
        # file instead.
        Path(config.site_dir, "sitemap.xml.gz").unlink(missing_ok=True)
    return output


def on_post_build(config: Any) -> None:
    """The files that cover every page. In render workers, each worker hands over what its
    pages need (their search entries at the first meeting, on_env); the first to have written
    its pages writes the search index while the others still write theirs, the last the
    stylesheet and link QR images (the same worker when there is one). In a page rebuild a
    forked process writes the index while this one goes on (rebuild.py waits for it)."""
    _codes.save()  # merged into the kept codes after the build (build.py)
    site = Path(config.site_dir)
    shard = buildstate.shard
    search = assets = True
    if shard is not None:
        shard.publish("links", _links)
    if shard is not None and shard.count > 1:
        shard.publish("assets", (_qr_images, _used))  # after worker 0 copied the theme's files
        before = shard.finished()
        search, assets = before == 0, before == shard.count - 1
    if buildstate.dirty:  # a page rebuild: the index is written beside the stylesheet and links
        buildstate.aside = aside(lambda: _search_index(config, site, None))
        search = False
    if assets:
        _assets(config, site, shard)
    if search:
        _search_index(config, site, shard)


def _assets(config: Any, site: Path, shard: Shard | None) -> None:
    assert _used is not None
    if shard is not None:
        for images, used in shard.gather("assets", others_only=True):
            _qr_images.update(images)
            _used.merge(used)
    drop_unused_theme_files(site)  # first: the stylesheet reads the words of the scripts left
    _stylesheet(config, site)
    write_qr_images(_qr_images, site / "assets" / "qr")


def _search_index(config: Any, site: Path, shard: Shard | None) -> None:
    if shard is not None:  # (their titles are saved with the hand-over files, below)
        for docs, _ in shard.gather("search", others_only=True):
            _search.docs.extend(docs)
    titles = dict(_titles)
    if buildstate.dirty:
        # The other pages' entries and titles, as the build that wrote this index left them.
        assert _saved is not None
        rebuilt = {d.url for d in _search.docs}
        _search.docs.extend(d for d in _saved.docs if d.url not in rebuilt)
        titles = {**_saved.titles, **titles}
    many = shard is not None and shard.count > 1
    shares: list[Path | Share] = shard.shared("search") if many else [(_search.docs, titles)]
    # In `pufa build`, each file is compressed on other threads as soon as it is made, while
    # this one goes on (the postings, the next shard, the saved entries) and the build checks
    # the links: its last pass finds them in place and in the cache (build.finish_output). A
    # page rebuild compresses what it wrote at its end (rebuild.py).
    beside = None if shard is None else Beside(Path(config.config_file_path).parent / CACHE)
    with beside or contextlib.nullcontext():
        sizes = _search.write(site / "search", on_file=beside.add if beside else None)
        save_docs(_saved_dir(config), site / "search", shares)
    log.info(
        f"search index: {sizes['docs']} pages, {sizes['terms']:,} terms in {sizes['shards']} "
        f"shards, {sizes['bytes']:,} B"
    )
