"""Financing by hand at its edges: a loan of one payment, a payment that rounds to nothing,
a one-dollar down payment, and terms and results that cannot be changed afterwards
(docs/financing.md, "Financing")."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from ketacost.engine.financing import FinanceTerms, Payment, finance, monthly_payment

D = Decimal
FIRST_SESSION = dt.date(2027, 1, 31)


def test_a_loan_of_one_month_is_one_payment_of_principal_and_interest() -> None:
    """docs/financing.md: P·r / (1 − (1 + r)^−n) with n = 1 is P × (1 + r); r = 12% / 12."""
    assert monthly_payment(D(1200), D("0.12"), 1) == 1200 * D("1.01") == D("1212.00")
    found = finance(D(1200), FIRST_SESSION, FinanceTerms("one month", 1, D("0.12")))
    # one payment a month after Jan 31, clamped to Feb 28; interest 1200 × 0.01 = 12
    assert found.schedule == (Payment(dt.date(2027, 2, 28), D("1212.00"), D("12.00")),)
    assert (found.monthly_payment, found.last_payment, found.total_interest) == (1212, 1212, 12)


def test_a_loan_needs_at_least_one_payment() -> None:
    """No number of payments below one can repay anything."""
    with pytest.raises(ValueError, match="at least one payment, got 0 months"):
        monthly_payment(D(100), D(0), 0)


def test_a_payment_rounded_to_nothing_is_no_payment() -> None:
    """docs/financing.md: the fixed payment is rounded half-up to cents; $0.05 over 12 months
    is 0.05 / 12 = $0.0041…, i.e. $0.00, so only the last payment, clearing the balance, is made."""
    found = finance(D("0.05"), FIRST_SESSION, FinanceTerms("tiny", 12, D(0)))
    assert found.schedule == (Payment(dt.date(2028, 1, 31), D("0.05"), D(0)),)
    assert found.total_paid == D("0.05")


def test_a_one_dollar_down_payment_is_paid_at_the_first_session() -> None:
    """docs/financing.md: the down payment is paid at the first session; the rest, 301 − 1 =
    300 at 0% over 3 months, is 100 a month from a month later (Jan 31 → Feb 28 → Mar 31)."""
    found = finance(D(301), FIRST_SESSION, FinanceTerms("down", 3, D(0), down_payment=D(1)))
    assert found.schedule[0] == Payment(FIRST_SESSION, D(1), D(0))
    assert [(p.date, p.amount) for p in found.instalments] == [
        (dt.date(2027, 2, 28), 100),
        (dt.date(2027, 3, 31), 100),
        (dt.date(2027, 4, 30), 100),
    ]
    assert (found.principal, found.monthly_payment, found.total_paid) == (300, 100, 1 + 3 * 100)


def test_terms_and_results_cannot_be_changed_afterwards() -> None:
    """A financing worked out once stays as it was reported."""
    terms = FinanceTerms("promo", 2, D("0.24"), deferred_interest=True)
    found = finance(D(200), FIRST_SESSION, terms)
    assert found.missed is not None
    for thing, field in (
        (terms, "months"),
        (found, "principal"),
        (found.schedule[0], "amount"),
        (found.missed, "interest"),
    ):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(thing, field, D(0))


def test_a_payment_of_exactly_half_a_cent_more_rounds_up() -> None:
    """docs/financing.md: the fixed payment P·r / (1 − (1 + r)^−n) is rounded half-up to cents.
    $301.50 over 2 months at 12%: r = 0.01, P·r·1.01² / (1.01² − 1) = 301.50 × 1.0201 / 2.01
    = 150 × 1.0201 = 153.015 → 153.02; one month on $0.50: 0.50 × 1.01 = 0.505 → 0.51."""
    assert monthly_payment(D("301.50"), D("0.12"), 2) == D("153.02")
    assert monthly_payment(D("0.50"), D("0.12"), 1) == D("0.51")
    assert str(monthly_payment(D(1200), D("0.12"), 1)) == "1212.00"  # always to the cent


def test_a_months_interest_of_exactly_half_a_cent_more_rounds_up() -> None:
    """docs/financing.md: each month's interest is the balance × APR / 12, rounded half-up:
    $600 at 19.99%: 600 × 0.1999 / 12 = 119.94 / 12 = 9.995 → 10.00. Deferred, the back-charged
    interest adds the month after too: 300 × 0.1999 / 12 = 59.97 / 12 = 4.9975 → 5.00."""
    found = finance(D(600), FIRST_SESSION, FinanceTerms("card", 2, D("0.1999")))
    assert found.schedule[0].interest == D("10.00")
    promo = FinanceTerms("promo", 2, D("0.1999"), deferred_interest=True)
    missed = finance(D(600), FIRST_SESSION, promo).missed
    assert missed is not None
    assert missed.schedule[0].amount == 600 / 2  # paid in time at 0%
    assert missed.interest == D("10.00") + D("5.00")
