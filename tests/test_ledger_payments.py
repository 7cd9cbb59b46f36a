"""Out of network an EOB announces the plan's money; the claim is paid once the money came.

The worked story of examples/ledger.yaml (see test_ledger_status.py): the clinic charges
$600 for Session 5 on 2027-01-18; the plan (acme-ppo, "As written") allows 70% of billed,
40% coinsurance once the deductible is met, and pays 45 days after the claim. Session 5
by the terms: allowed 600 × 70% = 420, coinsurance 40% × 420 = 168, the plan 420 − 168 = 252.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from ketacost import load_ledger
from ketacost.cli import app
from ketacost.engine.claim_status import ClaimStatus
from ketacost.engine.status import LedgerStatus

D = Decimal
EXAMPLES = Path(__file__).parent.parent / "examples"
SESSION_5_FILED = "  - {date: 2027-01-25, claim: Session 5}\n"
SESSION_5_EOB = (
    "  - {date: 2027-03-01, eob: Session 5, allowed: 420, coinsurance: 168, plan_pays: 252}\n"
)


def status_on(path: Path, day: str) -> LedgerStatus:
    return load_ledger(path).status(as_of=dt.date.fromisoformat(day))


def claim(status: LedgerStatus, label: str) -> ClaimStatus:
    return next(c for c in status.claims if c.label == label)


def test_an_eob_that_pays_leaves_the_payment_due_until_the_money_comes(
    tmp_path: Path, example_ledger: Callable[..., Path]
) -> None:
    """Ten months after an EOB that says the plan pays $252, with no money: still due."""
    path = example_ledger(tmp_path, SESSION_5_FILED, SESSION_5_EOB)
    status = status_on(path, "2027-12-31")
    session_5 = claim(status, "Session 5")
    assert (session_5.state, session_5.received, session_5.expected_back) == (
        "payment due",
        D(0),
        D(252),
    )
    # the plan's habit: filed Jan 25 + 45 days = Mar 11 (6 + 28 + 11), after the EOB of Mar 1;
    # late 15 days after that: Mar 26
    assert session_5.payment_late_from == dt.date(2027, 3, 11) + dt.timedelta(days=15)
    assert session_5.payment_late_from == dt.date(2027, 3, 26)
    assert status.count("payment due") == 1
    late = next(d for d in status.deadlines if d.key == "plan-pays:Session 5")
    assert (late.due, late.state(status.as_of), late.closed) == (
        dt.date(2027, 3, 26),
        "passed",
        None,
    )
    # Mar 26 → Dec 31: 5 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31 = 280 days
    assert late.days_left(status.as_of) == -(5 + 30 + 31 + 30 + 31 + 31 + 30 + 31 + 30 + 31)
    assert late.rule == (
        "the plan's habit: filed 2027-01-25 + 45 + 15 days (the EOB of 2027-03-01 came sooner)"
    )
    assert late.what == (
        "the plan's payment for Session 5 not received in full? call the plan, or ask in"
        " writing (letter claim-status)"
    )
    assert late.entry == "EOB 2027-03-01: the plan pays $252.00"


def test_the_money_in_full_marks_the_claim_paid_and_closes_the_reminder(
    tmp_path: Path, example_ledger: Callable[..., Path]
) -> None:
    received = "  - {date: 2027-03-20, received: 252, for: Session 5}\n"
    path = example_ledger(tmp_path, SESSION_5_FILED, SESSION_5_EOB, received)
    status = status_on(path, "2027-12-31")
    session_5 = claim(status, "Session 5")
    assert (session_5.state, session_5.received, session_5.expected_back) == (
        "paid",
        D(252),
        D(252 - 252),
    )
    late = next(d for d in status.deadlines if d.key == "plan-pays:Session 5")
    assert (late.state(status.as_of), late.closed) == ("closed", "paid: $252.00 received")


def test_a_late_eob_starts_the_grace_from_its_own_date(
    tmp_path: Path, example_ledger: Callable[..., Path]
) -> None:
    """An EOB dated after filing + 45 days: the money is late 15 days after the EOB."""
    eob = "  - {date: 2027-04-30, eob: Session 5, allowed: 420, coinsurance: 168, plan_pays: 252}\n"
    path = example_ledger(tmp_path, SESSION_5_FILED, eob)
    session_5 = claim(status_on(path, "2027-05-01"), "Session 5")
    # filed Jan 25 + 45 = Mar 11, before the EOB of Apr 30; Apr 30 + 15 days = May 15
    assert session_5.payment_late_from == dt.date(2027, 5, 15)
    late = next(d for d in status_on(path, "2027-05-01").deadlines if d.kind == "plan-pays")
    assert late.rule == "the plan's habit: EOB 2027-04-30 + 15 days"
    assert late.days_left(dt.date(2027, 5, 1)) == 15 - 1


def test_part_of_the_eobs_money_is_not_paid(
    tmp_path: Path, example_ledger: Callable[..., Path]
) -> None:
    """$300 received of an EOB's $387: $87 still due, the claim not paid."""
    eob = "  - {date: 2027-03-01, eob: Session 5, allowed: 420, coinsurance: 33, plan_pays: 387}\n"
    received = "  - {date: 2027-03-10, received: 300, for: Session 5}\n"
    path = example_ledger(tmp_path, SESSION_5_FILED, eob, received)
    status = status_on(path, "2027-04-01")
    session_5 = claim(status, "Session 5")
    assert (session_5.state, session_5.received, session_5.expected_back) == (
        "payment due",
        D(300),
        D(387 - 300),
    )
    late = next(d for d in status.deadlines if d.key == "plan-pays:Session 5")
    assert late.is_open and late.due == dt.date(2027, 3, 26)
    # the second payment makes it whole: 300 + 87 = 387
    rest = "  - {date: 2027-04-05, received: 87, for: Session 5}\n"
    path.write_text(path.read_text(encoding="utf-8") + rest, encoding="utf-8")
    status = status_on(path, "2027-04-05")
    assert claim(status, "Session 5").state == "paid"
    late = next(d for d in status.deadlines if d.key == "plan-pays:Session 5")
    assert late.closed == "paid: $387.00 received"


def run(path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["status", str(path), *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_report_and_json_show_the_payment_due(
    tmp_path: Path, example_ledger: Callable[..., Path]
) -> None:
    path = example_ledger(tmp_path, SESSION_5_FILED, SESSION_5_EOB)
    code, out, err = run(path, "--as-of", "2027-12-31", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["counts"]["payment_due"] == 1
    session_5 = next(c for c in data["claims"] if c["label"] == "Session 5")
    assert session_5["state"] == "payment due"
    assert session_5["still_to_come"] == "252.00"
    assert session_5["payment_late_from"] == "2027-03-26"
    late = next(d for d in data["what_to_do_next"] if d["kind"] == "plan-pays")
    assert (late["visit"], late["due"], late["state"]) == ("Session 5", "2027-03-26", "passed")
    code, out, _ = run(path, "--as-of", "2027-12-31", "--format", "md")
    assert code == 0
    assert (
        "| Session 5 | 2027-01-18 | $600.00 | 2027-01-25 | payment due | EOB 2027-03-01: the"
        " plan pays $252.00, none received; late from 2027-03-26 | $252.00 |"
    ) in out
    calendar = CliRunner().invoke(app, ["calendar", str(path), "--as-of", "2027-12-31"])
    assert calendar.exit_code == 0, calendar.stderr
    event = calendar.stdout.split("SUMMARY:The plan's payment is late: call the plan: Session 5")
    assert event[1].split("\n", 2)[1].strip() == "DTSTART;VALUE=DATE:20270326"


MONEY_FOR_SESSION_1 = "  - {date: 2027-03-10, received: 150, for: Session 1}\n"


def test_money_for_a_visit_whose_eob_pays_nothing_is_a_warning(
    tmp_path: Path, example_ledger: Callable[..., Path]
) -> None:
    """Session 1's EOB of Feb 20 puts all $525 on the deductible: $150 for it looks mislabelled."""
    path = example_ledger(tmp_path, MONEY_FOR_SESSION_1)
    status = status_on(path, "2027-03-15")
    assert claim(status, "Session 1").state == "applied to deductible"
    assert status.warnings == (
        "$150.00 received for Session 1, whose EOB of 2027-02-20 says the plan pays nothing:"
        " check which visit the money was for (the received entry's `for`); if the plan"
        " changed its decision, log its new EOB.",
    )
    code, out, _ = run(path, "--as-of", "2027-03-15", "--format", "json")
    assert code == 0 and json.loads(out)["warnings"] == list(status.warnings)
    code, out, _ = run(path, "--as-of", "2027-03-15")
    assert "⚠ $150.00 received for Session 1, whose EOB" in " ".join(out.split())


def test_check_warns_of_money_for_a_visit_whose_eob_pays_nothing(
    tmp_path: Path, example_ledger: Callable[..., Path]
) -> None:
    path = example_ledger(tmp_path, MONEY_FOR_SESSION_1)
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 0
    line = len((EXAMPLES / "ledger.yaml").read_text(encoding="utf-8").splitlines()) + 1
    column = MONEY_FOR_SESSION_1.index("Session 1") + 1  # the value of `for`
    assert (
        f"{path}:{line}:{column}: warning: money received for 'Session 1' (EOB of 2027-02-20),"
        " for which the plan pays nothing"
    ) in result.stderr
    assert result.stderr.count("warning:") == 1
    # one payment for Session 1 and Session 4 (no EOB yet): status shares it out, no warning
    shared = MONEY_FOR_SESSION_1.replace("for: Session 1", "for: [Session 4, Session 1]")
    path.write_text(path.read_text(encoding="utf-8").replace(MONEY_FOR_SESSION_1, shared))
    assert load_ledger(path).warnings == ()


def test_fail_on_overdue_catches_a_payment_late_from_the_plan(
    tmp_path: Path, example_ledger: Callable[..., Path]
) -> None:
    path = example_ledger(tmp_path, SESSION_5_FILED, SESSION_5_EOB)
    base = ["status", str(path), "--fail-on", "overdue", "--no-config"]
    # late from Mar 26 (filed Jan 25 + 45 + 15 days): not yet on Mar 25, late on Mar 26
    early = CliRunner().invoke(app, [*base, "--as-of", "2027-03-25"])
    assert "payment late from the plan" not in early.stderr
    late = CliRunner().invoke(app, [*base, "--as-of", "2027-03-26"])
    assert late.exit_code == 1
    assert "1 payment late from the plan" in late.stderr


def test_a_savings_programs_money_pays_no_claim_of_the_plans(
    tmp_path: Path, example_ledger: Callable[..., Path]
) -> None:
    program = "  - {date: 2027-03-20, received: 300, for: Session 5, from: program}\n"
    path = example_ledger(tmp_path, SESSION_5_FILED, SESSION_5_EOB, program)
    session_5 = claim(status_on(path, "2027-04-01"), "Session 5")
    # the EOB's $252 is still the plan's to send: the program's $300 is not it
    assert (session_5.state, session_5.received, session_5.expected_back) == (
        "payment due",
        D(0),
        D(252),
    )
    # nor does money from the program for a visit the plan pays nothing on look mislabelled
    nothing = (
        "  - {date: 2027-03-01, eob: Session 6, allowed: 420, deductible: 420, plan_pays: 0}\n"
    )
    rebate = "  - {date: 2027-03-20, received: 40, for: Session 6, from: program}\n"
    loaded = load_ledger(example_ledger(tmp_path / "b", "  - {date: 2027-01-25, claim: Session 6}\n",
                               nothing, rebate))  # fmt: skip
    assert not [w for w in loaded.warnings if "pays nothing" in w.message]
    assert not loaded.status(as_of=dt.date(2027, 4, 1)).warnings
