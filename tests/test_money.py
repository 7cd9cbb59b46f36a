"""Exact money and percentages (docs/clinic-format.md rules): ketacost.money, and YAML loading."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ketacost
from ketacost.money import format_money, parse_money, parse_percent, round_cents

# --- parse_money: accepted -------------------------------------------------------


def test_parse_money_int() -> None:
    assert parse_money(600) == Decimal(600)
    assert isinstance(parse_money(600), Decimal)


def test_parse_money_decimal_keeps_cents_exactly() -> None:
    amount = parse_money(Decimal("600.10"))
    assert amount == Decimal("600.10")
    assert str(amount) == "600.10"


def test_parse_money_text_with_dollar_sign_and_thousands_separator() -> None:
    assert parse_money("$1,200.50") == Decimal(1200) + Decimal("0.50")
    assert str(parse_money("$1,200.50")) == "1200.50"


def test_parse_money_plain_text_number() -> None:
    assert parse_money("600") == Decimal(600)
    assert parse_money("0.99") == Decimal(99) / 100


def test_parse_money_zero_is_allowed() -> None:
    assert parse_money(0) == Decimal(0)


# --- parse_money: refused --------------------------------------------------------


@pytest.mark.parametrize("value", [-1, Decimal("-0.01"), "-5", "-$5", "$-5"])
def test_parse_money_rejects_negative(value: object) -> None:
    with pytest.raises(ValueError):
        parse_money(value)


@pytest.mark.parametrize("value", [Decimal("1.234"), "1.234", "$1,200.505"])
def test_parse_money_rejects_three_decimals(value: object) -> None:
    with pytest.raises(ValueError, match="two decimal"):
        parse_money(value)


@pytest.mark.parametrize("value", [True, False])
def test_parse_money_rejects_booleans(value: bool) -> None:
    # bool is a subclass of int: True must not become $1.
    with pytest.raises(ValueError):
        parse_money(value)


@pytest.mark.parametrize("value", [600.0, 600.1, 0.5])
def test_parse_money_rejects_floats(value: float) -> None:
    with pytest.raises(ValueError, match="float"):
        parse_money(value)


@pytest.mark.parametrize("value", ["", "six hundred", "$", "1.2.3", None, [600]])
def test_parse_money_rejects_non_amounts(value: object) -> None:
    with pytest.raises(ValueError):
        parse_money(value)


@given(cents=st.integers(min_value=0, max_value=10**9))
def test_parse_money_text_round_trips_any_cent_amount(cents: int) -> None:
    amount = Decimal(cents) / 100
    text = format_money(amount)
    assert parse_money(text) == amount
    assert parse_money(f"${cents // 100:,}.{cents % 100:02d}") == amount


# --- parse_percent ---------------------------------------------------------------


def test_parse_percent_with_percent_sign() -> None:
    assert parse_percent("40%") == Decimal("0.4")
    assert parse_percent("40%") == Decimal(40) / 100


def test_parse_percent_fraction_kept() -> None:
    assert parse_percent(Decimal("0.40")) == Decimal("0.40")


def test_parse_percent_bounds() -> None:
    assert parse_percent("0%") == Decimal(0)
    assert parse_percent("100%") == Decimal(1)
    assert parse_percent(1) == Decimal(1)
    assert parse_percent("12.5%") == Decimal(125) / 1000


@pytest.mark.parametrize("value", [40, Decimal(40), "40"])
def test_parse_percent_bare_number_above_one_hints_percent_sign(value: object) -> None:
    with pytest.raises(ValueError) as caught:
        parse_percent(value)
    assert "40%" in str(caught.value)


@pytest.mark.parametrize("value", [0.4, True, False, "-10%", Decimal("-0.1"), "140%", "forty"])
def test_parse_percent_rejects(value: object) -> None:
    with pytest.raises(ValueError):
        parse_percent(value)


# --- round_cents -----------------------------------------------------------------


def test_round_cents_half_up() -> None:
    assert round_cents(Decimal("0.125")) == Decimal("0.13")
    assert round_cents(Decimal("0.145")) == Decimal("0.15")  # banker's would give 0.14
    assert round_cents(Decimal("0.124")) == Decimal("0.12")
    assert round_cents(Decimal("2.675")) == Decimal("2.68")  # float 2.675 rounds to 2.67


def test_round_cents_gives_two_places() -> None:
    assert str(round_cents(Decimal(3900))) == "3900.00"
    assert str(round_cents(Decimal("0.4") * 1170)) == "468.00"


@given(tenths_of_cents=st.integers(min_value=0, max_value=10**9))
def test_round_cents_matches_integer_half_up(tenths_of_cents: int) -> None:
    # Half-up on a non-negative amount in thousandths: add 5 thousandths, truncate to cents.
    expected_cents = (tenths_of_cents + 5) // 10
    assert round_cents(Decimal(tenths_of_cents) / 1000) == Decimal(expected_cents) / 100


# --- exactness through YAML ------------------------------------------------------


def test_yaml_decimal_price_loads_exactly(write_yaml) -> None:
    path = write_yaml(
        """
        name: Exact Clinic
        series:
          sessions: 6
          first_price: 750
          later_price: 600.10
        """
    )
    clinic = ketacost.load_clinic(path)
    assert clinic.series.later_price == Decimal("600.10")
    assert str(clinic.series.later_price) == "600.10"
    assert clinic.series.first_price == Decimal(750)


def test_yaml_money_text_and_float_unsafe_values_load_exactly(write_yaml) -> None:
    path = write_yaml(
        """
        name: Exact Clinic
        series:
          sessions: 3
          price: "$1,200.50"
        fees:
          - name: Intake
            amount: 0.10
          - name: Monitoring
            amount: 0.20
            per: session
        """
    )
    clinic = ketacost.load_clinic(path)
    assert clinic.series.price == Decimal(120050) / 100
    # 0.1 + 0.2 is exactly 0.30 in Decimal, never 0.30000000000000004.
    assert clinic.fees[0].amount + clinic.fees[1].amount == Decimal("0.30")


def test_yaml_three_decimal_price_is_an_input_error(write_yaml) -> None:
    path = write_yaml(
        """
        name: Too Precise
        series:
          sessions: 6
          price: 600.105
        """
    )
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.load_clinic(path)
    assert "two decimal" in str(caught.value)


def test_yaml_negative_price_is_an_input_error(write_yaml) -> None:
    path = write_yaml(
        """
        name: Negative
        series:
          sessions: 6
          price: -600
        """
    )
    with pytest.raises(ketacost.InputError, match="negative"):
        ketacost.load_clinic(path)


@given(st.integers(min_value=-(10**9), max_value=10**9), st.integers(min_value=0, max_value=4))
def test_format_money_writes_equal_amounts_alike_whatever_was_written_before(
    units: int, places: int
) -> None:
    """Amounts are written once and then recalled by value: 1.5, 1.50 and 1.500 are all
    "1.50", and recalling never changes a figure (checked against Decimal's own rounding,
    a second method)."""
    amount = Decimal(units).scaleb(-places)
    widened = Decimal(f"{amount}0") if places else Decimal(f"{amount}.0")  # equal, other form
    expected = str(amount.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"))
    assert format_money(amount) == expected
    assert format_money(widened) == expected
    assert format_money(amount) == expected


def test_format_money_keeps_the_sign_of_zero_apart() -> None:
    """Zero and minus zero are equal, but are written as they are: "0.00", "-0.00"."""
    assert [format_money(Decimal(x)) for x in ("0", "-0", "0.00", "-0.00", "0")] == [
        "0.00",
        "-0.00",
        "0.00",
        "-0.00",
        "0.00",
    ]
