"""The horizon of an estimate: calendar months from a start day, at most ten years."""

from __future__ import annotations

import calendar
import datetime as dt

MAX_MONTHS = 120  # the one limit on a horizon, for estimates and loans alike


def add_months(day: dt.date, months: int) -> dt.date:
    """Return ``day`` moved by whole calendar months, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
