"""A ledger's tax year, rule by rule, with the figures by hand (docs/records.md, docs/tax.md).

Each visit of the year is one round trip to the clinic; money received for a visit paid
from an HSA or FSA goes back into that account; money received for a label the ledger does
not log is counted in the year it arrived, and said to be so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from ketacost.engine.tax import TaxTerms
from ketacost.engine.taxyear import ledger_tax_year
from ketacost.model.ledger import Ledger

D = Decimal
TERMS = TaxTerms(marginal_rate=D("0.22"))


def ledger(*entries: dict[str, Any]) -> Ledger:
    return Ledger.model_validate(
        {"clinic": "los-angeles-iv", "start": "2026-12-28", "entries": list(entries)}
    )


def test_each_visit_of_the_year_is_one_trip_and_a_charge_is_none() -> None:
    book = ledger(
        {"date": "2026-12-28", "visit": "Session 1", "paid": 750},  # 0: last year
        {"date": "2027-01-04", "visit": "Session 2", "paid": 600},  # 1
        {"date": "2027-01-07", "visit": "Session 3", "paid": 600, "paid_with": "hsa"},  # 2
        {"date": "2027-01-08", "charge": "Lab work", "amount": 120},  # 3: no trip of its own
    )
    year = ledger_tax_year(book, 2027, TERMS)
    assert (year.visits.amount, year.visits.entries) == (2, (1, 2))
    assert (year.paid.amount, year.paid.entries) == (600 + 120, (1, 3))
    assert (year.tax_free.amount, year.tax_free.entries) == (600, (2,))


def test_the_mileage_is_the_years_trips_each_with_its_share() -> None:
    book = ledger(
        {"date": "2026-12-28", "visit": "Session 1", "paid": 750},  # 0: last year
        {"date": "2027-01-04", "visit": "Session 2", "paid": 600},  # 1
        {"date": "2027-01-07", "visit": "Session 3", "paid": 600, "paid_with": "hsa"},  # 2
        {"date": "2027-01-08", "charge": "Lab work", "amount": 120},  # 3: no trip
        {"date": "2027-01-11", "visit": "Session 4", "paid": 600},  # 4
    )
    year = ledger_tax_year(book, 2027, dataclasses.replace(TERMS, miles_per_visit=D(15)))
    # 15 × 0.205 = 3.075 a trip; three trips 9.225, rounded once: 9.23. The running totals
    # 3.075, 6.15, 9.225 round to 3.08, 6.15, 9.23: the trips add 3.08, 3.07, 3.08.
    assert year.figures.mileage == D("9.23")
    assert [(t.entry, t.miles, t.amount) for t in year.trips] == [
        (1, 15, D("3.08")),
        (2, 15, D("6.15") - D("3.08")),
        (4, 15, D("9.23") - D("6.15")),
    ]
    assert ledger_tax_year(book, 2027, TERMS).trips == ()  # no miles: no mileage


def test_a_reimbursement_for_visits_paid_from_an_hsa_and_an_fsa_goes_back() -> None:
    book = ledger(
        {"date": "2027-01-04", "visit": "Session 1", "paid": 600, "paid_with": "hsa"},
        {"date": "2027-01-07", "visit": "Session 2", "paid": 600, "paid_with": "fsa"},
        {"date": "2027-02-10", "received": 300, "for": ["Session 1", "Session 2"]},  # 2
        {"date": "2027-02-11", "received": 100, "for": "Session 2"},  # 3
    )
    year = ledger_tax_year(book, 2027, TERMS)
    both, fsa = year.to_return
    # an HSA's mistaken distribution goes back by April 15 of the year after the money came
    assert (both.entry, both.amount, both.account, both.by) == (
        2,
        300,
        "hsa",
        dt.date(2027 + 1, 4, 15),
    )
    assert (fsa.entry, fsa.amount, fsa.account, fsa.by) == (3, 100, "fsa", None)
    assert year.same_year.amount == 0 and year.earlier.amount == 0  # nothing lowers expenses
    assert year.reimbursed.amount == 300 + 100


def test_money_for_a_visit_not_logged_is_said_to_be_unplaced_and_only_then() -> None:
    book = ledger(
        {"date": "2027-01-04", "visit": "Session 1", "paid": 600},
        {"date": "2027-02-10", "received": 200, "for": "Session 1"},  # 1: placed
        {"date": "2027-02-11", "received": 50, "for": ["Session 1", "Session 9"]},  # 2
        {"date": "2027-02-12", "received": 40, "for": "Session 8"},  # 3: nothing known
    )
    year = ledger_tax_year(book, 2027, TERMS)
    assert year.unplaced == (2, 3)
    # all three arrived in 2027 for 2027 (or for nothing logged: the year it arrived)
    assert (year.same_year.amount, year.same_year.entries) == (200 + 50 + 40, (1, 2, 3))
    assert year.to_return == ()
    assert year.figures.expenses == 600 - (200 + 50 + 40)


def test_a_years_figures_cannot_be_changed_afterwards() -> None:
    book = ledger(
        {"date": "2027-01-04", "visit": "Session 1", "paid": 600, "paid_with": "hsa"},
        {"date": "2027-02-10", "received": 300, "for": "Session 1"},
    )
    year = ledger_tax_year(book, 2027, TERMS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        year.paid = year.tax_free  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        year.tax_free.amount = D(0)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        year.to_return[0].amount = D(0)  # type: ignore[misc]
