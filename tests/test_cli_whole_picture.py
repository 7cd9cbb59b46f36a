"""The whole picture through `ketacost estimate`: response odds, financing, personal costs,
the esketamine savings programme, tax and charts, checked against hand arithmetic.

Figures are worked out by hand in Decimal cents from the bundled default
(pricing/los-angeles-iv.yaml: $750 × 2 then $600 × 4, two a week from 2027-01-04, and a
$600 booster every 12 weeks from 12 weeks after the last session: 4 in the year),
pricing/esketamine-cash.yaml ($1,050 a session, 21 sessions in 6 months) and
examples/plans/acme-ppo.yaml.
"""

from __future__ import annotations

import json
from decimal import Decimal, localcontext
from pathlib import Path

import pytest
from conftest import cents

from ketacost.cli import app

ROOT = Path(__file__).resolve().parent.parent
ACME = str(ROOT / "examples" / "plans" / "acme-ppo.yaml")
START = ("--start", "2027-01-04")
CENT = Decimal("0.01")
D = Decimal

SERIES = D(750) * 2 + D(600) * 4  # 3,900
BOOSTERS = D(600) * 4  # 2,400
WORKS = SERIES + BOOSTERS  # 6,300
FAILS = D(750) + D(750) + D(600)  # 2,100

PLANS_CLINIC = """
    name: Plans Clinic
    series:
      sessions: 6
      per_week: 2
      first_price: 750
      first_sessions: 2
      later_price: 600
    maintenance:
      - kind: booster
        price: 600
        every_weeks: 12
        after_weeks: 12
    payment_plans:
      - name: Promo 12
        months: 12
        apr: 26.99%
        deferred_interest: true
      - name: Six at Nine
        months: 6
        apr: 9%
        down_payment: 300
"""

PERSONAL = """
    kind: personal
    ride: 40
    hourly_wage: 30
    childcare: 50
"""

BAD_PERSONAL = """
    kind: personal
    ride: 40
    hourly_wag: 30
"""

BAD_CLINIC = """
    name: Broken
    series:
      sessions: 6
      first_price: 750
      later_prize: 600
"""


def money(value: Decimal) -> str:
    """The JSON form: a decimal string with two places."""
    return str(cents(value))


def shown(value: Decimal) -> str:
    """The table form: $6,300.00."""
    return f"${cents(value):,.2f}"


def amortized(principal: Decimal, apr: Decimal, months: int) -> Decimal:
    """P·r / (1 − (1 + r)^−n), r = APR / 12, rounded half-up to cents (worked in the test)."""
    with localcontext() as context:
        context.prec = 40
        r = apr / 12
        growth = (1 + r) ** months
        return cents(principal * r * growth / (growth - 1))


def invoke(runner, *args: str):
    return runner.invoke(app, [str(a) for a in args])


def estimate_json(runner, *args: str) -> dict:
    result = invoke(runner, "estimate", *START, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def estimate_table(runner, *args: str) -> str:
    result = invoke(runner, "estimate", *START, *args, "--format", "table")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def assert_input_error(result, *names: str) -> None:
    """Exit 2, the flag or file named on stderr, nothing on stdout, no traceback."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    for name in names:
        assert name in result.stderr


# --- 1. response odds --------------------------------------------------------------------


@pytest.mark.parametrize("rate", ["50%", "0.5"])
def test_response_json(runner, rate) -> None:
    data = estimate_json(runner, "--response-rate", rate, "--stop-after", "3")
    response = data["response"]
    expected = cents(D("0.5") * FAILS + D("0.5") * WORKS)
    assert response["rate"] == "0.5"
    assert response["stop_after"] == 3
    assert response["if_fails"] == money(FAILS) == "2100.00"
    assert response["if_works"] == money(WORKS) == "6300.00"
    assert response["expected_total"] == money(expected) == "4200.00"
    assert response["per_responder"] == money(expected / D("0.5")) == "8400.00"
    # the clinic's total is still the full year
    assert data["total"] == "6300.00"


def test_a_down_payment_above_the_sessions_given_pays_for_them_alone(runner) -> None:
    # $2,500 down on the $3,900 series. If it helps: 1,400 financed at 9.99% over 12
    # months. If it does not, the three sessions given cost 2,100: the down payment pays
    # for them, nothing is financed (it had been refused as more than the 2,100).
    data = estimate_json(runner, "--finance", "12@9.99%+2500", "--response-rate", "50%")
    payment = amortized(SERIES - 2500, D("0.0999"), 12)
    assert payment == D("123.08")
    interest = payment * 11 + D("123.03") - (SERIES - 2500)  # the last payment is 123.03
    assert interest == D("76.91")
    (branches,) = data["response"]["scenarios"]
    assert branches["if_works"] == money(BOOSTERS + SERIES + interest) == "6376.91"
    assert branches["if_fails"] == money(FAILS) == "2100.00"
    # 0.5 × 6,376.91 + 0.5 × 2,100 = 4,238.455, half up
    assert branches["expected_net"] == money(D("0.5") * (BOOSTERS + SERIES + interest + FAILS))
    assert branches["expected_net"] == "4238.46"


def test_stop_after_defaults_to_three(runner) -> None:
    response = estimate_json(runner, "--response-rate", "50%")["response"]
    assert response["stop_after"] == 3
    assert response["if_fails"] == money(FAILS)


def test_no_response_key_value_without_a_rate(runner) -> None:
    assert estimate_json(runner)["response"] is None


def test_response_per_scenario_nets_under_acme(runner) -> None:
    response = estimate_json(runner, "--plan", ACME, "--response-rate", "50%")["response"]
    by_name = {s["name"]: s for s in response["scenarios"]}
    # Generous (100% allowed, $1,500 deductible left, 40% coinsurance): if it fails, 750 +
    # 750 meet the deductible and session 3 pays back 60% of 600 = 360.
    generous_fails = FAILS - D(600) * D("0.6")
    # if it works, the 8 later charges of 600 each pay back 360.
    generous_works = WORKS - 8 * D(600) * D("0.6")
    assert by_name["Generous"]["if_fails"] == money(generous_fails) == "1740.00"
    assert by_name["Generous"]["if_works"] == money(generous_works) == "3420.00"
    assert by_name["Generous"]["expected_net"] == money(
        D("0.5") * generous_works + D("0.5") * generous_fails
    )
    assert by_name["Denied"]["expected_net"] == "4200.00"


def test_response_table(runner) -> None:
    out = estimate_table(runner, "--response-rate", "50%")
    assert "50% respond" in out
    assert "stop after 3 sessions" in out
    assert shown(D(2100)) in out
    assert shown(D(4200)) in out
    assert shown(D(8400)) in out


def test_stop_after_without_a_rate_exits_2(runner) -> None:
    assert_input_error(invoke(runner, "estimate", *START, "--stop-after", "3"), "--stop-after")


@pytest.mark.parametrize("rate", ["150%", "1.5", "101%"])
def test_rate_above_100_percent_exits_2(runner, rate) -> None:
    assert_input_error(
        invoke(runner, "estimate", *START, "--response-rate", rate), "--response-rate"
    )


# --- 2. financing -----------------------------------------------------------------------


def test_finance_json(runner) -> None:
    data = estimate_json(runner, "--finance", "12@9.99%")
    financing = data["financing"]
    payment = amortized(SERIES, D("0.0999"), 12)
    assert payment == D("342.85")
    assert financing["months"] == 12
    assert D(financing["apr"]) == D("0.0999")
    assert financing["principal"] == money(SERIES) == "3900.00"
    assert financing["down_payment"] == "0.00"
    assert financing["monthly_payment"] == money(payment)
    # the last payment absorbs the rounding (its amortization table: test_financing.py)
    last = D("342.89")
    assert financing["last_payment"] == money(last)
    assert financing["total_interest"] == money(payment * 11 + last - SERIES) == "214.24"
    assert financing["total_paid"] == money(payment * 11 + last)
    assert financing["deferred_interest"] is False
    assert financing["deferred_interest_risk"] is None
    assert financing["not_paid_in_time"] is None
    assert [p["date"] for p in financing["payments"]] == [
        *(f"2027-{month:02d}-04" for month in range(2, 13)),
        "2028-01-04",
    ]
    assert [p["amount"] for p in financing["payments"]] == [money(payment)] * 11 + [money(last)]

    (self_pay,) = data["scenarios"]
    assert data["total"] == "6300.00"  # the clinic's charges are unchanged
    assert self_pay["net"] == money(BOOSTERS + 11 * payment + last) == "6514.24"
    months = {m["month"]: m for m in self_pay["cashflow"]}
    assert months["2027-01"]["paid"] == "0.00"  # nothing for the series in January
    assert months["2027-02"]["paid"] == money(payment)  # one payment
    assert months["2027-04"]["paid"] == money(payment + D(600))  # a payment and a booster


def test_finance_under_a_plan_net_is_paid_less_reimbursed(runner) -> None:
    data = estimate_json(runner, "--plan", ACME, "--finance", "12@9.99%")
    paid = amortized(SERIES, D("0.0999"), 12) * 11 + D("342.89")
    by_name = {s["name"]: s for s in data["scenarios"]}
    # Generous reimburses 60% of each of the 8 charges of $600 after the deductible.
    reimbursed = 8 * D(360)
    assert by_name["Generous"]["reimbursed"] == money(reimbursed)
    assert by_name["Generous"]["paid"] == money(BOOSTERS + paid)
    assert by_name["Generous"]["net"] == money(BOOSTERS + paid - reimbursed)


def test_finance_table(runner) -> None:
    out = estimate_table(runner, "--finance", "12@9.99%")
    assert "Financing the series" in out
    assert shown(D("342.85")) in out
    assert shown(D("342.89")) in out  # the last payment
    assert shown(D("214.24")) in out


@pytest.mark.parametrize("choice", ["clinic", "Promo 12", "promo 12"])
def test_finance_with_the_clinics_deferred_interest_plan(runner, write_yaml, choice) -> None:
    clinic = write_yaml(PLANS_CLINIC)
    data = estimate_json(runner, str(clinic), "--finance", choice)
    financing = data["financing"]
    assert financing["name"] == "Promo 12"
    # priced at 0% while the promotion holds: 3,900 / 12 = 325
    assert financing["monthly_payment"] == money(SERIES / 12) == "325.00"
    assert financing["total_interest"] == "0.00"
    assert financing["deferred_interest"] is True
    # Not paid in time: 26.99% / 12 on each month's balance 325 × 12, 325 × 11, … 325.
    risk = sum(cents(D(325) * k * D("0.2699") / 12) for k in range(1, 13))
    assert financing["deferred_interest_risk"] == money(risk) == "570.18"
    assert data["scenarios"][0]["net"] == money(SERIES + BOOSTERS)
    in_time, missed = financing["paid_in_time"], financing["not_paid_in_time"]
    assert in_time["interest"] == "0.00" and in_time["flagged"] is False
    assert in_time["net"] == [{"scenario": "Self-pay", "net": money(SERIES + BOOSTERS)}]
    assert missed["flagged"] is True
    assert missed["interest"] == money(risk)
    assert missed["charged_on"] == "2028-01-04"
    assert missed["total_paid"] == money(SERIES + risk)
    assert missed["payments"][-1] == {"date": "2028-01-04", "amount": money(D(325) + risk)}
    assert missed["net"] == [{"scenario": "Self-pay", "net": money(SERIES + BOOSTERS + risk)}]


def test_deferred_interest_is_flagged_in_the_table(runner, write_yaml) -> None:
    clinic = write_yaml(PLANS_CLINIC)
    out = estimate_table(runner, str(clinic), "--finance", "clinic")
    risk = D("570.18")  # worked out in test_finance_with_the_clinics_deferred_interest_plan
    flagged = [line for line in out.splitlines() if "⚠" in line and "The prices" not in line]
    assert len(flagged) == 3
    assert "Not paid off in time" in flagged[0] and shown(risk) in flagged[0]
    assert shown(SERIES + risk) in flagged[1]
    assert "Net cost then" in flagged[2] and shown(SERIES + BOOSTERS + risk) in flagged[2]


def test_finance_by_another_plans_name(runner, write_yaml) -> None:
    clinic = write_yaml(PLANS_CLINIC)
    financing = estimate_json(runner, str(clinic), "--finance", "six at nine")["financing"]
    principal = SERIES - D(300)
    payment = amortized(principal, D("0.09"), 6)
    assert financing["name"] == "Six at Nine"
    assert financing["principal"] == money(principal)
    assert financing["down_payment"] == "300.00"
    assert financing["monthly_payment"] == money(payment)
    assert financing["payments"][0] == {"date": "2027-01-04", "amount": "300.00"}
    assert len(financing["payments"]) == 7
    assert sum(D(p["amount"]) for p in financing["payments"]) == SERIES + D(
        financing["total_interest"]
    )
    assert financing["deferred_interest_risk"] is None


def test_a_payment_plan_without_its_apr_is_refused_not_taken_as_free(runner, write_yaml) -> None:
    # A missing APR had been read as 0%: at 26.99% over 12 months the promotion costs
    # hundreds in interest, so the rate must be stated (docs/clinic-format.md).
    text = PLANS_CLINIC.replace("        apr: 26.99%\n", "")
    assert text != PLANS_CLINIC
    clinic = write_yaml(text)
    result = invoke(runner, "estimate", clinic, *START, "--finance", "clinic")
    assert_input_error(result, str(clinic))
    assert "missing required key 'apr' in payment_plans.0" in result.stderr
    assert "`apr: 0%` only if it says the plan is interest-free" in result.stderr


def test_finance_clinic_without_payment_plans_exits_2(runner) -> None:
    assert_input_error(invoke(runner, "estimate", *START, "--finance", "clinic"), "--finance")


@pytest.mark.parametrize("text", ["12", "twelve@9%", "12@9.99%+lots", "0@5%"])
def test_unreadable_finance_terms_exit_2(runner, text) -> None:
    assert_input_error(invoke(runner, "estimate", *START, "--finance", text), "--finance")


# --- 3. personal costs ------------------------------------------------------------------

HOURS = D(55 + 20 + 60) / 60  # IV: 55 min session, 20 min recovery, 60 min travel
VISITS = 6 + 4


def check_personal(personal: dict) -> None:
    assert personal["sessions"] == VISITS
    assert personal["hours_per_session"] == "2.25"
    assert personal["hourly_wage"] == "30.00"
    lines = {line["name"]: line for line in personal["lines"]}
    assert lines["Rides home (round trip)"] == {
        "name": "Rides home (round trip)",
        "quantity": VISITS,
        "each": "40.00",
        "amount": money(VISITS * D(40)),
        "hours": None,
    }
    assert lines["Time off work"]["hours"] == "2.25"
    assert lines["Time off work"]["each"] == money(HOURS * 30) == "67.50"
    assert lines["Time off work"]["amount"] == money(VISITS * HOURS * 30) == "675.00"
    assert lines["Childcare"]["amount"] == money(VISITS * D(50)) == "500.00"
    assert personal["total"] == money(D(400) + D(675) + D(500)) == "1575.00"


def test_personal_costs_from_flags(runner) -> None:
    data = estimate_json(runner, "--ride", "40", "--hourly-wage", "30", "--childcare", "50")
    check_personal(data["personal"])
    assert data["total"] == "6300.00"  # never added to the clinic's total
    assert data["scenarios"][0]["net"] == "6300.00"


def test_esketamine_visits_after_an_iv_series_take_esketamine_hours(runner) -> None:
    # westside: six IV sessions, four IV boosters, then four esketamine sessions. An IV
    # visit takes 55 + 20 + 60 minutes = 2.25 h; an esketamine one 120 + 60 = 3 h.
    westside = str(ROOT / "examples" / "clinics" / "westside.yaml")
    data = estimate_json(runner, westside, "--hourly-wage", "30")
    time_off = [line for line in data["personal"]["lines"] if line["name"] == "Time off work"]
    assert [(t["quantity"], t["hours"], t["each"]) for t in time_off] == [
        (10, "2.25", money(D("2.25") * 30)),  # 67.50
        (4, "3", money(D(3) * 30)),  # 90.00
    ]
    assert data["personal"]["total"] == money(10 * D("67.50") + 4 * D(90))  # 1,035


def test_hours_off_without_a_wage_is_refused_not_priced_at_zero(runner) -> None:
    # --hours-off 3 alone had given "Your own costs $0.00" and listed nothing as assumed
    result = invoke(runner, "estimate", *START, "--hours-off", "3")
    assert_input_error(result, "--hours-off")
    assert "without hourly_wage, so the time off has no price" in result.stderr
    assert "--hourly-wage" in result.stderr
    # a wage of 0 is a statement (paid leave): accepted, and nothing is priced
    data = estimate_json(runner, "--hours-off", "3", "--hourly-wage", "0")
    assert data["personal"]["total"] == "0.00"


def test_personal_costs_from_a_file(runner, write_yaml) -> None:
    path = write_yaml(PERSONAL, "me.yaml")
    data = estimate_json(runner, "--personal", str(path))
    check_personal(data["personal"])
    assert data["total"] == "6300.00"


def test_personal_flag_over_a_file(runner, write_yaml) -> None:
    path = write_yaml(PERSONAL, "me.yaml")
    personal = estimate_json(runner, "--personal", str(path), "--ride", "25")["personal"]
    assert {line["name"]: line["amount"] for line in personal["lines"]}[
        "Rides home (round trip)"
    ] == money(VISITS * D(25))
    assert personal["total"] == money(VISITS * D(25) + D(675) + D(500))


def test_personal_table(runner) -> None:
    out = estimate_table(runner, "--ride", "40", "--hourly-wage", "30", "--childcare", "50")
    assert "2.25 h" in out
    assert shown(D(1575)) in out
    assert shown(WORKS + D(1575)) in out  # all in: 7,875
    assert shown(WORKS) in out


def test_check_accepts_a_personal_file(runner, write_yaml) -> None:
    path = write_yaml(PERSONAL, "me.yaml")
    result = invoke(runner, "check", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "ok: 1 file checked, no problems\n"


def test_bad_key_in_a_personal_file(runner, write_yaml) -> None:
    path = write_yaml(BAD_PERSONAL, "me.yaml")
    for args in (("check", str(path)), ("estimate", *START, "--personal", str(path))):
        result = invoke(runner, *args)
        assert_input_error(result, "me.yaml:3", "hourly_wag")


def test_at_home_counts_no_visits(runner) -> None:
    data = estimate_json(
        runner, "at-home-program", "--ride", "40", "--hourly-wage", "30", "--childcare", "50"
    )
    assert data["personal"]["sessions"] == 0
    assert data["personal"]["total"] == "0.00"
    assert data["total"] == money(6 * D(193))


# --- 4. esketamine savings programme ----------------------------------------------------

# The programme is for commercial insurance only, so the plan says `coverage: commercial`
# (a plan of flags alone cannot, and is refused); its deductible is far from met, so the
# patient bears each $1,050 in full. It pays only the drug: of an all-in $1,050, the 56 mg
# list price of $590.
COMMERCIAL = Path(__file__).parent / "fixtures" / "commercial-deductible-only.yaml"
DEDUCTIBLE_ONLY = ("--plan", str(COMMERCIAL))
ESKETAMINE = ("esketamine-cash", "--months", "6", *DEDUCTIBLE_ONLY)


def programme_shares(count: int, cap: Decimal, floor: Decimal = D(10)) -> list[Decimal]:
    shares, used = [], D(0)
    for _ in range(count):
        share = max(min(D(590) - floor, cap - used), D(0))
        used += share
        shares.append(share)
    return shares


def test_savings_programme_json(runner) -> None:
    data = estimate_json(runner, *ESKETAMINE, "--savings-program")
    shares = programme_shares(21, D(7150))
    assert shares[:13] == [D(580)] * 12 + [D(190)]
    assert set(shares[13:]) == {D(0)}
    program = sum(shares, D(0))
    (self_pay,) = data["scenarios"]
    assert data["total"] == money(21 * D(1050)) == "22050.00"
    assert self_pay["savings_program"] == money(program) == "7150.00"
    assert self_pay["net"] == money(21 * D(1050) - program) == "14900.00"
    assert data["savings_program"]["floor"] == "10.00"
    assert data["savings_program"]["annual_cap"] == "7150.00"
    assert "commercial insurance only" in data["savings_program"]["source"]


def test_savings_cap_resets_on_january_first(runner) -> None:
    data = estimate_json(
        runner,
        "esketamine-cash",
        "--months",
        "6",
        "--start",
        "2027-12-01",
        "--savings-program",
        *DEDUCTIBLE_ONLY,
    )
    # 2027: 8 series sessions Dec 1 – Dec 25; 2028: 13 more (Jan 1, 8, 15, 22, then every
    # two weeks from Feb 5 to May 27). 2028 reaches its own $7,150 cap; 2027 does not.
    program = sum(programme_shares(8, D(7150)), D(0)) + sum(programme_shares(13, D(7150)), D(0))
    assert program == 8 * D(580) + D(7150) == D(11790)
    (self_pay,) = data["scenarios"]
    assert self_pay["savings_program"] == money(program)
    assert self_pay["net"] == money(21 * D(1050) - program) == "10260.00"
    back = {m["month"]: m["reimbursed"] for m in self_pay["cashflow"]}
    assert back["2027-12"] == money(8 * D(580)) == "4640.00"
    assert back["2028-01"] == money(4 * D(580))


def test_savings_cap_8000(runner) -> None:
    data = estimate_json(runner, *ESKETAMINE, "--savings-program", "--savings-cap", "8000")
    program = sum(programme_shares(21, D(8000)), D(0))
    assert program == 13 * D(580) + D(460)
    (self_pay,) = data["scenarios"]
    assert self_pay["savings_program"] == "8000.00"
    assert self_pay["net"] == money(21 * D(1050) - program) == "14050.00"
    assert data["savings_program"]["annual_cap"] == "8000.00"


def test_savings_programme_is_shown_in_the_table(runner) -> None:
    """What the programme pays changes the net by $7,150; the table must say so."""
    out = estimate_table(runner, *ESKETAMINE, "--savings-program")
    assert "savings program" in out.lower()
    assert shown(D(7150)) in out
    assert shown(D(14900)) in out


def test_savings_cap_without_the_programme_exits_2(runner) -> None:
    assert_input_error(
        invoke(runner, "estimate", *START, *ESKETAMINE, "--savings-cap", "8000"),
        "--savings-cap",
        "--savings-program",
    )


def test_savings_floor_without_the_programme_names_the_floor(runner) -> None:
    assert_input_error(
        invoke(runner, "estimate", *START, *ESKETAMINE, "--savings-floor", "5"),
        "--savings-floor",
    )


# --- 5. tax -----------------------------------------------------------------------------


def test_tax_json(runner) -> None:
    tax = estimate_json(runner, "--marginal-rate", "22%", "--agi", "60000")["tax"]
    floor = cents(D(60000) * D("0.075"))
    assert tax["marginal_rate"] == "0.22"
    # Every charge of the default from 2027-01-04 falls in 2027: one year.
    (year,) = tax["years"]
    assert {k: year[k] for k in ("year", "expenses", "hsa_fsa", "floor", "deductible")} == {
        "year": 2027,
        "expenses": money(WORKS),
        "hsa_fsa": "0.00",
        "floor": money(floor),
        "deductible": money(WORKS - floor),
    }
    assert year["floor"] == "4500.00"
    assert year["deductible"] == "1800.00"
    # No filing status: the $396 exists only if itemizing beats the standard deduction, so
    # nothing is subtracted; the conditional figure is given apart.
    assert year["saving"] == "0.00"
    assert year["if_itemizing_saving"] == money((WORKS - floor) * D("0.22")) == "396.00"
    assert tax["total_saving"] == "0.00"
    itemizing = estimate_json(
        runner, "--marginal-rate", "22%", "--agi", "60000",
        "--filing", "single", "--other-itemized", "16100",
    )["tax"]  # fmt: skip
    # other deductions at the 16,100 standard deduction: the 1,800 counts in full
    assert itemizing["total_saving"] == money(D(1800) * D("0.22")) == "396.00"


def test_tax_table_says_it_is_not_tax_advice(runner) -> None:
    out = estimate_table(runner, "--marginal-rate", "22%", "--agi", "60000")
    assert "not tax advice" in out
    row = next(line for line in out.splitlines() if line.strip().startswith("2027 "))
    for amount in (D(6300), D(4500), D(1800)):
        assert shown(amount) in row
    assert "up to $396.00" in " ".join(out.split())


def test_agi_without_a_rate_exits_2(runner) -> None:
    assert_input_error(invoke(runner, "estimate", *START, "--agi", "60000"), "--agi")


# --- 6. charts --------------------------------------------------------------------------


def test_png_chart_with_the_table_on_stdout(runner, tmp_path) -> None:
    chart = tmp_path / "out.png"
    result = invoke(runner, "estimate", *START, "--chart", chart, "--format", "table")
    assert result.exit_code == 0, result.stderr
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert "What the clinic charges" in result.stdout
    assert "$6,300.00" in result.stdout


def test_svg_chart_with_json_on_stdout(runner, tmp_path) -> None:
    chart = tmp_path / "out.svg"
    result = invoke(
        runner, "estimate", *START, "--plan", ACME, "--chart", chart, "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    text = chart.read_text(encoding="utf-8")
    assert "<svg" in text
    assert json.loads(result.stdout)["total"] == "6300.00"


def test_gif_chart_exits_2_naming_the_extension(runner, tmp_path) -> None:
    chart = tmp_path / "out.gif"
    result = invoke(runner, "estimate", *START, "--chart", chart)
    assert_input_error(result, ".gif")
    assert not chart.exists()


def test_gif_chart_does_not_write_the_report_file_either(runner, tmp_path) -> None:
    chart, report = tmp_path / "out.gif", tmp_path / "report.json"
    result = invoke(runner, "estimate", *START, "--chart", chart, "-o", report)
    assert result.exit_code == 2
    assert not chart.exists()
    assert not report.exists()


def test_no_chart_when_the_clinic_file_is_bad(runner, write_yaml, tmp_path) -> None:
    clinic = write_yaml(BAD_CLINIC)
    chart = tmp_path / "out.png"
    result = invoke(runner, "estimate", clinic, *START, "--chart", chart)
    assert_input_error(result, "later_prize")
    assert not chart.exists()


def test_the_drug_part_of_an_all_in_price_is_listed_as_assumed(runner) -> None:
    data = estimate_json(runner, *ESKETAMINE, "--savings-program")
    said = {a["what"]: (a["value"], a["from"]) for a in data["assumptions"]}
    assert said["drug's part of an all-in esketamine price"] == (
        "$590.00 (the 56 mg list price), or the price if less",
        "default",
    )


def test_the_opening_lines_say_what_the_savings_program_pays(runner) -> None:
    out = " ".join(estimate_table(runner, *ESKETAMINE, "--savings-program").split())
    # the plan pays nothing (its deductible is far from met); the program its yearly cap
    assert "Back: nothing from the plan; the savings program pays $7,150.00." in out
    assert f"Net: ${21 * 1050 - 7150:,}.00" in out


def test_the_program_defaults_say_which_year_published_them(runner) -> None:
    data = estimate_json(runner, *ESKETAMINE, "--savings-program")
    said = {a["what"]: a["value"] for a in data["assumptions"]}
    assert said["savings program cap per year"] == "$7,150.00 (2026's published figure)"
    # the cheaper reading of a rule plans differ on is named: no copay accumulator
    assert said["program payments and your deductible"].startswith(
        "counted toward the deductible and out-of-pocket cap as if you paid them; a plan with"
        " a copay accumulator does not count them"
    )
    data = estimate_json(runner, *ESKETAMINE, "--savings-program", "--savings-cap", "8000")
    said = {a["what"]: (a["value"], a["from"]) for a in data["assumptions"]}
    assert said["savings program cap per year"] == ("$8,000.00", "flag")


def test_the_programme_needs_a_plan_that_says_it_is_commercial(runner, tmp_path: Path) -> None:
    # coverage decides who may use the programme, and left out it would be commercial, the
    # one answer that lets it pay $7,150 here: a plan that does not say is refused, at its top
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "kind: plan\nname: Unsaid\nout_of_network: {deductible: 100000, allowed: 100%,"
        " coinsurance: 0%}\n",
        encoding="utf-8",
    )
    flags = ["--deductible", "100000", "--allowed", "100%", "--coinsurance", "0%"]
    for where, said in (
        (["--plan", str(plan)], f"{plan}:1:1: error:"),
        (flags, "give a plan file (--plan FILE) with `coverage: commercial`"),
    ):
        result = invoke(runner, "estimate", *START, "esketamine-cash", *where, "--savings-program")
        assert (result.exit_code, result.stdout) == (2, "")
        assert "the savings program is for commercial insurance only" in result.stderr
        assert "does not say its coverage" in result.stderr
        assert said in result.stderr


def test_a_sweeps_varied_coverage_states_it_for_the_programme(runner, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "kind: plan\nname: Unsaid\nout_of_network: {deductible: 100000, allowed: 100%,"
        " coinsurance: 0%}\n",
        encoding="utf-8",
    )
    args = ["sweep", "esketamine-cash", "--no-config", "--plan", str(plan), *START]
    result = invoke(runner, *args, "--savings-program", "--vary", "plan.coverage=commercial")
    assert result.exit_code == 0, result.stderr
