"""Pins of ``ketacost.engine.sweep``: which point wins, what is checked before the first row,
and the figures of a point, on small hand-made clinics and plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import ketacost
from ketacost.engine.response import ResponseTerms
from ketacost.engine.sweep import Axis, Extremes, Sweep, better
from ketacost.errors import InputError

D = Decimal
START = dt.date(2027, 1, 4)

# Six sessions twice a week: 750 × 2 + 600 × 4 = 3900, all in the first month.
SIX = {
    "name": "Six sessions",
    "series": {
        "sessions": 6,
        "per_week": 2,
        "first_price": 750,
        "first_sessions": 2,
        "later_price": 600,
    },
    "billing": {"network": "out-of-network", "superbill": True},
}
# The plan pays all of the allowed amount: no deductible, no coinsurance.
OUT_ONLY = {
    "kind": "plan",
    "name": "Out of network only",
    "out_of_network": {"deductible": 0, "coinsurance": "0%", "allowed": "100%"},
}


def six(**changes: object) -> ketacost.Clinic:
    return ketacost.Clinic.model_validate({**SIX, **changes})


def plan(**changes: object) -> ketacost.Plan:
    return ketacost.Plan.model_validate({**OUT_ONLY, **changes})


# One session on day 0, a daily booster from day 1, lozenge fills capped at 1,736 and four
# fees per session (docs/clinic-format.md: a booster is a session, a lozenge fill is not).
# Over 120 months from 2027-01-04 (3,653 days: three leap days) that is
# 1 + 3,652 + 1,736 + 4 × (1 + 3,652) = 20,001 charges, over the limit of 20,000; from
# 2029-01-04 (3,652 days: two leap days) 1 + 3,651 + 1,736 + 4 × (1 + 3,651) = 19,996.
DAILY = {
    "name": "Daily",
    "series": {"sessions": 1, "price": 10},
    "maintenance": [
        {"kind": "booster", "per_week": 7, "price": 10, "label": "Daily booster"},
        {"kind": "lozenge", "per_week": 7, "fill_price": 1, "label": "Fills", "count": 1736},
    ],
    "fees": [{"name": f"Fee {n}", "amount": 1, "per": "session"} for n in range(4)],
}
TOO_BIG = dt.date(2027, 1, 4)  # 20,001 charges over 120 months
FITS = dt.date(2029, 1, 4)  # 19,996 charges over 120 months
assert 1 + 3652 + 1736 + 4 * (1 + 3652) == 20_001
assert 1 + 3651 + 1736 + 4 * (1 + 3651) == 19_996


def daily() -> ketacost.Clinic:
    return ketacost.Clinic.model_validate(DAILY)


# --- which point wins -----------------------------------------------------------------------


def test_the_earliest_point_wins_a_tie_for_best_and_for_worst() -> None:
    """Of points with the same figure, the first computed is named best (and worst)."""
    grid = ketacost.sweep(
        six(), vary={"series.later_price": [600, D("600"), 500, D("500")]}, start=START, months=1
    )
    extremes = Extremes("total")
    rows = list(grid)
    for row in rows:
        extremes.add(row)
    # docs/sweeps.md: the best point has the lowest value. 750 × 2 + 500 × 4 = 3500 twice,
    # 750 × 2 + 600 × 4 = 3900 twice: the earlier of each pair is the one named.
    assert [r.total for r in rows] == [750 * 2 + 600 * 4] * 2 + [750 * 2 + 500 * 4] * 2
    assert extremes.first is rows[0]
    assert extremes.best is rows[2]
    assert extremes.worst is rows[0]


def test_a_tie_on_reimbursed_keeps_the_first_point() -> None:
    """Without a plan nothing comes back anywhere: the first point is best and worst."""
    grid = ketacost.sweep(six(), vary={"series.later_price": [500, 600]}, start=START, months=1)
    extremes = Extremes("reimbursed")
    rows = list(grid)
    for row in rows:
        extremes.add(row)
    assert [r.reimbursed for r in rows] == [D(0), D(0)]
    assert extremes.best is rows[0]
    assert extremes.worst is rows[0]


def test_equal_figures_do_not_beat_each_other() -> None:
    """docs/sweeps.md: lowest is best, highest for reimbursed; an equal figure is no better."""
    assert not better("net", D("500"), D("500"))
    assert not better("reimbursed", D("500"), D("500"))
    assert better("net", D("499.99"), D("500"))
    assert better("reimbursed", D("500.01"), D("500"))


# --- the figures of a point -----------------------------------------------------------------


def test_each_network_of_a_varied_billing_uses_that_networks_terms() -> None:
    """docs/insurance-rules.md: the clinic's billing.network picks the plan's block."""
    both = plan(
        name="Both networks",
        in_network={"deductible": 0, "coinsurance": "20%", "allowed": "100%"},
        out_of_network={"deductible": 0, "coinsurance": "0%", "allowed": "50%"},
    )
    grid = ketacost.sweep(
        six(), both, vary={"billing.network": ["out-of-network", "in-network"]}, start=START,
        months=1,
    )  # fmt: skip
    out, inside = list(grid)
    # out of network: half of the 3900 allowed comes back; in network you pay 20% at the visit
    assert out.net == 3900 - 3900 * D("0.5") == D("1950")
    assert inside.net == 3900 * D("0.2") == D("780")
    assert inside.peak_outlay == D("780")


def test_terms_given_for_every_point_weigh_in() -> None:
    """A term passed to sweep() holds at every point, as estimate's keyword does."""
    grid = ketacost.sweep(
        six(), vary={"months": [1]}, start=START, response=ResponseTerms(rate=D("0.5"))
    )
    (row,) = list(grid)
    # docs/financing.md: a non-responder stops after 3 series sessions (750 + 750 + 600);
    # the total weighs the two branches half and half.
    assert row.total == D("0.5") * 3900 + D("0.5") * (750 + 750 + 600) == D("3000")


def test_the_scenario_standing_for_you_is_the_one_named() -> None:
    """docs/sweeps.md: net is the named scenario's; reimbursed too where there are no odds."""
    two = plan(scenarios=[{"name": "Paid"}, {"name": "Half", "allowed": "50%"}])
    axes = [Axis("months", (1,))]
    (second,) = list(Sweep(six(), two, axes, start=START, months=1, scenario=1))
    assert second.net == 3900 - 3900 * D("0.5")
    assert second.reimbursed == 3900 * D("0.5")
    # None: the expected value, which without odds is the first scenario's
    (expected,) = list(Sweep(six(), two, axes, start=START, months=1, scenario=None))
    assert expected.net == D(0)  # the first scenario pays all 3900 back
    assert expected.reimbursed == D(3900)
    assert expected.expected_net is None


def test_a_single_scenario_with_odds_has_probabilities() -> None:
    """A plan whose one scenario has a probability weighs it: there is an expected net."""
    sure = plan(scenarios=[{"name": "Paid", "probability": "100%"}])
    grid = ketacost.sweep(six(), sure, vary={"months": [1]}, start=START)
    assert grid.has_probabilities
    assert not ketacost.sweep(six(), plan(), vary={"months": [1]}, start=START).has_probabilities


def test_coverage_varied_beside_a_single_clinic_value() -> None:
    """docs/sweeps.md: plan and clinic keys vary together, one row per point."""
    grid = ketacost.sweep(
        six(),
        plan(),
        vary={"series.later_price": [500], "plan.coverage": ["commercial", "medicare"]},
        start=START,
        months=1,
    )
    rows = list(grid)
    assert [r.values for r in rows] == [(500, "commercial"), (500, "medicare")]
    assert [r.total for r in rows] == [750 * 2 + 500 * 4] * 2


# --- checked before the first row -----------------------------------------------------------


def test_a_grid_of_exactly_a_million_points_is_allowed() -> None:
    """docs/errors.md: a sweep holds at most 1,000,000 points, exactly that many included."""
    starts = [START + dt.timedelta(days=n) for n in range(1000)]
    grid = ketacost.sweep(
        six(),
        vary={
            "start": starts,
            "months": list(range(1, 101)),
            "series.later_price": list(range(500, 510)),
        },
        start=START,
    )
    assert len(grid) == 1000 * 100 * 10 == 1_000_000


def test_a_term_estimate_does_not_take_is_refused() -> None:
    """Only estimate's terms may be given: clinic_file, start and months are not terms."""
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(six(), vary={"months": [1]}, start=START, clinic_file="six.yaml")
    assert caught.value.key == "clinic_file"
    assert caught.value.problems[0].message == "estimate takes no 'clinic_file'"
    assert caught.value.problems[0].hint == "one of response, personal, finance, savings, tax"


def test_a_bad_term_for_every_point_is_refused_when_the_sweep_is_made() -> None:
    """docs/api.md: every point is checked when sweep() is called, its fixed terms too."""
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(six(), vary={"months": [1]}, start=START, response="50%")
    assert "expected ResponseTerms" in caught.value.problems[0].message


def test_a_bad_varied_term_names_its_key_and_value() -> None:
    """docs/api.md: SweepError names the key and the value to blame."""
    half = ResponseTerms(rate=D("0.5"))
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(six(), vary={"response": [half, "50%"]}, start=START, months=1)
    assert caught.value.key == "response"
    assert caught.value.value == "50%"
    assert caught.value.problems[0].path == "response=50%"


def test_the_first_thousand_combinations_of_terms_are_tried_up_front() -> None:
    """Varied terms are tried up front up to 1,000 combinations; later ones at their row."""
    half = ResponseTerms(rate=D("0.5"))
    # the 1,000th combination is bad: refused when the sweep is made
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(six(), vary={"response": [half] * 999 + ["50%"]}, start=START, months=1)
    assert caught.value.value == "50%"
    # the 1,001st is not tried up front: the sweep is made (its row will refuse it)
    grid = ketacost.sweep(six(), vary={"response": [half] * 1000 + ["50%"]}, start=START, months=1)
    assert len(grid) == 1001


def test_months_must_be_whole_numbers_not_booleans() -> None:
    """docs/sweeps.md: months takes whole numbers; True is not one."""
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(six(), vary={"months": [True]}, start=START)
    assert caught.value.problems[0].message == "expected a whole number"


def test_a_network_the_plan_has_no_terms_for_is_refused_when_the_sweep_is_made() -> None:
    """docs/insurance-rules.md: a plan without terms for the clinic's network is refused."""
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(
            six(), plan(), vary={"billing.network": ["out-of-network", "in-network"]}, start=START
        )
    assert caught.value.key == "billing.network"
    assert caught.value.value == "in-network"


def test_a_pair_that_cannot_go_together_blames_the_plan_value() -> None:
    """The point names both values; the plan's, the last given, is the one to blame."""
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(
            six(),
            plan(),
            vary={"billing.network": ["in-network"], "plan.coverage": ["commercial"]},
            start=START,
        )
    assert caught.value.key == "plan.coverage"
    assert caught.value.value == "commercial"
    assert caught.value.problems[0].path == "billing.network=in-network, plan.coverage=commercial"


def test_a_fixed_pair_that_cannot_go_together_fails_as_estimate_does() -> None:
    """Nothing varied makes the pair: the estimate's own error, at the first row."""
    inside = six(billing={"network": "in-network"})
    with pytest.raises(InputError) as caught:
        list(ketacost.sweep(inside, plan(), vary={"months": [1]}, start=START))
    assert "has no in_network terms" in caught.value.problems[0].message


def test_a_clinic_and_plan_in_two_currencies_blame_the_plan_value() -> None:
    """docs/api.md: a point whose plan is in another currency than its clinic is refused."""
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(
            six(), plan(), vary={"currency": ["USD"], "plan.currency": ["EUR"]}, start=START
        )
    assert caught.value.key == "plan.currency"
    assert caught.value.value == "EUR"
    assert caught.value.problems[0].path == "currency=USD, plan.currency=EUR"


# --- a schedule too big to make (docs/clinic-format.md: 20,000 charges) --------------------


def test_the_longest_horizon_is_checked_up_front() -> None:
    """Each clinic is tried at the longest horizon varied before any row."""
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(daily(), vary={"months": [1, 120]}, start=TOO_BIG)
    assert caught.value.key == "months"
    assert caught.value.value == 120
    assert "20,001 charges" in caught.value.problems[0].message


def test_a_clinic_too_big_names_its_first_clinic_value() -> None:
    """The point is named whole; the first clinic key's value is the one to blame."""
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(
            daily(),
            vary={"maintenance.1.count": [1, 1736], "series.price": [10, 20]},
            start=TOO_BIG,
            months=120,
        )
    # with 1 fill: 20,001 − 1,735 = 18,266 charges; with 1,736 fills: 20,001
    assert caught.value.key == "maintenance.1.count"
    assert caught.value.value == 1736
    assert caught.value.problems[0].path == (
        "maintenance.1.count=1736, series.price=10, months=120"
    )


def test_ten_thousand_starts_are_each_checked_up_front() -> None:
    """Up to 10,000 clinic variants × starts, every start is tried before any row."""
    starts = [FITS] * 5000 + [TOO_BIG] + [FITS] * 4999
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(daily(), vary={"start": starts}, start=FITS, months=120)
    assert caught.value.problems[0].path == "start=2027-01-04, months=120"


@pytest.mark.parametrize("where", [0, -1])
def test_beyond_ten_thousand_the_first_and_last_starts_are_checked_up_front(where: int) -> None:
    """Over 10,000 clinic variants × starts, the first and the last start are tried."""
    starts = [FITS] * 10_001
    starts[where] = TOO_BIG
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(daily(), vary={"start": starts}, start=FITS, months=120)
    assert caught.value.problems[0].path == "start=2027-01-04, months=120"


def test_beyond_ten_thousand_a_middle_start_too_big_is_refused_at_its_row() -> None:
    """A start not tried up front is refused at its own row, naming the whole point."""
    starts = [FITS, TOO_BIG] + [FITS] * 9999
    grid = ketacost.sweep(daily(), vary={"start": starts, "months": [120]}, start=FITS)
    rows = iter(grid)
    first = next(rows)
    assert first.values == (FITS, 120)
    with pytest.raises(ketacost.SweepError) as caught:
        next(rows)
    # the first axis and its value are blamed
    assert caught.value.key == "start"
    assert caught.value.value == TOO_BIG
    assert caught.value.problems[0].path == "start=2027-01-04, months=120"
    assert "20,001 charges" in caught.value.problems[0].message


def test_a_plan_variant_with_too_many_scenarios_is_refused_up_front() -> None:
    """Every plan a sweep makes is held to estimate's limit of 20 scenarios, not only its
    first: a later variant with 21 is refused when the sweep is made, naming its value."""
    many = [{"name": f"Outcome {n}"} for n in range(1, 22)]
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(
            six(), plan(), vary={"plan.scenarios": [[{"name": "One"}], many]}, start=START
        )
    assert caught.value.key == "plan.scenarios"
    assert caught.value.value == many
    assert caught.value.problems[0].path.startswith(
        "plan.scenarios=[{'name': 'Outcome 1'}, {'name': 'Outcome 2'}"
    )
    assert caught.value.problems[0].message == ("21 scenarios, more than the 20 an estimate weighs")
    twenty = many[:20]  # at the limit: swept
    rows = list(
        ketacost.sweep(
            six(), plan(), vary={"plan.scenarios": [[{"name": "One"}], twenty]}, start=START
        )
    )
    assert len(rows) == 2
