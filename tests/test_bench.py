"""`pufa bench --scale`: the generated site is made of distinct pages from the real content.
(Timed targets are reported by the bench, never asserted in tests.)"""

import re
from pathlib import Path

from pufa.content.frontmatter import split_front_matter
from pufa.site.bench import make_scaled_project

from .conftest import ROOT


def test_scaled_project_has_the_pages_asked_for_and_no_two_alike(tmp_path: Path) -> None:
    real = sum(1 for _ in (ROOT / "docs").rglob("*.md"))
    count = make_scaled_project(ROOT, tmp_path, real + 60)
    pages = sorted((tmp_path / "docs").rglob("*.md"))
    assert count == len(pages) == real + 60
    made = [p for p in pages if re.search(r"-v\d+$", p.stem)]
    assert len(made) == 60
    titles = {split_front_matter(p.read_text(encoding="utf-8"))[0]["title"] for p in made}
    bodies = {split_front_matter(p.read_text(encoding="utf-8"))[1] for p in made}
    assert len(titles) == 60 and len(bodies) > 10
    assert (tmp_path / "mkdocs.yml").is_file() and (tmp_path / "scripts").is_dir()


def test_the_plain_build_uses_the_themes_own_navigation_templates(project: Path) -> None:
    """The comparison build is MkDocs as the theme ships: our hook-only templates are left out
    (without the hook they would only add a macro call per navigation item)."""
    import tempfile

    from pufa.site.bench import HOOK_ONLY_TEMPLATES, plain_mkdocs_seconds

    assert all((project / "overrides" / name).is_file() for name in HOOK_ONLY_TEMPLATES)
    before = set(Path(tempfile.gettempdir()).glob("pufa-plain-*"))
    assert plain_mkdocs_seconds(project) > 0
    assert set(Path(tempfile.gettempdir()).glob("pufa-plain-*")) == before  # nothing left
    assert not (project / ".pufa-bench-mkdocs.yml").exists()


def test_a_missing_browser_tool_is_named_before_anything_is_built(tmp_path: Path) -> None:
    """The bench needs nginx and Chromium only at its end: without one it says so at once, with
    the fix, instead of failing with a traceback after minutes of building."""
    import subprocess
    import sys

    env = {
        "PATH": "/nonexistent",
        "PUFA_CHROMIUM": str(tmp_path / "no-chromium"),
        "TMPDIR": str(tmp_path),  # where the scaled site would be made
    }
    proc = subprocess.run(
        [sys.executable, "-m", "pufa.cli", "--root", str(ROOT), "bench", "--scale", "100"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "no-chromium" in proc.stdout + proc.stderr and "fix:" in proc.stdout + proc.stderr
    assert not list(tmp_path.iterdir())
