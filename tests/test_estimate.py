"""The estimate's own rules, through the library: the ranges of its arguments, the terms
it checks, what it hands the tax estimate, and the reuse of a clinic's schedule.

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


def six_sessions() -> ketacost.Clinic:
    # Two a week from Monday 2027-01-04: Jan 4, 7, 11, 14, 18, 21; $750 × 2, then $600 × 4.
    series = {
        "sessions": 6,
        "per_week": 2,
        "first_price": 750,
        "first_sessions": 2,
        "later_price": 600,
    }
    return ketacost.Clinic(name="Six sessions", series=series)


def esketamine() -> ketacost.Clinic:
    # $600 of drug (2 devices × $300) + $300 observation = $900 a session, 4 sessions.
    return ketacost.Clinic(
        name="Esketamine clinic",
        modality="esketamine",
        series={
            "sessions": 4,
            "per_week": 2,
            "device_price": 300,
            "devices": 2,
            "session_fee": 300,
        },
        billing={"network": "out-of-network", "superbill": True},
    )


# A commercial plan whose deductible is far from met: the patient bears every claim in full.
DEDUCTIBLE_ONLY = ketacost.Plan(
    name="Commercial plan, deductible not met",
    out_of_network={"deductible": 100_000, "allowed": "100%"},
)


@pytest.mark.parametrize("months", [1, 120])
def test_the_ends_of_the_horizon_are_accepted(months: int) -> None:
    result = ketacost.estimate(six_sessions(), start=START, months=months)
    # All six sessions fall within the first month (Jan 4 to Jan 21).
    assert result.total == D(750) * 2 + D(600) * 4 == D(3900)
    assert result.months == months


@pytest.mark.parametrize("months", [0, 121])
def test_a_horizon_past_either_end_is_refused(months: int) -> None:
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.estimate(six_sessions(), start=START, months=months)
    assert caught.value.problems[0].path == "months"


def test_the_first_day_of_the_years_held_is_a_start() -> None:
    first = dt.date(1900, 1, 1)
    result = ketacost.estimate(six_sessions(), start=first, months=1)
    assert result.start == first
    assert result.total == D(3900)
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.estimate(six_sessions(), start=first - dt.timedelta(days=1), months=1)
    assert caught.value.problems[0].path == "start"


def test_tax_terms_of_the_wrong_type_are_refused_on_their_own() -> None:
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.estimate(six_sessions(), start=START, tax="22%")  # type: ignore[arg-type]
    (problem,) = caught.value.problems
    assert problem.path == "tax"
    assert "expected TaxTerms, got str '22%'" in problem.message


def test_savings_terms_of_the_wrong_type_are_refused_on_their_own() -> None:
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.estimate(esketamine(), DEDUCTIBLE_ONLY, start=START, savings=True)  # type: ignore[arg-type]
    (problem,) = caught.value.problems
    assert problem.path == "savings"
    assert "expected SavingsTerms, got bool True" in problem.message


def test_the_savings_programme_payments_reduce_the_years_medical_expenses() -> None:
    terms = TaxTerms(marginal_rate=D("0.22"), hsa="self")
    # a plan file without in-network terms says it is a high-deductible plan for an HSA
    hdhp = DEDUCTIBLE_ONLY.model_copy(update={"hdhp": True})
    result = ketacost.estimate(esketamine(), hdhp, start=START, savings=SavingsTerms(), tax=terms)
    (scenario,) = result.scenarios
    # The programme pays 600 − the $10 floor = $590 of each $900 session, in the same
    # year: 2027's expenses are 4 × 900 − 4 × 590 = 1,240, all paid from the HSA
    # (limit 4,400): 1,240 × 22% = 272.80.
    assert scenario.savings_program == 4 * (D(600) - D(10))
    assert result.tax is not None
    (year,) = result.tax.years
    assert year.expenses == 4 * D(900) - 4 * D(590) == D(1240)
    assert year.hsa_fsa == D(1240)
    assert year.saving == D(1240) * D("0.22") == D("272.80")


def test_repeated_estimates_of_one_clinic_object_reuse_its_schedule() -> None:
    # The throughput of many estimates (several plans, other terms) rests on this.
    clinic = six_sessions()
    first = ketacost.estimate(clinic, start=START)
    again = ketacost.estimate(clinic, DEDUCTIBLE_ONLY, start=START)
    assert again.events is first.events
    assert ketacost.estimate(six_sessions(), start=START).events is not first.events


def test_each_line_of_charges_says_its_first_and_last_date() -> None:
    (series,) = ketacost.estimate(six_sessions(), start=START).phases
    assert [
        (line.description, line.quantity, line.amount, line.first_date, line.last_date)
        for line in series.lines
    ] == [
        ("First sessions 1–2", 2, 2 * D(750), dt.date(2027, 1, 4), dt.date(2027, 1, 7)),
        ("Later sessions 3–6", 4, 4 * D(600), dt.date(2027, 1, 11), dt.date(2027, 1, 21)),
    ]
    assert series.subtotal == 2 * D(750) + 4 * D(600) == D(3900)


def test_a_maintenance_line_takes_its_phase_name_and_a_fee_its_own() -> None:
    clinic = ketacost.Clinic(
        name="Sessions, boosters and fees",
        series={"sessions": 2, "per_week": 2, "price": 500},
        fees=[
            {"name": "Intake", "amount": 300, "per": "once"},
            {"name": "Membership", "amount": 50, "per": "month"},
        ],
        maintenance=[{"kind": "booster", "price": 450, "every_weeks": 4}],
    )
    # Sessions Jan 4 and 7; boosters every 4 weeks from 4 weeks after Jan 7: Feb 4, Mar 4
    # and Apr 1, all before Apr 4, the first day after the 3-month horizon.
    result = ketacost.estimate(clinic, start=START, months=3)
    lines = [
        (phase.name, line.description, line.quantity, line.amount)
        for phase in result.phases
        for line in phase.lines
    ]
    assert lines == [
        ("Series", "Sessions 1–2", 2, 2 * D(500)),
        ("Booster every 4 weeks", "Booster every 4 weeks", 3, 3 * D(450)),
        ("Fees", "Intake", 1, D(300)),
        ("Fees", "Membership", 3, 3 * D(50)),  # Jan 4, Feb 4, Mar 4
    ]
