"""The Spravato savings programme: floor per treatment, cap per calendar year.

Hand arithmetic: a $1,050 drug cost with a $10 floor leaves $1,040 for the
programme; the $7,150 cap covers six of those (6 × 1,040 = 6,240) and
7,150 − 6,240 = 910 of the seventh, then nothing until January 1.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketacost.engine.savings import (
    DEFAULT_ANNUAL_CAP,
    DEFAULT_FLOOR,
    SOURCE,
    SavingsTerms,
    apply_savings,
)

D = Decimal


def weekly(first: dt.date, count: int, cost: str) -> list[tuple[dt.date, Decimal]]:
    return [(first + dt.timedelta(weeks=k), D(cost)) for k in range(count)]


def test_defaults_and_source() -> None:
    assert (D("10"), D("7150")) == (DEFAULT_FLOOR, DEFAULT_ANNUAL_CAP)
    assert SavingsTerms() == SavingsTerms(D("10"), D("7150"))
    for name in ("janssencarepath.com", "spravatohcp.com", "$8,000", "$8,150"):
        assert name in SOURCE


def test_cap_binds_within_the_year_and_resets_on_january_first() -> None:
    # Mondays from 2027-11-01: the seventh is 2027-12-13, the tenth 2028-01-03.
    lines = apply_savings(weekly(dt.date(2027, 11, 1), 11, "1050"), SavingsTerms())
    paid = [line.paid_by_program for line in lines]
    assert paid == [D("1040")] * 6 + [D("910"), D("0"), D("0"), D("1040"), D("1040")]
    assert [line.patient_pays for line in lines] == (
        [D("10")] * 6 + [D("140"), D("1050"), D("1050"), D("10"), D("10")]  # 1050 − 910 = 140
    )
    assert [line.cap_left for line in lines] == [
        D("6110"),  # 7150 − 1040
        D("5070"),
        D("4030"),
        D("2990"),
        D("1950"),
        D("910"),
        D("0"),
        D("0"),
        D("0"),
        D("6110"),  # a new calendar year
        D("5070"),
    ]
    assert sum(paid[:9]) == D("7150")
    assert lines[9].date == dt.date(2028, 1, 3)


def test_floor_above_the_cost_pays_nothing() -> None:
    (line,) = apply_savings([(dt.date(2027, 3, 1), D("8.50"))], SavingsTerms())
    assert line.paid_by_program == 0
    assert line.patient_pays == D("8.50")
    assert line.cap_left == D("7150")


def test_cost_equal_to_the_floor_pays_nothing() -> None:
    (line,) = apply_savings([(dt.date(2027, 3, 1), D("10"))], SavingsTerms())
    assert (line.paid_by_program, line.patient_pays) == (0, D("10"))


def test_other_terms() -> None:
    # A $25 floor and an $8,000 cap: 590 − 25 = 565 a treatment; 14 × 565 = 7,910, 90 left.
    lines = apply_savings(weekly(dt.date(2027, 1, 4), 16, "590"), SavingsTerms(D("25"), D("8000")))
    assert lines[13].cap_left == D("90")
    assert lines[14].paid_by_program == D("90")
    assert lines[14].patient_pays == D("500")  # 590 − 90
    assert lines[15].paid_by_program == 0


def test_terms_and_lines_are_frozen_values() -> None:
    terms = SavingsTerms()
    (line,) = apply_savings([(dt.date(2027, 3, 1), D("100"))], terms)
    with pytest.raises(dataclasses.FrozenInstanceError):
        terms.annual_cap = D("8000")  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        line.paid_by_program = D("0")  # type: ignore[misc]
    assert hash(terms) == hash(SavingsTerms(D("10"), D("7150")))


def test_no_treatments() -> None:
    assert apply_savings([], SavingsTerms()) == []


money = st.integers(min_value=0, max_value=300_000).map(lambda cents: D(cents) / 100)


@given(
    costs=st.lists(
        st.tuples(st.dates(dt.date(2026, 1, 1), dt.date(2029, 12, 31)), money), max_size=80
    ).map(sorted),
    floor=st.integers(min_value=0, max_value=10_000).map(lambda cents: D(cents) / 100),
    cap=st.integers(min_value=0, max_value=1_500_000).map(lambda cents: D(cents) / 100),
)
def test_the_cap_is_never_exceeded_and_the_patient_pays_at_least_the_floor(
    costs: list[tuple[dt.date, Decimal]], floor: Decimal, cap: Decimal
) -> None:
    lines = apply_savings(costs, SavingsTerms(floor, cap))
    assert [(line.date, line.cost) for line in lines] == costs
    per_year: defaultdict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        assert line.paid_by_program >= 0
        assert line.patient_pays >= min(line.cost, floor)
        assert line.paid_by_program + line.patient_pays == line.cost
        per_year[line.date.year] += line.paid_by_program
        assert line.cap_left == cap - per_year[line.date.year]
        assert line.cap_left >= 0
    assert all(total <= cap for total in per_year.values())
