"""iCalendar (RFC 5545) files of campaigns: all-day events, stable UIDs, fixed DTSTAMPs.

The same data always gives the same bytes, so staff can re-import without duplicates and the
build is reproducible.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from .data import CampaignSpec

PRODID = "-//pufa//campaign calendar//ZH"


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (3.1)."""
    out: list[str] = []
    current = b""
    limit = 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b""
            limit = 74  # continuation lines start with a space
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _host(url: str) -> str:
    return urlsplit(url).hostname or "pufa.local"


def events(spec: CampaignSpec) -> list[list[str]]:
    c = spec.campaign
    host = _host(spec.office.site_url)
    stamp = f"{_date(c.updated)}T000000Z"
    description = "\n".join([c.theme, c.intro, "", *spec.slogans, "", spec.url])
    out = [
        [
            "BEGIN:VEVENT",
            f"UID:{spec.id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_date(c.start)}",
            f"DTEND;VALUE=DATE:{_date(c.end + dt.timedelta(days=1))}",
            f"SUMMARY:{escape(c.title)}",
            f"DESCRIPTION:{escape(description)}",
            f"URL:{spec.url}",
            f"ORGANIZER;CN={escape(spec.office.name)}:{spec.url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    ]
    for k in c.key_dates:
        out.append(
            [
                "BEGIN:VEVENT",
                f"UID:{spec.id}-{_date(k.date)}@{host}",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{_date(k.date)}",
                f"DTEND;VALUE=DATE:{_date(k.date + dt.timedelta(days=1))}",
                f"SUMMARY:{escape(k.name)}",
                f"DESCRIPTION:{escape(c.title + chr(10) + spec.url)}",
                f"URL:{spec.url}",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        )
    return out


def calendar(specs: list[CampaignSpec], name: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for spec in sorted(specs, key=lambda s: (s.campaign.start, s.id)):
        for event in events(spec):
            lines += event
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
