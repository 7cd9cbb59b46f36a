"""In network the patient owes the clinic their share; the plan pays the clinic the rest.

Clinic: three $500 sessions a week apart from Monday 2027-01-04 (Jan 4, 11, 18), in network.
Plan: deductible $500, copay $50, coinsurance 20%, allowed 80%, EOBs 30 days after the visit.
By the terms, allowed 80% × 500 = 400 a session:
  S1: 400 to the deductible (100 left): share 400, the plan 0
  S2: 100 deductible, copay 50, coinsurance 20% × (400 − 100 − 50) = 50: share 200, plan 200
  S3: copay 50, coinsurance 20% × (400 − 50) = 70: share 120, plan 280
The estimate: the patient pays 400 + 200 + 120 = 720.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from ketacost import load_ledger
from ketacost.cli import app
from ketacost.engine.status import LedgerStatus

D = Decimal
EXAMPLES = Path(__file__).parent.parent / "examples"
CLINIC = """\
name: In-network clinic
series: {sessions: 3, every_weeks: 1, price: 500}
billing: {network: in-network}
"""
PLAN = """\
kind: plan
name: HMO
in_network: {deductible: 500, copay: 50, coinsurance: 20%, allowed: 80%}
claims: {paid_after_days: 30}
"""
SESSION_1_EOB = "  - {date: 2027-02-01, eob: Session 1, allowed: 400, deductible: 400}\n"


def ledger(folder: Path, *entries: str) -> Path:
    (folder / "clinic.yaml").write_text(CLINIC, encoding="utf-8")
    (folder / "plan.yaml").write_text(PLAN, encoding="utf-8")
    path = folder / "ledger.yaml"
    path.write_text(
        "kind: ledger\nclinic: clinic.yaml\nplan: plan.yaml\nstart: 2027-01-04\nmonths: 1\n"
        "entries:\n" + "".join(entries),
        encoding="utf-8",
    )
    return path


def status_on(path: Path, day: str) -> LedgerStatus:
    return load_ledger(path).status(as_of=dt.date.fromisoformat(day))


def visit(paid: int) -> str:
    return f"  - {{date: 2027-01-04, visit: Session 1, paid: {paid}}}\n"


def test_what_the_eob_leaves_to_pay_the_clinic_is_expected(tmp_path: Path) -> None:
    """$50 paid at the visit, an EOB putting $400 on the deductible: $350 owed to the clinic."""
    status = status_on(ledger(tmp_path, visit(50), SESSION_1_EOB), "2027-02-01")
    [session_1] = status.claims
    assert session_1.owed_to_clinic == D(400 - 50)
    assert status.still_to_come.paid == D(350)
    # the rest, after the EOB's 400 toward the deductible: S2 200 + S3 120
    assert status.rest.paid == D(200 + 120)
    # 50 paid + 350 owed + 320 to come: the estimate's 400 + 200 + 120, exactly
    assert status.total_expected.paid == D(50 + 350 + 320) == D(400 + 200 + 120)
    assert status.warnings == ()


def test_before_the_eob_the_terms_say_what_is_owed(tmp_path: Path) -> None:
    """With no EOB yet, the share by the terms (400) less the $50 paid is still to pay."""
    status = status_on(ledger(tmp_path, visit(50)), "2027-01-05")
    assert status.claims[0].owed_to_clinic == D(400 - 50)
    assert status.total_expected.paid == D(50 + 350 + 200 + 120)


def test_paying_more_than_the_eobs_share_is_flagged(tmp_path: Path) -> None:
    """$500 paid at the visit against an EOB share of $400: nothing owed, $100 to ask back."""
    status = status_on(ledger(tmp_path, visit(500), SESSION_1_EOB), "2027-02-01")
    assert status.claims[0].owed_to_clinic == D(0)
    assert status.total_expected.paid == D(500 + 0 + 200 + 120)
    assert status.warnings == (
        "You paid $500.00 for Session 1, $100.00 more than your share on its EOB of 2027-02-01"
        " ($400.00): ask the clinic for a refund or a credit.",
    )


def run(path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["status", str(path), *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_report_json_and_csv_show_what_is_owed(tmp_path: Path) -> None:
    path = ledger(tmp_path, visit(50), SESSION_1_EOB)
    code, out, err = run(path, "--as-of", "2027-02-01", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["claims"][0]["owed_to_clinic"] == "350.00"
    assert data["still_to_come_on_logged"] == {
        "paid": "350.00",
        "reimbursed": "0.00",
        "net": "350.00",
    }
    assert data["total_expected"]["paid"] == "720.00"
    code, out, _ = run(path, "--as-of", "2027-02-01", "--format", "md")
    assert code == 0
    assert "| Visit | Date | Paid | Filed | State | Detail | Owed to the clinic |" in out
    assert (
        "| Session 1 | 2027-01-04 | $50.00 | (clinic files) | applied to deductible |"
        " EOB 2027-02-01: your share $400.00 | $350.00 |"
    ) in out
    assert "| + Still to come on logged visits | $350.00 | $0.00 | $350.00 |" in out
    code, out, _ = run(path, "--as-of", "2027-02-01", "--format", "csv")
    assert [row["owed_to_clinic"] for row in csv.DictReader(io.StringIO(out))] == ["350.00"]


def test_the_esketamine_ledger_expects_what_the_estimate_did(tmp_path: Path) -> None:
    """The bundled Medicare-rate esketamine clinic with the example in-network PPO: $50 paid
    for Session 1, whose EOB puts all $762.07 allowed on the deductible."""
    shutil.copytree(EXAMPLES / "plans", tmp_path / "plans")
    path = tmp_path / "ledger.yaml"
    path.write_text(
        "kind: ledger\nclinic: esketamine-medicare-56mg\nplan: plans/in-network-ppo.yaml\n"
        "start: 2027-02-01\nmonths: 3\nentries:\n"
        "  - {date: 2027-02-01, visit: Session 1, paid: 50}\n"
        "  - {date: 2027-02-20, eob: Session 1, billed: 952.59, allowed: 762.07,"
        " deductible: 762.07, plan_pays: 0}\n",
        encoding="utf-8",
    )
    code, out, err = run(path, "--as-of", "2027-02-21", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["still_to_come_on_logged"]["paid"] == "712.07"  # 762.07 − 50
    # paid 50 + owed 712.07 + the rest 2,691.68 = the estimate's 3,453.75
    assert data["rest_of_treatment"]["paid"] == "2691.68"
    assert data["total_expected"]["paid"] == "3453.75" == data["estimate"]["paid"]


def test_in_network_the_plan_line_speaks_of_the_eob_not_of_payment(tmp_path: Path) -> None:
    code, out, _ = run(ledger(tmp_path, visit(400)), "--as-of", "2027-01-05", "--format", "md")
    assert code == 0
    flat = " ".join(out.split())
    assert "the plan pays the clinic (EOB expected 30 days after the visit)" in flat
    assert "days after the claim" not in flat


def test_in_network_an_overdue_claim_asks_for_the_eob_from_the_clinic_then_the_plan(
    tmp_path: Path,
) -> None:
    """No EOB for Session 1 (Jan 4) by Jan 4 + 30 + 15 days = Feb 18: overdue."""
    status = status_on(ledger(tmp_path, visit(400)), "2027-02-18")
    [session_1] = status.claims
    assert (session_1.state, session_1.overdue_from) == ("overdue", dt.date(2027, 2, 18))
    overdue = next(d for d in status.deadlines if d.key == "overdue:Session 1")
    assert overdue.what == (
        "no EOB for Session 1? ask the clinic whether it filed the claim, then call the plan"
    )
    assert overdue.rule == "the plan's habit: visit 2027-01-04 (the clinic files) + 30 + 15 days"
    code, out, _ = run(tmp_path / "ledger.yaml", "--as-of", "2027-02-18", "--format", "md")
    assert code == 0
    # Jan 4 → Feb 18: 27 + 18 = 45 days
    assert "| overdue | no EOB 45 days after the visit: ask the clinic, then the plan |" in out
    flat = " ".join(out.split())
    assert (
        "A claim is overdue when no EOB came 30 + 15 days after the visit: in network the"
        " clinic files the claim and the plan pays it."
    ) in flat
    assert "no EOB or money" not in flat and "filed 45 days ago" not in flat
    waiting = status_on(tmp_path / "ledger.yaml", "2027-02-17").claims[0]
    assert waiting.state == "waiting"
    code, out, _ = run(tmp_path / "ledger.yaml", "--as-of", "2027-02-17", "--format", "md")
    assert "| waiting | visit 44 days ago; no EOB yet, overdue from 2027-02-18 |" in out


SESSION_2_VISIT = "  - {date: 2027-01-11, visit: Session 2, paid: 0}\n"


def advice(folder: Path, session_2_eob: str) -> str:
    """Return the advice on Session 2's EOB, after Session 1's EOB put 400 on the deductible.

    Session 2 by the terms: allowed 400, deductible 100, copay 50, coinsurance 50 (share
    200), the plan 200.
    """
    eob = f"  - {{date: 2027-02-10, eob: Session 2, {session_2_eob}}}\n"
    path = ledger(folder, visit(400), SESSION_1_EOB, SESSION_2_VISIT, eob)
    check = status_on(path, "2027-02-10").claims[1].check
    assert check is not None and check.differences
    return check.advice


def test_in_network_a_lower_allowed_amount_is_appealed_only_when_it_costs_you(
    tmp_path: Path,
) -> None:
    # allowed 300: deductible 100, copay 50, coinsurance 20% × 150 = 30: share 180 < 200
    lower = advice(
        tmp_path, "allowed: 300, deductible: 100, copay: 50, coinsurance: 30, plan_pays: 120"
    )
    assert lower == (
        "allowed less than the terms give, which lowers your share: check that the clinic's"
        " bill matches the EOB"
    )
    # allowed 350, the share still 100 + 50 + 50 = 200: the plan pays 350 − 200 = 150
    same = advice(
        tmp_path, "allowed: 350, deductible: 100, copay: 50, coinsurance: 50, plan_pays: 150"
    )
    assert same == (
        "allowed less than the terms give, with your share as they give: check that the"
        " clinic's bill matches the EOB"
    )
    # allowed 380 but coinsurance 100: share 100 + 50 + 100 = 250 > 200: worth asking
    dearer = advice(
        tmp_path, "allowed: 380, deductible: 100, copay: 50, coinsurance: 100, plan_pays: 130"
    )
    assert dearer == "ask the plan why it allowed less; appeal if it used the wrong rate or code"


def test_a_denial_in_network_leaves_the_price_to_pay_the_clinic(tmp_path: Path) -> None:
    """Not covered: the patient owes the clinic its price, $500, less the $50 paid."""
    denied = "  - {date: 2027-02-01, eob: Session 1, denied: not medically necessary}\n"
    status = status_on(ledger(tmp_path, visit(50), denied), "2027-02-01")
    assert status.claims[0].owed_to_clinic == D(500 - 50)


def test_a_medicare_enrolled_clinic_out_of_network_files_and_is_owed_the_share(
    tmp_path: Path,
) -> None:
    """The clinic files with the Medicare Advantage plan, which pays it under the plan's
    out-of-network terms (deductible 500, 40%): the patient owes it each share."""
    shutil.copy(EXAMPLES / "clinics" / "enrolled-out-of-network.yaml", tmp_path / "clinic.yaml")
    shutil.copy(EXAMPLES / "plans" / "medicare-advantage-ppo.yaml", tmp_path / "plan.yaml")
    path = tmp_path / "ledger.yaml"
    path.write_text(
        "kind: ledger\nclinic: clinic.yaml\nplan: plan.yaml\nstart: 2027-01-05\nmonths: 1\n"
        "good_faith_estimate: {date: 2027-01-02, total: 100}\nentries:\n"
        "  - {date: 2027-01-05, visit: Session 1, paid: 100}\n"
        "  - {date: 2027-01-08, visit: Session 2, paid: 100}\n",
        encoding="utf-8",
    )
    status = status_on(path, "2027-01-09")
    # $600 sessions, all allowed: S1 500 deductible + 40% × 100 = 540; S2 40% × 600 = 240
    assert [c.owed_to_clinic for c in status.claims] == [D(540 - 100), D(240 - 100)]
    assert status.still_to_come.paid == D(540 + 240 - 200) == D(580)
    assert not any(d.kind == "file-claim" for d in status.deadlines)  # the clinic files
    gfe = status.good_faith
    assert gfe is not None and gfe.not_open is not None and "enrolled in Medicare" in gfe.not_open


def test_a_deductible_met_before_treatment_fills_the_cap_in_every_later_claim(
    tmp_path: Path,
) -> None:
    # examples/plans/capped-ppo.yaml (deductible 1,000, copay 50, 20%, cap 1,500, 80%
    # allowed) with $800 of the deductible met: the cap has 1,500 − 800 = 700 of room.
    # six-in-network bills $1,000 a session, allowed 800, twice a week from 2026-12-21:
    #   S1 (Dec 21): 200 deductible + 50 copay + 20% × 550 = 360; room 700 − 360 = 340
    #   S2 (Dec 24): 50 + 20% × 750 = 200; room 140
    #   S3 (Dec 28): 140, the cap's last; S4 (Dec 31): 0
    #   2027 resets: S5 (Jan 4) 800 to the deductible; S6 (Jan 7) 200 + 50 + 20% × 550 = 360
    # so 360 + 200 + 140 + 0 + 800 + 360 = 1,860, the estimate's figure.
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        (EXAMPLES / "plans" / "capped-ppo.yaml").read_text(encoding="utf-8")
        + "already_met: {deductible: 800}\nclaims: {paid_after_days: 30}\n",
        encoding="utf-8",
    )
    shares = {
        "2026-12-21": 360, "2026-12-24": 200, "2026-12-28": 140,
        "2026-12-31": 0, "2027-01-04": 800, "2027-01-07": 360,
    }  # fmt: skip
    assert sum(shares.values()) == 1860
    visits = [f"  - {{date: {day}, visit: Session {n}, paid: {paid}}}\n" for n, (day, paid)
              in enumerate(shares.items(), start=1)]  # fmt: skip

    def status(entries: list[str], as_of: str) -> LedgerStatus:
        path = tmp_path / "ledger.yaml"
        path.write_text(
            f"kind: ledger\nclinic: {EXAMPLES / 'clinics' / 'six-in-network.yaml'}\n"
            f"plan: {plan}\nstart: 2026-12-21\nentries:\n" + "".join(entries),
            encoding="utf-8",
        )
        return load_ledger(path).status(dt.date.fromisoformat(as_of))

    every = status(visits, "2027-01-10")
    assert every.total_expected.paid == D(1860)
    assert sum((c.owed_to_clinic for c in every.claims), D(0)) == D(0)
    # with two visits logged, the rest is re-estimated with the cap's room as they left it
    two = status(visits[:2], "2026-12-26")
    assert two.rest.paid == D(140 + 0 + 800 + 360) == D(1300)
