"""What an estimate gives back and its JSON form (docs/output.md), key by key.

Results are made by ``ketacost.estimate`` from small hand-made clinics and plans;
expected figures are worked out by hand in the test text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest

import ketacost
from ketacost.engine.result import Later, ScenarioResult
from ketacost.engine.savings import SavingsTerms
from ketacost.engine.tax import TaxTerms

D = Decimal
START = dt.date(2027, 1, 4)  # a Monday


def two_at_300(**more: object) -> ketacost.Clinic:
    # Two $300 sessions: Monday 2027-01-04 and Thursday 2027-01-07.
    return ketacost.Clinic(
        name="Two at 300", series={"sessions": 2, "per_week": 2, "price": 300}, **more
    )


def half_back_or_nothing(network: str = "out_of_network") -> ketacost.Plan:
    # No deductible, 50% coinsurance on 100% allowed; paid as written or denied, half and half.
    return ketacost.Plan.model_validate(
        {
            "name": "Half back or nothing",
            network: {"deductible": 0, "coinsurance": "50%", "allowed": "100%"},
            "scenarios": [
                {"name": "As written", "probability": "0.5"},
                {"name": "Denied", "covered": False, "probability": "0.5"},
            ],
        }
    )


def by_hand(**changes: object) -> ScenarioResult:
    """A self-pay result made by hand: $100 paid, nothing back."""
    zero = D(0)
    figures: dict[str, object] = {
        "name": "By hand",
        "probability": None,
        "paid": D(100),
        "billed": zero,
        "allowed": zero,
        "deductible": zero,
        "coinsurance": zero,
        "reimbursed": zero,
        "balance_billed": zero,
        "net": D(100),
        "peak_outlay": D(100),
        "last_reimbursement": None,
    }
    return ScenarioResult(**{**figures, **changes})  # type: ignore[arg-type]


# --- the records ------------------------------------------------------------------------------


def test_what_an_estimate_gives_back_cannot_be_changed_afterwards() -> None:
    """docs/api.md: results are frozen records (the estimate and its scenarios, named
    tuples, refuse with AttributeError, of which FrozenInstanceError is a kind)."""
    result = ketacost.estimate(two_at_300(), start=START)
    (phase,) = result.phases
    (line,) = phase.lines
    with pytest.raises(dataclasses.FrozenInstanceError):
        line.amount = D(1)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        phase.subtotal = D(1)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.scenarios[0].net = D(1)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.total = D(1)  # type: ignore[misc]


def test_only_an_in_network_scenario_is_paid_to_the_clinic() -> None:
    """docs/adjudication.md: in network the plan pays the clinic; out of network, you."""
    assert not ketacost.estimate(two_at_300(), start=START).scenarios[0].in_network
    out = ketacost.estimate(two_at_300(), half_back_or_nothing(), start=START)
    assert [s.in_network for s in out.scenarios] == [False, False]
    clinic = two_at_300(billing={"network": "in-network"})
    inside = ketacost.estimate(clinic, half_back_or_nothing("in_network"), start=START)
    assert [s.in_network for s in inside.scenarios] == [True, True]


def test_what_is_worked_out_when_read_takes_no_part_in_equality_or_repr() -> None:
    """A scenario's claims and months follow from its figures: reading them, or making
    the result without them, changes neither its equality, its hash nor its repr."""
    (read, _) = ketacost.estimate(two_at_300(), half_back_or_nothing(), start=START).scenarios
    assert len(read.claims) == 2 and read.cashflow[0].paid == 2 * D(300)
    bare = read._replace(later=Later(may_warn=not read.may_warn))
    assert bare == read and hash(bare) == hash(read)
    assert (bare != read) is False  # != agrees with ==, as a tuple's would not
    assert repr(bare) == repr(read)
    for hidden in ("later", "outlay", "returns", "months", "claims", "charges", "start"):
        assert f", {hidden}=" not in repr(read)
    assert bare.claims == () and bare.cashflow == ()  # nothing to work them out from
    assert read._replace(later=None) == read and read._replace(net=D(1)) != read


def test_a_copy_with_other_terms_works_out_its_own_claims() -> None:
    """A copy made with other terms shares what the claims are worked out from, but not
    the claims: reading the copy's first changes neither the original's nor those of a
    later estimate of the same inputs (the kernel hands that one the original)."""
    plan = half_back_or_nothing()
    (paid,) = ketacost.estimate(two_at_300(), plan, start=START).scenarios[:1]
    free = paid._replace(terms=paid.terms._replace(coinsurance=D(0)))  # type: ignore[union-attr]
    # No deductible, 100% allowed: 0% coinsurance leaves nothing to the patient.
    assert [c.coinsurance for c in free.claims] == [D(0), D(0)]
    # 50% of each $300 session: 300 * 0.5 = 150.
    assert [c.coinsurance for c in paid.claims] == [D(150), D(150)]
    (again,) = ketacost.estimate(two_at_300(), plan, start=START).scenarios[:1]
    assert [c.coinsurance for c in again.claims] == [D(150), D(150)]
    assert [c.coinsurance for c in free.claims] == [D(0), D(0)]  # worked out again, the same


def test_the_months_are_never_given_only_worked_out() -> None:
    """The cash flow is drawn from the outlay when first read: it is not an argument."""
    with pytest.raises(TypeError):
        by_hand(_months=())
    with pytest.raises(TypeError):
        Later(months=())  # type: ignore[call-arg]


def test_a_result_made_by_hand_is_read_for_warnings_and_has_no_claims() -> None:
    """Without terms there is nothing to adjudicate; unless told, claims may warn."""
    made = by_hand()
    assert made.may_warn
    assert made.claims == () and made.cashflow == ()
    assert not made.in_network
    charges = ketacost.estimate(two_at_300(), start=START).events
    on_a_day = by_hand(later=Later(charges=charges, start=START))
    assert on_a_day.claims == ()  # self-pay: no terms, no claims
    terms = half_back_or_nothing().terms("out-of-network")[0]
    undated = by_hand(terms=terms, later=Later(charges=charges))
    assert undated.claims == ()  # no start: no plan year to adjudicate in


def test_an_uncovered_scenarios_claims_are_denied_when_first_read() -> None:
    """docs/adjudication.md: a denied claim allows and pays back nothing; one claim per
    claimable charge, worked out once."""
    (_, denied) = ketacost.estimate(two_at_300(), half_back_or_nothing(), start=START).scenarios
    claims = denied.claims
    assert [(c.charge.date, c.billed, c.allowed, c.covered) for c in claims] == [
        (dt.date(2027, 1, 4), D(300), D(0), False),
        (dt.date(2027, 1, 7), D(300), D(0), False),
    ]
    assert denied.claims is claims
    assert denied.cashflow is denied.cashflow


def test_the_net_to_rank_by_is_the_first_scenarios_without_probabilities() -> None:
    """docs/output.md: expected_net is null when the plan gives no probabilities."""
    plan = ketacost.Plan.model_validate(
        {
            "name": "No odds",
            "out_of_network": {"deductible": 0, "coinsurance": "50%", "allowed": "100%"},
            "scenarios": [{"name": "As written"}, {"name": "Denied", "covered": False}],
        }
    )
    result = ketacost.estimate(two_at_300(), plan, start=START)
    assert result.expected_net is None
    # as written: 600 paid − 50% × 600 back = 300; the denied scenario's 600 is not it
    assert result.net == 600 - D("0.5") * 600 == D(300)
    assert result.to_dict()["expected_net"] is None
    weighed = ketacost.estimate(two_at_300(), half_back_or_nothing(), start=START)
    assert weighed.net == D("0.5") * 300 + D("0.5") * 600 == D(450)


# --- JSON: the estimate ----------------------------------------------------------------------


def test_a_self_pay_estimate_as_json() -> None:
    """docs/output.md: keys of an estimate without a plan, money as strings."""
    data = ketacost.estimate(two_at_300(), start=START, months=1).to_dict()
    assert data["clinic"]["source"] is None
    assert data["plan"] is None
    # the horizon is Jan 4 to Feb 3: charges fall on start ≤ date < Feb 4
    assert (data["start"], data["end"], data["months"]) == ("2027-01-04", "2027-02-03", 1)
    assert data["terms"] == []
    assert data["expected_net"] is None
    for absent in ("response", "personal", "financing", "savings_program", "tax"):
        assert data[absent] is None, absent
    (scenario,) = data["scenarios"]
    assert (scenario["name"], scenario["probability"], scenario["network"]) == (
        "Self-pay",
        None,
        None,
    )
    assert scenario["last_reimbursement"] is None
    assert scenario["tax"] is None
    assert scenario["claims"] == []
    assert scenario["cashflow"] == [
        {"month": "2027-01", "paid": "600.00", "reimbursed": "0.00", "cumulative": "600.00"},
        {"month": "2027-02", "paid": "0.00", "reimbursed": "0.00", "cumulative": "600.00"},
    ]


def test_an_estimate_under_a_plan_as_json() -> None:
    """docs/output.md: the plan, each scenario's terms, probability and network, the
    expected net, and each claim."""
    clinic = two_at_300(
        source={"title": "Phone call", "checked": "2026-12-04", "published": "unknown"}
    )
    data = ketacost.estimate(clinic, half_back_or_nothing(), start=START).to_dict()
    assert data["clinic"]["source"]["title"] == "Phone call"
    assert data["clinic"]["source_age_days"] == 31  # Dec 4 to Jan 4
    assert data["plan"] == {
        "name": "Half back or nothing",
        "coverage": "commercial",
        "network": "out-of-network",
    }
    assert [t["scenario"] for t in data["terms"]] == ["As written", "Denied"]
    # 0.5 × (600 − 300 back) + 0.5 × 600
    assert data["expected_net"] == "450.00"
    written, denied = data["scenarios"]
    assert (written["probability"], written["network"]) == ("0.5", "out-of-network")
    assert written["reimbursed"] == "300.00" and denied["reimbursed"] == "0.00"
    first = written["claims"][0]
    assert (first["date"], first["reimbursed"], first["out_of_pocket_left"]) == (
        "2027-01-04",
        "150.00",
        None,  # no out-of-pocket maximum
    )
    last = written["claims"][-1]
    assert written["last_reimbursement"] == last["reimbursed_on"] > first["reimbursed_on"]
    assert denied["claims"][0]["reimbursed_on"] is None  # nothing comes back


def test_a_claim_says_what_is_left_of_the_out_of_pocket_maximum() -> None:
    """docs/adjudication.md: your share counts toward the out-of-pocket maximum."""
    plan = ketacost.Plan(
        name="Capped",
        out_of_network={
            "deductible": 0,
            "coinsurance": "50%",
            "allowed": "100%",
            "out_of_pocket_max": 1000,
        },
    )
    (scenario,) = ketacost.estimate(two_at_300(), plan, start=START).to_dict()["scenarios"]
    # each claim's share is 50% × 300 = 150: 1,000 − 150, then − 150 again
    assert [c["out_of_pocket_left"] for c in scenario["claims"]] == ["850.00", "700.00"]


def test_the_json_text_is_indented_by_two_and_keeps_its_letters() -> None:
    """docs/output.md: JSON for people and for jq alike; names are written as they are."""
    clinic = ketacost.Clinic(name="Clínica Sol", series={"sessions": 1, "price": 300})
    text = ketacost.estimate(clinic, start=START).to_json()
    assert text.startswith('{\n  "clinic": {\n    "name": "Clínica Sol",\n')
    assert json.loads(text)["clinic"]["name"] == "Clínica Sol"


def test_the_savings_program_as_json() -> None:
    """docs/tax.md (the esketamine savings program): its floor, cap and source, and the
    observation rebate only when a yearly limit is stated."""
    clinic = ketacost.Clinic(
        name="Esketamine clinic",
        modality="esketamine",
        series={"sessions": 1, "device_price": 300, "devices": 2, "session_fee": 300},
        billing={"network": "out-of-network", "superbill": True},
    )
    plan = ketacost.Plan(name="Commercial", out_of_network={"deductible": 100_000})
    terms = SavingsTerms(floor=D(10), annual_cap=D(5000))
    data = ketacost.estimate(clinic, plan, start=START, savings=terms).to_dict()
    program = data["savings_program"]
    assert (program["floor"], program["annual_cap"]) == ("10.00", "5000.00")
    assert program["source"]
    assert program["observation_rebate_cap"] is None
    assert program["observation_rebate_note"] is None
    # the program pays the drug's 600 less the $10 floor
    assert data["scenarios"][0]["savings_program"] == "590.00"
    rebate = SavingsTerms(
        floor=D(10), annual_cap=D(5000), observation_rebate_cap=D(250), state="CA"
    )
    data = ketacost.estimate(clinic, plan, start=START, savings=rebate).to_dict()
    assert data["savings_program"]["observation_rebate_cap"] == "250.00"
    assert "stated yearly limit" in data["savings_program"]["observation_rebate_note"]


def test_response_personal_and_tax_blocks_appear_with_their_terms() -> None:
    """docs/output.md: response, personal and tax are present with the flags that ask for them."""
    result = ketacost.estimate(
        two_at_300(),
        start=START,
        response=ketacost.ResponseTerms(D("0.5"), stop_after=1),
        personal=ketacost.PersonalCosts(ride="40"),
        tax=TaxTerms(D("0.22"), fsa=True),
    )
    data = result.to_dict()
    # if it fails after one session: 300; expected 0.5 × 600 + 0.5 × 300
    assert data["response"]["expected_total"] == "450.00"
    assert data["personal"]["total"] == "80.00"  # two rides at 40
    # docs/financing.md: with tax flags a paid ride counts as a medical expense,
    # so (600 + 80) comes from the FSA, × 22%
    assert (600 + 80) * D("0.22") == D("149.60")
    assert data["tax"]["years"][0]["saving"] == "149.60"
    (scenario,) = data["scenarios"]
    assert scenario["tax"]["total_saving"] == "149.60"
    assert [y["year"] for y in scenario["tax"]["years"]] == [2027]


# --- JSON: financing -------------------------------------------------------------------------


def test_a_plain_loan_has_no_branches() -> None:
    """docs/financing.md: only a deferred-interest promotion has the two branches."""
    terms = ketacost.FinanceTerms("Plain", 2, D(0))
    data = ketacost.estimate(two_at_300(), start=START, finance=terms).to_dict()["financing"]
    assert data["deferred_interest"] is False
    assert data["deferred_interest_risk"] is None
    assert data["paid_in_time"] is None and data["not_paid_in_time"] is None
    # 600 over 2 months at 0%: 300 a month from a month after the first session
    assert data["payments"] == [
        {"date": "2027-02-04", "amount": "300.00"},
        {"date": "2027-03-04", "amount": "300.00"},
    ]


def test_a_deferred_interest_promotion_shows_both_branches() -> None:
    """docs/financing.md: paid off in time at 0%; flagged, the interest at the APR on each
    month's balance since the first day, charged when the promotion ends."""
    terms = ketacost.FinanceTerms("Promo 2", 2, D("0.12"), deferred_interest=True)
    result = ketacost.estimate(two_at_300(), half_back_or_nothing(), start=START, finance=terms)
    data = result.to_dict()["financing"]
    # balances 600 then 300, at 12% / 12 = 1% a month: 6 + 3
    interest = D(600) * D("0.01") + D(300) * D("0.01")
    assert interest == 9
    assert data["deferred_interest_risk"] == "9.00"
    in_time = data["paid_in_time"]
    assert (in_time["flagged"], in_time["interest"], in_time["total_paid"]) == (
        False,
        "0.00",
        "600.00",
    )
    # nets: as written 600 − 300 back, denied 600
    assert in_time["net"] == [
        {"scenario": "As written", "net": "300.00"},
        {"scenario": "Denied", "net": "600.00"},
    ]
    late = data["not_paid_in_time"]
    assert (late["flagged"], late["interest"], late["charged_on"]) == (True, "9.00", "2027-03-04")
    assert late["total_paid"] == "609.00"
    assert late["payments"][-1] == {"date": "2027-03-04", "amount": "309.00"}
    assert late["net"] == [
        {"scenario": "As written", "net": "309.00"},  # 300 + 9
        {"scenario": "Denied", "net": "609.00"},  # 600 + 9
    ]
    assert late["expected_net"] == "459.00"  # 0.5 × 309 + 0.5 × 609


def test_a_promotion_without_probabilities_has_no_expected_net_then() -> None:
    """docs/output.md: an expected net only where the plan gives probabilities."""
    terms = ketacost.FinanceTerms("Promo 2", 2, D("0.12"), deferred_interest=True)
    data = ketacost.estimate(two_at_300(), start=START, finance=terms).to_dict()["financing"]
    assert data["not_paid_in_time"]["expected_net"] is None
    assert data["not_paid_in_time"]["net"] == [{"scenario": "Self-pay", "net": "609.00"}]
