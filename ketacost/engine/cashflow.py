"""Money out and money back, month by month, and the most a patient is ever out."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from ..money import ZERO
from .schedule import Charge


class CashflowMonth(NamedTuple):
    """One calendar month: paid to the clinic, reimbursed, and the running net outlay.

    A named tuple rather than a frozen dataclass: as immutable, and an estimate
    makes one per month per scenario, so it is built at tuple speed.
    """

    month: str  # "2027-01"
    paid: Decimal
    reimbursed: Decimal
    cumulative: Decimal


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def paid_by_day(charges: Iterable[Charge]) -> dict[dt.date, Decimal]:
    """Return what is paid to the clinic on each day (the same under every scenario)."""
    paid: dict[dt.date, Decimal] = {}
    on = paid.get
    for charge in charges:
        day = charge.date
        paid[day] = on(day, ZERO) + charge.amount
    return paid


@dataclass(frozen=True, slots=True)
class Outlay:
    """What leaves the patient's pocket, by day and by month."""

    by_day: dict[dt.date, Decimal]
    by_month: dict[int, Decimal]
    total: Decimal
    first_month: int  # the start's month, as year × 12 + month − 1
    last_month: int  # the horizon's last month, or a later loan payment's


def outlay(by_day: dict[dt.date, Decimal], start: dt.date, end: dt.date) -> Outlay:
    """Return the payments summed by month, with the months the cash flow must cover."""
    first = _month_index(start)
    last = max(first, _month_index(end - dt.timedelta(days=1)))
    by_month: dict[int, Decimal] = {}
    total = ZERO
    for day, amount in by_day.items():
        index = day.year * 12 + day.month - 1  # _month_index, inline in this loop
        by_month[index] = by_month.get(index, ZERO) + amount
        total += amount
        if index > last:  # loan payments can run past the horizon
            last = index
    return Outlay(by_day, by_month, total, first, last)


def lowered(paid: Outlay, less: Iterable[tuple[dt.date, Decimal]]) -> Outlay:
    """Return ``paid`` with amounts taken off given days (a scenario's own payments)."""
    by_day = dict(paid.by_day)
    by_month = dict(paid.by_month)
    total = paid.total
    for day, amount in less:
        by_day[day] -= amount
        index = _month_index(day)
        by_month[index] -= amount
        total -= amount
    return Outlay(by_day, by_month, total, paid.first_month, paid.last_month)


@functools.lru_cache(maxsize=256)
def _month_labels(first: int, last: int) -> tuple[str, ...]:
    """Return ``"YYYY-MM"`` for each month index from ``first`` through ``last``."""
    return tuple(f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(first, last + 1))


def cashflow(paid: Outlay, returns: Sequence[tuple[dt.date, Decimal]]) -> list[CashflowMonth]:
    """Return every month from the start through the horizon, the last payment and money back."""
    last = paid.last_month
    back: dict[int, Decimal] = {}
    for day, amount in returns:
        index = day.year * 12 + day.month - 1  # _month_index, inline in this loop
        back[index] = back.get(index, ZERO) + amount
        if index > last:
            last = index
    months = []
    cumulative = ZERO
    spent_in = paid.by_month
    build = tuple.__new__  # a named tuple made from its values, without the keyword machinery
    for index, label in enumerate(_month_labels(paid.first_month, last), paid.first_month):
        if index in spent_in or index in back:
            spent, returned = spent_in.get(index, ZERO), back.get(index, ZERO)
            cumulative += spent - returned
            months.append(build(CashflowMonth, (label, spent, returned, cumulative)))
        else:  # most months move no money, and the running sum stays as it is
            months.append(build(CashflowMonth, (label, ZERO, ZERO, cumulative)))
    return months


def peak_outlay(paid: Outlay, returns: Sequence[tuple[dt.date, Decimal]]) -> Decimal:
    """Return the most the patient is out of pocket at the end of any day."""
    flows = paid.by_day
    if returns:
        flows = dict(flows)
        for day, amount in returns:
            flows[day] = flows.get(day, ZERO) - amount
    peak = running = ZERO
    for day in sorted(flows):
        running += flows[day]
        if running > peak:  # max(peak, running), without the call
            peak = running
    return peak
