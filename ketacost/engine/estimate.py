"""The whole estimate: schedule, claims per scenario, totals and cash flow."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import InputError
from ..model.clinic import Clinic
from ..model.personal import PersonalCosts
from ..model.plan import Plan, Terms
from ..money import ZERO, format_money, round_cents
from .cashflow import CashflowMonth, cashflow, paid_by_day, peak_outlay
from .claims import Claim, adjudicate
from .financing import FinanceTerms, Financing
from .financing import finance as finance_series
from .personal import PersonalResult, personal_costs
from .response import ResponseOdds, odds, response_terms
from .savings import SOURCE as SAVINGS_SOURCE
from .savings import SavingsTerms, apply_savings
from .schedule import MAX_MONTHS, Charge, horizon_end, schedule
from .tax import TaxEstimate, estimate_tax, tax_inputs

SELF_PAY = "Self-pay"


@dataclass(frozen=True, slots=True)
class LineItem:
    """Charges of one kind at one price: quantity × unit price, and when they fall."""

    phase: str
    description: str
    quantity: int
    unit_price: Decimal
    amount: Decimal
    first_date: dt.date
    last_date: dt.date


@dataclass(frozen=True, slots=True)
class Phase:
    """A group of line items with its subtotal: the series, one maintenance item, the fees."""

    name: str
    lines: tuple[LineItem, ...]
    subtotal: Decimal


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """What one insurance scenario makes of the charges."""

    name: str
    probability: Decimal | None
    paid: Decimal
    billed: Decimal
    allowed: Decimal
    deductible: Decimal
    coinsurance: Decimal
    reimbursed: Decimal
    balance_billed: Decimal
    net: Decimal
    peak_outlay: Decimal
    last_reimbursement: dt.date | None
    cashflow: tuple[CashflowMonth, ...]
    claims: tuple[Claim, ...]
    savings_program: Decimal = ZERO  # paid by the esketamine savings programme

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario as JSON-ready data (DESIGN §6; money as strings)."""
        return {
            "name": self.name,
            "probability": None if self.probability is None else str(self.probability),
            "paid": format_money(self.paid),
            "billed": format_money(self.billed),
            "allowed": format_money(self.allowed),
            "deductible_applied": format_money(self.deductible),
            "coinsurance": format_money(self.coinsurance),
            "reimbursed": format_money(self.reimbursed),
            "balance_billed": format_money(self.balance_billed),
            "savings_program": format_money(self.savings_program),
            "net": format_money(self.net),
            "peak_outlay": format_money(self.peak_outlay),
            "last_reimbursement": _iso(self.last_reimbursement),
            "cashflow": [
                {
                    "month": m.month,
                    "paid": format_money(m.paid),
                    "reimbursed": format_money(m.reimbursed),
                    "cumulative": format_money(m.cumulative),
                }
                for m in self.cashflow
            ],
            "claims": [_claim_dict(c) for c in self.claims],
        }


@dataclass(frozen=True, slots=True)
class Estimate:
    """What a clinic's treatment costs over a horizon, under each insurance scenario."""

    clinic: Clinic
    clinic_file: str | None
    plan: Plan | None
    start: dt.date
    months: int
    end: dt.date
    events: tuple[Charge, ...]
    phases: tuple[Phase, ...]
    total: Decimal
    series_total: Decimal
    sessions: int
    average_per_session: Decimal
    scenarios: tuple[ScenarioResult, ...]
    expected_net: Decimal | None
    response: ResponseOdds | None = None
    personal: PersonalResult | None = None
    financing: Financing | None = None
    savings: SavingsTerms | None = None
    tax: TaxEstimate | None = None

    @property
    def net(self) -> Decimal:
        """The net cost to rank by: the expected net where probabilities exist, else the first."""
        return self.expected_net if self.expected_net is not None else self.scenarios[0].net

    @property
    def source_age_days(self) -> int | None:
        """Days from the date the prices were checked to the start, when known."""
        source = self.clinic.source
        if source is None or source.checked is None:
            return None
        return (self.start - source.checked).days

    def to_dict(self) -> dict[str, Any]:
        """Return the estimate as JSON-ready data: the object of DESIGN §6, and more."""
        clinic = self.clinic
        source = clinic.source
        return {
            "clinic": {
                "name": clinic.name,
                "file": self.clinic_file,
                "location": clinic.location,
                "modality": clinic.modality,
                "source": None if source is None else source.model_dump(mode="json"),
                "source_age_days": self.source_age_days,
            },
            "plan": None if self.plan is None else {"name": self.plan.name},
            "currency": clinic.currency,
            "start": self.start.isoformat(),
            "end": (self.end - dt.timedelta(days=1)).isoformat(),
            "months": self.months,
            "events": [
                {
                    "date": e.date.isoformat(),
                    "item": e.item,
                    "label": e.label,
                    "amount": format_money(e.amount),
                    "claimable": e.claimable,
                    "phase": e.phase,
                }
                for e in self.events
            ],
            "lines": [
                {
                    "phase": li.phase,
                    "description": li.description,
                    "quantity": li.quantity,
                    "unit_price": format_money(li.unit_price),
                    "amount": format_money(li.amount),
                    "first_date": li.first_date.isoformat(),
                    "last_date": li.last_date.isoformat(),
                }
                for phase in self.phases
                for li in phase.lines
            ],
            "phases": [{"name": p.name, "subtotal": format_money(p.subtotal)} for p in self.phases],
            "total": format_money(self.total),
            "series_total": format_money(self.series_total),
            "sessions": self.sessions,
            "average_per_session": format_money(self.average_per_session),
            "scenarios": [s.to_dict() for s in self.scenarios],
            "expected_net": None if self.expected_net is None else format_money(self.expected_net),
            "response": None if self.response is None else self.response.to_dict(),
            "personal": None if self.personal is None else self.personal.to_dict(),
            "financing": None if self.financing is None else _financing_dict(self.financing),
            "savings_program": None
            if self.savings is None
            else {
                "floor": format_money(self.savings.floor),
                "annual_cap": format_money(self.savings.annual_cap),
                "source": SAVINGS_SOURCE,
            },
            "tax": None if self.tax is None else self.tax.to_dict(),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """Return ``to_dict()`` as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _financing_dict(financing: Financing) -> dict[str, Any]:
    terms = financing.terms
    risk = financing.deferred_interest_risk
    return {
        "name": terms.name,
        "months": terms.months,
        "apr": str(terms.apr),
        "principal": format_money(financing.principal),
        "down_payment": format_money(financing.down_payment),
        "monthly_payment": format_money(financing.monthly_payment),
        "total_interest": format_money(financing.total_interest),
        "total_paid": format_money(financing.total_paid),
        "deferred_interest": terms.deferred_interest,
        "deferred_interest_risk": None if risk is None else format_money(risk),
        "payments": [
            {"date": d.isoformat(), "amount": format_money(a)} for d, a in financing.payments
        ],
    }


def _claim_dict(claim: Claim) -> dict[str, Any]:
    left = claim.out_of_pocket_left
    return {
        "date": claim.charge.date.isoformat(),
        "label": claim.charge.label,
        "paid": format_money(claim.paid),
        "billed": format_money(claim.billed),
        "allowed": format_money(claim.allowed),
        "deductible_applied": format_money(claim.deductible),
        "coinsurance": format_money(claim.coinsurance),
        "reimbursed": format_money(claim.reimbursed),
        "balance_billed": format_money(claim.balance_billed),
        "reimbursed_on": claim.reimbursed_on.isoformat() if claim.reimbursed else None,
        "deductible_left": format_money(claim.deductible_left),
        "out_of_pocket_left": None if left is None else format_money(left),
    }


def _phases(events: Sequence[Charge]) -> tuple[Phase, ...]:
    grouped: dict[str, dict[tuple[str, Decimal], list[Charge]]] = {}
    for event in events:
        grouped.setdefault(event.phase, {}).setdefault((event.line, event.amount), []).append(event)
    phases = []
    for name, lines in grouped.items():
        items = tuple(
            LineItem(
                name,
                _describe(line, charges),
                len(charges),
                price,
                price * len(charges),
                charges[0].date,
                charges[-1].date,
            )
            for (line, price), charges in lines.items()
        )
        phases.append(Phase(name, items, sum((i.amount for i in items), ZERO)))
    rank = {event.phase: event.rank for event in events}
    return tuple(sorted(phases, key=lambda p: rank[p.name]))


def _describe(line: str, charges: Sequence[Charge]) -> str:
    if charges[0].item != "series":
        return charges[0].phase if line.lower() in charges[0].phase.lower() else line
    first, last = charges[0].label.split()[-1], charges[-1].label.split()[-1]
    return f"{line} {first}–{last}" if first != last else f"{line} {first}"


def _scenario(
    terms: Terms | None,
    events: Sequence[Charge],
    daily: dict[dt.date, Decimal],
    start: dt.date,
    end: dt.date,
    savings: SavingsTerms | None = None,
) -> ScenarioResult:
    claims = adjudicate(events, terms, start) if terms is not None else []
    paid = sum(daily.values(), ZERO)
    reimbursed = sum((c.reimbursed for c in claims), ZERO)
    returns = [(c.reimbursed_on, c.reimbursed) for c in claims if c.reimbursed]
    paid_back = [day for day, _ in returns]
    program = ZERO
    if savings is not None:
        lines = apply_savings(_treatment_costs(events, claims), savings)
        program = sum((line.paid_by_program for line in lines), ZERO)
        returns += [(line.date, line.paid_by_program) for line in lines if line.paid_by_program]
    return ScenarioResult(
        name=terms.name if terms is not None else SELF_PAY,
        probability=terms.probability if terms is not None else None,
        paid=paid,
        billed=sum((c.billed for c in claims), ZERO),
        allowed=sum((c.allowed for c in claims), ZERO),
        deductible=sum((c.deductible for c in claims), ZERO),
        coinsurance=sum((c.coinsurance for c in claims), ZERO),
        reimbursed=reimbursed,
        balance_billed=sum((c.balance_billed for c in claims), ZERO),
        net=paid - reimbursed - program,
        peak_outlay=peak_outlay(daily, returns),
        last_reimbursement=max(paid_back) if paid_back else None,
        cashflow=tuple(cashflow(daily, returns, start, end)),
        claims=tuple(claims),
        savings_program=program,
    )


def _cash_out(
    events: Sequence[Charge], finance: FinanceTerms | None
) -> tuple[dict[dt.date, Decimal], Financing | None]:
    """Return what leaves the patient's pocket each day, and the loan when the series is financed."""
    series = [e for e in events if e.item == "series"]
    if finance is None or not series:
        return paid_by_day(events), None
    financing = finance_series(sum((e.amount for e in series), ZERO), series[0].date, finance)
    daily = paid_by_day(e for e in events if e.item != "series")
    for day, amount in financing.payments:
        daily[day] = daily.get(day, ZERO) + amount
    return daily, financing


def _treatment_costs(
    events: Sequence[Charge], claims: Sequence[Claim]
) -> list[tuple[dt.date, Decimal]]:
    """Return each esketamine treatment's drug cost left to the patient after insurance."""
    back = {id(claim.charge): claim.reimbursed for claim in claims}
    costs = []
    for event in events:
        if event.drug is None:
            continue
        left = event.amount - back.get(id(event), ZERO)
        costs.append((event.date, max(min(event.drug, left), ZERO)))
    return costs


def estimate(
    clinic: Clinic,
    plan: Plan | None = None,
    *,
    start: dt.date | None = None,
    months: int = 12,
    clinic_file: str | None = None,
    response_rate: Decimal | str | None = None,
    stop_after: int | None = None,
    personal: PersonalCosts | None = None,
    finance: FinanceTerms | None = None,
    savings: SavingsTerms | None = None,
    marginal_rate: Decimal | str | None = None,
    agi: Decimal | str | None = None,
) -> Estimate:
    """Return what ``clinic`` costs from ``start`` over ``months``, under ``plan``'s scenarios.

    With ``response_rate`` (e.g. ``"50%"``) the estimate also weighs a second
    branch in which the treatment does not help and stops after ``stop_after``
    series sessions (default 3). ``personal`` adds rides, time off and childcare
    per visit, shown apart from the clinic's charges. ``finance`` pays for the
    series with a loan: a down payment at the first session, then monthly
    payments, which the cash flow and net cost use instead of the series charges.
    ``savings`` applies the esketamine savings programme; ``marginal_rate`` and
    ``agi`` add tax estimates.
    """
    start = start or dt.date.today()
    response = response_terms(response_rate, stop_after)
    tax = tax_inputs(marginal_rate, agi)
    if not 1 <= months <= MAX_MONTHS:
        raise InputError.single(
            "--months",
            f"months must be from 1 to {MAX_MONTHS}, not {months}",
            "use a horizon of at most ten years, e.g. --months 24",
        )
    if plan is not None and plan.currency != clinic.currency:
        raise InputError.single(
            plan.name,
            f"the plan is in {plan.currency} but the clinic {clinic.name!r} prices in"
            f" {clinic.currency}",
            "use a plan and a clinic in the same currency",
        )
    end = horizon_end(start, months)
    events = tuple(schedule(clinic, start, months))
    sessions = [e for e in events if e.is_session]
    total = sum((e.amount for e in events), ZERO)
    all_terms: list[Terms | None] = list(plan.terms()) if plan is not None else [None]
    daily, financing = _cash_out(events, finance)
    scenarios = tuple(_scenario(terms, events, daily, start, end, savings) for terms in all_terms)
    expected = None
    weights = [s.probability for s in scenarios if s.probability is not None]
    if plan is not None and plan.scenarios and len(weights) == len(scenarios):
        expected = round_cents(
            sum((s.net * weight for s, weight in zip(scenarios, weights, strict=True)), ZERO)
        )
    odds_result = None
    if response is not None:
        rate, stop = response
        stopped = tuple(schedule(clinic, start, months, stop_after=stop))
        stopped_daily, _ = _cash_out(stopped, finance)
        odds_result = odds(
            rate,
            stop,
            total,
            sum((e.amount for e in stopped), ZERO),
            [(s.name, s.net) for s in scenarios],
            [_scenario(t, stopped, stopped_daily, start, end, savings).net for t in all_terms],
        )
    net = expected if expected is not None else scenarios[0].net
    interest = financing.total_interest if financing is not None else ZERO
    medical = max(net - interest, ZERO)  # loan interest is not a medical expense
    return Estimate(
        clinic=clinic,
        clinic_file=clinic_file,
        plan=plan,
        start=start,
        months=months,
        end=end,
        events=events,
        phases=_phases(events),
        total=total,
        series_total=sum((e.amount for e in events if e.item == "series"), ZERO),
        sessions=len(sessions),
        average_per_session=round_cents(total / len(sessions)) if sessions else ZERO,
        scenarios=scenarios,
        expected_net=expected,
        response=odds_result,
        personal=None if personal is None else personal_costs(personal, events, clinic.modality),
        financing=financing,
        savings=savings,
        tax=None if tax is None else estimate_tax(medical, *tax),
    )
