"""The whole estimate: schedule, claims per scenario, totals and cash flow."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from ..errors import InputError
from ..frozen import builder
from ..model.common import EARLIEST, LATEST
from ..model.currency import plan_currency_problem
from ..money import ZERO, round_cents
from .cashflow import Outlay, cashflow, lowered, outlay, paid_by_day, peak_outlay
from .horizon import MAX_MONTHS, add_months
from .limits import TooMuchWork, too_many_charges, too_many_scenarios
from .result import Estimate, LineItem, Phase, ScenarioResult
from .schedule import SESSION_ITEMS, Charge, clinic_visits, schedule
from .warnings import estimate_warnings

# Plans, loans, personal costs, response odds, the savings program and tax are
# imported by the estimates that use them, so a plain estimate loads none of them.
if TYPE_CHECKING:
    from ..model.clinic import Clinic
    from ..model.personal import PersonalCosts
    from ..model.plan import Plan, Terms
    from .claims import Claim
    from .financing import FinanceTerms, Financing
    from .personal import PersonalResult
    from .response import ResponseTerms
    from .savings import SavingsTerms
    from .tax import Refund, TaxEstimate, TaxInputs, TaxTerms

SELF_PAY = "Self-pay"
# Result objects built with every field given, at a mutable class's speed (see frozen.py)
_line_item = builder(LineItem)
_phase = builder(Phase)
_scenario_result = builder(ScenarioResult)
_estimate = builder(Estimate)


@dataclass(frozen=True, slots=True)
class _Charges:
    """What an estimate makes of the clinic alone over a horizon: the same under any plan."""

    refused: TooMuchWork | None
    end: dt.date  # the first day after the horizon
    events: tuple[Charge, ...] = ()
    phases: tuple[Phase, ...] = ()
    total: Decimal = ZERO
    series_total: Decimal = ZERO
    sessions: int = 0
    average_per_session: Decimal = ZERO  # session costs / sessions, in cents
    daily: Outlay | None = None  # paid by day and month, without a loan
    warnings: tuple[str, ...] = ()  # the estimate's warnings without response terms


_made = builder(_Charges)

# Profiles are frozen models, so repeated estimates of one clinic object (against
# several plans, or with other terms) reuse its charges instead of making them again.
# Keyed by the object's identity; the entry holds the object, so the id stays its own.
_CHARGES: dict[tuple[int, dt.date, int], tuple[Clinic, _Charges]] = {}
_CHARGES_KEPT = 32


def _charges(clinic: Clinic, start: dt.date, months: int) -> _Charges:
    key = (id(clinic), start, months)
    hit = _CHARGES.get(key)
    if hit is not None and hit[0] is clinic:
        return hit[1]
    end = add_months(start, months)
    refused = too_many_charges(clinic, start, months)
    if refused is not None:
        return _Charges(refused, end)
    events = tuple(schedule(clinic, start, months))
    total = series_total = session_costs = ZERO
    sessions = 0
    session_fees = {fee.name for fee in clinic.fees if fee.per == "session"} if clinic.fees else ()
    by_day: dict[dt.date, Decimal] = {}  # paid_by_day(events), in the same pass
    for event in events:
        amount, item, day = event.amount, event.item, event.date
        by_day[day] = by_day.get(day, ZERO) + amount
        total += amount
        if item == "series":
            series_total += amount
        if item in SESSION_ITEMS:  # event.is_session, without the property's call
            sessions += 1
            session_costs += amount
        elif item == "fee" and event.line in session_fees:
            session_costs += amount
    part = _made(
        None,
        end,
        events,
        _phases(events),
        total,
        series_total,
        sessions,
        round_cents(session_costs / sessions) if sessions else ZERO,
        outlay(by_day, start, end),
        estimate_warnings(clinic, events, None),
    )
    if len(_CHARGES) >= _CHARGES_KEPT:
        _CHARGES.pop(next(iter(_CHARGES)), None)  # the oldest entry
    _CHARGES[key] = (clinic, part)
    return part


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
                _line_item(
                    name,
                    _describe(line, charges),
                    len(charges),
                    price,
                    amount,
                    charges[0].date,
                    charges[-1].date,
                )
            )
        phases.append(_phase(name, tuple(items), subtotal))
    if len(phases) == 1:
        return (phases[0],)
    rank = {event.phase: event.rank for event in events}
    return tuple(sorted(phases, key=lambda p: rank[p.name]))


def _describe(line: str, charges: Sequence[Charge]) -> str:
    if charges[0].item != "series":
        return charges[0].phase if line.lower() in charges[0].phase.lower() else line
    first, last = charges[0].index, charges[-1].index
    return f"{line} {first}–{last}" if first != last else f"{line} {first}"


def _scenario(
    terms: Terms | None,
    claims: list[Claim],
    events: Sequence[Charge],
    daily: Outlay,
    start: dt.date,
    savings: SavingsTerms | None = None,
    tax: TaxInputs | None = None,
) -> ScenarioResult:
    if terms is not None and terms.in_network:  # out of network the patient pays the price
        daily = _patient_outlay(daily, claims)
    paid = daily.total
    # One pass over the claims for every total (the hot loop of the throughput benchmark).
    billed = allowed = deductible = coinsurance = reimbursed = balance_billed = ZERO
    copay = plan_part = plan_paid = not_allowed = ZERO
    returns = []
    last_back: dt.date | None = None  # the last reimbursement's date
    for c in claims:
        billed += c.billed
        not_allowed += c.not_allowed
        if not c.covered:
            continue  # its other amounts are ZERO (see Claim): each sum would stay as it is
        allowed += c.allowed
        deductible += c.deductible
        coinsurance += c.coinsurance
        balance_billed += c.balance_billed
        copay += c.copay
        plan_part += c.plan_part
        plan_paid += c.plan_paid
        back = c.reimbursed
        if back:
            on = c.reimbursed_on
            reimbursed += back
            returns.append((on, back))
            if last_back is None or on > last_back:
                last_back = on
    program = ZERO
    refunds: list[Refund] = []  # savings program payments, for the tax
    if savings is not None:
        from .savings import program_lines

        delay = 45 if terms is None else terms.paid_after_days
        lines = program_lines(events, claims, savings, delay)
        program = sum((line.paid_by_program for line in lines), ZERO)
        returns += [(line.received, line.paid_by_program) for line in lines if line.paid_by_program]
        if tax is not None:
            from .tax import Refund

            refunds = [
                Refund(x.date, x.received, x.paid_by_program) for x in lines if x.paid_by_program
            ]
    years = None
    if tax is not None:
        from .tax import medical_flows, tax_years

        payments, reimbursements = medical_flows(events, claims, tax.financing)
        years = tax_years(tax.terms, payments, reimbursements + refunds, tax.visits, tax.fare)
    return _scenario_result(
        name=terms.name if terms is not None else SELF_PAY,
        probability=terms.probability if terms is not None else None,
        paid=paid,
        billed=billed,
        allowed=allowed,
        deductible=deductible,
        coinsurance=coinsurance,
        reimbursed=reimbursed,
        balance_billed=balance_billed,
        net=paid - reimbursed - program,
        peak_outlay=peak_outlay(daily, returns),
        last_reimbursement=last_back,
        cashflow=tuple(cashflow(daily, returns)),
        claims=tuple(claims),
        savings_program=program,
        copay=copay,
        plan_part=plan_part,
        plan_paid=plan_paid,
        not_allowed=not_allowed,
        terms=terms,
        tax=years,
    )


def _patient_outlay(daily: Outlay, claims: Sequence[Claim]) -> Outlay:
    """Return what the patient pays by day under these claims.

    In network the patient pays only their share on the session date, not the
    clinic's price; out of network (and when denied) they pay the price.
    """
    less = [(c.charge.date, c.charge.amount - c.paid) for c in claims if c.paid != c.charge.amount]
    return lowered(daily, less) if less else daily


def _cash_out(
    events: Sequence[Charge], finance: FinanceTerms | None
) -> tuple[dict[dt.date, Decimal], Financing | None]:
    """Return what leaves the patient's pocket each day, and the loan when the series is financed."""
    if finance is None:
        return paid_by_day(events), None
    series = [e for e in events if e.item == "series"]
    if not series:
        return paid_by_day(events), None
    from .financing import finance as finance_series

    financing = finance_series(sum((e.amount for e in series), ZERO), series[0].date, finance)
    daily = paid_by_day(e for e in events if e.item != "series")
    for day, amount in financing.payments:
        daily[day] = daily.get(day, ZERO) + amount
    return daily, financing


def estimate(
    clinic: Clinic,
    plan: Plan | None = None,
    *,
    start: dt.date | None = None,
    months: int = 12,
    clinic_file: str | None = None,
    response: ResponseTerms | None = None,
    personal: PersonalCosts | None = None,
    finance: FinanceTerms | None = None,
    savings: SavingsTerms | None = None,
    tax: TaxTerms | None = None,
) -> Estimate:
    """Return what ``clinic`` costs from ``start`` over ``months``, under ``plan``'s scenarios.

    With ``response`` (e.g. ``ResponseTerms(rate=Decimal("0.5"))``) the estimate
    also weighs a second branch in which the treatment does not help and stops
    after ``response.stop_after`` series sessions (default 3). ``personal`` adds
    rides, time off and childcare per visit, shown apart from the clinic's charges.
    ``finance`` pays for the series with a loan: a down payment at the first
    session, then monthly payments, which the cash flow and net cost use instead
    of the series charges. ``savings`` applies the esketamine savings program;
    ``tax`` adds the tax estimate per calendar year (DESIGN §8).
    """
    start = start or dt.date.today()
    if (
        finance is not None
        or savings is not None
        or response is not None
        or personal is not None
        or tax is not None
    ):
        _check_terms(
            finance=finance, savings=savings, response=response, personal=personal, tax=tax
        )
    if not 1 <= months <= MAX_MONTHS:
        raise InputError.single(
            "months",
            f"the horizon must be from 1 to {MAX_MONTHS} months, not {months}",
            "use a horizon of at most ten years, e.g. months=24",
        )
    mixed = plan_currency_problem(clinic, plan)
    if mixed is not None:
        raise InputError.single("plan.currency", mixed.message, mixed.hint)
    if not EARLIEST <= start <= LATEST:
        raise InputError.single(
            "start",
            f"the start {start.isoformat()} is outside the years {EARLIEST.year}–{LATEST.year}",
            "check the year of the first day of treatment",
        )
    made = _charges(clinic, start, months)
    refused = too_many_scenarios(plan) or made.refused
    if refused is not None:
        dotted = ".".join(str(part) for part in refused.where)
        raise InputError.single(f"{refused.profile} {dotted}", refused.message, refused.hint)
    end = made.end  # the first day after the horizon
    events = made.events
    total, series_total, sessions = made.total, made.series_total, made.sessions
    all_terms: list[Terms | None] = [None]

    def claims_of(terms: Terms | None, events: Sequence[Charge]) -> list[Claim]:
        return []

    warn_of: Callable[[Sequence[tuple[str, Sequence[Claim]]], str], tuple[str, ...]] | None = None
    if plan is not None or savings is not None:
        # imported once here rather than in each scenario: a plain estimate loads none of it
        # (the module, not its names: importing four names cost three times as much)
        from . import claims

        warn_of = claims.claim_warnings
        all_terms = claims.plan_terms(clinic, plan)
        claims.check_coverage(clinic, plan, all_terms, savings is not None, finance is not None)

        def claims_of(terms: Terms | None, events: Sequence[Charge]) -> list[Claim]:
            return [] if terms is None else claims.adjudicate(events, terms, start)

    if finance is None and made.daily is not None:
        daily, financing = made.daily, None
    else:
        by_day, financing = _cash_out(events, finance)
        daily = outlay(by_day, start, end)
    taxed = None
    if tax is not None:
        from .tax import TaxInputs, check_hsa

        if plan is not None:
            check_hsa(tax, plan, start.year)
        fare = ZERO if personal is None else personal.ride
        taxed = TaxInputs(tax, financing, tuple(clinic_visits(events, clinic.modality)), fare)
    scenarios = tuple(
        _scenario(terms, claims_of(terms, events), events, daily, start, savings, taxed)
        for terms in all_terms
    )
    expected = None
    weights = [s.probability for s in scenarios if s.probability is not None]
    if plan is not None and plan.scenarios and len(weights) == len(scenarios):
        weighted = ZERO
        for s, weight in zip(scenarios, weights, strict=True):
            weighted += s.net * weight
        expected = round_cents(weighted)
    odds_result = None
    stopped_scenarios: tuple[ScenarioResult, ...] | None = None
    if response is not None:
        from .response import odds

        rate, stop = response.rate, response.stop_after
        stopped = tuple(schedule(clinic, start, months, stop_after=stop))
        stopped_by_day, stopped_financing = _cash_out(stopped, finance)
        stopped_daily = outlay(stopped_by_day, start, end)
        stopped_taxed = None
        if taxed is not None:
            visits = tuple(clinic_visits(stopped, clinic.modality))
            stopped_taxed = replace(taxed, financing=stopped_financing, visits=visits)
        stopped_scenarios = tuple(
            _scenario(
                t, claims_of(t, stopped), stopped, stopped_daily, start, savings, stopped_taxed
            )
            for t in all_terms
        )
        odds_result = odds(
            rate,
            stop,
            total,
            sum((e.amount for e in stopped), ZERO),
            [(s.name, s.net) for s in scenarios],
            [s.net for s in stopped_scenarios],
        )
    return _estimate(
        clinic=clinic,
        clinic_file=clinic_file,
        plan=plan,
        start=start,
        months=months,
        end=end,
        events=events,
        phases=made.phases,
        total=total,
        series_total=series_total,
        sessions=sessions,
        average_per_session=made.average_per_session,
        scenarios=scenarios,
        expected_net=expected,
        response=odds_result,
        personal=None if personal is None else _personal(personal, events, clinic.modality),
        financing=financing,
        savings=savings,
        tax=None
        if tax is None
        else _tax(
            tax,
            scenarios,
            weights if expected is not None else None,
            stopped_scenarios,
            response,
        ),
        warnings=(
            made.warnings if response is None else estimate_warnings(clinic, events, response)
        )
        + (
            ()
            if warn_of is None
            else warn_of([(s.name, s.claims) for s in scenarios], clinic.currency)
        ),
    )


# argument → (module, type, an example of a value to pass)
_TERMS = {
    "finance": (".financing", "FinanceTerms", 'FinanceTerms("12 months", 12, Decimal("0.0999"))'),
    "savings": (".savings", "SavingsTerms", "SavingsTerms()"),
    "response": (".response", "ResponseTerms", 'ResponseTerms(rate=Decimal("0.5"))'),
    "personal": ("..model.personal", "PersonalCosts", 'PersonalCosts(ride="40")'),
    "tax": (".tax", "TaxTerms", 'TaxTerms(marginal_rate=Decimal("0.22"))'),
}


def _check_terms(**given: object) -> None:
    """Refuse terms of the wrong type (text such as "12@9.99%" is read at the edges)."""
    for field, value in given.items():
        if value is None:
            continue
        module, name, example = _TERMS[field]
        expected = getattr(importlib.import_module(module, __package__), name)
        if not isinstance(value, expected):
            raise InputError.single(
                field,
                f"expected {name}, got {type(value).__name__} {value!r}",
                f"pass {example}, or None",
            )


def _personal(costs: PersonalCosts, events: Sequence[Charge], modality: str) -> PersonalResult:
    from .personal import personal_costs

    return personal_costs(costs, events, modality)


def _tax(
    terms: TaxTerms,
    scenarios: Sequence[ScenarioResult],
    weights: Sequence[Decimal] | None,
    stopped: Sequence[ScenarioResult] | None,
    response: ResponseTerms | None,
) -> TaxEstimate:
    from .tax import tax_estimate

    stopped_years = None if stopped is None else [s.tax or () for s in stopped]
    return tax_estimate(terms, [s.tax or () for s in scenarios], weights, stopped_years, response)
