"""`pufa check`: schema, citations and (optionally) quotes against a reference collection."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PufaError
from .library import Library
from .models import UNVERIFIED
from .reference import ReferenceLaw, load_collection, normalize


@dataclass
class Mismatch:
    slug: str
    article: int
    problem: str
    diff: str = ""


@dataclass
class ReferenceReport:
    checked: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)


def quoted_paragraphs(ref: list[str], paragraphs: list[int] | None) -> list[str] | None:
    if paragraphs is None:
        return ref
    if any(not 1 <= p <= len(ref) for p in paragraphs):
        return None
    return [ref[p - 1] for p in paragraphs]


def compare_excerpts(lib: Library, reference_dir: Path) -> ReferenceReport:
    collection: dict[str, ReferenceLaw] = load_collection(reference_dir)
    report = ReferenceReport()
    for slug, excerpts in lib.excerpts.items():
        statute = lib.statutes[slug]
        law = collection.get(statute.reference or "")
        for number, excerpt in sorted(excerpts.items()):
            report.checked += 1
            if law is None:
                report.mismatches.append(
                    Mismatch(
                        slug, number, f"no reference text '{statute.reference}' in {reference_dir}"
                    )
                )
                continue
            paras = law.paragraphs(number)
            if paras is None:
                report.mismatches.append(
                    Mismatch(slug, number, "article not in the reference text")
                )
                continue
            expected = quoted_paragraphs(paras, excerpt.paragraphs)
            if expected is None:
                report.mismatches.append(
                    Mismatch(
                        slug, number, f"paragraphs {excerpt.paragraphs} out of range 1-{len(paras)}"
                    )
                )
                continue
            want, got = normalize("".join(expected)), normalize("".join(excerpt.lines))
            if want != got:
                diff = "\n".join(
                    difflib.unified_diff(
                        _chunks(want), _chunks(got), "reference", "excerpt", lineterm="", n=1
                    )
                )
                report.mismatches.append(
                    Mismatch(slug, number, "text differs from reference", diff)
                )
    return report


def _chunks(text: str) -> list[str]:
    # Split at sentence ends so a diff of one long article stays readable.
    out, cur = [], ""
    for ch in text:
        cur += ch
        if ch in "。；：":
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return out


def release_problems(lib: Library) -> list[PufaError]:
    path = lib.data_dir / "office.yml"
    problems = [
        PufaError(
            path, f"{name} still reads {UNVERIFIED}", key=name, fix="enter the confirmed value"
        )
        for name in lib.office.unverified_fields()
    ]
    if any(host in lib.office.site_url for host in ("127.0.0.1", "localhost", "example")):
        problems.append(
            PufaError(
                path,
                "site_url is not the public address",
                key="site_url",
                fix="set the site's public URL",
            )
        )
    return problems
