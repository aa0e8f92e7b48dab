"""Bad input: each case names file and line/key, exits non-zero and leaves site/ untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pufa.cli import main
from pufa.content.clock import today


def run(project: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(project), *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {path}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def previous_site(project: Path) -> Path:
    marker = project / "site" / "index.html"
    marker.parent.mkdir()
    marker.write_text("previous build", encoding="utf-8")
    return marker


def assert_fails_cleanly(project, capsys, pattern: str) -> str:
    marker = previous_site(project)
    code, out = run(project, "build", capsys=capsys)
    assert code != 0, out
    assert re.search(pattern, out), out
    assert marker.read_text(encoding="utf-8") == "previous build"
    assert not (project / "site.tmp").exists()
    return out


def test_good_project_checks(project, capsys) -> None:
    code, out = run(project, "check", capsys=capsys)
    assert code == 0, out


def test_broken_yaml(project, capsys) -> None:
    edit(project / "data/statutes.yml", "    short_title: 宪法\n", "    short_title: [宪法\n")
    assert_fails_cleanly(project, capsys, r"data/statutes\.yml:\d+: .*broken YAML")


def test_missing_required_field(project, capsys) -> None:
    edit(
        project / "data/statutes.yml",
        "    issuer: 全国人民代表大会\n    adopted: 1982-12-04\n",
        "    adopted: 1982-12-04\n",
    )
    out = assert_fails_cleanly(
        project, capsys, r"data/statutes\.yml:\d+: \[statutes\[\d+\]\.issuer\]"
    )
    assert "required field is missing" in out


def test_unknown_statute_slug_in_replaced_by(project, capsys) -> None:
    edit(
        project / "data/statutes.yml",
        "replaced_by: petition-work-regulations",
        "replaced_by: no-such-law",
    )
    assert_fails_cleanly(
        project,
        capsys,
        r"statutes\.yml:\d+: \[statutes\[\d+\]\.replaced_by\] unknown statute slug 'no-such-law'",
    )


def test_unknown_statute_in_citation(project, capsys) -> None:
    page = project / "docs/about.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n见[[不存在法第1条]]。\n", encoding="utf-8"
    )
    lines = page.read_text(encoding="utf-8").count("\n")
    out = assert_fails_cleanly(project, capsys, r"docs/about\.md:\d+: .*unknown statute '不存在法'")
    assert f"docs/about.md:{lines}:" in out


def test_article_beyond_count_in_citation(project, capsys) -> None:
    page = project / "docs/about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n见[[宪法第144条]]。\n", encoding="utf-8")
    assert_fails_cleanly(
        project, capsys, r"docs/about\.md:\d+: .*article 144 is beyond 宪法's 143 articles"
    )


def test_article_beyond_count_in_excerpt(project, capsys) -> None:
    edit(project / "data/excerpts/constitution.yml", "  - article: 41\n", "  - article: 441\n")
    assert_fails_cleanly(
        project,
        capsys,
        r"constitution\.yml:\d+: \[excerpts\[\d+\]\.article\] article 441 is beyond",
    )


def test_duplicate_content_id(project, capsys) -> None:
    path = project / "data/excerpts/constitution.yml"
    text = path.read_text(encoding="utf-8")
    block = re.search(r"  - article: 41\n(?:    .*\n|      .*\n)+", text)
    assert block
    path.write_text(text + block.group(0), encoding="utf-8")
    assert_fails_cleanly(
        project, capsys, r"constitution\.yml:\d+: .*duplicate content id 'constitution/41'"
    )


def test_duplicate_statute_slug(project, capsys) -> None:
    edit(project / "data/statutes.yml", "  - slug: labor-law\n", "  - slug: civil-code\n")
    assert_fails_cleanly(
        project,
        capsys,
        r"statutes\.yml:\d+: \[statutes\[\d+\]\.slug\] duplicate content id 'civil-code'",
    )


def test_excerpt_differs_from_reference(project, capsys, reference_dir) -> None:
    edit(project / "data/excerpts/constitution.yml", "任何人不得压制和打击报复", "任何人不得压制")
    code, out = run(project, "check", "--reference", str(reference_dir), capsys=capsys)
    assert code != 0
    assert re.search(r"mismatch: data/excerpts/constitution\.yml article 41: text differs", out), (
        out
    )
    assert "-" in out and "+" in out  # a diff is printed
    marker = previous_site(project)
    code, out = run(project, "build", "--reference", str(reference_dir), capsys=capsys)
    assert code != 0 and "differ from the reference" in out
    assert marker.read_text(encoding="utf-8") == "previous build"


def test_unknown_directive(project, capsys) -> None:
    page = project / "docs/about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[[!nonsense]]\n", encoding="utf-8")
    assert_fails_cleanly(
        project, capsys, r"docs/about\.md:\d+: .*unknown directive \[\[!nonsense\]\]"
    )


def test_release_fails_on_unverified_office_fields(project, capsys) -> None:
    code, out = run(project, "check", "--release", capsys=capsys)
    assert code != 0
    assert re.search(r"office\.yml: \[phone\] phone still reads 待核实", out), out


def test_bad_rota_weekday_names_file_and_key(project, capsys) -> None:
    edit(project / "data/lawyers.yml", "weekday: 星期二", "weekday: 周二")
    assert_fails_cleanly(project, capsys, r"lawyers\.yml:\d+: \[entries\[1\]\.weekday\]")


def test_rule_citing_an_unquoted_article_fails(project, capsys) -> None:
    edit(
        project / "data/rules.yml",
        "citations: [信访工作条例第34条]",
        "citations: [信访工作条例第99条]",
    )
    assert_fails_cleanly(
        project,
        capsys,
        r"rules\.yml:\d+: \[petition-handle.citations\[0\]\] .*not a quoted excerpt",
    )


def test_unknown_rule_fails_with_page_and_line(project, capsys) -> None:
    page = project / "docs/faq/labor/unpaid-wages.md"
    edit(page, "## 怎么办\n", "## 怎么办\n\n期限是[[rule:no-such-rule]]。\n")
    assert_fails_cleanly(
        project, capsys, r"unpaid-wages\.md:\d+: unknown rule \[\[rule:no-such-rule"
    )


def test_overlapping_rule_versions_fail(project, capsys) -> None:
    text = (project / "data/rules.yml").read_text(encoding="utf-8")
    start = text.index("  - id: appeal-ruling")
    end = text.index("  - id: retrial-deadline")
    (project / "data/rules.yml").write_text(text + text[start:end], encoding="utf-8")
    assert_fails_cleanly(project, capsys, r"rules\.yml:\d+: .*appeal-ruling.* overlap")


def test_faq_linking_unknown_case_fails(project, capsys) -> None:
    page = next((project / "docs/faq/labor").glob("written-contract-double-pay.md"))
    edit(page, "cases: [", "cases: [no-such-case, ")
    assert_fails_cleanly(
        project, capsys, r"written-contract-double-pay\.md: \[cases\] unknown case"
    )


def test_unlinked_case_fails(project, capsys) -> None:
    (project / "data/cases/orphan.yml").write_text(
        "title: t\ntopic: labor\nillustrative: true\nfacts: f。\nquestion: q？\nlaw: l。\n"
        "outcome: o。\nlesson: l。\nreviewed_against: 摘录\n",
        encoding="utf-8",
    )
    assert_fails_cleanly(
        project, capsys, r"data/cases/orphan\.yml: .*no FAQ answer links this case"
    )


def test_faq_without_legal_basis_fails(project, capsys) -> None:
    page = project / "docs/faq/labor/unpaid-wages.md"
    text = page.read_text(encoding="utf-8")
    start, end = text.index("## 法律依据"), text.index("## 哪里可以求助")
    page.write_text(text[:start] + "## 法律依据\n\n见上。\n\n" + text[end:], encoding="utf-8")
    assert_fails_cleanly(project, capsys, r"unpaid-wages\.md:\d+: .*法律依据 cites no article")


def test_stale_review_is_a_warning_not_an_error(project, capsys) -> None:
    page = project / "docs/faq/labor/unpaid-wages.md"
    edit(page, "reviewed: 2026-11-27", "reviewed: 2024-01-01")
    code, out = run(project, "check", capsys=capsys)
    assert code == 0, out
    assert "warning: docs/faq/labor/unpaid-wages.md: reviewed 2024-01-01" in out


def test_missing_reference_dir_fails_cleanly(project, capsys) -> None:
    missing = project / "no-such-laws"
    code, out = run(project, "check", "--reference", str(missing), capsys=capsys)
    assert code != 0
    assert re.search(r"no-such-laws: reference collection not found", out), out
    assert "fix: pass --reference" in out
    assert "Traceback" not in out
    marker = previous_site(project)
    code, out = run(project, "build", "--reference", str(missing), capsys=capsys)
    assert code != 0 and "reference collection not found" in out, out
    assert marker.read_text(encoding="utf-8") == "previous build"


def test_faq_front_matter_error_points_to_readme(project, capsys) -> None:
    page = project / "docs/faq/labor/unpaid-wages.md"
    edit(page, "reviewed: 2026-11-27\n", "")
    out = assert_fails_cleanly(project, capsys, r"unpaid-wages\.md: \[reviewed\] required field")
    assert 'see README.md, section "FAQ answers"' in out
    assert "docs/faq/README" not in out
    assert "FAQ answers" in (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_broken_faq_does_not_orphan_its_cases(project, capsys) -> None:
    page = project / "docs/faq/labor/written-contract-double-pay.md"
    edit(page, "reviewed: 2026-11-27\n", "")
    out = assert_fails_cleanly(
        project, capsys, r"written-contract-double-pay\.md: \[reviewed\] required field"
    )
    assert "no FAQ answer links this case" not in out


def test_case_without_review_trail_fails(project, capsys) -> None:
    case = project / "data/cases/labor-commute-accident.yml"
    text = case.read_text(encoding="utf-8")
    case.write_text(re.sub(r"(?m)^reviewed_against: .*\n", "", text), encoding="utf-8")
    assert_fails_cleanly(
        project, capsys, r"labor-commute-accident\.yml:\d+: \[reviewed_against\] required field"
    )


def test_statute_without_checked_date_fails(project, capsys) -> None:
    edit(project / "data/statutes.yml", "    checked: 2026-12-01\n", "")
    assert_fails_cleanly(project, capsys, r"data/statutes\.yml:\d+: \[statutes\[0\]\.checked\]")


def test_build_reports_every_bad_page_with_file_and_line(project, capsys) -> None:
    """`pufa build` renders each page once (in MkDocs); the errors found there are reported as
    `pufa check` reports them, all of them, not only the first, and nothing is published."""
    about = project / "docs/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[[!nonsense]]\n", encoding="utf-8")
    petition = project / "docs/petition/index.md"
    text = petition.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    petition.write_text("---\ntitle: [broken\n" + text[4:], encoding="utf-8")
    out = assert_fails_cleanly(
        project, capsys, r"docs/about\.md:\d+: .*unknown directive \[\[!nonsense\]\]"
    )
    assert re.search(r"docs/petition/index\.md:1: .*broken front matter", out), out
    assert "Traceback" not in out
    code, checked = run(project, "check", capsys=capsys)
    assert code != 0 and "unknown directive" in checked and "broken front matter" in checked


def test_markdown_left_inside_raw_html_fails_the_build(project, capsys) -> None:
    """Markdown inside raw HTML without markdown="1" is printed as text (a citizen reads
    "**[15日](../x.md){ .pufa-rule }**"): the build names the page instead of publishing it."""
    about = project / "docs/about.md"
    about.write_text(
        about.read_text(encoding="utf-8")
        + '\n<div class="x">\n<p>**期限**见[[rule:admin-suit-deadline]]</p>\n</div>\n',
        encoding="utf-8",
    )
    out = assert_fails_cleanly(project, capsys, r"docs/about\.md: .*Markdown left unrendered")
    assert 'markdown="1"' in out and "Traceback" not in out


def test_warnings_found_page_by_page_read_as_found_all_at_once(project) -> None:
    """`pufa build` takes each page's warnings from the render worker that had the page in
    hand (content_warnings(lib, pages)); `pufa check` finds them all itself. Same list, same
    order, whichever pages were handed over."""
    from pufa.content.library import load_library
    from pufa.content.review import PageWarnings, content_warnings, page_warnings
    from pufa.content.rules import figure_matchers

    edit(project / "docs/faq/labor/unpaid-wages.md", "reviewed: 2026-11-27", "reviewed: 2011-01-01")
    page = project / "docs/faq/family/bride-price.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n起诉期限为六个月。\n", encoding="utf-8")
    lib = load_library(project)
    alone = content_warnings(lib)
    assert any("more than a year old" in w for w in alone)
    assert any("changed on" in w for w in alone)
    assert any("bride-price.md" in w and "by hand" in w for w in alone)
    matchers = figure_matchers(lib, today())
    pages = sorted((project / "docs").rglob("*.md"))
    for share in (pages[::2], pages[1::2], pages):
        handed = {
            p.relative_to(project).as_posix(): page_warnings(
                lib, p, p.read_text(encoding="utf-8"), matchers
            )
            for p in share
        }
        assert content_warnings(lib, handed) == alone
    # A handed-over page is taken as found, not read again.
    mine = PageWarnings(["docs/index.md: stale"], [], [])
    assert "docs/index.md: stale" in content_warnings(lib, {"docs/index.md": mine})
