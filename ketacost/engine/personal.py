"""Personal costs over the horizon: rides, time off work and childcare per session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..model.personal import PersonalCosts
from ..money import ZERO, format_money, round_cents
from .schedule import Charge, clinic_visits


@dataclass(frozen=True, slots=True)
class PersonalLine:
    """One kind of personal cost: how many sessions, at what each, in all."""

    name: str
    quantity: int
    each: Decimal
    amount: Decimal


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
                }
                for line in self.lines
            ],
            "total": format_money(self.total),
        }


def personal_costs(
    costs: PersonalCosts, charges: Sequence[Charge], modality: str
) -> PersonalResult:
    """Return the personal costs of every clinic visit among ``charges``."""
    visits = len(clinic_visits(charges, modality))
    hours = costs.hours_per_session(modality)
    wage_each = round_cents(hours * costs.hourly_wage)
    candidates = [
        ("Rides home (round trip)", costs.ride),
        ("Time off work", wage_each),
        ("Childcare", costs.childcare),
    ]
    lines = tuple(
        PersonalLine(name, visits, each, each * visits) for name, each in candidates if each
    )
    return PersonalResult(
        visits, hours, costs.hourly_wage, lines, sum((line.amount for line in lines), ZERO)
    )
