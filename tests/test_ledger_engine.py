"""Ledger status rules beyond the worked story: a plan year that resets, a denial, one payment
for two visits, no plan at all. Figures by hand.

Clinic: four $500 sessions a week apart from Monday 2027-12-13: Dec 13, 20, 27, Jan 3 2028.
Plan: allowed 100%, deductible $600 with $100 met in 2027, 20% coinsurance, no cap, paid 30
days after the claim, claims due 60 days after the visit; the plan year starts Jan 1.
By the terms: S1 500 all to the deductible (500 left); S2 and S3 20% × 500 = 100
coinsurance, the plan 400; S4 in 2028: the deductible is 600 again, 500 of it, the plan 0.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketacost import load_ledger
from ketacost.cli import app

D = Decimal

CLINIC = """\
name: Weekly clinic
series: {sessions: 4, every_weeks: 1, price: 500}
billing: {network: out-of-network, superbill: true}
"""
PLAN = """\
kind: plan
name: Calendar-year plan
out_of_network: {deductible: 600, coinsurance: 20%, allowed: 100%}
already_met: {deductible: 100}
claims: {paid_after_days: 30, filing_deadline_days: 60}
"""
LEDGER = """\
kind: ledger
clinic: clinic.yaml
plan: plan.yaml
start: 2027-12-13
months: 2
good_faith_estimate: {date: 2027-12-01, total: 1500}
entries:
  - {date: 2027-12-13, visit: Session 1, paid: 500}
  - {date: 2027-12-20, visit: Session 2, paid: 500}
  - {date: 2027-12-27, visit: Session 3, paid: 500}
  - {date: 2027-12-28, claim: [Session 1, Session 2, Session 3]}
  - {date: 2028-01-03, visit: Session 4, paid: 500}
  - {date: 2028-01-20, eob: Session 1, allowed: 500, deductible: 500, plan_pays: 0}
  - {date: 2028-01-25, eob: Session 2, denied: not medically necessary}
  - {date: 2028-01-25, eob: Session 3, allowed: 500, coinsurance: 100, plan_pays: 400}
  - {date: 2028-01-30, received: 400, for: [Session 3, Session 2]}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "clinic.yaml").write_text(CLINIC, encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "ledger.yaml").write_text(LEDGER, encoding="utf-8")
    return tmp_path


def test_denial_plan_year_reset_and_one_payment_for_two_visits(folder: Path) -> None:
    loaded = load_ledger(folder / "ledger.yaml")
    assert loaded.warnings == ()
    status = loaded.status(as_of=dt.date(2028, 2, 1))
    claims = {c.label: c for c in status.claims}
    assert {label: c.state for label, c in claims.items()} == {
        "Session 1": "applied to deductible",
        "Session 2": "denied",
        "Session 3": "paid",
        "Session 4": "not filed",
    }
    # the $400 names Session 3 first: it takes the 400 due on it, Session 2 (denied) nothing
    assert (claims["Session 3"].received, claims["Session 2"].received) == (D(400), D(0))
    assert claims["Session 3"].expected_back == D(0)
    denied = claims["Session 2"].check
    assert denied is not None and not denied.matches and "appeal" in denied.advice
    assert claims["Session 1"].check is not None and claims["Session 1"].check.matches
    assert claims["Session 3"].check is not None and claims["Session 3"].check.matches
    # Session 4 on Jan 3, 2028: due by Jan 3 + 60 = Mar 3; Feb 1 → Mar 3 is 29 + 2 days (leap)
    assert (claims["Session 4"].filing_deadline, claims["Session 4"].days_left) == (
        dt.date(2028, 3, 3),
        29 + 2,
    )
    assert claims["Session 4"].expected_back == D(0)  # the new year's deductible takes it all
    counters = status.counters
    assert counters is not None
    assert counters.plan_year == dt.date(2028, 1, 1)
    assert (counters.deductible_met, counters.eobs) == (D(0), 0)  # 2027's EOBs do not count
    assert status.so_far.paid == D(500 * 4)
    assert status.so_far.reimbursed == D(400)
    assert status.total_expected.net == D(500 * 4 - 400)
    # the estimate: S2 back Dec 20 + 30 = Jan 19, S3 Dec 27 + 30 = Jan 26, 400 each
    assert status.expected_by_now.reimbursed == D(400 + 400)
    gfe = status.good_faith
    assert gfe is not None and gfe.not_open is not None and not gfe.disputable  # claims sent
    # 500 × 4 = 2,000 ≥ 1,500 + 400 from the Jan 3 visit on; a self-pay patient would have
    # until Jan 3 + 120 = May 2
    assert (gfe.crossed_on, gfe.window_ends) == (dt.date(2028, 1, 3), dt.date(2028, 5, 2))


def test_status_on_the_plan_years_first_claims(folder: Path) -> None:
    status = load_ledger(folder / "ledger.yaml").status(as_of=dt.date(2027, 12, 31))
    assert status.counters is not None
    # $100 met before treatment + the deductible on no EOB yet
    assert status.counters.deductible_met == D(100)
    claims = {c.label: c for c in status.claims}
    assert [c.state for c in claims.values()] == ["waiting", "waiting", "waiting"]
    assert claims["Session 1"].age_days == 3
    assert claims["Session 1"].overdue_from == dt.date(2027, 12, 28) + dt.timedelta(days=45)
    # still to come by the terms: 0 + 400 + 400, and S4 (not logged yet: the rest) 0
    assert sum(c.expected_back for c in claims.values()) == D(800)
    assert (status.rest.paid, status.rest.reimbursed, status.rest_charges) == (D(500), D(0), 1)


def test_a_ledger_without_a_plan_follows_payments_only(folder: Path) -> None:
    path = folder / "ledger.yaml"
    text = path.read_text(encoding="utf-8").replace("plan: plan.yaml\n", "")
    path.write_text(text, encoding="utf-8")
    status = load_ledger(path).status(as_of=dt.date(2027, 12, 20))
    assert status.claims == () and status.counters is None
    assert (status.so_far.paid, status.expected_by_now.paid) == (D(500 * 2), D(500 * 2))
    assert (status.rest.paid, status.total_expected.net) == (D(500 * 2), D(500 * 4))
    result = CliRunner().invoke(app, ["status", str(path), "--as-of", "2027-12-20"])
    assert result.exit_code == 0, result.stderr
    assert "No plan: self-pay; no claims are followed" in result.stdout


def test_a_self_pay_clinic_has_no_claims(folder: Path) -> None:
    clinic = folder / "clinic.yaml"
    clinic.write_text(CLINIC.replace("out-of-network", "self-pay-only"), encoding="utf-8")
    status = load_ledger(folder / "ledger.yaml").status(as_of=dt.date(2028, 2, 1))
    assert status.claims == ()
    assert status.total_expected.reimbursed == D(400)  # only what was logged as received


def test_entries_after_the_as_of_date_are_not_counted(folder: Path) -> None:
    status = load_ledger(folder / "ledger.yaml").status(as_of=dt.date(2027, 12, 13))
    assert status.so_far.paid == D(500)
    assert [c.label for c in status.claims] == ["Session 1"]
    assert status.claims[0].days_left == 60


def test_unlogged_visits_already_due_are_listed_and_still_to_come(folder: Path) -> None:
    path = folder / "ledger.yaml"
    lines = [line for line in LEDGER.splitlines() if "Session 2, paid" not in line]
    path.write_text(textwrap.dedent("\n".join(lines)) + "\n", encoding="utf-8")
    status = load_ledger(path).status(as_of=dt.date(2027, 12, 27))
    assert [(c.label, c.date) for c in status.not_logged] == [("Session 2", dt.date(2027, 12, 20))]
    # the rest: Session 2 moved to Dec 28, Session 4 on Jan 3: 500 + 500 paid
    assert status.rest.paid == D(500 * 2)


IN_NETWORK_CLINIC = """\
name: In-network clinic
series: {sessions: 3, every_weeks: 1, price: 500}
billing: {network: in-network}
"""
IN_NETWORK_PLAN = """\
kind: plan
name: HMO
in_network: {deductible: 500, copay: 50, coinsurance: 20%, allowed: 80%}
claims: {paid_after_days: 30}
"""
# In network the patient pays the share and the plan pays the clinic. Allowed 80% × 500 = 400:
#   S1: 400 to the deductible (100 left): share 400, the plan 0
#   S2: 100 deductible, copay 50, coinsurance 20% × (400 − 100 − 50) = 50: share 200, plan 200
#   S3: copay 50, coinsurance 20% × 350 = 70: share 120, plan 280
IN_NETWORK_LEDGER = """\
kind: ledger
clinic: clinic.yaml
plan: plan.yaml
start: 2027-01-04
entries:
  - {date: 2027-01-04, visit: Session 1, paid: 400}
  - {date: 2027-01-11, visit: Session 2, paid: 200}
  - {date: 2027-01-18, visit: Session 3, paid: 120}
  - {date: 2027-02-01, eob: Session 1, allowed: 400, deductible: 400, plan_pays: 0}
  - date: 2027-02-08
    eob: Session 2
    allowed: 400
    deductible: 100
    copay: 50
    coinsurance: 50
    plan_pays: 200
  - {date: 2027-02-10, received: 200, for: Session 2}
"""


def test_in_network_the_clinic_files_and_the_eob_is_the_record(tmp_path: Path) -> None:
    (tmp_path / "clinic.yaml").write_text(IN_NETWORK_CLINIC, encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(IN_NETWORK_PLAN, encoding="utf-8")
    (tmp_path / "ledger.yaml").write_text(IN_NETWORK_LEDGER, encoding="utf-8")
    loaded = load_ledger(tmp_path / "ledger.yaml")
    assert [(w.line, w.message) for w in loaded.warnings] == [
        (17, "money received from the plan, but the clinic is in network")
    ]
    status = loaded.status(as_of=dt.date(2027, 2, 10))
    claims = {c.label: c for c in status.claims}
    assert {label: c.state for label, c in claims.items()} == {
        "Session 1": "applied to deductible",
        "Session 2": "paid",
        "Session 3": "waiting",  # no "not filed" in network: the clinic filed on the visit day
    }
    assert claims["Session 3"].filed == dt.date(2027, 1, 18)
    assert claims["Session 3"].overdue_from == dt.date(2027, 1, 18) + dt.timedelta(days=30 + 15)
    assert all(c.check is not None and c.check.matches for c in status.claims[:2])
    assert sum(c.expected_back for c in status.claims) == D(0)  # the plan pays the clinic
    # the estimate's patient payments by now are the shares: 400 + 200 + 120
    assert status.expected_by_now.paid == D(400 + 200 + 120) == status.so_far.paid
    assert status.counters is not None
    assert status.counters.deductible_met == D(400 + 100)
    assert status.counters.out_of_pocket_met == D(400 + 100 + 50 + 50)
