"""Out-of-network adjudication: one claim per claimable charge, in date order (DESIGN §3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..model.plan import ByCode, Terms
from ..money import ZERO, round_cents
from .schedule import Charge


@dataclass(frozen=True, slots=True)
class Claim:
    """What the plan decided on one charge, and where the accumulators stood after it."""

    charge: Charge
    billed: Decimal
    allowed: Decimal
    deductible: Decimal  # applied to the deductible by this claim
    coinsurance: Decimal
    reimbursed: Decimal
    balance_billed: Decimal
    reimbursed_on: dt.date
    deductible_left: Decimal
    out_of_pocket_left: Decimal | None  # None: the plan has no cap

    @property
    def paid(self) -> Decimal:
        """What the patient paid the clinic for this charge."""
        return self.charge.amount

    @property
    def net(self) -> Decimal:
        """What this charge costs the patient after reimbursement."""
        return self.charge.amount - self.reimbursed


def plan_year_start(day: dt.date, month_day: tuple[int, int]) -> dt.date:
    """Return the first day of the plan year ``day`` falls in."""
    month, mday = month_day
    candidate = dt.date(day.year, month, mday)
    return candidate if candidate <= day else dt.date(day.year - 1, month, mday)


def billed_amount(charge: Charge) -> Decimal:
    """Return what the superbill asks for: the code lines' sum, else the price paid."""
    if charge.codes:
        return sum((line.amount for line in charge.codes), ZERO)
    return charge.amount


def adjudicate(charges: Iterable[Charge], terms: Terms, start: dt.date) -> list[Claim]:
    """Return the claims for every claimable charge, under one scenario's terms."""
    cap = terms.out_of_pocket_max
    year = plan_year_start(start, terms.plan_year_starts)
    deductible_left = max(terms.deductible - terms.met_deductible, ZERO)
    oop_left = None if cap is None else max(cap - terms.met_out_of_pocket, ZERO)
    allowed_rule = terms.allowed
    delay = dt.timedelta(days=terms.paid_after_days)
    claims: list[Claim] = []
    for charge in charges:
        if not charge.claimable:
            continue
        charge_year = plan_year_start(charge.date, terms.plan_year_starts)
        if charge_year != year:
            year = charge_year
            deductible_left = terms.deductible
            oop_left = cap
        paid = charge.amount
        billed = billed_amount(charge)
        if not terms.covered:
            claims.append(
                Claim(
                    charge,
                    billed,
                    ZERO,
                    ZERO,
                    ZERO,
                    ZERO,
                    ZERO,
                    charge.date + delay,
                    deductible_left,
                    oop_left,
                )
            )
            continue
        if isinstance(allowed_rule, ByCode):
            allowed = min(billed, allowed_rule.of_lines(charge.codes, billed))
        else:
            allowed = allowed_rule.of(billed)
        deductible = min(allowed, deductible_left)
        coinsurance = round_cents(terms.coinsurance * (allowed - deductible))
        share = deductible + coinsurance
        if oop_left is not None:
            share = min(share, oop_left)
            oop_left -= share
        deductible_left -= deductible
        reimbursed = min(allowed - share, paid)
        claims.append(
            Claim(
                charge,
                billed,
                allowed,
                deductible,
                coinsurance,
                reimbursed,
                billed - allowed,
                charge.date + delay,
                deductible_left,
                oop_left,
            )
        )
    return claims
