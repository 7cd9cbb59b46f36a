"""The whole estimate: the clinic's timeline, each scenario through the kernel, and totals."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from ..errors import InputError
from ..model.common import EARLIEST, LATEST
from ..model.currency import plan_currency_problem
from ..money import ZERO
from .horizon import months_problem
from .limits import too_many_charges, too_many_scenarios
from .result import Estimate, ScenarioResult
from .scenario import Timeline, expected_net, scenario, timeline
from .schedule import Charge, clinic_visits
from .warnings import estimate_warnings, terms_doubts

# Plans, loans, personal costs, response odds, the savings program and tax are
# imported by the estimates that use them, so a plain estimate loads none of them.
if TYPE_CHECKING:
    from ..model.clinic import Clinic
    from ..model.personal import PersonalCosts
    from ..model.plan import Plan, Terms
    from .financing import FinanceTerms
    from .personal import PersonalResult
    from .response import ResponseOdds, ResponseTerms
    from .savings import SavingsTerms
    from .tax import TaxEstimate, TaxInputs, TaxTerms


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
    ``tax`` adds the tax estimate per calendar year (docs/tax.md). Every scenario's
    figures come from the scenario kernel (docs/architecture.md).
    """
    start = start or dt.date.today()
    given = {"finance": finance, "savings": savings, "response": response}
    _check_inputs(clinic, plan, start, months, {**given, "personal": personal, "tax": tax})
    read_later = _read_later(plan, start)
    plan = met_for(plan, start)
    all_terms = _all_terms(clinic, plan, savings is not None, finance is not None)
    line = timeline(clinic, start, months, finance=finance)
    taxed = None if tax is None else _tax_inputs(tax, clinic, plan, line, personal)
    scenarios = tuple(scenario(t, line, savings=savings, tax=taxed) for t in all_terms)
    expected = expected_net(scenarios)
    stopped = odds = None
    if response is not None:
        stopped = _stopped(clinic, line, months, response, all_terms, finance, savings, taxed)
        odds = _odds(response, line, scenarios, *stopped)
    return Estimate(
        clinic=clinic,
        clinic_file=clinic_file,
        plan=plan,
        start=start,
        months=months,
        end=line.end,
        events=line.charges,
        phases=line.phases,
        total=line.total,
        series_total=line.series_total,
        sessions=line.sessions,
        average_per_session=line.average_per_session,
        scenarios=scenarios,
        expected_net=expected,
        response=odds,
        personal=None if personal is None else _personal(personal, line.charges, clinic.modality),
        financing=line.financing,
        savings=savings,
        tax=None
        if tax is None
        else _tax(
            tax,
            scenarios,
            [s.probability for s in scenarios if s.probability is not None]
            if expected is not None
            else None,
            None if stopped is None else stopped[1],
            response,
        ),
        warnings=estimate_warnings(clinic, line.charges, response)
        + (() if plan is None else _plan_warnings(all_terms, scenarios, clinic.currency))
        + read_later,
    )


def met_for(plan: Plan | None, start: dt.date, anchor: dt.date | None = None) -> Plan | None:
    """Return ``plan`` with nothing already met when its counters were read in another plan
    year than ``start``'s (the counters reset when the plan year does): read on
    ``already_met.as_of``, else on ``anchor``, else in ``start``'s own plan year."""
    if plan is None:
        return plan
    read = plan.already_met.as_of or anchor
    if read is None or not plan.already_met.anything:
        return plan
    from .claims import plan_year_start

    month_day = plan.plan_year_starts
    if plan_year_start(read, month_day) == plan_year_start(start, month_day):
        return plan
    return plan.model_copy(update={"already_met": type(plan.already_met)(as_of=read)})


def _read_later(plan: Plan | None, start: dt.date) -> tuple[str, ...]:
    """Warn when the plan's counters were read in a later plan year than the start's: they
    say nothing of the start's plan year, whose counters are taken as nothing met."""
    if plan is None or plan.already_met.as_of is None or not plan.already_met.anything:
        return ()
    from .claims import plan_year_start

    read, month_day = plan.already_met.as_of, plan.plan_year_starts
    if plan_year_start(read, month_day) <= plan_year_start(start, month_day):
        return ()
    return (
        f"The plan's already_met was read on {read.isoformat()}, in a later plan year than"
        f" the start ({start.isoformat()}): nothing is taken as met in the start's plan year;"
        " give what was met then, with its own as_of.",
    )


def _check_inputs(
    clinic: Clinic, plan: Plan | None, start: dt.date, months: int, terms: dict[str, object]
) -> None:
    """Raise ``InputError`` for terms of the wrong type, a horizon, start or plan out of bounds."""
    if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
        raise InputError.single(
            "start",
            f"expected a date, got {type(start).__name__} {start!r}",
            'pass a datetime.date, e.g. date(2027, 1, 4) or date.fromisoformat("2027-01-04")',
        )
    if isinstance(months, bool) or not isinstance(months, int):
        raise InputError.single(
            "months",
            f"expected a whole number of months, got {type(months).__name__} {months!r}",
            "pass an int, e.g. months=24",
        )
    _check_terms(**terms)
    wrong = months_problem(months)
    if wrong is not None:
        raise InputError.single("months", wrong.message, f"{wrong.hint}, e.g. months=24")
    mixed = plan_currency_problem(clinic, plan)
    if mixed is not None:
        raise InputError.single("plan.currency", mixed.message, mixed.hint)
    if not EARLIEST <= start <= LATEST:
        raise InputError.single(
            "start",
            f"the start {start.isoformat()} is outside the years {EARLIEST.year}–{LATEST.year}",
            "check the year of the first day of treatment",
        )
    refused = too_many_scenarios(plan) or too_many_charges(clinic, start, months)
    if refused is not None:
        dotted = ".".join(str(part) for part in refused.where)
        raise InputError.single(f"{refused.profile} {dotted}", refused.message, refused.hint)


def _all_terms(
    clinic: Clinic, plan: Plan | None, savings: bool, financed: bool
) -> list[Terms | None]:
    """Return each scenario's terms (self-pay alone without a plan), checked for coverage."""
    if plan is None and not savings:
        return [None]
    # imported here: a plain estimate loads none of the plan rules
    from .claims import check_coverage, plan_terms

    all_terms = plan_terms(clinic, plan)
    check_coverage(clinic, plan, all_terms, savings, financed)
    return all_terms


def _tax_inputs(
    tax: TaxTerms, clinic: Clinic, plan: Plan | None, line: Timeline, personal: PersonalCosts | None
) -> TaxInputs:
    """Return what each scenario's tax years need: the terms, the loan, the visits, a fare."""
    from .tax import TaxInputs, check_hsa

    if plan is not None:
        check_hsa(tax, plan, line.start.year)
    fare = ZERO if personal is None else personal.ride
    visits = tuple(clinic_visits(line.charges, clinic.modality))
    return TaxInputs(tax, line.financing, visits, fare)


def _stopped(
    clinic: Clinic,
    line: Timeline,
    months: int,
    response: ResponseTerms,
    all_terms: Sequence[Terms | None],
    finance: FinanceTerms | None,
    savings: SavingsTerms | None,
    taxed: TaxInputs | None,
) -> tuple[Timeline, tuple[ScenarioResult, ...]]:
    """Return the branch in which the treatment stops after ``response.stop_after`` sessions."""
    stopped = timeline(clinic, line.start, months, finance=finance, stop_after=response.stop_after)
    stopped_taxed = None
    if taxed is not None:
        visits = tuple(clinic_visits(stopped.charges, clinic.modality))
        stopped_taxed = replace(taxed, financing=stopped.financing, visits=visits)
    results = tuple(scenario(t, stopped, savings=savings, tax=stopped_taxed) for t in all_terms)
    return stopped, results


def _odds(
    response: ResponseTerms,
    line: Timeline,
    scenarios: Sequence[ScenarioResult],
    stopped: Timeline,
    stopped_scenarios: Sequence[ScenarioResult],
) -> ResponseOdds:
    from .response import odds

    return odds(
        response.rate,
        response.stop_after,
        line.total,
        stopped.total,
        [(s.name, s.net) for s in scenarios],
        [s.net for s in stopped_scenarios],
        [s.probability for s in scenarios],
    )


def _plan_warnings(
    all_terms: Sequence[Terms | None], scenarios: Sequence[ScenarioResult], currency: str
) -> tuple[str, ...]:
    """Return what the plan's terms and its scenarios' claims warn of."""
    first = all_terms[0]
    doubts: tuple[str, ...] = ()
    if first is not None and first.claimable:
        doubts = tuple(d.sentence() for d in terms_doubts(first, currency))
    return doubts + _limiting_charge(scenarios) + _claim_warnings(scenarios, currency)


LIMITING_CHARGE = (
    "Medicare allows less than the clinic bills, and the difference is shown as written off:"
    " only a clinic that accepts assignment writes it off. One that does not may bill you up"
    " to 115% of Medicare's amount (the limiting charge), which is not counted here; ask the"
    " clinic whether it accepts assignment."
)


def _limiting_charge(scenarios: Sequence[ScenarioResult]) -> tuple[str, ...]:
    """Warn where Original Medicare's not-allowed part is taken as written off
    (docs/insurance-rules.md, Medicare)."""
    for result in scenarios:
        terms = result.terms
        if (
            terms is not None
            and terms.coverage == "medicare"
            and terms.network == "in-network"
            and result.not_allowed > 0
        ):
            return (LIMITING_CHARGE,)
    return ()


def _claim_warnings(scenarios: Sequence[ScenarioResult], currency: str) -> tuple[str, ...]:
    """Return what the scenarios' claims warn of (see claims.claim_warnings).

    Only covered claims warn, and a scenario knows whether any of its claims may:
    one whose claims cannot warn is passed without them, so they are never worked
    out (see ScenarioResult.claims).
    """
    if not any(s.may_warn for s in scenarios):
        return ()
    from .claims import claim_warnings

    return claim_warnings([(s.name, s.claims if s.may_warn else ()) for s in scenarios], currency)


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
    return tax_estimate(
        terms,
        [s.tax or () for s in scenarios],
        weights,
        stopped_years,
        response,
        names=[s.name for s in scenarios],
    )
