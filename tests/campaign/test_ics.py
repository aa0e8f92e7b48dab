"""The calendar files: valid RFC 5545 (parsed here strictly), stable and reproducible."""

from __future__ import annotations

import datetime as dt

from pufa.campaign.data import load_campaigns
from pufa.campaign.ics import calendar, fold

from ..conftest import ROOT


def parse(data: bytes) -> list[dict]:
    """A strict little parser: CRLF lines, folding, BEGIN/END nesting, one dict per VEVENT."""
    assert data.endswith(b"\r\n")
    raw = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in raw)
    assert all(len(line) <= 75 for line in raw), max(raw, key=len)
    lines: list[str] = []
    for line in raw:
        text = line.decode("utf-8")  # folding never splits a character
        if text.startswith(" "):
            lines[-1] += text[1:]
        else:
            lines.append(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(ln.startswith("PRODID:") for ln in lines)
    events, current, depth = [], None, 0
    for line in lines:
        name, _, value = line.partition(":")
        if name == "BEGIN":
            depth += 1
            if value == "VEVENT":
                current = {}
        elif name == "END":
            depth -= 1
            if value == "VEVENT":
                events.append(current)
                current = None
        elif current is not None:
            key, *params = name.split(";")
            current[key] = (value, params)
    assert depth == 0
    return events


def unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def test_calendar_of_all_campaigns(built, lib) -> None:
    data = (built.out / "calendar.ics").read_bytes()
    events = parse(data)
    specs = load_campaigns(ROOT, lib)
    assert len(events) == len(specs) + sum(len(s.campaign.key_dates) for s in specs)
    uids = [e["UID"][0] for e in events]
    assert len(set(uids)) == len(uids)
    for event in events:
        for key in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert key in event, (key, event)
        assert event["DTSTART"][1] == ["VALUE=DATE"] and event["DTEND"][1] == ["VALUE=DATE"]
        start = dt.datetime.strptime(event["DTSTART"][0], "%Y%m%d").date()
        end = dt.datetime.strptime(event["DTEND"][0], "%Y%m%d").date()
        assert end > start  # DTEND is exclusive for all-day events
        assert event["DTSTAMP"][0].endswith("T000000Z")
    week = next(e for e in events if e["UID"][0].startswith("constitution-week-2026@"))
    assert (week["DTSTART"][0], week["DTEND"][0]) == ("20261201", "20261208")
    assert unescape(week["SUMMARY"][0]) == "2026年宪法宣传周"
    assert "campaigns/constitution-week-2026/" in week["URL"][0]
    day = next(e for e in events if e["UID"][0].startswith("constitution-week-2026-20261204@"))
    assert unescape(day["SUMMARY"][0]) == "第十三个国家宪法日"


def test_calendar_is_reproducible(lib) -> None:
    specs = load_campaigns(ROOT, lib)
    assert calendar(specs, "x") == calendar(list(reversed(specs)), "x")


def test_per_campaign_ics(built) -> None:
    for cid in built.manifests():
        events = parse((built.out / cid / f"{cid}.ics").read_bytes())
        assert events[0]["UID"][0].startswith(f"{cid}@")


def test_folding_keeps_utf8_characters_whole() -> None:
    line = "DESCRIPTION:" + "宪法" * 60
    folded = fold(line).encode("utf-8").split(b"\r\n")
    assert all(len(part) <= 75 for part in folded)
    assert "".join(p.decode("utf-8")[1 if i else 0 :] for i, p in enumerate(folded)) == line
