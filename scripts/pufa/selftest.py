"""`pufa selftest --mutate`: the mutation check for the test suite.

Each mutation disables one feature in a private copy of the project (the checkout is never
touched) and runs the tests meant to guard it; the check passes when every mutation makes at
least one of them fail. It builds the site once per mutation (a few minutes in all), so it runs
on demand and from `pufa bench --mutate`, not in every CI run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]


K = "tests/test_kiosk.py::"
L = "tests/test_live.py::"
R = "tests/test_render.py::"
MUTATIONS = [
    Mutation(
        "search forwarder (input/IME events start a search)",
        "overrides/assets/javascripts/search.js",
        'input.addEventListener("input", schedule);\n'
        '  input.addEventListener("compositionend", schedule);',
        "",
        (K + "test_search_works_with_input_events_alone",),
    ),
    Mutation(
        "QR overlay for links to other sites",
        "overrides/assets/javascripts/pufa.js",
        '      event.preventDefault();\n      var qr = link.getAttribute("data-pufa-qr");',
        '      return;\n      var qr = link.getAttribute("data-pufa-qr");',
        (K + "test_external_link_shows_qr_and_does_not_navigate",),
    ),
    Mutation(
        "idle reset",
        "overrides/assets/javascripts/pufa.js",
        "if (left <= 0) { clearInterval(tickTimer); reset(); }",
        "if (left <= 0) { clearInterval(tickTimer); }",
        (K + "test_idle_overlay_counts_down_and_reset_clears_state",),
    ),
    Mutation(
        "idle reset restarts the browser (empty history)",
        "overrides/assets/javascripts/pufa.js",
        'url.searchParams.set("pufa-reset", "1");',
        "",
        (K + "test_idle_reset_restarts_the_browser_with_an_empty_history",),
    ),
    Mutation(
        "quote check (excerpt = reference text)",
        "scripts/pufa/content/check.py",
        "            if want != got:",
        "            if False:",
        ("tests/test_cli.py::test_excerpt_differs_from_reference",),
    ),
    Mutation(
        "citation check (article within the statute)",
        "scripts/pufa/content/citations.py",
        "    if citation.article > count:",
        "    if False:",
        ("tests/test_cli.py::test_article_beyond_count_in_citation",),
    ),
    Mutation(
        "CSP hashes of inline scripts",
        "scripts/pufa/serve/deploy.py",
        "hashes.add(f\"'sha256-",
        "hashes.discard(f\"'sha256-",
        ("tests/test_deploy.py::test_inline_scripts_are_hashed_not_unsafe_inline",),
    ),
    Mutation(
        "link check (broken internal links)",
        "scripts/pufa/site/links.py",
        'report.broken.append(f"{rel}: {href} (no file {path})")',
        "pass",
        ("tests/test_links.py::test_finds_broken_files_anchors_and_foreign_hosts",),
    ),
    Mutation(
        "cache key fields: preview mode, LED colour, width",
        "scripts/pufa/campaign/build.py",
        '{"source": source_key, "maker": code, **params}',
        '{"source": source_key, "maker": code}',
        ("tests/campaign/test_build.py::test_every_input_changes_the_cache_key_and_re_renders",),
    ),
    Mutation(
        "cache key fields: renderer code, Pillow, FreeType, ffmpeg",
        "scripts/pufa/campaign/cache.py",
        '"tools": toolchain() if tools is None else tools',
        '"tools": {}',
        ("tests/campaign/test_build.py::test_every_input_changes_the_cache_key_and_re_renders",),
    ),
    Mutation(
        "kiosk zoom in one unit (head script)",
        "overrides/main.html",
        'd.style.setProperty("--pufa-zoom",String(z))',
        'd.style.fontSize=z+"%"',
        (K + "test_zoom_is_one_value_kept_across_page_types",),
    ),
    Mutation(
        "kiosk blocks the context menu",
        "overrides/assets/javascripts/pufa.js",
        'document.addEventListener("contextmenu", block, true);',
        "",
        (K + "test_kiosk_blocks_the_browsers_ways_out",),
    ),
    Mutation(
        "timer override only in test builds",
        "overrides/assets/javascripts/pufa.js",
        "if (data.testing === true) {",
        "if (true) {",
        (K + "test_timer_override_works_only_in_test_builds",),
    ),
    Mutation(
        "start page from data/kiosk.yml",
        "overrides/assets/javascripts/pufa.js",
        "+ cfg.start, location.href",
        '+ "kiosk/", location.href',
        (K + "test_start_page_comes_from_data",),
    ),
    Mutation(
        "own site = exact origin",
        "scripts/pufa/site/kiosk.py",
        "if origin(url) == own or",
        'if url.startswith(site_url.rstrip("/")) or',
        (K + "test_own_site_is_an_exact_origin_match",),
    ),
    Mutation(
        "link QR encodes & (not &amp;)",
        "scripts/pufa/site/kiosk.py",
        "url = htmllib.unescape(href)",
        "url = href",
        (K + "test_link_qr_encodes_the_address_not_html_entities",),
    ),
    Mutation(
        "launcher refuses to start without the policy",
        "scripts/pufa/serve/commands.py",
        "    if problem:\n",
        "    if False:\n",
        (K + "test_launcher_refuses_to_start_without_the_policy",),
    ),
    Mutation(
        "build clean-up on failure",
        "scripts/pufa/site/build.py",
        "    except BaseException:\n        shutil.rmtree(tmp, ignore_errors=True)\n        raise",
        "    except BaseException:\n        raise",
        ("tests/test_build.py::test_a_failure_at_any_step_keeps_the_site_and_removes_the_output",),
    ),
    Mutation(
        "campaign gallery without inline styles (CSP)",
        "scripts/pufa/campaign/directives.py",
        "GRID = 'class=\"pufa-gallery\"'",
        'GRID = \'class="pufa-gallery" style="display:grid"\'',
        ("tests/test_deploy.py::test_campaign_gallery_layout_holds_under_the_csp",),
    ),
    Mutation(
        "citation links land on the quoted article",
        "scripts/pufa/content/citations.py",
        'href = ctx.link(f"{statute_page(slug)}#{article_anchor(citation.article)}")',
        "href = ctx.link(statute_page(slug))",
        ("tests/test_browser.py::test_citation_link_lands_on_quoted_article",),
    ),
    Mutation(
        "kiosk launcher runs as the kiosk user, never root",
        "scripts/pufa/serve/kiosk.py",
        "return Identity(entry.pw_name, Path(entry.pw_dir), entry.pw_uid, entry.pw_gid)",
        "return Identity(entry.pw_name, Path(entry.pw_dir))",
        (K + "test_launcher_never_runs_nginx_or_chromium_as_root",),
    ),
    Mutation(
        "kiosk launcher backs off after a crash",
        "scripts/pufa/serve/kiosk.py",
        "wait = min(pause * 2 ** (crashes - 1), max_pause)",
        "wait = pause",
        (K + "test_launcher_backs_off_then_gives_up_on_a_crashing_browser",),
    ),
    Mutation(
        "page rebuild gives unchanged pages their rendered titles",
        "scripts/pufa/site/mkdocs_hooks.py",
        'f.page.meta["title"] = title',
        "pass",
        (L + "test_an_edited_page_is_rebuilt_alone_and_the_site_equals_a_full_build",),
    ),
    Mutation(
        "page rebuild keeps the other pages in the search index",
        "scripts/pufa/site/mkdocs_hooks.py",
        "_search.docs.extend(d for d in _saved.docs if d.url not in rebuilt)",
        "pass",
        (L + "test_an_edited_page_is_rebuilt_alone_and_the_site_equals_a_full_build",),
    ),
    Mutation(
        "page rebuild writes a copy, never the published version",
        "scripts/pufa/site/rebuild.py",
        "copy_function=_link_or_copy",
        "copy_function=os.link",
        (L + "test_an_edited_page_is_rebuilt_alone_and_the_site_equals_a_full_build",),
    ),
    Mutation(
        "claim guide deadlines rendered (markdown on every element down to them)",
        "scripts/pufa/site/guide.py",
        '\'<ul class="pufa-outcome__deadlines" markdown="1">\',',
        "'<ul class=\"pufa-outcome__deadlines\">',",
        ("tests/test_pages.py::test_every_outcome_page_renders_its_deadlines_as_html",),
    ),
    Mutation(
        "build refuses a page with Markdown left as text",
        "scripts/pufa/site/mkdocs_hooks.py",
        "    if error is not None:\n        _errors.append(error)",
        "    if error is not None:\n        pass",
        ("tests/test_cli.py::test_markdown_left_inside_raw_html_fails_the_build",),
    ),
    Mutation(
        "stylesheet keeps rules whose attribute test a page passes",
        "scripts/pufa/site/stylesheet.py",
        'passed = f"{name}={value}" in used.attributes or value in used.words',
        "passed = False",
        ("tests/test_stylesheet.py",),
    ),
    Mutation(
        "render workers give each other's pages their titles (navigation as in one process)",
        "scripts/pufa/site/mkdocs_hooks.py",
        'f.page.meta = {**meta, "title": title} if title else dict(meta)',
        "f.page.meta = dict(meta)",
        (R + "test_one_process_and_several_write_the_same_site",),
    ),
    Mutation(
        "page errors found by every render worker are reported",
        "scripts/pufa/site/render.py",
        "errors = [e for r in reports for e in read_page_errors(r)]",
        "errors = read_page_errors(reports[0])",
        (R + "test_page_errors_found_by_every_worker_are_reported",),
    ),
    Mutation(
        "a render worker that dies stops the others waiting",
        "scripts/pufa/site/render.py",
        "shards[i].fail()  # whether or not it could say so itself",
        "pass",
        (R + "test_a_worker_that_dies_stops_the_others",),
    ),
    Mutation(
        "hand-written figures found in the whole-project scan",
        "scripts/pufa/content/rules.py",
        'union = "|".join(re.escape(s) for s in sorted(every))',
        'union = ""',
        ("tests/test_rules.py::test_a_page_stating_a_figure_by_hand_is_reported",),
    ),
    Mutation(
        "QR mask penalties as the standard counts them (2x2 blocks)",
        "scripts/pufa/site/qrmask.py",
        "n2 += 3 * (same & above_same & alike).bit_count()  # 2x2 blocks alike",
        "n2 += 3 * (same & above_same).bit_count()",
        ("tests/test_qrmask.py",),
    ),
    Mutation(
        "QR masks: a mask that can still win has its finder-like patterns counted",
        "scripts/pufa/site/qrmask.py",
        "best = min(best, (partial[m] + _finder_like(_modules(sym, m)), m))",
        "best = min(best, (partial[m], m))",
        ("tests/test_qrmask.py",),
    ),
    Mutation(
        "a page claimed by one render worker is not rendered by another",
        "scripts/pufa/site/shards.py",
        "            if owner == 0:\n",
        "            if True:\n",
        ("tests/test_render.py::test_one_process_and_several_write_the_same_site",),
    ),
    Mutation(
        "QR bits placed as the standard places them",
        "scripts/pufa/site/qrmask.py",
        "upwards = ((right & 2) == 0) ^ (j < 6)",
        "upwards = (right & 2) == 0",
        ("tests/test_qrmask.py",),
    ),
    Mutation(
        "a kept nav item is shared only by pages whose links to it read the same",
        "scripts/pufa/site/nav.py",
        "        return (id(item), path, level, here[:-1])",
        "        return (id(item), path, level)",
        # The build's link check stops it (wrong relative links); then the site comparison.
        (L + "test_an_edited_page_is_rebuilt_alone_and_the_site_equals_a_full_build",),
    ),
    Mutation(
        "a nav item that links into the page's own folder is rendered for that page",
        "scripts/pufa/site/nav.py",
        "        if here in self._starts(item):",
        "        if False:",
        (L + "test_an_edited_page_is_rebuilt_alone_and_the_site_equals_a_full_build",),
    ),
    Mutation(
        "QR error correction codewords as the standard computes them",
        "scripts/pufa/site/qrmask.py",
        "        rem = ((rem << 8) & mask) ^ table[byte ^ (rem >> top)]",
        "        rem = ((rem << 8) & mask) ^ table[byte]",
        ("tests/test_qrmask.py::test_the_final_message_is_segnos_for_every_version_and_level",),
    ),
    Mutation(
        "a page rebuild leaves the published version as it was",
        "scripts/pufa/site/mkdocs_hooks.py",
        '        Path(config.site_dir, "sitemap.xml.gz").unlink(missing_ok=True)',
        "        pass",
        (L + "test_an_edited_page_is_rebuilt_alone_and_the_site_equals_a_full_build",),
    ),
    Mutation(
        "a repeated fragment copied from the first one Markdown rendered",
        "scripts/pufa/site/repeats.py",
        "        rendered[match[1]] = match[3]",
        '        rendered[match[1]] = match[3].replace("<strong>", "<b>", 1)',
        ("tests/test_repeats.py::test_a_page_reads_as_if_every_copy_were_rendered",),
    ),
    Mutation(
        "placeholders of repeated fragments replaced in the built pages",
        "scripts/pufa/site/mkdocs_hooks.py",
        "    html = after_markdown(html)  # repeated and set-aside fragments (site/repeats.py)",
        "    pass",
        ("tests/test_repeats.py::test_no_marker_is_left_in_the_built_site",),
    ),
    Mutation(
        "the link check reads the links the render processes read from the pages they wrote",
        "scripts/pufa/site/mkdocs_hooks.py",
        "        _links[page.file.dest_uri] = parse_links(output)",
        "        _links[page.file.dest_uri] = PageLinks()",
        ("tests/test_render.py::test_links_read_by_the_workers_are_checked",),
    ),
    Mutation(
        "page codes drawn ahead of rendering are taken, not drawn again",
        "scripts/pufa/site/kiosk.py",
        "self.ahead.get(key) or page_qr(url)",
        "page_qr(url)",
        ("tests/test_qr_cache.py::test_codes_drawn_ahead_are_used_once_and_then_kept",),
    ),
    Mutation(
        "a render process lists the answers the build checked without comparing files again",
        "scripts/pufa/content/faq.py",
        "    if cached and key in _frozen:",
        "    if cached and key in _frozen and False:",
        ("tests/test_faq.py::test_a_frozen_faq_list_is_not_looked_at_again",),
    ),
    Mutation(
        "a bad MkDocs configuration is said once, before the workers start",
        "scripts/pufa/site/build.py",
        "        config = render.load_mkdocs_config(root, tmp)",
        "        config = None",
        ("tests/test_render.py::test_a_configuration_error_is_said_once_with_mkdocs_words",),
    ),
    Mutation(
        "theme files listed without hidden ones are the files MkDocs copies",
        "scripts/pufa/site/templates.py",
        '                dirnames[:] = [d for d in dirnames if not d.startswith(".")]',
        "                dirnames[:] = []",
        (
            "tests/test_templates.py::"
            "test_the_theme_files_mkdocs_copies_are_the_same_without_hidden_ones_listed",
        ),
    ),
    Mutation(
        "HTML set aside from Markdown reads back exactly",
        "scripts/pufa/content/rawhtml.py",
        '_ESCAPES = (("%", "%25"), ("-", "%2D"), ("\\n", "%0A"), ("\\r", "%0D"), ("\\t", "%09"))',
        '_ESCAPES = (("-", "%2D"), ("\\n", "%0A"), ("\\r", "%0D"), ("\\t", "%09"))',
        ("tests/test_rawhtml.py::test_a_fragment_reads_back_exactly",),
    ),
    Mutation(
        "template indentation: elements that keep whitespace are left as written",
        "scripts/pufa/site/templates.py",
        'r"|<(pre|textarea|code|kbd|script|style)\\b.*?</\\1\\s*>",',
        'r"|<(pre|textarea)\\b.*?</\\1\\s*>",',
        ("tests/test_templates.py::test_collapse_keeps_jinja_and_whitespace_keeping_elements",),
    ),
    Mutation(
        "template indentation: a no-break or ideographic space is text, not indentation",
        "scripts/pufa/site/templates.py",
        '_RUN = re.compile(r"[ \\t\\r\\f]*\\n[ \\t\\n\\r\\f]*")',
        '_RUN = re.compile(r"[ \\t\\r\\f]*\\n\\s*")',
        ("tests/test_templates.py::test_collapse_keeps_jinja_and_whitespace_keeping_elements",),
    ),
    Mutation(
        "stylesheet selectors read from text: a string holding a brace does not cut one",
        "scripts/pufa/site/stylesheet.py",
        (
            """_CSS_TOKEN = re.compile(r"\\"(?:[^\\"\\\\]|\\\\.)*\\"|'(?:[^'\\\\]|\\\\.)*'"""
            """|/\\*.*?\\*/|[{};]", re.S)"""
        ),
        """_CSS_TOKEN = re.compile(r"/\\*.*?\\*/|[{};]", re.S)""",
        (
            "tests/test_stylesheet.py::"
            "test_theme_stylesheet_attribute_tests_read_from_text_and_parsed_agree",
        ),
    ),
]

COPY = ("data", "docs", "overrides", "scripts", "tests", "examples", "deploy")
LINK = ("build", ".venv", "node_modules")  # shared: the campaign cache, the environment


def _copy_project(root: Path, dest: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache")
    for name in COPY:
        if (root / name).exists():
            shutil.copytree(root / name, dest / name, ignore=ignore, symlinks=True)
    for name in ("mkdocs.yml", "pyproject.toml", "pufa.yml"):
        if (root / name).exists():
            shutil.copy(root / name, dest / name)
    for name in LINK:
        if (root / name).exists():
            (dest / name).symlink_to((root / name).resolve())


def run_mutation(root: Path, m: Mutation | None, *, python: str) -> tuple[bool, str, float]:
    """(the guarding tests failed, the last line of their output, seconds)."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="pufa-mutant-") as tmp:
        dest = Path(tmp)
        _copy_project(root, dest)
        tests: tuple[str, ...] = ("tests/test_kiosk.py::test_qr_code_is_an_accessible_svg",)
        if m is not None:
            path = dest / m.file
            text = path.read_text(encoding="utf-8")
            if text.count(m.old) != 1:
                return False, f"mutation target not found once in {m.file}", 0.0
            path.write_text(text.replace(m.old, m.new), encoding="utf-8")
            tests = m.tests
        env = {**os.environ, "PYTHONPATH": str(dest / "scripts"), "PYTHONDONTWRITEBYTECODE": "1"}
        # The reference laws sit beside the real checkout, not beside the copy.
        env.setdefault("PUFA_REFERENCE", str(root.parent / "shared" / "reference" / "laws"))
        proc = subprocess.run(
            [python, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
            cwd=dest,
            env=env,
            capture_output=True,
            text=True,
        )
        lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
        last = lines[-1] if lines else proc.stderr[-200:]
        # Caught only when a test fails; an error in set-up (a fixture, a missing file) is not.
        caught = proc.returncode == 1 and re.search(r"\b\d+ failed\b", last) is not None
        return caught, last, time.perf_counter() - started


def cmd_selftest(args: argparse.Namespace) -> int:
    if not args.mutate:
        print("pufa selftest: pass --mutate to run the mutation check", file=sys.stderr)
        return 2
    root = Path(args.root).resolve()
    chosen = [m for m in MUTATIONS if not args.only or any(o in m.name for o in args.only)]
    missed = []
    for m in chosen:
        caught, last, seconds = run_mutation(root, m, python=sys.executable)
        mark = "caught" if caught else "MISSED"
        print(f"{mark:6}  {m.name}  ({seconds:.0f} s: {last})", flush=True)
        if not caught:
            missed.append(m.name)
    print(f"mutation check: {len(chosen) - len(missed)} of {len(chosen)} mutations caught")
    return 1 if missed else 0


def add_selftest_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("selftest", help="mutation check: each feature disabled must fail a test")
    p.add_argument("--mutate", action="store_true", help="run the mutation check")
    p.add_argument("--only", action="append", help="only mutations whose name contains this")
    p.set_defaults(func=cmd_selftest)
