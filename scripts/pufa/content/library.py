"""The content model: office, statute registry and excerpts, loaded and cross-checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PufaError, PufaErrors
from .flow import Guides, load_guides
from .models import (
    Case,
    Excerpt,
    ExcerptFile,
    KioskConfig,
    Office,
    Registry,
    Rota,
    Rule,
    Rules,
    Statute,
    YearStats,
)
from .yamlio import M, load, validate


@dataclass
class Library:
    root: Path
    office: Office
    statutes: dict[str, Statute]
    excerpts: dict[str, dict[int, Excerpt]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # any accepted name -> slug
    rules: dict[str, list[Rule]] = field(default_factory=dict)  # id -> dated versions
    rule_lines: dict[str, int] = field(default_factory=dict)
    rota: Rota | None = None
    cases: dict[str, Case] = field(default_factory=dict)
    stats: dict[int, YearStats] = field(default_factory=dict)
    guides: Guides | None = None  # claim-routing flows, legal channels, practice cases
    kiosk: KioskConfig | None = None

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def statute_by_name(self, name: str) -> Statute | None:
        slug = self.names.get(name.strip())
        return self.statutes.get(slug) if slug else None

    def excerpt(self, slug: str, article: int) -> Excerpt | None:
        return self.excerpts.get(slug, {}).get(article)

    def excerpt_count(self) -> int:
        return sum(len(v) for v in self.excerpts.values())


def _collect(errors: list[PufaError], exc: Exception) -> None:
    if isinstance(exc, PufaErrors):
        errors.extend(exc.errors)
    elif isinstance(exc, PufaError):
        errors.append(exc)
    else:
        raise exc


def load_library(root: Path) -> Library:
    """Load and validate everything under ``root/data``; raise all problems at once."""
    data = root / "data"
    errors: list[PufaError] = []

    office = None
    try:
        office = validate(load(data / "office.yml"), Office)
    except (PufaError, PufaErrors) as exc:
        _collect(errors, exc)

    statutes: dict[str, Statute] = {}
    names: dict[str, str] = {}
    registry_path = data / "statutes.yml"
    try:
        located = load(registry_path)
        registry = validate(located, Registry)
        for i, statute in enumerate(registry.statutes):
            line = located.line_of(("statutes", i))
            if statute.slug in statutes:
                errors.append(
                    PufaError(
                        registry_path,
                        f"duplicate content id '{statute.slug}'",
                        line=line,
                        key=f"statutes[{i}].slug",
                        fix="each statute needs its own slug",
                    )
                )
                continue
            statutes[statute.slug] = statute
            for name in statute.names:
                if names.get(name, statute.slug) != statute.slug:
                    errors.append(
                        PufaError(
                            registry_path,
                            f"name '{name}' is used by both '{names[name]}' and '{statute.slug}'",
                            line=line,
                            key=f"statutes[{i}]",
                            fix="give each statute distinct aliases",
                        )
                    )
                names[name] = statute.slug
        for i, statute in enumerate(registry.statutes):
            if statute.replaced_by and statute.replaced_by not in statutes:
                errors.append(
                    PufaError(
                        registry_path,
                        f"unknown statute slug '{statute.replaced_by}'",
                        line=located.line_of(("statutes", i, "replaced_by")),
                        key=f"statutes[{i}].replaced_by",
                        fix="use the slug of a statute listed in this file",
                    )
                )
    except (PufaError, PufaErrors) as exc:
        _collect(errors, exc)

    excerpts: dict[str, dict[int, Excerpt]] = {}
    for path in sorted((data / "excerpts").glob("*.y*ml")):
        slug = path.stem
        try:
            located = load(path)
            parsed = validate(located, ExcerptFile)
        except (PufaError, PufaErrors) as exc:
            _collect(errors, exc)
            continue
        statute = statutes.get(slug)
        if statute is None:
            errors.append(
                PufaError(
                    path,
                    f"unknown statute slug '{slug}' (the file name is the statute's slug)",
                    fix="rename the file to a slug from data/statutes.yml",
                )
            )
            continue
        by_article: dict[int, Excerpt] = {}
        for i, ex in enumerate(parsed.excerpts):
            key = f"excerpts[{i}].article"
            line = located.line_of(("excerpts", i, "article"))
            if not isinstance(statute.articles, int) or ex.article > statute.articles:
                errors.append(
                    PufaError(
                        path,
                        f"article {ex.article} is beyond {statute.short_title}'s "
                        f"{statute.articles} articles",
                        line=line,
                        key=key,
                        fix="check the article number against the official text",
                    )
                )
            if ex.article in by_article:
                errors.append(
                    PufaError(
                        path,
                        f"duplicate content id '{slug}/{ex.article}'",
                        line=line,
                        key=key,
                        fix="quote each article once; merge the two entries",
                    )
                )
            if statute.reference is None:
                errors.append(
                    PufaError(
                        path,
                        f"{statute.short_title} has no reference text, so nothing may be quoted",
                        line=line,
                        key=key,
                        fix="summarise on the page instead, or add a checked reference",
                    )
                )
            by_article[ex.article] = ex
        excerpts[slug] = by_article

    def optional(path: Path, model: type[M]) -> M | None:
        if not path.is_file():
            return None
        try:
            return validate(load(path), model)
        except (PufaError, PufaErrors) as exc:
            _collect(errors, exc)
            return None

    rules: dict[str, list[Rule]] = {}
    rule_lines: dict[str, int] = {}
    rules_path = data / "rules.yml"
    if rules_path.is_file():
        try:
            located = load(rules_path)
            for i, rule in enumerate(validate(located, Rules).rules):
                rules.setdefault(rule.id, []).append(rule)
                rule_lines.setdefault(rule.id, located.line_of(("rules", i)) or 0)
        except (PufaError, PufaErrors) as exc:
            _collect(errors, exc)
    rota = optional(data / "lawyers.yml", Rota)
    cases = {
        path.stem: case
        for path in sorted((data / "cases").glob("*.yml"))
        if (case := optional(path, Case)) is not None
    }
    stats: dict[int, YearStats] = {}
    for path in sorted((data / "stats").glob("*.yml")):
        year = optional(path, YearStats)
        if year is None:
            continue
        if str(year.year) != path.stem:
            errors.append(
                PufaError(
                    path,
                    f"year {year.year} does not match the file name",
                    key="year",
                    fix="name the file <year>.yml",
                )
            )
        stats[year.year] = year

    guides = None
    try:
        guides = load_guides(data)
    except (PufaError, PufaErrors) as exc:
        _collect(errors, exc)
    kiosk = optional(data / "kiosk.yml", KioskConfig)

    if errors or office is None:
        raise PufaErrors(errors)
    return Library(
        guides=guides,
        kiosk=kiosk,
        root=root,
        office=office,
        statutes=statutes,
        excerpts=excerpts,
        names=names,
        rules=rules,
        rule_lines=rule_lines,
        rota=rota,
        cases=cases,
        stats=stats,
    )
