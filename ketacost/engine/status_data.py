"""The ledger status as JSON-ready data: plain dicts, money as two-place strings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..money import format_money
from .claim_status import STATES, ClaimStatus
from .deadlines import deadlines_data
from .status import Figures, LedgerStatus


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
        "received": format_money(claim.received),
        "still_to_come": format_money(claim.expected_back),
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
