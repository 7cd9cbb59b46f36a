"""Tax by calendar year, HSA/FSA first, the standard deduction, warnings and the average
per session, through `ketacost estimate`, checked against hand arithmetic.

The bundled default (pricing/los-angeles-iv.yaml) from 2027-09-15, two sessions a week
(interval 3.5 days, docs/clinic-format.md: day floor(k × 3.5) = 0, 3, 7, 10, 14, 17):
  series 2027-09-15, 09-18 at $750; 09-22, 09-25, 09-29, 10-02 at $600 → $3,900;
  boosters every 12 weeks from 12 weeks after 10-02: 2027-12-25, then 2028-03-18,
  2028-06-10, 2028-09-02 (2028-11-25 is past the 12-month horizon, 2028-09-14).
So 2027 pays 750 × 2 + 600 × 4 + 600 = 4,500 and 2028 pays 600 × 3 = 1,800.
"""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from ketacost.cli import app
from ketacost.model.plan import Plan

D = Decimal
CENT = D("0.01")
SEPT = ("los-angeles-iv", "--start", "2027-09-15")
# Other itemized deductions already at the single standard deduction (2026: $16,100): the
# medical deduction above the floor then saves tax in full. Without --filing no deduction
# saving is counted at all (test_without_a_filing_status_the_deduction_is_only_a_condition).
ITEMIZES = ("--filing", "single", "--other-itemized", "16100")
RATE = ("--marginal-rate", "22%", "--agi", "40000", *ITEMIZES)
IN_2027 = D(750) * 2 + D(600) * 4 + D(600)  # 4,500
IN_2028 = D(600) * 3  # 1,800
FLOOR = D(40000) * D("0.075")  # 3,000
ACME = Path(__file__).resolve().parent.parent / "examples" / "plans" / "acme-ppo.yaml"


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def run(runner, *args: str):
    return runner.invoke(app, ["estimate", *args])


def as_json(runner, *args: str) -> dict:
    result = run(runner, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def years(data: dict) -> dict[int, dict]:
    return {y["year"]: y for y in data["tax"]["years"]}


def assert_input_error(result, *names: str) -> None:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    for name in names:
        assert name in result.stderr


# --- the floor per calendar year ---------------------------------------------------------


def test_the_floor_is_applied_per_calendar_year(runner) -> None:
    assert D(4500) == IN_2027 and D(1800) == IN_2028
    data = as_json(runner, *SEPT, *RATE)
    by_year = years(data)
    assert sorted(by_year) == [2027, 2028]
    # 2027: 4,500 − 3,000 = 1,500 deducted, × 22% = 330.
    assert by_year[2027]["expenses"] == "4500.00"
    assert by_year[2027]["floor"] == "3000.00"
    assert by_year[2027]["deductible"] == str(cents(IN_2027 - FLOOR)) == "1500.00"
    assert by_year[2027]["saving"] == str(cents((IN_2027 - FLOOR) * D("0.22"))) == "330.00"
    # 2028: 1,800 is below the 3,000 floor: nothing.
    assert by_year[2028]["expenses"] == "1800.00"
    assert by_year[2028]["deductible"] == "0.00"
    assert by_year[2028]["saving"] == "0.00"
    assert data["tax"]["total_saving"] == "330.00"  # not 726: the floor is not applied once
    (self_pay,) = data["scenarios"]
    assert self_pay["tax"]["years"] == data["tax"]["years"]


def test_over_36_months_the_later_years_stay_below_the_floor(runner) -> None:
    # Boosters every 84 days: 2028 has 03-18, 06-10, 09-02, 11-25 (2,400); 2029 has
    # 02-17, 05-12, 08-04, 10-27 (2,400); 2030 to 09-14 has 01-19, 04-13, 07-06 (1,800).
    data = as_json(runner, *SEPT, *RATE, "--months", "36")
    by_year = years(data)
    assert [by_year[y]["expenses"] for y in (2027, 2028, 2029, 2030)] == [
        "4500.00",
        "2400.00",
        "2400.00",
        "1800.00",
    ]
    assert data["tax"]["total_saving"] == "330.00"  # not 1,782


def test_the_table_has_a_row_per_year_and_says_which_figures_it_used(runner) -> None:
    result = run(runner, *SEPT, *RATE, "--format", "table")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    row_2027 = next(line for line in lines if line.strip().startswith("2027 "))
    row_2028 = next(line for line in lines if line.strip().startswith("2028 "))
    for amount in ("$4,500.00", "$3,000.00", "$1,500.00", "$330.00"):
        assert amount in row_2027
    assert "$1,800.00" in row_2028
    text = " ".join(result.stdout.split())
    # 2027's HSA and high-deductible plan figures are published (Rev. Proc. 2026-24), its
    # standard deduction and the rest not yet: each year says whose figures it used
    assert (
        "2027: the standard deduction, the 65-or-older addition, the health FSA limit and the"
        " medical mileage rate are 2026's, the latest published; the HSA and high-deductible"
        " plan figures are 2027's."
    ) in text
    assert (
        "2028: no published figures yet; the latest known are used: 2027's HSA and"
        " high-deductible plan figures, 2026's standard deduction,"
    ) in text


def test_without_a_filing_status_the_deduction_is_only_a_condition(runner) -> None:
    # --marginal-rate 22% --agi 40000 alone: 2027 has 4,500 − 3,000 = 1,500 above the floor,
    # which saves 1,500 × 22% = 330 only if itemizing beats the standard deduction. Nothing
    # is subtracted; the report says what it could be and how to get the real figure.
    data = as_json(runner, *SEPT, "--marginal-rate", "22%", "--agi", "40000")
    by_year = years(data)
    assert by_year[2027]["saving"] == "0.00"
    assert by_year[2027]["if_itemizing_saving"] == str(cents(D(1500) * D("0.22"))) == "330.00"
    assert by_year[2028]["if_itemizing_saving"] == "0.00"  # 1,800 < 3,000
    assert data["tax"]["total_saving"] == "0.00"
    notes = " ".join(data["tax"]["notes"])
    assert "exists only if you itemize" in notes
    assert "If you itemize and your other deductions exceed $16,100.00 (single;" in notes
    assert "up to $330.00" in notes and "--filing" in notes
    table = " ".join(run(runner, *SEPT, "--marginal-rate", "22%", "--agi", "40000").stdout.split())
    assert "up to $330.00" in table


def test_markdown_has_the_same_rows(runner) -> None:
    result = run(runner, *SEPT, *RATE, "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert "| 2027 | $4,500.00 | $0.00 | $3,000.00 | $1,500.00 | $330.00 |" in result.stdout
    assert "| 2028 | $1,800.00 | $0.00 | $3,000.00 | $0.00 | $0.00 |" in result.stdout


# --- HSA/FSA first, not on the same dollars -----------------------------------------------


def test_hsa_self_only_pays_first_over_two_years(runner) -> None:
    data = as_json(runner, *SEPT, *RATE, "--hsa", "self")
    by_year = years(data)
    # 2027: the HSA pays all 4,500 (the 2027 self-only limit is 4,500): 4,500 × 22% = 990;
    # nothing is left to deduct.
    assert by_year[2027]["hsa_fsa"] == "4500.00"
    assert by_year[2027]["deductible"] == "0.00"
    assert by_year[2027]["saving"] == str(cents(D(4500) * D("0.22"))) == "990.00"
    # 2028: all 1,800 from the HSA (a new year's limit): 1,800 × 22% = 396.
    assert by_year[2028]["hsa_fsa"] == "1800.00"
    assert by_year[2028]["saving"] == "396.00"
    assert data["tax"]["total_saving"] == str(D("990.00") + D("396.00")) == "1386.00"


def test_fsa_limit_then_the_deduction_on_what_is_left(runner) -> None:
    data = as_json(runner, *SEPT, "--marginal-rate", "22%", "--agi", "10000", "--fsa", *ITEMIZES)
    by_year = years(data)
    # floor 10,000 × 7.5% = 750; 2027: FSA 3,400, left 1,100 − 750 = 350 deducted.
    assert by_year[2027]["hsa_fsa"] == "3400.00"
    assert by_year[2027]["floor"] == "750.00"
    assert D(by_year[2027]["deductible"]) == IN_2027 - D(3400) - D(750) == D(350)
    assert by_year[2027]["saving"] == str(cents((D(3400) + D(350)) * D("0.22"))) == "825.00"


def test_the_fsa_never_pays_what_the_plan_pays_back_so_the_net_stays_above_zero(runner) -> None:
    # Six $250 sessions from 2026-12-07 to 12-24, all paid in 2026; the plan pays back 80%
    # of each 45 days later, in 2027: 1,500 × 0.8 = 1,200. The FSA may pay only the
    # 1,500 − 1,200 = 300 left to the patient (IRS Pub 969), saving 300 × 22% = 66; the net
    # cost 300 less the tax saved is 234, where counting the whole 1,500 gave 300 − 330.
    data = as_json(
        runner,
        *("new-jersey-iv-low", "--start", "2026-12-07", "--months", "2"),
        *("--deductible", "0", "--coinsurance", "20%", "--allowed", "100%"),
        *("--marginal-rate", "22%", "--fsa"),
    )
    (scenario,) = data["scenarios"]
    assert D(scenario["net"]) == D(1500) - D(1500) * D("0.8") == D(300)
    first = years(data)[2026]
    assert D(first["hsa_fsa"]) == D(1500) - D(1200) == D(300)
    assert D(data["tax"]["total_saving"]) == D(300) * D("0.22") == D(66)
    assert D(scenario["net"]) - D(data["tax"]["total_saving"]) == D(234)


def test_hsa_and_fsa_together_are_refused(runner) -> None:
    assert_input_error(run(runner, *SEPT, *RATE, "--hsa", "self", "--fsa"), "--hsa", "FSA")


@pytest.mark.skipif("coverage" not in Plan.model_fields, reason="plans have no coverage yet")
def test_hsa_with_medicare_is_refused(runner, write_yaml) -> None:
    plan = write_yaml(
        """
        kind: plan
        name: Original Medicare
        coverage: medicare
        in_network: {deductible: 283, coinsurance: 20%}
        """,
        "medicare.yaml",
    )
    result = run(runner, *SEPT, *RATE, "--plan", str(plan), "--hsa", "self")
    assert_input_error(result, "Medicare")


# --- the standard deduction ---------------------------------------------------------------


def test_itemizing_that_does_not_beat_the_standard_deduction_saves_nothing(runner) -> None:
    args = (*SEPT, *RATE, "--filing", "single", "--other-itemized", "5000")
    by_year = years(as_json(runner, *args))
    # 5,000 + 1,500 = 6,500 < 16,100: itemizing adds nothing over the standard deduction.
    assert by_year[2027]["deductible"] == "1500.00"
    assert by_year[2027]["standard_deduction"] == "16100.00"
    assert by_year[2027]["saving"] == "0.00"
    result = run(runner, *args, "--format", "table")
    text = " ".join(result.stdout.split())
    assert "2027: itemizing does not help" in text
    assert "$5,000.00 of other deductions + $1,500.00 of medical expenses = $6,500.00" in text
    assert "the medical deduction saves $0" in text


def test_itemizing_that_beats_the_standard_deduction_by_a_little(runner) -> None:
    args = (*SEPT, *RATE, "--filing", "single", "--other-itemized", "15000")
    by_year = years(as_json(runner, *args))
    # max(16,100, 15,000 + 1,500) − max(16,100, 15,000) = 16,500 − 16,100 = 400; × 22% = 88.
    assert by_year[2027]["deducted"] == "400.00"
    assert by_year[2027]["saving"] == "88.00"


def test_over_65_raises_the_standard_deduction(runner) -> None:
    args = (*SEPT, *RATE, "--filing", "single", "--other-itemized", "17000", "--over-65")
    by_year = years(as_json(runner, *args))
    # 16,100 + 2,050 = 18,150; 17,000 + 1,500 = 18,500; 18,500 − 18,150 = 350; × 22% = 77.
    assert D(by_year[2027]["standard_deduction"]) == D(16100) + D(2050)
    assert by_year[2027]["saving"] == str(cents(D(350) * D("0.22"))) == "77.00"


def test_joint_with_both_spouses_over_65(runner) -> None:
    args = (*SEPT, *RATE, "--filing", "joint", "--over-65", "--over-65")
    by_year = years(as_json(runner, *args, "--other-itemized", "35000"))
    # 32,200 + 1,650 × 2 = 35,500; 35,000 + 1,500 = 36,500 → 1,000 over; × 22% = 220.
    assert D(by_year[2027]["standard_deduction"]) == D(32200) + 2 * D(1650)
    assert by_year[2027]["saving"] == "220.00"


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (("--hsa", "self"), "--hsa"),
        (("--agi", "40000"), "--agi"),
        (("--marginal-rate", "22%", "--filing", "single"), "--filing"),
        (("--marginal-rate", "22%", "--agi", "1", "--over-65"), "--over-65"),
        (("--marginal-rate", "22%", "--agi", "1", "--other-itemized", "900"), "--other-itemized"),
        (
            ("--marginal-rate", "22%", "--agi", "1", "--filing", "head", "--over-65", "--over-65"),
            "--over-65",
        ),
        (("--marginal-rate", "22%", "--miles", "lots"), "--miles"),
        (("--marginal-rate", "22%", "--miles", "1e30"), "--miles"),
        (("--marginal-rate", "22%", "--miles", "12.345"), "--miles"),
        (("--marginal-rate", "22%", "--other-medical", "-5"), "--other-medical"),
    ],
)
def test_tax_flags_that_cannot_work_exit_2(runner, args: tuple[str, ...], flag: str) -> None:
    assert_input_error(run(runner, *SEPT, *args), flag)


# --- other medical costs and mileage ------------------------------------------------------


def test_miles_at_the_irs_medical_rate(runner) -> None:
    by_year = years(as_json(runner, *SEPT, *RATE, "--miles", "20"))
    # 2027: 6 sessions + 1 booster = 7 visits × 20 miles × $0.205 = 28.70;
    # 2028: 3 boosters × 20 × 0.205 = 12.30.
    assert by_year[2027]["mileage"] == str(cents(7 * 20 * D("0.205"))) == "28.70"
    assert by_year[2028]["mileage"] == "12.30"
    assert D(by_year[2027]["expenses"]) == IN_2027 + D("28.70")
    # (4,528.70 − 3,000) × 22% = 336.314 → 336.31
    assert D(by_year[2027]["saving"]) == cents((D("4528.70") - FLOOR) * D("0.22"))


def test_a_paid_ride_per_visit_is_a_medical_expense(runner) -> None:
    # IRS Publication 502, "Transportation": taxi and bus fares for medical care count.
    data = as_json(runner, *SEPT, *RATE, "--ride", "40")
    by_year = years(data)
    # 2027: 7 visits × $40 = 280; 2028: 3 boosters × $40 = 120.
    assert by_year[2027]["fares"] == str(7 * D(40)) + ".00" == "280.00"
    assert by_year[2028]["fares"] == "120.00"
    assert D(by_year[2027]["expenses"]) == IN_2027 + D(280)
    # (4,500 + 280 − 3,000) × 22% = 391.60
    assert D(by_year[2027]["saving"]) == cents((IN_2027 + D(280) - FLOOR) * D("0.22"))
    assert any("Publication 502" in note for note in data["tax"]["notes"])


def test_at_home_treatment_has_no_trips_to_count(runner) -> None:
    data = as_json(
        runner, "at-home-program", "--start", "2027-01-04", *RATE, "--miles", "20", "--ride", "40"
    )
    (only,) = data["tax"]["years"]
    assert (only["mileage"], only["fares"]) == ("0.00", "0.00")
    assert only["expenses"] == str(6 * D(193)) + ".00"  # 6 sessions × $193, nothing for travel


def test_with_response_odds_the_tax_of_stopping_early_is_worked_out_too(runner) -> None:
    data = as_json(
        runner, "los-angeles-iv", "--start", "2027-01-04", "--response-rate", "50%",
        "--marginal-rate", "22%", "--agi", "20000", *ITEMIZES,
    )  # fmt: skip
    tax = data["tax"]
    floor = D(20000) * D("0.075")  # 1,500
    # If it helps: the series (750 × 2 + 600 × 4) and 4 boosters of 600, all in 2027.
    works = D(750) * 2 + D(600) * 4 + D(600) * 4  # 6,300
    assert tax["total_saving"] == str(cents((works - floor) * D("0.22")))  # 1,056.00
    # If it does not: stop after 3 sessions, 750 × 2 + 600 = 2,100; (2,100 − 1,500) × 22%.
    stopped = D(750) * 2 + D(600)
    (year,) = tax["if_it_does_not"]["years"]
    assert year["expenses"] == f"{stopped:.2f}"
    assert tax["if_it_does_not"]["total_saving"] == str(cents((stopped - floor) * D("0.22")))
    # Weighed: 50% × 1,056 + 50% × 132 = 594.
    assert tax["expected_saving"] == str(cents((D(1056) + D(132)) / 2)) == "594.00"
    assert "stopping after 3 sessions" in " ".join(tax["notes"])


def test_the_tax_table_shows_both_branches_and_the_expected_saving(runner) -> None:
    result = run(
        runner, "los-angeles-iv", "--start", "2027-01-04", "--response-rate", "50%",
        "--marginal-rate", "22%", "--agi", "20000", *ITEMIZES, "--width", "100",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # (6,300 − 1,500) × 22% = 1,056; (2,100 − 1,500) × 22% = 132; halfway: 594.
    assert any(re.match(r"All years\s+\$1,056\.00$", line) for line in lines)
    assert any(re.match(r"If it does not help \(stop after 3\)\s+\$132\.00$", x) for x in lines)
    assert any(re.match(r"Expected, weighed by the odds\s+\$594\.00$", line) for line in lines)


def test_without_response_odds_there_is_one_branch(runner) -> None:
    tax = as_json(runner, *SEPT, *RATE)["tax"]
    assert "if_it_does_not" not in tax and "expected_saving" not in tax


def test_other_medical_costs_add_to_each_year(runner) -> None:
    by_year = years(as_json(runner, *SEPT, *RATE, "--other-medical", "1000"))
    # 2027: 4,500 + 1,000 − 3,000 = 2,500 → 550; 2028: 2,800 < 3,000 → 0.
    assert by_year[2027]["saving"] == "550.00"
    assert by_year[2028]["expenses"] == "2800.00"
    assert by_year[2028]["saving"] == "0.00"
    # each year's own line for them: 4,500 + 1,000 and 1,800 + 1,000
    assert by_year[2027]["other_medical"] == by_year[2028]["other_medical"] == "1000.00"


# --- financing in the tax year ------------------------------------------------------------


def test_a_card_counts_on_the_session_date_and_interest_never(runner) -> None:
    by_year = years(as_json(runner, *SEPT, *RATE, "--finance", "24@9.99%"))
    # The card pays the clinic at each session: the same 4,500 in 2027, no interest.
    assert by_year[2027]["expenses"] == "4500.00"
    assert by_year[2028]["expenses"] == "1800.00"


def test_a_clinic_payment_plan_counts_each_instalment_when_paid(runner, write_yaml) -> None:
    clinic = write_yaml(
        """
        name: Plan Clinic
        series: {sessions: 6, per_week: 2, first_price: 750, first_sessions: 2, later_price: 600}
        payment_plans:
          - {name: Twelve at zero, months: 12, apr: 0%}
        """
    )
    data = as_json(runner, str(clinic), "--start", "2027-09-15", *RATE, "--finance", "clinic")
    by_year = years(data)
    # 3,900 / 12 = 325 a month from 2027-10-15: Oct, Nov, Dec in 2027 (975), 9 in 2028.
    assert D(by_year[2027]["expenses"]) == 3 * D(325) == D(975)
    assert D(by_year[2028]["expenses"]) == 9 * D(325)


# --- warnings ------------------------------------------------------------------------------


def test_a_series_cut_by_the_horizon_is_warned_with_the_full_series_total(runner) -> None:
    args = ("--start", "2027-01-04", "--set", "series.per_week=1", "--months", "1")
    data = as_json(runner, *args)
    # one a week: Jan 4, 11, 18, 25, Feb 1 fall before Feb 4; the sixth (Feb 8) does not.
    assert D(data["series_total"]) == D(750) * 2 + D(600) * 3  # 3,300
    (warning,) = data["warnings"]
    assert "5 of its 6 sessions" in warning
    assert "$3,300.00" in warning and "$3,900.00" in warning  # 750 × 2 + 600 × 4
    table = run(runner, *args, "--format", "table").stdout
    assert table.index("Warning") < table.index("What the clinic charges")


def test_a_stop_rule_beyond_the_series_is_warned(runner) -> None:
    args = ("--start", "2027-01-04", "--response-rate", "50%", "--stop-after", "100")
    (warning,) = as_json(runner, *args)["warnings"]
    assert "stop after 100 sessions" in warning and "6 sessions" in warning
    table = run(runner, *args, "--format", "table").stdout
    assert "If it does not: stop after 6 sessions" in table


def test_compare_prints_each_clinics_warnings_above_the_table(runner) -> None:
    args = ["compare", "los-angeles-iv", "median-iv", "--start", "2027-01-04"]
    result = runner.invoke(app, [*args, "--months", "1", "--set", "series.per_week=1"])
    assert result.exit_code == 0, result.stderr
    warned = [line for line in result.stdout.splitlines() if line.startswith("⚠ Warning")]
    assert len(warned) == 2
    assert result.stdout.index("⚠ Warning") < result.stdout.index("Clinics ranked")


def test_claims_without_a_plan_says_there_are_none(runner) -> None:
    data = as_json(runner, "--start", "2027-01-04", "--claims")
    assert any("No claims to show" in w for w in data["warnings"])
    table = run(runner, "--start", "2027-01-04", "--claims", "--format", "table").stdout
    assert "No claims to show" in table


def test_no_warnings_when_all_is_well(runner) -> None:
    assert as_json(runner, "--start", "2027-01-04")["warnings"] == []


def test_a_down_payment_above_the_series_exits_2(runner) -> None:
    result = run(runner, "--start", "2027-01-04", "--finance", "12@5%+99999")
    assert_input_error(result, "--finance 12@5%+99999", "99,999.00", "3,900.00")


# --- average per session ------------------------------------------------------------------


def test_average_per_session_counts_sessions_and_their_fees_only(runner, write_yaml) -> None:
    clinic = write_yaml(
        """
        name: Fees Clinic
        series: {sessions: 4, per_week: 2, price: 500}
        fees:
          - {name: Intake, amount: 300, per: once}
          - {name: Monitoring, amount: 50, per: session}
        maintenance:
          - {kind: lozenge, fill_price: 120, every_weeks: 4}
        """
    )
    data = as_json(runner, str(clinic), "--start", "2027-01-04", "--months", "3")
    assert data["sessions"] == 4
    # (500 + 50) × 4 / 4 = 550: not the intake, not the lozenge fills.
    assert D(data["average_per_session"]) == (D(500) + D(50)) * 4 / 4


# --- financing through the command line ---------------------------------------------------


def test_seven_payments_at_zero_percent_pay_exactly_3900(runner) -> None:
    financing = as_json(runner, "--start", "2027-01-04", "--finance", "7@0%")["financing"]
    amounts = [D(p["amount"]) for p in financing["payments"]]
    # 3,900 / 7 = 557.142… → 557.14 × 6 = 3,342.84, and a last of 3,900 − 3,342.84 = 557.16
    assert amounts == [D("557.14")] * 6 + [D("557.16")]
    assert sum(amounts) == D("3900.00")
    assert financing["total_paid"] == "3900.00"
    assert financing["total_interest"] == "0.00"


def test_eighteen_at_14_9_percent_with_400_down_leaves_nothing_unpaid(runner) -> None:
    financing = as_json(runner, "--start", "2027-01-04", "--finance", "18@14.9%+400")["financing"]
    amounts = [D(p["amount"]) for p in financing["payments"]]
    assert amounts[0] == D(400)
    assert len(amounts) == 1 + 18
    # everything paid = the series + the interest, to the cent: nothing left unpaid
    assert sum(amounts) == D(3900) + D(financing["total_interest"])
    assert D(financing["total_paid"]) == sum(amounts)


def test_stacked_the_net_less_the_tax_saved_is_not_called_tax_saved(runner) -> None:
    result = run(runner, "median-iv", "--start", "2027-01-04", *RATE, "--width", "40")
    lines = result.output.splitlines()
    at = lines.index("Net cost less the tax saved")
    # median-iv: 6 × 590 + 350 = 3,890; saved (3,890 − 3,000) × 22% = 195.80.
    assert lines[at + 1].strip() == f"${D(3890) - cents((D(3890) - FLOOR) * D('0.22')):,}"


def test_a_fare_and_miles_for_the_same_visits_are_called_out(runner) -> None:
    data = as_json(runner, *SEPT, *RATE, "--ride", "40", "--miles", "20")
    assert any("not both" in note for note in data["tax"]["notes"])
    assert not any(
        "not both" in note for note in as_json(runner, *SEPT, *RATE, "--ride", "40")["tax"]["notes"]
    )


def test_the_tax_table_follows_the_scenario_that_stands_for_you(runner) -> None:
    """--scenario names the scenario: its net less its own tax saved, not the expected."""
    args = ("--start", "2027-11-15", "--plan", "examples/plans/acme-ppo.yaml", "--no-config")
    tax = ("--marginal-rate", "22%", "--agi", "20000", *ITEMIZES)
    result = run(runner, *args, *tax, "--scenario", "As written", "--width", "120")
    assert result.exit_code == 0, result.stderr
    # As written, from Nov 15: 2027 pays 750 × 2 + 600 × 4 = 3,900; 2028 the rest, 2,400.
    # 2027 saves 22% × (3,900 − 7.5% × 20,000) = 22% × 2,400 = 528; 2028 saves 22% × 900 =
    # 198, less the tax on the 738 reimbursed in 2028 for 2027's deducted expenses: 162.36.
    saved = D(528) + cents(D("0.22") * 900) - cents(D("0.22") * 738)
    assert saved == D("563.64")
    net = D(5562)  # As written's net: 6,300 paid − 738 reimbursed
    flat = " ".join(result.stdout.split())
    assert "Tax by calendar year (an estimate, not tax advice) — As written" in flat
    assert f"Net cost less the tax saved ${net - saved:,.2f}" in flat  # 4,998.36


def test_the_tax_notes_speak_of_the_scenario_the_table_shows(runner) -> None:
    # acme-ppo's 'As written' on the bundled default from 2027-01-04: 6,300 billed, 70%
    # allowed = 4,410; deductible 2,000 − 500 met = 1,500, then 40% of 4,410 − 1,500 = 1,164;
    # the plan pays 4,410 − 1,500 − 1,164 = 1,746, of which the December booster's
    # 600 × 0.7 × 0.6 = 252 comes in 2028. 2027's expenses: 6,300 − (1,746 − 252) = 4,806;
    # above the 40,000 × 7.5% = 3,000 floor: 1,806; with 14,000 of other deductions,
    # 15,806 stays below the 16,100 standard deduction, so this scenario saves nothing.
    result = run(
        runner,
        *("--plan", str(ACME), "--start", "2027-01-04"),
        *("--scenario", "As written", "--marginal-rate", "22%", "--agi", "40000"),
        *("--filing", "single", "--other-itemized", "14000", "--width", "200"),
    )
    assert result.exit_code == 0, result.stderr
    expenses = D(6300) - (D(4410) - D(1500) - (D(4410) - D(1500)) * D("0.4") - D(252))
    deductible = expenses - D(40000) * D("0.075")
    assert (expenses, deductible) == (D(4806), D(1806))
    out = " ".join(result.stdout.split())
    assert (
        "$14,000.00 of other deductions + $1,806.00 of medical expenses = $15,806.00, below"
        " the $16,100.00 standard deduction"
    ) in out
    assert "2,450.40" not in out  # the figure weighed over the scenarios, not this one's
    assert "the table above is the one that stands for you." in out


def test_a_chosen_scenario_with_a_response_rate_says_which_branch_its_years_are(runner) -> None:
    result = run(
        runner,
        *("--plan", str(ACME), "--start", "2027-01-04", "--scenario", "As written"),
        *("--marginal-rate", "22%", "--agi", "40000", "--response-rate", "50%", "--width", "200"),
    )
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert (
        "With a 50% chance it helps, the years shown are the whole treatment's in 'As written'"
        " (if it helps)"
    ) in out


def test_with_no_scenario_standing_for_you_no_ones_tax_years_are_the_table(
    runner, tmp_path: Path
) -> None:
    # Two scenarios, no probabilities, none named: the first is not "the" tax table because
    # it is listed first. Each scenario's years get a table of their own, with their notes,
    # and their savings and nets less them are side by side; --scenario Denied shows one.
    plan = tmp_path / "two.yaml"
    plan.write_text(
        "kind: plan\nname: Two\nout_of_network: {deductible: 0, coinsurance: 20%,"
        " allowed: 100%, out_of_pocket_max: 3000}\n"
        "scenarios:\n  - {name: Paid}\n  - {name: Denied, covered: false}\n",
        encoding="utf-8",
    )
    args = ("--no-config", "--plan", str(plan), "--start", "2027-01-04", *RATE, "--width", "120")
    result = run(runner, *args)
    assert result.exit_code == 0, result.stderr
    titles = re.findall(r"^Tax by calendar year.*$", result.stdout, re.MULTILINE)
    assert titles == [
        "Tax by calendar year (an estimate, not tax advice) — Paid",
        "Tax by calendar year (an estimate, not tax advice) — Denied",
    ]
    assert "none stands for you" in " ".join(result.stdout.split())
    data = as_json(runner, *args)
    for scenario in data["scenarios"]:
        saved = sum(D(year["saving"]) for year in scenario["tax"]["years"])
        table = result.stdout.split("Tax saved per scenario")[1]
        row = next(line for line in table.splitlines() if line.startswith(scenario["name"]))
        assert f"${D(scenario['net']) - saved:,.2f}" in row  # net less its own saving
    named = run(runner, *args, "--scenario", "Denied")
    titles = re.findall(r"^Tax by calendar year.*$", named.stdout, re.MULTILINE)
    assert titles == ["Tax by calendar year (an estimate, not tax advice) — Denied"]
