"""Schemas of the data files. Field names are English; values are the Chinese the site shows."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

UNVERIFIED = "待核实"
Unverified = Literal["待核实"]
Status = Literal["现行有效", "已废止", "已被修改", "待核实"]
Kind = Literal["宪法", "法律", "行政法规", "党内法规", "地方性法规", "部门规章"]
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OverlayConfig(BaseModel):
    """pufa.yml of a second office's folder (content/overlay.py)."""

    model_config = ConfigDict(extra="forbid")
    base: str
    # Base paths this office does not inherit (its own figures, rota, campaigns), e.g. data/stats.
    own: list[str] = []


class Channel(Strict):
    """A way to reach the office or a national service."""

    name: str
    value: str = Field(description="address, number or URL; 待核实 until the office confirms")
    note: str = ""


class Office(Strict):
    name: str
    short_name: str
    region: str
    site_name: str
    site_url: str
    address: str
    postcode: str
    phone: str
    hours: str
    online: str = Field(description="the office's online petition entry")
    leader_mailbox: str
    channels: list[Channel] = []
    national: list[Channel] = []

    @field_validator("site_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/]+/(.*/)?$", value):
            raise ValueError("site_url must be an absolute http(s) URL ending in '/'")
        return value

    def unverified_fields(self) -> list[str]:
        out = [k for k, v in self.model_dump().items() if v == UNVERIFIED]
        for group in ("channels", "national"):
            for i, ch in enumerate(getattr(self, group)):
                if ch.value == UNVERIFIED:
                    out.append(f"{group}[{i}].value ({ch.name})")
        return out


class Amendment(Strict):
    date: dt.date
    event: str = Field(description="修正 / 修订 / 修改, as the official header words it")


class Statute(Strict):
    slug: str = Field(pattern=SLUG)
    title: str
    short_title: str
    aliases: list[str] = []
    kind: Kind
    issuer: str
    doc_number: str | None = None
    adopted: dt.date | Unverified
    amendments: list[Amendment] = []
    effective: dt.date | Unverified
    current_version_effective: dt.date | Unverified | None = None
    status: Status
    replaced_by: str | None = None
    repealed_on: dt.date | Unverified | None = None
    articles: int | Unverified = Field(description="article count of the version shown")
    official_source: str = "国家法律法规数据库"
    official_url: str = "https://flk.npc.gov.cn/"
    checked: dt.date = Field(
        description="when this entry (status, latest revision) was last checked"
    )
    checked_against: str = Field(min_length=1, description="what it was checked against")
    reference: str | None = Field(
        default=None, description="file stem in the reference collection; none means unchecked"
    )
    protects: str = Field(description="whom it protects, one sentence")
    summary: str = Field(description="what it is, one or two sentences")
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Statute:
        if self.status == "已废止" and not self.replaced_by:
            raise ValueError("a repealed statute needs replaced_by (the slug of what replaced it)")
        if self.status != "已废止" and self.repealed_on:
            raise ValueError("repealed_on is set but status is not 已废止")
        dates = [a.date for a in self.amendments]
        if dates != sorted(dates):
            raise ValueError("amendments must be in date order")
        if isinstance(self.articles, int) and self.articles <= 0:
            raise ValueError("articles must be a positive count")
        if isinstance(self.adopted, dt.date) and dates and dates[0] < self.adopted:
            raise ValueError("an amendment is dated before adoption")
        return self

    @property
    def names(self) -> list[str]:
        return [self.title, self.short_title, *self.aliases]

    @property
    def last_amended(self) -> dt.date | None:
        return self.amendments[-1].date if self.amendments else None

    @property
    def in_force(self) -> bool:
        return self.status == "现行有效"


class Registry(Strict):
    statutes: list[Statute]


class Excerpt(Strict):
    article: int = Field(gt=0)
    paragraphs: list[int] | None = Field(
        default=None,
        description="1-based blocks (款 or 项, as laid out) when only part is quoted",
    )
    text: str = Field(description="verbatim official text, one paragraph per line")
    plain: str = Field(description="解读: 2-4 plain sentences")
    tags: list[str] = Field(min_length=1)

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty")
        if re.match(r"^\s*第[零一二三四五六七八九十百千]+条", value):
            raise ValueError("start text after the article number (第…条 is added by the site)")
        return value.strip()

    @field_validator("plain")
    @classmethod
    def _plain(cls, value: str) -> str:
        sentences = [s for s in re.split(r"[。！？]", value) if s.strip()]
        if not 2 <= len(sentences) <= 4:
            raise ValueError(f"解读 should be 2-4 sentences, found {len(sentences)}")
        return value.strip()

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


class ExcerptFile(Strict):
    excerpts: list[Excerpt]


# --- Duty lawyers ---------------------------------------------------------------------------

Weekday = Literal["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]
WEEKDAYS: tuple[str, ...] = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class RotaEntry(Strict):
    weekday: Weekday
    time: str
    who: str = Field(description="the lawyer's name; 待核实 until the office confirms")
    firm: str
    kind: Literal["公职律师", "驻派律师"] = "驻派律师"
    place: str = UNVERIFIED


class Rota(Strict):
    valid_from: dt.date
    note: str = ""
    entries: list[RotaEntry]


# --- Cases ----------------------------------------------------------------------------------


class Case(Strict):
    title: str
    illustrative: bool = Field(description="true for invented cases; they are labelled as such")
    source: str = Field(default="", description="where a real case was published")
    facts: str
    question: str
    law: str = Field(description="what the law says; cite with [[...]]")
    outcome: str
    lesson: str
    reviewed: dt.date | None = None
    reviewed_against: str = Field(min_length=1, description="what the case was checked against")
    topic: Literal[
        "family",
        "village",
        "labor",
        "land",
        "property",
        "consumer",
        "debt",
        "social-security",
        "government",
        "petition",
        "police",
        "traffic",
        "courts",
    ]

    @model_validator(mode="after")
    def _source(self) -> Case:
        if not self.illustrative and not self.source:
            raise ValueError("a real case needs its published source; otherwise mark illustrative")
        return self


# --- Figures --------------------------------------------------------------------------------


class Figure(Strict):
    label: str
    value: int = Field(ge=0)


class YearStats(Strict):
    year: int
    source: str
    total_items: int = Field(ge=0, description="件")
    total_people: int = Field(ge=0, description="人次")
    channels: list[Figure]
    risks_found: int = Field(ge=0, description="矛盾隐患排查")
    risks_resolved: int = Field(ge=0, description="矛盾隐患化解")
    stability_assessments: int = Field(ge=0, description="社会稳定风险评估")
    note: str = ""

    @model_validator(mode="after")
    def _sums(self) -> YearStats:
        total = sum(f.value for f in self.channels)
        if total != self.total_items:
            raise ValueError(f"channels add up to {total}, not total_items {self.total_items}")
        if self.risks_resolved > self.risks_found:
            raise ValueError("risks_resolved exceeds risks_found")
        return self


# --- Kiosk ---------------------------------------------------------------------------------


class Tile(Strict):
    label: str
    hint: str
    page: str


class KioskConfig(Strict):
    idle_seconds: int = Field(ge=10)
    countdown_seconds: int = Field(ge=5)
    start: str
    tiles: list[Tile] = Field(min_length=2)
    hot_questions: list[str] = Field(min_length=1)
    topics: list[str] = []


# --- Register of legal facts ------------------------------------------------------------------

Unit = Literal["小时", "日", "个工作日", "个月", "年"]


class Duration(Strict):
    value: int = Field(gt=0)
    unit: Unit

    @property
    def text(self) -> str:
        return f"{self.value}{self.unit}"

    @property
    def days(self) -> int | None:
        """Calendar days, where the unit is days (for the timeline picture)."""
        return self.value if self.unit == "日" else None


class Rule(Strict):
    """One legal fact with a figure: a deadline or a period, its basis, and when it applies.

    The same id may appear more than once with non-overlapping validity when the law changes;
    pages show the entry valid on the build date."""

    id: str = Field(pattern=SLUG)
    name: str = Field(description="what the figure is, e.g. 不服一审判决的上诉期限")
    figure: Duration
    runs_from: str = Field(description="the event the period runs from; 无 for a fixed period")
    statement: str = Field(description="the rule in plain words, one or two sentences")
    terms: list[str] = Field(
        min_length=1, description="legal terms this figure goes with (for the hand-written check)"
    )
    conditions: list[str] = []
    exceptions: list[str] = []
    if_missed: str = Field(description="what happens when the period is missed")
    citations: list[str] = Field(
        min_length=1, description="quoted articles, e.g. 民事诉讼法第171条"
    )
    stage: str = Field(default="", description="for a process timeline: the stage's name")
    who: str = Field(default="", description="for a process timeline: who must act")
    extension: str | None = Field(default=None, description="id of the rule that extends this one")
    process: str | None = Field(default=None, description="e.g. petition: shown on its timeline")
    valid_from: dt.date
    valid_to: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @model_validator(mode="after")
    def _dates(self) -> Rule:
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class Rules(Strict):
    rules: list[Rule]
