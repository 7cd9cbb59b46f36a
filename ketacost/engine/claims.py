"""Adjudication in either network: one claim per claimable charge, in date order (DESIGN §3)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..errors import InputError, Invalid
from ..frozen import builder
from ..model.clinic import Clinic
from ..model.plan import ByCode, Plan, Terms
from ..money import ZERO, round_cents
from .schedule import Charge


@dataclass(frozen=True, slots=True)
class Claim:
    """What the plan decided on one charge, and where the accumulators stood after it.

    ``deductible``, ``copay`` and ``coinsurance`` are what the patient bore after
    the out-of-pocket cap, so ``allowed = deductible + copay + coinsurance +
    plan_part`` on every claim. An uncovered claim allows, applies and pays
    back nothing: every amount but ``billed``, ``not_allowed`` and ``paid`` is ``ZERO``.
    """

    charge: Charge
    billed: Decimal
    allowed: Decimal
    deductible: Decimal  # applied to the deductible by this claim
    coinsurance: Decimal
    reimbursed: Decimal  # out of network: paid back to the patient
    balance_billed: Decimal  # out of network: what the patient paid above the allowed amount
    reimbursed_on: dt.date
    deductible_left: Decimal
    out_of_pocket_left: Decimal | None  # None: the plan has no cap
    copay: Decimal = ZERO
    plan_part: Decimal = ZERO  # allowed − the patient's share: what the plan owes
    plan_paid: Decimal = ZERO  # in network: paid by the plan to the clinic
    not_allowed: Decimal = ZERO  # billed − allowed, the plan's view; never toward the cap
    paid: Decimal = ZERO  # what the patient paid the clinic for this charge, on its date
    in_network: bool = False
    covered: bool = True

    @property
    def share(self) -> Decimal:
        """The patient's share of the allowed amount: deductible + copay + coinsurance."""
        return self.deductible + self.copay + self.coinsurance

    @property
    def net(self) -> Decimal:
        """What this charge costs the patient after reimbursement."""
        return self.paid - self.reimbursed


_claim = builder(Claim)  # Claim(...) with every field given, at a mutable class's speed


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


def _allowed(terms: Terms, charge: Charge, billed: Decimal) -> Decimal:
    rule = terms.allowed
    if isinstance(rule, ByCode):
        return min(billed, rule.of_lines(charge.codes, billed))
    return rule.of(billed)


def _next_plan_year(year: dt.date, month_day: tuple[int, int]) -> dt.date:
    """Return the first day of the plan year after the one starting ``year`` (or date.max)."""
    return dt.date(year.year + 1, *month_day) if year.year < dt.MAXYEAR else dt.date.max


@functools.lru_cache(maxsize=256)
def _plan_year(day: dt.date, month_day: tuple[int, int]) -> tuple[dt.date, dt.date]:
    """Return the first day of the plan year ``day`` falls in, and of the next (or date.max)."""
    year = plan_year_start(day, month_day)
    return year, _next_plan_year(year, month_day)


def adjudicate(charges: Iterable[Charge], terms: Terms, start: dt.date) -> list[Claim]:
    """Return the claims for every claimable charge, under one scenario's terms."""
    if not terms.claimable:
        return []
    cap = terms.out_of_pocket_max
    month_day = terms.plan_year_starts
    # A charge inside [year, next_year) is in the current plan year; only a charge
    # outside it needs the plan year worked out again.
    year, next_year = _plan_year(start, month_day)
    deductible_left = max(terms.deductible - terms.met_deductible, ZERO)
    oop_left = None if cap is None else max(cap - terms.met_out_of_pocket, ZERO)
    delay = dt.timedelta(terms.paid_after_days)  # days
    in_network = terms.in_network
    covered = terms.covered
    copay_due = terms.copay
    rate = terms.coinsurance
    rule = terms.allowed
    by_code = isinstance(rule, ByCode)
    # Without codes the allowed amount depends on the billed amount alone, and charges
    # at one price share one Decimal object: remember the result per object (by
    # identity, not value, so 750 and 750.00 keep their own exponents).
    allowed_of: dict[int, tuple[Decimal, Decimal]] = {}
    claims: list[Claim] = []
    for charge in charges:
        if not charge.claimable:
            continue
        day = charge.date
        if not year <= day < next_year:
            charge_year, next_year = _plan_year(day, month_day)
            if charge_year != year:
                year = charge_year
                deductible_left = terms.deductible
                oop_left = cap
        price = charge.amount
        billed = billed_amount(charge) if charge.codes else price
        # Claims are built with every field in order (no keywords): it is the hot loop.
        if not covered:
            claims.append(
                _claim(
                    charge,
                    billed,
                    ZERO,  # allowed
                    ZERO,  # deductible
                    ZERO,  # coinsurance
                    ZERO,  # reimbursed
                    ZERO,  # balance_billed
                    day,  # reimbursed_on
                    deductible_left,
                    oop_left,
                    ZERO,  # copay
                    ZERO,  # plan_part
                    ZERO,  # plan_paid
                    billed,  # not_allowed
                    price,  # paid
                    in_network,
                    False,  # covered
                )
            )
            continue
        if by_code:
            allowed = _allowed(terms, charge, billed)
        else:
            found = allowed_of.get(id(billed))
            if found is None or found[0] is not billed:
                found = allowed_of[id(billed)] = (billed, _allowed(terms, charge, billed))
            allowed = found[1]
        # min(a, b) written out as `b if b < a else a` (the same result, even the same
        # object when equal): the builtin's call costs more than the comparison here.
        deductible = deductible_left if deductible_left < allowed else allowed
        rest = allowed - deductible
        copay = rest if rest < copay_due else copay_due
        coinsurance = round_cents(rate * (rest - copay))
        if oop_left is not None:
            # the patient bears the deductible, then the copay, then coinsurance, up to the cap
            if oop_left < deductible:
                deductible = oop_left
            room = oop_left - deductible
            if room < copay:
                copay = room
            room -= copay
            if room < coinsurance:
                coinsurance = room
            share = deductible + copay + coinsurance
            oop_left -= share
        else:
            share = deductible + copay + coinsurance
        deductible_left -= deductible
        plan_part = allowed - share
        not_allowed = billed - allowed
        if in_network:
            paid, reimbursed, plan_paid, balance = share, ZERO, plan_part, ZERO
        else:
            paid, plan_paid = price, ZERO
            reimbursed = paid if paid < plan_part else plan_part
            above = paid - allowed
            above = above if above > ZERO else ZERO  # max(ZERO, above)
            balance = above if above < not_allowed else not_allowed
        claims.append(
            _claim(
                charge,
                billed,
                allowed,
                deductible,
                coinsurance,
                reimbursed,
                balance,
                day if in_network else day + delay,  # reimbursed_on
                deductible_left,
                oop_left,
                copay,
                plan_part,
                plan_paid,
                not_allowed,
                paid,
                in_network,
                True,  # covered
            )
        )
    return claims


def superbill_warning(claims: Iterable[Claim], currency: str = "USD") -> str | None:
    """Return a warning when a superbill asks more than was paid and that cut what comes back.

    Out of network the plan reimburses at most what the patient paid, so the
    plan's part of a larger superbill is not all paid back.
    """
    short = [c for c in claims if not c.in_network and c.covered and c.reimbursed < c.plan_part]
    if not short:
        return None
    from .warnings import money_text

    first = short[0]
    billed, paid = money_text(first.billed, currency), money_text(first.paid, currency)
    count = "1 claim gets" if len(short) == 1 else f"{len(short)} claims get"
    return (
        f"The superbill asks more than was paid ({first.charge.label}: billed {billed}, paid"
        f" {paid}): the plan reimburses at most what you paid, so {count} back less than the"
        " plan's part"
    )


# Plans and clinics are frozen models: repeated estimates with the same two objects
# reuse the resolved terms. Keyed by identity; the entry holds both objects, so the
# ids stay theirs.
_TERMS: dict[tuple[int, int], tuple[Clinic, Plan, tuple[Terms, ...]]] = {}
_TERMS_KEPT = 32


def plan_terms(clinic: Clinic, plan: Plan | None) -> list[Terms | None]:
    """Return the terms each scenario adjudicates by, for the network the clinic bills in.

    Raises ``InputError`` when the plan lacks the terms of that network.
    """
    if plan is None:
        return [None]
    key = (id(clinic), id(plan))
    hit = _TERMS.get(key)
    if hit is not None and hit[0] is clinic and hit[1] is plan:
        return list(hit[2])
    terms = _resolve_terms(clinic, plan)
    if len(_TERMS) >= _TERMS_KEPT:
        _TERMS.pop(next(iter(_TERMS)), None)  # the oldest entry
    _TERMS[key] = (clinic, plan, terms)
    return list(terms)


def _resolve_terms(clinic: Clinic, plan: Plan) -> tuple[Terms, ...]:
    network = clinic.billing.network
    if not clinic.billing.files_claims and not plan.opted_out(network):
        network = "self-pay-only"  # nothing is claimable; no terms block is needed
    try:
        return tuple(plan.terms(network))
    except Invalid as error:
        raise InputError.single(f"plan {plan.name!r}", error.message, error.hint) from None


def check_coverage(
    clinic: Clinic,
    plan: Plan | None,
    terms: Sequence[Terms | None],
    savings: bool,
    financed: bool,
) -> None:
    """Raise ``InputError`` when the savings program or financing cannot apply here."""
    if savings:
        from .savings import savings_problem

        problem = savings_problem(clinic, plan)
        if problem is not None:
            raise InputError.single("savings", *problem)
    if financed and any(
        t is not None and t.in_network and t.covered and t.claimable for t in terms
    ):
        raise InputError.single(
            "finance",
            "financing is modelled for what the clinic charges, but in network you pay only"
            " your share at each visit",
            "estimate the in-network case without financing",
        )
