"""Pins of ``ketacost.engine.variants``: how a varied key is set into a clinic or a plan, and
how a bad point is named, on a small hand-made clinic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import ketacost
from ketacost.engine.variants import Axis, Variants, key_path
from ketacost.model.clinic import Clinic

D = Decimal
START = dt.date(2027, 1, 4)
BY_CODE = "examples/plans/by-code.yaml"

# Six sessions twice a week (750 × 2 + 600 × 4 = 3900, the last on day floor(5 × 3.5) = 17),
# then a booster every 4 weeks from day 17 + 28 = 45 (2027-02-18): over 2 months (59 days)
# there is one booster.
SIX = {
    "name": "Six sessions",
    "series": {
        "sessions": 6,
        "per_week": 2,
        "first_price": 750,
        "first_sessions": 2,
        "later_price": 600,
    },
    "maintenance": [{"kind": "booster", "every_weeks": 4, "price": 500, "label": "Booster"}],
}
BOOSTER_400 = {"kind": "booster", "every_weeks": 4, "price": 400, "label": "Cheaper booster"}


def six() -> Clinic:
    return Clinic.model_validate(SIX)


def refused(
    vary: dict[str, list[object]], plan: ketacost.Plan | None = None
) -> ketacost.SweepError:
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(six(), plan, vary=vary, start=START, months=2)
    return caught.value


def totals(vary: dict[str, list[object]]) -> list[Decimal]:
    return [row.total for row in ketacost.sweep(six(), vary=vary, start=START, months=2)]


def test_key_path_reads_ascii_digits_as_list_indexes() -> None:
    """docs/sweeps.md: a clinic path as --set takes it, maintenance.0.every_weeks."""
    assert key_path("maintenance.0.every_weeks") == ["maintenance", 0, "every_weeks"]
    assert key_path("series.²") == ["series", "²"]  # a digit, but not an ASCII one


# --- setting a value by its path ------------------------------------------------------------


def test_a_value_inside_a_list_item() -> None:
    """docs/sweeps.md: maintenance.0.price varies the first item's price."""
    assert totals({"maintenance.0.price": [450]}) == [3900 + 450]


def test_a_whole_list_item() -> None:
    """A key ending in an index replaces that item whole."""
    assert totals({"maintenance.0": [BOOSTER_400]}) == [3900 + 400]


def test_a_plan_key_without_a_plan_makes_a_what_if_plan() -> None:
    """docs/sweeps.md: without --plan, plan keys build a plan of their own, its sections too."""
    grid = ketacost.sweep(
        six(), vary={"plan.out_of_network.allowed": ["50%"]}, start=START, months=2
    )
    plan = grid.first_plan
    assert plan is not None
    assert plan.name == "What-if plan"
    assert plan.out_of_network is not None
    assert plan.out_of_network.allowed.model_dump() == {"percent": D("0.5")}


def test_a_billing_code_is_a_mapping_key_not_an_index() -> None:
    """A code such as 96365 under by_code is the mapping's key, written as text."""
    plan = ketacost.load_plan(BY_CODE)
    grid = ketacost.sweep(
        six(), plan, vary={"plan.out_of_network.allowed.by_code.96365": [100]}, start=START
    )
    varied = grid.first_plan
    assert varied is not None and varied.out_of_network is not None
    assert varied.out_of_network.allowed.model_dump()["by_code"] == {"96365": "100", "99214": "120"}


# --- a key the profile does not have --------------------------------------------------------


def test_an_index_past_the_end_of_a_list_names_the_missing_item() -> None:
    """A profile with one maintenance item has no maintenance.1 to vary."""
    error = refused({"maintenance.1.price": [1]})
    assert error.key == "maintenance.1.price"
    assert error.problems[0].path == "maintenance.1.price=1"
    assert error.problems[0].message == "the profile has no 'maintenance.1' to vary"
    assert error.problems[0].hint == (
        "vary a key under a section the profile has, e.g. series.later_price"
    )


def test_a_whole_item_past_the_end_of_a_list_is_missing() -> None:
    error = refused({"maintenance.1": [BOOSTER_400]})
    assert error.problems[0].message == "the profile has no 'maintenance.1' to vary"


def test_a_name_inside_a_list_is_missing() -> None:
    """A list is indexed by number: maintenance.price names no item."""
    error = refused({"maintenance.price": [1]})
    assert error.problems[0].message == "the profile has no 'maintenance.price' to vary"


def test_a_key_below_a_plain_value_is_missing_in_a_plan() -> None:
    """A code's allowed amount is a number: there is nothing below it to vary."""
    plan = ketacost.load_plan(BY_CODE)
    error = refused({"plan.out_of_network.allowed.by_code.96365.amount": [1]}, plan)
    assert error.problems[0].message == (
        "the plan has no 'out_of_network.allowed.by_code.96365' to vary"
    )
    assert error.problems[0].hint == (
        "vary a key under a section the plan has, e.g. out_of_network.allowed"
    )


# --- naming the point to blame --------------------------------------------------------------


def test_a_bad_value_is_located_on_its_own_label() -> None:
    """docs/sweeps.md: the error names the point; the value is underlined in the label."""
    error = refused({"series.later_price": [500, "lots"]})
    problem = error.problems[0]
    assert error.value == "lots"
    assert problem.source_line == "series.later_price=lots"
    assert (problem.line, problem.column, problem.width) == (1, 1, len("series.later_price=lots"))


def test_the_axis_whose_value_is_wrong_is_blamed() -> None:
    """Of two keys, the one whose value is wrong is named, not the first."""
    error = refused({"series.later_price": [500], "series.first_price": ["lots"]})
    assert error.key == "series.first_price"
    assert error.value == "lots"


def test_a_clash_between_fields_blames_the_first_key_at_that_point() -> None:
    """docs/clinic-format.md: price cannot sit beside first_price; no one value is wrong,
    so the first key is named, with its value at the point that fails."""
    error = refused({"series.later_price": [600, 650], "series.price": [None, 500]})
    # (600, None) is fine; (600, 500) is the first point that fails
    assert error.problems[0].path == "series.later_price=600, series.price=500"
    assert error.key == "series.later_price"
    assert error.value == 600


# --- variants -------------------------------------------------------------------------------


def test_a_variant_past_those_kept_is_built_again() -> None:
    """Only the first variants are kept; any other is built when asked for."""
    prices = tuple(range(1025))
    variants = Variants(
        Clinic, six(), [(0, Axis("series.later_price", prices), ["series", "later_price"])]
    )
    variants.check()
    built = variants.get((1024,))
    assert built is not None
    assert built.series.later_price == D(1024)


def test_each_value_of_a_varied_key_is_paired_with_the_others_first() -> None:
    """The currency of each clinic value is checked with the first values of other keys."""
    plan = ketacost.Plan.model_validate({"kind": "plan", "name": "US plan", "currency": "USD"})
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(
            six(),
            plan,
            vary={"currency": ["USD", "EUR"], "series.later_price": [500]},
            start=START,
        )
    assert caught.value.key == "currency"
    assert caught.value.value == "EUR"


def test_a_variant_keeps_only_what_the_base_states() -> None:
    """docs/insurance-rules.md: an empty in_network block states no terms, and is refused;
    a plan variant is the base as written plus the varied value, not every default."""
    inside = Clinic.model_validate({**SIX, "billing": {"network": "in-network"}})
    empty = ketacost.Plan.model_validate(
        {
            "kind": "plan",
            "name": "Empty in network",
            "in_network": {},
            "out_of_network": {"coinsurance": "0%", "allowed": "100%"},
        }
    )
    grid = ketacost.sweep(
        inside, empty, vary={"plan.out_of_network.allowed": ["50%"]}, start=START, months=2
    )
    with pytest.raises(ketacost.InputError) as caught:
        list(grid)
    assert "its in_network block is empty" in caught.value.problems[0].message
