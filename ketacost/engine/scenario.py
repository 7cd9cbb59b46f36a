"""The scenario kernel: a timeline of the clinic's charges, and what one scenario makes of it.

Every figure of an estimate comes from here. ``timeline`` turns a clinic, a start
and a horizon into dated charges and what leaves the patient's pocket each day;
``scenario`` adjudicates those charges under one scenario's terms and sums the
result. ``estimate``, ``sweep``, ``compare`` (through ``estimate``) and the
ledger ``status`` all call these two functions and nothing else to get a
scenario's figures, and ``expected_net`` is the one place a probability-weighted
net is worked out (see docs/architecture.md).

Both functions are memoised by value, in bounded memories: profiles are frozen,
hashable models, so a clinic or plan validated anew from the same data finds
what an equal one made before, and memory stays flat however many are tried.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Generic, TypeVar

from ..money import ZERO, round_cents
from .cashflow import Outlay, lowered, outlay, paid_by_day, peak_outlay
from .horizon import add_months
from .result import Later, LineItem, Phase, ScenarioResult
from .schedule import SESSION_ITEMS, Charge, billed_amount, schedule

if TYPE_CHECKING:
    from ..model.clinic import Clinic
    from ..model.plan import Terms
    from .claims import Claim
    from .financing import FinanceTerms, Financing
    from .savings import SavingsTerms
    from .tax import Refund, TaxInputs

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
SELF_PAY = "Self-pay"
# Timelines and scenarios remembered, the least recently used forgotten beyond: enough
# for the scenarios and branches of the last few estimates to be found again. A larger
# memory makes every new scenario dearer (the one it forgets is cold in the CPU's cache)
# more than its rare extra finds save (docs/architecture.md).
KEPT = 64


class Bounded(OrderedDict[K, V], Generic[K, V]):
    """A least-recently-used memory of at most ``size`` entries."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def recall(self, key: K) -> V | None:
        """Return what is kept under ``key`` (now the most recently used), or None."""
        found = self.pop(key, None)
        if found is not None:
            self[key] = found  # at the end: the most recently used
        return found

    def keep(self, key: K, value: V) -> V:
        """Remember ``value`` under ``key``, forgetting the least recently used entry when full."""
        self[key] = value
        while len(self) > self.size:  # while: a recall in another thread may have added one
            self.popitem(last=False)
        return value


class _Key:
    """The inputs a memory is keyed by, hashed once (a lookup and a store would hash twice)."""

    __slots__ = ("hashed", "parts")

    def __init__(self, parts: tuple[Hashable, ...]) -> None:
        self.parts = parts
        self.hashed = hash(parts)

    def __hash__(self) -> int:
        return self.hashed

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and self.hashed == other.hashed and self.parts == other.parts


@dataclass(frozen=True, slots=True, eq=False)
class Timeline:
    """The clinic's charges over a horizon and what they take from the patient, by day.

    The same under every plan and scenario. ``paid`` is what leaves the
    patient's pocket each day before any plan pays: the charges, or, when the
    series is financed, the loan's payments in place of the series charges.
    Two timelines are equal when their dates, charges and loan are.
    """

    start: dt.date
    end: dt.date  # the first day after the horizon
    charges: tuple[Charge, ...]
    paid: Outlay
    financing: Financing | None
    total: Decimal  # what the clinic charges
    series_total: Decimal
    sessions: int
    session_costs: Decimal  # sessions and per-session fees
    phases: tuple[Phase, ...]  # the charges grouped by phase and line, as an estimate lists them
    billed: Decimal  # what a plan is billed for the claimable charges (see billed_amount)
    peak: Decimal  # the most paid out at the end of any day, with nothing paid back
    hashed: int  # the hash of (start, end, charges, financing), worked out once

    def __hash__(self) -> int:
        return self.hashed

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Timeline) or other.hashed != self.hashed:
            return False
        return (self.start, self.end, self.charges, self.financing) == (
            other.start,
            other.end,
            other.charges,
            other.financing,
        )

    @property
    def average_per_session(self) -> Decimal:
        """Session costs over sessions, in cents (zero without sessions)."""
        return round_cents(self.session_costs / self.sessions) if self.sessions else ZERO


def timeline_of(
    charges: Sequence[Charge],
    start: dt.date,
    end: dt.date,
    *,
    session_fees: frozenset[str] = frozenset(),
    financing: Financing | None = None,
) -> Timeline:
    """Return the timeline of ``charges`` from ``start`` to the day before ``end``.

    ``session_fees`` names the fees charged per session (counted in the average
    per session); with ``financing`` the loan's payments replace the series charges.
    """
    charges = tuple(charges)
    total = series_total = session_costs = billed = ZERO
    sessions = 0
    for charge in charges:
        amount, item = charge.amount, charge.item
        total += amount
        if charge.claimable:
            billed += billed_amount(charge)
        if item == "series":
            series_total += amount
        if item in SESSION_ITEMS:
            sessions += 1
            session_costs += amount
        elif item == "fee" and charge.line in session_fees:
            session_costs += amount
    if financing is None:
        by_day = paid_by_day(charges)
    else:
        by_day = paid_by_day(c for c in charges if c.item != "series")
        for day, amount in financing.payments:
            by_day[day] = by_day.get(day, ZERO) + amount
    paid = outlay(by_day, start, end)
    return Timeline(
        start=start,
        end=end,
        charges=charges,
        paid=paid,
        financing=financing,
        total=total,
        series_total=series_total,
        sessions=sessions,
        session_costs=session_costs,
        phases=_phases(charges),
        billed=billed,
        peak=peak_outlay(paid, ()),
        hashed=hash((start, end, charges, financing)),
    )


def _phases(events: Sequence[Charge]) -> tuple[Phase, ...]:
    grouped: dict[str, dict[tuple[str, Decimal], list[Charge]]] = {}
    for event in events:
        lines = grouped.get(event.phase)
        if lines is None:
            lines = grouped[event.phase] = {}
        key = (event.line, event.amount)
        same = lines.get(key)
        if same is None:
            lines[key] = [event]
        else:
            same.append(event)
    phases = []
    for name, lines in grouped.items():
        items = []
        subtotal = ZERO
        for (line, price), charges in lines.items():
            amount = price * len(charges)
            subtotal += amount
            items.append(
                LineItem(
                    phase=name,
                    description=_describe(line, charges),
                    quantity=len(charges),
                    unit_price=price,
                    amount=amount,
                    first_date=charges[0].date,
                    last_date=charges[-1].date,
                )
            )
        phases.append(Phase(name=name, lines=tuple(items), subtotal=subtotal))
    if len(phases) == 1:
        return (phases[0],)
    rank = {event.phase: event.rank for event in events}
    return tuple(sorted(phases, key=lambda p: rank[p.name]))


def _describe(line: str, charges: Sequence[Charge]) -> str:
    if charges[0].item != "series":
        return charges[0].phase if line.lower() in charges[0].phase.lower() else line
    first, last = charges[0].index, charges[-1].index
    return f"{line} {first}–{last}" if first != last else f"{line} {first}"


_TIMELINES: Bounded[_Key, Timeline] = Bounded(KEPT)


def timeline(
    clinic: Clinic,
    start: dt.date,
    months: int,
    *,
    finance: FinanceTerms | None = None,
    stop_after: int | None = None,
) -> Timeline:
    """Return the clinic's timeline from ``start`` over ``months`` (memoised by value).

    ``stop_after`` stops the series after that many sessions (the branch in
    which the treatment does not help); ``finance`` pays for the series with a loan.
    The horizon's size is the caller's to check first (see limits.py).
    """
    key = _Key((clinic, start, months, finance, stop_after))
    found = _TIMELINES.recall(key)
    if found is not None:
        return found
    charges = tuple(schedule(clinic, start, months, stop_after=stop_after))
    financing = None
    if finance is not None:
        series = [c for c in charges if c.item == "series"]
        if series:
            from .financing import finance as finance_series

            amount = sum((c.amount for c in series), ZERO)
            terms = finance
            if stop_after is not None and finance.down_payment > amount:
                # stopped early: the down payment pays for the sessions given, no more
                from dataclasses import replace

                terms = replace(finance, down_payment=amount)
            financing = finance_series(amount, series[0].date, terms)
    made = timeline_of(
        charges,
        start,
        add_months(start, months),
        session_fees=frozenset(fee.name for fee in clinic.fees if fee.per == "session"),
        financing=financing,
    )
    return _TIMELINES.keep(key, made)


_SCENARIOS: Bounded[_Key, ScenarioResult] = Bounded(KEPT)


def scenario(
    terms: Terms | None,
    line: Timeline,
    *,
    savings: SavingsTerms | None = None,
    tax: TaxInputs | None = None,
) -> ScenarioResult:
    """Return what one scenario makes of a timeline: its claims, totals and cash flow.

    ``terms`` None is self-pay: no plan, the patient pays every charge. With
    ``savings`` the esketamine savings program pays part of the drug; with
    ``tax`` each calendar year's tax saving is worked out. Memoised by value,
    except a scenario that covers nothing (with neither savings nor tax): its
    figures are read off the timeline, which costs less than a memory's key.
    """
    if terms is not None and not terms.covered and savings is None and tax is None:
        return _scenario(terms, line, savings, tax)
    key = _Key((terms, line, savings, tax))
    found = _SCENARIOS.recall(key)
    if found is None:
        found = _SCENARIOS.keep(key, _scenario(terms, line, savings, tax))
    return found


def _scenario(
    terms: Terms | None,
    line: Timeline,
    savings: SavingsTerms | None,
    tax: TaxInputs | None,
) -> ScenarioResult:
    claims: list[Claim] = []
    if terms is not None and not terms.covered and savings is None and tax is None:
        # nothing is allowed or paid back: the figures need only what the plan was billed,
        # and the claims are adjudicated when first read (see ScenarioResult.claims)
        return _uncovered(terms, line)
    # the claim records are made now only when the savings program or the tax reads them
    kept = terms is None or savings is not None or tax is not None
    sums = None
    if terms is not None:
        from .claims import adjudicate, tally

        if terms.covered and terms.claimable:
            claims, sums = tally(line.charges, terms, line.start, keep=kept)
        else:
            claims = adjudicate(line.charges, terms, line.start)
            kept = True
    if sums is None:
        sums = Totals(claims)
    daily = line.paid
    if terms is not None and terms.in_network and sums.less:
        # out of network the patient pays the price; in network, their share on the day
        daily = lowered(daily, sums.less)
    returns = list(sums.returns)
    program = ZERO
    refunds: list[Refund] = []  # savings program payments, for the tax
    if savings is not None:
        from ..model.plan import PAID_AFTER_DAYS

        delay = PAID_AFTER_DAYS if terms is None else terms.paid_after_days
        program, paid_back = _savings(line.charges, claims, savings, delay)
        returns += [(received, amount) for _, received, amount in paid_back]
        if tax is not None:
            from .tax import Refund

            refunds = [Refund(day, received, amount) for day, received, amount in paid_back]
    years = None
    if tax is not None:
        from .tax import medical_flows, tax_years

        payments, reimbursements = medical_flows(line.charges, claims, tax.financing)
        years = tax_years(tax.terms, payments, reimbursements + refunds, tax.visits, tax.fare)
    return ScenarioResult(
        name=terms.name if terms is not None else SELF_PAY,
        probability=terms.probability if terms is not None else None,
        paid=daily.total,
        billed=sums.billed,
        allowed=sums.allowed,
        deductible=sums.deductible,
        coinsurance=sums.coinsurance,
        reimbursed=sums.reimbursed,
        balance_billed=sums.balance_billed,
        net=daily.total - sums.reimbursed - program,
        peak_outlay=peak_outlay(daily, returns) if returns or daily is not line.paid else line.peak,
        last_reimbursement=sums.last_back,
        savings_program=program,
        copay=sums.copay,
        plan_part=sums.plan_part,
        plan_paid=sums.plan_paid,
        not_allowed=sums.not_allowed,
        terms=terms,
        tax=years,
        later=Later(
            terms=terms,
            outlay=daily,
            returns=tuple(returns),
            claims=tuple(claims) if kept else None,
            charges=line.charges,
            start=line.start,
            may_warn=sums.warns,
        ),
    )


def _uncovered(terms: Terms, line: Timeline) -> ScenarioResult:
    """Return what a scenario that covers nothing makes of a timeline, without its claims.

    Every claim is denied: it allows, applies and pays back nothing, and the
    patient pays each charge's price on its date, in network as out. What the
    plan was billed is all of it not allowed (as in ``Totals``).
    """
    billed = line.billed if terms.claimable else ZERO
    daily = line.paid
    return ScenarioResult(
        name=terms.name,
        probability=terms.probability,
        paid=daily.total,
        billed=billed,
        allowed=ZERO,
        deductible=ZERO,
        coinsurance=ZERO,
        reimbursed=ZERO,
        balance_billed=ZERO,
        net=daily.total,  # as any scenario's: paid − reimbursed (nothing) − program (none)
        peak_outlay=line.peak,
        last_reimbursement=None,
        not_allowed=billed,
        terms=terms,
        later=Later(
            terms=terms,
            outlay=daily,
            charges=line.charges,
            start=line.start,
            may_warn=False,  # only covered claims warn
        ),
    )


class Totals:
    """The claims' totals, and each reimbursement with its date, in one pass.

    ``less`` is what the patient did not pay on a visit's date (in network);
    ``warns`` whether a claim may warn (see claims.claim_warnings). Made from
    claim records, or gathered while the claims are decided (claims.tally).
    """

    __slots__ = (
        "allowed",
        "balance_billed",
        "billed",
        "coinsurance",
        "copay",
        "deductible",
        "last_back",
        "less",
        "not_allowed",
        "plan_paid",
        "plan_part",
        "reimbursed",
        "returns",
        "warns",
    )

    def __init__(self, claims: Sequence[Claim] = ()) -> None:
        billed = allowed = deductible = coinsurance = reimbursed = balance_billed = ZERO
        copay = plan_part = plan_paid = not_allowed = ZERO
        returns: list[tuple[dt.date, Decimal]] = []
        last_back: dt.date | None = None
        for c in claims:
            billed += c.billed
            not_allowed += c.not_allowed
            if not c.covered:
                continue  # its other amounts are ZERO (see Claim)
            allowed += c.allowed
            deductible += c.deductible
            coinsurance += c.coinsurance
            balance_billed += c.balance_billed
            copay += c.copay
            plan_part += c.plan_part
            plan_paid += c.plan_paid
            if c.reimbursed:
                reimbursed += c.reimbursed
                returns.append((c.reimbursed_on, c.reimbursed))
                if last_back is None or c.reimbursed_on > last_back:
                    last_back = c.reimbursed_on
        self.billed, self.allowed, self.deductible = billed, allowed, deductible
        self.coinsurance, self.reimbursed, self.balance_billed = (
            coinsurance,
            reimbursed,
            balance_billed,
        )
        self.copay, self.plan_part, self.plan_paid = copay, plan_part, plan_paid
        self.not_allowed, self.returns, self.last_back = not_allowed, returns, last_back
        self.less: list[tuple[dt.date, Decimal]] = [
            (c.charge.date, c.charge.amount - c.paid)
            for c in claims
            if c.paid != c.charge.amount and c.in_network
        ]
        self.warns = bool(claims)  # the records are there to be read

    @classmethod
    def added_up(
        cls,
        rows: Sequence[tuple[Decimal, ...]],
        returns: list[tuple[dt.date, Decimal]],
        less: list[tuple[dt.date, Decimal]],
        warns: bool,
    ) -> Totals:
        """Return the totals of covered claims decided without records: each row holds
        one claim's amounts, in the order they are unpacked below; ``returns`` what comes
        back and when; ``less`` what was not paid on a visit's day; ``warns`` whether a
        claim may warn."""
        made = cls()
        if rows:  # each column added up in one call
            (
                made.billed,
                made.allowed,
                made.deductible,
                made.coinsurance,
                made.balance_billed,
                made.copay,
                made.plan_part,
                made.plan_paid,
                made.not_allowed,
                made.reimbursed,
            ) = [sum(column, ZERO) for column in zip(*rows, strict=True)]
        made.returns, made.less, made.warns = returns, less, warns
        made.last_back = max(on for on, _ in returns) if returns else None
        return made


def _savings(
    charges: Sequence[Charge], claims: Sequence[Claim], terms: SavingsTerms, delay: int
) -> tuple[Decimal, list[tuple[dt.date, dt.date, Decimal]]]:
    """Return what the savings program pays in all, and each payment: the day of the
    treatment it is for, the day it arrives, and the amount."""
    from .savings import program_lines

    lines = program_lines(charges, claims, terms, delay)
    paid = [(x.date, x.received, x.paid_by_program) for x in lines if x.paid_by_program]
    return sum((amount for _, _, amount in paid), ZERO), paid


def weighted(weights: Sequence[Decimal | None], values: Sequence[Decimal]) -> Decimal | None:
    """Return ``values`` weighed by probability, in cents (None when a weight is missing)."""
    if not weights:
        return None
    total = ZERO
    for weight, value in zip(weights, values, strict=True):
        if weight is None:
            return None
        total += value * weight
    return round_cents(total)


def expected_net(scenarios: Sequence[ScenarioResult]) -> Decimal | None:
    """Return the probability-weighted net cost, or None when a scenario has no probability."""
    return weighted([s.probability for s in scenarios], [s.net for s in scenarios])
