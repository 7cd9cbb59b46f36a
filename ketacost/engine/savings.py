"""The esketamine (Spravato) manufacturer savings program, treatment by treatment.

For commercially insured patients the program pays the patient's remaining
cost for the drug above a floor ("pay as little as $10 per treatment"), up to a
maximum benefit per calendar year. The observation visit is not part of that:
a separate rebate of the patient's share of each observation visit is modelled
only with a yearly limit the person states, since the manufacturer publishes
none. The rules and their sources are in docs/insurance-rules.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from ..model.clinic import Clinic
from ..model.plan import PAID_AFTER_DAYS, Plan
from ..money import ZERO, round_cents
from .schedule import Charge


@dataclass(frozen=True, slots=True)
class ProgramFigures:
    """The program's published figures for one year, each with where it was read."""

    year: int
    floor: Decimal  # the least the patient pays for the drug per treatment
    annual_cap: Decimal  # the drug benefit's maximum per calendar year
    rebate_excluded_states: frozenset[str]  # residents get no observation rebate
    sources: str


# The program's figures in one table, dated by the year they were published for.
PROGRAM = {
    2026: ProgramFigures(
        year=2026,
        floor=Decimal("10"),
        annual_cap=Decimal("7150"),
        rebate_excluded_states=frozenset({"MA", "MI", "MN", "RI"}),
        sources=(
            "Spravato savings program, 2026, commercial insurance only: the drug for as"
            " little as $10 per treatment, $7,150 maximum benefit per calendar year"
            " (janssencarepath.com; spravatohcp.com; other pages give $8,000 or $8,150);"
            " the observation visit: a rebate of the patient's share after the EOB is"
            " sent, yearly limit not published, not for residents of MA, MI, MN or RI"
            " (spravatohcp.com/patient-support); not for Medicare, Medicaid or other"
            " government plans (finnastra.com). Check the current terms before relying"
            " on them."
        ),
    )
}
LATEST = PROGRAM[max(PROGRAM)]
DEFAULT_FLOOR = LATEST.floor
DEFAULT_ANNUAL_CAP = LATEST.annual_cap
SOURCE = LATEST.sources


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
    # The observation rebate: modelled only with a stated yearly limit (none is published)
    observation_rebate_cap: Decimal | None = None
    state: str | None = None  # two letters; some states' residents get no rebate

    @property
    def rebate_applies(self) -> bool:
        """Whether the observation rebate is modelled: a limit is stated, and a state that
        allows it (with no state stated, the rebate is left out: it may not apply)."""
        if self.observation_rebate_cap is None or self.state is None:
            return False
        return self.state.upper() not in LATEST.rebate_excluded_states

    def rebate_note(self) -> str | None:
        """Return what the observation rebate assumed, in words, or None when not asked for."""
        if self.observation_rebate_cap is None:
            return None
        excluded = ", ".join(sorted(LATEST.rebate_excluded_states))
        if self.state is None:
            return (
                f"No observation rebate: the program's rebate is not valid for residents of"
                f" {excluded}, and your state was not given (add `state:` to your person"
                " file to have it modelled)."
            )
        if not self.rebate_applies:
            return (
                f"No observation rebate: the program's rebate is not valid for residents of"
                f" {excluded}, and your state is {self.state.upper()}."
            )
        return (
            "The observation rebate is modelled with your stated yearly limit, paid after the"
            " EOB is sent."
        )


@dataclass(frozen=True, slots=True)
class SavingsLine:
    """One treatment: its cost, the program's share, the patient's share, the cap left."""

    date: dt.date
    cost: Decimal
    paid_by_program: Decimal
    patient_pays: Decimal
    cap_left: Decimal  # in this calendar year, after this treatment
    part: str = "drug"  # "drug", or "observation" (the rebate)
    paid_on: dt.date | None = None  # when the program pays; None: on the treatment date

    @property
    def received(self) -> dt.date:
        """The day the program's money reaches the patient (or the pharmacy)."""
        return self.date if self.paid_on is None else self.paid_on


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


class _Claimed(Protocol):
    """What the program reads of a claim: its charge, whether covered, the patient's
    share of the allowed amount, and its net."""

    @property
    def charge(self) -> Charge: ...

    @property
    def covered(self) -> bool: ...

    @property
    def share(self) -> Decimal: ...

    @property
    def net(self) -> Decimal: ...


def _parts(
    events: Sequence[Charge], claims: Sequence[_Claimed]
) -> list[tuple[dt.date, Decimal, Decimal]]:
    """Return (date, drug part, observation part) of the patient's cost sharing on each
    covered esketamine claim, split in proportion to the drug's and the visit's prices.

    The program pays toward cost sharing (deductible, copay, coinsurance), never toward
    what an out-of-network clinic bills above the allowed amount: the share, or the
    claim's net where that is less (a superbill above the price paid)."""
    by_charge = {(claim.charge.date, claim.charge.label): claim for claim in claims}
    parts = []
    for event in events:
        claim = by_charge.get((event.date, event.label))
        if event.drug is None or claim is None or not claim.covered or not event.amount:
            continue
        cost = min(claim.share, claim.net)
        drug = max(min(round_cents(cost * event.drug / event.amount), cost), ZERO)
        parts.append((event.date, drug, max(cost - drug, ZERO)))
    return parts


def drug_costs(
    events: Sequence[Charge], claims: Sequence[_Claimed]
) -> list[tuple[dt.date, Decimal]]:
    """Return the drug's part of what each covered esketamine claim leaves to the patient.

    The patient's share of a claim is split between the drug and the observation
    visit in proportion to their prices; the program's drug benefit never pays
    the visit, and pays nothing on a denied claim or a charge no claim was made for.
    """
    return [(day, drug) for day, drug, _ in _parts(events, claims)]


def observation_rebates(
    costs: Sequence[tuple[dt.date, Decimal]], cap: Decimal, paid_after_days: int
) -> list[SavingsLine]:
    """Return the rebate of each observation visit's share, up to ``cap`` per calendar
    year, paid ``paid_after_days`` after the visit (after the EOB is sent)."""
    used: dict[int, Decimal] = {}
    lines = []
    for day, cost in costs:
        cap_left = max(cap - used.get(day.year, ZERO), ZERO)
        paid = min(cost, cap_left)
        used[day.year] = used.get(day.year, ZERO) + paid
        lines.append(
            SavingsLine(
                day,
                cost,
                paid,
                cost - paid,
                cap_left - paid,
                "observation",
                day + dt.timedelta(days=paid_after_days),
            )
        )
    return lines


def program_lines(
    events: Sequence[Charge],
    claims: Sequence[_Claimed],
    terms: SavingsTerms,
    paid_after_days: int = PAID_AFTER_DAYS,
) -> list[SavingsLine]:
    """Return what the program pays: the drug benefit per treatment, then the observation
    rebates where they apply."""
    parts = _parts(events, claims)
    lines = apply_savings([(day, drug) for day, drug, _ in parts], terms)
    if terms.rebate_applies and terms.observation_rebate_cap is not None:
        visits = [(day, visit) for day, _, visit in parts]
        lines += observation_rebates(visits, terms.observation_rebate_cap, paid_after_days)
    return lines
