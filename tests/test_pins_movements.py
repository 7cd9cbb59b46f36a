"""A ledger's movements of money, each from where it came to where it went (docs/records.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from ketacost.engine.movements import movements
from ketacost.model.ledger import Ledger

D = Decimal


def ledger(*entries: dict[str, Any]) -> Ledger:
    return Ledger.model_validate(
        {"clinic": "los-angeles-iv", "start": "2026-12-28", "entries": list(entries)}
    )


BOOK = ledger(
    {"date": "2026-12-28", "visit": "Session 1", "paid": 750, "paid_with": "card"},  # 0
    {"date": "2027-01-04", "visit": "Session 2", "paid": 0},  # 1: nothing moved
    {"date": "2027-01-05", "charge": "Lab work", "amount": 120, "paid_with": "hsa"},  # 2
    {"date": "2027-01-09", "claim": ["Session 1", "Session 2"]},  # 3: no money
    {"date": "2027-02-10", "received": 210, "for": ["Session 1", "Session 2"]},  # 4
    {"date": "2027-02-11", "received": 40, "for": "Session 2", "from": "program"},  # 5
    {"date": "2027-02-12", "received": 25, "for": "Session 2", "from": "programme"},  # 6
    {"date": "2027-02-13", "received": 0, "for": "Session 1"},  # 7: nothing moved
)


def test_each_payment_moves_money_from_where_it_came_to_where_it_went() -> None:
    moved = [(m.entry, m.kind, m.what, m.amount, m.source, m.target) for m in movements(BOOK)]
    assert moved == [
        (0, "visit", "Session 1", 750, "card", "medical"),
        (2, "charge", "Lab work", 120, "hsa", "medical"),
        (4, "received", "Session 1, Session 2", 210, "plan", "cash"),
        (5, "received", "Session 2", 40, "program", "cash"),
        (6, "received", "Session 2", 25, "program", "cash"),  # either spelling
    ]


def test_one_calendar_year_holds_only_its_own_days() -> None:
    assert [m.date for m in movements(BOOK, 2026)] == [dt.date(2026, 12, 28)]
    assert [m.entry for m in movements(BOOK, 2027)] == [2, 4, 5, 6]
    assert movements(BOOK, 2028) == []


def test_a_movement_cannot_be_changed_afterwards() -> None:
    first = movements(BOOK)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.amount = D(0)  # type: ignore[misc]
    assert {first, movements(BOOK)[0]} == {first}  # a value: equal ones are one
