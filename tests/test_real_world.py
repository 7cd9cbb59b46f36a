"""Rules of the real world, each worked by hand (docs/insurance-rules.md, docs/tax.md).

The met deductible fills the cap; copay-only plans; cash cheaper than a share; Medicare
Advantage with an enrolled clinic; a plan without the block the clinic needs; series
billing codes; HSA rules; who lent the money; the savings program's observation rebate;
visit labels that a ledger can tell apart. Each case runs in every network it touches.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import ketacost
from ketacost import Clinic, InputError, Plan, estimate
from ketacost.cli import app
from ketacost.engine.financing import FinanceTerms
from ketacost.engine.savings import PROGRAM, SavingsTerms
from ketacost.engine.tax import TaxTerms, check_hsa, tax_years
from ketacost.model.plan import Scenario

D = Decimal
START = dt.date(2027, 1, 4)
RATE = D("0.22")
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def six_sessions(network: str, **billing: object) -> Clinic:
    return Clinic(
        name="Six at $1,000",
        series={"sessions": 6, "per_week": 2, "price": 1000},
        billing={"network": network, "superbill": True, **billing},
    )


def block(network: str) -> str:
    return "in_network" if network == "in-network" else "out_of_network"


def only(result: ketacost.Estimate) -> ketacost.ScenarioResult:
    (scenario,) = result.scenarios
    return scenario


def invoke(*args: object) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


# --- 1. the met deductible fills the cap too ---------------------------------------------

CAPPED = {
    "deductible": 1000,
    "copay": 50,
    "coinsurance": "20%",
    "out_of_pocket_max": 1500,
    "allowed": "80%",
}


@pytest.mark.parametrize("network", ["in-network", "out-of-network"])
def test_a_met_deductible_leaves_that_much_less_room_under_the_cap(network: str) -> None:
    plan = Plan(name="Capped", **{block(network): CAPPED}, already_met={"deductible": 800})
    scenario = only(estimate(six_sessions(network), plan, start=START))
    # allowed 80% × 1,000 = 800 a session; 1,000 − 800 = 200 of deductible left; the cap
    # has 1,500 − 800 = 700 of room (the 800 met counts toward it).
    # 1: 200 deductible + 50 copay + 20% × (800 − 200 − 50) = 110 → 360; room 340
    # 2: 50 + 20% × 750 = 150 → 200; room 140
    # 3: 200 asked, 140 of room → 140; then nothing
    assert [c.share for c in scenario.claims] == [D(360), D(200), D(140), 0, 0, 0]
    assert sum(c.share for c in scenario.claims) == 360 + 200 + 140 == D(700)
    assert scenario.claims[2].out_of_pocket_left == 0
    plan_part = 6 * D(800) - 700  # 4,100
    if network == "in-network":
        assert scenario.net == D(700)  # not 1,360
        assert scenario.plan_paid == plan_part
    else:  # paid 6 × 1,000; the plan's part comes back; 200 a session is balance billed
        assert scenario.reimbursed == plan_part
        assert scenario.net == 6 * 1000 - plan_part == D(700) + 6 * D(200) == D(1900)


def test_the_met_deductible_from_the_command_line_fills_the_cap() -> None:
    import json

    result = invoke(
        "estimate", EXAMPLES / "clinics" / "six-in-network.yaml",
        "--plan", EXAMPLES / "plans" / "capped-ppo.yaml", "--met-deductible", "800",
        "--start", "2027-01-04", "-f", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    (scenario,) = json.loads(result.stdout)["scenarios"]
    assert scenario["net"] == f"{360 + 200 + 140}.00"


@st.composite
def capped_terms(draw: Any) -> dict[str, Any]:
    def money(high: int) -> Decimal:
        return D(draw(st.integers(0, high * 100))).scaleb(-2)

    return {
        "deductible": money(4000),
        "copay": money(300),
        "coinsurance": f"{draw(st.integers(0, 100))}%",
        "out_of_pocket_max": money(6000),
        "allowed": f"{draw(st.integers(0, 100))}%",
        "copay_only": draw(st.booleans()),
    }


PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(
    terms=capped_terms(),
    met_deductible=st.integers(0, 5000),
    met_oop=st.integers(0, 7000),
    network=st.sampled_from(["in-network", "out-of-network"]),
    sessions=st.integers(1, 30),
    price=st.integers(0, 3000),
    start=st.dates(dt.date(2026, 6, 1), dt.date(2028, 6, 1)),
)
def test_no_plan_year_share_exceeds_the_cap_counting_what_was_met_before(
    terms: dict[str, Any],
    met_deductible: int,
    met_oop: int,
    network: str,
    sessions: int,
    price: int,
    start: dt.date,
) -> None:
    clinic = Clinic(
        name="Weekly",
        series={"sessions": sessions, "every_weeks": 2, "price": price},
        billing={"network": network, "superbill": True},
    )
    plan = Plan(
        name="Random",
        **{block(network): terms},
        already_met={"deductible": met_deductible, "out_of_pocket": met_oop},
    )
    claims = only(estimate(clinic, plan, start=start, months=24)).claims
    cap = terms["out_of_pocket_max"]
    by_year: dict[int, Decimal] = defaultdict(D)
    for claim in claims:
        by_year[claim.charge.date.year] += claim.share
    for year, share in by_year.items():
        before = max(met_deductible, met_oop) if year == start.year else 0
        assert share <= max(cap - before, 0), (year, share, cap, before)


@PROPERTY
@given(
    terms=capped_terms(),
    price=st.integers(0, 3000),
    network=st.sampled_from(["in-network", "out-of-network"]),
)
def test_copay_only_never_charges_more_than_the_copay_per_claim(
    terms: dict[str, Any], price: int, network: str
) -> None:
    terms = {**terms, "copay_only": True}
    clinic = Clinic(
        name="Weekly",
        series={"sessions": 8, "per_week": 1, "price": price},
        billing={"network": network, "superbill": True},
    )
    plan = Plan(name="Copay only", **{block(network): terms})
    for claim in only(estimate(clinic, plan, start=START)).claims:
        assert claim.share <= terms["copay"]
        assert claim.deductible == 0 and claim.coinsurance == 0
        assert claim.allowed == claim.share + claim.plan_part


# --- 2. copay only ------------------------------------------------------------------------


@pytest.mark.parametrize("network", ["in-network", "out-of-network"])
def test_copay_only_charges_the_copay_and_nothing_else(network: str) -> None:
    terms = {**CAPPED, "copay_only": True}
    plan = Plan(name="Office-visit copay", **{block(network): terms})
    scenario = only(estimate(six_sessions(network), plan, start=START))
    # each claim: allowed 800, the $50 copay alone (no deductible, no coinsurance)
    assert [c.share for c in scenario.claims] == [D(50)] * 6
    assert sum(c.share for c in scenario.claims) == 6 * 50 == D(300)
    assert scenario.plan_part == 6 * (800 - 50) == D(4500)
    if network == "in-network":
        assert scenario.net == D(300)
        assert scenario.plan_paid == 6 * D(750)
    else:  # paid 1,000 each; 750 back each; 200 a session is above the allowed amount
        assert scenario.net == 6 * (1000 - 750) == D(300) + 6 * D(200)


def test_copay_only_counts_toward_the_cap_and_a_scenario_can_set_it() -> None:
    plan = Plan(
        name="PPO",
        in_network={"copay": 50, "out_of_pocket_max": 120, "coinsurance": "20%"},
        scenarios=[{"name": "Copay only", "copay_only": True}, {"name": "As written"}],
    )
    copay_only, as_written = estimate(six_sessions("in-network"), plan, start=START).scenarios
    # the cap of 120: 50 + 50 + 20, then nothing
    assert [c.share for c in copay_only.claims] == [D(50), D(50), D(20), 0, 0, 0]
    # as written: 50 + 20% × 950 = 240 → capped at 120 on the first claim
    assert as_written.claims[0].share == D(120)
    assert [t.copay_only for t in plan.terms("in-network")] == [True, False]
    assert plan.terms("in-network")[0].to_dict()["copay_only"] is True


# --- 3. cash can be cheaper ------------------------------------------------------------------


def cash_clinic(network: str) -> Clinic:
    return Clinic(
        name="Cash $300, billed $1,500",
        series={"sessions": 2, "per_week": 2, "price": 300},
        billing={
            "network": network,
            "superbill": True,
            "codes": [{"code": "96365", "amount": 1500}],
        },
    )


def test_a_share_above_the_cash_price_is_said_per_claim_and_in_total() -> None:
    plan = Plan(
        name="High deductible",
        in_network={"deductible": 3000, "coinsurance": "20%", "allowed": "80%"},
    )
    result = estimate(cash_clinic("in-network"), plan, start=START)
    scenario = only(result)
    # allowed 80% × 1,500 = 1,200, all toward the 3,000 deductible: the share is 1,200 twice
    assert [c.share for c in scenario.claims] == [D(1200), D(1200)]
    assert scenario.net == 2 * D(1200)  # figures unchanged: it is advice
    said = [w for w in result.warnings if "cash price" in w]
    assert said[0].startswith("Session 1: your share $1,200.00 is more than the $300.00 cash")
    assert "ask the clinic about paying cash; it may not count toward your deductible" in said[0]
    assert said[1].startswith("Session 2: your share $1,200.00")
    # in total: 2,400 against 2 × 300 = 600, so 1,800 more
    assert said[2] == (
        "In all: on 2 claims your share, $2,400.00, is $1,800.00 more than the $600.00 cash price"
    )
    assert said[2] in result.to_dict()["warnings"]


def test_out_of_network_the_price_is_paid_anyway_so_no_cash_warning() -> None:
    plan = Plan(
        name="High deductible",
        out_of_network={"deductible": 3000, "coinsurance": "20%", "allowed": "80%"},
    )
    result = estimate(cash_clinic("out-of-network"), plan, start=START)
    assert not [w for w in result.warnings if "cash price" in w]


# --- 4. Medicare Advantage out of network -------------------------------------------------

MA_PPO = {
    "name": "MA PPO",
    "coverage": "medicare-advantage",
    "in_network": {"deductible": 0, "coinsurance": "20%", "out_of_pocket_max": 5000},
    "out_of_network": {"deductible": 500, "coinsurance": "40%", "out_of_pocket_max": 9000},
}


def two_at_1000(medicare: str) -> Clinic:
    return Clinic(
        name="Two at $1,000",
        series={"sessions": 2, "per_week": 2, "price": 1000},
        billing={"network": "out-of-network", "superbill": True, "medicare": medicare},
    )


def test_an_enrolled_clinic_out_of_an_ma_network_files_and_is_paid_its_out_of_network_terms():
    scenario = only(estimate(two_at_1000("enrolled"), Plan(**MA_PPO), start=START))
    # 1: 500 deductible + 40% × 500 = 200 → 700 paid on the day; the plan pays the clinic 300
    # 2: 40% × 1,000 = 400; the plan pays 600
    assert [(c.paid, c.plan_paid, c.reimbursed) for c in scenario.claims] == [
        (D(700), D(300), 0),
        (D(400), D(600), 0),
    ]
    assert scenario.net == 700 + 400 == D(1100)
    assert scenario.paid == D(1100)  # the patient never pays the clinic's price
    terms = scenario.terms
    assert terms is not None and terms.network == "out-of-network" and terms.in_network
    assert terms.note is not None and "enrolled in Medicare" in terms.note


def test_an_opted_out_clinic_stays_not_claimable_under_medicare_advantage() -> None:
    scenario = only(estimate(two_at_1000("opted-out"), Plan(**MA_PPO), start=START))
    assert scenario.claims == () and scenario.net == 2 * D(1000)


def test_an_ma_hmo_pays_an_enrolled_clinic_outside_its_network_nothing_and_says_so() -> None:
    hmo = Plan(
        **{k: v for k, v in MA_PPO.items() if k not in ("out_of_network", "name")}, name="MA HMO"
    )
    scenario = only(estimate(two_at_1000("enrolled"), hmo, start=START))
    assert scenario.claims == () and scenario.net == 2 * D(1000)
    assert scenario.terms is not None and "HMO" in (scenario.terms.note or "")


def test_original_medicare_with_an_enrolled_out_of_network_clinic_is_refused() -> None:
    part_b = Plan(name="Part B", coverage="medicare", in_network={"deductible": 283})
    with pytest.raises(InputError, match="bills Original Medicare itself") as caught:
        estimate(two_at_1000("enrolled"), part_b, start=START)
    assert "billing.network: in-network" in (caught.value.problems[0].hint or "")


def test_the_examples_run_medicare_advantage_both_ways() -> None:
    plan = EXAMPLES / "plans" / "medicare-advantage-ppo.yaml"
    enrolled = invoke(
        "estimate", EXAMPLES / "clinics" / "enrolled-out-of-network.yaml",
        "--plan", plan, "--start", "2027-01-04", "-f", "json",
    )  # fmt: skip
    assert enrolled.exit_code == 0, enrolled.stderr
    import json

    data = json.loads(enrolled.stdout)
    (scenario,) = data["scenarios"]
    # six $600 sessions, out-of-network terms: 500 deductible, then 40%:
    # 1: 500 + 40% × 100 = 40 → 540; 2–6: 40% × 600 = 240 each → 5 × 240 = 1,200
    assert scenario["net"] == f"{540 + 5 * 240}.00"
    table = invoke(
        "estimate", EXAMPLES / "clinics" / "enrolled-out-of-network.yaml",
        "--plan", plan, "--start", "2027-01-04",
    )  # fmt: skip
    assert "Out of network, filed by the clinic" in table.stdout
    assert "In network: you pay" not in table.stdout  # the clinic is not in the plan's network
    part_b = invoke(
        "estimate", EXAMPLES / "clinics" / "enrolled-out-of-network.yaml",
        "--plan", EXAMPLES / "plans" / "medicare-part-b.yaml", "--start", "2027-01-04",
    )  # fmt: skip
    assert part_b.exit_code == 2
    assert "enrolled-out-of-network.yaml" in part_b.stderr
    assert "medicare-part-b.yaml" in part_b.stderr


# --- 5. a plan without the block the clinic needs ------------------------------------------


@pytest.mark.parametrize(
    "plan",
    [
        {},  # no blocks at all (it used to pay everything back)
        {"out_of_network": {}},  # an empty block states no terms
        {"out_of_network": None},  # `out_of_network:` with nothing after it
        {"in_network": {"coinsurance": "20%"}},  # only the other network's
    ],
)
def test_an_out_of_network_clinic_needs_stated_out_of_network_terms(plan: dict) -> None:
    with pytest.raises(InputError, match="has no out_of_network terms"):
        estimate(six_sessions("out-of-network"), Plan(name="Thin", **plan), start=START)


@pytest.mark.parametrize("plan", [{}, {"in_network": {}}, {"out_of_network": {"deductible": 1}}])
def test_an_in_network_clinic_needs_stated_in_network_terms(plan: dict) -> None:
    with pytest.raises(InputError, match="has no in_network terms"):
        estimate(six_sessions("in-network"), Plan(name="Thin", **plan), start=START)


def test_the_exceptions_need_no_block() -> None:
    denied = Plan(name="Excluded", covered=False)
    assert only(estimate(six_sessions("out-of-network"), denied, start=START)).net == 6000
    part_b = Plan(name="Part B", coverage="medicare", in_network={"deductible": 283})
    assert only(estimate(six_sessions("out-of-network"), part_b, start=START)).net == 6000
    no_superbill = six_sessions("out-of-network", superbill=False)
    thin = Plan(name="Thin", in_network={"coinsurance": "20%"})
    assert only(estimate(no_superbill, thin, start=START)).net == 6000
    cash_only = Clinic(name="Cash", series={"sessions": 1, "price": 500},
                       billing={"network": "self-pay-only"})  # fmt: skip
    assert only(estimate(cash_only, Plan(name="Empty"), start=START)).net == 500


def test_an_empty_block_from_the_command_line_names_both_files(tmp_path: Path) -> None:
    plan = tmp_path / "empty.yaml"
    plan.write_text("kind: plan\nname: Empty\nout_of_network: {}\n")
    result = invoke("estimate", "los-angeles-iv", "--plan", plan, "--start", "2027-01-04")
    assert result.exit_code == 2
    assert f"{plan}:" in result.stderr and "los-angeles-iv.yaml" in result.stderr
    assert "its out_of_network block is empty" in result.stderr


# --- 6. series billing codes ----------------------------------------------------------------


@pytest.mark.parametrize("network", ["in-network", "out-of-network"])
def test_first_codes_cover_the_first_session_at_a_flat_price(network: str) -> None:
    clinic = Clinic(
        name="Spravato 84 mg",
        modality="esketamine",
        series={
            "sessions": 2,
            "per_week": 2,
            "price": 700,
            "first_codes": [{"code": "G2082", "amount": 600}],
            "codes": [{"code": "G2083", "amount": 800}],
        },
        billing={"network": network, "superbill": True},
    )
    plan = Plan(name="20%", **{block(network): {"coinsurance": "20%"}})
    scenario = only(estimate(clinic, plan, start=START))
    assert [c.billed for c in scenario.claims] == [D(600), D(800)]
    assert [c.charge.codes[0].code for c in scenario.claims] == ["G2082", "G2083"]
    # 20% × 600 = 120, 20% × 800 = 160; the plan's part 480 + 640 = 1,120
    assert scenario.plan_part == 480 + 640 == D(1120)
    if network == "in-network":
        assert scenario.net == 120 + 160 == D(280)
        assert scenario.plan_paid == D(1120)
    else:  # paid 700 twice; 480 and 640 come back (each under the 700 paid)
        assert scenario.reimbursed == D(1120)
        assert scenario.net == 2 * 700 - 1120 == D(280)


def test_first_sessions_say_how_many_bill_the_first_codes_at_a_flat_price() -> None:
    series = {
        "sessions": 3,
        "price": 700,
        "first_sessions": 2,
        "first_codes": [{"code": "G2082", "amount": 600}],
        "codes": [{"code": "G2083", "amount": 800}],
    }
    clinic = Clinic(name="Two first", series=series, billing={"network": "in-network"})
    events = estimate(clinic, start=START).events
    assert [e.codes[0].code for e in events] == ["G2082", "G2082", "G2083"]
    assert [e.amount for e in events] == [D(700)] * 3
    with pytest.raises(ValueError, match="both price and first_sessions"):
        Clinic(name="No codes", series={"sessions": 3, "price": 700, "first_sessions": 2})


# --- 7. HSA rules ----------------------------------------------------------------------------


def hsa_plan(deductible: int, oop: int | None) -> Plan:
    terms: dict[str, object] = {"deductible": deductible, "coinsurance": "20%"}
    if oop is not None:
        terms["out_of_pocket_max"] = oop
    return Plan(name="Candidate", in_network=terms, out_of_network={"deductible": 100})


@pytest.mark.parametrize(
    ("year", "kind", "deductible", "oop", "message"),
    [
        # 2026, Rev. Proc. 2025-19: at least 1,700 / 3,400; at most 8,500 / 17,000
        (2026, "self", 1699, 8500, "$1,699.00 is below the $1,700.00 minimum"),
        (2026, "self", 1700, 8501, "out-of-pocket maximum $8,501.00 is above the $8,500.00"),
        (2026, "self", 1700, None, "give no out-of-pocket maximum, and it must be at most $8,500"),
        (2026, "family", 3399, 17000, "$3,399.00 is below the $3,400.00 minimum"),
        (2026, "family", 3400, 17001, "$17,001.00 is above the $17,000.00 limit"),
        # 2027, Rev. Proc. 2026-24: at least 1,750 / 3,500; at most 8,700 / 17,400
        (2027, "self", 1700, 8500, "$1,700.00 is below the $1,750.00 minimum"),
        (2027, "self", 1750, 8701, "out-of-pocket maximum $8,701.00 is above the $8,700.00"),
        (2027, "family", 3499, 17400, "$3,499.00 is below the $3,500.00 minimum"),
        (2027, "family", 3500, 17401, "$17,401.00 is above the $17,400.00 limit"),
    ],
)
def test_an_hsa_needs_a_high_deductible_plan_judged_in_network(
    year: int, kind: str, deductible: int, oop: int | None, message: str
) -> None:
    terms = TaxTerms(RATE, hsa=kind)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="needs a high-deductible plan") as caught:
        check_hsa(terms, hsa_plan(deductible, oop), year)
    assert message in caught.value.problems[0].message


def test_the_edges_qualify_and_the_out_of_network_terms_do_not_count() -> None:
    check_hsa(TaxTerms(RATE, hsa="self"), hsa_plan(1700, 8500), 2026)
    check_hsa(TaxTerms(RATE, hsa="family"), hsa_plan(3400, 17000), 2026)
    check_hsa(TaxTerms(RATE, hsa="self"), hsa_plan(1750, 8700), 2027)
    check_hsa(TaxTerms(RATE, hsa="family"), hsa_plan(3500, 17400), 2027)
    # only out-of-network terms: it must say it qualifies
    oon = Plan(name="OON only", out_of_network={"deductible": 5000})
    with pytest.raises(InputError, match="has none"):
        check_hsa(TaxTerms(RATE, hsa="self"), oon, 2027)
    check_hsa(TaxTerms(RATE, hsa="self"), oon.model_copy(update={"hdhp": True}), 2027)


def test_hsa_with_a_plan_that_does_not_qualify_exits_2_naming_the_figure() -> None:
    result = invoke(
        "estimate", "los-angeles-iv", "--plan", EXAMPLES / "plans" / "in-network-ppo.yaml",
        "--network", "in", "--start", "2027-01-04", "--marginal-rate", "22%", "--hsa", "self",
    )  # fmt: skip
    assert result.exit_code == 2, result.stderr
    assert "high-deductible" in result.stderr and "minimum" in result.stderr
    # pointed at the plan file's in-network terms, the ones an HSA is judged by
    assert "in-network-ppo.yaml:13:1: error: an HSA needs a high-deductible plan" in (result.stderr)


def test_the_catch_up_adds_1000_to_the_hsa_limit() -> None:
    terms = TaxTerms(RATE, hsa="self", hsa_catch_up=True)
    (year,) = tax_years(terms, [(dt.date(2027, 3, 1), D(6000))], [], [])
    assert year.hsa_fsa == D(4500) + D(1000) == D(5500)  # 2027's self-only limit + 1,000
    with pytest.raises(InputError):
        TaxTerms(RATE, hsa_catch_up=True)


def test_hsa_money_reimbursed_later_goes_back_and_is_not_counted() -> None:
    from ketacost.engine.tax import Refund, tax_notes

    terms = TaxTerms(RATE, hsa="self")
    paid = dt.date(2027, 12, 20)
    refund = Refund(paid, dt.date(2028, 2, 3), D(1000))
    first, second = tax_years(terms, [(paid, D(3000))], [refund], [])
    # the HSA paid 3,000; 1,000 comes back from the plan and goes back into the HSA, so
    # the saving counts 3,000 − 1,000 = 2,000 × 22% = 440
    assert first.hsa_fsa == D(3000) - D(1000)
    assert first.saving == D(2000) * RATE == D("440.00")
    (back,) = first.hsa_returns
    assert (back.amount, back.received, back.due) == (
        D(1000),
        refund.received,
        dt.date(2029, 4, 15),
    )
    assert second.recovered == 0  # returned to the HSA: not income
    notes = " ".join(tax_notes(terms, [first, second]))
    assert "$1,000.00 received 2028-02-03, by 2029-04-15" in notes
    assert first.to_dict()["hsa_returns"] == [
        {"expense_year": 2027, "received": "2028-02-03", "amount": "1000.00",
         "return_by": "2029-04-15"}
    ]  # fmt: skip


def test_weighted_years_list_the_hsa_money_to_put_back_scenario_by_scenario() -> None:
    """Four $500 sessions, Jan 4, 7, 11 and 14, 2027, under a $1,000 deductible at 50%
    coinsurance, paid 30 days later. As written, sessions 1 and 2 meet the deductible and
    sessions 3 and 4 each get 500 × 50% = $250 back, on Feb 10 and Feb 13: HSA money, to
    go back by 2028-04-15. Denied, nothing comes back. Weighted, neither is halved."""
    clinic = Clinic.model_validate(
        {"name": "Four", "series": {"sessions": 4, "per_week": 2, "price": 500}}
    )
    plan = Plan.model_validate(
        {
            "name": "HDHP",
            "hdhp": True,
            "out_of_network": {"deductible": 1000, "coinsurance": "50%", "allowed": "100%"},
            "claims": {"paid_after_days": 30},
            "scenarios": [
                {"name": "As written", "probability": "0.6"},
                {"name": "Denied", "covered": False, "probability": "0.4"},
            ],
        }
    )
    result = estimate(clinic, plan, start=START, tax=TaxTerms(RATE, hsa="self"))
    written, denied = result.scenarios
    assert [r.amount for y in written.tax or () for r in y.hsa_returns] == [D(250), D(250)]
    assert not [r for y in denied.tax or () for r in y.hsa_returns]
    assert result.tax is not None and result.tax.weighted
    assert [y.hsa_returns for y in result.tax.years] == [()]  # a return is never in part
    (note,) = [n for n in result.tax.notes if n.startswith("HSA: ")]
    assert note.endswith(
        "As written: $250.00 received 2027-02-10, by 2028-04-15;"
        " $250.00 received 2027-02-13, by 2028-04-15."
    )
    assert "Denied" not in note


def test_without_an_hsa_a_later_reimbursement_follows_the_tax_benefit_rule() -> None:
    terms = TaxTerms(RATE, agi=D(20000), filing="single", other_itemized=D(16100))
    paid = dt.date(2027, 12, 20)
    refund = ketacost.engine.tax.Refund(paid, dt.date(2028, 2, 3), D(1000))
    first, second = tax_years(terms, [(paid, D(3000))], [refund], [])
    # 3,000 − 1,500 floor = 1,500 deducted in 2027; 1,000 back in 2028 is income
    assert first.deducted == D(1500) and first.hsa_returns == ()
    assert second.recovered == D(1000)


# --- 8. who lent the money --------------------------------------------------------------------


def promo_clinic(lender: str) -> Clinic:
    return Clinic(
        name="Late in the year",
        series={"sessions": 6, "per_week": 2, "price": 500},
        payment_plans=[
            {"name": "Promo", "months": 12, "apr": "26.99%", "deferred_interest": True,
             "lender": lender}
        ],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("lender", "by_year"),
    [
        # the card or loan pays the clinic on each session date: all 6 × 500 in 2027
        ("card", {2027: D(6 * 500)}),
        ("loan", {2027: D(6 * 500)}),
        # the clinic's own plan: 12 instalments of 3,000 / 12 = 250, January to December
        ("clinic", {2028: 12 * D(250)}),
    ],
)
def test_a_card_or_loan_puts_the_whole_series_in_the_year_of_the_sessions(
    lender: str, by_year: dict[int, Decimal]
) -> None:
    from ketacost.cli.financing import finance_terms

    clinic = promo_clinic(lender)
    finance = finance_terms("Promo", clinic)
    assert finance is not None and finance.lender == lender
    start = dt.date(2027, 12, 1)  # six sessions twice a week: all in December 2027
    result = estimate(clinic, start=start, months=13, finance=finance, tax=TaxTerms(RATE))
    assert result.tax is not None
    # the interest never counts (and is 0% when the promotion is paid in time)
    assert {y.year: y.expenses for y in result.tax.years} == by_year


def test_a_lender_must_be_one_of_three() -> None:
    with pytest.raises(InputError):
        FinanceTerms("x", 12, D(0), lender="friend")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lender"):
        Clinic(name="x", series={"sessions": 1, "price": 1},
               payment_plans=[{"name": "p", "months": 2, "lender": "friend"}])  # fmt: skip


# --- 9. the savings program: the figures and the observation rebate ----------------------


def split_clinic() -> Clinic:
    return Clinic(
        name="Spravato split",
        modality="esketamine",
        series={"sessions": 2, "per_week": 2, "device_price": 300, "devices": 2,
                "session_fee": 300},
        billing={"network": "in-network"},
    )  # fmt: skip


HALF = Plan(name="Half", in_network={"coinsurance": "50%"}, claims={"paid_after_days": 30})


def test_the_program_figures_are_one_dated_table() -> None:
    figures = PROGRAM[2026]
    assert (figures.floor, figures.annual_cap) == (D(10), D(7150))
    assert figures.rebate_excluded_states == {"MA", "MI", "MN", "RI"}
    assert SavingsTerms().floor == figures.floor
    assert SavingsTerms().annual_cap == figures.annual_cap


def test_the_observation_rebate_with_a_stated_cap_paid_after_the_eob() -> None:
    terms = SavingsTerms(observation_rebate_cap=D(200), state="NJ")
    scenario = only(estimate(split_clinic(), HALF, start=START, savings=terms))
    # 900 a session (600 of drug + 300 visit); 50% share = 450: drug 450 × 600/900 = 300,
    # visit 150. Drug benefit: 300 − 10 = 290 each. Rebate up to 200 a year: 150, then 50.
    assert scenario.savings_program == 2 * 290 + 150 + 50 == D(780)
    assert scenario.net == 2 * 450 - 780 == D(120)
    rebates = [
        (day, amount) for day, amount in _program_days(scenario) if day > START + dt.timedelta(3)
    ]
    # rebates arrive 30 days after each session (the plan's paid_after_days)
    assert (START + dt.timedelta(30), D(150)) in rebates


def _program_days(scenario: ketacost.ScenarioResult) -> list[tuple[dt.date, Decimal]]:
    from ketacost.engine.savings import program_lines

    return [
        (line.received, line.paid_by_program)
        for line in program_lines(
            [c.charge for c in scenario.claims],
            scenario.claims,
            SavingsTerms(observation_rebate_cap=D(200), state="NJ"),
            30,
        )
    ]


@pytest.mark.parametrize("state", ["MA", "mi", "MN", "RI"])
def test_no_observation_rebate_for_residents_of_four_states(state: str) -> None:
    terms = SavingsTerms(observation_rebate_cap=D(200), state=state)
    scenario = only(estimate(split_clinic(), HALF, start=START, savings=terms))
    assert scenario.savings_program == 2 * 290  # the drug benefit alone
    assert "not valid for residents" in (terms.rebate_note() or "")


def test_without_a_state_the_rebate_is_left_out_and_said_to_depend_on_it() -> None:
    terms = SavingsTerms(observation_rebate_cap=D(200))
    note = terms.rebate_note() or ""
    assert "No observation rebate" in note and "your state was not given" in note
    assert SavingsTerms().rebate_note() is None  # not asked for: not modelled, nothing said
    result = estimate(split_clinic(), HALF, start=START, savings=terms)
    assert result.to_dict()["savings_program"]["observation_rebate_cap"] == "200.00"
    # the drug benefit alone: 2 × (300 − 10), no rebate of the visits' 150 shares
    assert only(result).savings_program == 2 * 290 == D(580)


def test_the_rebate_cap_flag_needs_the_program() -> None:
    result = invoke("estimate", "--observation-rebate-cap", "500", "--start", "2027-01-04")
    assert result.exit_code == 2 and "--savings-program" in result.stderr


# --- 11. labels a ledger can tell apart, and the bundled profiles ---------------------------


def test_check_catches_two_items_that_label_their_visits_alike(tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text(
        "name: Twice\nmodality: esketamine\nseries:\n  sessions: 8\n  price: 900\n"
        "maintenance:\n"
        "  - {kind: esketamine, price: 900, per_week: 1, count: 4}\n"
        "  - {kind: esketamine, price: 900, every_weeks: 2}\n"
    )
    result = invoke("check", path)
    assert result.exit_code == 2
    assert "'Esketamine session 1'" in result.stderr and "maintenance item 1" in result.stderr
    assert "label" in result.stderr
    # labelled: each item's visits carry its own label
    path.write_text(path.read_text().replace("count: 4}", "count: 4, label: Weekly session}"))
    assert invoke("check", path).exit_code == 0
    events = estimate(ketacost.load_clinic(path), start=START).events
    labels = {e.label for e in events if e.item == "esketamine"}
    assert {f"Weekly session {k}" for k in (1, 2, 3, 4)} < labels
    assert "Esketamine session 1" in labels and "Weekly session 5" not in labels


def test_every_bundled_profile_and_example_passes_check() -> None:
    result = invoke("check", ROOT / "pricing", EXAMPLES / "clinics", EXAMPLES / "plans")
    assert result.exit_code == 0, result.stderr


def test_no_bundled_profile_labels_two_visits_alike() -> None:
    for path in sorted((ROOT / "pricing").glob("*.yaml")):
        events = estimate(ketacost.load_clinic(path), start=START, months=24).events
        labels = [e.label for e in events if e.item != "fee"]
        assert len(labels) == len(set(labels)), path.name


def test_scenario_overrides_copay_only() -> None:
    assert Scenario(name="x", copay_only=True).copay_only is True


# --- the claims' warnings and plan years, at their edges ------------------------------------


def superbill_clinic(sessions: int) -> Clinic:
    # $200 paid, a $900 superbill: allowed 70% × 900 = 630 > 200 paid
    return Clinic(
        name="Superbill above the price",
        series={"sessions": sessions, "first_price": 250, "later_price": 200},
        billing={"network": "out-of-network", "codes": [{"code": "99215", "amount": 900}]},
    )


def test_the_superbill_warning_names_the_first_short_claim_and_counts_them() -> None:
    from ketacost.engine.claims import superbill_warning

    plan = Plan(name="OON", out_of_network={"allowed": "70%"})
    two = only(estimate(superbill_clinic(2), plan, start=START)).claims
    said = superbill_warning(two) or ""
    assert said.startswith(
        "The superbill asks more than was paid (Session 1: billed $900.00, paid $250.00)"
    )
    assert "so 2 claims get back less" in said
    one = only(estimate(superbill_clinic(1), plan, start=START)).claims
    assert "so 1 claim gets back less" in (superbill_warning(one) or "")
    # in network nothing is reimbursed to the patient: no such warning
    inn = Plan(name="INN", in_network={"allowed": "70%"})
    network_in = superbill_clinic(2).model_copy(
        update={"billing": superbill_clinic(2).billing.model_copy(update={"network": "in-network"})}
    )
    assert superbill_warning(only(estimate(network_in, inn, start=START)).claims) is None
    # reimbursed exactly the plan's part (allowed 200 of a 200 bill): not short
    even = Clinic(name="Even", series={"sessions": 1, "price": 200})
    assert superbill_warning(only(estimate(even, plan, start=START)).claims) is None


def test_a_share_equal_to_the_cash_price_is_not_warned_and_one_claim_is_singular() -> None:
    from ketacost.engine.claims import cash_cheaper_warnings

    plan = Plan(name="Deductible", in_network={"deductible": 3000, "allowed": "80%"})
    # billed 375 × 80% = 300, all to the deductible: a share of 300 = the $300 price
    equal = Clinic(
        name="Equal",
        series={"sessions": 1, "price": 300},
        billing={"network": "in-network", "codes": [{"code": "96365", "amount": 375}]},
    )
    assert cash_cheaper_warnings(only(estimate(equal, plan, start=START)).claims) == ()
    one = cash_clinic("in-network").model_copy(
        update={"series": cash_clinic("in-network").series.model_copy(update={"sessions": 1})}
    )
    said = cash_cheaper_warnings(only(estimate(one, plan, start=START)).claims)
    assert said[-1].startswith("In all: on 1 claim your share, $1,200.00,")


def test_with_several_scenarios_the_cash_warning_names_each() -> None:
    plan = Plan(
        name="Two ways",
        in_network={"deductible": 3000, "allowed": "80%"},
        scenarios=[{"name": "As written"}, {"name": "Met", "deductible": 0}],
    )
    said = [w for w in estimate(cash_clinic("in-network"), plan, start=START).warnings]
    assert any(w.startswith("Session 1 (As written): your share $1,200.00") for w in said)
    assert not any("(Met)" in w for w in said)  # 0% coinsurance, no deductible: share 0


def test_plan_years_that_start_mid_year() -> None:
    from ketacost.engine.claims import _next_plan_year, _plan_year, plan_year_start

    assert plan_year_start(dt.date(2027, 3, 1), (7, 1)) == dt.date(2026, 7, 1)
    assert plan_year_start(dt.date(2027, 7, 1), (7, 1)) == dt.date(2027, 7, 1)
    assert _next_plan_year(dt.date(2027, 7, 1), (7, 1)) == dt.date(2028, 7, 1)
    assert _plan_year(dt.date(9999, 6, 1), (1, 1)) == (dt.date(9999, 1, 1), dt.date.max)
    assert _plan_year(dt.date(9998, 6, 1), (1, 1)) == (dt.date(9998, 1, 1), dt.date(9999, 1, 1))


def test_claims_are_frozen_values() -> None:
    import dataclasses

    plan = Plan(name="OON", out_of_network={"allowed": "70%"})
    claim = only(estimate(superbill_clinic(1), plan, start=START)).claims[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        claim.paid = D(0)  # type: ignore[misc]
    assert not hasattr(claim, "__dict__")  # slots: no stray attributes


def test_a_copay_only_plan_is_no_high_deductible_plan() -> None:
    # IRS Pub 969: an HDHP pays nothing (preventive care aside) before the deductible; a
    # plan whose visits cost a copay alone pays from the first one, whatever its deductible
    plan = Plan(
        name="Copays",
        in_network={"copay_only": True, "copay": 40, "deductible": 3000, "out_of_pocket_max": 6000},
    )
    with pytest.raises(InputError, match="cost a copay alone") as caught:
        check_hsa(TaxTerms(RATE, hsa="self"), plan, 2027)
    assert "before any deductible is met" in caught.value.problems[0].message
