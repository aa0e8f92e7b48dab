"""The build's idea of today, fixed by PUFA_TODAY in tests and reproducible builds."""

from __future__ import annotations

import datetime as dt
import os


def fixed_day() -> dt.date | None:
    """The day PUFA_TODAY=YYYY-MM-DD fixes (tests, reproducible builds), or None."""
    fixed = os.environ.get("PUFA_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else None


def today() -> dt.date:
    """Today's date, or the day PUFA_TODAY fixes."""
    return fixed_day() or dt.date.today()


def source_date_epoch() -> str | None:
    """The fixed day as a SOURCE_DATE_EPOCH (that day, 00:00 UTC), the date MkDocs gives the
    sitemap; None when the date is not fixed."""
    day = fixed_day()
    if day is None:
        return None
    return str(int(dt.datetime.combine(day, dt.time(), dt.UTC).timestamp()))
