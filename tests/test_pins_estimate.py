"""The estimate's own checks and wiring, through ``ketacost.estimate``: what it refuses,
what it warns of, and what the branch that stops early hands the tax estimate.

Expected figures are worked out by hand in the test text, in exact Decimal cents.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import ketacost
from ketacost.engine.savings import SavingsTerms
from ketacost.engine.tax import TaxTerms

D = Decimal
START = dt.date(2027, 1, 4)  # a Monday


def six_at_100() -> ketacost.Clinic:
    # Six $100 sessions, two a week from Monday 2027-01-04: all within January 2027.
    return ketacost.Clinic(name="Six at 100", series={"sessions": 6, "per_week": 2, "price": 100})


def esketamine() -> ketacost.Clinic:
    # $600 of drug (2 devices × $300) + $300 observation = $900 a session, 2 sessions.
    return ketacost.Clinic(
        name="Esketamine clinic",
        modality="esketamine",
        series={
            "sessions": 2,
            "per_week": 2,
            "device_price": 300,
            "devices": 2,
            "session_fee": 300,
        },
        billing={"network": "out-of-network", "superbill": True},
    )


def test_the_last_day_of_the_years_held_is_a_start() -> None:
    """docs/clinic-format.md: dates are between the years 1900 and 2200, both included."""
    last = dt.date(2200, 12, 31)
    result = ketacost.estimate(six_at_100(), start=last, months=1)
    assert result.start == last
    assert result.total == 6 * D(100)
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.estimate(six_at_100(), start=last + dt.timedelta(days=1), months=1)
    assert caught.value.problems[0].path == "start"


def test_a_plan_with_more_than_twenty_scenarios_is_refused() -> None:
    """An estimate weighs at most 20 scenarios of a plan; the 21st refuses the plan."""
    plan = ketacost.Plan.model_validate(
        {
            "name": "Too many outcomes",
            "out_of_network": {"deductible": 0, "allowed": "100%"},
            "scenarios": [{"name": f"Outcome {n}"} for n in range(1, 22)],
        }
    )
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.estimate(six_at_100(), plan, start=START)
    (problem,) = caught.value.problems
    assert problem.path == "plan scenarios"
    assert "21 scenarios, more than the 20 an estimate weighs" in problem.message


def test_an_hsa_beside_a_plan_that_says_it_is_no_hdhp_is_refused() -> None:
    """docs/tax.md: an HSA needs a high-deductible plan; `hdhp: false` says it is not one."""
    plan = ketacost.Plan(
        name="Not an HDHP",
        hdhp=False,
        out_of_network={"deductible": 100_000, "allowed": "100%"},
    )
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.estimate(six_at_100(), plan, start=START, tax=TaxTerms(D("0.22"), hsa="self"))
    (problem,) = caught.value.problems
    assert problem.path == "Not an HDHP"
    assert "hdhp: false" in problem.message


def test_an_hsa_without_a_plan_is_not_judged_against_one() -> None:
    """docs/tax.md: only a plan given is judged as an HDHP; self-pay HSA money still saves."""
    result = ketacost.estimate(six_at_100(), start=START, tax=TaxTerms(D("0.22"), hsa="self"))
    assert result.tax is not None
    # 600 of expenses, all within the HSA limit: 600 × 22% saved
    assert result.tax.total_saving == 6 * D(100) * D("0.22") == D("132.00")


def test_the_savings_program_without_a_plan_is_refused() -> None:
    """docs/tax.md (the esketamine savings program): it needs commercial insurance."""
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.estimate(esketamine(), start=START, savings=SavingsTerms())
    (problem,) = caught.value.problems
    assert problem.path == "savings"
    assert "needs commercial insurance, and no plan was given" in problem.message


def test_a_superbill_above_the_price_paid_warns_under_a_plan() -> None:
    """docs/adjudication.md: a superbill that asks more than was paid is reimbursed at most
    what was paid, and the estimate warns about it."""
    clinic = ketacost.Clinic(
        name="Cheap cash, dear codes",
        series={"sessions": 2, "per_week": 2, "price": 200},
        billing={
            "network": "out-of-network",
            "superbill": True,
            "codes": [{"code": "96365", "amount": 750}],
        },
    )
    plan = ketacost.Plan(name="Full", out_of_network={"deductible": 0, "allowed": "100%"})
    result = ketacost.estimate(clinic, plan, start=START)
    (scenario,) = result.scenarios
    # allowed 750 each, coinsurance 0: the plan's part is 750, yet at most the 200 paid comes back
    assert scenario.reimbursed == 2 * D(200)
    (said,) = result.warnings
    assert said.startswith(
        "The superbill asks more than was paid (Session 1: billed $750.00, paid $200.00)"
    )
    assert "2 claims get back less than the plan's part" in said


def test_the_tax_of_the_branch_that_stops_early_is_its_own() -> None:
    """docs/tax.md with response odds: the years of stopping early are worked out the same
    way, from the sessions it keeps, and weighed by the response rate."""
    response = ketacost.ResponseTerms(D("0.5"))  # stops after 3 sessions when it does not help
    terms = TaxTerms(D("0.22"), fsa=True)
    result = ketacost.estimate(six_at_100(), start=START, response=response, tax=terms)
    assert result.tax is not None
    # whole treatment: 6 × 100 = 600 from the FSA, × 22% = 132
    assert result.tax.total_saving == 6 * D(100) * D("0.22") == D("132.00")
    # stopping after 3: 3 × 100 = 300 from the FSA, × 22% = 66
    assert result.tax.if_it_does_not is not None
    (year,) = result.tax.if_it_does_not
    assert (year.year, year.expenses) == (2027, 3 * D(100))
    assert year.saving == 3 * D(100) * D("0.22") == D("66.00")
    # weighed: 50% × 132 + 50% × 66
    assert result.tax.expected_saving == D("0.5") * 132 + D("0.5") * 66 == D("99.00")


def test_the_tax_years_weigh_the_scenarios_by_their_probabilities() -> None:
    """docs/tax.md: with scenario probabilities the tax years are weighted by them."""
    plan = ketacost.Plan.model_validate(
        {
            "name": "Half back or nothing",
            "out_of_network": {"deductible": 0, "coinsurance": "50%", "allowed": "100%"},
            "scenarios": [
                {"name": "As written", "probability": "0.6"},
                {"name": "Denied", "covered": False, "probability": "0.4"},
            ],
        }
    )
    terms = TaxTerms(D("0.22"), fsa=True)
    result = ketacost.estimate(six_at_100(), plan, start=START, tax=terms)
    assert result.tax is not None and result.tax.weighted
    # as written: 600 paid − 6 × 50 back = 300 of expenses, × 22% = 66
    # denied: 600 of expenses, × 22% = 132; weighed 0.6 × 66 + 0.4 × 132
    assert result.tax.total_saving == D("0.6") * 66 + D("0.4") * 132 == D("92.40")
