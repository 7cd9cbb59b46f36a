"""``ketacost estimate`` on every coverage path: --network, --copay, --met-*, Medicare plans,
the savings programme's eligibility, and the terms shown in every format."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketacost.cli import app

D = Decimal
PLANS = Path(__file__).resolve().parent.parent / "examples" / "plans"
START = ("--start", "2027-01-04")
MEDICARE_56 = ("esketamine-medicare-56mg", "--months", "6", *START)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: object):
    return runner.invoke(app, [str(a) for a in args])


def money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def json_of(result) -> dict:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_the_issues_medicare_command_pays_the_clinic(runner):
    # The bundled 56 mg profile bills in network: 21 × 952.59 = 20,004.39; the patient's
    # share is 283 + 0.2 × (952.59 − 283) → 416.92, then 20 × 190.52 = 4,227.32.
    data = json_of(
        invoke(
            runner,
            "estimate",
            *MEDICARE_56,
            "--deductible",
            "283",
            "--coinsurance",
            "20%",
            "--allowed",
            "100%",
            "--format",
            "json",
        )
    )
    (s,) = data["scenarios"]
    share = D("416.92") + 20 * D("190.52")
    assert s["net"] == s["peak_outlay"] == s["paid"] == str(share) == "4227.32"
    assert s["plan_paid"] == str(21 * D("952.59") - share) == "15777.07"
    assert s["reimbursed"] == "0.00"
    assert data["terms"][0]["network"] == "in-network"
    assert data["terms"][0]["coverage"] == "commercial"  # a plan from flags alone


def test_medicare_table_never_says_reimbursed_to_you(runner):
    for fmt in ("table", "md"):
        result = invoke(
            runner,
            "estimate",
            *MEDICARE_56,
            "--plan",
            PLANS / "medicare-part-b.yaml",
            "--claims",
            "--format",
            fmt,
        )
        assert result.exit_code == 0, result.stderr
        assert "Reimbursed to you" not in result.stdout
        assert "Plan pays the clinic" in result.stdout
        assert "$15,777.07" in result.stdout
        assert "medicare" in result.stdout


def test_medicare_plan_with_an_opted_out_clinic_says_why(runner):
    result = invoke(
        runner,
        "estimate",
        "esketamine-cash",
        "--months",
        "6",
        *START,
        "--plan",
        PLANS / "medicare-part-b.yaml",
    )
    assert result.exit_code == 0, result.stderr
    assert "opted out of Medicare" in result.stdout
    assert "$22,050.00" in result.stdout  # 21 × 1,050, all paid by the patient


def test_network_flag_turns_an_out_of_network_clinic_in(runner):
    # Los Angeles series 750 × 2 + 600 × 4 and a booster at week 12+5 days in 6 months.
    # In network at 80% allowed, no deductible, copay 25, 20%: per $750 session the
    # share is 25 + 0.2 × (600 − 25) = 140; per $600: 25 + 0.2 × (480 − 25) = 116.
    data = json_of(
        invoke(
            runner,
            "estimate",
            "los-angeles-iv",
            *START,
            "--months",
            "1",
            "--network",
            "in",
            "--allowed",
            "80%",
            "--copay",
            "25",
            "--coinsurance",
            "20%",
            "--format",
            "json",
        )
    )
    (s,) = data["scenarios"]
    assert s["net"] == money(2 * D(140) + 4 * D(116))
    assert s["balance_billed"] == "0.00"
    assert s["not_allowed"] == money(D("0.2") * (2 * 750 + 4 * 600))  # written off
    assert s["copay"] == money(D(6 * 25))
    (terms,) = data["terms"]
    assert (terms["network"], terms["copay"], terms["allowed"]) == ("in-network", "25.00", "80%")


def test_met_flags_fill_the_counters(runner):
    # Out of network, deductible 2,000 with 1,700 met: 300 of session 1 to the deductible.
    data = json_of(
        invoke(
            runner,
            "estimate",
            "new-jersey-iv-low",
            *START,
            "--deductible",
            "2000",
            "--met-deductible",
            "1700",
            "--met-oop",
            "100",
            "--allowed",
            "100%",
            "--coinsurance",
            "0%",
            "--format",
            "json",
        )
    )
    (terms,) = data["terms"]
    assert terms["already_met"] == {"deductible": "1700.00", "out_of_pocket": "100.00"}
    claims = data["scenarios"][0]["claims"]
    assert [c["deductible_applied"] for c in claims[:3]] == ["250.00", "50.00", "0.00"]


def test_met_flags_go_to_the_network_block_of_a_per_network_plan(runner):
    data = json_of(
        invoke(
            runner,
            "estimate",
            "los-angeles-iv",
            *START,
            "--plan",
            PLANS / "in-network-ppo.yaml",
            "--met-deductible",
            "500",
            "--format",
            "json",
        )
    )
    assert data["terms"][0]["already_met"]["deductible"] == "500.00"
    assert data["terms"][0]["network"] == "out-of-network"


def test_plan_without_the_clinics_network_names_both_files(runner, tmp_path):
    plan = tmp_path / "oon.yaml"
    plan.write_text("kind: plan\nname: OON only\nout_of_network:\n  deductible: 100\n")
    result = invoke(runner, "estimate", "esketamine-medicare-56mg", *START, "--plan", plan)
    assert result.exit_code == 2
    assert str(plan) in result.stderr
    assert "esketamine-medicare-56mg.yaml" in result.stderr
    assert "no in_network terms" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("flag", ["--allowed"])
def test_bare_allowed_flag_is_refused(runner, flag):
    result = invoke(runner, "estimate", *START, flag, "70")
    assert result.exit_code == 2
    assert "70%" in result.stderr and '"$70"' in result.stderr
    assert result.stdout == ""


def test_allowed_flag_with_a_dollar_sign(runner):
    data = json_of(
        invoke(
            runner,
            "estimate",
            *START,
            "--allowed",
            "$400",
            "--coinsurance",
            "0%",
            "--format",
            "json",
        )
    )
    assert data["terms"][0]["allowed"] == "$400"
    assert data["scenarios"][0]["claims"][0]["allowed"] == "400.00"


def test_copay_only_flag_charges_the_copay_alone(runner):
    # Six $250 sessions out of network, allowed 70% = 175, copay only $50: no deductible
    # (the $500 given is not applied) and no coinsurance; the plan's part 175 − 50 = 125
    # comes back per claim: 6 × 125 = 750 back, 6 × 250 − 750 = 750 net.
    data = json_of(
        invoke(
            runner,
            "estimate",
            "new-jersey-iv-low",
            *START,
            "--months",
            "1",
            "--copay-only",
            "--copay",
            "50",
            "--allowed",
            "70%",
            "--deductible",
            "500",
            "--format",
            "json",
        )
    )
    (s,) = data["scenarios"]
    assert s["copay"] == money(D(6 * 50))
    assert s["deductible_applied"] == s["coinsurance"] == "0.00"
    assert s["reimbursed"] == money(6 * (D("0.7") * 250 - 50)) == "750.00"
    assert s["net"] == money(6 * D(250) - 750)
    (terms,) = data["terms"]
    assert terms["copay_only"] is True and terms["copay"] == "50.00"


def test_copay_only_from_flags_alone_must_state_the_copay(runner):
    result = invoke(runner, "estimate", *START, "--copay-only", "--allowed", "70%")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "a plan built from flags alone must state --copay:" in result.stderr
    assert "(a $0 copay)" in result.stderr and "--coinsurance" not in result.stderr
    # a plan file that states no copay is refused too (a $0 copay would make every visit
    # free), at its terms block; the flag states it
    plan = PLANS / "acme-ppo.yaml"
    refused = invoke(runner, "estimate", *START, "--plan", plan, "--copay-only")
    assert refused.exit_code == 2
    assert "acme-ppo.yaml:9:1: error: the plan's out_of_network terms leave out copay" in (
        refused.stderr
    )
    assert "(a $0 copay)" in refused.stderr and "--copay" in refused.stderr
    data = json_of(
        invoke(
            runner,
            "estimate",
            *START,
            "--plan",
            plan,
            "--copay-only",
            "--copay",
            "50",
            "-f",
            "json",
        )
    )
    assert all(t["copay_only"] for t in data["terms"])
    assert [t["copay"] for t in data["terms"] if t["covered"]] == ["50.00", "50.00"]


def test_bad_network_flag(runner):
    result = invoke(runner, "estimate", *START, "--network", "sideways")
    assert result.exit_code == 2
    assert "--network in" in result.stderr


def test_csv_carries_the_terms_and_the_patients_payment(runner):
    result = invoke(
        runner,
        "estimate",
        *MEDICARE_56,
        "--plan",
        PLANS / "medicare-part-b.yaml",
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    name = "Original Medicare Part B (2026)"
    assert rows[0][f"paid [{name}]"] == "416.92"
    assert rows[1][f"paid [{name}]"] == "190.52"
    assert rows[0][f"plan_paid [{name}]"] == money(D("952.59") - D("416.92"))
    assert "medicare; in-network" in rows[0][f"terms [{name}]"]
    assert "deductible 283.00" in rows[0][f"terms [{name}]"]


# --- the savings programme's eligibility --------------------------------------------------


def test_savings_programme_without_a_plan_says_who_qualifies(runner):
    result = invoke(runner, "estimate", "esketamine-cash", *START, "--savings-program")
    assert result.exit_code == 2
    assert "--savings-program" in result.stderr
    assert "commercial" in result.stderr
    assert "Medicare" in result.stderr
    assert result.stdout == ""


def test_savings_programme_with_medicare_is_refused(runner):
    result = invoke(
        runner,
        "estimate",
        *MEDICARE_56,
        "--plan",
        PLANS / "medicare-part-b.yaml",
        "--savings-program",
    )
    assert result.exit_code == 2
    assert "coverage: medicare" in result.stderr


def test_savings_programme_on_a_clinic_without_esketamine(runner):
    result = invoke(
        runner,
        "estimate",
        "los-angeles-iv",
        *START,
        "--plan",
        PLANS / "acme-ppo.yaml",
        "--savings-program",
    )
    assert result.exit_code == 2
    assert "no esketamine" in result.stderr


def test_compare_with_a_plan_missing_a_network(runner, tmp_path):
    plan = tmp_path / "in-only.yaml"
    plan.write_text("kind: plan\nname: In only\nin_network:\n  copay: 20\n")
    result = invoke(
        runner, "compare", "esketamine-medicare-56mg", "los-angeles-iv", *START, "--plan", plan
    )
    assert result.exit_code == 2
    assert "los-angeles-iv.yaml" in result.stderr
    assert "no out_of_network terms" in result.stderr


def test_medicare_cap_is_refused_at_its_line(runner, tmp_path):
    plan = tmp_path / "m.yaml"
    plan.write_text(
        "kind: plan\nname: M\ncoverage: medicare\nin_network:\n  deductible: 283\n"
        "  out_of_pocket_max: 5\n"
    )
    result = invoke(runner, "check", plan)
    assert result.exit_code == 2
    assert f"{plan}:6:3:" in result.stderr
    assert "no out-of-pocket cap" in result.stderr
    flagged = invoke(
        runner, "estimate", *START, "--plan", PLANS / "medicare-part-b.yaml", "--oop-max", "100"
    )
    assert flagged.exit_code == 2
    assert flagged.stderr.startswith("--oop-max 100:1:11:")


def test_medicare_plan_year_is_refused_at_its_line(runner, tmp_path):
    plan = tmp_path / "m.yaml"
    plan.write_text('kind: plan\nname: M\ncoverage: medicare\nplan_year_starts: "07-01"\n')
    result = invoke(runner, "check", plan)
    assert result.exit_code == 2
    assert f"{plan}:4:" in result.stderr
    assert "calendar year" in result.stderr


def test_a_network_chosen_by_flag_that_the_plan_lacks_is_the_flags_problem() -> None:
    from typer.testing import CliRunner

    from ketacost.cli import app

    plan = str(Path(__file__).resolve().parent.parent / "examples" / "plans" / "acme-ppo.yaml")
    result = CliRunner().invoke(
        app, ["estimate", "los-angeles-iv", "--plan", plan, "--network", "in"]
    )
    assert result.exit_code == 2
    assert "--network in estimates this clinic in-network, not as it bills" in result.stderr
    assert "this clinic bills in-network" not in result.stderr  # the file says out-of-network
    assert "or leave out --network in" in result.stderr


def test_a_plan_that_does_not_state_its_coverage_lists_commercial_as_assumed(
    tmp_path: Path,
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "kind: plan\nname: P\nout_of_network: {coinsurance: 20%, allowed: 70%}\n",
        encoding="utf-8",
    )
    args = ["estimate", "--start", "2027-01-04", "--no-config", "-f", "json"]
    for plan_args in (["--plan", str(plan)], ["--allowed", "70%", "--coinsurance", "20%"]):
        data = json.loads(CliRunner().invoke(app, [*args, *plan_args]).stdout)
        said = {a["what"]: (a["value"], a["from"]) for a in data["assumptions"]}
        assert said["coverage"] == ("commercial (employer or individual)", "default")
    plan.write_text(plan.read_text(encoding="utf-8") + "coverage: commercial\n", "utf-8")
    data = json.loads(CliRunner().invoke(app, [*args, "--plan", str(plan)]).stdout)
    assert "coverage" not in {a["what"] for a in data["assumptions"]}


def test_a_clinic_that_does_not_state_its_billing_lists_network_and_superbill_as_assumed() -> None:
    args = ["estimate", "--start", "2027-01-04", "--no-config", "-f", "json"]
    plan = ["--plan", str(Path(__file__).parent.parent / "examples" / "plans" / "acme-ppo.yaml")]

    def said(clinic: str) -> dict[str, tuple[str, str]]:
        data = json.loads(CliRunner().invoke(app, [*args, clinic, *plan]).stdout)
        return {a["what"]: (a["value"], a["from"]) for a in data["assumptions"]}

    unstated = said("high-end-iv")  # no billing: block
    assert unstated["network"] == ("out-of-network", "default")
    assert unstated["superbill"] == ("yes: the clinic gives one to claim with", "default")
    stated = said("los-angeles-iv")  # billing: {network: out-of-network, superbill: true}
    assert stated["network"] == ("out-of-network", "clinic")
    assert "superbill" not in stated


def test_the_plan_years_start_is_listed_as_assumed_when_the_plan_does_not_state_it() -> None:
    args = ["estimate", "--start", "2027-01-04", "--no-config", "-f", "json"]
    data = json.loads(
        CliRunner().invoke(app, [*args, "--allowed", "70%", "--coinsurance", "20%"]).stdout
    )
    said = {a["what"]: (a["value"], a["from"]) for a in data["assumptions"]}
    assert said["plan year starts (deductible and cap reset)"] == ("01-01", "default")
    acme = str(Path(__file__).parent.parent / "examples" / "plans" / "acme-ppo.yaml")
    data = json.loads(CliRunner().invoke(app, [*args, "--plan", acme]).stdout)
    said = {a["what"]: (a["value"], a["from"]) for a in data["assumptions"]}
    assert said["plan year starts (deductible and cap reset)"] == ("01-01", "plan")  # stated


# --- a plan file must state the terms whose defaults flatter (docs/assumptions.md) ---------

THIN = """
kind: plan
name: Thin
out_of_network:
  deductible: 500
"""


def test_a_plan_file_without_allowed_and_coinsurance_is_refused_at_its_block(runner, write_yaml):
    # Left out they were 100% allowed and 0% coinsurance: the bundled default's
    # $6,300 came back as a $500 net cost, the deductible alone.
    plan = write_yaml(THIN)
    result = invoke(runner, "estimate", *START, "--plan", plan)
    assert (result.exit_code, result.stdout) == (2, "")
    assert f"{plan}:3:1: error: the plan's out_of_network terms leave out allowed and" in (
        result.stderr
    )
    assert "(100% allowed, 0% coinsurance)" in result.stderr
    assert "e.g. allowed: 70%, coinsurance: 40%" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_flags_state_what_the_plan_file_leaves_out(runner, write_yaml):
    # The series alone: $750 × 2 + $600 × 4 = 3,900 billed; 70% allowed = 2,730;
    # deductible 500, then 40% of 2,230 = 892: the patient pays 1,392 of the allowed and
    # the 1,170 not allowed, so 3,900 − 1,392 − 1,170 = 1,338 comes back.
    plan = write_yaml(THIN)
    data = json_of(
        invoke(
            runner, "estimate", *START, "--plan", plan, "--allowed", "70%",
            "--coinsurance", "40%", "--months", "1", "-f", "json",
        )
    )  # fmt: skip
    (scenario,) = data["scenarios"]
    allowed = D(3900) * D("0.7")
    assert D(scenario["reimbursed"]) == allowed - D(500) - (allowed - D(500)) * D("0.4")
    assert D(scenario["reimbursed"]) == D(1338)


@pytest.mark.parametrize(
    ("plan_text", "why"),
    [
        (
            THIN + "scenarios:\n  - {name: Denied, covered: false}\n"
            "  - {name: Paid, coinsurance: 30%, allowed: 80%}\n",
            "the covered scenario states both, and a denial needs neither",
        ),
        (THIN + "covered: false\n", "nothing is covered, so no term is used"),
        (
            "kind: plan\nname: In\nin_network: {deductible: 500, coinsurance: 20%}\n",
            "in network a 100% allowed amount is the careful default: it is not asked for",
        ),
        (
            "kind: plan\nname: MA PPO\ncoverage: medicare-advantage\n"
            "in_network: {coinsurance: 20%}\nout_of_network: {coinsurance: 40%}\n",
            "under Medicare the allowed amount is its fee schedule",
        ),
    ],
)
def test_plans_that_leave_nothing_flattering_unstated_are_read(runner, write_yaml, plan_text, why):
    network = "in" if "in_network" in plan_text else "out"
    result = invoke(
        runner, "estimate", *START, "--plan", write_yaml(plan_text), "--network", network
    )
    assert result.exit_code == 0, (why, result.stderr)


def test_a_copay_only_plan_file_must_state_its_copay(runner, write_yaml):
    plan = write_yaml("kind: plan\nname: C\nin_network: {copay_only: true, deductible: 0}\n")
    result = invoke(runner, "estimate", *START, "--plan", plan, "--network", "in")
    assert result.exit_code == 2
    assert "in_network terms leave out copay" in result.stderr
    assert "(a $0 copay)" in result.stderr


def test_a_sweep_varying_the_term_a_plan_file_leaves_out_is_read(runner, write_yaml):
    plan = write_yaml(THIN + "  allowed: 70%\n")
    swept = invoke(
        runner, "sweep", "--plan", plan, *START, "--vary", "coinsurance=20%,40%", "-f", "json"
    )
    assert swept.exit_code == 0, swept.stderr
    dotted = invoke(
        runner, "sweep", "--plan", plan, *START,
        "--vary", "plan.out_of_network.coinsurance=20%,40%",
    )  # fmt: skip
    assert dotted.exit_code == 0, dotted.stderr
    refused = invoke(runner, "sweep", "--plan", plan, *START, "--vary", "deductible=0,500")
    assert refused.exit_code == 2
    assert "out_of_network terms leave out coinsurance" in refused.stderr


def test_check_warns_of_a_plan_block_that_leaves_a_generous_term_out(runner, write_yaml):
    # a warning, not an error: flags may state the terms when the plan is used
    plan = write_yaml(THIN, "plan.yaml")
    result = invoke(runner, "check", plan)
    assert result.exit_code == 0
    assert f"{plan}:3:1: warning: the plan's out_of_network terms leave out allowed" in (
        result.stderr
    )
    assert "1 warning above" in result.stdout


def test_medicare_not_allowed_warns_of_the_limiting_charge(runner):
    # written off only with assignment; a clinic that does not accept it may bill up to
    # 115% of Medicare's amount (42 CFR 414.48), which the estimate does not count
    plan = PLANS / "medicare-part-b.yaml"
    fewer = json_of(
        invoke(runner, "estimate", *MEDICARE_56, "--plan", plan, "--allowed", "95%", "-f", "json")
    )
    assert any("limiting charge" in w and "accepts assignment" in w for w in fewer["warnings"])
    assert all(D(s["not_allowed"]) > 0 for s in fewer["scenarios"])
    full = json_of(invoke(runner, "estimate", *MEDICARE_56, "--plan", plan, "-f", "json"))
    assert all(D(s["not_allowed"]) == 0 for s in full["scenarios"])
    assert not any("limiting charge" in w for w in full["warnings"])


def test_a_ledger_whose_plan_leaves_terms_out_still_records_and_warns(runner, tmp_path):
    # the ledger records what happened: log, export, calendar and letters go on; status,
    # whose re-estimate takes the defaults, warns at the plan's block and lists them
    (tmp_path / "plan.yaml").write_text(THIN.lstrip(), encoding="utf-8")
    ledger = tmp_path / "ledger.yaml"
    ledger.write_text(
        "kind: ledger\nclinic: los-angeles-iv\nplan: plan.yaml\nstart: 2027-01-04\nentries:\n"
        "  - {date: 2027-01-04, visit: Session 1, paid: 750}\n",
        encoding="utf-8",
    )
    logged = invoke(
        runner, "log", ledger, "visit", "Session 2", "--paid", "750", "--date", "2027-01-07"
    )
    assert logged.exit_code == 0, logged.stderr
    for args in (
        ["export", ledger, "--to", "csv"],
        ["calendar", ledger, "--as-of", "2027-02-01"],
        ["letter", "superbill-request", ledger, "--as-of", "2027-02-01"],
    ):
        assert invoke(runner, *args).exit_code == 0, args
    status = invoke(runner, "status", ledger, "--as-of", "2027-02-01", "-f", "json")
    assert status.exit_code == 0, status.stderr
    assert "plan.yaml:3:1: warning: the plan's out_of_network terms leave out allowed" in (
        status.stderr
    )
    assert "--allowed" not in status.stderr  # status takes no such flag
    said = {a["what"] for a in json.loads(status.stdout)["assumptions"]}
    assert {"allowed amount (out-of-network)", "coinsurance (out-of-network)"} <= said


@pytest.mark.parametrize(
    ("as_of", "met"),
    [("2026-12-01", False), ("2027-02-01", True), (None, True)],
    ids=["read-last-plan-year", "read-this-plan-year", "not-said"],
)
def test_already_met_counts_for_the_plan_year_it_was_read_in(runner, tmp_path, as_of, met):
    # acme-ppo: 500 of the 2,000 deductible met. Read on 2026-12-01, the counters reset on
    # 2027-01-01, before a 2027-01-04 start: the series pays the whole 2,000 deductible.
    # The series alone: 750 × 2 + 600 × 4 = 3,900 billed, 70% allowed = 2,730; 'As written'
    # (40%) pays (2,730 − 2,000) × 0.6 = 438 with nothing met, (2,730 − 1,500) × 0.6 = 738
    # with 500 met.
    text = (PLANS / "acme-ppo.yaml").read_text(encoding="utf-8")
    if as_of is not None:
        text = text.replace("already_met:", f"already_met:\n  as_of: {as_of}", 1)
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    data = json_of(
        invoke(runner, "estimate", *START, "--plan", plan, "--months", "1", "-f", "json",
               "--scenario", "As written")
    )  # fmt: skip
    written = next(s for s in data["scenarios"] if s["name"] == "As written")
    allowed = D(3900) * D("0.7")
    back = (allowed - (D(1500) if met else D(2000))) * D("0.6")
    assert D(written["reimbursed"]) == back == (D(738) if met else D(438))
    said = {a["what"] for a in data["assumptions"]}
    assert ("already met counts for" in said) == (as_of is None)


def test_a_sweep_over_starts_agrees_with_estimate_once_the_reading_day_is_given(runner, tmp_path):
    text = (PLANS / "acme-ppo.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace("already_met:", "already_met:\n  as_of: 2026-12-01", 1), "utf-8")
    # the sweep's own --start (2027-06-01) is in another plan year than as_of (2026-12-01):
    # without as_of the 2026 point would lose the counters, with it the 2027 point does
    rows = json.loads(
        invoke(runner, "sweep", "--plan", plan, "--start", "2027-06-01",
               "--vary", "start=2026-12-07,2027-03-04", "-f", "json").stdout
    )  # fmt: skip
    points = [row for row in rows if not row.get("header")]
    assert len(points) == 2
    for row in points:
        alone = json_of(
            invoke(runner, "estimate", "--plan", plan, "--start", row["start"], "-f", "json")
        )
        assert row["net"] == alone["expected_net"], row


def test_a_plan_that_never_says_whether_it_covers_the_treatment_lists_it_as_assumed(runner):
    capped = json_of(
        invoke(runner, "estimate", *START, "--plan", PLANS / "capped-ppo.yaml", "--network",
               "in", "-f", "json")
    )  # fmt: skip
    covered = [a for a in capped["assumptions"] if a["what"] == "covered"]
    assert covered and covered[0]["from"] == "default"
    assert "often denied as off-label" in covered[0]["value"]
    # acme-ppo weighs a Denied scenario: it says so, and nothing is assumed
    acme = json_of(
        invoke(runner, "estimate", *START, "--plan", PLANS / "acme-ppo.yaml", "-f", "json")
    )
    assert all(a["what"] != "covered" for a in acme["assumptions"])


def test_a_sweep_that_does_not_vary_start_reads_as_of_too(runner, tmp_path):
    text = (PLANS / "acme-ppo.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace("already_met:", "already_met:\n  as_of: 2026-12-01", 1), "utf-8")
    rows = json.loads(
        invoke(runner, "sweep", "--plan", plan, *START, "--vary", "series.later_price=600",
               "-f", "json").stdout
    )  # fmt: skip
    (row,) = [r for r in rows if not r.get("header")]
    alone = json_of(invoke(runner, "estimate", "--plan", plan, *START, "-f", "json"))
    assert row["net"] == alone["expected_net"]


def test_a_met_flag_replaces_a_reading_of_another_plan_year_whole(runner, tmp_path):
    # the file's 500 / 500 were read on 2026-12-01; --met-deductible 800 says what is met
    # for the 2027 start: the deductible counter is 800, the out-of-pocket one 0 (no flag)
    text = (PLANS / "acme-ppo.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace("already_met:", "already_met:\n  as_of: 2026-12-01", 1), "utf-8")
    data = json_of(
        invoke(runner, "estimate", "--plan", plan, *START, "--met-deductible", "800", "-f", "json")
    )
    said = {a["what"]: (a["value"], a["from"]) for a in data["assumptions"]}
    assert said["deductible already met"] == ("$800.00", "flag")
    assert said["out of pocket already spent"] == ("$0.00", "flag")


def test_counters_read_after_the_start_warn_that_they_say_nothing_of_it(runner, tmp_path):
    text = (PLANS / "acme-ppo.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace("already_met:", "already_met:\n  as_of: 2027-01-15", 1), "utf-8")
    data = json_of(
        invoke(runner, "estimate", "--plan", plan, "--start", "2026-11-02", "-f", "json")
    )
    assert any(
        "read on 2027-01-15, in a later plan year than the start" in w for w in data["warnings"]
    )


def test_an_original_medicare_plan_must_state_its_part_b_deductible(runner, write_yaml):
    # Part B's deductible is published each year ($283 in 2026): left out, it was $0, and
    # every claim of the year was paid from the first dollar.
    esketamine = ("esketamine-medicare-56mg", "--start", "2027-01-04")
    plan = write_yaml(
        "kind: plan\nname: Part B\ncoverage: medicare\nin_network: {coinsurance: 20%}\n"
    )
    result = invoke(runner, "estimate", *esketamine, "--plan", plan)
    assert (result.exit_code, result.stdout) == (2, "")
    assert f"{plan}:4:1: error: the plan's in_network terms leave out deductible" in result.stderr
    assert "(a $0 deductible)" in result.stderr and "deductible: 283" in result.stderr
    assert "published each year on medicare.gov: $283 in 2026" in result.stderr
    stated = invoke(runner, "estimate", *esketamine, "--plan", plan, "--deductible", "283")
    assert stated.exit_code == 0, stated.stderr


def test_in_network_a_denied_scenario_is_not_written_off_but_yours_to_pay(runner, tmp_path):
    # Four $500 sessions in network. Approved: 80% allowed = 400, the clinic writes off
    # 500 − 400 = 100 a session, 400 in all. Denied: nothing is written off; all
    # 500 × 4 = 2,000 is the patient's (it had been shown as written off).
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text(
        "name: In-network clinic\nseries: {sessions: 4, every_weeks: 1, price: 500}\n"
        "billing: {network: in-network}\n",
        encoding="utf-8",
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "kind: plan\nname: P\ncoverage: commercial\n"
        "in_network: {deductible: 0, coinsurance: 20%, allowed: 80%}\n"
        "scenarios:\n  - {name: Approved}\n  - {name: Denied, covered: false}\n",
        encoding="utf-8",
    )
    result = invoke(runner, "estimate", clinic, "--plan", plan, *START, "--format", "md")
    assert result.exit_code == 0, result.stderr
    rows = {
        cells[1].strip(" *"): [c.strip(" *") for c in cells[2:-1]]
        for cells in (line.split("|") for line in result.stdout.splitlines())
        if len(cells) > 3
    }
    assert rows["Not allowed (the clinic writes it off)"] == ["$400.00", "$0.00"]  # 100 × 4
    assert rows["Not covered (yours to pay in full)"] == ["$0.00", "$2,000.00"]  # 500 × 4
    assert rows["Net cost"] == ["$320.00", "$2,000.00"]  # 20% × 400 × 4
    # codes that bill $600 for a $500 session: what is yours is the price, not the bill
    clinic.write_text(
        "name: In-network clinic\nseries: {sessions: 4, every_weeks: 1, price: 500}\n"
        'billing: {network: in-network, codes: [{code: "96365", amount: 600}]}\n',
        encoding="utf-8",
    )
    result = invoke(runner, "estimate", clinic, "--plan", plan, *START, "--format", "md")
    rows = {
        cells[1].strip(" *"): [c.strip(" *") for c in cells[2:-1]]
        for cells in (line.split("|") for line in result.stdout.splitlines())
        if len(cells) > 3
    }
    assert rows["Not covered (yours to pay in full)"][1] == "$2,000.00"  # 500 × 4, not 600 × 4


SCENARIO_PLAN = """\
kind: plan
name: Scenario terms
coverage: commercial
out_of_network: {deductible: 1000, coinsurance: 40%}
scenarios:
  - {name: Low, allowed: 50%, probability: 0.5}
  - {name: High, allowed: 90%, coinsurance: 20%, probability: 0.5}
"""


def _terms_assumed(result) -> dict[str, tuple[str, str]]:
    data = json_of(result)
    return {
        a["what"]: (a["value"], a["from"])
        for a in data["assumptions"]
        if a["what"].endswith("(out-of-network)")
    }


def test_terms_a_scenario_states_are_the_plans_and_the_ones_in_effect(runner, tmp_path):
    # allowed is stated in each scenario, not in the block: it had been listed as "not
    # stated by you", at the first scenario's 50%, whichever scenario stood for you
    plan = tmp_path / "plan.yaml"
    plan.write_text(SCENARIO_PLAN, encoding="utf-8")
    clinic = "los-angeles-iv"
    args = ("estimate", clinic, "--plan", plan, *START, "--no-config", "--format", "json")
    weighed = _terms_assumed(invoke(runner, *args))
    assert weighed["allowed amount (out-of-network)"] == ("Low: 50%; High: 90%", "plan")
    assert weighed["coinsurance (out-of-network)"] == ("Low: 40%; High: 20%", "plan")
    assert weighed["deductible (out-of-network)"] == ("$1,000.00", "plan")
    assert weighed["copay per claim (out-of-network)"] == ("$0.00", "default")
    high = _terms_assumed(invoke(runner, *args, "--scenario", "High"))
    assert high["allowed amount (out-of-network)"] == ("90%", "plan")
    assert high["coinsurance (out-of-network)"] == ("20%", "plan")
    # the bundled example: Generous allows 100%, where the plan's block says 70%
    generous = _terms_assumed(
        invoke(
            runner,
            "estimate",
            clinic,
            "--plan",
            PLANS / "acme-ppo.yaml",
            *START,
            "--no-config",
            "--scenario",
            "Generous",
            "--format",
            "json",
        )
    )
    assert generous["allowed amount (out-of-network)"] == ("100%", "plan")


def test_a_null_in_a_scenario_states_nothing_and_a_flag_under_a_scenario_is_said(runner, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "kind: plan\nname: P\ncoverage: commercial\n"
        "out_of_network: {deductible: 1000, coinsurance: 40%, allowed: 70%}\n"
        "scenarios:\n  - {name: A, copay: null, out_of_pocket_max: null}\n",
        encoding="utf-8",
    )
    args = ("estimate", "los-angeles-iv", *START, "--no-config", "--format", "json")
    listed = _terms_assumed(invoke(runner, *args, "--plan", plan))
    assert listed["copay per claim (out-of-network)"] == ("$0.00", "default")
    assert listed["out-of-pocket maximum (out-of-network)"] == ("none", "default")
    # acme-ppo: --allowed 50% sets the block; Generous keeps its own 100%
    acme = PLANS / "acme-ppo.yaml"
    weighed = _terms_assumed(invoke(runner, *args, "--plan", acme, "--allowed", "50%"))
    assert weighed["allowed amount (out-of-network)"] == (
        "As written: 50% (a flag); Generous: 100%",
        "plan",
    )
