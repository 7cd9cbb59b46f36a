"""The esketamine (Spravato) manufacturer savings programme, treatment by treatment.

For commercially insured patients the programme pays the patient's remaining
cost for the drug above a floor ("pay as little as $10 per treatment"), up to a
maximum benefit per calendar year. The observation visit is not covered, so the
caller passes only the drug part of each treatment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..money import ZERO

DEFAULT_FLOOR = Decimal("10")
DEFAULT_ANNUAL_CAP = Decimal("7150")
SOURCE = (
    "Spravato savings programme, commercial insurance only: pay as little as $10 per"
    " treatment, $7,150 maximum benefit per calendar year, observation not covered"
    " (janssencarepath.com; spravatohcp.com). Other pages give a cap of $8,000 or $8,150;"
    " check the current terms before relying on it."
)


@dataclass(frozen=True, slots=True)
class SavingsTerms:
    """The programme's rules: the least a patient pays per treatment and the yearly cap."""

    floor: Decimal = DEFAULT_FLOOR
    annual_cap: Decimal = DEFAULT_ANNUAL_CAP  # resets every January 1


@dataclass(frozen=True, slots=True)
class SavingsLine:
    """One treatment: its cost, the programme's share, the patient's share, the cap left."""

    date: dt.date
    cost: Decimal
    paid_by_program: Decimal
    patient_pays: Decimal
    cap_left: Decimal  # in this calendar year, after this treatment


def apply_savings(
    costs: Sequence[tuple[dt.date, Decimal]], terms: SavingsTerms = SavingsTerms()
) -> list[SavingsLine]:
    """Return what the programme and the patient pay for each treatment, in input order.

    ``costs`` are the patient's remaining drug costs per treatment in date order.
    The programme pays ``min(cost − floor, cap left this calendar year)``, never
    below 0.
    """
    used: dict[int, Decimal] = {}
    lines = []
    for day, cost in costs:
        cap_left = max(terms.annual_cap - used.get(day.year, ZERO), ZERO)
        paid = max(min(cost - terms.floor, cap_left), ZERO)
        used[day.year] = used.get(day.year, ZERO) + paid
        lines.append(SavingsLine(day, cost, paid, cost - paid, cap_left - paid))
    return lines
