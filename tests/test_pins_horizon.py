"""Moving a day by calendar months, as a horizon and a loan's payments do: the same day of
the month, or the month's last day when it is shorter; February has 29 days in a leap year."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from ketacost.cli import app
from ketacost.engine.horizon import add_months

# The last day of each month of 2027 (not a leap year), written out from the calendar.
LAST_DAYS_2027 = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


@pytest.mark.parametrize("months", range(12))
def test_the_31st_moves_to_each_months_last_day(months: int) -> None:
    assert add_months(dt.date(2027, 1, 31), months) == dt.date(
        2027, 1 + months, LAST_DAYS_2027[months]
    )


@pytest.mark.parametrize("months", range(12))
def test_the_30th_stays_the_30th_except_in_february(months: int) -> None:
    day = 28 if months == 1 else 30
    assert add_months(dt.date(2027, 1, 30), months) == dt.date(2027, 1 + months, day)


def test_the_29th_of_january_in_a_common_year_and_a_leap_year() -> None:
    assert add_months(dt.date(2027, 1, 29), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2028, 1, 29), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    # a leap year changes February only
    assert add_months(dt.date(2028, 1, 31), 2) == dt.date(2028, 3, 31)
    assert add_months(dt.date(2028, 1, 31), 3) == dt.date(2028, 4, 30)
    assert add_months(dt.date(2028, 3, 31), 11) == dt.date(2029, 2, 28)


def test_days_up_to_the_28th_never_move() -> None:
    assert add_months(dt.date(2027, 1, 28), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 3, 4), 0) == dt.date(2027, 3, 4)


def test_months_carry_into_the_next_years_and_back() -> None:
    assert add_months(dt.date(2027, 11, 15), 1) == dt.date(2027, 12, 15)
    assert add_months(dt.date(2027, 11, 15), 2) == dt.date(2028, 1, 15)
    assert add_months(dt.date(2027, 12, 31), 2) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2027, 1, 4), 11 + 12 * 9) == dt.date(2036, 12, 4)
    assert add_months(dt.date(2027, 1, 4), 12 * 10) == dt.date(2037, 1, 4)
    assert add_months(dt.date(2027, 1, 4), -1) == dt.date(2026, 12, 4)
    assert add_months(dt.date(2027, 3, 31), -1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 1, 4), -13) == dt.date(2025, 12, 4)


@pytest.mark.parametrize(("months", "code"), [(10 * 12, 0), (10 * 12 + 1, 2)])
def test_the_longest_horizon_is_ten_years(months: int, code: int) -> None:
    result = CliRunner().invoke(app, ["estimate", "--months", str(months), "-f", "json"])
    assert result.exit_code == code, result.stderr
    if code:
        assert f"from 1 to {10 * 12}, not {months}" in result.stderr
