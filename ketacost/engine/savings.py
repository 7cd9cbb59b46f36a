"""The esketamine (Spravato) manufacturer savings program, treatment by treatment.

For commercially insured patients the program pays the patient's remaining
cost for the drug above a floor ("pay as little as $10 per treatment"), up to a
maximum benefit per calendar year. The observation visit is not covered, so the
caller passes only the drug part of each treatment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..model.clinic import Clinic
from ..model.plan import Plan
from ..money import ZERO, round_cents
from .claims import Claim
from .schedule import Charge

DEFAULT_FLOOR = Decimal("10")
DEFAULT_ANNUAL_CAP = Decimal("7150")
SOURCE = (
    "Spravato savings program, commercial insurance only: pay as little as $10 per"
    " treatment, $7,150 maximum benefit per calendar year, observation not covered"
    " (janssencarepath.com; spravatohcp.com). Other pages give a cap of $8,000 or $8,150;"
    " check the current terms before relying on it."
)


WHO_QUALIFIES = (
    "the program is for patients with commercial (private or employer) insurance that"
    " covers Spravato; not for cash patients, Medicare, Medicare Advantage, Medicaid or"
    " TRICARE"
)


def savings_problem(clinic: Clinic, plan: Plan | None) -> tuple[str, str] | None:
    """Return (why, what to do) when the savings program cannot apply, else None."""
    if plan is None:
        return (
            "the Spravato savings program needs commercial insurance, and no plan was given",
            WHO_QUALIFIES + "; give your commercial plan, or leave the program out",
        )
    if plan.coverage != "commercial":
        return (
            f"the Spravato savings program is for commercial insurance only; the plan"
            f" {plan.name!r} is coverage: {plan.coverage}",
            WHO_QUALIFIES + "; leave the program out",
        )
    esketamine = clinic.modality == "esketamine" or any(
        item.kind == "esketamine" for item in clinic.maintenance
    )
    if not esketamine:
        return (
            f"the clinic {clinic.name!r} has no esketamine (Spravato) sessions, and the savings"
            " program pays only for Spravato",
            "leave the program out, or estimate an esketamine clinic",
        )
    return None


@dataclass(frozen=True, slots=True)
class SavingsTerms:
    """The program's rules: the least a patient pays per treatment and the yearly cap."""

    floor: Decimal = DEFAULT_FLOOR
    annual_cap: Decimal = DEFAULT_ANNUAL_CAP  # resets every January 1


@dataclass(frozen=True, slots=True)
class SavingsLine:
    """One treatment: its cost, the program's share, the patient's share, the cap left."""

    date: dt.date
    cost: Decimal
    paid_by_program: Decimal
    patient_pays: Decimal
    cap_left: Decimal  # in this calendar year, after this treatment


def apply_savings(
    costs: Sequence[tuple[dt.date, Decimal]], terms: SavingsTerms = SavingsTerms()
) -> list[SavingsLine]:
    """Return what the program and the patient pay for each treatment, in input order.

    ``costs`` are the patient's remaining drug costs per treatment in date order.
    The program pays ``min(cost − floor, cap left this calendar year)``, never
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


def drug_costs(events: Sequence[Charge], claims: Sequence[Claim]) -> list[tuple[dt.date, Decimal]]:
    """Return the drug's part of what each covered esketamine claim leaves to the patient.

    The patient's share of a claim is split between the drug and the observation
    visit in proportion to their prices; the program never pays the visit, and
    pays nothing on a denied claim or a charge no claim was made for.
    """
    by_charge = {(claim.charge.date, claim.charge.label): claim for claim in claims}
    costs = []
    for event in events:
        claim = by_charge.get((event.date, event.label))
        if event.drug is None or claim is None or not claim.covered or not event.amount:
            continue
        drug = min(round_cents(claim.net * event.drug / event.amount), claim.net)
        costs.append((event.date, max(drug, ZERO)))
    return costs
