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
