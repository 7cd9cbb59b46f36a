"""One calendar year's medical expenses from a ledger, for a tax return (docs/records.md).

What the ledger records is sorted by the rules of docs/tax.md: money counts in
the year it is paid (a card or a loan pays the clinic on the day of the
entry); money paid from an HSA or FSA is not deducted again; a reimbursement
of this year's expense lowers this year's expenses, one of an earlier year's
is income up to the deduction it cut; the year's visits are trips at the
medical mileage rate. The figures and the itemizing comparison come from
``tax.tax_years``, the estimate's own tax rules: nothing is worked out twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from ..model.ledger import ExtraCharge, Ledger, Received, Visit
from ..money import ZERO, round_cents
from .tax import Refund, TaxTerms, TaxYear, tax_years

TAX_FREE = ("hsa", "fsa")


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of the year and the ledger entries (indexes) behind it."""

    amount: Decimal = ZERO
    entries: tuple[int, ...] = ()

    def plus(self, amount: Decimal, entry: int) -> Figure:
        """Return the figure with one more entry's amount added."""
        return Figure(self.amount + amount, (*self.entries, entry))


@dataclass(frozen=True, slots=True)
class ToReturn:
    """A reimbursement of an expense paid from an HSA or FSA: it goes back into the account."""

    entry: int
    amount: Decimal
    account: str  # hsa or fsa
    by: dt.date | None  # HSA: April 15 of the year after it arrived; FSA: its administrator says


@dataclass(frozen=True, slots=True)
class Trip:
    """A visit's round trip to the clinic and the mileage it adds to the year."""

    entry: int
    miles: Decimal  # there and back
    amount: Decimal


@dataclass(frozen=True, slots=True)
class LedgerTaxYear:
    """A year's medical expenses from a ledger, each figure with its entries."""

    year: int
    paid: Figure  # visits and charges paid in the year, not from an HSA or FSA
    tax_free: Figure  # paid in the year from an HSA or FSA
    reimbursed: Figure  # all money received in the year
    same_year: Figure  # received for this year's expenses: lowers them
    earlier: Figure  # received for an earlier year's expenses: income up to that deduction
    to_return: tuple[ToReturn, ...]  # received for expenses paid from an HSA or FSA
    visits: Figure  # the year's visits: trips to the clinic
    trips: tuple[Trip, ...]  # the year's mileage, visit by visit; none when it is 0
    figures: TaxYear  # expenses, mileage, floor, deduction, itemizing: tax.tax_years's
    terms: TaxTerms
    unplaced: tuple[int, ...] = field(default=())  # received for a visit not logged


def ledger_tax_year(ledger: Ledger, year: int, terms: TaxTerms) -> LedgerTaxYear:
    """Return ``year``'s medical expenses, reimbursements and deduction from ``ledger``."""
    spent: dict[str, tuple[dt.date, str]] = {}  # label → (first day paid, how)
    payments: list[tuple[dt.date, Decimal]] = []
    visit_days: list[dt.date] = []
    paid, tax_free, visits = Figure(), Figure(), Figure()
    for index, entry in ledger.dated():
        if not isinstance(entry, (Visit, ExtraCharge)):
            continue
        amount = entry.paid if isinstance(entry, Visit) else entry.amount
        label = _key(entry.visit if isinstance(entry, Visit) else entry.charge)
        spent.setdefault(label, (entry.date, entry.paid_with))
        free = entry.paid_with in TAX_FREE
        # every visit is listed, with nothing paid when the money came from an HSA or
        # FSA, so that a year of visits counts its trips even when nothing else counts
        payments.append((entry.date, ZERO if free else amount))
        if isinstance(entry, Visit):
            visit_days.append(entry.date)
        if entry.date.year != year:
            continue
        if isinstance(entry, Visit):
            visits = visits.plus(Decimal(1), index)
        if free:
            tax_free = tax_free.plus(amount, index)
        elif amount:
            paid = paid.plus(amount, index)
    refunds = []
    reimbursed, same_year, earlier = Figure(), Figure(), Figure()
    to_return, unplaced = [], []
    for index, entry in ledger.dated():
        if not isinstance(entry, Received):
            continue
        places = [spent.get(_key(label)) for label in entry.for_]
        known = [place for place in places if place is not None]
        expense_day = min((day for day, _ in known), default=entry.date)
        accounts = {how for _, how in known}
        from_account = bool(known) and accounts <= set(TAX_FREE)
        if not from_account:
            refunds.append(Refund(expense_day, entry.date, entry.received))
        if entry.date.year != year:
            continue
        reimbursed = reimbursed.plus(entry.received, index)
        if len(known) < len(places):
            unplaced.append(index)
        if from_account:
            account = "hsa" if "hsa" in accounts else "fsa"
            by = dt.date(year + 1, 4, 15) if account == "hsa" else None
            to_return.append(ToReturn(index, entry.received, account, by))
        elif expense_day.year == year:
            same_year = same_year.plus(entry.received, index)
        else:
            earlier = earlier.plus(entry.received, index)
    worked = tax_years(terms, payments, refunds, visit_days, whole_return=True)
    figures = next((y for y in worked if y.year == year), None)
    if figures is None:  # nothing paid, visited or received that year
        figures = tax_years(terms, [(dt.date(year, 1, 1), ZERO)], [], [], whole_return=True)[0]
    return LedgerTaxYear(
        year=year,
        paid=paid,
        tax_free=tax_free,
        reimbursed=reimbursed,
        same_year=same_year,
        earlier=earlier,
        to_return=tuple(to_return),
        visits=visits,
        trips=_trips(visits, terms.miles_per_visit, figures.mileage),
        figures=figures,
        terms=terms,
        unplaced=tuple(unplaced),
    )


def _trips(visits: Figure, miles: Decimal, mileage: Decimal) -> tuple[Trip, ...]:
    """Return the year's mileage as the trips behind it, each an equal share.

    Each trip adds the running share rounded to cents less what the trips before it
    added, so the trips add up to the year's mileage to the cent.
    """
    if not mileage:
        return ()
    trips, before = [], ZERO
    for number, index in enumerate(visits.entries, start=1):
        upto = round_cents(mileage * number / len(visits.entries))
        trips.append(Trip(index, miles, upto - before))
        before = upto
    return tuple(trips)


def _key(label: str) -> str:
    """A label as visits are matched: without regard to case or repeated spaces."""
    return " ".join(label.split()).casefold()


def years_of(ledger: Ledger) -> Sequence[int]:
    """Return the calendar years the ledger's entries fall in."""
    return sorted({entry.date.year for entry in ledger.entries})
