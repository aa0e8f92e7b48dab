"""Small SVG pictures generated at build: the petition timeline and bar charts.

Inline SVG: no extra request, sharp on any screen, text stays text (searchable, selectable), and
it needs no JavaScript. Only presentation attributes are used (no style attributes), so a strict
Content-Security-Policy without 'unsafe-inline' styles still renders it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from itertools import count

from ..content.models import Figure

INK = "#1f1f1f"
MUTED = "#555555"
ACCENT = "#b71c1c"
LIGHT = "#f3d9d9"
_ids = count(1)


def reset_ids() -> None:
    """Number pictures from 1 again: ids only need to be unique within a page, and a page then
    reads the same whichever pages were rendered before it (or in another process)."""
    global _ids
    _ids = count(1)


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: int = 14,
    weight: str = "normal",
    fill: str = INK,
    anchor: str = "start",
) -> str:
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size}" font-weight="{weight}" fill="{fill}" '
        f'text-anchor="{anchor}">{escape(text)}</text>'
    )


def _open(width: int, height: int, title: str, desc: str, css: str) -> tuple[str, str]:
    n = next(_ids)
    head = (
        f'<svg class="{css}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="svg{n}-t svg{n}-d" font-family="inherit">'
        f'<title id="svg{n}-t">{escape(title)}</title><desc id="svg{n}-d">{escape(desc)}</desc>'
    )
    return head, "</svg>"


@dataclass(frozen=True)
class Stage:
    """One step of a process on the timeline, with its limit already in words."""

    stage: str
    who: str
    limit: str  # e.g. 60日（可延长至多30日）
    basis: str  # e.g. 第34条


def timeline(stages: Sequence[Stage], *, title: str = "信访事项办理流程和时限") -> str:
    """Vertical timeline (reads well on a narrow phone): one node per stage with its limit."""
    width, step, top = 340, 78, 28
    height = top + step * len(stages)
    desc = "；".join(f"{s.stage}：{s.limit}" for s in stages)
    head, tail = _open(width, height, title, desc, "pufa-timeline")
    parts = [head]
    x = 22
    parts.append(
        f'<line x1="{x}" y1="{top}" x2="{x}" y2="{top + step * (len(stages) - 1)}" '
        f'stroke="{LIGHT}" stroke-width="4"/>'
    )
    for i, s in enumerate(stages):
        y = top + i * step
        parts.append(f'<circle cx="{x}" cy="{y}" r="11" fill="{ACCENT}"/>')
        parts.append(
            _text(x, y + 5, str(i + 1), size=13, weight="bold", fill="#ffffff", anchor="middle")
        )
        parts.append(_text(44, y + 5, s.stage, size=16, weight="bold"))
        parts.append(_text(44, y + 27, f"时限：{s.limit}", size=14, fill=ACCENT))
        basis = f" · 依据{s.basis}" if s.basis else ""
        parts.append(_text(44, y + 47, f"{s.who}{basis}", size=12, fill=MUTED))
    parts.append(tail)
    return "".join(parts)


def bar_chart(figures: Sequence[Figure], *, title: str, unit: str = "件") -> str:
    """Horizontal bars, largest first, value at the end of each bar."""
    width, label_w, row, top = 340, 78, 38, 8
    height = top * 2 + row * len(figures)
    peak = max((f.value for f in figures), default=0) or 1
    bar_max = width - label_w - 64
    desc = "，".join(f"{f.label}{f.value:,}{unit}" for f in figures)
    head, tail = _open(width, height, title, desc, "pufa-chart")
    parts = [head]
    for i, f in enumerate(figures):
        y = top + i * row
        w = max(2.0, bar_max * f.value / peak)
        parts.append(_text(label_w - 8, y + 20, f.label, size=14, anchor="end"))
        parts.append(
            f'<rect x="{label_w}" y="{y + 6}" width="{w:.1f}" height="20" rx="3" fill="{ACCENT}"/>'
        )
        parts.append(_text(label_w + w + 6, y + 21, f"{f.value:,}", size=14, weight="bold"))
    parts.append(tail)
    return "".join(parts)
