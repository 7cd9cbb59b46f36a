"""Hand-computed golden cases for out-of-network adjudication (docs/adjudication.md, docs/output.md; public worked examples).

Every expected figure is worked out by hand, with the arithmetic written next to
it, in exact ``Decimal`` cents. Sessions fall on ``start + floor(k × 7 / per_week)``
days (docs/clinic-format.md); reimbursements arrive ``paid_after_days`` (default 63) after the
session.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import ketacost
from ketacost import Clinic, Plan, estimate

D = Decimal
START = dt.date(2027, 1, 4)  # a Monday, plan year "01-01" unless a test says otherwise


def make_clinic(
    series: dict,
    *,
    fees: list | None = None,
    maintenance: list | None = None,
    billing: dict | None = None,
    currency: str = "USD",
) -> Clinic:
    return Clinic(
        name="Test clinic",
        currency=currency,
        series=series,
        fees=fees or [],
        maintenance=maintenance or [],
        billing=billing or {"network": "out-of-network", "superbill": True},
    )


def make_plan(
    out_of_network: dict,
    *,
    already_met: dict | None = None,
    claims: dict | None = None,
    scenarios: list | None = None,
    plan_year_starts: str = "01-01",
    name: str = "Test plan",
    currency: str = "USD",
) -> Plan:
    return Plan(
        name=name,
        currency=currency,
        plan_year_starts=plan_year_starts,
        out_of_network=out_of_network,
        already_met=already_met or {},
        claims=claims or {},
        scenarios=scenarios or [],
    )


def westside_series() -> dict:
    """The six-session series of docs/output.md: $750 × 2, then $600 × 4, twice a week."""
    return {
        "sessions": 6,
        "per_week": 2,
        "first_price": 750,
        "first_sessions": 2,
        "later_price": 600,
    }


def only(result: ketacost.Estimate) -> ketacost.ScenarioResult:
    assert len(result.scenarios) == 1
    return result.scenarios[0]


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# --- docs/output.md -------------------------------------------------------------------


def design_section_6_plan() -> Plan:
    return make_plan({"deductible": 2000, "coinsurance": "40%", "allowed": "70%"})


def test_design_section_6_totals():
    result = estimate(make_clinic(westside_series()), design_section_6_plan(), start=START)
    s = only(result)
    assert result.total == D(750 * 2 + 600 * 4)  # 3900
    assert s.paid == D(3900)
    assert s.billed == D(3900)
    # 70% of 750 = 525 (× 2), 70% of 600 = 420 (× 4)
    assert s.allowed == D(525 + 525 + 420 * 4)  # 2730
    # the deductible eats 525 + 525 + 420 + 420 + 110 = 2000
    assert s.deductible == D(2000)
    # session 5: 40% × (420 − 110) = 124; session 6: 40% × 420 = 168
    assert s.coinsurance == D(124 + 168)
    # session 5: 310 − 124 = 186; session 6: 420 − 168 = 252
    assert s.reimbursed == D(186 + 252)  # 438
    assert s.balance_billed == D(3900 - 2730)  # 1170
    assert s.net == D(3900 - 438)  # 3462
    # all six sessions (days 0..17) are paid before the first cheque (day 14 + 63)
    assert s.peak_outlay == D(3900)


def test_design_section_6_per_claim():
    result = estimate(make_clinic(westside_series()), design_section_6_plan(), start=START)
    claims = only(result).claims
    assert [c.charge.date for c in claims] == [START + days(d) for d in (0, 3, 7, 10, 14, 17)]
    assert [c.billed for c in claims] == [D(750), D(750), D(600), D(600), D(600), D(600)]
    assert [c.allowed for c in claims] == [D(525), D(525), D(420), D(420), D(420), D(420)]
    assert [c.deductible for c in claims] == [D(525), D(525), D(420), D(420), D(110), D(0)]
    assert [c.deductible_left for c in claims] == [
        D(2000 - 525),
        D(2000 - 525 * 2),
        D(2000 - 525 * 2 - 420),
        D(2000 - 525 * 2 - 420 * 2),  # 110
        D(0),
        D(0),
    ]
    assert [c.coinsurance for c in claims] == [D(0)] * 4 + [D(124), D(168)]
    assert [c.reimbursed for c in claims] == [D(0)] * 4 + [D(186), D(252)]
    assert [c.balance_billed for c in claims] == [D(225)] * 2 + [D(180)] * 4
    assert all(c.out_of_pocket_left is None for c in claims)  # no cap in this plan
    # no delay stated: 63 days, 45 business days (docs/plan-format.md)
    assert [c.reimbursed_on for c in claims] == [c.charge.date + days(63) for c in claims]
    assert only(result).last_reimbursement == START + days(17 + 63)


def test_design_section_6_cashflow_runs_past_the_horizon():
    # months=1: the horizon is January, but the two cheques arrive in March.
    result = estimate(
        make_clinic(westside_series()), design_section_6_plan(), start=START, months=1
    )
    flow = only(result).cashflow
    assert [m.month for m in flow] == ["2027-01", "2027-02", "2027-03"]
    assert [m.paid for m in flow] == [D(3900), D(0), D(0)]
    # 2027-01-18 + 63 = 2027-03-22 (186), 2027-01-21 + 63 = 2027-03-25 (252)
    assert [m.reimbursed for m in flow] == [D(0), D(0), D(186 + 252)]
    assert [m.cumulative for m in flow] == [D(3900), D(3900), D(3900 - 438)]
    assert only(result).last_reimbursement == dt.date(2027, 3, 25)


def test_design_section_6_json_figures():
    result = estimate(make_clinic(westside_series()), design_section_6_plan(), start=START)
    data = result.to_dict()
    assert data["total"] == "3900.00"
    scenario = data["scenarios"][0]
    assert scenario["billed"] == "3900.00"
    assert scenario["allowed"] == "2730.00"
    assert scenario["reimbursed"] == "438.00"
    assert scenario["balance_billed"] == "1170.00"
    assert scenario["net"] == "3462.00"
    assert scenario["peak_outlay"] == "3900.00"
    assert data["expected_net"] is None  # one scenario without a probability


# --- worked oracles from public explainers (docs/adjudication.md) ---------------------------------------------------------


def test_oracle_billed_250_allowed_200_plan_pays_80_percent():
    clinic = make_clinic({"sessions": 1, "price": 250})
    plan = make_plan({"coinsurance": "20%", "allowed": "80%"})  # 80% of 250 = 200
    s = only(estimate(clinic, plan, start=START))
    (claim,) = s.claims
    assert claim.allowed == D(200)
    assert claim.deductible == D(0)
    assert claim.coinsurance == D("0.20") * 200  # 40
    assert claim.reimbursed == D(200 - 40)  # the plan pays 160
    assert claim.balance_billed == D(250 - 200)  # 50
    assert s.net == D(40 + 50)  # the patient is out 90


def test_oracle_billed_2000_allowed_1000_with_deductible():
    # A public explainer: billed 2,000, allowed 1,000, deductible 500, copay 100, 40% of the rest.
    # This plan states no copay (test_coverage.py checks the oracle with its $100 copay), so the
    # 40% applies to all of the 500 left after the deductible: the rest is checked as is.
    clinic = make_clinic({"sessions": 1, "price": 2000})
    for allowed in ("50%", "$1000"):
        plan = make_plan({"deductible": 500, "coinsurance": "40%", "allowed": allowed})
        s = only(estimate(clinic, plan, start=START))
        (claim,) = s.claims
        assert claim.allowed == D(1000)
        assert claim.deductible == D(500)
        assert claim.coinsurance == D("0.4") * (1000 - 500)  # 200
        assert claim.reimbursed == D(1000 - 500 - 200)  # 300
        assert claim.balance_billed == D(2000 - 1000)  # 1000
        assert s.net == D(2000 - 300)  # 500 + 200 + 1000 balance = 1700


def test_oracle_fee_all_to_deductible():
    # A claimable $220 fee, allowed $150, with $800 of the deductible left
    # (deductible 1000, 200 already met): all 150 goes to the deductible.
    clinic = make_clinic(
        {"sessions": 1, "price": 0},
        fees=[{"name": "Consult", "amount": 220, "per": "once", "claimable": True}],
    )
    plan = make_plan({"deductible": 1000, "allowed": "$150"}, already_met={"deductible": 200})
    s = only(estimate(clinic, plan, start=START))
    fee = [c for c in s.claims if c.charge.item == "fee"]
    assert len(fee) == 1
    (claim,) = fee
    assert claim.billed == D(220)
    assert claim.allowed == D(150)  # min(220, 150)
    assert claim.deductible == D(150)
    assert claim.deductible_left == D(1000 - 200 - 150)  # 650
    assert claim.reimbursed == D(0)
    assert claim.balance_billed == D(220 - 150)
    assert s.paid == D(220)
    assert s.net == D(220)  # the patient pays all of it


# --- deductible and already_met -------------------------------------------------------


def test_deductible_spread_over_several_sessions():
    clinic = make_clinic({"sessions": 5, "per_week": 2, "price": 400})
    plan = make_plan({"deductible": 1000, "coinsurance": "20%", "allowed": "100%"})
    s = only(estimate(clinic, plan, start=START))
    assert [c.deductible for c in s.claims] == [D(400), D(400), D(200), D(0), D(0)]
    assert [c.deductible_left for c in s.claims] == [D(600), D(200), D(0), D(0), D(0)]
    # session 3: 20% × (400 − 200) = 40; later: 20% × 400 = 80
    assert [c.coinsurance for c in s.claims] == [D(0), D(0), D(40), D(80), D(80)]
    assert [c.reimbursed for c in s.claims] == [D(0), D(0), D(200 - 40), D(320), D(320)]
    assert s.reimbursed == D(160 + 320 + 320)
    assert s.net == D(2000 - 800)


def test_already_met_reduces_the_first_plan_year_only():
    # Every 2 weeks from 2027-12-01: Dec 1, Dec 15, Dec 29, then 2028-01-12 (new year).
    clinic = make_clinic({"sessions": 4, "every_weeks": 2, "price": 400})
    plan = make_plan(
        {"deductible": 500, "coinsurance": "0%", "allowed": "100%"},
        already_met={"deductible": 300},
        plan_year_starts="01-01",
    )
    s = only(estimate(clinic, plan, start=dt.date(2027, 12, 1)))
    assert [c.charge.date for c in s.claims] == [
        dt.date(2027, 12, 1),
        dt.date(2027, 12, 15),
        dt.date(2027, 12, 29),
        dt.date(2028, 1, 12),
    ]
    # first year: 500 − 300 = 200 left; the new year starts at the full 500
    assert [c.deductible for c in s.claims] == [D(200), D(0), D(0), D(400)]
    assert [c.deductible_left for c in s.claims] == [D(0), D(0), D(0), D(500 - 400)]
    assert [c.reimbursed for c in s.claims] == [D(400 - 200), D(400), D(400), D(0)]
    assert s.reimbursed == D(200 + 400 + 400)


def test_already_met_more_than_the_deductible_leaves_nothing_to_pay():
    clinic = make_clinic({"sessions": 2, "price": 300})
    plan = make_plan(
        {"deductible": 500, "coinsurance": "10%", "allowed": "100%"},
        already_met={"deductible": 900},
    )
    s = only(estimate(clinic, plan, start=START))
    assert [c.deductible for c in s.claims] == [D(0), D(0)]
    assert [c.reimbursed for c in s.claims] == [D(300 - 30), D(300 - 30)]


# --- out-of-pocket cap ----------------------------------------------------------------


def test_out_of_pocket_cap_binds_mid_series():
    clinic = make_clinic({"sessions": 4, "per_week": 2, "price": 1000})
    plan = make_plan(
        {
            "deductible": 500,
            "coinsurance": "50%",
            "allowed": "100%",
            "out_of_pocket_max": 1500,
        }
    )
    s = only(estimate(clinic, plan, start=START))
    # 1: ded 500 + 50% × 500 = 750 share (cap left 750), reimbursed 250
    # 2: 50% × 1000 = 500 share (cap left 250), reimbursed 500
    # 3: 500 share capped at 250 (cap left 0), reimbursed 1000 − 250 = 750
    # 4: cap met: reimbursed the full allowed 1000
    assert [c.out_of_pocket_left for c in s.claims] == [D(750), D(250), D(0), D(0)]
    assert [c.reimbursed for c in s.claims] == [D(250), D(500), D(750), D(1000)]
    assert s.reimbursed == D(250 + 500 + 750 + 1000)
    assert s.allowed - s.reimbursed == D(1500)  # exactly the cap
    assert s.net == D(4000 - 2500)


def test_balance_billing_never_counts_toward_the_cap():
    # As above, but the clinic charges 2000 and the plan allows 50% = 1000, so each
    # claim also leaves a 1000 balance bill that must not use up the cap.
    clinic = make_clinic({"sessions": 4, "per_week": 2, "price": 2000})
    plan = make_plan(
        {
            "deductible": 500,
            "coinsurance": "50%",
            "allowed": "50%",
            "out_of_pocket_max": 1500,
        }
    )
    s = only(estimate(clinic, plan, start=START))
    assert [c.allowed for c in s.claims] == [D(1000)] * 4
    assert [c.balance_billed for c in s.claims] == [D(1000)] * 4
    assert [c.out_of_pocket_left for c in s.claims] == [D(750), D(250), D(0), D(0)]
    assert [c.reimbursed for c in s.claims] == [D(250), D(500), D(750), D(1000)]
    assert s.balance_billed == D(4000)
    assert s.net == D(8000 - 2500)  # 1500 cap + 4000 balance bills


def test_already_met_out_of_pocket_lowers_the_cap_left():
    clinic = make_clinic({"sessions": 4, "per_week": 2, "price": 1000})
    plan = make_plan(
        {
            "deductible": 500,
            "coinsurance": "50%",
            "allowed": "100%",
            "out_of_pocket_max": 1500,
        },
        already_met={"out_of_pocket": 500},
    )
    s = only(estimate(clinic, plan, start=START))
    # cap left 1500 − 500 = 1000: share 750 (left 250), then 500 capped at 250 (left 0)
    assert [c.out_of_pocket_left for c in s.claims] == [D(250), D(0), D(0), D(0)]
    assert [c.reimbursed for c in s.claims] == [D(250), D(1000 - 250), D(1000), D(1000)]
    assert s.reimbursed == D(250 + 750 + 1000 + 1000)


def test_cap_resets_at_the_plan_year():
    # Weekly from 2027-06-21: Jun 21, Jun 28, then Jul 5, Jul 12 in the new plan year.
    clinic = make_clinic({"sessions": 4, "per_week": 1, "price": 1000})
    plan = make_plan(
        {"coinsurance": "50%", "allowed": "100%", "out_of_pocket_max": 600},
        plan_year_starts="07-01",
    )
    s = only(estimate(clinic, plan, start=dt.date(2027, 6, 21)))
    # each year: share 500 (left 100), then 500 capped at 100 (left 0)
    assert [c.out_of_pocket_left for c in s.claims] == [D(100), D(0), D(100), D(0)]
    assert [c.reimbursed for c in s.claims] == [D(500), D(900), D(500), D(900)]


# --- plan-year reset ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plan_year_starts", "start"),
    [("07-01", dt.date(2027, 6, 21)), ("01-01", dt.date(2027, 12, 20))],
)
def test_series_straddling_the_plan_year_pays_the_deductible_again(plan_year_starts, start):
    # Weekly: two sessions before the plan-year start and two after it.
    clinic = make_clinic({"sessions": 4, "per_week": 1, "price": 600})
    plan = make_plan(
        {"deductible": 1000, "coinsurance": "0%", "allowed": "100%"},
        plan_year_starts=plan_year_starts,
    )
    s = only(estimate(clinic, plan, start=start))
    dates = [c.charge.date for c in s.claims]
    assert dates == [start + days(7 * k) for k in range(4)]
    # year 1: 600 + 400 of the deductible; year 2: the same again
    assert [c.deductible for c in s.claims] == [D(600), D(400), D(600), D(400)]
    assert [c.deductible_left for c in s.claims] == [D(400), D(0), D(400), D(0)]
    assert [c.reimbursed for c in s.claims] == [D(0), D(200), D(0), D(200)]
    assert s.reimbursed == D(200 + 200)


def test_series_inside_one_plan_year_pays_the_deductible_once():
    # Same sessions as the 07-01 case, but with a calendar plan year: no reset.
    clinic = make_clinic({"sessions": 4, "per_week": 1, "price": 600})
    plan = make_plan({"deductible": 1000, "coinsurance": "0%", "allowed": "100%"})
    s = only(estimate(clinic, plan, start=dt.date(2027, 6, 21)))
    assert [c.deductible for c in s.claims] == [D(600), D(400), D(0), D(0)]
    assert s.reimbursed == D(200 + 600 + 600)


def test_plan_year_starting_on_the_start_date_counts_already_met_once():
    # The start day is the plan year's first day: already_met still applies to it.
    clinic = make_clinic({"sessions": 2, "price": 600})
    plan = make_plan(
        {"deductible": 1000, "coinsurance": "0%", "allowed": "100%"},
        already_met={"deductible": 700},
        plan_year_starts="07-01",
    )
    s = only(estimate(clinic, plan, start=dt.date(2027, 7, 1)))
    assert [c.deductible for c in s.claims] == [D(300), D(0)]
    assert [c.reimbursed for c in s.claims] == [D(300), D(600)]


# --- allowed amounts ------------------------------------------------------------------

CODES = [{"code": "96365", "amount": 500}, {"code": "99214", "amount": 250}]
BY_CODE = {"by_code": {"96365": 180, "99214": 120}, "other": "50%"}


def test_allowed_by_code_against_the_superbill_lines():
    clinic = make_clinic(
        {"sessions": 2, "price": 600},
        billing={"network": "out-of-network", "superbill": True, "codes": CODES},
    )
    plan = make_plan({"allowed": BY_CODE})
    s = only(estimate(clinic, plan, start=START))
    for claim in s.claims:
        assert claim.billed == D(500 + 250)  # the code lines, not the 600 cash price
        assert claim.allowed == D(180 + 120)
        assert claim.reimbursed == D(300)  # no deductible, no coinsurance
        assert claim.not_allowed == D(750 - 300)  # the plan's view of the superbill
        # what the patient paid above the allowed amount: 600 − 300, not the 450 refused
        assert claim.balance_billed == min(D(750 - 300), D(600 - 300))
    assert s.paid == D(600 * 2)
    assert s.billed == D(750 * 2)
    assert s.net == D(1200 - 600)


def test_allowed_by_code_uses_other_for_a_code_not_listed():
    codes = [*CODES, {"code": "J3490", "amount": 100}]
    clinic = make_clinic(
        {"sessions": 1, "price": 900},
        billing={"network": "out-of-network", "superbill": True, "codes": codes},
    )
    plan = make_plan({"coinsurance": "10%", "allowed": BY_CODE})
    (claim,) = only(estimate(clinic, plan, start=START)).claims
    assert claim.billed == D(500 + 250 + 100)
    allowed = 180 + 120 + D("0.5") * 100  # J3490 falls to other: 50%
    assert claim.allowed == allowed  # 350
    assert claim.coinsurance == D("0.1") * allowed  # 35
    assert claim.reimbursed == allowed - D(35)  # 315
    assert claim.balance_billed == D(850) - allowed  # 500


def test_allowed_by_code_caps_each_line_at_its_billed_amount():
    # 96365 billed at 100 but allowed up to 180: that line allows only 100.
    codes = [{"code": "96365", "amount": 100}, {"code": "99214", "amount": 250}]
    clinic = make_clinic(
        {"sessions": 1, "price": 900},
        billing={"network": "out-of-network", "superbill": True, "codes": codes},
    )
    (claim,) = only(estimate(clinic, make_plan({"allowed": BY_CODE}), start=START)).claims
    assert claim.billed == D(350)
    assert claim.allowed == D(100 + 120)


def test_reimbursement_never_above_what_was_paid():
    # The superbill asks for 750 but the patient paid 200 cash: the plan allows all
    # of the 750, yet pays back at most the 200 actually paid.
    clinic = make_clinic(
        {"sessions": 2, "price": 200},
        billing={"network": "out-of-network", "superbill": True, "codes": CODES},
    )
    plan = make_plan({"allowed": "100%"})
    s = only(estimate(clinic, plan, start=START))
    for claim in s.claims:
        assert claim.billed == D(750)
        assert claim.allowed == D(750)
        assert claim.reimbursed == D(200)
    assert s.reimbursed == D(400)
    assert s.net == D(0)


def test_allowed_as_a_fixed_amount_per_claim():
    clinic = make_clinic(
        {"sessions": 2, "first_price": 750, "first_sessions": 1, "later_price": 300}
    )
    plan = make_plan({"coinsurance": "25%", "allowed": "$400"})
    s = only(estimate(clinic, plan, start=START))
    # 750 → allowed 400; 300 → allowed min(300, 400) = 300
    assert [c.allowed for c in s.claims] == [D(400), D(300)]
    assert [c.coinsurance for c in s.claims] == [D(100), D(75)]
    assert [c.reimbursed for c in s.claims] == [D(400 - 100), D(300 - 75)]
    assert [c.balance_billed for c in s.claims] == [D(750 - 400), D(0)]
    assert s.net == D(1050 - 525)


@pytest.mark.parametrize("allowed", [Decimal("0.7"), "0.7", Decimal("0.50")])
def test_allowed_bare_number_below_one_is_rejected_with_a_percent_hint(allowed):
    with pytest.raises(ValueError, match="%"):
        make_plan({"allowed": allowed})


def test_allowed_refuses_floats():
    with pytest.raises(ValueError):
        make_plan({"allowed": 0.7})


# --- rounding -------------------------------------------------------------------------


def test_coinsurance_rounds_half_up_per_claim():
    clinic = make_clinic({"sessions": 2, "price": "100.10"})
    plan = make_plan({"coinsurance": "25%", "allowed": "100%"})
    s = only(estimate(clinic, plan, start=START))
    # 25% × 100.10 = 25.025 → 25.03 half-up (half-even would give 25.02)
    assert [c.coinsurance for c in s.claims] == [D("25.03"), D("25.03")]
    assert [c.reimbursed for c in s.claims] == [D("75.07"), D("75.07")]
    # rounded per claim, not on the total (50.05)
    assert s.coinsurance == D("50.06")
    assert s.reimbursed == D("150.14")


@pytest.mark.parametrize(
    ("price", "coinsurance"),
    [
        ("100.01", D("33.00")),  # 33% × 100.01 = 33.0033 → 33.00
        ("100.50", D("33.17")),  # 33% × 100.50 = 33.165 → 33.17 (half-even: 33.16)
        ("0.01", D("0.00")),  # 33% × 0.01 = 0.0033 → 0.00
    ],
)
def test_coinsurance_33_percent(price, coinsurance):
    clinic = make_clinic({"sessions": 1, "price": price})
    plan = make_plan({"coinsurance": "33%", "allowed": "100%"})
    (claim,) = only(estimate(clinic, plan, start=START)).claims
    assert claim.coinsurance == coinsurance
    assert claim.reimbursed == D(price) - coinsurance


def test_allowed_percentage_rounds_to_cents():
    clinic = make_clinic({"sessions": 1, "price": "100.05"})
    plan = make_plan({"allowed": "70%"})
    (claim,) = only(estimate(clinic, plan, start=START)).claims
    # 70% × 100.05 = 70.035 → 70.04
    assert claim.allowed == D("70.04")
    assert claim.balance_billed == D("100.05") - D("70.04")


# --- scenarios ------------------------------------------------------------------------


def acme_like_plan(**overrides) -> Plan:
    scenarios = overrides.pop(
        "scenarios",
        [
            {"name": "Denied", "covered": False, "probability": "0.5"},
            {"name": "As written", "probability": "0.4"},
            {"name": "Generous", "allowed": "100%", "probability": "0.1"},
        ],
    )
    return make_plan(
        {"deductible": 2000, "coinsurance": "40%", "out_of_pocket_max": 8000, "allowed": "70%"},
        already_met={"deductible": 500, "out_of_pocket": 500},
        scenarios=scenarios,
        name="Acme-like PPO",
    )


def test_denied_scenario_reimburses_nothing():
    result = estimate(make_clinic(westside_series()), acme_like_plan(), start=START)
    denied = result.scenarios[0]
    assert denied.name == "Denied"
    assert denied.reimbursed == D(0)
    assert all(c.reimbursed == 0 for c in denied.claims)
    assert denied.net == D(3900)
    assert denied.last_reimbursement is None
    assert [m.reimbursed for m in denied.cashflow] == [D(0)] * len(denied.cashflow)


def test_denied_scenario_totals_bill_everything_and_allow_nothing_in_cents():
    denied = estimate(make_clinic(westside_series()), acme_like_plan(), start=START).scenarios[0]
    # Totals are kept in cents (they start at 0.00), so even the zero ones have two places.
    assert str(denied.billed) == "3900.00"  # 750 * 2 + 600 * 4
    assert str(denied.not_allowed) == "3900.00"  # all of it, in the plan's view
    zero_totals = [
        denied.allowed,
        denied.deductible,
        denied.copay,
        denied.coinsurance,
        denied.plan_part,
        denied.plan_paid,
        denied.balance_billed,
        denied.reimbursed,
    ]
    assert [str(total) for total in zero_totals] == ["0.00"] * 8


def test_plan_level_covered_false_reimburses_nothing():
    plan = Plan(
        name="Excludes ketamine",
        covered=False,
        out_of_network={"deductible": 0, "coinsurance": "0%", "allowed": "100%"},
    )
    s = only(estimate(make_clinic(westside_series()), plan, start=START))
    assert s.reimbursed == D(0)
    assert s.net == D(3900)


def test_scenarios_with_overrides_and_expected_net():
    result = estimate(make_clinic(westside_series()), acme_like_plan(), start=START)
    denied, written, generous = result.scenarios
    assert [s.name for s in result.scenarios] == ["Denied", "As written", "Generous"]
    assert [s.probability for s in result.scenarios] == [D("0.5"), D("0.4"), D("0.1")]

    # As written: deductible left 2000 − 500 = 1500 over 525, 525, 420, then 30 of the
    # 4th: 40% × 390 = 156 → 234 back; sessions 5, 6: 420 − 168 = 252 back each.
    assert [c.reimbursed for c in written.claims] == [D(0)] * 3 + [D(234), D(252), D(252)]
    assert written.reimbursed == D(234 + 252 + 252)  # 738
    assert written.net == D(3900 - 738)  # 3162
    # shares 525 + 525 + 420 + 186 + 168 + 168 = 1992, well under the 7500 cap left
    assert written.claims[-1].out_of_pocket_left == D(8000 - 500 - 1992)

    # Generous: allowed 100%: 750 + 750 use the 1500 left; each 600 then pays 600 − 240.
    assert [c.allowed for c in generous.claims] == [D(750)] * 2 + [D(600)] * 4
    assert generous.reimbursed == D(360 * 4)  # 1440
    assert generous.net == D(3900 - 1440)  # 2460
    assert generous.balance_billed == D(0)

    assert denied.net == D(3900)
    # 0.5 × 3900 + 0.4 × 3162 + 0.1 × 2460 = 1950 + 1264.80 + 246 = 3460.80
    assert result.expected_net == D("3460.80")
    assert result.expected_net == (
        D("0.5") * denied.net + D("0.4") * written.net + D("0.1") * generous.net
    )


def test_scenario_overrides_deductible_coinsurance_and_cap():
    plan = make_plan(
        {"deductible": 2000, "coinsurance": "40%", "allowed": "70%"},
        scenarios=[
            {"name": "Plan", "probability": "0.75"},
            {
                "name": "Rich",
                "deductible": 0,
                "coinsurance": "10%",
                "out_of_pocket_max": 100,
                "probability": "0.25",
            },
        ],
    )
    result = estimate(make_clinic(westside_series()), plan, start=START)
    base, rich = result.scenarios
    assert base.reimbursed == D(438)
    # Rich: 10% of 525 = 52.50 (cap left 47.50); 10% of 525 = 52.50 capped at 47.50
    # (cap left 0); then every claim pays its full allowed amount.
    assert [c.reimbursed for c in rich.claims] == [
        D("472.50"),
        D("477.50"),
        D(420),
        D(420),
        D(420),
        D(420),
    ]
    assert rich.reimbursed == D(2730 - 100)
    # 0.75 × 3462 + 0.25 × (3900 − 2630) = 2596.50 + 317.50
    assert result.expected_net == D("2596.50") + D("317.50")


def test_expected_net_rounds_half_up_to_cents():
    # nets 3900 (Denied) and 3462 (As written): 1/3 would not sum exactly, so use
    # 0.333 + 0.667: 0.333 × 3900 + 0.667 × 3462 = 1298.70 + 2309.154 = 3607.854 → 3607.85
    plan = make_plan(
        {"deductible": 2000, "coinsurance": "40%", "allowed": "70%"},
        scenarios=[
            {"name": "Denied", "covered": False, "probability": "0.333"},
            {"name": "As written", "probability": "0.667"},
        ],
    )
    result = estimate(make_clinic(westside_series()), plan, start=START)
    assert [s.net for s in result.scenarios] == [D(3900), D(3462)]
    assert result.expected_net == D("3607.85")


def test_probabilities_must_sum_to_one():
    with pytest.raises(ValueError, match="1"):
        make_plan(
            {"allowed": "70%"},
            scenarios=[
                {"name": "Denied", "covered": False, "probability": "0.5"},
                {"name": "As written", "probability": "0.4"},
            ],
        )


def test_probabilities_given_for_some_scenarios_only_is_an_error():
    with pytest.raises(ValueError):
        make_plan(
            {"allowed": "70%"},
            scenarios=[
                {"name": "Denied", "covered": False, "probability": "1"},
                {"name": "As written"},
            ],
        )


def test_plan_without_scenarios_has_one_named_after_the_plan():
    plan = make_plan({"deductible": 2000, "coinsurance": "40%", "allowed": "70%"}, name="My PPO")
    result = estimate(make_clinic(westside_series()), plan, start=START)
    s = only(result)
    assert s.name == "My PPO"
    assert s.probability is None
    assert s.reimbursed == D(438)
    assert result.expected_net is None


def test_no_plan_gives_one_self_pay_scenario():
    result = estimate(make_clinic(westside_series()), None, start=START)
    s = only(result)
    assert s.name == "Self-pay"
    assert s.claims == ()
    assert s.reimbursed == D(0)
    assert s.paid == D(3900)
    assert s.net == D(3900)
    assert s.peak_outlay == D(3900)
    assert result.expected_net is None


# --- what is claimed ------------------------------------------------------------------


def test_non_claimable_charges_are_paid_but_never_claimed():
    clinic = make_clinic(
        {"sessions": 2, "per_week": 2, "price": 500},
        fees=[
            {"name": "Intake", "amount": 300, "per": "once"},  # claimable: false by default
            {"name": "Monitoring", "amount": 50, "per": "session", "claimable": False},
        ],
        maintenance=[{"kind": "lozenge", "fill_price": 120, "every_weeks": 4, "count": 2}],
    )
    plan = make_plan({"coinsurance": "20%", "allowed": "100%"})
    result = estimate(clinic, plan, start=START, months=3)
    s = only(result)
    # sessions 500 × 2, intake 300, monitoring 50 × 2, lozenge fills 120 × 2
    assert result.total == D(500 * 2 + 300 + 50 * 2 + 120 * 2)
    assert s.paid == result.total
    assert [c.charge.item for c in s.claims] == ["series", "series"]
    assert s.billed == D(1000)
    assert s.reimbursed == D(400 * 2)  # 500 − 20% × 500 per session
    assert s.net == result.total - D(800)


def test_claimable_lozenge_fill_is_claimed():
    clinic = make_clinic(
        {"sessions": 1, "price": 500},
        maintenance=[
            {"kind": "lozenge", "fill_price": 120, "every_weeks": 4, "count": 1, "claimable": True}
        ],
    )
    plan = make_plan({"allowed": "50%"})
    s = only(estimate(clinic, plan, start=START))
    assert [c.charge.item for c in s.claims] == ["series", "lozenge"]
    assert s.reimbursed == D(250 + 60)


@pytest.mark.parametrize(
    "billing",
    [
        {"network": "self-pay-only"},
        {"network": "self-pay-only", "superbill": True},
        {"network": "out-of-network", "superbill": False},
    ],
)
def test_clinics_that_file_no_claims(billing):
    clinic = make_clinic(
        {"sessions": 3, "price": 500},
        fees=[{"name": "Consult", "amount": 200, "claimable": True}],
        billing=billing,
    )
    plan = make_plan({"allowed": "100%"})
    s = only(estimate(clinic, plan, start=START))
    assert s.claims == ()
    assert s.reimbursed == D(0)
    assert s.net == D(500 * 3 + 200)


# --- reimbursement dates and cash flow ------------------------------------------------


def test_paid_after_days_moves_the_reimbursement_dates():
    clinic = make_clinic({"sessions": 3, "per_week": 2, "price": 500})
    plan = make_plan({"coinsurance": "20%", "allowed": "100%"}, claims={"paid_after_days": 30})
    s = only(estimate(clinic, plan, start=START))
    assert [c.charge.date for c in s.claims] == [START, START + days(3), START + days(7)]
    assert [c.reimbursed_on for c in s.claims] == [
        START + days(30),
        START + days(3 + 30),
        START + days(7 + 30),
    ]
    assert s.last_reimbursement == START + days(37)


def test_scenario_paid_after_days_overrides_the_plan():
    clinic = make_clinic({"sessions": 1, "price": 500})
    plan = make_plan(
        {"allowed": "100%"},
        claims={"paid_after_days": 30},
        scenarios=[{"name": "Slow", "paid_after_days": 90}],
    )
    (claim,) = only(estimate(clinic, plan, start=START)).claims
    assert claim.reimbursed_on == START + days(90)


def test_cashflow_months_for_a_small_case():
    # Jan 1 and Jan 15 at 1000 each; 80% back 45 days later: Feb 15 and Mar 1.
    clinic = make_clinic({"sessions": 2, "every_weeks": 2, "price": 500})
    plan = make_plan({"coinsurance": "20%", "allowed": "100%"}, claims={"paid_after_days": 45})
    s = only(estimate(clinic, plan, start=dt.date(2027, 1, 1), months=2))
    assert [c.reimbursed_on for c in s.claims] == [dt.date(2027, 2, 15), dt.date(2027, 3, 1)]
    assert [m.month for m in s.cashflow] == ["2027-01", "2027-02", "2027-03"]
    assert [m.paid for m in s.cashflow] == [D(500 + 500), D(0), D(0)]
    assert [m.reimbursed for m in s.cashflow] == [D(0), D(400), D(400)]
    assert [m.cumulative for m in s.cashflow] == [D(1000), D(1000 - 400), D(1000 - 800)]
    assert s.peak_outlay == D(1000)
    assert s.last_reimbursement == dt.date(2027, 3, 1)


def test_an_unstated_delay_is_the_slow_end_and_asks_more_cash_up_front():
    # Five $1,000 sessions two weeks apart (days 0, 14, 28, 42, 56), 80% back.
    clinic = make_clinic({"sessions": 5, "every_weeks": 2, "price": 1000})
    stated = make_plan({"coinsurance": "20%", "allowed": "100%"}, claims={"paid_after_days": 45})
    unstated = make_plan({"coinsurance": "20%", "allowed": "100%"})
    fast = only(estimate(clinic, stated, start=START))
    slow = only(estimate(clinic, unstated, start=START))
    # 45 days: the first $800 is back on day 45, before the $1,000 of day 56:
    # the most out at once is 1000 * 4 (day 42) - 800 + 1000 (day 56) = 4,200.
    assert fast.peak_outlay == D(1000 * 4 - 800 + 1000)
    # 63 days (45 business days): every session is paid before the first cheque.
    assert [c.reimbursed_on for c in slow.claims] == [
        START + days(d + 63) for d in (0, 14, 28, 42, 56)
    ]
    assert slow.peak_outlay == D(1000 * 5)
    assert slow.net == fast.net == D(1000 * 5 - 800 * 5)  # the same money, later


def test_cashflow_covers_the_whole_horizon_even_without_events():
    clinic = make_clinic({"sessions": 1, "price": 500})
    s = only(estimate(clinic, None, start=dt.date(2027, 1, 1), months=3))
    assert [m.month for m in s.cashflow] == ["2027-01", "2027-02", "2027-03"]
    assert [m.cumulative for m in s.cashflow] == [D(500)] * 3


def test_peak_outlay_counts_reimbursements_that_arrive_between_payments():
    # Every 4 weeks at 500, 400 back 10 days after each: out 500, 100, 600, 200, 700, 300.
    clinic = make_clinic({"sessions": 3, "every_weeks": 4, "price": 500})
    plan = make_plan({"coinsurance": "20%", "allowed": "100%"}, claims={"paid_after_days": 10})
    s = only(estimate(clinic, plan, start=START))
    assert s.peak_outlay == D(500 + 100 + 100)  # 700
    assert s.net == D(1500 - 1200)


# --- currency -------------------------------------------------------------------------


def test_currency_mismatch_is_an_input_error():
    clinic = make_clinic({"sessions": 1, "price": 500}, currency="EUR")
    plan = make_plan({"allowed": "100%"}, currency="USD")
    with pytest.raises(ketacost.InputError):
        estimate(clinic, plan, start=START)


def test_same_non_usd_currency_is_fine():
    clinic = make_clinic({"sessions": 1, "price": 500}, currency="EUR")
    plan = make_plan({"allowed": "100%", "coinsurance": "10%"}, currency="EUR")
    s = only(estimate(clinic, plan, start=START))
    assert s.reimbursed == D(450)
