"""The worked story of examples/ledger.yaml, as of three dates, every figure by hand.

The clinic (bundled los-angeles-iv) charges $750 for sessions 1-2 and $600 after,
twice a week from 2027-01-04: sessions on Jan 4, 7, 11, 14, 18, 21 (day floor(k × 3.5)),
then a $600 booster 12 weeks after the last session: Jan 21 + 84 days = Apr 15.
The horizon is 6 months (to Jul 3), so one booster.

The plan (examples/plans/acme-ppo.yaml), scenario "As written": allowed 70% of
billed, deductible $2,000 with $500 already met, 40% coinsurance, out-of-pocket
cap $8,000 with $500 met, reimbursement 45 days after the claim.

What the plan's terms give, claim by claim, when every claim goes as written:
  S1: allowed 750 × 70% = 525, all to the deductible (1,500 left → 975), plan 0
  S2: allowed 525 to the deductible (975 → 450), plan 0
  S3: allowed 600 × 70% = 420 to the deductible (450 → 30), plan 0
  S4: allowed 420: 30 deductible, coinsurance 40% × 390 = 156, plan 420 − 186 = 234
  S5, S6, booster: allowed 420, coinsurance 168, plan 252
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketacost import load_ledger
from ketacost.cli import app
from ketacost.engine.status import LedgerStatus

D = Decimal
LEDGER = Path(__file__).parent.parent / "examples" / "ledger.yaml"
CHARGED_BY_JAN_25 = 750 * 2 + 600 * 4 + 120  # six visits and the lab work
CHARGED_FROM_FEB_15 = CHARGED_BY_JAN_25 + 300  # and the extended monitoring


@pytest.fixture(scope="module")
def story() -> dict[str, LedgerStatus]:
    loaded = load_ledger(LEDGER)
    assert loaded.warnings == ()
    return {
        day: loaded.status(as_of=dt.date.fromisoformat(day))
        for day in ("2027-01-25", "2027-03-01", "2027-03-15")
    }


def states(status: LedgerStatus) -> dict[str, str]:
    return {claim.label: claim.state for claim in status.claims}


def back(status: LedgerStatus) -> dict[str, Decimal]:
    return {claim.label: claim.expected_back for claim in status.claims}


def test_january_25_all_visits_logged_four_claims_waiting(story: dict[str, LedgerStatus]) -> None:
    status = story["2027-01-25"]
    assert status.so_far.paid == D(CHARGED_BY_JAN_25) == D("4020.00")
    assert status.so_far.reimbursed == D(0)
    # the estimate: all six sessions by Jan 21, no reimbursement before Jan 14 + 45 = Feb 28
    assert status.expected_by_now.paid == D(750 * 2 + 600 * 4)
    assert status.expected_by_now.reimbursed == D(0)
    assert states(status) == {
        "Session 1": "waiting",
        "Session 2": "waiting",
        "Session 3": "waiting",
        "Session 4": "waiting",
        "Session 5": "not filed",
        "Session 6": "not filed",
    }
    ages = {c.label: c.age_days for c in status.claims if c.age_days is not None}
    assert ages == {"Session 1": 25 - 8, "Session 2": 25 - 8, "Session 3": 3, "Session 4": 3}
    # filing deadline: 90 days after the visit; Jan 18 + 90 = Apr 18, Jan 21 + 90 = Apr 21
    left = {c.label: (c.filing_deadline, c.days_left) for c in status.claims if c.days_left}
    assert left == {
        "Session 5": (dt.date(2027, 4, 18), (31 - 25) + 28 + 31 + 18),
        "Session 6": (dt.date(2027, 4, 21), (31 - 25) + 28 + 31 + 21),
    }
    assert sum(back(status).values()) == D(234 + 252 + 252)
    # rest: the booster, with the deductible met by the predicted claims: 420 → plan 252
    assert (status.rest.paid, status.rest.reimbursed) == (D(600), D(252))
    assert status.total_expected.paid == D(CHARGED_BY_JAN_25 + 600)
    assert status.total_expected.reimbursed == D(234 + 252 + 252 + 252)
    assert status.counters is not None
    assert (status.counters.deductible_met, status.counters.eobs) == (D(500), 0)
    gfe = status.good_faith
    assert gfe is not None and not gfe.disputable
    assert gfe.over_by == D(CHARGED_BY_JAN_25 - 3900)  # 120: under the $400 line


def test_march_1_one_eob_matches_one_allows_less(story: dict[str, LedgerStatus]) -> None:
    status = story["2027-03-01"]
    assert status.so_far.paid == D(CHARGED_FROM_FEB_15) == D("4320.00")
    assert status.so_far.reimbursed == D(0)
    assert status.expected_by_now.reimbursed == D(234)  # S4 on Jan 14 + 45 = Feb 28
    assert states(status)["Session 1"] == "applied to deductible"
    assert states(status)["Session 3"] == "applied to deductible"
    first, third = (c.check for c in status.claims if c.check is not None)
    assert first is not None and first.matches and first.differences == ()
    assert third is not None and not third.matches
    # S3's terms, after S1 (EOB: 525) and S2 (terms: 525): 2,000 − 500 − 525 − 525 = 450 left,
    # so 600 × 70% = 420 allowed, all of it to the deductible; the EOB says 360.
    assert [(d.field, d.on_eob, d.predicted) for d in third.differences] == [
        ("allowed", D(360), D(420)),
        ("deductible", D(360), D(420)),
    ]
    assert "ask the plan why" in third.advice
    # Session 2: filed Jan 8, 31 − 8 + 28 + 1 = 52 days; overdue from Jan 8 + 60 = Mar 9
    claim = next(c for c in status.claims if c.label == "Session 2")
    assert (claim.state, claim.age_days, claim.overdue_from) == (
        "waiting",
        31 - 8 + 28 + 1,
        dt.date(2027, 3, 9),
    )
    # S4 by the terms after the EOBs: deductible left 2,000 − 500 − 525 − 525 − 360 = 90;
    # allowed 420: 90 deductible, 40% × 330 = 132 coinsurance, plan 420 − 222 = 198
    assert back(status)["Session 4"] == D(420 - 90 - 132) == D(198)
    assert status.counters is not None
    assert status.counters.deductible_met == D(500 + 525 + 360)
    assert status.counters.out_of_pocket_met == D(500 + 525 + 360)
    assert status.total_expected.reimbursed == D(198 + 252 + 252 + 252)
    assert status.total_expected.paid == D(CHARGED_FROM_FEB_15 + 600)
    gfe = status.good_faith
    # over by the margin, but the claims sent on Jan 8 made the patient no longer self-pay
    assert gfe is not None and not gfe.disputable
    assert (
        gfe.not_open
        == "you sent claims for this treatment to your plan (the first on 2027-01-08), and a"
        " patient with a plan is self-pay only while sending it none"
    )
    # 4,320 ≥ 3,900 + 400 since the Feb 15 bill; 120 days later: 13 + 31 + 30 + 31 + 15 = 120
    assert gfe.crossed_on == dt.date(2027, 2, 15)
    assert gfe.window_ends == dt.date(2027, 6, 15)
    assert gfe.days_left == 30 + 30 + 31 + 15


def test_march_15_money_received_and_one_claim_overdue(story: dict[str, LedgerStatus]) -> None:
    status = story["2027-03-15"]
    assert status.so_far.reimbursed == D(198)
    assert status.so_far.net == D(CHARGED_FROM_FEB_15 - 198) == D("4122.00")
    # the estimate had S4 (234, Feb 28), S5 (252, Jan 18 + 45 = Mar 4), S6 (252, Mar 7) back
    assert status.expected_by_now.reimbursed == D(234 + 252 + 252)
    assert states(status) == {
        "Session 1": "applied to deductible",
        "Session 2": "overdue",
        "Session 3": "applied to deductible",
        "Session 4": "paid",
        "Session 5": "not filed",
        "Session 6": "not filed",
    }
    assert next(c for c in status.claims if c.label == "Session 2").age_days == 23 + 28 + 15
    assert status.count("overdue") == 1 and status.count("not filed") == 2
    assert sum(back(status).values()) == D(252 + 252)
    assert status.total_expected.reimbursed == D(198 + 252 + 252 + 252)
    assert status.total_expected.net == D(CHARGED_FROM_FEB_15 + 600 - (198 + 252 * 3))
    # before treatment the estimate said: paid 3,900 + 600, reimbursed 234 + 252 × 3
    assert (status.scenario.paid, status.scenario.reimbursed) == (D(4500), D(234 + 252 * 3))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["status", str(LEDGER), *args])
    return result.exit_code, result.stdout, result.stderr


def test_status_json_carries_the_figures_as_strings() -> None:
    code, out, err = run("--as-of", "2027-03-15", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["so_far"] == {"paid": "4320.00", "reimbursed": "198.00", "net": "4122.00"}
    assert data["total_expected"] == {"paid": "4920.00", "reimbursed": "954.00", "net": "3966.00"}
    assert data["counts"]["overdue"] == 1
    eob = next(c["eob"] for c in data["claims"] if c["label"] == "Session 3")
    assert eob["on_eob"]["allowed"] == "360.00" and eob["terms_give"]["allowed"] == "420.00"
    assert data["good_faith_estimate"]["dispute_window_ends"] == "2027-06-15"


def test_status_table_shows_both_figures_and_what_to_do() -> None:
    code, out, _ = run("--as-of", "2027-03-15")
    assert code == 0
    assert "$360.00" in out and "$420.00" in out
    assert "ask the plan why" in out
    flat = " ".join(out.split())  # notes wrap at the width
    assert "patient-provider dispute resolution process" not in flat
    assert "is for uninsured and self-pay patients" in flat
    assert "is not open to you: it is for uninsured and self-pay patients" in flat
    assert "you sent claims for this treatment to your plan (the first on 2027-01-08)" in flat


def test_status_csv_and_markdown() -> None:
    code, out, _ = run("--as-of", "2027-03-15", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["state"] for r in rows] == [
        "applied to deductible",
        "overdue",
        "applied to deductible",
        "paid",
        "not filed",
        "not filed",
    ]
    assert rows[2]["eob_allowed"] == "360.00" and rows[2]["terms_allowed"] == "420.00"
    code, out, _ = run("--as-of", "2027-03-01", "--format", "md")
    assert code == 0
    assert "| Session 2 | 2027-01-07 | $750.00 | 2027-01-08 | waiting |" in out


@pytest.mark.parametrize(
    ("as_of", "fail_on", "code"),
    [
        ("2027-03-01", "overdue", 0),  # Session 2 is overdue from Mar 9
        ("2027-03-09", "overdue", 1),
        ("2027-03-08", "overdue", 0),
        ("2027-01-25", "unfiled", 1),
    ],
)
def test_fail_on_is_a_reminder_for_cron(as_of: str, fail_on: str, code: int) -> None:
    exit_code, out, err = run("--as-of", as_of, "--fail-on", fail_on, "--format", "json")
    assert exit_code == code
    json.loads(out)  # the report is still printed
    assert ("overdue" in err or "not filed" in err) == bool(code)


def test_bad_as_of_is_exit_2() -> None:
    code, out, err = run("--as-of", "2027-02-30")
    assert (code, out) == (2, "")
    assert "--as-of: error: '2027-02-30' is not a date" in err


def test_the_readme_ledger_example_runs(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    root = LEDGER.parent.parent
    page = (root / "docs" / "api.md").read_text(encoding="utf-8")
    section = page.split("## The ledger", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(root)
    exec(compile(code, "docs/api.md", "exec"), {})
    # so far 4,320 − 198 = 4,122; in all 4,920 − 954 = 3,966; one claim overdue
    assert capsys.readouterr().out == "4122.00 3966.00 1\n"


def test_to_dict_is_what_the_json_format_prints(story: dict[str, LedgerStatus]) -> None:
    _, out, _ = run("--as-of", "2027-03-01", "--format", "json")
    printed = json.loads(out)
    data = story["2027-03-01"].to_dict()
    assert data["ledger"] is None and printed["ledger"] == str(LEDGER)
    assumptions = printed.pop("assumptions")  # the command line adds who stated what
    assert {"what": "scenario standing for you", "value": "As written", "from": "ledger"} in (
        assumptions
    )
    assert {**data, "ledger": printed["ledger"]} == printed


def test_status_html_shows_the_same_figures() -> None:
    code, out, _ = run("--as-of", "2027-03-15", "--format", "html")
    assert code == 0
    assert out.startswith("<!DOCTYPE html>")
    assert "$4,122.00" in out and "$3,966.00" in out  # net so far; net expected in all


def test_status_rows_add_up_to_the_expected_in_all(story: dict[str, LedgerStatus]) -> None:
    status = story["2027-03-15"]
    # still to come on logged visits: S5 and S6 not filed, 252 each by the terms; paid already
    assert status.still_to_come.reimbursed == 252 + 252
    assert status.still_to_come.paid == 0
    # logged 198 + still to come 504 + rest (the booster) 252 = 954 reimbursed in all
    assert status.total_expected.reimbursed == 198 + 504 + 252
    # paid: logged 4,320 + still to come 0 + the booster 600 = 4,920
    assert status.total_expected.paid == CHARGED_FROM_FEB_15 + 0 + 600
    code, out, _ = run("--as-of", "2027-03-15", "--format", "md")
    assert code == 0
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    labels = [row.split("|")[1].strip() for row in rows]
    start = labels.index("Logged by 2027-03-15")
    assert labels[start : start + 4] == [
        "Logged by 2027-03-15",
        "+ Still to come on logged visits",
        "+ Rest of the treatment, from 2027-03-16",
        "**= Expected in all, to 2027-07-03**",  # the total, in bold
    ]
    assert "$504.00" in rows[start + 1] and "$954.00" in "".join(rows[start + 3])
    data = json.loads(run("--as-of", "2027-03-15", "--format", "json")[1])
    assert data["still_to_come_on_logged"] == {
        "paid": "0.00",
        "reimbursed": "504.00",
        "net": "-504.00",
    }


def test_a_denied_visit_in_network_says_the_clinics_price_is_the_most_it_may_bill(
    tmp_path: Path,
) -> None:
    # Medicare: no bill for a medical-necessity denial without a signed ABN (SSA §1879)
    plan = Path(__file__).resolve().parent.parent / "examples" / "plans" / "medicare-part-b.yaml"
    ledger = tmp_path / "ledger.yaml"
    ledger.write_text(
        "kind: ledger\nclinic: esketamine-medicare-56mg\n"
        f"plan: {plan}\nstart: 2027-01-05\nmonths: 3\nentries:\n"
        "  - {date: 2027-01-05, visit: Session 1, paid: 0}\n"
        "  - {date: 2027-02-12, eob: Session 1, billed: 952.59, denied: not medically necessary}\n",
        encoding="utf-8",
    )
    status = load_ledger(ledger).status(dt.date(2027, 3, 1))
    (claim,) = status.claims
    assert claim.state == "denied" and claim.owed_to_clinic == D("952.59")
    assert claim.check is not None
    assert "unless you signed an Advance Beneficiary Notice (ABN)" in claim.check.advice


def test_counters_read_in_an_earlier_plan_year_are_reset_for_the_ledger_too(
    tmp_path: Path,
) -> None:
    # already_met read on 2026-12-01: the 2027 treatment's counters start at nothing, as
    # the estimate's do
    plans = Path(__file__).resolve().parent.parent / "examples" / "plans"
    text = (plans / "acme-ppo.yaml").read_text(encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(
        text.replace("already_met:", "already_met:\n  as_of: 2026-12-01", 1), encoding="utf-8"
    )
    ledger = tmp_path / "ledger.yaml"
    ledger.write_text(
        "kind: ledger\nclinic: los-angeles-iv\nplan: plan.yaml\nstart: 2027-01-04\n"
        "scenario: As written\nentries:\n  - {date: 2027-01-04, visit: Session 1, paid: 750}\n",
        encoding="utf-8",
    )
    status = load_ledger(ledger).status(dt.date(2027, 1, 10))
    assert status.counters is not None
    assert (status.counters.deductible_met, status.counters.out_of_pocket_met) == (D(0), D(0))
    # the assumptions show the counters the status used, not the file's
    shown = CliRunner().invoke(app, ["status", str(ledger), "--as-of", "2027-01-10", "-f", "json"])
    said = {a["what"]: a["value"] for a in json.loads(shown.stdout)["assumptions"]}
    assert said["deductible already met"] == "$0.00"
