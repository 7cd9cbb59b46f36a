"""Money out and money back, month by month, and the most a patient is ever out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..money import ZERO
from .claims import Claim
from .schedule import Charge, add_months


@dataclass(frozen=True, slots=True)
class CashflowMonth:
    """One calendar month: paid to the clinic, reimbursed, and the running net outlay."""

    month: str  # "2027-01"
    paid: Decimal
    reimbursed: Decimal
    cumulative: Decimal


def _month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def cashflow(
    charges: Sequence[Charge], claims: Sequence[Claim], start: dt.date, end: dt.date
) -> list[CashflowMonth]:
    """Return every month from the start through the last payment or reimbursement."""
    paid: dict[str, Decimal] = {}
    back: dict[str, Decimal] = {}
    last = max(start, end - dt.timedelta(days=1))
    for charge in charges:
        key = _month_key(charge.date)
        paid[key] = paid.get(key, ZERO) + charge.amount
    for claim in claims:
        if claim.reimbursed:
            key = _month_key(claim.reimbursed_on)
            back[key] = back.get(key, ZERO) + claim.reimbursed
            last = max(last, claim.reimbursed_on)
    months = []
    cumulative = ZERO
    month = start.replace(day=1)
    while month <= last:
        key = _month_key(month)
        out, returned = paid.get(key, ZERO), back.get(key, ZERO)
        cumulative += out - returned
        months.append(CashflowMonth(key, out, returned, cumulative))
        month = add_months(month, 1)
    return months


def peak_outlay(charges: Sequence[Charge], claims: Sequence[Claim]) -> Decimal:
    """Return the most the patient is out of pocket at the end of any day."""
    flows: dict[dt.date, Decimal] = {}
    for charge in charges:
        flows[charge.date] = flows.get(charge.date, ZERO) + charge.amount
    for claim in claims:
        if claim.reimbursed:
            flows[claim.reimbursed_on] = flows.get(claim.reimbursed_on, ZERO) - claim.reimbursed
    peak = running = ZERO
    for day in sorted(flows):
        running += flows[day]
        peak = max(peak, running)
    return peak
