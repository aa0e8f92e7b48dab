"""The build's idea of today, fixed by PUFA_TODAY in tests and reproducible builds."""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    """Today's date; PUFA_TODAY=YYYY-MM-DD fixes it (tests, reproducible builds)."""
    fixed = os.environ.get("PUFA_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()
