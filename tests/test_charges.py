"""Charges carry what they are as fields (kind, place, cadence), not only as a label."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from ketacost import Clinic
from ketacost.engine.schedule import schedule

START = dt.date(2027, 1, 4)


def test_series_maintenance_and_fees_are_numbered_by_their_place() -> None:
    clinic = Clinic.model_validate(
        {
            "name": "Numbered",
            "series": {"sessions": 4, "per_week": 2, "first_price": 750, "later_price": 600},
            "maintenance": [{"kind": "booster", "price": 600, "every_weeks": 6}],
            "fees": [{"name": "Membership", "amount": 100, "per": "month"}],
        }
    )
    charges = schedule(clinic, START, 6)
    series = [c for c in charges if c.item == "series"]
    assert [c.index for c in series] == [1, 2, 3, 4]
    assert [c.label for c in series] == ["Session 1", "Session 2", "Session 3", "Session 4"]
    assert {c.cadence for c in series} == {Fraction(7, 2)}  # two a week: every 3.5 days
    boosters = [c for c in charges if c.item == "booster"]
    assert [c.index for c in boosters] == list(range(1, len(boosters) + 1))
    assert {c.cadence for c in boosters} == {Fraction(6 * 7)}
    fees = [c for c in charges if c.item == "fee"]
    assert [c.index for c in fees] == [1, 2, 3, 4, 5, 6]  # one a month over six months
    assert all(c.cadence is None for c in fees)


def test_line_items_are_described_from_the_numbers_not_the_labels() -> None:
    import ketacost

    clinic = Clinic.model_validate(
        {
            "name": "Two prices",
            "series": {"sessions": 6, "first_price": 750, "first_sessions": 2, "later_price": 600},
        }
    )
    (phase,) = ketacost.estimate(clinic, start=START).phases
    assert [line.description for line in phase.lines] == [
        "First sessions 1–2",
        "Later sessions 3–6",
    ]
    assert [line.amount for line in phase.lines] == [750 * 2, 600 * 4]
