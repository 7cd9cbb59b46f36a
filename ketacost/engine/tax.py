"""Estimated US income-tax effects of paying for treatment, per calendar year (DESIGN §8).

Rules, in order, for one insurance scenario:

- money counts in the calendar year it is paid (a card or a third-party loan
  pays the clinic on the session date; a clinic's own payment plan counts
  each instalment when paid); loan interest never counts;
- a reimbursement received the same year reduces that year's expenses; one
  received in a later year, for an expense deducted earlier, is income in the
  year received, up to the deduction that cut tax (the tax-benefit rule);
- HSA/FSA money pays first, up to the year's contribution limit, saving it ×
  the marginal rate; what is left may be deducted above 7.5% of AGI;
- with a filing status, the deduction saves only what itemizing adds over the
  standard deduction: marginal × (max(std, other + medical) − max(std, other)).

Years are worked one at a time and per scenario; the weighted figures are
weighted per year afterwards, so the floor never meets a multi-year total or
an expected value. These are estimates at one marginal rate, not tax advice:
state tax, phase-outs and payroll taxes are left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ..errors import InputError
from ..money import ZERO, format_money, money_words, round_cents

if TYPE_CHECKING:
    from .claims import Claim
    from .financing import Financing
    from .response import ResponseTerms
    from .schedule import Charge
from .taxfigures import FIGURES, OVER_65_SOURCE, SOURCES, YearFigures, figures_for

Filing = Literal["single", "joint", "head"]
HsaCoverage = Literal["self", "family"]
AGI_FLOOR = Decimal("0.075")
MAX_MILES = Decimal(10_000)  # a round trip per visit; far above any real one


def _field_error(name: str, message: str, hint: str) -> InputError:
    return InputError.single(f"tax {name}", message, hint)


@dataclass(frozen=True, slots=True)
class TaxTerms:
    """What the tax estimate needs to know about the person (all optional but the rate)."""

    marginal_rate: Decimal  # a fraction: 0.22 for 22%
    agi: Decimal | None = None  # without it there is no deduction, only HSA/FSA
    hsa: HsaCoverage | None = None
    fsa: bool = False
    filing: Filing | None = None
    other_itemized: Decimal = ZERO  # other itemized deductions of each year
    over_65: int = 0  # people on the return who are 65 or older
    other_medical: Decimal = ZERO  # other medical expenses of each year with treatment
    miles_per_visit: Decimal = ZERO  # round trip, at the IRS medical rate

    def __post_init__(self) -> None:
        if not 0 <= self.marginal_rate <= 1:
            raise _field_error(
                "marginal_rate", f"{self.marginal_rate} is not from 0 to 1", "0.22 is 22%"
            )
        if not 0 <= self.miles_per_visit <= MAX_MILES:
            raise _field_error(
                "miles_per_visit", f"{self.miles_per_visit} is not 0 to {MAX_MILES}", "e.g. 30"
            )
        if self.agi is not None and self.agi < 0:
            raise _field_error(
                "agi",
                f"{self.agi} is below 0",
                "with an AGI below 0 there is no income tax to cut: leave the tax estimate out",
            )
        for name in ("other_itemized", "other_medical"):
            amount = getattr(self, name)
            if amount < 0:
                raise _field_error(name, f"{amount} is below 0", "amounts are never below 0")
        if self.hsa is not None and self.hsa not in ("self", "family"):
            raise _field_error("hsa", f"{self.hsa!r} is not 'self' or 'family'", "self or family")
        if self.hsa is not None and self.fsa:
            raise _field_error(
                "hsa",
                "an HSA and a general-purpose health FSA cannot both be used",
                "a health FSA makes you ineligible to contribute to an HSA (IRS Pub 969);"
                " pick the one you have",
            )
        if self.filing is not None and self.filing not in ("single", "joint", "head"):
            raise _field_error(
                "filing", f"{self.filing!r} is not a filing status", "single, joint or head"
            )
        if self.filing is not None and self.agi is None:
            raise _field_error(
                "filing", "comparing with the standard deduction needs an AGI", "give agi"
            )
        most = 2 if self.filing == "joint" else 1
        if not 0 <= self.over_65 <= most:
            raise _field_error(
                "over_65",
                f"{self.over_65} people 65 or older on a {self.filing or 'single'} return",
                "at most 2 when filing jointly, else 1",
            )
        for name in ("other_itemized", "over_65"):
            if self.filing is None and getattr(self, name):
                raise _field_error(
                    name, "counts only against a standard deduction", "give the filing status"
                )

    def contribution_limit(self, figures: YearFigures) -> Decimal:
        """Return the year's HSA or FSA limit, or 0 with neither."""
        if self.hsa == "self":
            return figures.hsa_self
        if self.hsa == "family":
            return figures.hsa_family
        return figures.fsa if self.fsa else ZERO

    def standard_deduction(self, figures: YearFigures) -> Decimal | None:
        """Return the year's standard deduction for the filing status, age included."""
        if self.filing is None:
            return None
        extra = figures.over_65_married if self.filing == "joint" else figures.over_65_unmarried
        return figures.standard[self.filing] + extra * self.over_65


@dataclass(frozen=True, slots=True)
class TaxYear:
    """One calendar year's medical expenses and the tax they save (DESIGN §6 ``tax.years``)."""

    year: int
    expenses: Decimal  # paid this year, less same-year reimbursements, plus other and travel
    hsa_fsa: Decimal  # paid from the HSA/FSA, up to the limit
    floor: Decimal | None  # 7.5% of AGI; None without an AGI
    deductible: Decimal | None  # above the floor; None without an AGI
    saving: Decimal  # hsa_fsa_saving + deduction_saving − recovery_tax
    hsa_fsa_saving: Decimal = ZERO
    deduction_saving: Decimal = ZERO
    deducted: Decimal = ZERO  # the part of the deduction that cut tax (over the standard)
    recovered: Decimal = ZERO  # later reimbursements of earlier deductions: income this year
    recovery_tax: Decimal = ZERO
    standard: Decimal | None = None  # the standard deduction compared with
    mileage: Decimal = ZERO
    fares: Decimal = ZERO  # paid rides to and from the clinic (IRS Pub 502: transportation)
    figures_year: int = 2026  # the year whose published figures were used

    def to_dict(self) -> dict[str, Any]:
        """Return the year as JSON-ready data (money as strings)."""

        def optional(value: Decimal | None) -> str | None:
            return None if value is None else format_money(value)

        return {
            "year": self.year,
            "expenses": format_money(self.expenses),
            "hsa_fsa": format_money(self.hsa_fsa),
            "floor": optional(self.floor),
            "deductible": optional(self.deductible),
            "saving": format_money(self.saving),
            "hsa_fsa_saving": format_money(self.hsa_fsa_saving),
            "deduction_saving": format_money(self.deduction_saving),
            "deducted": format_money(self.deducted),
            "reimbursement_income": format_money(self.recovered),
            "reimbursement_income_tax": format_money(self.recovery_tax),
            "standard_deduction": optional(self.standard),
            "mileage": format_money(self.mileage),
            "fares": format_money(self.fares),
            "figures_year": self.figures_year,
        }


@dataclass(frozen=True, slots=True)
class TaxInputs:
    """What a scenario's tax years need beside its payments."""

    terms: TaxTerms
    financing: Financing | None  # the loan, when the series is financed (interest is not medical)
    visits: tuple[dt.date, ...]  # the days of clinic visits: trips for mileage and fares
    fare: Decimal = ZERO  # a paid ride per visit (taxi, rideshare, bus): medical transportation


@dataclass(frozen=True, slots=True)
class Refund:
    """Money back for a medical expense: when the expense was paid, when the money came."""

    expense_date: dt.date
    received: dt.date
    amount: Decimal


def tax_years(
    terms: TaxTerms,
    payments: Iterable[tuple[dt.date, Decimal]],
    refunds: Iterable[Refund],
    visits: Iterable[dt.date],
    fare: Decimal = ZERO,
) -> tuple[TaxYear, ...]:
    """Return each calendar year's expenses, HSA/FSA use, deduction and saving.

    ``payments`` are the medical payments (interest left out) on the day paid;
    ``refunds`` are reimbursements with their expense date; ``visits`` the days
    of clinic visits, each a round trip: the miles at the IRS medical rate, and
    ``fare`` when a ride is paid for (IRS Pub 502 counts bus, taxi, train and
    plane fares as medical expenses). Every year with a treatment payment also
    takes ``other_medical``; a year with only a later reimbursement is listed
    for the income it may bring.
    """
    paid: dict[int, Decimal] = {}
    for day, amount in payments:
        paid[day.year] = paid.get(day.year, ZERO) + amount
    same_year: dict[int, Decimal] = {}
    later: dict[int, list[Refund]] = {}
    for refund in refunds:
        if refund.received.year == refund.expense_date.year:
            year = refund.received.year
            same_year[year] = same_year.get(year, ZERO) + refund.amount
        else:
            later.setdefault(refund.received.year, []).append(refund)
    trips: dict[int, int] = {}
    for day in visits:
        trips[day.year] = trips.get(day.year, 0) + 1
    every = sorted(set(paid) | set(later))
    rate = terms.marginal_rate
    benefit_left: dict[int, Decimal] = {}  # per expense year: deduction not yet recovered
    result = []
    for year in every:
        figures = figures_for(year)
        mileage = round_cents(terms.miles_per_visit * trips.get(year, 0) * figures.mileage_rate)
        fares = fare * trips.get(year, 0)
        other = terms.other_medical if year in paid else ZERO
        travel = mileage + fares
        expenses = max(paid.get(year, ZERO) - same_year.get(year, ZERO), ZERO) + other + travel
        hsa_fsa = min(expenses, terms.contribution_limit(figures))
        hsa_fsa_saving = round_cents(hsa_fsa * rate)
        floor = deductible = standard = None
        deducted = ZERO
        if terms.agi is not None:
            floor = round_cents(terms.agi * AGI_FLOOR)
            deductible = max(expenses - hsa_fsa - floor, ZERO)
            standard = terms.standard_deduction(figures)
            if standard is None:
                deducted = deductible
            else:
                other_itemized = terms.other_itemized
                deducted = max(standard, other_itemized + deductible) - max(
                    standard, other_itemized
                )
        deduction_saving = round_cents(deducted * rate)
        recovered = ZERO
        for refund in later.get(year, []):
            left = benefit_left.get(refund.expense_date.year, ZERO)
            taken = min(refund.amount, left)
            benefit_left[refund.expense_date.year] = left - taken
            recovered += taken
        recovery_tax = round_cents(recovered * rate)
        benefit_left[year] = deducted
        result.append(
            TaxYear(
                year=year,
                expenses=expenses,
                hsa_fsa=hsa_fsa,
                floor=floor,
                deductible=deductible,
                saving=hsa_fsa_saving + deduction_saving - recovery_tax,
                hsa_fsa_saving=hsa_fsa_saving,
                deduction_saving=deduction_saving,
                deducted=deducted,
                recovered=recovered,
                recovery_tax=recovery_tax,
                standard=standard,
                mileage=mileage,
                fares=fares,
                figures_year=figures.year,
            )
        )
    return tuple(result)


def weigh_years(
    per_scenario: Sequence[Sequence[TaxYear]], weights: Sequence[Decimal]
) -> tuple[TaxYear, ...]:
    """Return the years weighted by scenario probability, each figure rounded to cents.

    Each scenario's years were worked out on their own; only the results are
    weighted, so the floor is never applied to an expected value.
    """
    years = sorted({y.year for scenario in per_scenario for y in scenario})
    result = []
    for year in years:
        rows = [
            (next((y for y in scenario if y.year == year), None), weight)
            for scenario, weight in zip(per_scenario, weights, strict=True)
        ]

        def weighted(name: str, rows: list[tuple[TaxYear | None, Decimal]] = rows) -> Decimal:
            return round_cents(
                sum(
                    (getattr(row, name) * weight for row, weight in rows if row is not None),
                    ZERO,
                )
            )

        first = next(row for row, _ in rows if row is not None)
        result.append(
            TaxYear(
                year=year,
                expenses=weighted("expenses"),
                hsa_fsa=weighted("hsa_fsa"),
                floor=first.floor,
                deductible=None if first.deductible is None else weighted("deductible"),
                saving=weighted("saving"),
                hsa_fsa_saving=weighted("hsa_fsa_saving"),
                deduction_saving=weighted("deduction_saving"),
                deducted=weighted("deducted"),
                recovered=weighted("recovered"),
                recovery_tax=weighted("recovery_tax"),
                standard=first.standard,
                mileage=weighted("mileage"),
                fares=weighted("fares"),
                figures_year=first.figures_year,
            )
        )
    return tuple(result)


def total_saving(years: Iterable[TaxYear]) -> Decimal:
    """Return the savings of all the years (a sum of yearly results, never re-floored)."""
    return sum((y.saving for y in years), ZERO)


@dataclass(frozen=True, slots=True)
class TaxEstimate:
    """The tax figures of an estimate: per year, weighted where scenarios have odds."""

    terms: TaxTerms
    years: tuple[TaxYear, ...]
    weighted: bool  # weighted by scenario probability (else the first scenario's)
    notes: tuple[str, ...] = field(default=())
    # With response odds, ``years`` are the full treatment's (it helps); these are the
    # years of stopping early (it does not), worked out the same way, and the odds.
    if_it_does_not: tuple[TaxYear, ...] | None = None
    response_rate: Decimal | None = None

    @property
    def total_saving(self) -> Decimal:
        """The savings of all the years."""
        return total_saving(self.years)

    @property
    def expected_saving(self) -> Decimal | None:
        """The saving weighed by the response rate; None without response odds."""
        if self.if_it_does_not is None or self.response_rate is None:
            return None
        from .response import weigh

        return weigh(self.response_rate, self.total_saving, total_saving(self.if_it_does_not))

    def to_dict(self) -> dict[str, Any]:
        """Return the estimate as JSON-ready data (money as strings)."""
        terms = self.terms
        return {
            "marginal_rate": str(terms.marginal_rate),
            "agi": None if terms.agi is None else format_money(terms.agi),
            "hsa": terms.hsa,
            "fsa": terms.fsa,
            "filing": terms.filing,
            "other_itemized": format_money(terms.other_itemized),
            "over_65": terms.over_65,
            "other_medical": format_money(terms.other_medical),
            "miles_per_visit": str(terms.miles_per_visit),
            "weighted": self.weighted,
            "years": [y.to_dict() for y in self.years],
            "total_saving": format_money(self.total_saving),
            **self._response_dict(),
            "notes": list(self.notes),
            "sources": SOURCES,
        }

    def _response_dict(self) -> dict[str, Any]:
        if self.if_it_does_not is None:
            return {}
        return {
            "if_it_does_not": {
                "years": [y.to_dict() for y in self.if_it_does_not],
                "total_saving": format_money(total_saving(self.if_it_does_not)),
            },
            "expected_saving": format_money(self.expected_saving or ZERO),
        }


def _money(amount: Decimal) -> str:
    return money_words(amount, "USD")  # US tax figures


def tax_notes(terms: TaxTerms, years: Sequence[TaxYear]) -> tuple[str, ...]:
    """Return what the figures assumed, in words: itemizing, later years, income later."""
    notes = []
    if terms.agi is None:
        notes.append(
            "No AGI given: only the HSA/FSA saving is shown; give your AGI for the medical"
            " deduction above 7.5% of it."
        )
    elif terms.filing is None:
        std = FIGURES[max(FIGURES)].standard
        notes.append(
            "The deduction saves tax only if you itemize: when your itemized deductions in"
            " all (these medical expenses above the floor, plus mortgage interest, state and"
            f" local taxes, gifts) exceed the standard deduction, {max(FIGURES)}:"
            f" {_money(std['single'])} single, {_money(std['joint'])} joint,"
            f" {_money(std['head'])} head of household. Give your filing status to compare."
        )
    else:
        for year in years:
            if year.deductible is None or year.standard is None:
                continue
            itemized = terms.other_itemized + year.deductible
            if year.deductible > 0 and year.deducted == 0:
                notes.append(
                    f"{year.year}: itemizing does not help. {_money(terms.other_itemized)} of"
                    f" other deductions + {_money(year.deductible)} of medical expenses ="
                    f" {_money(itemized)}, below the {_money(year.standard)} standard"
                    " deduction: the medical deduction saves $0."
                )
            elif 0 < year.deducted < year.deductible:
                notes.append(
                    f"{year.year}: itemizing beats the {_money(year.standard)} standard"
                    f" deduction by {_money(year.deducted)} only, so only that much of the"
                    f" {_money(year.deductible)} medical deduction saves tax."
                )
        if terms.over_65:
            notes.append(OVER_65_SOURCE)
    if terms.hsa is not None or terms.fsa:
        notes.append(
            "HSA/FSA: assumes you contribute up to the year's limit and pay these expenses"
            " from it first; only what is left counts toward the deduction."
        )
    if terms.miles_per_visit:
        notes.append("Mileage: round-trip miles per visit × the IRS medical rate.")
    if any(year.fares for year in years):
        notes.append(
            "Rides: the fare per visit counts as a medical expense (IRS Publication 502:"
            " transportation for medical care, such as taxi and bus fares)."
        )
        if terms.miles_per_visit:
            notes.append(
                "Both the ride's fare and the miles are counted for every visit: give only"
                " what a trip costs you (a fare, or the miles of your own car), not both."
            )
    if terms.other_medical:
        notes.append(
            f"Other medical expenses: {_money(terms.other_medical)} added to each calendar"
            " year with treatment payments."
        )
    later = sorted({y.year for y in years if y.figures_year != y.year})
    if later:
        listed = ", ".join(str(y) for y in later)
        notes.append(
            f"{listed}: no published figures yet; the {max(FIGURES)} figures (the latest"
            " known) are used."
        )
    if any(y.recovered for y in years):
        notes.append(
            "A reimbursement received in a later year for an expense deducted earlier is"
            " income in the year received, up to the deduction that cut tax: shown as a"
            " negative saving there."
        )
    notes.append(
        "Loan interest is not a medical expense; a card or loan counts on the session date,"
        " a clinic's payment plan when each instalment is paid."
    )
    return tuple(notes)


def medical_flows(
    events: Sequence[Charge], claims: Sequence[Claim], financing: Financing | None
) -> tuple[list[tuple[dt.date, Decimal]], list[Refund]]:
    """Return one scenario's medical payments (on the day paid) and its reimbursements.

    A charge with a claim counts what the patient paid for it; a series paid
    through the clinic's own payment plan counts each instalment's principal
    when paid (the interest never counts); a card or loan pays the clinic on
    the session date, so those charges count then.
    """
    paid_for = {id(claim.charge): claim.paid for claim in claims}
    instalments = financing is not None and financing.terms.lender == "clinic"
    payments = [
        (event.date, paid_for.get(id(event), event.amount))
        for event in events
        if not (instalments and event.item == "series")
    ]
    if instalments and financing is not None:
        payments += [(p.date, p.principal) for p in financing.schedule]
    refunds = [
        Refund(claim.charge.date, claim.reimbursed_on, claim.reimbursed)
        for claim in claims
        if claim.reimbursed
    ]
    return payments, refunds


def tax_estimate(
    terms: TaxTerms,
    per_scenario: Sequence[Sequence[TaxYear]],
    weights: Sequence[Decimal] | None,
    stopped: Sequence[Sequence[TaxYear]] | None = None,
    response: ResponseTerms | None = None,
) -> TaxEstimate:
    """Return the tax per year: weighted by ``weights`` where given, else the first scenario's.

    With response odds (``stopped``: each scenario's years when treatment stops
    early, and the ``response`` terms), the years of both branches are kept, and a note
    says which the table shows and what stopping early would save.
    """

    def years_of(scenarios: Sequence[Sequence[TaxYear]]) -> tuple[TaxYear, ...]:
        return weigh_years(scenarios, weights) if weights is not None else tuple(scenarios[0])

    years = years_of(per_scenario)
    notes = tax_notes(terms, years)
    if stopped is None or response is None:
        return TaxEstimate(terms, years, weights is not None, notes)
    fails = years_of(stopped)
    result = TaxEstimate(terms, years, weights is not None, notes, fails, response.rate)
    chance = f"{(response.rate * 100).normalize():f}%"
    said = (
        f"With a {chance} chance it helps, the years shown are the whole treatment's (if it"
        f" helps); stopping after {response.stop_after} sessions, when it does not, saves"
        f" {_money(total_saving(fails))}; weighed by the odds, {_money(result.expected_saving or ZERO)}."
    )
    return replace(result, notes=(said, *notes))


def check_hsa(terms: TaxTerms, coverage: str, plan_name: str) -> None:
    """Refuse an HSA beside Medicare: enrolling in Medicare ends HSA contributions."""
    if terms.hsa is not None and coverage in ("medicare", "medicare-advantage"):
        raise InputError.single(
            plan_name,
            f"an HSA cannot be used with this plan's coverage: {coverage}",
            "nobody enrolled in Medicare (Original or Advantage) may contribute to an HSA;"
            " leave the HSA out, or use a high-deductible commercial plan",
        )
