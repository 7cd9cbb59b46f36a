"""Where a treatment stands on a date, rule by rule, with every figure by hand.

Clinic: three $1,000 sessions a week apart from Monday 2027-01-04 (Jan 4, 11, 18),
out of network, superbills. Plan: commercial, allowed 100% of billed, no deductible,
20% coinsurance, reimbursed 30 days after the visit, so the plan pays 1,000 × 80% = 800
per session (docs/ledger-format.md, docs/adjudication.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ketacost.engine.status import GoodFaithCheck, ledger_status
from ketacost.model.clinic import Clinic
from ketacost.model.ledger import Ledger
from ketacost.model.plan import Plan

D = Decimal
JAN_4, JAN_11, JAN_18 = dt.date(2027, 1, 4), dt.date(2027, 1, 11), dt.date(2027, 1, 18)
CLINIC = Clinic.model_validate(
    {
        "name": "Three-session clinic",
        "series": {"sessions": 3, "every_weeks": 1, "price": 1000},
        "billing": {"network": "out-of-network", "superbill": True},
    }
)
PLAN = Plan.model_validate(
    {
        "kind": "plan",
        "name": "Employer plan",
        "coverage": "commercial",
        "out_of_network": {"coinsurance": "20%", "allowed": "100%"},
        "claims": {"paid_after_days": 30, "filing_deadline_days": 90},
    }
)


def ledger(*entries: dict[str, Any], gfe: int | None = None) -> Ledger:
    data: dict[str, Any] = {"clinic": "clinic.yaml", "start": JAN_4, "months": 3}
    if gfe is not None:
        data["good_faith_estimate"] = {"date": dt.date(2027, 1, 2), "total": gfe}
    return Ledger.model_validate({**data, "entries": list(entries)})


def visit(label: str, day: dt.date, paid: int = 1000) -> dict[str, Any]:
    return {"date": day, "visit": label, "paid": paid}


THREE_VISITS = (
    visit("Session 1", JAN_4),
    visit("Session 2", JAN_11),
    visit("Session 3", JAN_18),
)


def test_the_estimate_expected_by_now_counts_a_visit_on_the_status_date() -> None:
    """A session dated on the as-of day is one the estimate expected by then."""
    status = ledger_status(ledger(), CLINIC, None, JAN_11)
    # docs/ledger-format.md: the charges dated up to the status date: Jan 4 and Jan 11
    assert status.expected_by_now.paid == D(1000 + 1000)
    status = ledger_status(ledger(), CLINIC, None, JAN_11 - dt.timedelta(days=1))
    assert status.expected_by_now.paid == D(1000)


def test_the_estimate_expected_a_reimbursement_due_on_the_status_date() -> None:
    """A reimbursement due on the as-of day is one the estimate expected by then."""
    # Session 1, Jan 4 + 30 days = Feb 3: the plan pays 1,000 × 80% = 800
    due = JAN_4 + dt.timedelta(days=30)
    assert due == dt.date(2027, 2, 3)
    status = ledger_status(ledger(*THREE_VISITS), CLINIC, PLAN, due)
    # docs/ledger-format.md: the reimbursements due by the status date
    assert status.expected_by_now.reimbursed == D(1000 * 80 // 100)
    status = ledger_status(ledger(*THREE_VISITS), CLINIC, PLAN, due - dt.timedelta(days=1))
    assert status.expected_by_now.reimbursed == D(0)


def test_a_visit_whose_label_the_estimate_lacks_is_unmatched() -> None:
    """A logged visit that names no estimated visit is listed as unmatched; the others not."""
    entries = (*THREE_VISITS, visit("Session 9", JAN_18))
    status = ledger_status(ledger(*entries), CLINIC, None, JAN_18)
    assert status.unmatched == ("Session 9",)
    # paid counts every logged visit, matched or not: 3 × 1,000 + 1,000
    assert status.so_far.paid == D(1000 * 3 + 1000)


MAR_10, APR_1, MAY_1 = dt.date(2027, 3, 10), dt.date(2027, 4, 1), dt.date(2027, 5, 1)


def good_faith(*entries: dict[str, Any]) -> GoodFaithCheck:
    status = ledger_status(ledger(*THREE_VISITS, *entries, gfe=3000), CLINIC, None, MAY_1)
    assert status.good_faith is not None
    return status.good_faith


def test_a_bill_exactly_400_over_the_estimate_opens_the_dispute() -> None:
    """A bill of exactly the estimate + $400 is enough: $400 or more over."""
    gfe = good_faith({"date": MAR_10, "bill": 3000 + 400})
    # docs/deadlines.md: the first bill that puts the total $400 or more over the estimate
    assert (gfe.crossed_on, gfe.by_bill, gfe.disputable) == (MAR_10, True, True)
    assert gfe.charged == D(3400) and gfe.over_by == D(3400 - 3000)
    # Mar 10 + 120 days: 21 to Mar 31, Apr 30, May 31, Jun 30 = 112, 8 into July
    assert gfe.window_ends == dt.date(2027, 7, 8)
    assert gfe.days_left == (dt.date(2027, 7, 8) - MAY_1).days == 30 + 31 + 7


def test_a_bill_under_400_over_the_estimate_opens_nothing() -> None:
    """A bill $100 over the estimate is under the $400 margin: nothing to dispute."""
    gfe = good_faith({"date": MAR_10, "bill": 3000 + 100})
    # docs/deadlines.md: $400 or more above the estimate
    assert gfe.crossed_on is None and not gfe.disputable and not gfe.by_bill
    assert (gfe.window_ends, gfe.days_left) == (None, None)
    # what was charged is the larger of the bill and the visits: max(3,100, 3,000)
    assert gfe.charged == D(3100) and gfe.over_by == D(100)


def test_the_first_bill_over_the_margin_starts_the_window_not_a_later_one() -> None:
    """Two bills over the margin: the 120 days run from the first."""
    gfe = good_faith({"date": MAR_10, "bill": 3500}, {"date": APR_1, "bill": 3600})
    # docs/deadlines.md: the first `bill` that puts the total $400 or more over
    assert (gfe.crossed_on, gfe.by_bill) == (MAR_10, True)
    # the latest bill states the total charged so far: 3,600, 600 over
    assert (gfe.charged, gfe.over_by) == (D(3600), D(3600 - 3000))


def test_a_bill_under_the_margin_then_one_over_starts_at_the_second() -> None:
    """A bill under the margin does not start the window; the later one over it does."""
    gfe = good_faith({"date": MAR_10, "bill": 3100}, {"date": APR_1, "bill": 3400})
    assert (gfe.crossed_on, gfe.by_bill) == (APR_1, True)


def test_a_visit_due_on_the_status_date_and_not_logged_is_listed() -> None:
    """A session the estimate dates on the as-of day, not logged, is "not logged"."""
    status = ledger_status(ledger(THREE_VISITS[0]), CLINIC, None, JAN_11)
    # docs/ledger-format.md: visits due by the as-of date but not logged; Session 2 is Jan 11
    assert [(c.label, c.date) for c in status.not_logged] == [("Session 2", JAN_11)]
    # the rest of the treatment still counts it, and Session 3: 2 × 1,000
    assert (status.rest_charges, status.rest.paid) == (2, D(1000 * 2))
