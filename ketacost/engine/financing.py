"""Paying for the induction series with an instalment loan or a medical credit card.

Payments follow the standard amortization: a fixed payment P·r / (1 − (1 + r)^−n),
r = apr / 12, rounded half-up to cents; each month's interest is the balance
× r, rounded half-up to cents; the last payment is whatever is left, so the
payments sum to the principal plus the interest exactly.

A deferred-interest promotion ("no interest if paid in full in 12 months") has
two branches: paid off in time, at 0%; and not, where the last instalment is
missed and the interest at ``apr`` on each month's balance since the first day
is charged when the promotion ends.

The terms arrive typed (``FinanceTerms``); text such as ``12@9.99%`` is read
at the edge (the command line), and errors here name the fields.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from ..errors import InputError
from ..money import ZERO, round_cents
from .horizon import MAX_MONTHS, add_months

Lender = Literal["card", "loan", "clinic"]


@dataclass(frozen=True, slots=True)
class FinanceTerms:
    """A loan offer: how many monthly payments, at what APR, after what down payment.

    ``lender`` says who is paid over time: ``"card"`` (a credit card, such as a
    medical card with a deferred-interest promotion) or ``"loan"`` (a
    third-party medical loan), either of which pays the clinic in full on the
    session date; or ``"clinic"`` (the clinic's own payment plan, paid in
    instalments). It decides the year a payment counts in for tax, never the
    amounts (docs/tax.md).
    """

    name: str
    months: int
    apr: Decimal  # a fraction: 0.0999 for 9.99%
    down_payment: Decimal = ZERO
    deferred_interest: bool = False  # 0% if paid in full within ``months``, else ``apr``
    lender: Lender = "card"

    def __post_init__(self) -> None:
        problems = []
        if not 1 <= self.months <= MAX_MONTHS:
            problems.append(("months", f"{self.months} is outside 1–{MAX_MONTHS}"))
        if not 0 <= self.apr <= 1:
            problems.append(("apr", f"{self.apr} is not a fraction from 0 to 1 (0.0999 is 9.99%)"))
        if self.down_payment < 0:
            problems.append(("down_payment", f"{self.down_payment} is negative"))
        if self.lender not in ("card", "loan", "clinic"):
            problems.append(("lender", f"{self.lender!r} is not 'card', 'loan' or 'clinic'"))
        if problems:
            field, message = problems[0]
            raise InputError.single(f"financing {field}", message, "see FinanceTerms")


@dataclass(frozen=True, slots=True)
class Payment:
    """One payment on the loan, split into the interest and the principal it pays."""

    date: dt.date
    amount: Decimal
    interest: Decimal

    @property
    def principal(self) -> Decimal:
        """The part of the payment that repays what was financed (or the down payment)."""
        return self.amount - self.interest


@dataclass(frozen=True, slots=True)
class MissedPromotion:
    """A deferred-interest promotion not paid off in time: the last instalment is missed."""

    ends: dt.date  # the promotion's last day: the missed instalment's due date
    interest: Decimal  # back-charged at ``ends``: apr on each month's balance since day one
    schedule: tuple[Payment, ...]  # the instalments paid, then the balance and the interest

    @property
    def total_paid(self) -> Decimal:
        """Everything paid in this branch, the down payment included."""
        return sum((p.amount for p in self.schedule), ZERO)

    @property
    def payments(self) -> tuple[tuple[dt.date, Decimal], ...]:
        """The dated amounts, for the cash flow."""
        return tuple((p.date, p.amount) for p in self.schedule)


@dataclass(frozen=True, slots=True)
class Financing:
    """What a financed amount costs: the payment, the interest and every dated payment."""

    terms: FinanceTerms
    principal: Decimal
    down_payment: Decimal
    monthly_payment: Decimal  # the fixed payment; the last one may differ by the rounding
    schedule: tuple[Payment, ...]  # the down payment (if any), then each monthly payment
    missed: MissedPromotion | None = None  # deferred interest: the branch not paid in time

    @property
    def total_interest(self) -> Decimal:
        """The interest in the payments: they sum to principal + interest exactly."""
        return sum((p.interest for p in self.schedule), ZERO)

    @property
    def total_paid(self) -> Decimal:
        """The down payment and every monthly payment."""
        return sum((p.amount for p in self.schedule), ZERO)

    @property
    def instalments(self) -> tuple[Payment, ...]:
        """The monthly payments, without the down payment."""
        return self.schedule[1:] if self.down_payment > 0 else self.schedule

    @property
    def last_payment(self) -> Decimal:
        """The final monthly payment, which absorbs the rounding of the others."""
        return self.instalments[-1].amount if self.instalments else ZERO

    @property
    def payments(self) -> tuple[tuple[dt.date, Decimal], ...]:
        """The dated amounts, for the cash flow."""
        return tuple((p.date, p.amount) for p in self.schedule)

    @property
    def deferred_interest_risk(self) -> Decimal | None:
        """The interest charged if a promotion is not paid off in time, else None."""
        return None if self.missed is None else self.missed.interest


def monthly_payment(principal: Decimal, apr: Decimal, months: int) -> Decimal:
    """Return the fixed monthly payment that repays ``principal`` at ``apr`` in ``months``.

    The standard amortization formula P·r / (1 − (1 + r)^−n) with r = apr / 12,
    rounded half-up to cents; at 0% APR it is principal / months, rounded likewise.
    It is worked out in exact fractions, so a payment of exactly half a cent more
    (301.50 over 2 months at 12%: 153.015) rounds up as the rule says.
    """
    if months < 1:
        raise ValueError(f"a loan needs at least one payment, got {months} months")
    if apr < 0:
        raise ValueError(f"APR {apr} is negative")
    rate = Fraction(apr) / 12
    if rate == 0:
        exact = Fraction(principal) / months
    else:
        growth = (1 + rate) ** months
        exact = Fraction(principal) * rate * growth / (growth - 1)
    cents = math.floor(abs(exact) * 100 + Fraction(1, 2))  # half-up: away from zero
    return Decimal(cents if exact >= 0 else -cents).scaleb(-2)


def amortize(
    principal: Decimal, apr: Decimal, months: int, first_session: dt.date
) -> tuple[Payment, ...]:
    """Return the monthly payments that repay ``principal``, the last absorbing the rounding.

    Payment k falls k calendar months after ``first_session`` (clamped to the
    month's end). Each month's interest is the balance × apr / 12, rounded
    half-up to cents; no payment is larger than what is owed, and the last one
    clears the balance, so the payments sum to principal + interest exactly.
    """
    payment = monthly_payment(principal, apr, months)
    balance = principal
    schedule = []
    for month in range(1, months + 1):
        if balance <= 0:
            break
        # balance × apr is exact, and so is its twelfth when it ends in a half cent
        interest = round_cents(balance * apr / 12)
        owed = balance + interest
        amount = owed if month == months else min(payment, owed)
        if amount > 0:  # a payment rounded to $0.00 is no payment
            schedule.append(Payment(add_months(first_session, month), amount, interest))
        balance = owed - amount
    return tuple(schedule)


def back_charged_interest(
    principal: Decimal, apr: Decimal, instalments: tuple[Payment, ...]
) -> Decimal:
    """Return the deferred interest: apr / 12 on each month's balance since the first day.

    Month k's balance is the principal less the instalments paid before it;
    each month's interest is rounded half-up to cents, as a statement would.
    """
    balance = principal
    interest = ZERO
    for payment in instalments:
        interest += round_cents(balance * apr / 12)  # exact at a half cent, as in amortize
        balance -= payment.principal
    return interest


def finance(amount: Decimal, first_session: dt.date, terms: FinanceTerms) -> Financing:
    """Return the cost and payment dates of financing ``amount`` from ``first_session``.

    The down payment is paid on the first session; it may not be more than
    ``amount``. The monthly payments fall on the same day of each following
    month, clamped to the month's end (Jan 31 → Feb 28 → Mar 31).
    """
    if terms.down_payment > amount:
        raise InputError.single(
            "financing down_payment",
            f"the down payment {terms.down_payment:,.2f} is more than the {amount:,.2f}"
            " being financed (the series)",
            "give a down payment up to the series price, or pay the series without financing",
        )
    down = terms.down_payment
    principal = amount - down
    opening = (Payment(first_session, down, ZERO),) if down > 0 else ()
    priced_apr = ZERO if terms.deferred_interest else terms.apr
    instalments = amortize(principal, priced_apr, terms.months, first_session)
    missed = None
    if terms.deferred_interest and instalments:
        paid, last = instalments[:-1], instalments[-1]
        interest = back_charged_interest(principal, terms.apr, instalments)
        missed = MissedPromotion(
            ends=last.date,
            interest=interest,
            schedule=opening + paid + (Payment(last.date, last.amount + interest, interest),),
        )
    return Financing(
        terms=terms,
        principal=principal,
        down_payment=down,
        monthly_payment=instalments[0].amount if instalments else ZERO,
        schedule=opening + instalments,
        missed=missed,
    )
