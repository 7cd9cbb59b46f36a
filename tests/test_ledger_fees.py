"""Claimable fees in the estimate and the ledger: each charge of a claimable fee is a claim
of its own, named with its number, and a ledger follows it as it follows a visit
(docs/clinic-format.md, docs/ledger-format.md). Every figure by hand.

The clinic: four $500 sessions twice a week from 2027-01-04 (Jan 4, 7, 11, 14), a
claimable $100 monitoring fee at each session, a claimable $300 intake once, and a $50
parking fee at each session that is not claimable. The plan allows 100% of billed, no
deductible, 20% coinsurance: 80% of every claimable charge comes back.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from conftest import complete
from typer.testing import CliRunner

import ketacost
from ketacost import load_ledger
from ketacost.cli import app

D = Decimal
CLINIC = """\
kind: clinic
name: Fee clinic
modality: iv-infusion
series: {sessions: 4, per_week: 2, price: 500}
fees:
  - {name: Monitoring, amount: 100, per: session, claimable: true}
  - {name: Intake, amount: 300, per: once, claimable: true}
  - {name: Parking, amount: 50, per: session}
billing: {network: out-of-network, superbill: true}
"""
PLAN = """\
kind: plan
name: P
out_of_network: {deductible: 0, coinsurance: 20%, allowed: 100%, out_of_pocket_max: 9000}
"""
SESSION_DAYS = ["2027-01-04", "2027-01-07", "2027-01-11", "2027-01-14"]
PAID = 500 * 4 + 100 * 4 + 300 + 50 * 4  # 2,900
CLAIMABLE = 500 * 4 + 100 * 4 + 300  # 2,700: parking is never claimed
BACK = D(CLAIMABLE) * D("0.8")  # 2,160


def write(folder: Path, entries: str) -> Path:
    (folder / "clinic.yaml").write_text(CLINIC, encoding="utf-8")
    (folder / "plan.yaml").write_text(PLAN, encoding="utf-8")
    path = folder / "ledger.yaml"
    path.write_text(
        "kind: ledger\nclinic: clinic.yaml\nplan: plan.yaml\nstart: 2027-01-04\nmonths: 2\n"
        f"entries:\n{entries}",
        encoding="utf-8",
    )
    return path


def everything(fee_label: str = "Monitoring {n}") -> str:
    """Every visit and charge as planned, then one claim for all that is claimable."""
    lines = ["  - {date: 2027-01-04, charge: Intake, amount: 300}"]
    for n, day in enumerate(SESSION_DAYS, start=1):
        lines += [
            f"  - {{date: {day}, visit: Session {n}, paid: 500}}",
            f"  - {{date: {day}, charge: {fee_label.format(n=n)}, amount: 100}}",
            f"  - {{date: {day}, charge: Parking, amount: 50}}",
        ]
    claimed = ", ".join(
        [f"Session {n}" for n in range(1, 5)] + [f"Monitoring {n}" for n in range(1, 5)]
    )
    lines.append(f"  - {{date: 2027-01-15, claim: [{claimed}, Intake]}}")
    return "\n".join(lines) + "\n"


def test_a_claimable_fee_charged_at_each_session_is_numbered_others_keep_their_name(
    tmp_path,
) -> None:
    (tmp_path / "clinic.yaml").write_text(CLINIC, encoding="utf-8")
    clinic = ketacost.load_clinic(tmp_path / "clinic.yaml")
    labels = [e.label for e in ketacost.estimate(clinic, start=dt.date(2027, 1, 4)).events]
    assert [x for x in labels if x.startswith("Monitoring")] == [
        "Monitoring 1",
        "Monitoring 2",
        "Monitoring 3",
        "Monitoring 4",
    ]
    assert labels.count("Parking") == 4  # never claimed: no number needed
    assert labels.count("Intake") == 1


def test_a_ledger_that_logs_everything_as_planned_expects_exactly_the_estimate(
    tmp_path,
) -> None:
    loaded = load_ledger(write(tmp_path, everything()))
    assert loaded.warnings == ()
    status = loaded.status(dt.date(2027, 1, 20))
    assert status.total_expected.paid == D(PAID)
    assert status.total_expected.reimbursed == BACK == D(2160)
    assert status.total_expected.reimbursed == status.scenario.reimbursed
    assert sorted(c.label for c in status.claims) == sorted(
        [f"Session {n}" for n in range(1, 5)]
        + [f"Monitoring {n}" for n in range(1, 5)]
        + ["Intake"]
    )
    by_label = {c.label: c for c in status.claims}
    assert by_label["Monitoring 3"].expected_back == D(100) * D("0.8") == D(80)
    assert by_label["Intake"].expected_back == D(300) * D("0.8") == D(240)
    assert {c.state for c in status.claims} == {"waiting"}


def test_fees_logged_by_name_alone_take_the_number_of_their_day(tmp_path) -> None:
    loaded = load_ledger(write(tmp_path, everything(fee_label="monitoring")))
    charges = [e for e in loaded.ledger.entries if getattr(e, "charge", "").startswith("Mon")]
    assert [(c.date.isoformat(), c.charge) for c in charges] == [
        (day, f"Monitoring {n}") for n, day in enumerate(SESSION_DAYS, start=1)
    ]
    assert loaded.status(dt.date(2027, 1, 20)).total_expected.reimbursed == D(2160)


def test_log_writes_the_number_of_the_fee_charged_that_day(tmp_path) -> None:
    path = write(tmp_path, "  - {date: 2027-01-04, charge: Monitoring 1, amount: 100}\n")
    done = CliRunner().invoke(
        app, ["log", str(path), "charge", "monitoring", "--amount", "100", "--date", "2027-01-11"]
    )
    assert done.exit_code == 0, done.output
    assert path.read_text(encoding="utf-8").endswith("charge: Monitoring 3\n    amount: 100\n")


def test_an_eob_that_names_the_fee_without_its_number_is_told_how_to_name_it(
    tmp_path,
) -> None:
    # an EOB answers one claim: which of the fee's charges it is cannot be guessed
    path = write(
        tmp_path,
        "  - {date: 2027-01-04, charge: Monitoring 1, amount: 100}\n"
        "  - {date: 2027-01-05, claim: [Monitoring 1]}\n"
        "  - {date: 2027-02-05, eob: Monitoring, allowed: 100, coinsurance: 20,"
        " plan_pays: 80}\n",
    )
    (warning,) = load_ledger(path).warnings
    assert "an EOB for 'Monitoring', a visit never logged" in warning.message
    assert "'Monitoring 1', 'Monitoring 2'" in (warning.hint or "")


def test_a_charge_that_is_not_claimable_is_never_a_claim(tmp_path) -> None:
    path = write(tmp_path, "  - {date: 2027-01-04, charge: Parking, amount: 50}\n")
    status = load_ledger(path).status(dt.date(2027, 1, 20))
    assert status.claims == ()
    assert status.so_far.paid == D(50)


def test_a_charge_on_its_own_day_keeps_that_days_number_whatever_comes_before(
    tmp_path,
) -> None:
    # Monitoring falls on Jan 4, 7, 11 and 14. A charge logged on Jan 5 (no monitoring is
    # due that day) must not take Jan 7's number from the charge logged on Jan 7: the
    # charges on their own days are numbered first, the Jan 5 one takes what is left.
    path = write(
        tmp_path,
        "  - {date: 2027-01-04, charge: Monitoring 1, amount: 100}\n"
        "  - {date: 2027-01-05, charge: Monitoring, amount: 100}\n"
        "  - {date: 2027-01-07, charge: Monitoring, amount: 100}\n",
    )
    charges = [e.charge for e in load_ledger(path).ledger.entries]
    assert charges == ["Monitoring 1", "Monitoring 3", "Monitoring 2"]


def test_a_claim_or_payment_naming_the_fee_alone_is_read_as_its_charges_so_far(
    tmp_path,
) -> None:
    # Superbills mailed on Jan 8 for "Monitoring" cover the two logged by then (Jan 4, 7);
    # the one on Jan 12 covers Jan 11's. $240 received "for Monitoring" on Feb 20 is shared
    # among the three claimed, $80 each (80% of $100): nothing of them is still to come.
    path = write(
        tmp_path,
        "".join(
            f"  - {{date: {day}, charge: Monitoring, amount: 100}}\n" for day in SESSION_DAYS[:3]
        )
        + "  - {date: 2027-01-08, claim: [Monitoring]}\n"
        "  - {date: 2027-01-12, claim: [monitoring]}\n"
        "  - {date: 2027-02-20, received: 240, for: Monitoring}\n",
    )
    loaded = load_ledger(path)
    assert loaded.warnings == ()
    claims = [e.claim for e in loaded.ledger.entries if hasattr(e, "claim")]
    assert claims == [("Monitoring 1", "Monitoring 2"), ("Monitoring 3",)]
    status = loaded.status(dt.date(2027, 3, 1))
    assert {c.label: (c.received, c.expected_back) for c in status.claims} == {
        f"Monitoring {n}": (D(80), D(0)) for n in (1, 2, 3)
    }


def test_log_writes_a_claim_for_the_fee_alone_as_its_charges_and_says_so(tmp_path) -> None:
    # `log claim Monitoring` had ended in an internal error (exit 3); `log charge
    # Monitoring` had said "Monitoring 1 1" where the file holds "Monitoring 1".
    path = write(tmp_path, "")
    runner = CliRunner()
    said = []
    for args in (
        ["charge", "Monitoring", "--amount", "100", "--date", SESSION_DAYS[0]],
        ["charge", "Monitoring", "--amount", "100", "--date", SESSION_DAYS[1]],
        ["claim", "Monitoring", "--date", "2027-01-08"],
    ):
        result = runner.invoke(app, ["log", str(path), *args])
        assert result.exit_code == 0, result.stderr
        said.append(result.stderr.strip())
    assert said == [
        f"logged in {path}: charge 'Monitoring 1' on {SESSION_DAYS[0]}",
        f"logged in {path}: charge 'Monitoring 2' on {SESSION_DAYS[1]}",
        f"logged in {path}: claim for Monitoring 1, Monitoring 2 on 2027-01-08",
    ]
    claims = [e.claim for e in load_ledger(path).ledger.entries if hasattr(e, "claim")]
    assert claims == [("Monitoring 1", "Monitoring 2")]


def test_completion_offers_a_claimable_fees_charges_where_a_claim_is_named(
    tmp_path, monkeypatch
) -> None:
    write(
        tmp_path,
        "  - {date: 2027-01-04, visit: Session 1, paid: 500}\n"
        "  - {date: 2027-01-04, charge: Monitoring 1, amount: 100}\n"
        "  - {date: 2027-01-04, charge: Parking, amount: 50}\n",
    )
    monkeypatch.chdir(tmp_path)
    # a claim is about the visit or the claimable fee logged, never the parking
    assert complete(CliRunner(), "ketacost log ledger.yaml claim ") == ["Session 1", "Monitoring 1"]
    # a new visit is a session; a new charge one of the other charges not logged yet
    assert complete(CliRunner(), "ketacost log ledger.yaml visit ") == [
        "Session 2",
        "Session 3",
        "Session 4",
    ]
    assert complete(CliRunner(), "ketacost log ledger.yaml charge Mon") == [
        "Monitoring 2",
        "Monitoring 3",
        "Monitoring 4",
    ]


def test_money_for_the_fee_alone_goes_to_its_charges_not_paid_yet(tmp_path) -> None:
    # Monitoring 1 and 2 were paid $80 each, named; the $80 later received "for Monitoring"
    # is Monitoring 3's, the only one claimed and not paid, not shared with the first two.
    path = write(
        tmp_path,
        "".join(
            f"  - {{date: {day}, charge: Monitoring, amount: 100}}\n" for day in SESSION_DAYS[:3]
        )
        + "  - {date: 2027-01-12, claim: [Monitoring]}\n"
        "  - {date: 2027-02-10, received: 160, for: [Monitoring 1, Monitoring 2]}\n"
        "  - {date: 2027-02-20, received: 80, for: Monitoring}\n",
    )
    loaded = load_ledger(path)
    (last,) = [e for e in loaded.ledger.entries if getattr(e, "received", None) == 80]
    assert last.for_ == ("Monitoring 3",)
    status = loaded.status(dt.date(2027, 3, 1))
    assert {c.label: c.received for c in status.claims} == {
        f"Monitoring {n}": D(80) for n in (1, 2, 3)
    }


def test_a_fee_logged_twice_on_one_day_is_warned_of(tmp_path) -> None:
    # the second "Monitoring" of Jan 4 takes the next one due, Monitoring 2 (Jan 7)
    path = write(
        tmp_path,
        "  - {date: 2027-01-04, charge: Monitoring, amount: 100}\n"
        "  - {date: 2027-01-04, charge: Monitoring, amount: 100}\n",
    )
    warned = [w.message for w in load_ledger(path).warnings if "logged twice" in w.message]
    assert warned == [
        "'Monitoring 2' is due with its session on 2027-01-07, not on 2027-01-04: the same fee"
        " logged twice on 2027-01-04?"
    ]
