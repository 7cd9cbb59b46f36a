"""Estimated US income-tax effects of paying for treatment, per calendar year (docs/tax.md).

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
  standard deduction: marginal × (max(std, other + medical) − max(std, other));
  without one, no deduction saving is counted: what itemizing could save is
  given apart (``if_itemizing``), as a condition, never subtracted;
- HSA money spent on an expense the plan reimburses goes back into the HSA
  (by April 15 of the year after the reimbursement arrives), so the HSA
  saving counts only what is not reimbursed.

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
    from ..model.plan import Plan
    from .claims import Claim
    from .financing import Financing
    from .response import ResponseTerms
    from .schedule import Charge
from .taxfigures import (
    FIGURES,
    OVER_65_SOURCE,
    SOURCES,
    YearFigures,
    figure_year,
    figures_for,
    figures_said,
)

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
    hsa_catch_up: bool = False  # 55 or older: the HSA limit is higher by the catch-up amount
    # the tax year from which one more person on the return counts as 65 (a stated birth
    # date that reaches 65 after the first year); None: the count never changes. Last, so
    # terms given by position keep their meaning.
    turns_65: int | None = None

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
        if self.hsa_catch_up and self.hsa is None:
            raise _field_error(
                "hsa_catch_up", "the catch-up contribution is for an HSA", "give hsa as well"
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
        if self.turns_65 is not None and (
            isinstance(self.turns_65, bool) or not isinstance(self.turns_65, int)
        ):
            raise _field_error(
                "turns_65", f"{self.turns_65!r} is not a year", "a tax year such as 2028"
            )
        people = self.over_65 + (self.turns_65 is not None)
        if not 0 <= people <= most:
            raise _field_error(
                "over_65",
                f"{people} people 65 or older on a {self.filing or 'single'} return",
                "at most 2 when filing jointly, else 1",
            )
        for name in ("other_itemized", "over_65", "turns_65"):
            if self.filing is None and getattr(self, name):
                raise _field_error(
                    name, "counts only against a standard deduction", "give the filing status"
                )

    def contribution_limit(self, figures: YearFigures) -> Decimal:
        """Return the year's HSA or FSA limit, or 0 with neither."""
        extra = figures.hsa_catch_up if self.hsa_catch_up else ZERO
        if self.hsa == "self":
            return figures.hsa_self + extra
        if self.hsa == "family":
            return figures.hsa_family + extra
        return figures.fsa if self.fsa else ZERO

    def people_over_65(self, year: int) -> int:
        """Return how many people on the return count as 65 or older in tax year ``year``."""
        return self.over_65 + (self.turns_65 is not None and year >= self.turns_65)

    def standard_deduction(self, figures: YearFigures, year: int) -> Decimal | None:
        """Return tax year ``year``'s standard deduction for the filing status, age included
        (``figures``: the year's figures, or the latest known ones carried to it)."""
        if self.filing is None:
            return None
        extra = figures.over_65_married if self.filing == "joint" else figures.over_65_unmarried
        return figures.standard[self.filing] + extra * self.people_over_65(year)


@dataclass(frozen=True, slots=True)
class TaxYear:
    """One calendar year's medical expenses and the tax they save (docs/output.md, ``tax.years``)."""

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
    other_medical: Decimal = ZERO  # the terms' other medical expenses, in a year with treatment
    # What those other expenses save on their own, without the treatment: left out of
    # ``saving`` and of its parts, which are what the treatment saves (docs/tax.md).
    other_medical_saving: Decimal = ZERO
    mileage: Decimal = ZERO
    fares: Decimal = ZERO  # paid rides to and from the clinic (IRS Pub 502: transportation)
    figures_year: int = 2026  # the year whose published figures were used
    # Without a filing status: what the deduction would save if itemizing beat the
    # standard deduction by the whole of it (never subtracted); else None.
    if_itemizing: Decimal | None = None
    hsa_returns: tuple[HsaReturn, ...] = ()  # HSA money to put back, for this year's expenses

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
            "other_medical": format_money(self.other_medical),
            "other_medical_saving": format_money(self.other_medical_saving),
            "mileage": format_money(self.mileage),
            "fares": format_money(self.fares),
            "figures_year": self.figures_year,
            "if_itemizing_saving": optional(self.if_itemizing),
            "hsa_returns": [r.to_dict() for r in self.hsa_returns],
        }


@dataclass(frozen=True, slots=True)
class HsaReturn:
    """A reimbursement of an expense the HSA paid: it goes back into the HSA by ``due``."""

    expense_year: int
    received: dt.date
    amount: Decimal

    @property
    def due(self) -> dt.date:
        """April 15 of the year after the reimbursement arrives (a mistaken distribution)."""
        return dt.date(self.received.year + 1, 4, 15)

    def to_dict(self) -> dict[str, Any]:
        """Return the return as JSON-ready data."""
        return {
            "expense_year": self.expense_year,
            "received": self.received.isoformat(),
            "amount": format_money(self.amount),
            "return_by": self.due.isoformat(),
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


def _hsa_returns(
    terms: TaxTerms, year: int, gross: Decimal, limit: Decimal, refunds: Sequence[Refund]
) -> list[tuple[Refund, Decimal]]:
    """Return each reimbursement of ``year``'s expenses with the part that goes back into
    the HSA: the HSA paid the year's expenses as they came, up to ``limit``, and every
    reimbursement of them returns to it, in the order received, up to what it paid."""
    if terms.hsa is None:
        return [(refund, ZERO) for refund in refunds]
    left = min(gross, limit)  # what the HSA paid out for this year's expenses
    result = []
    for refund in sorted(refunds, key=lambda r: r.received):
        back = min(refund.amount, left)
        left -= back
        result.append((refund, back))
    return result


def tax_years(
    terms: TaxTerms,
    payments: Iterable[tuple[dt.date, Decimal]],
    refunds: Iterable[Refund],
    visits: Iterable[dt.date],
    fare: Decimal = ZERO,
    *,
    whole_return: bool = False,
) -> tuple[TaxYear, ...]:
    """Return each calendar year's expenses, HSA/FSA use, deduction and saving.

    The savings are what the treatment adds to what the other medical expenses save
    on their own; with ``whole_return``, the year's in all, as a tax return counts
    them (the ledger's record of a tax year).

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
    of_year: dict[int, list[Refund]] = {}  # by the year of the expense
    later_years: set[int] = set()
    for refund in refunds:
        of_year.setdefault(refund.expense_date.year, []).append(refund)
        if refund.received.year != refund.expense_date.year:
            later_years.add(refund.received.year)
    trips: dict[int, int] = {}
    for day in visits:
        trips[day.year] = trips.get(day.year, 0) + 1
    income: dict[int, list[tuple[int, Decimal]]] = {}  # received year → (expense year, amount)
    benefit_left: dict[int, Decimal] = {}  # per expense year: deduction not yet recovered
    result = []
    for year in sorted(set(paid) | later_years):
        figures = figures_for(year)
        row, returns = _year(
            terms, year, figures, paid, of_year.get(year, []), trips, fare, whole_return
        )
        for refund, back in returns:
            if refund.received.year != year and refund.amount > back:
                income.setdefault(refund.received.year, []).append((year, refund.amount - back))
        recovered = ZERO
        for expense_year, amount in income.get(year, []):
            left = benefit_left.get(expense_year, ZERO)
            taken = min(amount, left)
            benefit_left[expense_year] = left - taken
            recovered += taken
        recovery_tax = round_cents(recovered * terms.marginal_rate)
        benefit_left[year] = row.deducted
        result.append(
            replace(
                row,
                saving=row.saving - recovery_tax,
                recovered=recovered,
                recovery_tax=recovery_tax,
            )
        )
    return tuple(result)


def _year(
    terms: TaxTerms,
    year: int,
    figures: YearFigures,
    paid: dict[int, Decimal],
    refunds: Sequence[Refund],
    trips: dict[int, int],
    fare: Decimal,
    whole_return: bool = False,
) -> tuple[TaxYear, list[tuple[Refund, Decimal]]]:
    """Return one year's figures before any income from later reimbursements, and each
    reimbursement of this year's expenses with the part that goes back into the HSA."""
    mileage = round_cents(terms.miles_per_visit * trips.get(year, 0) * figures.mileage_rate)
    fares = fare * trips.get(year, 0)
    other = terms.other_medical if year in paid else ZERO
    travel = mileage + fares
    same_year = sum((r.amount for r in refunds if r.received.year == year), ZERO)
    later = sum((r.amount for r in refunds if r.received.year != year), ZERO)
    expenses = max(paid.get(year, ZERO) - same_year, ZERO) + other + travel
    limit = terms.contribution_limit(figures)
    gross = paid.get(year, ZERO) + other + travel
    returns = _hsa_returns(terms, year, gross, limit, refunds) if year in paid else []
    returned_later = sum((back for r, back in returns if r.received.year != year), ZERO)
    # An HSA keeps only what is never reimbursed (the rest goes back into it), and an FSA
    # may pay only what no plan pays (docs/tax.md): either way, what comes back is left out.
    hsa_fsa = min(max(expenses - later, ZERO), limit)
    standard = terms.standard_deduction(figures, year) if terms.agi is not None else None
    floor = None if terms.agi is None else round_cents(terms.agi * AGI_FLOOR)
    deductible = None if floor is None else max(expenses - hsa_fsa - returned_later - floor, ZERO)
    hsa_fsa_saving, deducted, deduction_saving, if_itemizing = _saved(
        terms, hsa_fsa, deductible, standard
    )
    # The year's other medical costs would save tax without the treatment too: that
    # saving is not the treatment's, so it is taken off each figure (docs/tax.md).
    other_saving = ZERO
    if other and not whole_return:
        alone = min(other, limit)
        alone_deductible = None if floor is None else max(other - alone - floor, ZERO)
        alone_hsa, alone_deducted, alone_deduction, alone_if = _saved(
            terms, alone, alone_deductible, standard
        )
        other_saving = alone_hsa + alone_deduction
        hsa_fsa_saving -= alone_hsa
        deducted -= alone_deducted
        deduction_saving -= alone_deduction
        if if_itemizing is not None and alone_if is not None:
            if_itemizing -= alone_if
    row = TaxYear(
        year=year,
        expenses=expenses,
        hsa_fsa=hsa_fsa,
        floor=floor,
        deductible=deductible,
        saving=hsa_fsa_saving + deduction_saving,
        hsa_fsa_saving=hsa_fsa_saving,
        deduction_saving=deduction_saving,
        deducted=deducted,
        standard=standard,
        other_medical=other,
        other_medical_saving=other_saving,
        mileage=mileage,
        fares=fares,
        figures_year=figures.year,
        if_itemizing=if_itemizing,
        hsa_returns=tuple(
            HsaReturn(year, refund.received, back) for refund, back in returns if back
        ),
    )
    return row, returns


def _saved(
    terms: TaxTerms, hsa_fsa: Decimal, deductible: Decimal | None, standard: Decimal | None
) -> tuple[Decimal, Decimal, Decimal, Decimal | None]:
    """Return what ``hsa_fsa`` paid from the account and ``deductible`` above the floor
    save: the account's saving, the part of the deduction that cuts tax, its saving, and
    (without a filing status) what it would save if itemizing beat the standard."""
    rate = terms.marginal_rate
    deducted, if_itemizing = ZERO, None
    if deductible is not None:
        if standard is None:  # itemizing is not known to help: nothing is counted
            if_itemizing = round_cents(deductible * rate)
        else:
            other_itemized = terms.other_itemized
            deducted = max(standard, other_itemized + deductible) - max(standard, other_itemized)
    return round_cents(hsa_fsa * rate), deducted, round_cents(deducted * rate), if_itemizing


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
                other_medical=weighted("other_medical"),
                other_medical_saving=weighted("other_medical_saving"),
                mileage=weighted("mileage"),
                fares=weighted("fares"),
                figures_year=first.figures_year,
                if_itemizing=None if first.if_itemizing is None else weighted("if_itemizing"),
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
            "turns_65": terms.turns_65,
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


def _itemizing_note(years: Sequence[TaxYear]) -> str:
    """Say what the medical deduction could save, without a filing status, as a condition."""
    first = years[0].year if years else max(FIGURES)
    std, std_year = figures_for(first).standard, figure_year(first, "the standard deduction")
    could = sum((y.if_itemizing or ZERO for y in years), ZERO)
    by_year = [f"{y.year}: {_money(y.if_itemizing)}" for y in years if y.if_itemizing]
    each = f" ({'; '.join(by_year)})" if len(by_year) > 1 else ""
    return (
        f"No tax saving from the medical deduction is counted: it exists only if you"
        f" itemize. If you itemize and your other deductions exceed"
        f" {_money(std['single'])} (single; {_money(std['head'])} head of household,"
        f" {_money(std['joint'])} joint, {std_year}): up to {_money(could)}{each}."
        " For the real figure give your filing status (--filing) and other itemized"
        " deductions (--other-itemized)."
    )


def _standard_notes(terms: TaxTerms, years: Sequence[TaxYear]) -> list[str]:
    """Say, per year, where the standard deduction takes all or part of the medical one."""
    notes = []
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
    if terms.over_65 or terms.turns_65 is not None:
        notes.append(OVER_65_SOURCE)
    return notes


def _deduction_notes(terms: TaxTerms, years: Sequence[TaxYear]) -> list[str]:
    """Say what the medical deduction was worked out with: no AGI, no filing status, or both."""
    if terms.agi is None:
        return [
            "No AGI given: only the HSA/FSA saving is shown; give your AGI for the medical"
            " deduction above 7.5% of it."
        ]
    if terms.filing is None:
        return [_itemizing_note(years)]
    return _standard_notes(terms, years)


def _hsa_notes(
    terms: TaxTerms,
    years: Sequence[TaxYear],
    scenarios: Sequence[tuple[str, Sequence[TaxYear]]] | None = None,
) -> list[str]:
    """Say how the HSA or FSA is assumed to pay, and what goes back into an HSA.

    With ``scenarios`` (each scenario's name and own years, when ``years`` are
    weighted) the money to put back is listed per scenario: a reimbursement
    comes in one scenario or another, never in part, so weighted years hold none.
    """
    notes = []
    if terms.hsa is not None or terms.fsa:
        notes.append(
            "HSA/FSA: assumes you contribute up to the year's limit and pay these expenses"
            " from it first; only what is left counts toward the deduction."
        )
    every = [*years, *(year for _, own in scenarios or () for year in own)]
    if terms.fsa and any(
        year.hsa_fsa < min(year.expenses, terms.contribution_limit(figures_for(year.year)))
        for year in every
    ):
        notes.append(
            "FSA: it may pay only what no plan pays, so file with the plan first and claim"
            " from the FSA what the EOB leaves you; what the plan pays back is not counted"
            " as FSA money."
        )
    if scenarios is None:
        listed = _returns_listed(years)
        if listed:
            notes.append(
                "HSA: the plan reimburses expenses the HSA paid, so that money goes back into"
                f" the HSA by April 15 of the year after it arrives ({listed}); else it is"
                " income plus a 20% additional tax. The HSA saving counts only what is not"
                " reimbursed."
            )
        return notes
    each = [(name, _returns_listed(own)) for name, own in scenarios]
    if any(listed for _, listed in each):
        notes.append(
            "HSA: where the plan reimburses expenses the HSA paid, that money goes back into"
            " the HSA by April 15 of the year after it arrives; else it is income plus a 20%"
            " additional tax. The HSA saving counts only what is not reimbursed. "
            + " ".join(f"{name}: {listed}." for name, listed in each if listed)
        )
    return notes


def _returns_listed(years: Sequence[TaxYear]) -> str:
    """Return each reimbursement of the HSA's money in ``years``: amount, arrival, deadline."""
    return "; ".join(
        f"{_money(r.amount)} received {r.received.isoformat()}, by {r.due.isoformat()}"
        for y in years
        for r in y.hsa_returns
    )


def _travel_notes(terms: TaxTerms, years: Sequence[TaxYear]) -> list[str]:
    """Say how the trips to the clinic were counted: miles, fares, or both."""
    notes = []
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
    return notes


def figures_note(years: Sequence[int]) -> str:
    """Return the note for ``years`` worked with figures not all their own (another year's,
    or some of them the year before's): one sentence per year that needs one."""
    return " ".join(said for said in (figures_said(y) for y in sorted(set(years))) if said)


def tax_notes(
    terms: TaxTerms,
    years: Sequence[TaxYear],
    scenarios: Sequence[tuple[str, Sequence[TaxYear]]] | None = None,
) -> tuple[str, ...]:
    """Return what the figures assumed, in words: itemizing, later years, income later.

    ``scenarios``: each scenario's name and own years, when ``years`` are weighted.
    """
    notes = [
        *_deduction_notes(terms, years),
        *_hsa_notes(terms, years, scenarios),
        *_travel_notes(terms, years),
    ]
    if terms.other_medical:
        alone = sum((y.other_medical_saving for y in years), ZERO)
        notes.append(
            f"Other medical expenses: {_money(terms.other_medical)} added to each calendar"
            " year with treatment payments; the tax saved is what the treatment adds to what"
            f" they save on their own ({_money(alone)}, left out)."
        )
    borrowed = figures_note([y.year for y in years])
    if borrowed:
        notes.append(borrowed)
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
    names: Sequence[str] = (),
) -> TaxEstimate:
    """Return the tax per year: weighted by ``weights`` where given, else the first scenario's.

    ``names`` are the scenarios' names, for the notes of weighted years (what
    goes back into an HSA, scenario by scenario).

    With response odds (``stopped``: each scenario's years when treatment stops
    early, and the ``response`` terms), the years of both branches are kept, and a note
    says which the table shows and what stopping early would save.
    """

    def years_of(scenarios: Sequence[Sequence[TaxYear]]) -> tuple[TaxYear, ...]:
        return weigh_years(scenarios, weights) if weights is not None else tuple(scenarios[0])

    years = years_of(per_scenario)
    named = list(zip(names, per_scenario, strict=True)) if weights is not None and names else None
    notes = tax_notes(terms, years, named)
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


def hdhp_problem(terms: TaxTerms, plan: Plan, year: int) -> tuple[str, str] | None:
    """Return (why, what to do) when ``plan`` does not qualify for the HSA kind asked, else None.

    Judged on the in-network terms, as the law does (out-of-network deductibles
    and limits do not count): a deductible of at least the year's minimum and an
    out-of-pocket maximum of at most its limit. A plan without in-network terms
    says so with ``hdhp: true``.
    """
    if terms.hsa is None:
        return None
    if plan.coverage in ("medicare", "medicare-advantage"):
        return (
            f"an HSA cannot be used with Medicare, and this plan's coverage is {plan.coverage}",
            "nobody enrolled in Medicare (Original or Advantage) may contribute to an HSA;"
            " leave the HSA out, or use a high-deductible commercial plan",
        )
    figures = figures_for(year)
    kind = "self-only" if terms.hsa == "self" else "family"
    least = figures.hdhp_min_deductible[terms.hsa]
    most = figures.hdhp_max_out_of_pocket[terms.hsa]
    limits = (
        f"{figures.year}, {kind}: in-network deductible at least {_money(least)},"
        f" out-of-pocket maximum at most {_money(most)}"
    )
    if plan.hdhp is False:
        return ("the plan says hdhp: false, so an HSA cannot go with it", "leave the HSA out")
    if not plan.given("in_network"):
        if plan.hdhp:
            return None
        return (
            f"an HSA needs a high-deductible plan, judged on its in-network terms, and the"
            f" plan {plan.name!r} has none",
            f"add its in_network: block, or hdhp: true if it qualifies ({limits})",
        )
    block = plan.in_network
    assert block is not None
    if block.copay_only:  # it pays from the first visit: the deductible never comes first
        return (
            "an HSA needs a high-deductible plan, and this one's in-network visits cost a"
            " copay alone (copay_only), so it pays before any deductible is met (IRS"
            f" Publication 969) ({limits})",
            "leave the HSA out; a plan that is an HDHP applies its deductible first",
        )
    if block.deductible < least:
        return (
            f"an HSA needs a high-deductible plan: the in-network deductible"
            f" {_money(block.deductible)} is below the {_money(least)} minimum ({limits})",
            "leave the HSA out, or check the plan's deductible",
        )
    cap = block.out_of_pocket_max
    if cap is None or cap > most:
        said = (
            f"terms give no out-of-pocket maximum, and it must be at most {_money(most)}"
            if cap is None
            else f"out-of-pocket maximum {_money(cap)} is above the {_money(most)} limit"
        )
        return (
            f"an HSA needs a high-deductible plan: the in-network {said} ({limits})",
            "leave the HSA out, or give the plan's in-network out_of_pocket_max",
        )
    return None


def check_hsa(terms: TaxTerms, plan: Plan, year: int) -> None:
    """Refuse an HSA with a plan that is not a high-deductible plan, or beside Medicare."""
    problem = hdhp_problem(terms, plan, year)
    if problem is not None:
        raise InputError.single(plan.name, *problem)
