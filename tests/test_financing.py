"""Financing the induction series: amortization, payment dates, deferred interest, --finance.

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

from ketacost.cli.financing import parse_finance
from ketacost.engine.financing import FinanceTerms, finance, monthly_payment
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


def amortization_table(principal: Decimal, apr: Decimal, months: int) -> list[Decimal]:
    """A lender's amortization table, row by row (restates the module's rule: labelled so).

    Each month: interest = balance × r rounded half-up; the payment is the fixed one,
    the last is what is left.
    """
    payment = closed_form(principal, apr, months)
    balance, rows = principal, []
    for month in range(1, months + 1):
        interest = (balance * apr / 12).quantize(CENT, rounding=ROUND_HALF_UP)
        amount = balance + interest if month == months else payment
        rows.append(amount)
        balance = balance + interest - amount
    return rows


def test_financing_totals_follow_the_payments() -> None:
    result = finance(D("3900"), FIRST_SESSION, terms(12, "0.0999"))
    assert result.principal == D("3900")
    assert result.monthly_payment == D("342.85")
    amounts = [p.amount for p in result.schedule]
    assert amounts == amortization_table(D("3900"), D("0.0999"), 12)
    assert amounts[:11] == [D("342.85")] * 11
    # The last payment absorbs the rounding: 342.89, so the payments sum to principal +
    # interest to the cent (342.85 × 11 + 342.89 = 4114.24 = 3900 + 214.24).
    assert result.last_payment == D("342.89")
    assert D("342.85") * 11 + D("342.89") == D("4114.24")
    assert result.total_paid == D("4114.24")
    assert result.total_interest == D("214.24")
    assert sum(amounts) == result.principal + result.total_interest
    assert result.deferred_interest_risk is None and result.missed is None


def test_seven_payments_at_zero_percent_pay_exactly_the_series() -> None:
    # 3900 / 7 = 557.142857… → 557.14 × 6 = 3342.84; the last is 3900 − 3342.84 = 557.16.
    result = finance(D("3900"), FIRST_SESSION, terms(7, "0"))
    amounts = [p.amount for p in result.schedule]
    assert amounts == [D("557.14")] * 6 + [D("557.16")]
    assert sum(amounts) == D("3900.00")
    assert result.total_paid == D("3900.00")
    assert result.total_interest == D("0.00")


def test_eighteen_months_at_14_9_percent_with_400_down_leaves_nothing_unpaid() -> None:
    result = finance(D("3900"), FIRST_SESSION, terms(18, "0.149", down="400"))
    assert result.principal == D("3500")  # 3900 − 400
    assert result.monthly_payment == closed_form(D("3500"), D("0.149"), 18) == D("218.18")
    instalments = [p.amount for p in result.instalments]
    assert instalments == amortization_table(D("3500"), D("0.149"), 18)
    principal_paid = sum(p.principal for p in result.schedule)
    assert principal_paid == D("3900")  # 400 down + 3500 financed: nothing left unpaid
    assert result.total_paid == D("400") + sum(instalments) == D("3900") + result.total_interest


def test_zero_apr_is_principal_over_months_rounded_half_up() -> None:
    assert monthly_payment(D("3900"), D("0"), 12) == D("325.00")  # 3900 / 12
    assert monthly_payment(D("1000"), D("0"), 3) == D("333.33")  # 333.333…
    assert monthly_payment(D("0.05"), D("0"), 2) == D("0.03")  # 0.025 rounds half-up
    result = finance(D("1000"), FIRST_SESSION, terms(3, "0"))
    assert [p.amount for p in result.schedule] == [D("333.33"), D("333.33"), D("333.34")]
    assert result.total_interest == 0
    assert result.total_paid == D("1000")


def test_no_payment_is_more_than_what_is_owed() -> None:
    # $1 over 120 months: 1 / 120 = 0.00833 → 0.01 a month would overpay; 100 payments clear it.
    result = finance(D("1.00"), FIRST_SESSION, terms(120, "0"))
    assert [p.amount for p in result.schedule] == [D("0.01")] * 100
    assert result.total_paid == D("1.00")


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
    # 3900 / 14 = 278.571… → 278.57 × 13 = 3621.41; the last is 3900 − 3621.41 = 278.59.
    assert [amount for _, amount in result.payments] == [D("278.57")] * 13 + [D("278.59")]


def test_down_payment_is_paid_on_the_first_session() -> None:
    result = finance(D("3900"), FIRST_SESSION, terms(12, "0", down="500"))
    assert result.down_payment == D("500")
    assert result.principal == D("3400")  # 3900 − 500
    assert result.payments[0] == (FIRST_SESSION, D("500"))
    assert result.payments[1] == (dt.date(2027, 2, 28), D("283.33"))  # 3400 / 12 = 283.333…
    assert result.payments[-1][1] == D("283.37")  # 3400 − 283.33 × 11 = 283.37
    assert len(result.payments) == 13
    assert result.total_paid == D("3900")


def test_down_payment_equal_to_the_amount_leaves_nothing_to_finance() -> None:
    result = finance(D("300"), FIRST_SESSION, terms(12, "0.0999", down="300"))
    assert result.principal == 0
    assert result.total_interest == 0
    assert result.payments == ((FIRST_SESSION, D("300")),)


def test_down_payment_above_the_amount_is_refused_naming_the_field() -> None:
    with pytest.raises(InputError) as caught:
        finance(D("3900"), FIRST_SESSION, terms(12, "0.05", down="99999"))
    (problem,) = caught.value.problems
    assert "down_payment" in problem.path
    assert "99,999.00" in problem.message and "3,900.00" in problem.message
    assert "--" not in problem.path  # the engine names fields, not flags


def test_a_promotion_not_paid_off_back_charges_interest_from_the_first_day() -> None:
    result = finance(D("3900"), FIRST_SESSION, terms(12, "0.2699", deferred=True))
    # Paid off in time: 0%, 3900 / 12 = 325 a month, no interest.
    assert result.monthly_payment == D("325.00")
    assert result.total_interest == 0
    assert result.total_paid == D("3900")
    # Not paid off: the 12th instalment is missed. Month k's balance is 3900 − 325 × (k − 1)
    # = 325 × (13 − k); interest at 26.99% / 12 on each, rounded to cents per month.
    monthly = [
        (D(325) * (13 - k) * D("0.2699") / 12).quantize(CENT, rounding=ROUND_HALF_UP)
        for k in range(1, 13)
    ]
    assert monthly[0] == D("87.72")  # 3900 × 0.2699 / 12 = 87.7175
    missed = result.missed
    assert missed is not None
    assert missed.interest == sum(monthly) == D("570.18")
    assert result.deferred_interest_risk == missed.interest
    assert missed.ends == dt.date(2028, 1, 31)
    amounts = [p.amount for p in missed.schedule]
    assert amounts == [D("325.00")] * 11 + [D("325.00") + D("570.18")]
    assert missed.total_paid == D("3900") + D("570.18")


def test_financing_terms_name_their_fields() -> None:
    with pytest.raises(InputError) as caught:
        FinanceTerms("x", 0, D("0.05"))
    assert caught.value.problems[0].path == "financing months"
    with pytest.raises(InputError) as caught:
        FinanceTerms("x", 12, D("1.5"))
    assert caught.value.problems[0].path == "financing apr"


@given(
    principal_cents=st.integers(min_value=0, max_value=10_000_000),
    down_cents=st.integers(min_value=0, max_value=1_000_000),
    months=st.integers(min_value=1, max_value=120),
    apr_basis_points=st.sampled_from([0, 1, 999, 1490, 2699, 3600]),
    deferred=st.booleans(),
)
def test_payments_sum_to_principal_plus_interest_exactly(
    principal_cents: int, down_cents: int, months: int, apr_basis_points: int, deferred: bool
) -> None:
    amount = D(principal_cents + down_cents) / 100
    down = D(down_cents) / 100
    apr = str(D(apr_basis_points) / 10_000)
    result = finance(amount, FIRST_SESSION, terms(months, apr, str(down), deferred))
    assert result.principal == amount - down
    assert sum(p.principal for p in result.schedule) == amount  # nothing left unpaid
    assert result.total_paid == amount + result.total_interest
    assert all(p.amount > 0 for p in result.schedule)
    assert len(result.instalments) <= months
    if deferred or apr_basis_points == 0:
        assert result.total_interest == 0
    if result.missed is not None:
        assert result.missed.total_paid == amount + result.missed.interest


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
    assert parsed.lender == "card"


def test_parse_finance_names_the_offer() -> None:
    assert parse_finance("12@9.99%").name == "12 months at 9.99% APR"
    assert parse_finance("6@0.1+500").name == "6 months at 10% APR"


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


def test_apr_bounds_take_100_percent_and_refuse_more() -> None:
    FinanceTerms(name="Edge", months=12, apr=Decimal(1))  # 100% APR is a fraction of 1
    with pytest.raises(InputError):
        FinanceTerms(name="Over", months=12, apr=Decimal("1.01"))


def test_without_a_down_payment_every_payment_is_an_instalment() -> None:
    # $3,900 over 7 months at 0%: six of $557.14 and a last of 3900 − 6 × 557.14 = $557.16
    loan = finance(
        Decimal(3900), dt.date(2027, 1, 4), FinanceTerms(name="7 at 0%", months=7, apr=Decimal(0))
    )
    assert len(loan.instalments) == 7
    assert [p.amount for p in loan.instalments] == [Decimal("557.14")] * 6 + [
        Decimal(3900) - 6 * Decimal("557.14")
    ]
