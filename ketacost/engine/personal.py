"""Personal costs over the horizon: rides, time off work and childcare per session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..model.personal import PersonalCosts
from ..money import ZERO, format_money, round_cents
from .schedule import Charge, visit_modality


@dataclass(frozen=True, slots=True)
class PersonalLine:
    """One kind of personal cost: how many sessions, at what each, in all."""

    name: str
    quantity: int
    each: Decimal
    amount: Decimal
    hours: Decimal | None = None  # time off work: the hours of each of these visits


@dataclass(frozen=True, slots=True)
class PersonalResult:
    """Personal costs beside the clinic's charges, and the all-in total."""

    sessions: int
    hours_per_session: Decimal
    hourly_wage: Decimal
    lines: tuple[PersonalLine, ...]
    total: Decimal

    def to_dict(self) -> dict[str, Any]:
        """Return the personal costs as JSON-ready data."""
        return {
            "sessions": self.sessions,
            "hours_per_session": f"{self.hours_per_session.normalize():f}",
            "hourly_wage": format_money(self.hourly_wage),
            "lines": [
                {
                    "name": line.name,
                    "quantity": line.quantity,
                    "each": format_money(line.each),
                    "amount": format_money(line.amount),
                    "hours": None if line.hours is None else f"{line.hours.normalize():f}",
                }
                for line in self.lines
            ],
            "total": format_money(self.total),
        }


def personal_costs(
    costs: PersonalCosts, charges: Sequence[Charge], modality: str
) -> PersonalResult:
    """Return the personal costs of every clinic visit among ``charges``.

    Each visit takes the hours of the way it is given: an esketamine session after an
    IV series takes esketamine's observation time, not the infusion's."""
    hours = costs.hours_per_session(modality)  # the series' visits
    by_hours: dict[Decimal, int] = {}
    for charge in charges:
        given = visit_modality(charge, modality)
        if charge.is_session and given != "at-home":
            took = costs.hours_per_session(given)
            by_hours[took] = by_hours.get(took, 0) + 1
    visits = sum(by_hours.values())
    lines = []
    if costs.ride:
        lines.append(
            PersonalLine("Rides home (round trip)", visits, costs.ride, costs.ride * visits)
        )
    if costs.hourly_wage:
        for took, count in by_hours.items():  # in the order the visits come
            each = round_cents(took * costs.hourly_wage)
            lines.append(PersonalLine("Time off work", count, each, each * count, took))
    if costs.childcare:
        lines.append(PersonalLine("Childcare", visits, costs.childcare, costs.childcare * visits))
    return PersonalResult(
        visits, hours, costs.hourly_wage, tuple(lines), sum((line.amount for line in lines), ZERO)
    )
