"""Financing the induction series: amortization, payment dates, --finance parsing.

Expected payments are computed in the test from the closed formula
P·r / (1 − (1 + r)^−n), r = APR / 12, written as P·r·(1 + r)^n / ((1 + r)^n − 1)
so the test does not repeat the module's expression, then rounded half-up to cents.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketacost.engine.financing import FinanceTerms, finance, monthly_payment, parse_finance
from ketacost.errors import InputError

D = Decimal
CENT = D("0.01")
FIRST_SESSION = dt.date(2027, 1, 31)


def closed_form(principal: Decimal, apr: Decimal, months: int) -> Decimal:
    with localcontext() as context:
        context.prec = 34
        rate = apr / 12
        growth = (1 + rate) ** months
        exact = principal * rate * growth / (growth - 1)
    return exact.quantize(CENT, rounding=ROUND_HALF_UP)


def terms(months: int, apr: str, down: str = "0", deferred: bool = False) -> FinanceTerms:
    return FinanceTerms("test", months, D(apr), D(down), deferred)


def test_amortized_payment_matches_the_closed_formula() -> None:
    # $3,900 at 9.99% over 12 months: r = 0.0999 / 12 = 0.008325.
    assert monthly_payment(D("3900"), D("0.0999"), 12) == closed_form(D("3900"), D("0.0999"), 12)
    assert monthly_payment(D("3900"), D("0.0999"), 12) == D("342.85")


@pytest.mark.parametrize(
    ("principal", "apr", "months"),
    [("3900", "0.0999", 12), ("22050", "0.1799", 60), ("1158", "0.2699", 6), ("0.01", "0.35", 120)],
)
def test_amortized_payment_cases(principal: str, apr: str, months: int) -> None:
    assert monthly_payment(D(principal), D(apr), months) == closed_form(
        D(principal), D(apr), months
    )


def test_financing_totals_follow_the_payment() -> None:
    result = finance(D("3900"), FIRST_SESSION, terms(12, "0.0999"))
    assert result.principal == D("3900")
    assert result.monthly_payment == D("342.85")
    assert result.total_interest == D("342.85") * 12 - D("3900")  # 4114.20 − 3900 = 214.20
    assert result.total_interest == D("214.20")
    assert result.total_paid == D("4114.20")
    assert result.deferred_interest_risk is None


def test_zero_apr_is_principal_over_months_rounded_half_up() -> None:
    assert monthly_payment(D("3900"), D("0"), 12) == D("325.00")  # 3900 / 12
    assert monthly_payment(D("1000"), D("0"), 3) == D("333.33")  # 333.333…
    assert monthly_payment(D("0.05"), D("0"), 2) == D("0.03")  # 0.025 rounds half-up
    result = finance(D("3900"), FIRST_SESSION, terms(12, "0"))
    assert result.total_interest == 0
    assert result.total_paid == D("3900")


def test_payments_fall_one_calendar_month_apart_after_the_first_session() -> None:
    result = finance(D("3900"), FIRST_SESSION, terms(14, "0"))
    dates = [day for day, _ in result.payments]
    assert dates == [
        dt.date(2027, 2, 28),
        dt.date(2027, 3, 31),
        dt.date(2027, 4, 30),
        dt.date(2027, 5, 31),
        dt.date(2027, 6, 30),
        dt.date(2027, 7, 31),
        dt.date(2027, 8, 31),
        dt.date(2027, 9, 30),
        dt.date(2027, 10, 31),
        dt.date(2027, 11, 30),
        dt.date(2027, 12, 31),
        dt.date(2028, 1, 31),
        dt.date(2028, 2, 29),  # leap year
        dt.date(2028, 3, 31),
    ]
    assert {amount for _, amount in result.payments} == {D("278.57")}  # 3900 / 14 = 278.571…


def test_down_payment_is_paid_on_the_first_session() -> None:
    result = finance(D("3900"), FIRST_SESSION, terms(12, "0", down="500"))
    assert result.down_payment == D("500")
    assert result.principal == D("3400")  # 3900 − 500
    assert result.payments[0] == (FIRST_SESSION, D("500"))
    assert result.payments[1] == (dt.date(2027, 2, 28), D("283.33"))  # 3400 / 12 = 283.333…
    assert len(result.payments) == 13
    assert result.total_paid == D("500") + D("283.33") * 12  # 3899.96


def test_down_payment_above_the_amount_leaves_nothing_to_finance() -> None:
    result = finance(D("300"), FIRST_SESSION, terms(12, "0.0999", down="500"))
    assert result.principal == 0
    assert result.down_payment == D("300")
    assert result.monthly_payment == 0
    assert result.total_interest == 0
    assert result.total_paid == D("300")
    assert result.payments == ((FIRST_SESSION, D("300")),)


def test_deferred_interest_is_priced_at_zero_with_the_risk_beside_it() -> None:
    result = finance(D("3900"), FIRST_SESSION, terms(12, "0.2699", deferred=True))
    assert result.monthly_payment == D("325.00")  # 3900 / 12
    assert result.total_interest == 0
    assert result.total_paid == D("3900")
    # Not paid in full in time: 26.99% from day one, amortized over the same 12 months.
    missed = closed_form(D("3900"), D("0.2699"), 12)
    assert result.deferred_interest_risk == missed * 12 - D("3900")
    assert result.deferred_interest_risk == D("593.40")  # 374.45 × 12 = 4493.40


@given(
    principal_cents=st.integers(min_value=0, max_value=10_000_000),
    down_cents=st.integers(min_value=0, max_value=1_000_000),
    months=st.integers(min_value=1, max_value=120),
    deferred=st.booleans(),
)
def test_zero_apr_costs_the_principal_up_to_half_a_cent_a_payment(
    principal_cents: int, down_cents: int, months: int, deferred: bool
) -> None:
    # Each payment is principal / months rounded half-up, so it is off by at most
    # half a cent; over ``months`` payments the total is off by at most months × ½¢.
    amount = D(principal_cents + down_cents) / 100
    down = D(down_cents) / 100
    apr = "0.1999" if deferred else "0"
    result = finance(amount, FIRST_SESSION, terms(months, apr, str(down), deferred))
    assert result.principal == amount - down
    assert abs(result.total_interest) <= months * D("0.005")
    assert result.total_paid - result.down_payment == result.principal + result.total_interest
    assert sum(amount for _, amount in result.payments) == result.total_paid
    if principal_cents % months == 0:
        assert result.total_interest == 0


@given(
    principal_cents=st.integers(min_value=1, max_value=10_000_000),
    apr_basis_points=st.integers(min_value=1, max_value=3_600),
    months=st.integers(min_value=1, max_value=120),
)
def test_positive_apr_never_costs_less_than_zero_apr(
    principal_cents: int, apr_basis_points: int, months: int
) -> None:
    principal = D(principal_cents) / 100
    apr = D(apr_basis_points) / 10_000
    assert monthly_payment(principal, apr, months) == closed_form(principal, apr, months)
    assert monthly_payment(principal, apr, months) >= monthly_payment(principal, D(0), months)


@pytest.mark.parametrize(
    ("text", "months", "apr", "down"),
    [
        ("12@9.99%", 12, "0.0999", "0"),
        ("24@0%", 24, "0", "0"),
        ("6@0.0999", 6, "0.0999", "0"),
        ("12@9.99%+500", 12, "0.0999", "500"),
        (" 36 @ 17.99% + $1,200.50 ", 36, "0.1799", "1200.50"),
        ("1@0", 1, "0", "0"),
        ("120@35%", 120, "0.35", "0"),
    ],
)
def test_parse_finance(text: str, months: int, apr: str, down: str) -> None:
    parsed = parse_finance(text)
    assert (parsed.months, parsed.apr, parsed.down_payment) == (months, D(apr), D(down))
    assert parsed.deferred_interest is False


def test_parse_finance_names_the_offer() -> None:
    assert parse_finance("12@9.99%").name == "12 months at 9.99% APR"
    assert parse_finance("6@0.1+500").name == "6 months at 10% APR, $500 down"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "12",
        "12@",
        "@9.99%",
        "twelve@9.99%",
        "0@5%",
        "121@5%",
        "-3@5%",
        "12@abc",
        "12@-5%",
        "12@150%",
        "12@9.99",  # a bare number above 1 most likely meant 9.99%
        "12@9.99%+",
        "12@9.99%+-5",
        "12@9.99%+10.001",
        "12@9.99%+5+5",
        "12.5@9.99%",
    ],
)
def test_parse_finance_refuses_other_forms(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_finance(text)
    (problem,) = caught.value.problems
    assert problem.path == "--finance"
    assert problem.hint is not None and "12@9.99%" in problem.hint
