"""``ketacost estimate`` with insurance: plan files, what-if flags, output formats, errors."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import cents as half_up
from typer.testing import CliRunner

from ketacost.cli import app

D = Decimal
EXAMPLES = Path(__file__).parent.parent / "examples"
ACME = EXAMPLES / "plans" / "acme-ppo.yaml"
START = ["--start", "2027-01-04"]

SIX_SESSIONS = """\
name: Six sessions
series:
  sessions: 6
  per_week: 2
  first_price: 750
  first_sessions: 2
  later_price: 600
billing:
  network: out-of-network
  superbill: true
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    """A westside-like clinic: the six-session series of docs/output.md and nothing else."""
    path = tmp_path / "six.yaml"
    path.write_text(SIX_SESSIONS, encoding="utf-8")
    return path


def invoke(runner: CliRunner, *args: object):
    return runner.invoke(app, [str(a) for a in args])


def json_of(result) -> dict:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def by_name(data: dict) -> dict[str, dict]:
    return {s["name"]: s for s in data["scenarios"]}


# --- a plan file ----------------------------------------------------------------------


def test_acme_plan_json_with_the_default_clinic(runner):
    data = json_of(invoke(runner, "estimate", "--plan", ACME, *START, "--format", "json"))
    scenarios = data["scenarios"]
    assert [s["name"] for s in scenarios] == ["Denied", "As written", "Generous"]
    assert [D(s["probability"]) for s in scenarios] == [D("0.5"), D("0.4"), D("0.1")]
    assert data["expected_net"] is not None
    exact = sum((D(s["probability"]) * D(s["net"]) for s in scenarios), D(0))
    assert D(data["expected_net"]) == half_up(exact)
    assert scenarios[0]["reimbursed"] == "0.00"
    assert scenarios[0]["net"] == data["total"]
    for s in scenarios:
        assert D(s["net"]) == D(s["paid"]) - D(s["reimbursed"])


def test_acme_plan_json_with_a_six_session_clinic(runner, clinic):
    data = json_of(invoke(runner, "estimate", clinic, "--plan", ACME, *START, "-f", "json"))
    scenarios = by_name(data)
    assert data["total"] == "3900.00"
    assert data["plan"]["name"] == "Acme PPO — out-of-network benefits"
    # As written: 1500 of the deductible left (500 met) → 234 + 252 + 252 back
    assert scenarios["As written"]["reimbursed"] == f"{234 + 252 + 252}.00"
    assert scenarios["As written"]["net"] == f"{3900 - 738}.00"
    # Generous (allowed 100%): 750 + 750 use up the 1500; 4 × (600 − 40% × 600) back
    assert scenarios["Generous"]["reimbursed"] == f"{360 * 4}.00"
    # 0.5 × 3900 + 0.4 × 3162 + 0.1 × 2460 = 1950 + 1264.80 + 246
    assert data["expected_net"] == "3460.80"


def test_table_output_shows_the_expected_net(runner, clinic):
    result = invoke(runner, "estimate", clinic, "--plan", ACME, *START)
    assert result.exit_code == 0, result.stderr
    assert "Expected net" in result.stdout
    assert "3,460.80" in result.stdout
    assert "Insurance scenarios" in result.stdout
    assert "Claims — " not in result.stdout  # claims only with --claims


def test_claims_flag_shows_a_claims_table(runner, clinic):
    result = invoke(runner, "estimate", clinic, "--plan", ACME, *START, "--claims")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for name in ("Denied", "As written", "Generous"):
        assert f"Claims — {name}" in out
    assert "Deductible left" in out
    assert "2027-01-21" in out  # session 6's row
    assert "2027-03-07" in out  # its reimbursement date (45 days later)


def test_claims_flag_without_a_plan_shows_no_claims_table(runner, clinic):
    result = invoke(runner, "estimate", clinic, *START, "--claims")
    assert result.exit_code == 0, result.stderr
    assert "Claims — " not in result.stdout


def test_no_plan_json_has_one_self_pay_scenario(runner, clinic):
    data = json_of(invoke(runner, "estimate", clinic, *START, "--format", "json"))
    (scenario,) = data["scenarios"]
    assert scenario["name"] == "Self-pay"
    assert scenario["reimbursed"] == "0.00"
    assert scenario["net"] == "3900.00"
    assert data["expected_net"] is None


# --- what-if flags --------------------------------------------------------------------


def test_what_if_flags_without_a_plan_file_reproduce_design_section_6(runner, clinic):
    data = json_of(
        invoke(
            runner,
            "estimate",
            clinic,
            *START,
            "--deductible",
            "2000",
            "--coinsurance",
            "40%",
            "--allowed",
            "70%",
            "--format",
            "json",
        )
    )
    (scenario,) = data["scenarios"]
    assert scenario["billed"] == "3900.00"
    assert scenario["allowed"] == f"{525 * 2 + 420 * 4}.00"
    assert scenario["reimbursed"] == f"{186 + 252}.00"
    assert scenario["balance_billed"] == "1170.00"
    assert scenario["net"] == "3462.00"
    assert scenario["peak_outlay"] == "3900.00"
    assert scenario["cashflow"][0] == {
        "month": "2027-01",
        "paid": "3900.00",
        "reimbursed": "0.00",
        "cumulative": "3900.00",
    }
    assert data["expected_net"] is None


def test_what_if_flags_override_the_plan_file(runner, clinic):
    data = json_of(
        invoke(
            runner, "estimate", clinic, "--plan", ACME, *START, "--deductible", "0", "-f", "json"
        )
    )
    scenarios = by_name(data)
    # no deductible, 40% of each allowed amount: (525 − 210) × 2 + (420 − 168) × 4
    assert scenarios["As written"]["reimbursed"] == f"{315 * 2 + 252 * 4}.00"  # 1638
    # Generous (100%): (750 − 300) × 2 + (600 − 240) × 4
    assert scenarios["Generous"]["reimbursed"] == f"{450 * 2 + 360 * 4}.00"  # 2340
    assert scenarios["Denied"]["reimbursed"] == "0.00"
    # 0.5 × 3900 + 0.4 × (3900 − 1638) + 0.1 × (3900 − 2340) = 1950 + 904.80 + 156
    assert data["expected_net"] == "3010.80"


def test_what_if_paid_after_days_moves_the_reimbursements(runner, clinic):
    data = json_of(
        invoke(
            runner,
            "estimate",
            clinic,
            *START,
            "--deductible",
            "2000",
            "--coinsurance",
            "40%",
            "--allowed",
            "70%",
            "--paid-after-days",
            "10",
            "-f",
            "json",
        )
    )
    (scenario,) = data["scenarios"]
    # sessions 5 and 6 are on 2027-01-18 and 2027-01-21
    assert scenario["last_reimbursement"] == "2027-01-31"
    paid_back = [c["reimbursed_on"] for c in scenario["claims"] if c["reimbursed"] != "0.00"]
    assert paid_back == ["2027-01-28", "2027-01-31"]


def test_what_if_allowed_without_percent_below_one_is_refused(runner, clinic):
    result = invoke(runner, "estimate", clinic, *START, "--allowed", "0.7")
    assert result.exit_code == 2
    assert "%" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


# --- bad input ------------------------------------------------------------------------


def test_a_plan_passed_as_the_clinic_is_refused(runner):
    result = invoke(runner, "estimate", ACME, *START)
    assert result.exit_code == 2
    assert "acme-ppo.yaml" in result.stderr
    assert "plan" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""


def test_a_clinic_passed_as_the_plan_is_refused(runner, clinic):
    result = invoke(runner, "estimate", clinic, "--plan", clinic, *START)
    assert result.exit_code == 2
    assert "six.yaml" in result.stderr
    assert "clinic" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""


def test_probabilities_not_summing_to_one(runner, clinic, tmp_path):
    plan = tmp_path / "bad-plan.yaml"
    plan.write_text(
        "kind: plan\n"
        "name: Bad probabilities\n"
        "out_of_network:\n"
        "  allowed: 70%\n"
        "scenarios:\n"
        "  - name: Denied\n"
        "    covered: false\n"
        "    probability: 0.5\n"
        "  - name: As written\n"
        "    probability: 0.4\n",
        encoding="utf-8",
    )
    result = invoke(runner, "estimate", clinic, "--plan", plan, *START)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    # file:line, somewhere in the scenarios (lines 5 to 10)
    lines = [
        int(part.split(":")[1])
        for part in result.stderr.split()
        if part.startswith(f"{plan}:") and part.split(":")[1].isdigit()
    ]
    assert lines, result.stderr
    assert all(5 <= line <= 10 for line in lines)
    assert "0.9" in result.stderr


def test_a_missing_plan_file_is_exit_2(runner, clinic, tmp_path):
    result = invoke(runner, "estimate", clinic, "--plan", tmp_path / "nope.yaml", *START)
    assert result.exit_code == 2
    assert "nope.yaml" in result.stderr
    assert "Traceback" not in result.stderr


# --- csv ------------------------------------------------------------------------------


def test_csv_has_reimbursed_columns_per_scenario(runner, clinic):
    result = invoke(runner, "estimate", clinic, "--plan", ACME, *START, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 6
    header = rows[0].keys()
    for name in ("Denied", "As written", "Generous"):
        assert f"reimbursed [{name}]" in header

    def column(name: str) -> list[Decimal]:
        return [D(row[f"reimbursed [{name}]"]) for row in rows]

    assert column("Denied") == [D(0)] * 6
    assert column("As written") == [D(0), D(0), D(0), D(234), D(252), D(252)]
    assert column("Generous") == [D(0), D(0)] + [D(360)] * 4
    assert [D(row["amount"]) for row in rows] == [D(750)] * 2 + [D(600)] * 4
