"""The register of legal facts (data/rules.yml): selection by date, checks, the ``[[rule:id]]``
link, and the check that finds a registered figure written by hand next to its legal term."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import PufaError
from .citations import Context, parse_citation, statute_page
from .library import Library
from .models import Rule
from .numerals import to_chinese

RULE_SHORTCODE = re.compile(r"^rule:(?P<id>[a-z0-9-]+)$")
SENTENCE_END = re.compile(r"[。；！？\n]")
SHORTCODES = re.compile(r"\[\[[^\[\]\n]*\]\]")
# Names of documents (《网络购买商品七日无理由退货暂行办法》) are names, not figures.
TITLES = re.compile(r"《[^》\n]*》")
# Data files whose prose is shown to people; excerpts are verbatim law and rules.yml is the
# register itself, so neither is scanned.
SCANNED_DATA = ("cases", "flows", "campaigns")
SCANNED_FILES = ("practice.yml", "channels.yml", "slogans.yml", "office.yml", "kiosk.yml")


def current(lib: Library, rule_id: str, day: dt.date) -> Rule | None:
    """The entry of ``rule_id`` valid on ``day``."""
    for rule in lib.rules.get(rule_id, []):
        if rule.valid_on(day):
            return rule
    return None


def resolve(ctx: Context, rule_id: str, line: int, day: dt.date) -> Rule:
    if rule_id not in ctx.lib.rules:
        close = [r for r in ctx.lib.rules if r.split("-")[0] == rule_id.split("-")[0]]
        raise PufaError(
            ctx.file,
            f"unknown rule [[rule:{rule_id}]]",
            line=line,
            fix=f"use an id from data/rules.yml{', e.g. ' + ', '.join(close[:4]) if close else ''}",
        )
    rule = current(ctx.lib, rule_id, day)
    if rule is None:
        raise PufaError(
            ctx.file,
            f"rule '{rule_id}' has no entry valid on {day}",
            line=line,
            fix="add the version in force today to data/rules.yml (valid_from / valid_to)",
        )
    return rule


def plain(lib: Library, text: str, day: dt.date) -> str:
    """``text`` with each [[rule:id]] as its bare figure, for places that cannot hold a link."""

    def figure(match: re.Match[str]) -> str:
        rule = RULE_SHORTCODE.match(match.group(0)[2:-2])
        found = current(lib, rule.group("id"), day) if rule else None
        return found.figure.text if found else match.group(0)

    return SHORTCODES.sub(figure, text)


def rule_link(ctx: Context, rule: Rule) -> str:
    """The figure, linked to the quoted article it rests on; the title names rule and basis."""
    citation = parse_citation(ctx.lib, rule.citations[0])
    assert citation is not None  # check_rules proved every citation
    href = ctx.link(f"{statute_page(citation.statute.slug)}#art-{citation.article}")
    title = f"{rule.name}：自{rule.runs_from}起计算（{citation.label}）"
    title = title.replace('"', "'")
    return f'[{rule.figure.text}]({href}){{ .pufa-rule title="{title}" }}'


def check_rules(lib: Library, day: dt.date) -> list[PufaError]:
    """Every citation names a quoted article; versions of one id never overlap; today has one."""
    errors: list[PufaError] = []
    file = "data/rules.yml"
    for rule_id, versions in lib.rules.items():
        line = lib.rule_lines.get(rule_id)
        for rule in versions:
            for j, text in enumerate(rule.citations):
                citation = parse_citation(lib, text)
                if citation is None or lib.excerpt(citation.statute.slug, citation.article) is None:
                    errors.append(
                        PufaError(
                            file,
                            f"rule '{rule_id}': citation '{text}' is not a quoted excerpt",
                            line=line,
                            key=f"{rule_id}.citations[{j}]",
                            fix="cite 名称第N条 of an article quoted in data/excerpts/<slug>.yml",
                        )
                    )
            if rule.extension and rule.extension not in lib.rules:
                errors.append(
                    PufaError(
                        file,
                        f"rule '{rule_id}': unknown extension rule '{rule.extension}'",
                        line=line,
                        key=f"{rule_id}.extension",
                        fix="name the id of another rule in this file",
                    )
                )
        ordered = sorted(versions, key=lambda r: r.valid_from)
        for a, b in zip(ordered, ordered[1:], strict=False):
            if a.valid_to is None or a.valid_to >= b.valid_from:
                errors.append(
                    PufaError(
                        file,
                        f"rule '{rule_id}': versions from {a.valid_from} and "
                        f"{b.valid_from} overlap",
                        line=line,
                        key=f"{rule_id}.valid_to",
                        fix="end the older version (valid_to) before the newer one starts",
                    )
                )
        if current(lib, rule_id, day) is None:
            errors.append(
                PufaError(
                    file,
                    f"rule '{rule_id}' has no version valid on {day}",
                    line=line,
                    key=f"{rule_id}.valid_from",
                    fix="add the version in force today",
                )
            )
    return errors


def process_stages(lib: Library, process: str, day: dt.date) -> list[Rule]:
    """The rules of one process (e.g. petition) valid on ``day``, in register order."""
    out = []
    for rule_id in lib.rules:
        rule = current(lib, rule_id, day)
        if rule is not None and rule.process == process:
            out.append(rule)
    return out


# --- figures written by hand -----------------------------------------------------------------


def spellings(rule: Rule) -> list[str]:
    """How a figure is written in prose: 15日, 15天, 十五日, 十五天; 2年, 两年; 6个月, 半年."""
    value, unit = rule.figure.value, rule.figure.unit
    numbers = [str(value), to_chinese(value)]
    if value == 2:
        numbers.append("两")
    units = [unit, "天"] if unit == "日" else [unit]
    out = [f"{n}{u}" for n in numbers for u in units]
    out += [f"{n} {u}" for n in numbers[:1] for u in units]
    if unit == "个月" and value == 6:
        out.append("半年")
    return out


@dataclass(frozen=True)
class HandWritten:
    file: str
    line: int
    text: str
    rule_ids: tuple[str, ...]

    def __str__(self) -> str:
        ids = " or ".join(f"[[rule:{r}]]" for r in self.rule_ids)
        return (
            f"{self.file}:{self.line}: '{self.text}' states a registered figure by hand; use {ids}"
        )


# A digit or numeral right before a figure would make it another number (115日).
_NUMBER_CHARS = "0123456789零一二三四五六七八九十百千两"
_NOT_AFTER_NUMBER = f"(?<![{_NUMBER_CHARS}])"


@dataclass(frozen=True)
class FigureMatchers:
    rules: list[tuple[Rule, re.Pattern[str], list[str]]]
    # Every rule's spellings at once, without the look-behind: a pattern that starts with one
    # is tried at every position (8 times slower on our pages), so any_figure checks it itself.
    spelled: re.Pattern[str]

    def any_figure(self, text: str) -> bool:
        """Whether some rule's pattern finds a figure in ``text`` (most sentences have none)."""
        pos = 0
        while (match := self.spelled.search(text, pos)) is not None:
            start = match.start()
            if start == 0 or text[start - 1] not in _NUMBER_CHARS:
                return True
            pos = start + 1  # the look-behind fails here for every spelling: try further on
        return False


def figure_matchers(lib: Library, day: dt.date) -> FigureMatchers:
    """The compiled figures of every rule in force on ``day``, for find_hand_written."""
    rules = []
    every: set[str] = set()
    for rule_id in lib.rules:
        rule = current(lib, rule_id, day)
        if rule is None:
            continue
        names = spellings(rule)
        every.update(names)
        pattern = re.compile(
            _NOT_AFTER_NUMBER + "(?:" + "|".join(re.escape(s) for s in names) + ")"
        )
        rules.append((rule, pattern, rule.terms))
    union = "|".join(re.escape(s) for s in sorted(every))
    return FigureMatchers(rules, re.compile(union or "(?!)"))


def find_hand_written(
    lib: Library, text: str, file: str, day: dt.date, matchers: FigureMatchers | None = None
) -> Iterator[HandWritten]:
    """Registered figures (deadlines, amounts) a text states by hand instead of by shortcode.
    ``matchers``: compiled once for many texts by hand_written_figures."""
    matchers = matchers or figure_matchers(lib, day)
    lines = text.splitlines()
    # Front matter is plain text shown in navigation and search (title, asks), where a shortcode
    # cannot render; of it only the one-sentence answer, which is expanded, is checked.
    body_from = 0
    if lines and lines[0] == "---" and "---" in lines[1:]:
        body_from = lines.index("---", 1) + 1
    for lineno, raw in enumerate(lines, start=1):
        if lineno <= body_from and not raw.startswith("answer:"):
            continue
        for raw_sentence in SENTENCE_END.split(raw):
            sentence = TITLES.sub(" ", SHORTCODES.sub(" ", raw_sentence))
            if not matchers.any_figure(sentence):
                continue
            # The articles a sentence cites count as its terms: "一年内申请（[[…第27条]]）".
            cited = [c[2:-2].lstrip("> ").strip() for c in SHORTCODES.findall(raw_sentence)]
            hits: dict[str, list[str]] = {}
            for rule, pattern, terms in matchers.rules:
                match = pattern.search(sentence)
                if match and (
                    any(term in sentence for term in terms) or _cites(cited, rule.citations)
                ):
                    hits.setdefault(match.group(0), []).append(rule.id)
            for figure, ids in hits.items():
                yield HandWritten(file, lineno, _snippet(sentence, figure), tuple(ids))


def _cites(cited: list[str], citations: list[str]) -> bool:
    """Whether a citation in the sentence is one of the rule's articles (or a paragraph of it)."""
    return any(c == r or c.startswith(r + "第") for c in cited for r in citations)


def _snippet(sentence: str, figure: str, width: int = 18) -> str:
    i = sentence.find(figure)
    return sentence[max(0, i - width) : i + len(figure) + 4].strip()


def scanned_files(root: Path, *, docs: bool = True) -> Iterator[Path]:
    if docs:
        yield from sorted((root / "docs").rglob("*.md"))
    data = root / "data"
    for folder in SCANNED_DATA:
        yield from sorted((data / folder).glob("*.yml"))
    for name in SCANNED_FILES:
        if (data / name).is_file():
            yield data / name


def repealed_pages(lib: Library) -> set[str]:
    """A repealed statute's page describes that statute's own figures, as history: not
    scanned."""
    return {f"docs/{statute_page(s.slug)}" for s in lib.statutes.values() if s.status == "已废止"}


def hand_written_figures(
    lib: Library, day: dt.date, *, docs: bool = True, matchers: FigureMatchers | None = None
) -> list[HandWritten]:
    """Registered figures written by hand in the pages (``docs``) and the data files."""
    out: list[HandWritten] = []
    history = repealed_pages(lib)
    matchers = matchers or figure_matchers(lib, day)
    for path in scanned_files(lib.root, docs=docs):
        rel = path.relative_to(lib.root).as_posix()
        if rel in history:
            continue
        text = path.read_text(encoding="utf-8")
        out.extend(find_hand_written(lib, text, rel, day, matchers))
    return out
