"""Personal costs by hand: each visit to the clinic is a ride home, hours off work and
childcare; treatment at home takes no trips."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from ketacost.engine.personal import personal_costs
from ketacost.engine.schedule import Charge
from ketacost.model.personal import PersonalCosts

D = Decimal
DAY = dt.date(2027, 1, 4)


def session(number: int) -> Charge:
    day = DAY + dt.timedelta(days=7 * (number - 1))
    return Charge(day, "series", f"Session {number}", D(500), True, "Series", "Sessions")


CHARGES = [session(1), session(2), session(3), session(4)]
CHARGES.append(Charge(DAY, "fee", "Intake", D(250), False, "Fees", "Intake"))  # no visit


def test_four_visits_by_hand() -> None:
    costs = PersonalCosts(ride=D(40), hourly_wage=D(30), hours_off=D(3), childcare=D(60))
    found = personal_costs(costs, CHARGES, "iv-infusion")
    lines = [(line.name, line.quantity, line.each, line.amount) for line in found.lines]
    assert lines == [
        ("Rides home (round trip)", 4, 40, 4 * 40),
        ("Time off work", 4, 3 * 30, 4 * 3 * 30),
        ("Childcare", 4, 60, 4 * 60),
    ]
    assert found.total == 4 * 40 + 4 * 3 * 30 + 4 * 60 == 760
    assert (found.sessions, found.hours_per_session, found.hourly_wage) == (4, 3, 30)


def test_hours_off_a_half_hour_at_a_wage_with_cents() -> None:
    costs = PersonalCosts(hourly_wage=D("22.50"), hours_off=D("2.5"))
    found = personal_costs(costs, CHARGES[:1], "iv-infusion")
    (line,) = found.lines  # nothing for rides or childcare: none was given
    assert (line.each, line.amount) == (D("2.5") * D("22.50"), D("56.25"))


def test_treatment_at_home_takes_no_trips() -> None:
    costs = PersonalCosts(ride=D(40), hourly_wage=D(30), childcare=D(60))
    found = personal_costs(costs, CHARGES, "at-home")
    assert (found.sessions, found.total) == (0, 0)


def test_personal_costs_cannot_be_changed_afterwards() -> None:
    found = personal_costs(PersonalCosts(ride=D(40)), CHARGES, "iv-infusion")
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.total = D(0)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.lines[0].amount = D(0)  # type: ignore[misc]
