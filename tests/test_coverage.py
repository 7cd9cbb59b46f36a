"""Every coverage path, worked by hand (docs/adjudication.md): in network, copays, the out-of-pocket
cap, shared and separate accumulators, Medicare, prior authorization, the savings programme.

Every expected figure is computed in the test text from the prices and terms, in exact
Decimal cents; none is read back from the code under test.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

import ketacost
from ketacost import Clinic, Plan, estimate
from ketacost.engine.savings import SavingsTerms
from ketacost.errors import InputError

D = Decimal
START = dt.date(2027, 1, 4)  # a Monday; every case below stays inside calendar 2027
PLANS = Path(__file__).resolve().parent.parent / "examples" / "plans"


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def clinic(series: dict, network: str = "out-of-network", **extra: object) -> Clinic:
    return Clinic(
        name="Test clinic",
        series=series,
        billing={"network": network, "superbill": True},
        **extra,
    )


def plan(**data: object) -> Plan:
    return Plan(name="Test plan", **data)


def only(result: ketacost.Estimate) -> ketacost.ScenarioResult:
    (scenario,) = result.scenarios
    return scenario


def assert_adds_up(scenario: ketacost.ScenarioResult) -> None:
    """allowed = deductible + copay + coinsurance + plan's part, per claim and in total."""
    for claim in scenario.claims:
        assert claim.allowed == claim.deductible + claim.copay + claim.coinsurance + claim.plan_part
    assert scenario.allowed == (
        scenario.deductible + scenario.copay + scenario.coinsurance + scenario.plan_part
    )


# --- public worked oracle 2: billed $2,000, allowed $1,000, deductible $500, copay $100, 40% ---

ORACLE_TERMS = {"deductible": 500, "copay": 100, "coinsurance": "40%", "allowed": "$1000"}


def test_oracle_2_out_of_network():
    s = only(estimate(clinic({"sessions": 1, "price": 2000}), plan(out_of_network=ORACLE_TERMS)))
    (claim,) = s.claims
    assert claim.allowed == D(1000)
    assert claim.deductible == D(500)
    assert claim.copay == D(100)
    assert claim.coinsurance == D("0.40") * (1000 - 500 - 100)  # 160
    assert claim.share == D(500 + 100 + 160)  # 760
    assert claim.plan_part == D(1000 - 760)  # 240
    assert claim.reimbursed == D(240)  # paid back to the patient
    assert claim.not_allowed == D(2000 - 1000)
    assert claim.balance_billed == D(1000)  # min(2000 − 1000, 2000 − 1000)
    assert s.net == D(760 + 1000)  # the patient's $760 plus the $1,000 not allowed
    assert_adds_up(s)


def test_oracle_2_in_network_the_clinic_writes_off_what_is_not_allowed():
    s = only(
        estimate(
            clinic({"sessions": 1, "price": 2000}, "in-network"),
            plan(in_network=ORACLE_TERMS),
            start=START,
        )
    )
    (claim,) = s.claims
    assert claim.paid == D(500 + 100 + 160)  # only the share, on the session date
    assert claim.plan_paid == D(1000 - 760)  # to the clinic
    assert claim.reimbursed == 0
    assert claim.balance_billed == 0
    assert claim.not_allowed == D(1000)  # written off by the clinic, never owed
    assert s.paid == s.net == s.peak_outlay == D(760)
    assert s.cashflow[0].paid == D(760)
    assert s.last_reimbursement is None
    assert_adds_up(s)


# --- Medicare Part B on the bundled 21-session 56 mg schedule ---------------------------

G2082 = D("952.59")  # pricing/esketamine-medicare-56mg.yaml, 2026 rate


def test_medicare_part_b_on_the_56mg_schedule():
    esketamine = ketacost.load_clinic("esketamine-medicare-56mg")
    part_b = ketacost.load_plan(PLANS / "medicare-part-b.yaml")
    result = estimate(esketamine, part_b, start=START, months=6)
    s = only(result)
    assert result.sessions == 21  # 8 twice weekly + 4 weekly + 9 every two weeks
    billed = 21 * G2082
    assert result.total == billed == D("20004.39")
    # session 1: $283 deductible, then 20% of the rest: 0.2 × 669.59 = 133.918 → 133.92
    first = D(283) + cents(D("0.2") * (G2082 - 283))
    assert first == D("416.92")
    # sessions 2–21: 20% × 952.59 = 190.518 → 190.52 each
    later = cents(D("0.2") * G2082)
    assert later == D("190.52")
    share = first + 20 * later
    assert share == D("4227.32")
    assert s.net == share
    assert s.paid == share
    assert s.peak_outlay == share  # the patient never fronts Medicare's part
    assert s.plan_paid == billed - share == D("15777.07")
    assert s.reimbursed == 0
    assert s.balance_billed == 0
    assert s.deductible == D(283)
    assert_adds_up(s)
    data = result.to_dict()
    assert data["scenarios"][0]["plan_paid"] == "15777.07"
    assert data["scenarios"][0]["not_allowed"] == "0.00"
    (terms,) = data["terms"]
    assert terms["coverage"] == "medicare"
    assert terms["network"] == "in-network"
    assert (terms["deductible"], terms["coinsurance"]) == ("283.00", "20%")
    assert terms["out_of_pocket_max"] is None


def test_medigap_g_leaves_only_the_part_b_deductible():
    esketamine = ketacost.load_clinic("esketamine-medicare-56mg")
    medigap = ketacost.load_plan(PLANS / "medicare-with-medigap-g.yaml")
    s = only(estimate(esketamine, medigap, start=START, months=6))
    assert s.net == D(283)
    assert s.plan_paid == 21 * G2082 - 283


def test_medicare_advantage_cap_binds():
    # 20% of 952.59 is 190.52 a session; 21 sessions would be 4,001.04 (below a 9,000 cap),
    # so a $2,000 cap shows it binding: 10 × 190.52 = 1,905.20, then 94.80 of the 11th.
    esketamine = ketacost.load_clinic("esketamine-medicare-56mg")
    advantage = ketacost.load_plan(PLANS / "medicare-advantage.yaml")
    assert only(estimate(esketamine, advantage, start=START, months=6)).net == 21 * D("190.52")
    capped = advantage.model_copy(
        update={"in_network": advantage.in_network.model_copy(update={"out_of_pocket_max": 2000})}
    )
    s = only(estimate(esketamine, capped, start=START, months=6))
    assert [c.coinsurance for c in s.claims][:12] == [D("190.52")] * 10 + [
        D(2000) - 10 * D("190.52"),
        D(0),
    ]
    assert s.net == D(2000)
    assert_adds_up(s)


def test_medicare_with_an_opted_out_clinic_claims_nothing_and_says_so():
    cash = ketacost.load_clinic("esketamine-cash")  # out of network: opted out of Medicare
    part_b = ketacost.load_plan(PLANS / "medicare-part-b.yaml")  # has no out_of_network block
    result = estimate(cash, part_b, start=START, months=6)
    s = only(result)
    assert s.claims == ()
    assert s.net == s.paid == 21 * D(1050)
    (terms,) = result.to_dict()["terms"]
    assert terms["claimable"] is False
    assert "opted out" in terms["note"]


def test_medicare_refuses_another_plan_year_and_a_cap():
    with pytest.raises(ValueError, match="calendar year"):
        plan(coverage="medicare", plan_year_starts="07-01", in_network={})
    with pytest.raises(ValueError, match="calendar year"):
        plan(coverage="medicare-advantage", plan_year_starts="10-01", in_network={})
    with pytest.raises(ValueError, match="no out-of-pocket cap"):
        plan(coverage="medicare", in_network={"out_of_pocket_max": 5000})
    with pytest.raises(ValueError, match="no out-of-pocket cap"):
        plan(coverage="medicare", in_network={}, scenarios=[{"name": "x", "out_of_pocket_max": 1}])
    plan(coverage="medicare-advantage", in_network={"out_of_pocket_max": 9000})  # allowed


# --- in network, with a copay, up to the cap --------------------------------------------


def test_in_network_copay_reaches_the_cap():
    # Six sessions at $500; allowed 80% = $400; deductible 1,000, copay 50, 20%, cap 1,150.
    s = only(
        estimate(
            clinic({"sessions": 6, "per_week": 2, "price": 500}, "in-network"),
            plan(
                in_network={
                    "deductible": 1000,
                    "copay": 50,
                    "coinsurance": "20%",
                    "out_of_pocket_max": 1150,
                    "allowed": "80%",
                }
            ),
            start=START,
        )
    )
    # 1: 400 to the deductible (cap left 750). 2: 400 more (cap left 350).
    # 3: the last 200 of the deductible, copay 50, 20% × (400 − 200 − 50) = 30 → 280 (70 left).
    # 4: copay 50, then 20% × 350 = 70 but only 20 of the cap is left → 70 (0 left).
    # 5, 6: the cap is met: the patient bears nothing; the plan pays all 400.
    assert [c.deductible for c in s.claims] == [D(400), D(400), D(200), D(0), D(0), D(0)]
    assert [c.copay for c in s.claims] == [D(0), D(0), D(50), D(50), D(0), D(0)]
    assert [c.coinsurance for c in s.claims] == [D(0), D(0), D(30), D(20), D(0), D(0)]
    assert [c.paid for c in s.claims] == [D(400), D(400), D(280), D(70), D(0), D(0)]
    assert [c.out_of_pocket_left for c in s.claims] == [D(750), D(350), D(70), D(0), D(0), D(0)]
    assert s.net == s.paid == D(1150)  # exactly the cap
    assert s.plan_paid == 6 * D(400) - D(1150)
    assert s.not_allowed == 6 * D(500 - 400)  # written off by the clinic
    assert s.balance_billed == 0
    assert_adds_up(s)


def test_copay_never_takes_more_than_is_left_of_the_allowed_amount():
    # Allowed $30 against a $50 copay: the copay is $30, nothing else.
    s = only(
        estimate(
            clinic({"sessions": 1, "price": 30}, "in-network"),
            plan(in_network={"copay": 50, "coinsurance": "20%"}),
            start=START,
        )
    )
    (claim,) = s.claims
    assert (claim.copay, claim.coinsurance, claim.plan_part) == (D(30), D(0), D(0))


# --- accumulators: flat, per network, shared or separate --------------------------------

TWO_NETWORKS = {
    "in_network": {"deductible": 1000, "allowed": "100%"},
    "out_of_network": {"deductible": 2000, "allowed": "100%"},
    "already_met": {
        "in_network": {"deductible": 600},
        "out_of_network": {"deductible": 300},
    },
}


@pytest.mark.parametrize(
    ("accumulators", "met"),
    [("separate", 300), ("shared", 300 + 600)],  # shared: both networks count
)
def test_shared_and_separate_accumulators(accumulators, met):
    # Out of network, two $1,000 sessions, no coinsurance: the deductible left is 2,000 − met.
    left = 2000 - met
    s = only(
        estimate(
            clinic({"sessions": 2, "price": 1000}),
            plan(accumulators=accumulators, **TWO_NETWORKS),
            start=START,
        )
    )
    assert [c.deductible for c in s.claims] == [D(min(1000, left)), D(max(0, left - 1000))]
    assert s.reimbursed == D(2000 - left)  # separate: 300 back; shared: 900 back


def test_shared_accumulators_in_network():
    # In network: separate counts the 600 met in network (400 left of 1,000);
    # shared adds the 300 met out of network (100 left).
    for accumulators, left in (("separate", 1000 - 600), ("shared", 1000 - 600 - 300)):
        s = only(
            estimate(
                clinic({"sessions": 1, "price": 1000}, "in-network"),
                plan(accumulators=accumulators, **TWO_NETWORKS),
                start=START,
            )
        )
        assert s.deductible == D(left)
        assert s.plan_paid == D(1000 - left)


def test_shared_caps_count_each_networks_deductible_met_as_spent():
    # Shared accumulators: in network $500 met toward the deductible (which has filled that
    # network's cap as much), out of network $300 spent. The shared cap has 500 + 300 = 800
    # filled, so a $3,000 cap leaves 2,200, not 3,000 − max(500, 300) = 2,500. Out of
    # network, no deductible, 50% coinsurance, one $6,000 session: the share is capped at
    # 2,200, and 6,000 − 2,200 = 3,800 comes back.
    s = only(
        estimate(
            clinic({"sessions": 1, "price": 6000}),
            plan(
                accumulators="shared",
                in_network={"deductible": 500, "coinsurance": "50%"},
                out_of_network={
                    "coinsurance": "50%",
                    "allowed": "100%",
                    "out_of_pocket_max": 3000,
                },
                already_met={
                    "in_network": {"deductible": 500},
                    "out_of_network": {"out_of_pocket": 300},
                },
            ),
            start=START,
        )
    )
    assert s.coinsurance == D(3000) - D(500 + 300) == D(2200)
    assert s.reimbursed == D(6000) - D(2200) == D(3800)


def test_flat_already_met_counts_toward_the_clinics_network():
    for network, block in (("in-network", "in_network"), ("out-of-network", "out_of_network")):
        s = only(
            estimate(
                clinic({"sessions": 1, "price": 1000}, network),
                plan(
                    **{block: {"deductible": 1000, "allowed": "100%"}},
                    already_met={"deductible": 700},
                ),
                start=START,
            )
        )
        assert s.deductible == D(1000 - 700)


def test_already_met_forms_cannot_be_mixed():
    with pytest.raises(ValueError, match="mixes the flat form"):
        plan(already_met={"deductible": 100, "in_network": {"deductible": 50}})


# --- prior authorization -----------------------------------------------------------------


def test_prior_authorization_denied_scenario():
    # examples/plans/spravato-prior-auth.yaml: in network, deductible 1,500, copay 30,
    # 20%, cap 7,000, allowed 85%. Four sessions at $1,000 (allowed 850):
    # 1: 850 to the deductible. 2: 650 more, copay 30, 20% × (850 − 650 − 30) = 34 → 714.
    # 3, 4: copay 30, 20% × 820 = 164 → 194 each.
    authorized = ketacost.load_plan(PLANS / "spravato-prior-auth.yaml")
    result = estimate(
        clinic({"sessions": 4, "per_week": 1, "price": 1000}, "in-network"),
        authorized,
        start=START,
    )
    approved, denied = result.scenarios
    assert (approved.name, denied.name) == (
        "Prior authorization approved",
        "Prior authorization denied",
    )
    assert [c.paid for c in approved.claims] == [D(850), D(714), D(194), D(194)]
    assert approved.net == D(850 + 714 + 194 + 194)
    assert approved.plan_paid == 4 * D(850) - approved.net
    assert_adds_up(approved)
    # denied: the patient pays the clinic's price; the plan pays nothing
    assert denied.net == denied.paid == 4 * D(1000)
    assert denied.plan_paid == 0
    assert denied.allowed == 0
    assert all(not c.covered for c in denied.claims)
    assert result.expected_net is None  # no probabilities are published for approval


# --- a plan without the clinic's network ------------------------------------------------


def test_missing_network_terms_is_an_error_except_when_denied():
    out_only = plan(out_of_network={"deductible": 100})
    in_clinic = clinic({"sessions": 1, "price": 500}, "in-network")
    with pytest.raises(InputError, match="no in_network terms"):
        estimate(in_clinic, out_only, start=START)
    denied = plan(covered=False)
    assert only(estimate(in_clinic, denied, start=START)).net == D(500)


# --- the savings programme ---------------------------------------------------------------


def esketamine_split(network: str = "out-of-network") -> Clinic:
    # $600 of drug (2 devices × $300) + $300 observation = $900 a session, 4 sessions.
    return clinic(
        {"sessions": 4, "per_week": 2, "device_price": 300, "devices": 2, "session_fee": 300},
        network,
        modality="esketamine",
    )


def test_savings_programme_pays_the_drug_share_only():
    # Deductible far from met: the patient bears all $900 of each claim. The drug is
    # 600 / 900 of it = $600; the programme pays 600 − the $10 floor = $590 a session.
    commercial = plan(out_of_network={"deductible": 100_000, "allowed": "100%"})
    s = only(estimate(esketamine_split(), commercial, start=START, savings=SavingsTerms()))
    assert s.savings_program == 4 * (D(600) - 10)
    assert s.net == 4 * D(900) - 4 * D(590)  # the observation visit stays the patient's


def test_savings_programme_splits_the_share_in_proportion_to_the_prices():
    # In network, allowed 100%, 20% coinsurance: share 180 a session; drug part
    # 180 × 600 / 900 = 120; the programme pays 120 − 10 = 110.
    commercial = plan(in_network={"coinsurance": "20%", "allowed": "100%"})
    s = only(
        estimate(esketamine_split("in-network"), commercial, start=START, savings=SavingsTerms())
    )
    assert s.savings_program == 4 * (D(180) * 600 / 900 - 10)
    assert s.net == 4 * D(180) - 4 * D(110)


def test_savings_programme_pays_nothing_on_a_denied_claim():
    commercial = plan(
        out_of_network={"allowed": "100%"},
        scenarios=[{"name": "Paid"}, {"name": "Denied", "covered": False}],
    )
    paid, denied = estimate(
        esketamine_split(), commercial, start=START, savings=SavingsTerms()
    ).scenarios
    assert denied.savings_program == 0
    assert denied.net == 4 * D(900)
    assert paid.savings_program == 0  # allowed 100%, no share: nothing left to pay


@pytest.mark.parametrize("coverage", ["medicare", "medicare-advantage", "medicaid", "tricare"])
def test_savings_programme_is_for_commercial_insurance_only(coverage):
    # an empty block states no terms: each gets one (an empty one is refused first)
    other = plan(
        coverage=coverage, in_network={"coinsurance": "20%"}, out_of_network={"coinsurance": "40%"}
    )
    with pytest.raises(InputError, match="commercial insurance only"):
        estimate(esketamine_split(), other, start=START, savings=SavingsTerms())
    with pytest.raises(InputError, match="needs commercial insurance"):
        estimate(esketamine_split(), None, start=START, savings=SavingsTerms())


def test_savings_programme_needs_esketamine():
    iv = clinic({"sessions": 2, "price": 500})
    with pytest.raises(InputError, match="no esketamine"):
        estimate(
            iv, plan(out_of_network={"coinsurance": "40%"}), start=START, savings=SavingsTerms()
        )
    boosted = clinic(
        {"sessions": 2, "price": 500},
        maintenance=[{"kind": "booster", "price": 500, "every_weeks": 4, "count": 2}],
    )
    with pytest.raises(InputError, match="no esketamine"):
        estimate(
            boosted,
            plan(out_of_network={"coinsurance": "40%"}),
            start=START,
            savings=SavingsTerms(),
        )


def test_savings_programme_pays_esketamine_maintenance_after_an_iv_series():
    # Two $500 IV sessions, then two esketamine sessions of $600 drug (2 × $300) + $300
    # observation. Deductible far from met: the patient bears everything; the programme
    # pays 600 − the $10 floor = $590 on each esketamine session and nothing on the IV.
    mixed = clinic(
        {"sessions": 2, "price": 500},
        maintenance=[
            {
                "kind": "esketamine",
                "device_price": 300,
                "devices": 2,
                "session_fee": 300,
                "per_week": 1,
                "count": 2,
            }
        ],
    )
    commercial = plan(out_of_network={"deductible": 100_000, "allowed": "100%"})
    s = only(estimate(mixed, commercial, start=START, savings=SavingsTerms()))
    assert s.paid == 2 * D(500) + 2 * (2 * D(300) + D(300))  # 2,800
    assert s.savings_program == 2 * (2 * D(300) - D(10)) == D(1180)
    assert s.net == D(2800) - D(1180)


# --- allowed needs its sign ----------------------------------------------------------------


@pytest.mark.parametrize("bare", [70, "70", D(400)])
def test_bare_allowed_number_is_refused_naming_both_spellings(bare):
    with pytest.raises(ValueError) as error:
        plan(out_of_network={"allowed": bare})
    text = str(error.value)
    assert "%" in text and '"$' in text


@pytest.mark.parametrize(("text", "kind"), [("70%", "percent"), ("$400", "amount")])
def test_allowed_with_its_sign(text, kind):
    terms = plan(out_of_network={"allowed": text}).terms()[0]
    rule = terms.allowed
    if kind == "percent":
        assert rule.percent == D("0.70")
    else:
        assert rule.amount == D(400)
    assert terms.to_dict()["allowed"] == text


def test_financing_an_in_network_series_is_refused_but_out_of_network_is_not():
    from ketacost import FinanceTerms

    loan = FinanceTerms(name="7 at 0%", months=7, apr=Decimal(0))
    clinic = ketacost.load_clinic("los-angeles-iv")
    in_network = clinic.model_copy(
        update={"billing": clinic.billing.model_copy(update={"network": "in-network"})}
    )
    plan = Plan(
        name="PPO",
        in_network={"deductible": 500, "coinsurance": "20%"},
        out_of_network={"allowed": "70%"},
    )
    with pytest.raises(InputError) as refused:
        estimate(in_network, plan, start=START, finance=loan)
    assert "in network you pay only your share" in str(refused.value)
    # out of network the patient pays the clinic's price, so the loan pays for the series:
    # $750 × 2 + $600 × 4 = $3,900 over seven payments
    financed = estimate(clinic, plan, start=START, finance=loan)
    assert financed.financing is not None
    assert financed.financing.total_paid == 750 * 2 + 600 * 4
