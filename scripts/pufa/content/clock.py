"""The build's idea of today, fixed by PUFA_TODAY in tests and reproducible builds."""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    """Today's date; PUFA_TODAY=YYYY-MM-DD fixes it (tests, reproducible builds)."""
    fixed = os.environ.get("PUFA_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


def source_date_epoch() -> str | None:
    """PUFA_TODAY as a SOURCE_DATE_EPOCH (that day, 00:00 UTC), the date MkDocs gives the
    sitemap; None when the date is not fixed."""
    fixed = os.environ.get("PUFA_TODAY")
    if not fixed:
        return None
    midnight = dt.datetime.combine(dt.date.fromisoformat(fixed), dt.time(), dt.UTC)
    return str(int(midnight.timestamp()))
