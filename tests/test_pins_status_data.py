"""The status as data: the records stay as worked out, and the JSON form's horizon and nulls.

Clinic: three $1,000 sessions a week apart from Monday 2027-01-04, out of network,
superbills; a 3-month ledger, so the horizon runs to the day before Apr 4
(docs/output.md: charges fall on start ≤ date < end).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from ketacost.engine.status import LedgerStatus, ledger_status
from ketacost.model.clinic import Clinic
from ketacost.model.ledger import Ledger
from ketacost.model.plan import Plan

D = Decimal
JAN_4, JAN_25 = dt.date(2027, 1, 4), dt.date(2027, 1, 25)
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
LEDGER = Ledger.model_validate(
    {
        "clinic": "clinic.yaml",
        "start": JAN_4,
        "months": 3,
        "good_faith_estimate": {"date": dt.date(2027, 1, 2), "total": 2000},
        "entries": [
            {"date": JAN_4, "visit": "Session 1", "paid": 1000},
            {"date": dt.date(2027, 1, 11), "visit": "Session 2", "paid": 1000},
        ],
    }
)


def status(plan: Plan | None) -> LedgerStatus:
    return ledger_status(LEDGER, CLINIC, plan, JAN_25)


def test_the_json_end_is_the_last_day_of_the_horizon() -> None:
    """`end` is the horizon's last day: 3 months from Jan 4 is Apr 4, so Apr 3."""
    data = status(None).to_dict()
    assert (data["start"], data["end"]) == ("2027-01-04", "2027-04-03")
    # the same with a plan
    assert status(PLAN).to_dict()["end"] == "2027-04-03"


def test_without_a_plan_the_plan_and_counters_are_null() -> None:
    """docs/output.md: `plan` is null without a plan; so are the plan-year counters."""
    data = status(None).to_dict()
    assert data["plan"] is None
    assert data["counters"] is None


def test_with_a_plan_its_name_and_counters_are_given() -> None:
    """With a plan, `plan` names it and `counters` hold the plan year's figures."""
    data = status(PLAN).to_dict()
    assert data["plan"] == {"name": "Employer plan"}
    # docs/ledger-format.md: counters are already_met (none here) plus the EOBs (none yet)
    assert data["counters"] == {
        "plan_year": "2027-01-01",
        "deductible": "0.00",
        "deductible_met": "0.00",
        "out_of_pocket_max": None,
        "out_of_pocket_met": "0.00",
        "eobs": 0,
    }


def test_the_good_faith_estimate_in_json_with_nothing_to_dispute() -> None:
    """Two $1,000 visits against a $2,000 estimate: not over, nothing to dispute."""
    gfe = status(None).to_dict()["good_faith_estimate"]
    # charged 2 × 1,000 = 2,000: 2,000 − 2,000 = 0 over, under the $400 margin
    assert (gfe["charged"], gfe["over_by"]) == ("2000.00", "0.00")
    assert (gfe["disputable"], gfe["bill_date"], gfe["days_left"]) == (False, None, None)


@pytest.mark.parametrize("plan", [None, PLAN])
def test_the_status_records_cannot_be_changed(plan: Plan | None) -> None:
    """A status is the record of one date: its figures, counters and checks are read-only."""
    current = status(plan)
    records: list[Any] = [current, current.so_far, current.good_faith]
    if current.counters is not None:
        records.append(current.counters)
    for record in records:
        field = dataclasses.fields(record)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, field, getattr(record, field))
