"""Load campaign files and resolve everything they name: excerpts, screens, platforms, pages.

Nothing here needs fonts or ffmpeg, so the site pages can use it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..content.citations import CITATION, parse_citation
from ..content.library import Library
from ..content.models import SLUG, Excerpt, Office, Statute
from ..content.numerals import to_chinese
from ..content.yamlio import Located, M, load, validate
from ..errors import PufaError, PufaErrors
from .models import Campaign, Platform, Platforms, Screen, Screens, SharedSlogans, SloganRef

CAMPAIGNS = "data/campaigns"


@dataclass(frozen=True)
class Feature:
    """A featured article: the verbatim excerpt from data/excerpts, never retyped."""

    citation: str  # as written in the campaign file
    statute: Statute
    excerpt: Excerpt

    @property
    def article(self) -> int:
        return self.excerpt.article

    @property
    def slug(self) -> str:
        return f"{self.statute.slug}-{self.article}"

    def labels(self) -> list[str]:
        """Article labels from longest to shortest; a slide uses the first that fits."""
        part = "（节选）" if self.excerpt.paragraphs else ""
        number = f"第{to_chinese(self.article)}条{part}"
        out = [f"《{self.statute.title}》{number}"]
        if self.statute.short_title != self.statute.title:
            out.append(f"《{self.statute.short_title}》{number}")
        out.append(f"《{self.statute.short_title}》第{self.article}条{part}")
        return out


@dataclass
class CampaignSpec:
    """A validated campaign with every reference resolved."""

    id: str
    path: Path
    campaign: Campaign
    located: Located
    slogans: list[str]
    features: list[Feature]
    screens: list[Screen]
    platforms: list[Platform]
    office: Office
    url: str  # the campaign page on the site
    pages: list[str] = field(default_factory=list)

    @property
    def file(self) -> str:
        return f"{CAMPAIGNS}/{self.id}.yml"

    def line_of(self, *loc: str | int) -> int | None:
        return self.located.line_of(tuple(loc))


def _load_by_id(path: Path, model: type[M], field: str, noun: str) -> dict:
    """Items listed under ``field`` in ``path``, by their id; a repeated id is an error."""
    located = load(path)
    out: dict = {}
    for i, item in enumerate(getattr(validate(located, model), field)):
        if item.id in out:
            raise PufaError(
                path,
                f"duplicate {noun} id '{item.id}'",
                line=located.line_of((field, i, "id")),
                key=f"{field}[{i}].id",
                fix=f"give each {noun} its own id",
            )
        out[item.id] = item
    return out


def load_screens(root: Path) -> dict[str, Screen]:
    return _load_by_id(root / "data" / "screens.yml", Screens, "screens", "screen")


def load_platforms(root: Path) -> dict[str, Platform]:
    return _load_by_id(root / "data" / "platforms.yml", Platforms, "platforms", "platform")


def load_shared_slogans(root: Path) -> dict[str, str]:
    path = root / "data" / "slogans.yml"
    if not path.is_file():
        return {}
    return validate(load(path), SharedSlogans).slogans


def campaign_ids(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / CAMPAIGNS).glob("*.yml"))


def campaign_url(office: Office, campaign_id: str) -> str:
    return f"{office.site_url}campaigns/{campaign_id}/"


def resolve_feature(lib: Library, citation: str) -> Feature | str:
    """The excerpt a citation names, or the reason it cannot be used."""
    match = CITATION.match(citation.strip())
    parsed = parse_citation(lib, citation)
    if parsed is None:
        name = match.group("name") if match else citation
        return f"unknown statute or citation '{name}' (write e.g. 宪法第33条)"
    if parsed.paragraph:
        return "cite the whole article (no 第N款): slides show the excerpt exactly as stored"
    if parsed.statute.status != "现行有效":
        return f"{parsed.statute.title} is {parsed.statute.status}: feature current law only"
    excerpt = lib.excerpt(parsed.statute.slug, parsed.article)
    if excerpt is None:
        return (
            f"no excerpt of {parsed.statute.short_title} article {parsed.article} in "
            f"data/excerpts/{parsed.statute.slug}.yml"
        )
    return Feature(citation=citation, statute=parsed.statute, excerpt=excerpt)


def load_campaign(
    root: Path,
    campaign_id: str,
    lib: Library,
    *,
    screens: dict[str, Screen] | None = None,
    platforms: dict[str, Platform] | None = None,
    shared: dict[str, str] | None = None,
) -> CampaignSpec:
    path = root / CAMPAIGNS / f"{campaign_id}.yml"
    if path.is_file() and not re.match(SLUG, campaign_id):
        raise PufaError(
            f"{CAMPAIGNS}/{campaign_id}.yml",
            f"campaign id '{campaign_id}' is not a lowercase slug (it becomes the page's URL)",
            fix="rename the file, e.g. constitution-week-2026.yml",
        )
    if not path.is_file():
        known = ", ".join(campaign_ids(root)) or "(none)"
        raise PufaError(
            f"{CAMPAIGNS}/{campaign_id}.yml",
            f"no campaign '{campaign_id}'",
            fix=f"use one of: {known}",
        )
    located = load(path)
    campaign = validate(located, Campaign)
    screens = load_screens(root) if screens is None else screens
    platforms = load_platforms(root) if platforms is None else platforms
    shared = load_shared_slogans(root) if shared is None else shared
    file = f"{CAMPAIGNS}/{campaign_id}.yml"
    errors: list[PufaError] = []

    def err(message: str, loc: tuple[str | int, ...], fix: str) -> None:
        key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        errors.append(PufaError(file, message, line=located.line_of(loc), key=key, fix=fix))

    slogans: list[str] = []
    for i, item in enumerate(campaign.slogans):
        if isinstance(item, SloganRef):
            if item.ref not in shared:
                err(
                    f"unknown shared slogan '{item.ref}'",
                    ("slogans", i),
                    f"use an id from data/slogans.yml: {', '.join(shared) or '(none)'}",
                )
                continue
            slogans.append(shared[item.ref])
        else:
            slogans.append(item)
    for i, text in enumerate(slogans):
        if text in slogans[:i]:
            err(f"slogan '{text}' is listed twice", ("slogans", i), "list each slogan once")

    features: list[Feature] = []
    for i, citation in enumerate(campaign.featured):
        resolved = resolve_feature(lib, citation)
        if isinstance(resolved, str):
            err(
                f"featured[{i}] '{citation}': {resolved}",
                ("featured", i),
                "feature only articles quoted in data/excerpts (verbatim, checked against the "
                "law); add the excerpt there first",
            )
            continue
        if any(f.slug == resolved.slug for f in features):
            err(f"'{citation}' is featured twice", ("featured", i), "feature each article once")
            continue
        features.append(resolved)

    chosen_screens: list[Screen] = []
    for i, sid in enumerate(campaign.screens):
        if sid not in screens:
            err(
                f"unknown screen '{sid}'",
                ("screens", i),
                f"use a screen id from data/screens.yml: {', '.join(screens)}",
            )
        elif screens[sid] in chosen_screens:
            err(f"screen '{sid}' is listed twice", ("screens", i), "list each screen once")
        else:
            chosen_screens.append(screens[sid])

    chosen_platforms: list[Platform] = []
    for i, pid in enumerate(campaign.platforms):
        if pid not in platforms:
            err(
                f"unknown platform '{pid}'",
                ("platforms", i),
                f"use a platform id from data/platforms.yml: {', '.join(platforms)}",
            )
        elif platforms[pid] in chosen_platforms:
            err(f"platform '{pid}' is listed twice", ("platforms", i), "list each platform once")
        else:
            chosen_platforms.append(platforms[pid])
    for pid in campaign.posts:
        if pid not in campaign.platforms:
            err(
                f"posts.{pid}: '{pid}' is not among this campaign's platforms",
                ("posts", pid),
                f"add it to platforms: or remove posts.{pid}",
            )

    for i, page in enumerate(campaign.pages):
        if not page.endswith(".md") or not (root / "docs" / page).is_file():
            err(
                f"featured page '{page}' does not exist",
                ("pages", i),
                "give a docs-relative Markdown path, e.g. statutes/constitution.md",
            )

    if errors:
        raise PufaErrors(errors)
    return CampaignSpec(
        id=campaign_id,
        path=path,
        campaign=campaign,
        located=located,
        slogans=slogans,
        features=features,
        screens=chosen_screens,
        platforms=chosen_platforms,
        office=lib.office,
        url=campaign_url(lib.office, campaign_id),
        pages=list(campaign.pages),
    )


def load_campaigns(root: Path, lib: Library, ids: list[str] | None = None) -> list[CampaignSpec]:
    """Load the given campaigns (default: all), collecting every error before raising."""
    screens = load_screens(root)
    platforms = load_platforms(root)
    shared = load_shared_slogans(root)
    errors: list[PufaError] = []
    out: list[CampaignSpec] = []
    for cid in campaign_ids(root) if ids is None else ids:
        try:
            out.append(
                load_campaign(root, cid, lib, screens=screens, platforms=platforms, shared=shared)
            )
        except PufaErrors as exc:
            errors.extend(exc.errors)
        except PufaError as exc:
            errors.append(exc)
    if errors:
        raise PufaErrors(errors)
    return out


def date_range(start, end) -> str:  # noqa: ANN001 (dates)
    """A campaign's days as Chinese text (here, not in slides.py: pages need it without the
    slide renderer and its image library)."""
    head = f"{start.year}年{start.month}月{start.day}日"
    if end == start:
        return head
    if end.year != start.year:
        return f"{head}至{end.year}年{end.month}月{end.day}日"
    if end.month != start.month:
        return f"{head}至{end.month}月{end.day}日"
    return f"{head}至{end.day}日"
