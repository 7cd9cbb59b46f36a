"""Ledger claims answered in part: a line denied and the rest paid, money the plan sent the
clinic itself, a claim filed late and then paid (docs/ledger-format.md), each by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from ketacost import load_ledger
from ketacost.cli import app

D = Decimal
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PLAN = """\
kind: plan
name: P
out_of_network: {deductible: 0, allowed: 100%, coinsurance: 20%}
in_network: {deductible: 0, coinsurance: 20%}
claims: {filing_deadline_days: 90}
"""
WESTSIDE = EXAMPLES / "clinics" / "westside.yaml"
IN_NETWORK = EXAMPLES / "clinics" / "six-in-network.yaml"


def ledger(folder: Path, clinic: Path, entries: str) -> Path:
    (folder / "plan.yaml").write_text(PLAN, encoding="utf-8")
    path = folder / "ledger.yaml"
    path.write_text(
        f"kind: ledger\nclinic: {clinic}\nplan: plan.yaml\nstart: 2027-01-04\nmonths: 2\n"
        f"entries:\n{entries}",
        encoding="utf-8",
    )
    return path


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_in_network_a_line_denied_leaves_the_price_less_what_the_plan_paid(tmp_path) -> None:
    # $1,000 billed; the plan paid the clinic 480 for the lines it allowed and denied one:
    # the most the clinic may bill the patient is 1,000 − 480 = 520 (they paid 0 that day)
    path = ledger(
        tmp_path,
        IN_NETWORK,
        "  - {date: 2027-01-04, visit: Session 1, paid: 0}\n"
        "  - {date: 2027-01-20, eob: Session 1, billed: 1000, allowed: 600, coinsurance: 120,"
        " plan_pays: 480, denied: drug line not covered}\n",
    )
    (claim,) = load_ledger(path).status(dt.date(2027, 2, 1)).claims
    assert claim.owed_to_clinic == D(1000) - D(480) - D(0) == D(520)


def test_a_clinic_paid_by_the_plan_is_asked_for_a_refund_only_of_what_it_got_twice(
    tmp_path,
) -> None:
    # 750 billed, 20% coinsurance: the patient's share is 150, the plan pays 600 to the
    # clinic. Paying the share is no double payment; paying all 750 is, by 750 − 150 = 600.
    eob = (
        "  - {date: 2027-01-05, claim: [Session 1]}\n"
        "  - {date: 2027-01-20, eob: Session 1, billed: 750, allowed: 750, coinsurance: 150,"
        " plan_pays: 600, paid_to_clinic: 600}\n"
    )
    share = ledger(
        tmp_path, WESTSIDE, "  - {date: 2027-01-04, visit: Session 1, paid: 150}\n" + eob
    )
    assert not [w for w in load_ledger(share).status(dt.date(2027, 2, 1)).warnings if "refund" in w]
    whole = ledger(
        tmp_path, WESTSIDE, "  - {date: 2027-01-04, visit: Session 1, paid: 750}\n" + eob
    )
    (said,) = [w for w in load_ledger(whole).status(dt.date(2027, 2, 1)).warnings if "refund" in w]
    assert "a refund or a credit of $600.00" in said


def test_paid_to_clinic_above_what_the_plan_pays_is_refused(tmp_path) -> None:
    path = ledger(
        tmp_path,
        WESTSIDE,
        "  - {date: 2027-01-04, visit: Session 1, paid: 750}\n"
        "  - {date: 2027-01-20, eob: Session 1, allowed: 750, coinsurance: 150, plan_pays: 600,"
        " paid_to_clinic: 900}\n",
    )
    result = run("check", path)
    assert result.exit_code == 2
    assert "paid_to_clinic (900) is more than the plan pays (600)" in result.stderr


def test_a_visit_denied_in_part_and_paid_is_neither_warned_of_nor_beyond_appeal(tmp_path) -> None:
    path = ledger(
        tmp_path,
        WESTSIDE,
        "  - {date: 2027-01-04, visit: Session 1, paid: 750}\n"
        "  - {date: 2027-01-05, claim: [Session 1]}\n"
        "  - {date: 2027-01-20, eob: Session 1, billed: 750, allowed: 500, coinsurance: 100,"
        " plan_pays: 400, denied: 99214 not covered}\n"
        "  - {date: 2027-01-25, received: 400, for: Session 1}\n",
    )
    checked = run("check", path)
    assert checked.exit_code == 0 and "pays nothing" not in checked.stderr
    letter = run("letter", "appeal", path, "--as-of", "2027-02-01")
    assert letter.exit_code == 0, letter.stderr
    assert "99214 not covered" in letter.stdout


def test_a_late_claim_the_plan_paid_is_no_longer_warned_of(tmp_path) -> None:
    # filed 2027-05-01, 117 days after the visit, past 90; then paid in full
    late = (
        "  - {date: 2027-01-04, visit: Session 1, paid: 750}\n"
        "  - {date: 2027-05-01, claim: [Session 1]}\n"
    )
    path = ledger(tmp_path, WESTSIDE, late)
    assert [w for w in load_ledger(path).status(dt.date(2027, 5, 10)).warnings if "timely" in w]
    paid = late + (
        "  - {date: 2027-05-20, eob: Session 1, billed: 750, allowed: 750, coinsurance: 150,"
        " plan_pays: 600}\n  - {date: 2027-05-25, received: 600, for: Session 1}\n"
    )
    path = ledger(tmp_path, WESTSIDE, paid)
    assert not [w for w in load_ledger(path).status(dt.date(2027, 6, 1)).warnings if "timely" in w]


def test_money_below_the_terms_with_no_eob_is_said_not_silently_taken_as_all(tmp_path) -> None:
    # Session 1: $750, 100% allowed, no deductible, 20% coinsurance: the terms give
    # 750 − 150 = 600. $100 came with no EOB: the claim counts as paid and $500 is not
    # counted on, which status must say; $600 in full says nothing.
    def warnings(received: int) -> list[str]:
        path = ledger(
            tmp_path,
            WESTSIDE,
            "  - {date: 2027-01-04, visit: Session 1, paid: 750}\n"
            "  - {date: 2027-01-05, claim: [Session 1]}\n"
            f"  - {{date: 2027-02-10, received: {received}, for: Session 1}}\n",
        )
        status = load_ledger(path).status(dt.date(2027, 2, 20))
        assert [c.state for c in status.claims] == ["paid"]
        return [w for w in status.warnings if "received for Session 1" in w]

    (said,) = warnings(100)
    assert "$100.00 received for Session 1, where the plan's terms give $600.00" in said
    assert "no EOB logged" in said
    assert warnings(750 - 150) == []


def test_a_claim_past_its_filing_window_is_not_counted_on(tmp_path) -> None:
    # Session 1 on 2027-01-04: $750, the terms give 750 − 20% = 600 back, if it is filed
    # within the plan's 90 days (by 2027-04-04). Not filed by then, or filed after, the
    # plan may deny it for timely filing: its 600 is no longer counted as still to come.
    def back(entries: str, as_of: dt.date) -> Decimal:
        path = ledger(
            tmp_path, WESTSIDE, "  - {date: 2027-01-04, visit: Session 1, paid: 750}\n" + entries
        )
        (claim,) = load_ledger(path).status(as_of).claims
        return claim.expected_back

    assert back("", dt.date(2027, 4, 4)) == D(750) - D(750) * D("0.2") == D(600)
    assert back("", dt.date(2027, 4, 5)) == D(0)
    assert back("  - {date: 2027-04-04, claim: [Session 1]}\n", dt.date(2027, 4, 20)) == D(600)
    assert back("  - {date: 2027-04-06, claim: [Session 1]}\n", dt.date(2027, 4, 20)) == D(0)


def test_a_claim_not_counted_on_fills_no_counter_and_is_said(tmp_path) -> None:
    # $1,000 sessions on Jan 4 and 11, a $1,000 deductible, 40% coinsurance, 100% allowed.
    # Session 1 was never filed: by Apr 20 its 90 days (to Apr 4) have passed, so the plan
    # may deny it, and it cannot be the claim that meets the deductible. Session 2 then
    # goes to the deductible: 1,000 − 1,000 = 0 back, not 1,000 × 60% = 600.
    (tmp_path / "clinic.yaml").write_text(
        "kind: clinic\nname: S\nmodality: iv-infusion\n"
        "series: {sessions: 4, per_week: 1, price: 1000}\n"
        "billing: {network: out-of-network, superbill: true}\n",
        encoding="utf-8",
    )
    (tmp_path / "plan.yaml").write_text(
        "kind: plan\nname: P\nout_of_network: {deductible: 1000, coinsurance: 40%,"
        " out_of_pocket_max: 5000, allowed: 100%}\nclaims: {filing_deadline_days: 90}\n",
        encoding="utf-8",
    )
    path = tmp_path / "ledger.yaml"
    path.write_text(
        "kind: ledger\nclinic: clinic.yaml\nplan: plan.yaml\nstart: 2027-01-04\nmonths: 1\n"
        "entries:\n  - {date: 2027-01-04, visit: Session 1, paid: 1000}\n"
        "  - {date: 2027-01-11, visit: Session 2, paid: 1000}\n"
        "  - {date: 2027-01-12, claim: Session 2}\n",
        encoding="utf-8",
    )
    status = load_ledger(path).status(dt.date(2027, 4, 20))
    assert {c.label: c.expected_back for c in status.claims} == {
        "Session 1": D(0),
        "Session 2": D(1000) - D(1000),
    }
    (said,) = [w for w in status.warnings if w.startswith("Session 1 was not filed")]
    assert "(90 days, to 2027-04-04)" in said and "not counted on" in said


def test_the_claims_table_says_what_of_the_plans_payment_comes_to_you(tmp_path) -> None:
    # 750 billed and paid, 20% coinsurance: the plan pays 600, of which it sent 100 to the
    # clinic; 600 − 100 = 500 is what comes to the patient, as "still to come" says.
    path = ledger(
        tmp_path,
        WESTSIDE,
        "  - {date: 2027-01-04, visit: Session 1, paid: 750}\n"
        "  - {date: 2027-01-05, claim: [Session 1]}\n"
        "  - {date: 2027-01-20, eob: Session 1, billed: 750, allowed: 750, coinsurance: 150,"
        " plan_pays: 600, paid_to_clinic: 100}\n",
    )
    result = run("status", path, "--as-of", "2027-02-01", "--width", "200")
    assert result.exit_code == 0, result.stderr
    assert "EOB 2027-01-20: the plan pays $600.00, $500.00 of it to you, none received" in (
        result.stdout
    )
    (claim,) = load_ledger(path).status(dt.date(2027, 2, 1)).claims
    assert claim.expected_back == D(600) - D(100)
