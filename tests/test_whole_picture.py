"""The whole picture through the library: response odds, financing, personal costs,
the esketamine savings programme and tax, each checked against hand arithmetic.

Every expected figure below is worked out by hand from the bundled profiles
(pricing/los-angeles-iv.yaml, pricing/esketamine-cash.yaml), examples/plans/acme-ppo.yaml
or a profile built here, in Decimal cents; none is read back from the code under test.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext
from pathlib import Path

import pytest
from conftest import cents
from hypothesis import given, settings
from hypothesis import strategies as st

import ketacost
from ketacost.cli.financing import parse_finance
from ketacost.engine.financing import FinanceTerms, finance
from ketacost.engine.response import ResponseTerms
from ketacost.engine.savings import SavingsTerms
from ketacost.engine.tax import TaxTerms
from ketacost.errors import InputError
from ketacost.model.clinic import Clinic
from ketacost.model.personal import PersonalCosts
from ketacost.model.plan import Plan

START = dt.date(2027, 1, 4)
CENT = Decimal("0.01")
D = Decimal

# The bundled default: $750 × 2, then $600 × 4, two a week from 2027-01-04 (Jan 4, 7, 11,
# 14, 18, 21); then a $600 booster every 12 weeks from 12 weeks after the last session:
# 2027-04-15, 07-08, 09-30, 12-23 (the fifth, 2028-03-16, is past the horizon).
SERIES = D(750) * 2 + D(600) * 4  # 3,900
BOOSTERS = D(600) * 4  # 2,400
WORKS = SERIES + BOOSTERS  # 6,300
FAILS = D(750) + D(750) + D(600)  # 2,100: three sessions, no boosters
ACME = Path(__file__).resolve().parent.parent / "examples" / "plans" / "acme-ppo.yaml"
LAST_OF_12 = D("342.89")  # 12@9.99% on 3,900: the last payment (table in test_financing.py)


def amortized(principal: Decimal, apr: Decimal, months: int) -> Decimal:
    """P·r / (1 − (1 + r)^−n), r = APR / 12, rounded half-up to cents (worked in the test)."""
    with localcontext() as context:
        context.prec = 40
        r = apr / 12
        growth = (1 + r) ** months
        return cents(principal * r * growth / (growth - 1))


@pytest.fixture(scope="module")
def default_clinic() -> Clinic:
    return ketacost.load_clinic()


@pytest.fixture(scope="module")
def esketamine() -> Clinic:
    return ketacost.load_clinic("esketamine-cash")


@pytest.fixture(scope="module")
def acme() -> Plan:
    return ketacost.load_plan(ACME)


def code_plan() -> Plan:
    """No deductible, 100% allowed, 20% coinsurance: the plan pays back 80% of every claim."""
    return Plan.model_validate(
        {
            "name": "Code PPO",
            "out_of_network": {"coinsurance": "20%", "allowed": "100%"},
            "claims": {"paid_after_days": 30},
        }
    )


# --- 1. response odds --------------------------------------------------------------------


def test_default_clinic_hand_figures(default_clinic) -> None:
    result = ketacost.estimate(default_clinic, start=START)
    assert result.total == WORKS == D("6300.00")
    assert result.series_total == SERIES == D("3900.00")
    assert result.sessions == 10


def test_response_branches_and_expected_cost(default_clinic) -> None:
    result = ketacost.estimate(
        default_clinic, start=START, response=ResponseTerms(D("0.5"), stop_after=3)
    )
    odds = result.response
    assert odds is not None
    assert odds.rate == D("0.5")
    assert odds.stop_after == 3
    assert odds.if_fails == FAILS == D("2100")
    assert odds.if_works == WORKS == D("6300")
    expected = cents(D("0.5") * FAILS + D("0.5") * WORKS)
    assert expected == D("4200.00")
    assert odds.expected_total == expected
    assert odds.per_responder == cents(expected / D("0.5")) == D("8400.00")
    # the headline total stays the full year's charges
    assert result.total == WORKS


def test_stop_after_defaults_to_three_when_only_a_rate_is_given(default_clinic) -> None:
    odds = ketacost.estimate(default_clinic, start=START, response=ResponseTerms(D("0.5"))).response
    assert odds is not None
    assert odds.stop_after == 3
    assert odds.if_fails == FAILS


def test_stop_after_two_and_a_30_percent_rate(default_clinic) -> None:
    odds = ketacost.estimate(
        default_clinic, start=START, response=ResponseTerms(D("0.3"), stop_after=2)
    ).response
    assert odds is not None
    fails = D(750) * 2
    assert odds.if_fails == fails
    expected = cents(D("0.3") * WORKS + D("0.7") * fails)  # 1,890 + 1,050 = 2,940
    assert expected == D("2940.00")
    assert odds.expected_total == expected
    assert odds.per_responder == cents(expected / D("0.3")) == D("9800.00")


def test_no_response_model_without_a_rate(default_clinic) -> None:
    assert ketacost.estimate(default_clinic, start=START).response is None


def test_response_rate_zero_has_no_per_responder_figure(default_clinic) -> None:
    odds = ketacost.estimate(default_clinic, start=START, response=ResponseTerms(D("0"))).response
    assert odds is not None
    assert odds.expected_total == FAILS
    assert odds.per_responder is None


def test_response_nets_under_a_plan_built_in_code(default_clinic) -> None:
    odds = ketacost.estimate(
        default_clinic, code_plan(), start=START, response=ResponseTerms(D("0.5"))
    ).response
    assert odds is not None
    (scenario,) = odds.scenarios
    assert scenario.name == "Code PPO"
    # the plan pays back 80% of each charge, so the patient keeps 20% of it
    works_net = WORKS - cents(WORKS * D("0.8"))  # 6,300 − 5,040 = 1,260
    fails_net = FAILS - cents(FAILS * D("0.8"))  # 2,100 − 1,680 = 420
    assert (scenario.if_works, scenario.if_fails) == (D("1260.00"), D("420.00"))
    assert scenario.if_works == works_net
    assert scenario.if_fails == fails_net
    assert scenario.expected == cents(D("0.5") * works_net + D("0.5") * fails_net) == D("840")


def test_response_nets_under_acme_by_hand(default_clinic, acme) -> None:
    odds = ketacost.estimate(
        default_clinic, acme, start=START, response=ResponseTerms(D("0.5"))
    ).response
    assert odds is not None
    by_name = {s.name: s for s in odds.scenarios}
    assert set(by_name) == {"Denied", "As written", "Generous"}

    # Denied: nothing comes back in either branch.
    assert by_name["Denied"].if_works == WORKS
    assert by_name["Denied"].if_fails == FAILS

    # As written: allowed 70% of billed; $2,000 deductible with $500 met leaves $1,500;
    # 40% coinsurance. Allowed: 525, 525, 420, 420, 420, 420 and 420 per booster.
    left = D(2000) - D(500)
    allowed = [D(750) * D("0.7")] * 2 + [D(600) * D("0.7")] * 8
    back = D(0)
    for amount in allowed:
        to_deductible = min(left, amount)
        left -= to_deductible
        back += cents((amount - to_deductible) * D("0.6"))
    assert back == D("1746.00")  # 234 on session 4, then 252 on 6 claims
    as_written_works = WORKS - back
    # If it fails, 525 + 525 + 420 = 1,470 all goes to the deductible: nothing back.
    as_written_fails = FAILS
    assert by_name["As written"].if_works == as_written_works == D("4554.00")
    assert by_name["As written"].if_fails == as_written_fails
    assert by_name["As written"].expected == cents(
        D("0.5") * as_written_works + D("0.5") * as_written_fails
    )
    assert by_name["As written"].expected == D("3327.00")

    # Generous: 100% allowed. Fails: 750 + 750 meets the $1,500 left; session 3 pays 60% of 600.
    generous_fails = FAILS - D(600) * D("0.6")
    assert by_name["Generous"].if_fails == generous_fails == D("1740.00")
    # Works: 8 charges of $600 after the deductible, 60% back on each.
    generous_works = WORKS - 8 * D(600) * D("0.6")
    assert by_name["Generous"].if_works == generous_works == D("3420.00")


def test_non_responders_have_no_maintenance_and_monthly_fees_only_until_the_last_session() -> None:
    clinic = Clinic.model_validate(
        {
            "name": "Member clinic",
            "series": {
                "sessions": 6,
                "every_weeks": 3,
                "first_price": 750,
                "first_sessions": 2,
                "later_price": 600,
            },
            "fees": [
                {"name": "Intake", "amount": 300, "per": "once"},
                {"name": "Chair fee", "amount": 25, "per": "session"},
                {"name": "Membership", "amount": 100, "per": "month"},
            ],
            "maintenance": [
                {"kind": "booster", "price": 600, "every_weeks": 12, "after_weeks": 12}
            ],
        }
    )
    result = ketacost.estimate(clinic, start=START, response=ResponseTerms(D("0.5")))
    odds = result.response
    assert odds is not None
    # Works: sessions every 3 weeks: Jan 4, Jan 25, Feb 15, Mar 8, Mar 29, Apr 19; boosters
    # 12 weeks on: Jul 12, Oct 4, Dec 27 (the next, 2028-03-20, is past the horizon).
    # Intake once, $25 at each of 9 sessions, $100 on the 4th of each of 12 months.
    works = SERIES + 3 * D(600) + D(300) + 9 * D(25) + 12 * D(100)
    assert works == D("7425")
    assert result.total == works
    assert odds.if_works == works
    # Fails: sessions Jan 4, Jan 25, Feb 15; no boosters; membership only on Jan 4 and
    # Feb 4 (the Mar 4 charge is after the last session, Feb 15).
    fails = FAILS + D(300) + 3 * D(25) + 2 * D(100)
    assert fails == D("2675")
    assert odds.if_fails == fails
    assert odds.expected_total == cents(D("0.5") * works + D("0.5") * fails)


@settings(max_examples=60, deadline=None)
@given(rate=st.decimals(min_value=0, max_value=1, places=4))
def test_expected_cost_lies_between_the_branches(rate: Decimal) -> None:
    clinic = ketacost.load_clinic()
    plan = ketacost.load_plan(ACME)
    odds = ketacost.estimate(clinic, plan, start=START, response=ResponseTerms(rate)).response
    assert odds is not None
    assert odds.rate == rate
    low, high = sorted((odds.if_works, odds.if_fails))
    assert low <= odds.expected_total <= high
    assert odds.expected_total == cents(rate * WORKS + (1 - rate) * FAILS)
    for scenario in odds.scenarios:
        low, high = sorted((scenario.if_works, scenario.if_fails))
        assert low <= scenario.expected <= high


@pytest.mark.parametrize("rate", [D("1.5"), D("-0.1"), "50%", 0.5])
def test_response_rate_outside_zero_to_one_is_refused(rate) -> None:
    with pytest.raises(InputError) as error:
        ResponseTerms(rate)
    assert "response.rate" in str(error.value)
    assert "--" not in str(error.value)  # the engine names fields, not flags


def test_stop_after_zero_is_refused() -> None:
    with pytest.raises(InputError) as error:
        ResponseTerms(D("0.5"), stop_after=0)
    assert "response.stop_after" in str(error.value)


def test_non_responders_also_get_the_savings_programme(esketamine) -> None:
    """Stopping after 3 esketamine treatments: the programme still pays down to $10 each."""
    odds = ketacost.estimate(
        esketamine,
        DEDUCTIBLE_ONLY,
        start=START,
        months=6,
        savings=SavingsTerms(),
        response=ResponseTerms(D("0.5")),
    ).response
    assert odds is not None
    (scenario,) = odds.scenarios
    # The drug's part of an all-in $1,050 is the 56 mg list price, $590: the programme
    # pays 590 − 10 = 580 a treatment. Works: 21 × 1,050 = 22,050 less the 7,150 cap.
    assert scenario.if_works == 21 * D(1050) - D(7150) == D("14900")
    # Fails: 3 × 1,050 = 3,150, of which the programme pays 3 × 580 = 1,740: $1,410.
    assert scenario.if_fails == 3 * D(1050) - 3 * D(580) == D("1410")


# --- 2. financing -----------------------------------------------------------------------

APR = D("0.0999")


def test_amortized_payment_worked_in_the_test() -> None:
    # r = 0.0999 / 12 = 0.008325; 3,900 × r / (1 − 1.008325^−12) = 342.849…
    assert amortized(SERIES, APR, 12) == D("342.85")


def test_financing_the_series_at_9_99_percent(default_clinic) -> None:
    result = ketacost.estimate(default_clinic, start=START, finance=parse_finance("12@9.99%"))
    financing = result.financing
    assert financing is not None
    payment = amortized(SERIES, APR, 12)
    assert financing.principal == SERIES
    assert financing.down_payment == 0
    assert financing.monthly_payment == payment
    # the last payment absorbs the rounding (its amortization table: test_financing.py)
    assert financing.last_payment == LAST_OF_12 == D("342.89")
    assert financing.total_interest == payment * 11 + LAST_OF_12 - SERIES == D("214.24")
    assert financing.total_paid == payment * 11 + LAST_OF_12
    dates = [day for day, _ in financing.payments]
    assert dates == [dt.date(2027 + (m // 12), m % 12 + 1, 4) for m in range(1, 13)]
    assert dates[0] == dt.date(2027, 2, 4) and dates[-1] == dt.date(2028, 1, 4)
    assert [amount for _, amount in financing.payments] == [payment] * 11 + [LAST_OF_12]
    # the clinic's total is still its charges
    assert result.total == WORKS

    (self_pay,) = result.scenarios
    assert self_pay.paid == BOOSTERS + 11 * payment + LAST_OF_12
    assert self_pay.net == BOOSTERS + 11 * payment + LAST_OF_12 == D("6514.24")
    months = {m.month: m.paid for m in self_pay.cashflow}
    assert months["2027-01"] == 0  # the series is financed: nothing paid in January
    assert months["2027-02"] == payment
    assert months["2027-03"] == payment
    assert months["2027-04"] == payment + D(600)  # the first booster, 2027-04-15
    assert months["2027-12"] == payment + D(600)
    assert months["2028-01"] == LAST_OF_12
    assert self_pay.cashflow[-1].cumulative == self_pay.net


def test_financed_scenario_net_is_everything_paid_less_reimbursed(default_clinic, acme) -> None:
    result = ketacost.estimate(default_clinic, acme, start=START, finance=parse_finance("12@9.99%"))
    paid = amortized(SERIES, APR, 12) * 11 + LAST_OF_12
    by_name = {s.name: s for s in result.scenarios}
    assert by_name["Denied"].net == BOOSTERS + paid
    # As written reimburses 1,746 (worked out in test_response_nets_under_acme_by_hand)
    assert by_name["As written"].reimbursed == D("1746.00")
    assert by_name["As written"].net == BOOSTERS + paid - D("1746.00")
    # Generous: 8 × 360 = 2,880 back
    assert by_name["Generous"].net == BOOSTERS + paid - 8 * D(360)


def test_down_payment_on_the_first_session(default_clinic) -> None:
    result = ketacost.estimate(default_clinic, start=START, finance=parse_finance("6@9%+300"))
    financing = result.financing
    assert financing is not None
    principal = SERIES - 300
    payment = amortized(principal, D("0.09"), 6)
    assert financing.principal == principal
    assert financing.payments[0] == (START, D(300))
    assert financing.monthly_payment == payment
    instalments = [amount for _, amount in financing.payments[1:]]
    assert instalments[:5] == [payment] * 5
    # the last absorbs the rounding: within a few cents of the others
    assert abs(instalments[5] - payment) <= D("0.05")
    assert financing.total_paid == D(300) + sum(instalments)
    assert result.scenarios[0].net == BOOSTERS + financing.total_paid


def test_deferred_interest_is_priced_at_zero_with_the_risk_shown() -> None:
    terms = FinanceTerms("Promo", 12, D("0.2699"), deferred_interest=True)
    financing = finance(SERIES, START, terms)
    assert financing.monthly_payment == SERIES / 12 == D("325.00")
    assert financing.total_interest == 0
    # not paid in time: 26.99% / 12 on each month's balance 325 × 12, 325 × 11, … 325
    risk = sum(cents(D(325) * k * D("0.2699") / 12) for k in range(1, 13))
    assert financing.deferred_interest_risk == risk == D("570.18")


@settings(max_examples=80, deadline=None)
@given(
    price=st.decimals(min_value=1, max_value=5000, places=2),
    sessions=st.integers(min_value=1, max_value=12),
    months=st.integers(min_value=1, max_value=120),
)
def test_zero_apr_costs_the_principal_within_half_a_cent_a_payment(
    price: Decimal, sessions: int, months: int
) -> None:
    clinic = Clinic.model_validate(
        {"name": "Flat", "series": {"sessions": sessions, "price": price, "per_week": 2}}
    )
    result = ketacost.estimate(clinic, start=START, finance=parse_finance(f"{months}@0%"))
    financing = result.financing
    assert financing is not None
    principal = price * sessions
    assert financing.principal == principal
    assert financing.monthly_payment in (cents(principal / months), principal)
    # The last payment absorbs the rounding: at 0% they pay exactly the principal.
    assert financing.total_paid == principal
    assert financing.total_interest == 0
    assert result.scenarios[0].net == financing.total_paid


def test_cash_flow_reaches_the_net_when_payments_run_past_the_horizon(default_clinic) -> None:
    """24 monthly payments on a 12-month horizon: the net counts all of them, so the cash
    flow's last running total must reach it too (as it does for late reimbursements)."""
    result = ketacost.estimate(default_clinic, start=START, finance=parse_finance("24@9.99%"))
    financing = result.financing
    assert financing is not None
    payment = amortized(SERIES, APR, 24)
    assert [a for _, a in financing.payments[:23]] == [payment] * 23
    (self_pay,) = result.scenarios
    assert self_pay.net == BOOSTERS + 23 * payment + financing.last_payment
    assert self_pay.cashflow[-1].cumulative == self_pay.net


# --- 3. personal costs ------------------------------------------------------------------


def test_personal_costs_on_the_default(default_clinic) -> None:
    costs = PersonalCosts(ride=D(40), hourly_wage=D(30), childcare=D(50))
    result = ketacost.estimate(default_clinic, start=START, personal=costs)
    personal = result.personal
    assert personal is not None
    visits = 6 + 4
    hours = D(55 + 20 + 60) / 60  # IV: session + recovery + travel = 135 min
    assert hours == D("2.25")
    assert personal.sessions == visits
    assert personal.hours_per_session == hours
    amounts = {line.name: (line.quantity, line.each, line.amount) for line in personal.lines}
    assert amounts["Rides home (round trip)"] == (visits, D(40), visits * D(40))
    assert amounts["Time off work"] == (visits, hours * 30, visits * hours * 30)
    assert amounts["Childcare"] == (visits, D(50), visits * D(50))
    assert personal.total == D(400) + D("675.00") + D(500) == D("1575")
    # never added to the clinic's charges or to what any scenario costs
    assert result.total == WORKS
    assert result.scenarios[0].net == WORKS


def test_hours_off_overrides_the_modality_default(default_clinic) -> None:
    costs = PersonalCosts(hourly_wage=D(30), hours_off=D(4))
    personal = ketacost.estimate(default_clinic, start=START, personal=costs).personal
    assert personal is not None
    assert personal.total == 10 * 4 * D(30)


def test_esketamine_observation_takes_three_hours(esketamine) -> None:
    costs = PersonalCosts(hourly_wage=D(20))
    personal = ketacost.estimate(esketamine, start=START, months=6, personal=costs).personal
    assert personal is not None
    hours = D(0 + 120 + 60) / 60  # two hours' observation plus an hour's travel
    assert personal.hours_per_session == hours
    assert personal.sessions == 21
    assert personal.total == 21 * hours * 20 == D("1260")


def test_at_home_modality_counts_no_visits() -> None:
    clinic = ketacost.load_clinic("at-home-program")
    costs = PersonalCosts(ride=D(40), hourly_wage=D(30), childcare=D(50))
    result = ketacost.estimate(clinic, start=START, personal=costs)
    assert result.personal is not None
    assert result.personal.sessions == 0
    assert result.personal.total == 0
    assert result.total == 6 * D(193)


# --- 4. esketamine savings programme ----------------------------------------------------

# The programme is for commercial insurance only (docs/adjudication.md). This plan covers the claims
# but its deductible is far from met, so the patient still bears every $1,050 in full. The
# programme pays only the drug: of an all-in price that does not say its drug part, the
# 56 mg list price, $590 (docs/insurance-rules.md), so 590 − 10 = 580 a treatment.
DEDUCTIBLE_ONLY = Plan(
    name="Commercial plan, deductible not met",
    out_of_network={"deductible": 100_000, "allowed": "100%"},
)


def test_esketamine_cash_schedule_has_21_sessions_in_6_months(esketamine) -> None:
    result = ketacost.estimate(esketamine, start=START, months=6)
    assert result.sessions == 21  # 8 + 4 + 9
    assert result.total == 21 * D(1050) == D("22050")


def test_savings_programme_to_the_yearly_cap(esketamine) -> None:
    result = ketacost.estimate(
        esketamine, DEDUCTIBLE_ONLY, start=START, months=6, savings=SavingsTerms()
    )
    (self_pay,) = result.scenarios
    # drug $590 of each $1,050, floor $10: $580 a treatment until the $7,150 cap.
    per_treatment = D(590) - D(10)
    shares = []
    used = D(0)
    for _ in range(21):
        share = max(min(per_treatment, D(7150) - used), D(0))
        used += share
        shares.append(share)
    assert shares[:12] == [D(580)] * 12
    assert shares[12] == D(190)  # 7,150 − 12 × 580
    assert shares[13:] == [D(0)] * 8
    program = sum(shares, D(0))
    assert program == D("7150")
    assert self_pay.savings_program == program
    assert self_pay.paid == D("22050")
    assert self_pay.net == D("22050") - program == D("14900")
    # The 8 series sessions all fall in January (Jan 4 to Jan 28), paid on the day.
    january = self_pay.cashflow[0]
    assert january.month == "2027-01"
    assert january.paid == 8 * D(1050)
    assert january.reimbursed == 8 * D(580) == D(4640)


def test_savings_cap_resets_on_january_first(esketamine) -> None:
    start = dt.date(2027, 12, 1)
    result = ketacost.estimate(
        esketamine, DEDUCTIBLE_ONLY, start=start, months=6, savings=SavingsTerms()
    )
    (self_pay,) = result.scenarios
    # 2027: 8 series sessions, Dec 1 to Dec 25: 8 × 580 = 4,640, under the cap.
    # 2028: weekly Jan 1, 8, 15, 22; then every 2 weeks Feb 5, 19, Mar 4, 18, Apr 1, 15, 29,
    #       May 13, 27 (13 treatments): 12 × 580 = 6,960, then the 190 left of 7,150 on
    #       May 27: the new year's cap is reached, not the old one's.
    assert result.sessions == 21
    assert self_pay.savings_program == 8 * D(580) + D(7150) == D(11790)
    assert self_pay.net == 21 * D(1050) - D(11790) == D("10260")
    back = {m.month: m.reimbursed for m in self_pay.cashflow}
    assert back["2027-12"] == 8 * D(580)
    assert back["2028-01"] == 4 * D(580)
    assert back["2028-02"] == 2 * D(580)
    assert back["2028-04"] == 3 * D(580)
    assert back["2028-05"] == D(580) + D(190)


def test_savings_cap_of_8000(esketamine) -> None:
    result = ketacost.estimate(
        esketamine, DEDUCTIBLE_ONLY, start=START, months=6, savings=SavingsTerms(annual_cap=D(8000))
    )
    # 13 × 580 = 7,540, then 460 on the 14th.
    assert result.scenarios[0].savings_program == 13 * D(580) + D(460) == D(8000)
    assert result.scenarios[0].net == D(22050) - D(8000)


def test_savings_floor_of_100(esketamine) -> None:
    result = ketacost.estimate(
        esketamine, DEDUCTIBLE_ONLY, start=START, months=6, savings=SavingsTerms(floor=D(100))
    )
    # 590 − 100 = 490 each: 14 × 490 = 6,860, then the 290 left.
    assert result.scenarios[0].savings_program == 14 * D(490) + D(290) == D(7150)


def test_no_savings_programme_without_terms(esketamine) -> None:
    result = ketacost.estimate(esketamine, start=START, months=6)
    assert result.scenarios[0].savings_program == 0
    assert result.scenarios[0].net == D(22050)


# --- 5. tax -----------------------------------------------------------------------------


def test_tax_on_the_default_self_pay(default_clinic) -> None:
    # Without a filing status the deduction is a condition, never subtracted: 1,800 above
    # the floor would save 1,800 × 22% = 396 only if itemizing beats the standard deduction.
    terms = TaxTerms(marginal_rate=D("0.22"), agi=D(60000))
    result = ketacost.estimate(default_clinic, start=START, tax=terms)
    tax = result.tax
    assert tax is not None
    # Every charge falls in 2027 (the last booster is 2027-12-23): one year.
    (year,) = tax.years
    floor = cents(D(60000) * D("0.075"))
    assert (year.year, year.expenses, year.floor) == (2027, WORKS, floor) == (2027, 6300, 4500)
    assert year.hsa_fsa == 0
    assert year.deductible == WORKS - floor == D("1800.00")
    assert year.saving == 0 and tax.total_saving == 0
    assert year.if_itemizing == cents(D(1800) * D("0.22")) == D("396.00")
    assert any("up to $396.00" in note for note in tax.notes)
    assert result.scenarios[0].tax == tax.years
    # Itemizing, with other deductions of 16,100 (the single standard deduction, 2026):
    # max(16,100, 16,100 + 1,800) − 16,100 = 1,800 saves 396.
    itemizing = TaxTerms(
        marginal_rate=D("0.22"), agi=D(60000), filing="single", other_itemized=D(16100)
    )
    taxed = ketacost.estimate(default_clinic, start=START, tax=itemizing).tax
    assert taxed is not None and taxed.total_saving == D("396.00")
    # Itemizing with no other deductions: 1,800 < 16,100, so it saves nothing.
    alone = TaxTerms(marginal_rate=D("0.22"), agi=D(60000), filing="single")
    plain = ketacost.estimate(default_clinic, start=START, tax=alone).tax
    assert plain is not None and plain.total_saving == 0


def test_tax_without_agi_is_the_hsa_saving_only(default_clinic) -> None:
    terms = TaxTerms(marginal_rate=D("0.24"), hsa="family")
    tax = ketacost.estimate(default_clinic, start=START, tax=terms).tax
    assert tax is not None
    (year,) = tax.years
    # 6,300 of expenses, the 2026 family limit 8,750 covers it all: 6,300 × 0.24 = 1,512.
    assert year.hsa_fsa == WORKS
    assert year.saving == cents(WORKS * D("0.24")) == D("1512.00")
    assert year.floor is None and year.deductible is None


def test_tax_below_the_floor_deducts_nothing(default_clinic) -> None:
    terms = TaxTerms(marginal_rate=D("0.22"), agi=D(100000))
    tax = ketacost.estimate(default_clinic, start=START, tax=terms).tax
    assert tax is not None
    (year,) = tax.years
    assert year.floor == D("7500.00")  # 100,000 × 0.075 > 6,300
    assert year.deductible == 0
    assert year.saving == 0


def test_tax_under_a_plan_is_worked_per_scenario_per_year_then_weighted(default_clinic) -> None:
    plan = ketacost.load_plan(ACME)
    # other deductions at the single standard deduction: the deduction counts in full
    terms = TaxTerms(
        marginal_rate=D("0.22"), agi=D(40000), filing="single", other_itemized=D(16100)
    )
    result = ketacost.estimate(default_clinic, plan, start=START, tax=terms)
    floor = D(40000) * D("0.075")  # 3,000
    by_name = {s.name: s.tax for s in result.scenarios}
    # Denied: all 6,300 in 2027; (6,300 − 3,000) × 0.22 = 726.
    assert [(y.year, y.deductible, y.saving) for y in by_name["Denied"] or ()] == [
        (2027, WORKS - floor, D("726.00"))
    ]
    # As written reimburses 1,746, of which the 2027-12-23 booster's 252 (420 allowed ×
    # 60%) arrives 2028-02-06: 2027 keeps 6,300 − (1,746 − 252) = 4,806, deducts 1,806
    # (saving 397.32); in 2028 the 252 is income (up to the 1,806 deducted): −55.44.
    as_written = by_name["As written"] or ()
    assert [(y.year, y.expenses, y.deductible, y.saving) for y in as_written] == [
        (2027, WORKS - (D(1746) - D(252)), D(1806), cents(D(1806) * D("0.22"))),
        (2028, D(0), D(0), -cents(D(252) * D("0.22"))),
    ]
    assert as_written[1].recovered == D(252)
    # Generous: 8 × 360 back, the last 360 in 2028: 2027 keeps 6,300 − 2,520 = 3,780.
    generous = by_name["Generous"] or ()
    assert [(y.year, y.expenses, y.saving) for y in generous] == [
        (2027, D(3780), cents((D(3780) - floor) * D("0.22"))),
        (2028, D(0), -cents(D(360) * D("0.22"))),
    ]
    # Weighted per year, never floored on the expected value:
    # 2027: 0.5 × 726 + 0.4 × 397.32 + 0.1 × 171.60 = 539.088 → 539.09
    # 2028: 0.4 × −55.44 + 0.1 × −79.20 = −30.096 → −30.10
    tax = result.tax
    assert tax is not None and tax.weighted
    assert [(y.year, y.saving) for y in tax.years] == [(2027, D("539.09")), (2028, D("-30.10"))]
    assert tax.years[0].expenses == D("5450.40")  # 0.5 × 6,300 + 0.4 × 4,806 + 0.1 × 3,780


def test_bundled_im_injection_profile_prices_six_sessions_at_400() -> None:
    clinic = ketacost.load_clinic("im-injection")
    result = ketacost.estimate(clinic, None, start=dt.date(2027, 1, 4), months=12)

    assert clinic.modality == "im-injection"
    assert clinic.source is not None and clinic.source.url
    assert result.total == Decimal(400 * 6)


def test_im_visit_hours_count_injection_observation_and_travel() -> None:
    clinic = ketacost.load_clinic("im-injection")
    costs = PersonalCosts(hourly_wage=Decimal(30))
    result = ketacost.estimate(clinic, None, start=dt.date(2027, 1, 4), personal=costs)

    assert result.personal is not None
    # about 120 min under observation (a clinic's published figure) + 60 min travel = 3 h.
    assert result.personal.hours_per_session == Decimal(120 + 60) / 60
    assert result.personal.total == Decimal(6 * 3 * 30)
