"""What an estimate gives back: line items, phases, scenario results, and their JSON form."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from ..money import ZERO, format_money
from .cashflow import cashflow

if TYPE_CHECKING:  # the optional parts are imported only by the runs that use them
    from ..model.clinic import Clinic
    from ..model.plan import Plan, Terms
    from .cashflow import CashflowMonth, Outlay
    from .claims import Claim
    from .financing import Financing
    from .personal import PersonalResult
    from .response import ResponseOdds
    from .savings import SavingsTerms
    from .schedule import Charge
    from .tax import TaxEstimate, TaxYear


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


class Later:
    """What a scenario's claims and months are worked out from, and them once worked out.

    A scenario's figures are gathered as its claims are decided, without records;
    the claim records and the month-by-month cash flow are made from what is kept
    here the first time something reads them (a sweep never does), then kept. None
    of it takes part in a result's equality, hash or repr: it follows from the figures.
    """

    __slots__ = ("charges", "claims", "may_warn", "months", "outlay", "returns", "start", "terms")

    def __init__(
        self,
        *,
        terms: Terms | None = None,
        outlay: Outlay | None = None,
        returns: tuple[tuple[dt.date, Decimal], ...] = (),
        claims: tuple[Claim, ...] | None = None,
        charges: tuple[Charge, ...] = (),
        start: dt.date | None = None,
        may_warn: bool = True,
    ) -> None:
        # the terms the claims are (to be) decided by: a copy made with other terms
        # (``_replace(terms=...)``) shares this holder, and works out its own claims
        self.terms = terms
        self.outlay = outlay  # what leaves the patient's pocket, by day
        self.returns = returns  # each sum paid back, with its date
        self.claims = claims  # None until first read
        self.charges = charges
        self.start = start
        self.may_warn = may_warn  # False when no claim can warn (claims.claim_warnings)
        self.months: tuple[CashflowMonth, ...] | None = None  # None until first read


class ScenarioResult(NamedTuple):
    """What one insurance scenario makes of the charges.

    A named tuple, as ``Terms`` is: immutable and hashable, and made at tuple speed
    (docs/architecture.md). ``later`` keeps what the claims and the months are worked
    out from when first read; it takes no part in equality, hash or repr.
    """

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
    savings_program: Decimal = ZERO  # paid by the esketamine savings program
    copay: Decimal = ZERO
    plan_part: Decimal = ZERO  # allowed − the patient's share, summed over the claims
    plan_paid: Decimal = ZERO  # in network: paid by the plan to the clinic
    not_allowed: Decimal = ZERO  # billed − allowed: the plan's view
    terms: Terms | None = None  # the terms these claims were adjudicated by
    tax: tuple[TaxYear, ...] | None = None  # per calendar year, with tax terms
    later: Later | None = None  # None: no claims or months to work out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ScenarioResult):
            return NotImplemented
        return self[:-1] == other[:-1]

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self[:-1])

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={value!r}" for name, value in zip(self._fields[:-1], self[:-1], strict=True)
        )
        return f"ScenarioResult({shown})"

    @property
    def in_network(self) -> bool:
        """Whether the plan pays the clinic directly under this scenario."""
        return self.terms is not None and self.terms.in_network

    @property
    def may_warn(self) -> bool:
        """False when no claim can warn (see claims.claim_warnings): they need not be read."""
        return self.later is None or self.later.may_warn

    @property
    def claims(self) -> tuple[Claim, ...]:
        """The claim for each claimable charge, in date order (see engine/claims.py)."""
        later = self.later
        if later is None:
            return ()
        terms = self.terms
        own = later.terms is terms or later.terms == terms  # not a copy with other terms
        made = later.claims
        if made is None or not own:
            made = ()
            if terms is not None and later.start is not None:
                from .claims import adjudicate

                made = tuple(adjudicate(later.charges, terms, later.start))
            if own:
                later.claims = made  # worked out once, then kept
        return made

    @property
    def cashflow(self) -> tuple[CashflowMonth, ...]:
        """Every month from the start through the horizon and the last money back."""
        later = self.later
        if later is None:
            return ()
        months = later.months
        if months is None:
            months = () if later.outlay is None else tuple(cashflow(later.outlay, later.returns))
            later.months = months  # worked out once, then kept
        return months

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario as JSON-ready data (docs/output.md; money as strings)."""
        return {
            "name": self.name,
            "probability": None if self.probability is None else str(self.probability),
            "paid": format_money(self.paid),
            "billed": format_money(self.billed),
            "allowed": format_money(self.allowed),
            "deductible_applied": format_money(self.deductible),
            "copay": format_money(self.copay),
            "coinsurance": format_money(self.coinsurance),
            "plan_part": format_money(self.plan_part),
            "plan_paid": format_money(self.plan_paid),
            "not_allowed": format_money(self.not_allowed),
            "reimbursed": format_money(self.reimbursed),
            "balance_billed": format_money(self.balance_billed),
            "network": None if self.terms is None else self.terms.network,
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
            "tax": None
            if self.tax is None
            else {
                "years": [y.to_dict() for y in self.tax],
                "total_saving": format_money(sum((y.saving for y in self.tax), ZERO)),
            },
        }


class Estimate(NamedTuple):
    """What a clinic's treatment costs over a horizon, under each insurance scenario.

    A named tuple, as ``ScenarioResult`` is: immutable, made at tuple speed.
    """

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
    warnings: tuple[str, ...] = ()  # what the reader must know before the figures

    @property
    def net(self) -> Decimal:
        """The net cost to rank by: the expected net where probabilities exist, else the first."""
        return self.expected_net if self.expected_net is not None else self.scenarios[0].net

    @property
    def series_with_fees(self) -> Decimal:
        """The induction series with the fees charged at each of its sessions (a
        membership, a monitoring fee): what the series costs, as compare shows and ranks
        it, so a clinic that prices part of each session as a fee is not ranked cheaper."""
        per_session = {fee.name for fee in self.clinic.fees if fee.per == "session"}
        days = {c.date for c in self.events if c.item == "series"}
        fees = [
            c.amount
            for c in self.events
            if c.item == "fee" and c.line in per_session and c.date in days
        ]
        return self.series_total + sum(fees, ZERO)

    def tax_saved(self, stands: int | None = None) -> Decimal | None:
        """The tax saved over the horizon: in the scenario that stands for you (its place
        ``stands``), else as the tax table gives it (weighed, or the only scenario's)."""
        if self.tax is None:
            return None
        if stands is not None and len(self.scenarios) > 1:
            years = self.scenarios[stands].tax
            if years is not None:
                return sum((y.saving for y in years), ZERO)
        return self.tax.total_saving

    @property
    def source_age_days(self) -> int | None:
        """Days from the prices' date (published, else checked) to the start, when known."""
        from ..model.common import price_age_days

        return price_age_days(self.clinic.source, self.start)

    def to_dict(self) -> dict[str, Any]:
        """Return the estimate as JSON-ready data: the object docs/output.md describes."""
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
            "plan": None
            if self.plan is None
            else {
                "name": self.plan.name,
                "coverage": self.plan.coverage,
                "network": self.clinic.billing.network,
            },
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
            "series_with_fees": format_money(self.series_with_fees),
            "sessions": self.sessions,
            "average_per_session": format_money(self.average_per_session),
            "scenarios": [s.to_dict() for s in self.scenarios],
            "terms": [s.terms.to_dict() for s in self.scenarios if s.terms is not None],
            "expected_net": None if self.expected_net is None else format_money(self.expected_net),
            "response": None if self.response is None else self.response.to_dict(),
            "personal": None if self.personal is None else self.personal.to_dict(),
            "financing": None if self.financing is None else _financing_dict(self),
            "savings_program": None
            if self.savings is None
            else {
                "floor": format_money(self.savings.floor),
                "annual_cap": format_money(self.savings.annual_cap),
                "source": savings_source(),
                "observation_rebate_cap": None
                if self.savings.observation_rebate_cap is None
                else format_money(self.savings.observation_rebate_cap),
                "observation_rebate_note": self.savings.rebate_note(),
            },
            "tax": None if self.tax is None else self.tax.to_dict(),
            "warnings": list(self.warnings),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """Return ``to_dict()`` as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def savings_source() -> str:
    """Return where the savings program's terms come from."""
    from .savings import SOURCE

    return SOURCE


def _financing_dict(estimate: Estimate) -> dict[str, Any]:
    financing = estimate.financing
    assert financing is not None
    terms = financing.terms
    risk = financing.deferred_interest_risk

    def nets(extra: Decimal) -> list[dict[str, str]]:
        return [
            {"scenario": s.name, "net": format_money(s.net + extra)} for s in estimate.scenarios
        ]

    def payments(dated: tuple[tuple[dt.date, Decimal], ...]) -> list[dict[str, str]]:
        return [{"date": d.isoformat(), "amount": format_money(a)} for d, a in dated]

    missed = financing.missed
    return {
        "name": terms.name,
        "lender": terms.lender,
        "months": terms.months,
        "apr": str(terms.apr),
        "principal": format_money(financing.principal),
        "down_payment": format_money(financing.down_payment),
        "monthly_payment": format_money(financing.monthly_payment),
        "last_payment": format_money(financing.last_payment),
        "total_interest": format_money(financing.total_interest),
        "total_paid": format_money(financing.total_paid),
        "deferred_interest": terms.deferred_interest,
        "deferred_interest_risk": None if risk is None else format_money(risk),
        "payments": payments(financing.payments),
        "paid_in_time": None
        if missed is None
        else {
            "flagged": False,
            "interest": format_money(financing.total_interest),
            "total_paid": format_money(financing.total_paid),
            "net": nets(ZERO),
        },
        "not_paid_in_time": None
        if missed is None
        else {
            "flagged": True,
            "interest": format_money(missed.interest),
            "charged_on": missed.ends.isoformat(),
            "total_paid": format_money(missed.total_paid),
            "payments": payments(missed.payments),
            "net": nets(missed.interest),
            "expected_net": None
            if estimate.expected_net is None
            else format_money(estimate.expected_net + missed.interest),
        },
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
        "copay": format_money(claim.copay),
        "coinsurance": format_money(claim.coinsurance),
        "plan_part": format_money(claim.plan_part),
        "plan_paid": format_money(claim.plan_paid),
        "not_allowed": format_money(claim.not_allowed),
        "reimbursed": format_money(claim.reimbursed),
        "balance_billed": format_money(claim.balance_billed),
        "covered": claim.covered,
        "reimbursed_on": claim.reimbursed_on.isoformat() if claim.reimbursed else None,
        "deductible_left": format_money(claim.deductible_left),
        "out_of_pocket_left": None if left is None else format_money(left),
    }
