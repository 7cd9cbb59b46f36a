"""Reading ``--finance``: ``MONTHS@APR[+DOWN]`` text, or a payment plan the clinic offers."""

from __future__ import annotations

import re
from decimal import Decimal

from ..engine.financing import FinanceTerms
from ..engine.horizon import MAX_MONTHS
from ..errors import InputError, Invalid
from ..model.clinic import Clinic
from ..money import ZERO, parse_money, parse_percent

ORIGIN = "--finance"
HINT = "write MONTHS@APR such as 12@9.99% or 24@0%, with +DOWN for a down payment: 12@9.99%+500"
_FINANCE_TEXT = re.compile(
    r"^\s*(?P<months>[0-9]+)\s*@\s*(?P<apr>[^+]+?)\s*(?:\+\s*(?P<down>[^+]*?)\s*)?$"
)


def _percent_text(apr: Decimal) -> str:
    text = f"{apr * 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_finance(text: str) -> FinanceTerms:
    """Return the terms written as ``MONTHS@APR[+DOWN]`` (``12@9.99%``, ``6@0.0999+500``).

    Such terms describe a credit card or a third-party loan: the clinic is paid
    at each session and the lender is repaid monthly.
    """
    match = _FINANCE_TEXT.match(text)
    if not match:
        raise InputError.single(ORIGIN, f"cannot read the financing terms {text!r}", HINT)
    months = int(match.group("months"))
    if not 1 <= months <= MAX_MONTHS:
        raise InputError.single(
            ORIGIN,
            f"{months} months is outside 1–{MAX_MONTHS}",
            f"use 1 to {MAX_MONTHS} monthly payments, e.g. 12@9.99%",
        )
    try:
        apr = parse_percent(match.group("apr"))
        down = ZERO if match.group("down") is None else parse_money(match.group("down"))
    except Invalid as error:
        raise InputError.single(ORIGIN, f"in {text.strip()!r}: {error.message}", HINT) from None
    name = f"{months} months at {_percent_text(apr)}% APR"
    return FinanceTerms(name=name, months=months, apr=apr, down_payment=down, lender="card")


def finance_terms(text: str | None, clinic: Clinic) -> FinanceTerms | None:
    """Return the financing asked for: one of the clinic's payment plans, or MONTHS@APR."""
    if text is None:
        return None
    wanted = text.strip().lower()
    offered = clinic.payment_plans
    chosen = offered[0] if offered and wanted == "clinic" else None
    chosen = chosen or next((p for p in offered if p.name.lower() == wanted), None)
    if chosen is not None:
        return FinanceTerms(
            chosen.name,
            chosen.months,
            chosen.apr,
            chosen.down_payment,
            chosen.deferred_interest,
            lender=chosen.lender,
        )
    if wanted == "clinic":
        raise InputError.single(
            ORIGIN,
            f"{clinic.name!r} lists no payment_plans",
            "give the terms instead, e.g. --finance 12@9.99%",
        )
    return parse_finance(text)
