"""The estimate's warnings: a series the horizon cuts short, and a stop rule that stops
nothing because the series is over by then."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ketacost.engine.response import ResponseTerms
from ketacost.engine.schedule import Charge, schedule
from ketacost.engine.warnings import estimate_warnings
from ketacost.model.clinic import Clinic

D = Decimal
SERIES = {"sessions": 4, "every_weeks": 1, "first_price": 500, "first_sessions": 1}


def clinic(**more: Any) -> Clinic:
    return Clinic.model_validate(
        {"name": "Weekly", "series": {**SERIES, "later_price": 400}, **more}
    )


def cut(place: Clinic) -> list[Charge]:
    """Two of the four weekly sessions, and a fee, as a horizon ending after week two keeps."""
    events = schedule(place, dt.date(2027, 1, 4), 1)[:2]
    return [*events, Charge(dt.date(2027, 1, 4), "fee", "Intake", D(250), False, "Fees", "Intake")]


def test_a_series_the_horizon_cuts_says_what_is_in_and_what_the_whole_costs() -> None:
    (warning,) = estimate_warnings(clinic(), cut(clinic()), None)
    within = 500 + 400  # the first two sessions; the intake fee is not the series
    full = 500 + 400 * 3
    assert (within, full) == (900, 1700)
    assert "2 of its 4 sessions fall within it" in warning
    assert "so the figures include $900.00 of the series" in warning
    assert "the full series costs $1,700.00" in warning


def test_amounts_in_another_currency_are_named_by_its_code() -> None:
    place = clinic(currency="EUR")
    (warning,) = estimate_warnings(place, cut(place), None)
    assert "EUR 900.00 of the series" in warning and "EUR 1,700.00" in warning
    assert "$" not in warning


def test_a_whole_series_within_the_horizon_needs_no_warning() -> None:
    place = clinic()
    assert estimate_warnings(place, schedule(place, dt.date(2027, 1, 4), 2), None) == ()


def test_a_stop_rule_at_or_past_the_series_stops_nothing_and_says_so() -> None:
    place = clinic()
    whole = schedule(place, dt.date(2027, 1, 4), 2)
    (warning,) = estimate_warnings(place, whole, ResponseTerms(D("0.5"), stop_after=4))
    assert "stop after 4 sessions" in warning and "the series' 4 sessions" in warning
    assert len(estimate_warnings(place, whole, ResponseTerms(D("0.5"), stop_after=5))) == 1
    assert estimate_warnings(place, whole, ResponseTerms(D("0.5"), stop_after=3)) == ()


def test_a_first_price_over_the_whole_series_leaves_the_later_price_unused() -> None:
    """first_sessions at or past the series: every session at the first price, 4 × 500."""
    for first in (4, 9):
        place = Clinic.model_validate(
            {"name": "Weekly", "series": {**SERIES, "first_sessions": first, "later_price": 400}}
        )
        whole = schedule(place, dt.date(2027, 1, 4), 2)
        assert sum((c.amount for c in whole), D(0)) == 4 * 500
        (warning,) = estimate_warnings(place, whole, None)
        assert f"first_sessions ({first}) covers all 4 sessions at the first price" in warning
    place = Clinic.model_validate(
        {"name": "Weekly", "series": {**SERIES, "first_sessions": 3, "later_price": 400}}
    )
    assert estimate_warnings(place, schedule(place, dt.date(2027, 1, 4), 2), None) == ()
