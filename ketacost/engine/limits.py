"""How much work an estimate asks for, counted from the cadences before any event is made.

A 4 KB profile with a hundred daily boosters over ten years would make
hundreds of thousands of charges and gigabytes of output. The counts here
follow the timeline rules of docs/clinic-format.md exactly, so an estimate is refused
before it starts, naming the item that makes the most charges.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from .horizon import add_months, months_problem
from .schedule import LOZENGE_INTERVAL, weeks_to_days

if TYPE_CHECKING:
    from ..model.clinic import Clinic
    from ..model.plan import Plan

MAX_EVENTS = 20_000  # charges per estimate: a real treatment makes a few hundred at most
MAX_SCENARIOS = 20  # insurance scenarios per plan; each adjudicates every charge again

Where = tuple[str | int, ...]


@dataclass(frozen=True)
class TooMuchWork:
    """Why an estimate is refused: which profile, the item responsible, and a fix."""

    profile: str  # "clinic" or "plan"
    where: Where  # the item's path in that profile, e.g. ("maintenance", 3)
    message: str
    hint: str


def _count_within(days: int, interval: Fraction) -> int:
    """Return how many k ≥ 0 have floor(k × interval) < days: ceil(days / interval)."""
    # ceil(days × den / num) in integers: exact, without building Fractions
    return -(-days * interval.denominator // interval.numerator) if days > 0 else 0


def event_counts(clinic: Clinic, start: dt.date, months: int) -> list[tuple[Where, int]]:
    """Return how many charges each part of the clinic makes over the horizon."""
    span = (add_months(start, months) - start).days
    series = clinic.series
    step = series.interval
    counts: list[tuple[Where, int]] = [
        (("series",), min(series.sessions, _count_within(span, step)))
    ]
    sessions = counts[0][1]
    last_series = (series.sessions - 1) * step.numerator // step.denominator
    for index, item in enumerate(clinic.maintenance):
        interval = item.interval_days(LOZENGE_INTERVAL)
        after = (
            weeks_to_days(item.after_weeks)
            if item.after_weeks is not None
            else math.floor(interval)
        )
        first = last_series + after
        stop = span
        if item.for_weeks is not None:
            stop = min(stop, first + weeks_to_days(item.for_weeks))
        made = _count_within(stop - first, interval)
        if item.count is not None:
            made = min(made, item.count)
        counts.append((("maintenance", index), made))
        if item.kind != "lozenge":
            sessions += made
    for index, fee in enumerate(clinic.fees):
        made = {"once": 1, "month": months, "session": sessions}[fee.per]
        counts.append((("fees", index), made))
    return counts


def too_much_work(
    clinic: Clinic, start: dt.date, months: int, plan: Plan | None = None
) -> TooMuchWork | None:
    """Return why this estimate would be too big to make, or None when it is fine.

    A horizon the months rule refuses (``horizon.months_problem``) is ``estimate``'s own
    error to report.
    """
    if months_problem(months) is not None:
        return None
    return too_many_scenarios(plan) or too_many_charges(clinic, start, months)


def too_many_scenarios(plan: Plan | None) -> TooMuchWork | None:
    """Return why ``plan`` has too many scenarios to weigh, or None."""
    if plan is not None and len(plan.scenarios) > MAX_SCENARIOS:
        return TooMuchWork(
            "plan",
            ("scenarios",),
            f"{len(plan.scenarios)} scenarios, more than the {MAX_SCENARIOS} an estimate weighs",
            "keep the few outcomes that matter, e.g. paid as written, denied, paid late",
        )
    return None


def too_many_charges(clinic: Clinic, start: dt.date, months: int) -> TooMuchWork | None:
    """Return why ``clinic`` would make too many charges over ``months``, or None."""
    if not clinic.maintenance:
        # Without maintenance the series makes at most its sessions, and a fee at
        # most one charge a month or a session: when even that is few, no need to count.
        sessions = clinic.series.sessions
        if sessions + len(clinic.fees) * max(months, sessions) <= MAX_EVENTS:
            return None
    counts = event_counts(clinic, start, months)
    total = sum(made for _, made in counts)
    if total <= MAX_EVENTS:
        return None
    where, most = max(counts, key=lambda entry: entry[1])
    dotted = ".".join(str(part) for part in where)
    return TooMuchWork(
        "clinic",
        where,
        f"this estimate would make {total:,} charges over {months} months, more than"
        f" {MAX_EVENTS:,}; {dotted} alone makes {most:,}",
        "check its cadence, count and for_weeks, or use a shorter horizon (months)",
    )
