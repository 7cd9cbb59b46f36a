"""Deadlines after the visit, every date counted by hand on the calendar.

Clinic: three $1,000 sessions a week apart from Monday 2027-01-04 (Jan 4, 11, 18),
out of network, superbills. Plan: an employer plan (coverage: commercial), allowed
100%, no deductible, 20% coinsurance, paid 30 days after the claim, claims due 90
days after the visit. A Good Faith Estimate of $3,000.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketacost import load_ledger
from ketacost.cli import app
from ketacost.engine.deadlines import Deadline
from ketacost.engine.status import LedgerStatus

CLINIC = """\
name: Three-session clinic
series: {sessions: 3, every_weeks: 1, price: 1000}
billing: {network: out-of-network, superbill: true}
"""
PLAN = """\
kind: plan
name: Employer plan
coverage: {coverage}
out_of_network: {{coinsurance: 20%, allowed: 100%}}
claims: {{paid_after_days: 30, filing_deadline_days: 90}}
"""
HEAD = """\
kind: ledger
clinic: clinic.yaml
plan: plan.yaml
start: 2027-01-04
months: 3
good_faith_estimate: {date: 2027-01-02, total: 3000}
entries:
  - {date: 2027-01-04, visit: Session 1, paid: 1000}
  - {date: 2027-01-11, visit: Session 2, paid: 1000}
  - {date: 2027-01-18, visit: Session 3, paid: 1000}
"""


def write(folder: Path, entries: str = "", coverage: str = "commercial", head: str = HEAD) -> Path:
    (folder / "clinic.yaml").write_text(CLINIC, encoding="utf-8")
    (folder / "plan.yaml").write_text(PLAN.format(coverage=coverage), encoding="utf-8")
    path = folder / "ledger.yaml"
    path.write_text(head + entries, encoding="utf-8")
    return path


def status(path: Path, as_of: str) -> LedgerStatus:
    loaded = load_ledger(path)
    return loaded.status(dt.date.fromisoformat(as_of))


def by_key(status: LedgerStatus) -> dict[str, Deadline]:
    return {d.key: d for d in status.deadlines}


def test_a_claim_filed_jan_25_should_be_decided_by_feb_24(tmp_path: Path) -> None:
    path = write(tmp_path, "  - {date: 2027-01-25, claim: [Session 1]}\n")
    found = by_key(status(path, "2027-02-01"))
    decide = found["plan-decides:Session 1"]
    # January 25 + 30 days: 6 days to Jan 31, then 24 into February
    assert decide.due == dt.date(2027, 1, 25) + dt.timedelta(days=6 + 24) == dt.date(2027, 2, 24)
    assert decide.is_open and "2027-03-11" in decide.rule  # 45 days: Jan 25 + 6 + 28 + 11
    # overdue by the plan's own habit: filed + 30 + 15 = 45 days, Mar 11
    assert found["overdue:Session 1"].due == dt.date(2027, 3, 11)
    # the filing deadline was met; those not filed yet: visit + 90 days
    assert found["file-claim:Session 1"].closed == "filed on 2027-01-25"
    # Jan 11 + 90: 20 days to Jan 31, 28 in Feb, 31 in Mar, 11 into April
    assert found["file-claim:Session 2"].due == dt.date(2027, 4, 11)
    assert found["file-claim:Session 2"].is_open


def test_on_the_day_a_claim_is_overdue_its_deadline_has_passed_too(tmp_path: Path) -> None:
    # filed Jan 25 + 30 + 15 = Mar 11: the claim is overdue from that day on, and the
    # deadline that says so is no longer "open" on it (they had disagreed for one day)
    path = write(tmp_path, "  - {date: 2027-01-25, claim: [Session 1]}\n")
    day_before, on_the_day = status(path, "2027-03-10"), status(path, "2027-03-11")
    assert [c.state for c in day_before.claims if c.label == "Session 1"] == ["waiting"]
    assert by_key(day_before)["overdue:Session 1"].state(day_before.as_of) == "open"
    assert [c.state for c in on_the_day.claims if c.label == "Session 1"] == ["overdue"]
    assert by_key(on_the_day)["overdue:Session 1"].state(on_the_day.as_of) == "passed"
    # and the table says so, as the claim does, not a plain "today"
    result = CliRunner().invoke(
        app, ["status", str(path), "--as-of", "2027-03-11", "--no-config", "--width", "200"]
    )
    assert result.exit_code == 0, result.stderr
    (row,) = [line for line in result.stdout.splitlines() if line.startswith("2027-03-11")]
    assert "today: late from today" in row


def test_on_the_day_a_payment_is_late_its_deadline_has_passed_too(tmp_path: Path) -> None:
    # filed Jan 25, an EOB of Feb 10 says the plan pays 800: late from the later of the
    # EOB and Jan 25 + 30 = Feb 24, + 15 days = Mar 11; the claim and the date agree
    path = write(
        tmp_path,
        "  - {date: 2027-01-25, claim: [Session 1]}\n"
        "  - {date: 2027-02-10, eob: Session 1, billed: 1000, allowed: 1000, coinsurance: 200,"
        " plan_pays: 800}\n",
    )
    for day, state in (("2027-03-10", "open"), ("2027-03-11", "passed")):
        found = status(path, day)
        (claim,) = [c for c in found.claims if c.label == "Session 1"]
        assert claim.payment_late_from == dt.date(2027, 3, 11)
        assert by_key(found)["plan-pays:Session 1"].state(found.as_of) == state


def test_an_eob_closes_the_decision_and_overdue_dates(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "  - {date: 2027-01-25, claim: [Session 1]}\n"
        "  - {date: 2027-02-10, eob: Session 1, allowed: 1000, coinsurance: 200,"
        " plan_pays: 800}\n",
    )
    found = by_key(status(path, "2027-02-11"))
    assert found["plan-decides:Session 1"].closed == "answered: EOB of 2027-02-10"
    assert found["overdue:Session 1"].closed == "answered: EOB of 2027-02-10"


DENIED = (
    "  - {date: 2027-01-25, claim: [Session 1]}\n"
    "  - {date: 2027-02-20, eob: Session 1, denied: experimental or investigational}\n"
)


def test_a_denial_on_feb_20_may_be_appealed_until_aug_19(tmp_path: Path) -> None:
    found = by_key(status(write(tmp_path, DENIED), "2027-03-01"))
    appeal = found["appeal:Session 1"]
    # 8 days to Feb 28, then Mar 31 + Apr 30 + May 31 + Jun 30 + Jul 31 = 161, 19 into August
    assert 8 + 31 + 30 + 31 + 30 + 31 + 19 == 180
    assert appeal.due == dt.date(2027, 8, 19)
    assert appeal.is_open and "180 days" in appeal.rule
    assert "external-review:Session 1" not in found


def test_an_appeal_closes_it_and_a_final_denial_opens_external_review(tmp_path: Path) -> None:
    entries = DENIED + (
        "  - {date: 2027-03-05, appeal: Session 1}\n"
        "  - {date: 2027-10-31, appeal: Session 1, level: final-denial}\n"
    )
    found = by_key(
        status(write(tmp_path, entries, head=HEAD.replace("months: 3", "months: 12")), "2027-11-01")
    )
    assert found["appeal:Session 1"].closed == "appealed on 2027-03-05"
    review = found["external-review:Session 1"]
    # 4 calendar months after Oct 31 is Feb 31, 2028, which does not exist: the federal
    # rule then takes the first day of the fifth month, March 1
    assert review.due == dt.date(2028, 3, 1)
    assert review.is_open


@pytest.mark.parametrize(
    ("final", "due"),
    [
        ("2026-10-30", "2027-03-01"),  # the rule's own example: no February 30
        ("2027-10-29", "2028-02-29"),  # a leap year has February 29
        ("2026-10-28", "2027-02-28"),
        ("2027-01-15", "2027-05-15"),
        ("2027-08-31", "2027-12-31"),
        ("2027-10-31", "2028-03-01"),
    ],
)
def test_external_review_is_due_four_months_on_else_the_first_of_the_month_after(
    final: str, due: str
) -> None:
    from ketacost.engine.deadlines import external_review_due

    assert external_review_due(dt.date.fromisoformat(final)) == dt.date.fromisoformat(due)


def in_network(folder: Path) -> None:
    (folder / "clinic.yaml").write_text(
        CLINIC.replace("out-of-network", "in-network"), encoding="utf-8"
    )
    plan = (folder / "plan.yaml").read_text(encoding="utf-8")
    (folder / "plan.yaml").write_text(plan.replace("out_of_network", "in_network"), "utf-8")


def test_original_medicare_gives_120_days_and_other_coverage_no_date(tmp_path: Path) -> None:
    path = write(tmp_path, DENIED, coverage="medicare")
    in_network(tmp_path)  # a clinic outside Medicare has opted out: no claims at all
    found = by_key(status(path, "2027-03-01"))
    # Feb 20 + 120: 8 to Feb 28, Mar 31, Apr 30, May 31 = 100, 20 into June
    assert found["appeal:Session 1"].due == dt.date(2027, 6, 20)
    assert "plan-decides:Session 1" not in found  # no rule known outside commercial plans
    other = tmp_path / "other"
    other.mkdir()
    path = write(other, DENIED, coverage="tricare")
    found = by_key(status(path, "2027-03-01"))
    assert found["appeal:Session 1"].due is None
    assert found["appeal:Session 1"].state(dt.date(2027, 3, 1)) == "no date"


def test_a_bill_of_3900_against_3000_opens_a_dispute_for_120_days(tmp_path: Path) -> None:
    # the visits charge 3,000: not over; the bill of Mar 10 says 3,900, 900 over (>= 400)
    path = write(tmp_path, "  - {date: 2027-03-10, bill: 3900}\n")
    current = status(path, "2027-03-11")
    gfe = current.good_faith
    assert gfe is not None and gfe.by_bill
    assert gfe.over_by == 3900 - 3000
    dispute = by_key(current)["gfe-dispute"]
    # Mar 10 + 120: 21 to Mar 31, Apr 30, May 31, Jun 30 = 112, 8 into July
    assert dispute.due == dt.date(2027, 3, 10) + dt.timedelta(days=120) == dt.date(2027, 7, 8)


def test_without_bills_the_charge_that_crossed_starts_the_window(tmp_path: Path) -> None:
    path = write(tmp_path, "  - {date: 2027-02-01, charge: Lab work, amount: 400}\n")
    dispute = by_key(status(path, "2027-02-02"))["gfe-dispute"]
    # 3 × 1,000 + 400 = 3,400: 400 over on Feb 1; + 120 days: 27 + 31 + 30 + 31 = 119, Jun 1
    assert dispute.due == dt.date(2027, 6, 1)
    assert "no bill logged" in dispute.rule


def test_no_dispute_for_an_in_network_clinic(tmp_path: Path) -> None:
    path = write(tmp_path, "  - {date: 2027-03-10, bill: 3900}\n")
    in_network(tmp_path)
    found = by_key(status(path, "2027-03-11"))
    assert "gfe-dispute" not in found
    assert not any(k.startswith("file-claim") for k in found)  # the clinic files
    # the clock starts at the visit: Jan 4 + 30 = Feb 3
    assert found["plan-decides:Session 1"].due == dt.date(2027, 2, 3)
    code, out, _ = run("status", str(path), "--as-of", "2027-03-11")
    assert code == 0
    assert "the clinic is in network for your plan and sends it the claims" in " ".join(out.split())


def test_a_claim_sent_to_the_plan_ends_the_self_pay_dispute(tmp_path: Path) -> None:
    """45 CFR 149.610: insured, a patient is self-pay only while no claim goes to the plan."""
    bill = "  - {date: 2027-03-10, bill: 3900}\n"
    unclaimed = status(write(tmp_path, bill), "2027-03-11")
    gfe = unclaimed.good_faith
    assert gfe is not None and gfe.disputable and gfe.while_unclaimed
    dispute = by_key(unclaimed)["gfe-dispute"]
    assert dispute.rule.endswith("only while no claim for the treatment goes to your plan")
    ledger = str(tmp_path / "ledger.yaml")
    code, out, _ = run("status", ledger, "--as-of", "2027-03-11")
    assert code == 0
    assert "it is yours only while no claim for the treatment goes to your plan" in " ".join(
        out.split()
    )
    code, out, _ = run("letter", "gfe-dispute", ledger, "--as-of", "2027-03-11")
    assert code == 0
    assert "have sent no claim for it to a health plan" in " ".join(out.split())
    claimed = status(
        write(tmp_path, "  - {date: 2027-01-25, claim: [Session 1]}\n" + bill), "2027-03-11"
    )
    gfe = claimed.good_faith
    assert gfe is not None and gfe.over_by == 3900 - 3000  # still over by $900
    assert not gfe.disputable
    assert (
        gfe.not_open
        == "you sent claims for this treatment to your plan (the first on 2027-01-25), and a"
        " patient with a plan is self-pay only while sending it none"
    )
    assert "gfe-dispute" not in by_key(claimed)
    code, out, _ = run(
        "status", str(tmp_path / "ledger.yaml"), "--as-of", "2027-03-11", "-f", "json"
    )
    assert code == 0
    data = json.loads(out)["good_faith_estimate"]
    assert (data["over_by"], data["disputable"], data["only_while_unclaimed"]) == (
        "900.00",
        False,
        False,
    )
    assert data["not_open_because"] == gfe.not_open
    code, _, err = run(
        "letter", "gfe-dispute", str(tmp_path / "ledger.yaml"), "--as-of", "2027-03-11"
    )
    assert code == 2
    assert "you sent claims for this treatment to your plan" in " ".join(err.split())


def test_without_a_plan_the_dispute_has_no_condition(tmp_path: Path) -> None:
    head = HEAD.replace("plan: plan.yaml\n", "")
    current = status(
        write(tmp_path, "  - {date: 2027-03-10, bill: 3900}\n", head=head), "2027-03-11"
    )
    gfe = current.good_faith
    assert gfe is not None and gfe.disputable and not gfe.while_unclaimed
    assert by_key(current)["gfe-dispute"].rule.endswith("2027-03-10 + 120 days")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "120"})
    return result.exit_code, result.stdout, result.stderr


def test_status_opens_with_what_to_do_next_soonest_first(tmp_path: Path) -> None:
    path = write(tmp_path, DENIED)
    code, out, err = run("status", str(path), "--as-of", "2027-03-01")
    assert code == 0, err
    assert out.index("What to do next") < out.index("Paid and reimbursed") < out.index("Claims")
    # file Session 2 by Apr 11, Session 3 by Apr 18, appeal by Aug 19
    assert out.index("2027-04-11") < out.index("2027-04-18") < out.index("2027-08-19")
    code, out, _ = run("status", str(path), "--as-of", "2027-03-01", "--format", "json")
    data = json.loads(out)
    assert [(d["kind"], d["due"]) for d in data["what_to_do_next"]] == [
        ("file-claim", "2027-04-11"),
        ("file-claim", "2027-04-18"),
        ("appeal", "2027-08-19"),
    ]
    assert {d["kind"] for d in data["closed_deadlines"]} == {
        "file-claim",
        "plan-decides",
        "overdue",
    }
    code, out, _ = run("status", str(path), "--as-of", "2027-03-01", "--format", "md")
    assert out.index("What to do next") < out.index("Paid and reimbursed")
    code, out, _ = run("status", str(path), "--as-of", "2027-03-01", "--format", "html")
    assert out.index("What to do next") < out.index("Paid and reimbursed")


@pytest.mark.parametrize(
    ("days", "code"),
    [
        ("40", 0),  # Mar 1 + 40 = Apr 10: the first deadline is Apr 11
        ("41", 1),  # Apr 11
    ],
)
def test_fail_on_deadline_within(tmp_path: Path, days: str, code: int) -> None:
    path = write(tmp_path, DENIED)
    exit_code, out, err = run(
        "status", str(path), "--as-of", "2027-03-01", "--fail-on", f"deadline-within={days}"
    )
    assert exit_code == code
    assert out  # the report is still printed
    assert ("deadline" in err) == bool(code)


def test_fail_on_refuses_an_unknown_condition(tmp_path: Path) -> None:
    path = write(tmp_path, DENIED)
    code, out, err = run("status", str(path), "--fail-on", "deadline-within=soon")
    assert (code, out) == (2, "")
    assert "--fail-on" in err and "whole number" in err


def test_log_appends_a_bill_and_an_appeal_and_check_reads_them(tmp_path: Path) -> None:
    path = write(tmp_path, DENIED)
    assert run("log", str(path), "bill", "3900", "--date", "2027-03-10")[0] == 0
    code, _, err = run(
        "log", str(path), "appeal", "Session 1", "--level", "final-denial", "--date", "2027-04-01"
    )
    assert code == 0, err
    text = path.read_text(encoding="utf-8")
    assert text.endswith(
        "  - date: 2027-03-10\n    bill: 3900\n"
        "  - date: 2027-04-01\n    appeal: Session 1\n    level: final-denial\n"
    )
    code, _, err = run("check", str(path))
    assert (code, err) == (0, "")
    found = by_key(status(path, "2027-04-02"))
    # a final denial logged without an internal appeal before it still closes the first step
    assert found["appeal:Session 1"].closed == "appealed (final denial logged) on 2027-04-01"
    assert found["external-review:Session 1"].due == dt.date(2027, 8, 1)  # Apr 1 + 4 months


def test_check_warns_of_an_appeal_with_no_denial(tmp_path: Path) -> None:
    path = write(tmp_path, "  - {date: 2027-03-10, appeal: Session 2}\n")
    code, _, err = run("check", str(path))
    assert code == 0
    assert "warning: an appeal for 'Session 2', which has no denied EOB logged before it" in err


def test_log_refuses_an_unknown_appeal_level(tmp_path: Path) -> None:
    path = write(tmp_path, DENIED)
    before = path.read_text(encoding="utf-8")
    code, _, err = run("log", str(path), "appeal", "Session 1", "--level", "supreme-court")
    assert code == 2 and "internal, final-denial, external" in err
    assert path.read_text(encoding="utf-8") == before


def test_an_eob_for_a_claim_never_logged_as_filed_closes_its_filing(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "  - {date: 2027-02-10, eob: Session 1, allowed: 1000, coinsurance: 200, plan_pays: 800}\n",
    )
    found = by_key(status(path, "2027-02-11"))
    assert found["file-claim:Session 1"].closed == "answered: EOB of 2027-02-10"
    assert found["file-claim:Session 2"].is_open


def test_a_filing_window_the_plan_does_not_state_is_named_as_assumed(tmp_path: Path) -> None:
    path = write(tmp_path)
    stated = by_key(status(path, "2027-02-01"))["file-claim:Session 1"]
    assert stated.rule == "visit 2027-01-04 + 90 days (the plan's filing window)"
    plan = tmp_path / "plan.yaml"
    plan.write_text(plan.read_text().replace(", filing_deadline_days: 90", ""), encoding="utf-8")
    assumed = by_key(status(path, "2027-02-01"))["file-claim:Session 1"]
    # the same day, Jan 4 + 90 (27 + 28 + 31 + 4 = 90: April 4), said to be assumed
    assert assumed.due == stated.due == dt.date(2027, 4, 4)
    assert "(assumed, the plan states none: your plan documents give" in assumed.rule
    letter = CliRunner().invoke(
        app, ["letter", "superbill-request", str(path), "--as-of", "2027-02-01"]
    )
    assert letter.exit_code == 0, letter.stderr
    assert "which may be as short as 90 days: to be safe, the first by 2027-04-04" in " ".join(
        letter.stdout.split()
    )


def test_a_superbill_request_after_the_filing_date_asks_at_once(tmp_path: Path) -> None:
    # Session 1 on 2027-01-04 + 90 days = 2027-04-04, before the letter's 2027-05-01
    path = write(tmp_path)
    letter = CliRunner().invoke(
        app, ["letter", "superbill-request", str(path), "--as-of", "2027-05-01"]
    )
    assert letter.exit_code == 0, letter.stderr
    text = " ".join(letter.stdout.split())
    assert "may have closed on 2027-04-04. Please send the superbills at once." in text
    assert "well before then" not in text


def test_the_plan_owes_its_decision_on_an_appeal_in_60_days(tmp_path: Path) -> None:
    # 29 CFR 2560.503-1(i)(2)(iii)(B): an appeal of care already given is decided within
    # 60 days. Appeal 2027-03-05 + 60 days (26 + 30 + 4) = 2027-05-04.
    entries = DENIED + "  - {date: 2027-03-05, appeal: Session 1}\n"
    head = HEAD.replace("months: 3", "months: 12")
    open_ = by_key(status(write(tmp_path, entries, head=head), "2027-05-10"))
    decided = open_["appeal-decided:Session 1"]
    assert decided.due == dt.date(2027, 3, 5) + dt.timedelta(days=60) == dt.date(2027, 5, 4)
    assert decided.is_open and "external review" in decided.what
    # the final denial answers it
    final = entries + "  - {date: 2027-04-20, appeal: Session 1, level: final-denial}\n"
    closed = by_key(status(write(tmp_path, final, head=head), "2027-05-10"))
    assert closed["appeal-decided:Session 1"].closed == (
        "appealed (final denial logged) on 2027-04-20"
    )
    # Original Medicare has rules of its own, not this one
    medicare = by_key(
        status(write(tmp_path, entries, coverage="medicare", head=head), "2027-05-10")
    )
    assert "appeal-decided:Session 1" not in medicare


def test_a_claim_filed_after_the_window_is_warned_of(tmp_path: Path) -> None:
    # filed 2027-05-01, 117 days after the 2027-01-04 visit, past the plan's 90 days
    path = write(tmp_path, "  - {date: 2027-05-01, claim: [Session 1]}\n")
    status = load_ledger(path).status(dt.date(2027, 5, 10))
    (said,) = [w for w in status.warnings if "timely filing" in w and "was filed on" in w]
    # Jan 4 to May 1: 27 + 28 + 31 + 30 + 1 = 117 days
    assert said.startswith(
        f"Session 1 was filed on 2027-05-01, {27 + 28 + 31 + 30 + 1} days after the visit,"
        " past the plan's filing window (90 days)"
    )
