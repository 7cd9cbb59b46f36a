"""The horizon of an estimate: calendar months from a start day, at most ten years."""

from __future__ import annotations

import calendar
import datetime as dt

from ..errors import Invalid

MAX_MONTHS = 120  # the one limit on a horizon, for estimates and loans alike
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: dt.date, months: int) -> dt.date:
    """Return ``day`` moved by whole calendar months, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    mday = day.day
    if mday > 28:  # every month has the first 28 days
        last = 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month - 1]
        mday = min(mday, last)
    return dt.date(year, month, mday)


def months_problem(months: int) -> Invalid | None:
    """Return why ``months`` cannot be a horizon, or None: the one rule for every horizon.

    The estimate, the sweep's varied ``months`` and the command line's horizon
    all ask here; each adds an example in its own terms to the hint.
    """
    if 1 <= months <= MAX_MONTHS:
        return None
    return Invalid(
        f"the horizon in months must be from 1 to {MAX_MONTHS}, not {months}",
        "use a horizon of at least one month"
        if months < 1
        else "use a horizon of at most ten years",
    )
