"""What ``status`` gives back, and its JSON-ready form: plain dicts, money as two-place strings.

status.py works these records out; this module holds them and writes them as
data, and imports nothing from status.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..money import ZERO, format_money
from .claim_status import STATES, ClaimStatus, EobCheck
from .deadlines import Deadline, deadlines_data, ledger_deadlines

if TYPE_CHECKING:
    from ..model.ledger import Ledger
    from ..model.plan import Terms
    from .result import Estimate, ScenarioResult
    from .schedule import Charge


@dataclass(frozen=True, slots=True)
class Figures:
    """Paid to the clinic, reimbursed to the patient, and the difference."""

    paid: Decimal
    reimbursed: Decimal

    @property
    def net(self) -> Decimal:
        """What the patient is out: paid less reimbursed."""
        return self.paid - self.reimbursed


@dataclass(frozen=True, slots=True)
class Counters:
    """The deductible and out-of-pocket counters of one plan year, as the EOBs show them."""

    plan_year: dt.date
    deductible: Decimal
    deductible_met: Decimal
    out_of_pocket_max: Decimal | None
    out_of_pocket_met: Decimal
    eobs: int


@dataclass(frozen=True, slots=True)
class GoodFaithCheck:
    """What the clinic charged against its Good Faith Estimate."""

    estimate_date: dt.date
    total: Decimal
    charged: Decimal
    over_by: Decimal  # what was charged above the estimate
    crossed_on: dt.date | None  # the bill that took the charges over the dispute margin
    window_ends: dt.date | None
    days_left: int | None
    by_bill: bool = False  # a logged bill (not only the charges) took the total over
    # Why the dispute is not open to this patient, who is neither uninsured nor self-pay
    # (docs/deadlines.md); None when it is open to them.
    not_open: str | None = None
    # A plan could take claims for the treatment and none is logged yet: the patient is
    # self-pay, and the dispute open to them, only while no claim goes to it.
    while_unclaimed: bool = False

    @property
    def disputable(self) -> bool:
        """Whether the patient may start the dispute: the charges are over the estimate by
        the dispute margin or more, and the process is open to them."""
        return self.crossed_on is not None and self.not_open is None


@dataclass(frozen=True, slots=True)
class LedgerStatus:
    """Everything ``ketacost status`` reports, as of one date."""

    as_of: dt.date
    ledger: Ledger
    estimate: Estimate
    scenario: ScenarioResult
    terms: Terms | None
    so_far: Figures
    expected_by_now: Figures
    claims: tuple[ClaimStatus, ...]
    counters: Counters | None
    rest_from: dt.date
    rest: Figures
    rest_charges: int
    total_expected: Figures
    not_logged: tuple[Charge, ...]  # estimated by the as-of date but not logged
    unmatched: tuple[str, ...]  # visits whose label matches no estimated visit
    good_faith: GoodFaithCheck | None
    in_network: bool
    later: tuple[dt.date, ...] = ()  # the dates of entries after the as-of date: not counted
    warnings: tuple[str, ...] = ()  # what looks wrong in the claims (claim_status.claim_warnings)
    # the clinic is a bundled reference profile: its name, place, prices and codes are
    # another clinic's, so a letter leaves them for the patient to fill in
    reference_clinic: bool = False

    def count(self, state: str) -> int:
        """Return how many claims are in ``state``."""
        return sum(1 for claim in self.claims if claim.state == state)

    @property
    def checks(self) -> tuple[EobCheck, ...]:
        """The EOB checks, in date order."""
        return tuple(c.check for c in self.claims if c.check is not None)

    @property
    def still_to_come(self) -> Figures:
        """What the logged visits still cost and bring back: owed to an in-network clinic,
        and reimbursed still to come."""
        return Figures(
            sum((c.owed_to_clinic for c in self.claims), ZERO),
            sum((c.expected_back for c in self.claims), ZERO),
        )

    @property
    def deadlines(self) -> tuple[Deadline, ...]:
        """Every deadline of the claims and bills, open and closed, soonest first."""
        return ledger_deadlines(self)

    def to_dict(self) -> dict[str, Any]:
        """Return the status as JSON-ready data, as the JSON format of ``ketacost status``."""
        return status_data(self)


def _day(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _figures(figures: Figures) -> dict[str, str]:
    return {
        "paid": format_money(figures.paid),
        "reimbursed": format_money(figures.reimbursed),
        "net": format_money(figures.net),
    }


def status_data(status: LedgerStatus, ledger_file: str | None = None) -> dict[str, Any]:
    """Return the status as JSON-ready data (money as two-place strings)."""
    planned = status.estimate
    counters = status.counters
    gfe = status.good_faith
    return {
        "ledger": ledger_file,
        "as_of": status.as_of.isoformat(),
        **deadlines_data(status.deadlines, status.as_of),  # what to do next comes first
        "clinic": {"name": planned.clinic.name, "file": planned.clinic_file},
        "plan": None if planned.plan is None else {"name": planned.plan.name},
        "scenario": status.scenario.name,
        "network": planned.clinic.billing.network,
        "currency": planned.clinic.currency,
        "start": status.ledger.start.isoformat(),
        "end": (planned.end - dt.timedelta(days=1)).isoformat(),
        "so_far": _figures(status.so_far),
        "still_to_come_on_logged": _figures(status.still_to_come),
        "expected_by_now": _figures(status.expected_by_now),
        "rest_of_treatment": {
            "from": status.rest_from.isoformat(),
            "charges": status.rest_charges,
            **_figures(status.rest),
        },
        "total_expected": _figures(status.total_expected),
        "estimate": _figures(Figures(status.scenario.paid, status.scenario.reimbursed)),
        "claims": [_claim_data(c) for c in status.claims],
        "counts": {state.replace(" ", "_"): status.count(state) for state in STATES},
        "warnings": list(status.warnings),
        "counters": None
        if counters is None
        else {
            "plan_year": counters.plan_year.isoformat(),
            "deductible": format_money(counters.deductible),
            "deductible_met": format_money(counters.deductible_met),
            "out_of_pocket_max": None
            if counters.out_of_pocket_max is None
            else format_money(counters.out_of_pocket_max),
            "out_of_pocket_met": format_money(counters.out_of_pocket_met),
            "eobs": counters.eobs,
        },
        "not_logged": [
            {"date": c.date.isoformat(), "label": c.label, "amount": format_money(c.amount)}
            for c in status.not_logged
        ],
        "unmatched_visits": list(status.unmatched),
        "entries_after_as_of": len(status.later),
        "latest_entry": _day(max(status.later, default=None)),
        "good_faith_estimate": None
        if gfe is None
        else {
            "date": gfe.estimate_date.isoformat(),
            "total": format_money(gfe.total),
            "charged": format_money(gfe.charged),
            "over_by": format_money(gfe.over_by),
            "disputable": gfe.disputable,
            "bill_date": _day(gfe.crossed_on),
            "dispute_window_ends": _day(gfe.window_ends),
            "days_left": gfe.days_left,
            "by_bill": gfe.by_bill,
            "not_open_because": gfe.not_open,
            "only_while_unclaimed": gfe.while_unclaimed,
        },
    }


def _claim_data(claim: ClaimStatus) -> dict[str, Any]:
    check = claim.check
    return {
        "label": claim.label,
        "visit_date": claim.visit_date.isoformat(),
        "paid": format_money(claim.paid),
        "filed": _day(claim.filed),
        "state": claim.state,
        "age_days": claim.age_days,
        "filing_deadline": _day(claim.filing_deadline),
        "days_left": claim.days_left,
        "overdue_from": _day(claim.overdue_from),
        "payment_late_from": _day(claim.payment_late_from),
        "received": format_money(claim.received),
        "still_to_come": format_money(claim.expected_back),
        "owed_to_clinic": format_money(claim.owed_to_clinic),
        "eob": None
        if check is None
        else {
            "date": check.eob.date.isoformat(),
            "denied": check.eob.denied,
            "matches_terms": check.matches,
            "on_eob": {f: format_money(getattr(check.eob, f)) for f in check.predicted},
            "terms_give": {f: format_money(v) for f, v in check.predicted.items()},
            "differences": [d.field for d in check.differences],
            "advice": check.advice,
        },
    }
