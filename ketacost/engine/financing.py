"""Paying for the induction series with an instalment loan or a medical credit card.

``--finance 12@9.99%`` prices the series as a fixed-payment loan: the standard
amortization payment, rounded half-up to cents, paid monthly from one calendar
month after the first session. Deferred-interest promotions ("0% if paid in full
in 12 months") are priced at 0%, with the interest owed if they are not paid in
time shown beside them as a risk rather than hidden.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, localcontext

from ..errors import InputError, split_hint
from ..money import ZERO, parse_money, parse_percent, round_cents
from .horizon import MAX_MONTHS, add_months

_ORIGIN = "--finance"
_HINT = "write MONTHS@APR such as 12@9.99% or 24@0%, with +DOWN for a down payment: 12@9.99%+500"
_FINANCE_TEXT = re.compile(
    r"^\s*(?P<months>[0-9]+)\s*@\s*(?P<apr>[^+]+?)\s*(?:\+\s*(?P<down>[^+]*?)\s*)?$"
)


@dataclass(frozen=True, slots=True)
class FinanceTerms:
    """A loan offer: how many monthly payments, at what APR, after what down payment."""

    name: str
    months: int
    apr: Decimal  # a fraction: 0.0999 for 9.99%
    down_payment: Decimal = ZERO
    deferred_interest: bool = (
        False  # 0% if paid in full within ``months``, else ``apr`` from day one
    )


@dataclass(frozen=True, slots=True)
class Financing:
    """What a financed amount costs: the payment, the interest and every dated payment."""

    terms: FinanceTerms
    principal: Decimal
    down_payment: Decimal
    monthly_payment: Decimal
    total_interest: Decimal  # monthly_payment × months − principal, so off by rounding cents
    total_paid: Decimal  # down_payment + monthly_payment × months
    payments: tuple[tuple[dt.date, Decimal], ...]
    deferred_interest_risk: Decimal | None  # interest owed if a promotion is not paid in time


def _percent_text(apr: Decimal) -> str:
    text = f"{apr * 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_finance(text: str) -> FinanceTerms:
    """Return the terms written as ``MONTHS@APR[+DOWN]`` (``12@9.99%``, ``6@0.0999+500``)."""
    match = _FINANCE_TEXT.match(text)
    if not match:
        raise InputError.single(_ORIGIN, f"cannot read the financing terms {text!r}", _HINT)
    months = int(match.group("months"))
    if not 1 <= months <= MAX_MONTHS:
        raise InputError.single(
            _ORIGIN,
            f"{months} months is outside 1–{MAX_MONTHS}",
            f"use 1 to {MAX_MONTHS} monthly payments, e.g. 12@9.99%",
        )
    try:
        apr = parse_percent(match.group("apr"))
        down = ZERO if match.group("down") is None else parse_money(match.group("down"))
    except ValueError as error:
        message, _ = split_hint(str(error))
        raise InputError.single(_ORIGIN, f"in {text.strip()!r}: {message}", _HINT) from None
    name = f"{months} months at {_percent_text(apr)}% APR"
    if down > 0:
        name += f", ${down} down"
    return FinanceTerms(name=name, months=months, apr=apr, down_payment=down)


def monthly_payment(principal: Decimal, apr: Decimal, months: int) -> Decimal:
    """Return the fixed monthly payment that repays ``principal`` at ``apr`` in ``months``.

    The standard amortization formula P·r / (1 − (1 + r)^−n) with r = apr / 12,
    rounded half-up to cents; at 0% APR it is principal / months, rounded likewise.
    """
    if months < 1:
        raise ValueError(f"a loan needs at least one payment, got {months} months")
    if apr < 0:
        raise ValueError(f"APR {apr} is negative")
    with localcontext() as context:
        context.prec = 34
        if apr == 0:
            return round_cents(principal / months)
        rate = apr / 12
        return round_cents(principal * rate / (1 - (1 + rate) ** -months))


def finance(amount: Decimal, first_session: dt.date, terms: FinanceTerms) -> Financing:
    """Return the cost and payment dates of financing ``amount`` from ``first_session``.

    The down payment (at most ``amount``) is paid on the first session; the
    monthly payments fall on the same day of each following month, clamped to
    the month's end (Jan 31 → Feb 28 → Mar 31).
    """
    down = min(terms.down_payment, amount)
    principal = max(amount - down, ZERO)
    priced_apr = ZERO if terms.deferred_interest else terms.apr
    payment = monthly_payment(principal, priced_apr, terms.months)
    risk = None
    if terms.deferred_interest:
        risk = monthly_payment(principal, terms.apr, terms.months) * terms.months - principal
    payments: list[tuple[dt.date, Decimal]] = []
    if down > 0:
        payments.append((first_session, down))
    if payment > 0:
        payments.extend(
            (add_months(first_session, month), payment) for month in range(1, terms.months + 1)
        )
    return Financing(
        terms=terms,
        principal=principal,
        down_payment=down,
        monthly_payment=payment,
        total_interest=payment * terms.months - principal,
        total_paid=down + payment * terms.months,
        payments=tuple(payments),
        deferred_interest_risk=risk,
    )
