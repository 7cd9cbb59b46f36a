"""Every movement of money a ledger records, as a debit and a credit (docs/records.md).

A visit or another charge moves what was paid from where it came from (cash,
card, loan, HSA or FSA, as ``paid_with`` says) to the medical expense; money
received moves from the plan or a savings program (as ``from`` says) to cash.
Each movement names its two sides by kind; the journal gives each kind an
account name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..model.ledger import ExtraCharge, Ledger, Received, Visit

KINDS = ("medical", "cash", "card", "loan", "hsa", "fsa", "plan", "program")
"""The kinds of account a movement names, in the order the journals list them."""


@dataclass(frozen=True, slots=True)
class Movement:
    """Money that moved on one day: ``amount`` from ``source`` to ``target``."""

    date: dt.date
    entry: int  # index of the ledger entry it comes from
    kind: str  # visit, charge or received
    what: str  # the visit or charge, or what the money received was for
    amount: Decimal
    target: str  # a kind of account: medical or cash
    source: str  # cash, card, loan, hsa, fsa, plan or program


def movements(ledger: Ledger, year: int | None = None) -> list[Movement]:
    """Return the ledger's movements of money in date order, of one calendar year if given.

    Entries that moved nothing (a visit with nothing paid that day) are left out.
    """
    found = []
    for index, entry in ledger.dated():
        if year is not None and entry.date.year != year:
            continue
        if isinstance(entry, Visit):
            move = Movement(
                entry.date, index, "visit", entry.visit, entry.paid, "medical", entry.paid_with
            )
        elif isinstance(entry, ExtraCharge):
            move = Movement(
                entry.date, index, "charge", entry.charge, entry.amount, "medical", entry.paid_with
            )
        elif isinstance(entry, Received):
            source = "plan" if entry.from_ == "plan" else "program"
            what = ", ".join(entry.for_)
            move = Movement(entry.date, index, "received", what, entry.received, "cash", source)
        else:
            continue
        if move.amount:
            found.append(move)
    return found
