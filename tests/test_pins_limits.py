"""Pins of ``ketacost.engine.limits``: the charges counted from the cadences, and the limits
of 20,000 charges and 20 scenarios, exactly at their edges (docs/clinic-format.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ketacost
from ketacost.engine.limits import (
    event_counts,
    too_many_charges,
    too_many_scenarios,
    too_much_work,
)
from ketacost.model.clinic import Clinic
from ketacost.model.plan import Plan

START = dt.date(2027, 1, 4)
ONE_SESSION = {"sessions": 1, "price": 10}


def clinic(**changes: Any) -> Clinic:
    return Clinic.model_validate({"name": "Limits", "series": ONE_SESSION, **changes})


def plan_with(scenarios: int) -> Plan:
    return Plan.model_validate(
        {
            "kind": "plan",
            "name": "Many outcomes",
            "out_of_network": {"coinsurance": "40%"},
            "scenarios": [{"name": f"Outcome {n}"} for n in range(scenarios)],
        }
    )


def made_by_schedule(profile: Clinic, start: dt.date, months: int) -> dict[str, int]:
    """How many charges the schedule itself makes, by phase or fee name."""
    made: dict[str, int] = {}
    for event in ketacost.estimate(profile, start=start, months=months).events:
        name = event.phase if event.item != "fee" else event.label
        made[name] = made.get(name, 0) + 1
    return made


# --- counting ---------------------------------------------------------------------------------


def test_an_item_first_due_after_a_fractional_interval_starts_a_whole_day_early() -> None:
    """docs/clinic-format.md: an item starts one interval of its own cadence after the last
    series session, in whole days: two a week is every 3.5 days, the first on day 3."""
    booster = {"kind": "booster", "per_week": 2, "price": 100, "label": "Booster"}
    profile = clinic(maintenance=[booster])
    # February 2027 has 28 days; boosters on days 3, 6.5, 10, …, 27.5, floored: 8 of them.
    # Starting on day 4 would make only 7 (days 4, 7.5, …, 25).
    counts = dict(event_counts(profile, dt.date(2027, 2, 1), 1))
    assert counts[("maintenance", 0)] == len(range(0, 8)) == 8
    assert counts[("series",)] == 1
    assert sum(counts.values()) == sum(made_by_schedule(profile, dt.date(2027, 2, 1), 1).values())


def test_an_item_with_one_day_left_makes_one_charge() -> None:
    """An item whose first day is the horizon's last makes exactly one charge."""
    booster = {"kind": "booster", "every_weeks": 4, "after_weeks": 4, "price": 100}
    profile = clinic(maintenance=[{**booster, "label": "Booster"}])
    # February 2028 has 29 days (a leap year): the booster's first is on day 7 × 4 = 28.
    counts = dict(event_counts(profile, dt.date(2028, 2, 1), 1))
    assert counts[("maintenance", 0)] == 1
    assert made_by_schedule(profile, dt.date(2028, 2, 1), 1)["Booster"] == 1  # on 2028-02-29


def test_an_item_due_after_the_horizon_makes_none() -> None:
    """A booster first due after the horizon's end adds no charge."""
    booster = {"kind": "booster", "every_weeks": 4, "after_weeks": 5, "price": 100}
    profile = clinic(maintenance=[{**booster, "label": "Booster"}])
    # first on day 35; January 2027 from the 4th to February 4th is 31 days
    counts = dict(event_counts(profile, START, 1))
    assert counts[("maintenance", 0)] == 0


def test_fees_count_once_per_month_or_per_session() -> None:
    """docs/clinic-format.md: a fee is charged once, each month, or at each session."""
    fees = [
        {"name": "Intake", "amount": 100, "per": "once"},
        {"name": "Membership", "amount": 50, "per": "month"},
    ]
    profile = clinic(fees=fees)
    counts = dict(event_counts(profile, START, 3))
    assert counts[("fees", 0)] == 1
    assert counts[("fees", 1)] == 3


# --- the limit of 20,000 charges --------------------------------------------------------------

# One session, a daily booster from day 1, capped lozenge fills and four fees per session.
# From 2027-01-04 over 120 months (3,653 days): 1 + 3,652 boosters + fills + 4 × 3,653.
DAILY_FEES = [{"name": f"Fee {n}", "amount": 1, "per": "session"} for n in range(4)]


def daily(fills: int) -> Clinic:
    return clinic(
        maintenance=[
            {"kind": "booster", "per_week": 7, "price": 10, "label": "Daily booster"},
            {"kind": "lozenge", "per_week": 7, "fill_price": 1, "label": "Fills", "count": fills},
        ],
        fees=DAILY_FEES,
    )


def test_exactly_twenty_thousand_charges_are_allowed() -> None:
    """docs/clinic-format.md: at most 20,000 charges in one estimate, that many included."""
    assert 1 + 3652 + 1735 + 4 * 3653 == 20_000
    assert sum(made for _, made in event_counts(daily(1735), START, 120)) == 20_000
    assert too_many_charges(daily(1735), START, 120) is None
    assert too_much_work(daily(1735), START, 120) is None


def test_a_horizon_the_months_rule_refuses_is_left_to_it() -> None:
    """A horizon outside 1 to 120 months is the months rule's error (horizon.months_problem),
    not a count of charges: too_much_work says nothing of it, however busy the clinic."""
    assert too_many_charges(daily(1736), START, 120) is not None
    for months in (0, 121, -1):
        assert too_much_work(daily(1736), START, months) is None
    assert too_much_work(daily(1736), START, 1) is None  # a month of it is few charges


def test_one_charge_over_the_limit_is_refused_naming_the_busiest_item() -> None:
    """Over 20,000 charges, the item making the most is named (the first, on a tie)."""
    refused = too_much_work(daily(1736), START, 120)
    assert refused is not None
    assert refused.profile == "clinic"
    # each fee makes 1 + 3,652 = 3,653, one more than the boosters' 3,652
    assert refused.where == ("fees", 0)
    assert refused.message == (
        f"this estimate would make {1 + 3652 + 1736 + 4 * 3653:,} charges over 120 months,"
        f" more than 20,000; fees.0 alone makes {1 + 3652:,}"
    )


def test_a_long_series_without_maintenance_is_counted_too() -> None:
    """Without maintenance the series and its fees alone can pass the limit."""
    series = {"sessions": 1000, "per_week": 7, "price": 10}
    fees = [{"name": f"Fee {n}", "amount": 1, "per": "session"} for n in range(20)]
    profile = clinic(series=series, fees=fees)
    # 36 months from 2027-01-04 is 1,096 days: all 1,000 daily sessions, each with 20 fees
    refused = too_many_charges(profile, START, 36)
    assert refused is not None
    assert f"would make {1000 + 20 * 1000:,} charges" in refused.message
    assert "series alone makes 1,000" in refused.message


# --- the limit of 20 scenarios, and the horizon ------------------------------------------------


def test_exactly_twenty_scenarios_are_allowed() -> None:
    """docs/clinic-format.md: a plan weighs at most 20 scenarios."""
    assert too_many_scenarios(plan_with(20)) is None
    refused = too_many_scenarios(plan_with(21))
    assert refused is not None
    assert refused.where == ("scenarios",)
    assert refused.message == "21 scenarios, more than the 20 an estimate weighs"


def test_scenarios_are_weighed_at_every_horizon_from_one_to_120_months() -> None:
    """A horizon of 1 and of 120 months is checked; 0 or 121 is estimate's own error."""
    for months in (1, 120):
        refused = too_much_work(clinic(), START, months, plan_with(21))
        assert refused is not None and refused.profile == "plan", months
    for months in (0, 121):
        assert too_much_work(clinic(), START, months, plan_with(21)) is None, months


def test_the_months_rule_hints_at_the_bound_it_broke() -> None:
    from ketacost.engine.horizon import months_problem

    too_short, too_long = months_problem(0), months_problem(121)
    assert too_short is not None and too_long is not None
    assert too_short.hint == "use a horizon of at least one month"
    assert too_long.hint == "use a horizon of at most ten years"
    assert months_problem(1) is None and months_problem(120) is None
