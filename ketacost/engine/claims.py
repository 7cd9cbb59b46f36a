"""Adjudication in either network: one claim per claimable charge, in date order.

The rules, with worked examples, are in docs/insurance-rules.md.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..errors import InputError, Invalid
from ..model.clinic import Clinic
from ..model.plan import ByCode, Plan, Terms
from ..money import CENT, ZERO
from .scenario import Totals
from .schedule import Charge, billed_amount


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


def plan_year_start(day: dt.date, month_day: tuple[int, int]) -> dt.date:
    """Return the first day of the plan year ``day`` falls in."""
    month, mday = month_day
    candidate = dt.date(day.year, month, mday)
    return candidate if candidate <= day else dt.date(day.year - 1, month, mday)


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


def _opening(terms: Terms, start: dt.date) -> tuple[Decimal, Decimal | None]:
    """Return what is left of the deductible and the cap on ``start``, less what was met
    before the treatment.

    The deductible is part of the out-of-pocket maximum: what was met toward
    the deductible has filled the cap as much (docs/insurance-rules.md).
    """
    cap = terms.out_of_pocket_max
    met = max(terms.met_out_of_pocket, terms.met_deductible)
    return (
        max(terms.deductible - terms.met_deductible, ZERO),
        None if cap is None else max(cap - met, ZERO),
    )


def adjudicate(charges: Iterable[Charge], terms: Terms, start: dt.date) -> list[Claim]:
    """Return the claims for every claimable charge, under one scenario's terms.

    The rules are in docs/insurance-rules.md: one claim per claimable charge, in
    date order; the counters reset at each plan year's start.
    """
    if not terms.claimable:
        return []
    if not terms.covered:
        return _denied(charges, terms, start)
    return _decided(charges, terms, start, keep=True)[0]


def tally(
    charges: Iterable[Charge], terms: Terms, start: dt.date, *, keep: bool
) -> tuple[list[Claim], Totals]:
    """Return the claims of covered, claimable ``terms`` and what they add up to.

    With ``keep`` False no claim record is made (the list is empty): the totals
    are all a scenario's figures need, and its claims are adjudicated again only
    if something reads them (see ScenarioResult.claims).
    """
    return _decided(charges, terms, start, keep=keep)


def _denied(charges: Iterable[Charge], terms: Terms, start: dt.date) -> list[Claim]:
    """Return the claims of charges the plan does not cover: the patient pays the price.

    Nothing counts toward the deductible or the cap; each claim records where
    they stand, which changes only when a new plan year resets them.
    """
    month_day = terms.plan_year_starts
    year, next_year = _plan_year(start, month_day)
    deductible_left, oop_left = _opening(terms, start)
    in_network = terms.in_network
    claims: list[Claim] = []
    for charge in charges:
        if not charge.claimable:
            continue
        day = charge.date
        if not year <= day < next_year:  # a later plan year: the counters reset
            later, next_year = _plan_year(day, month_day)
            if later != year:
                year, deductible_left, oop_left = later, terms.deductible, terms.out_of_pocket_max
        billed = billed_amount(charge)
        claims.append(
            Claim(
                charge=charge,
                billed=billed,
                allowed=ZERO,
                deductible=ZERO,
                coinsurance=ZERO,
                reimbursed=ZERO,
                balance_billed=ZERO,
                reimbursed_on=day,
                deductible_left=deductible_left,
                out_of_pocket_left=oop_left,
                not_allowed=billed,
                paid=charge.amount,
                in_network=in_network,
                covered=False,
            )
        )
    return claims


def _decided(
    charges: Iterable[Charge], terms: Terms, start: dt.date, *, keep: bool
) -> tuple[list[Claim], Totals]:
    """Return the claims of covered charges, by the mechanics of the network they are paid in.

    In network the plan pays the clinic and the patient pays the share on the day;
    out of network the patient pays the price, then claims with a superbill. What
    the terms say is read once, not per claim. Each claim's amounts are noted in a
    row as it is decided and the totals added up once, at the end, in the order
    ``Totals`` adds up claim records; ``keep`` False makes no records.
    """
    month_day = terms.plan_year_starts
    year, next_year = _plan_year(start, month_day)
    deductible_left, oop_left = _opening(terms, start)
    in_network = terms.in_network
    delay = dt.timedelta(terms.paid_after_days)
    by_code = isinstance(terms.allowed, ByCode)
    # Without codes the allowed amount depends on the billed amount alone: worked out
    # once per amount (by value) within this call.
    allowed_of: dict[Decimal, Decimal] = {}
    claims: list[Claim] = []
    rows: list[tuple[Decimal, ...]] = []  # each claim's amounts, as Totals.added_up reads them
    returns: list[tuple[dt.date, Decimal]] = []  # what comes back, and when
    less: list[tuple[dt.date, Decimal]] = []  # in network: what was not paid on the day
    warns = False  # whether a claim may warn (cash_cheaper_warnings, superbill_warning)
    for charge in charges:
        if not charge.claimable:
            continue
        day = charge.date
        if not year <= day < next_year:  # a later plan year: the counters reset
            later, next_year = _plan_year(day, month_day)
            if later != year:
                year, deductible_left, oop_left = later, terms.deductible, terms.out_of_pocket_max
        price = charge.amount
        billed = billed_amount(charge) if charge.codes else price
        if by_code:
            allowed = _allowed(terms, charge, billed)
        else:
            found = allowed_of.get(billed)
            if found is None:
                found = allowed_of[billed] = _allowed(terms, charge, billed)
            allowed = found
        deductible, copay, coinsurance = _share(terms, allowed, deductible_left, oop_left)
        share = deductible + copay + coinsurance
        if oop_left is not None:
            oop_left -= share
        deductible_left -= deductible
        plan_part = allowed - share
        not_allowed = billed - allowed
        if in_network:  # the plan pays the clinic; the patient, the share on the day
            paid, reimbursed, plan_paid, balance = share, ZERO, plan_part, ZERO
            reimbursed_on = day
            if paid != price:
                less.append((day, price - paid))
            warns = warns or share > price  # a share above the cash price
        else:
            paid, plan_paid, reimbursed_on = price, ZERO, day + delay
            reimbursed, balance = _paid_back(price, allowed, plan_part, not_allowed)
            if reimbursed:
                returns.append((reimbursed_on, reimbursed))
            warns = warns or reimbursed < plan_part  # a superbill back short of the plan's part
        rows.append(
            (
                billed,
                allowed,
                deductible,
                coinsurance,
                balance,
                copay,
                plan_part,
                plan_paid,
                not_allowed,
                reimbursed,
            )
        )
        if keep:
            left = (deductible_left, oop_left)
            claims.append(_record(charge, rows[-1], paid, reimbursed_on, left, in_network))
    return claims, Totals.added_up(rows, returns, less, warns)


def _record(
    charge: Charge,
    row: tuple[Decimal, ...],
    paid: Decimal,
    reimbursed_on: dt.date,
    left: tuple[Decimal, Decimal | None],
    in_network: bool,
) -> Claim:
    """Return the record of a covered claim from its amounts (a row of ``_decided``, as
    ``Totals.added_up`` reads it) and what is left of the deductible and the cap after it."""
    billed, allowed, deductible, coinsurance, balance, copay, plan_part, plan_paid = row[:8]
    not_allowed, reimbursed = row[8:]
    return Claim(
        charge=charge,
        billed=billed,
        allowed=allowed,
        deductible=deductible,
        coinsurance=coinsurance,
        reimbursed=reimbursed,
        balance_billed=balance,
        reimbursed_on=reimbursed_on,
        deductible_left=left[0],
        out_of_pocket_left=left[1],
        copay=copay,
        plan_part=plan_part,
        plan_paid=plan_paid,
        not_allowed=not_allowed,
        paid=paid,
        in_network=in_network,
        covered=True,
    )


def _paid_back(
    paid: Decimal, allowed: Decimal, plan_part: Decimal, not_allowed: Decimal
) -> tuple[Decimal, Decimal]:
    """Return, out of network, what comes back of ``paid`` and what was billed above the
    allowed amount: the plan reimburses its part but never more than was paid, and the
    balance bill is what was paid above the allowed amount, at most what was not allowed.
    """
    reimbursed = paid if paid < plan_part else plan_part
    over = paid - allowed
    if not over > ZERO:
        over = ZERO
    return reimbursed, over if over < not_allowed else not_allowed


def _share(
    terms: Terms, allowed: Decimal, deductible_left: Decimal, oop_left: Decimal | None
) -> tuple[Decimal, Decimal, Decimal]:
    """Return the patient's share of ``allowed``: (deductible, copay, coinsurance).

    Under the cap the patient bears the deductible, then the copay, then the
    coinsurance, up to what is left of the cap. ``copay_only``: the copay alone,
    no deductible and no coinsurance (docs/insurance-rules.md).
    """
    copay_of = terms.copay
    if terms.copay_only:
        deductible, coinsurance = ZERO, ZERO
        copay = allowed if allowed < copay_of else copay_of  # min(a, b), without the call
    else:
        deductible = deductible_left if deductible_left < allowed else allowed
        rest = allowed - deductible
        copay = rest if rest < copay_of else copay_of
        coinsurance = (terms.coinsurance * (rest - copay)).quantize(CENT, ROUND_HALF_UP)
    if oop_left is not None:
        if oop_left < deductible:
            deductible = oop_left
        room = oop_left - deductible
        if room < copay:
            copay = room
        room -= copay
        if room < coinsurance:
            coinsurance = room
    return deductible, copay, coinsurance


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


def cash_cheaper_warnings(
    claims: Sequence[Claim], currency: str = "USD", scenario: str | None = None
) -> tuple[str, ...]:
    """Return a warning for each in-network claim whose share is more than the cash price,
    and one for them all.

    The figures stay as they are: it is advice. Paying cash may not count toward
    the deductible or the cap.
    """
    dearer = [c for c in claims if c.in_network and c.covered and c.share > c.charge.amount]
    if not dearer:
        return ()
    from .warnings import money_text

    where = "" if scenario is None else f" ({scenario})"
    said = [
        f"{c.charge.label}{where}: your share {money_text(c.share, currency)} is more than the"
        f" {money_text(c.charge.amount, currency)} cash price: ask the clinic about paying"
        " cash; it may not count toward your deductible"
        for c in dearer
    ]
    share = sum((c.share for c in dearer), ZERO)
    cash = sum((c.charge.amount for c in dearer), ZERO)
    claims_said = "1 claim" if len(dearer) == 1 else f"{len(dearer)} claims"
    said.append(
        f"In all{where}: on {claims_said} your share, {money_text(share, currency)}, is"
        f" {money_text(share - cash, currency)} more than the {money_text(cash, currency)}"
        " cash price"
    )
    return tuple(said)


def claim_warnings(
    scenarios: Sequence[tuple[str, Sequence[Claim]]], currency: str = "USD"
) -> tuple[str, ...]:
    """Return what the claims of every scenario warn of: a superbill above the price paid
    (once for the estimate), and shares above the cash price (per scenario)."""
    said: list[str] = []
    for _, claims in scenarios:
        superbill = superbill_warning(claims, currency)
        if superbill is not None:
            said.append(superbill)
            break
    named = len(scenarios) > 1
    for name, claims in scenarios:
        said.extend(cash_cheaper_warnings(claims, currency, name if named else None))
    return tuple(said)


def plan_terms(clinic: Clinic, plan: Plan | None) -> list[Terms | None]:
    """Return the terms each scenario adjudicates by, for the network the clinic bills in.

    Raises ``InputError`` when the plan lacks the terms of that network.
    """
    if plan is None:
        return [None]
    return list(_resolve_terms(clinic, plan))


def _resolve_terms(clinic: Clinic, plan: Plan) -> tuple[Terms, ...]:
    network = clinic.billing.network
    medicare = clinic.billing.medicare
    if not clinic.billing.files_claims and not plan.pays_nothing_there(network, medicare):
        network = "self-pay-only"  # nothing is claimable; no terms block is needed
    try:
        return tuple(plan.terms(network, medicare))
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
