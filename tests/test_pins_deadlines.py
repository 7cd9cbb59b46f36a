"""Deadlines rule by rule (docs/deadlines.md), from small hand-made claims and entries.

A claim for Session 1, a visit on 2027-01-04 filed on 2027-01-25, unless a test says
otherwise; every date is counted by hand on the calendar.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from ketacost.engine.claim_status import ClaimStatus
from ketacost.engine.deadlines import (
    Deadline,
    claim_deadlines,
    deadlines_data,
    dispute_deadline,
    soonest_first,
)
from ketacost.engine.status_data import GoodFaithCheck
from ketacost.model.ledger import Ledger

D = Decimal
VISIT, FILED = dt.date(2027, 1, 4), dt.date(2027, 1, 25)
FEB_20, MAR_5 = dt.date(2027, 2, 20), dt.date(2027, 3, 5)
AS_OF = dt.date(2027, 12, 31)


def claim(received: str = "0", filed: dt.date | None = FILED) -> ClaimStatus:
    return ClaimStatus(
        label="Session 1",
        visit_date=VISIT,
        paid=D(1000),
        filed=filed,
        state="waiting",
        age_days=None,
        filing_deadline=None,
        days_left=None,
        overdue_from=None,
        received=D(received),
        expected_back=D(0),
        check=None,
    )


def deadlines(
    *entries: dict[str, Any], coverage: str = "commercial", received: str = "0"
) -> dict[str, Deadline]:
    ledger = Ledger.model_validate(
        {"clinic": "clinic.yaml", "start": VISIT, "entries": list(entries)}
    )
    found = claim_deadlines(
        ledger,
        [claim(received)],
        coverage=coverage,
        in_network=False,
        filing_deadline_days=90,
        paid_after_days=30,
        grace_days=15,
        as_of=AS_OF,
    )
    return {d.key: d for d in found}


def eob(day: dt.date, denied: str | None = None) -> dict[str, Any]:
    if denied is not None:
        return {"date": day, "eob": "Session 1", "denied": denied}
    return {"date": day, "eob": "Session 1", "allowed": 1000, "plan_pays": 800}


def appeal(day: dt.date, level: str = "internal") -> dict[str, Any]:
    return {"date": day, "appeal": "Session 1", "level": level}


def test_a_deadline_is_open_on_its_day_and_passed_the_day_after() -> None:
    """On the due date a deadline is still open with 0 days left; the next day it has passed."""
    due = dt.date(2027, 2, 24)
    deadline = Deadline("plan-decides", "Session 1", due, "ask", "rule", "entry")
    assert (deadline.state(due), deadline.days_left(due)) == ("open", 0)
    after = due + dt.timedelta(days=1)
    assert (deadline.state(after), deadline.days_left(after)) == ("passed", -1)
    # Feb 24 is 4 days after Feb 20
    assert (deadline.state(FEB_20), deadline.days_left(FEB_20)) == ("open", 4)
    assert deadline.is_open and deadline.key == "plan-decides:Session 1"
    closed = dataclasses.replace(deadline, closed="answered")
    assert not closed.is_open and closed.state(after) == "closed"
    undated = dataclasses.replace(deadline, due=None)
    assert (undated.state(after), undated.days_left(after)) == ("no date", None)


def test_a_deadline_cannot_be_changed() -> None:
    """A deadline is a record: changing its date raises instead of moving it."""
    deadline = Deadline("gfe-dispute", None, FEB_20, "dispute", "rule", "entry")
    assert deadline.key == "gfe-dispute"  # no visit: the kind alone
    with pytest.raises(dataclasses.FrozenInstanceError):
        deadline.due = MAR_5  # type: ignore[misc]


def test_soonest_first_orders_by_date_then_kind_then_visit_and_undated_last() -> None:
    """docs/deadlines.md: soonest first; those with no date come last."""

    def made(kind: Any, visit: str | None, due: dt.date | None) -> Deadline:
        return Deadline(kind, visit, due, "what", "rule", "entry")

    undated = made("appeal", "Session 1", None)
    late = made("file-claim", "Session 1", MAR_5)
    # the same date: kinds in their order (file-claim before overdue), then the visit
    overdue_b = made("overdue", "Session 2", FEB_20)
    overdue_a = made("overdue", "Session 1", FEB_20)
    filing = made("file-claim", "Session 3", FEB_20)
    ordered = soonest_first([undated, late, overdue_b, overdue_a, filing])
    assert ordered == [filing, overdue_a, overdue_b, late, undated]


def test_an_appeal_dated_the_day_of_the_denial_closes_it() -> None:
    """docs/deadlines.md: an appeal entry dated on or after the EOB closes the appeal."""
    found = deadlines(eob(FEB_20, "not medically necessary"), appeal(FEB_20))
    assert found["appeal:Session 1"].closed == "appealed on 2027-02-20"
    # one dated before the denial does not: it appeals something else
    found = deadlines(appeal(FEB_20 - dt.timedelta(days=1)), eob(FEB_20, "experimental"))
    assert found["appeal:Session 1"].closed is None


def test_the_latest_eob_decides_whether_there_is_a_denial_to_appeal() -> None:
    """A denial later paid on a second EOB leaves nothing to appeal; the reverse does."""
    found = deadlines(eob(FEB_20, "experimental"), eob(MAR_5))
    assert "appeal:Session 1" not in found
    found = deadlines(eob(FEB_20), eob(MAR_5, "experimental"))
    # the appeal runs from the denying EOB: Mar 5 + 180 days
    # 26 to Mar 31, Apr 30, May 31, Jun 30, Jul 31, Aug 31 = 179, 1 into September
    assert found["appeal:Session 1"].due == dt.date(2027, 9, 1)
    assert "EOB 2027-03-05" in found["appeal:Session 1"].entry


def test_the_first_eob_is_what_answered_the_claim() -> None:
    """The decision and overdue dates close with the first EOB logged, not a later one."""
    found = deadlines(eob(FEB_20), eob(MAR_5))
    assert found["plan-decides:Session 1"].closed == "answered: EOB of 2027-02-20"
    assert found["overdue:Session 1"].closed == "answered: EOB of 2027-02-20"


def test_any_money_received_answers_the_claim() -> None:
    """docs/deadlines.md: money received for the visit closes the decision and overdue dates."""
    found = deadlines(received="1")
    assert found["overdue:Session 1"].closed == "answered: money received"
    found = deadlines(received="0")
    assert found["overdue:Session 1"].closed is None
    # filed Jan 25 + 30 + 15 = 45 days: 6 to Jan 31, 28 in Feb, 11 into March
    assert found["overdue:Session 1"].due == dt.date(2027, 3, 11)


FINAL = dt.date(2027, 4, 30)


def test_external_review_asked_on_the_day_of_the_final_denial_closes_it() -> None:
    """docs/deadlines.md: an `external` appeal on or after the final denial closes the review."""
    denied = (eob(FEB_20, "experimental"), appeal(MAR_5), appeal(FINAL, "final-denial"))
    found = deadlines(*denied, appeal(FINAL, "external"))
    review = found["external-review:Session 1"]
    assert review.closed == "external review asked on 2027-04-30"
    # Apr 30 + 4 calendar months = Aug 30
    assert review.due == dt.date(2027, 8, 30)


def test_only_an_external_appeal_after_the_final_denial_closes_the_review() -> None:
    """An internal appeal after the final denial, or an external one before it, leaves it open."""
    denied = (eob(FEB_20, "experimental"), appeal(MAR_5), appeal(FINAL, "final-denial"))
    found = deadlines(*denied, appeal(FINAL + dt.timedelta(days=1)))
    assert found["external-review:Session 1"].closed is None
    early = appeal(FINAL - dt.timedelta(days=1), "external")
    found = deadlines(eob(FEB_20, "experimental"), early, appeal(FINAL, "final-denial"))
    assert found["external-review:Session 1"].closed is None
    # the external appeal, dated after the denial, did close the first appeal
    assert found["appeal:Session 1"].closed == "external review asked on 2027-04-29"


def test_outside_commercial_plans_the_external_review_has_no_date() -> None:
    """docs/deadlines.md: external review's 4 months are the commercial rule only."""
    denied = (eob(FEB_20, "not covered"), appeal(MAR_5), appeal(FINAL, "final-denial"))
    found = deadlines(*denied, coverage="medicare")
    review = found["external-review:Session 1"]
    assert review.due is None and "decision letter states it" in review.rule
    # Original Medicare's first appeal: Feb 20 + 120 days, 8 + 31 + 30 + 31 + 20 = Jun 20
    assert found["appeal:Session 1"].due == dt.date(2027, 6, 20)
    assert "plan-decides:Session 1" not in found  # the 30 days are the commercial rule


def over(
    crossed_on: dt.date | None, by_bill: bool = True, not_open: str | None = None
) -> GoodFaithCheck:
    return GoodFaithCheck(
        dt.date(2027, 1, 2), D(3000), D(3500), D(500), crossed_on, None, None, by_bill, not_open
    )


def test_the_dispute_needs_charges_over_the_margin_and_an_eligible_patient() -> None:
    """docs/deadlines.md: only the uninsured or self-pay, once $400 or more over, may dispute."""
    assert dispute_deadline(None) is None
    assert dispute_deadline(over(None)) is None
    assert dispute_deadline(over(MAR_5, not_open="the clinic is in network")) is None
    found = dispute_deadline(over(MAR_5, by_bill=False))
    assert found is not None
    # Mar 5 + 120 days: 26 to Mar 31, Apr 30, May 31, Jun 30 = 117, 3 into July
    assert found.due == dt.date(2027, 7, 3)
    assert "charge (no bill logged) 2027-03-05 + 120 days" in found.rule
    assert found.entry == "charged $3,500.00, estimated $3,000.00"


def test_deadlines_data_splits_open_from_closed_and_writes_no_date_as_null() -> None:
    """The JSON lists the open deadlines to do next and those closed apart; no date is null."""
    undated = Deadline("appeal", "Session 1", None, "appeal", "rule", "EOB")
    closed = Deadline("overdue", "Session 1", MAR_5, "call", "rule", "filed", "answered")
    data = deadlines_data([undated, closed], FEB_20)
    assert [d["kind"] for d in data["what_to_do_next"]] == ["appeal"]
    assert data["what_to_do_next"][0]["due"] is None
    assert data["what_to_do_next"][0]["days_left"] is None
    assert data["what_to_do_next"][0]["state"] == "no date"
    # Feb 20 to Mar 5: 8 + 5 = 13 days
    assert data["closed_deadlines"] == [
        {
            "kind": "overdue",
            "visit": "Session 1",
            "due": "2027-03-05",
            "days_left": 8 + 5,
            "state": "closed",
            "what": "call",
            "rule": "rule",
            "entry": "filed",
            "closed": "answered",
        }
    ]
