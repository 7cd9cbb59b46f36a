"""Money out and money back, month by month, and the most a patient is ever out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..money import ZERO
from .schedule import Charge


@dataclass(frozen=True, slots=True)
class CashflowMonth:
    """One calendar month: paid to the clinic, reimbursed, and the running net outlay."""

    month: str  # "2027-01"
    paid: Decimal
    reimbursed: Decimal
    cumulative: Decimal


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def paid_by_day(charges: Iterable[Charge]) -> dict[dt.date, Decimal]:
    """Return what is paid to the clinic on each day (the same under every scenario)."""
    paid: dict[dt.date, Decimal] = {}
    for charge in charges:
        paid[charge.date] = paid.get(charge.date, ZERO) + charge.amount
    return paid


def cashflow(
    paid: Mapping[dt.date, Decimal],
    returns: Sequence[tuple[dt.date, Decimal]],
    start: dt.date,
    end: dt.date,
) -> list[CashflowMonth]:
    """Return every month from the start through the horizon, the last payment and money back."""
    first = _month_index(start)
    last = max(first, _month_index(end - dt.timedelta(days=1)))
    out: dict[int, Decimal] = {}
    for day, amount in paid.items():
        index = _month_index(day)
        out[index] = out.get(index, ZERO) + amount
        last = max(last, index)  # loan payments can run past the horizon
    back: dict[int, Decimal] = {}
    for day, amount in returns:
        index = _month_index(day)
        back[index] = back.get(index, ZERO) + amount
        last = max(last, index)
    months = []
    cumulative = ZERO
    for index in range(first, last + 1):
        spent, returned = out.get(index, ZERO), back.get(index, ZERO)
        cumulative += spent - returned
        year, month = divmod(index, 12)
        months.append(CashflowMonth(f"{year:04d}-{month + 1:02d}", spent, returned, cumulative))
    return months


def peak_outlay(
    paid: Mapping[dt.date, Decimal], returns: Sequence[tuple[dt.date, Decimal]]
) -> Decimal:
    """Return the most the patient is out of pocket at the end of any day."""
    flows = dict(paid)
    for day, amount in returns:
        flows[day] = flows.get(day, ZERO) - amount
    peak = running = ZERO
    for day in sorted(flows):
        running += flows[day]
        peak = max(peak, running)
    return peak
