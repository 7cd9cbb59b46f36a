"""The tax year of a ledger as a report, CSV and JSON: each figure and the entries behind it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..engine.tax import figures_note
from ..engine.taxfigures import figures_for, mileage_year
from ..engine.taxyear import Figure, LedgerTaxYear
from ..model.ledger import Entry, ExtraCharge, Received, Visit
from ..money import format_money
from .document import Column, Report, Table
from .spreadsheet import csv_text
from .words import money, percent, plural


@dataclass(frozen=True, slots=True)
class Source:
    """The ledger a tax year was read from: its entries and the line of each."""

    file: str
    entries: list[Entry]
    lines: Mapping[int, int]  # entry index → line in the file
    currency: str


SHORT = {
    "paid": "Paid",
    "reimbursed_same_year": "Reimbursed",
    "mileage": "Trip",
    "hsa_fsa": "HSA/FSA",
    "reimbursed_earlier": "Earlier year's",
    "to_return": "To put back",
}


def _figures(year: LedgerTaxYear) -> list[tuple[str, str, Figure | None, Decimal]]:
    """Return (key, words, figure, amount) for each figure of the year, in reading order."""
    figures = year.figures
    return [
        ("paid", "Paid for treatment (cash, card or loan)", year.paid, year.paid.amount),
        (
            "reimbursed_same_year",
            "Less: reimbursed for this year's expenses",
            year.same_year,
            year.same_year.amount,
        ),
        ("mileage", "Mileage: trips to the clinic", None, figures.mileage),
        (
            "other_medical",
            "Other medical expenses (not in the ledger)",
            None,
            figures.other_medical,
        ),
        ("expenses", "Medical expenses for the year", None, figures.expenses),
        (
            "hsa_fsa",
            "Paid from an HSA or FSA (not deducted again)",
            year.tax_free,
            year.tax_free.amount,
        ),
        (
            "reimbursed_earlier",
            "Reimbursed for an earlier year's expenses",
            year.earlier,
            year.earlier.amount,
        ),
        (
            "to_return",
            "Reimbursed for HSA or FSA spending: to put back",
            None,
            sum((r.amount for r in year.to_return), Decimal(0)),
        ),
        ("reimbursed", "All money received in the year", year.reimbursed, year.reimbursed.amount),
    ]


def _entry_words(entry: Entry) -> str:
    if isinstance(entry, Visit):
        return f"visit {entry.visit} ({entry.paid_with})"
    if isinstance(entry, ExtraCharge):
        return f"charge {entry.charge} ({entry.paid_with})"
    if isinstance(entry, Received):
        return f"received from the {entry.from_} for {', '.join(entry.for_)}"
    return type(entry).__name__


def _entry_amount(entry: Entry) -> Decimal:
    if isinstance(entry, Visit):
        return entry.paid
    if isinstance(entry, ExtraCharge):
        return entry.amount
    return entry.received if isinstance(entry, Received) else Decimal(0)


def _behind(year: LedgerTaxYear, source: Source) -> list[tuple[str, int, Decimal]]:
    """Return (figure key, entry index, amount it adds) for every entry behind a figure."""
    rows = []
    for key, _, figure, _ in _figures(year):
        if figure is not None:
            rows += [(key, i, _entry_amount(source.entries[i])) for i in figure.entries]
        elif key == "mileage":  # a trip adds its mileage, not what the visit cost
            rows += [(key, trip.entry, trip.amount) for trip in year.trips]
    rows += [("to_return", r.entry, r.amount) for r in year.to_return]
    return rows


def tax_year_data(year: LedgerTaxYear, source: Source) -> dict[str, Any]:
    """Return the year as JSON-ready data: each figure with its entries."""

    def entry(index: int) -> dict[str, Any]:
        found = source.entries[index]
        return {
            "line": source.lines.get(index),
            "date": found.date.isoformat(),
            "entry": _entry_words(found),
            "amount": format_money(_entry_amount(found)),
        }

    figures = {
        key: {
            "amount": format_money(amount),
            "entries": [entry(index) for index in (figure.entries if figure else ())],
        }
        for key, _, figure, amount in _figures(year)
    }
    figures["mileage"]["entries"] = [
        {**entry(trip.entry), "amount": format_money(trip.amount), "miles": str(trip.miles)}
        for trip in year.trips
    ]
    figures["to_return"]["entries"] = [
        {**entry(r.entry), "account": r.account, "by": r.by and r.by.isoformat()}
        for r in year.to_return
    ]
    return {
        "ledger": source.file,
        "year": year.year,
        "currency": source.currency,
        "figures": figures,
        "tax": year.figures.to_dict(),
        "itemizing": itemizing_words(year, source.currency),
        "notes": notes(year, source.currency),
    }


def tax_year_csv(year: LedgerTaxYear, source: Source) -> str:
    """Return the year as CSV: the figures, then one row per entry behind each."""
    rows: list[list[Any]] = [["figure", "amount", "date", "entry", "line"]]
    for key, _, _, amount in _figures(year):
        rows.append([key, format_money(amount), "", "", ""])
    for key, index, added in _behind(year, source):
        found = source.entries[index]
        rows.append(
            [
                key,
                format_money(added),
                found.date.isoformat(),
                _entry_words(found),
                source.lines.get(index, ""),
            ]
        )
    return csv_text(rows)


def tax_year_report(year: LedgerTaxYear, source: Source) -> Report:
    """Return the year as tables and notes for the terminal, Markdown and HTML."""
    currency = source.currency
    summary = Table(
        f"Medical expenses, {year.year}",
        [Column("", min_width=24), Column("Amount", True), Column("Entries", True)],
    )
    listed = {"mileage": len(year.trips), "to_return": len(year.to_return)}
    for key, words, figure, amount in _figures(year):
        count = str(len(figure.entries)) if figure is not None else ""
        if key in listed:
            count = str(listed[key])
        shown = money(amount, currency)
        if key == "reimbursed_same_year" and amount:
            shown = "-" + shown
        summary.add(words, shown, count, style="total" if key == "expenses" else "normal")
    tables = [summary]
    deduction = _deduction_table(year, currency)
    if deduction is not None:
        tables.append(deduction)
    behind = Table(
        "The entries behind each figure",
        [
            Column("Figure", min_width=12),
            Column("Date", rigid=True),
            Column("Entry", min_width=16),
            Column("Amount", True),
            Column("Line", True),
        ],
    )
    for key, index, added in _behind(year, source):
        if key == "reimbursed":  # the sum of the other reimbursement figures, listed there
            continue
        found = source.entries[index]
        behind.add(
            SHORT[key],
            found.date.isoformat(),
            _entry_words(found),
            money(added, currency),
            str(source.lines.get(index, "")),
        )
    if behind.rows:
        tables.append(behind)
    return Report(
        heading=f"Tax year {year.year}: medical expenses from {source.file}",
        details=[itemizing_words(year, currency)],
        tables=tables,
        notes=notes(year, currency),
    )


def _deduction_table(year: LedgerTaxYear, currency: str) -> Table | None:
    figures, terms = year.figures, year.terms
    if figures.floor is None or figures.deductible is None:
        return None
    table = Table("The deduction", [Column("", min_width=24), Column("Amount", True)])
    table.add("7.5% of adjusted gross income (the floor)", money(figures.floor, currency))
    table.add("Medical expenses above the floor", money(figures.deductible, currency))
    if figures.standard is not None:
        table.add("Standard deduction", money(figures.standard, currency))
        table.add("Your other itemized deductions", money(terms.other_itemized, currency))
        table.add(
            "Itemizing adds over the standard deduction",
            money(figures.deducted, currency),
            style="total",
        )
    if figures.recovered:
        table.add(
            "Earlier reimbursements that are income this year", money(figures.recovered, currency)
        )
    if terms.marginal_rate:
        rate = percent(terms.marginal_rate)
        if figures.standard is None:  # not known to beat the standard deduction
            words = f"Tax saved at {rate} if itemizing beats the standard deduction: up to"
            table.add(words, money(figures.saving, currency))
        else:
            table.add(f"Tax saved at {rate}", money(figures.saving, currency), style="total")
    return table


def itemizing_words(year: LedgerTaxYear, currency: str) -> str:
    """Return whether itemizing helps this year, or what it takes to tell, and the tax an
    earlier year's reimbursement adds."""
    return _itemizing(year, currency) + _recovery(year, currency)


def _recovery(year: LedgerTaxYear, currency: str) -> str:
    """Return what a reimbursement of an earlier year's deducted expenses costs this year."""
    figures = year.figures
    if not figures.recovered:
        return ""
    rate = year.terms.marginal_rate
    tax = f": about {money(figures.recovered * rate, currency)} more tax at {percent(rate)}"
    return (
        f" {money(figures.recovered, currency)} reimbursed this year for expenses deducted in"
        f" an earlier year is income now, as far as that deduction cut tax{tax if rate else ''}"
        " (that year worked with this year's income, filing status and other deductions)."
    )


def _itemizing(year: LedgerTaxYear, currency: str) -> str:
    figures, terms = year.figures, year.terms
    expenses = money(figures.expenses, currency)
    if figures.floor is None or figures.deductible is None:
        return (
            f"Medical expenses for {year.year}: {expenses}. Whether itemizing helps needs your"
            " adjusted gross income and filing status (--agi and --filing): the expenses count"
            " only above 7.5% of that income, and only when itemizing beats the standard"
            " deduction."
        )
    above = money(figures.deductible, currency)
    if figures.standard is None:
        return (
            f"{above} of the {expenses} is above the floor of {money(figures.floor, currency)}:"
            " deductible if you itemize. Whether itemizing beats the standard deduction needs"
            " your filing status (--filing single, joint or head)." + _up_to(year, currency)
        )
    itemized = money(terms.other_itemized + figures.deductible, currency)
    standard = money(figures.standard, currency)
    if figures.deducted > 0:
        return (
            f"Itemizing helps: {itemized} of itemized deductions ({above} of medical expenses"
            f" above the floor) beats the {standard} standard deduction by"
            f" {money(figures.deducted, currency)}."
        )
    return (
        f"Itemizing does not help: {itemized} of itemized deductions ({above} of medical"
        f" expenses above the floor) is not more than the {standard} standard deduction."
    )


def _up_to(year: LedgerTaxYear, currency: str) -> str:
    rate = year.terms.marginal_rate
    if not rate:
        return ""
    saving = money(year.figures.saving, currency)
    return f" If it does, the deduction saves up to {saving} of tax at {percent(rate)}."


def notes(year: LedgerTaxYear, currency: str) -> list[str]:
    """Return what the figures assumed and what to do, in words."""
    said = [
        "Money counts in the year it was paid: a card or a loan pays the clinic on the day of"
        " the entry, whenever it is paid off; loan interest is not a medical expense.",
    ]
    miles = year.terms.miles_per_visit
    if miles:
        used = mileage_year(year.year)
        rate = figures_for(used).mileage_rate
        trips = plural(len(year.visits.entries), "visit")
        latest = "" if used == year.year else ", the latest published"
        said.append(
            f"Mileage: {trips} × {miles} miles there and back × {rate} {currency} a mile"
            f" (the IRS medical rate for {used}{latest}) = {money(year.figures.mileage, currency)}."
        )
    else:
        said.append(
            "Mileage is not counted: give the round-trip miles per visit (--miles) to add it."
        )
    for back in year.to_return:
        if back.account == "hsa" and back.by is not None:
            said.append(
                f"{money(back.amount, currency)} reimbursed for spending from the HSA: put it"
                f" back into the HSA by {back.by} (a mistaken distribution), or it is income"
                " and an additional 20% tax."
            )
        else:
            said.append(
                f"{money(back.amount, currency)} reimbursed for spending from the FSA: the FSA"
                " may not pay for what the plan paid; ask its administrator how to repay it."
            )
    borrowed = figures_note([year.year])
    if borrowed and year.terms.agi is not None:
        said.append(borrowed)  # the standard deduction, ...
    if year.figures.recovered:
        said.append(
            "A reimbursement of an earlier year's expense is income this year up to the"
            " deduction it cut then (the tax-benefit rule)."
        )
    elif year.earlier.amount and year.figures.floor is None:
        said.append(
            f"{money(year.earlier.amount, currency)} came back for an earlier year's expenses:"
            " income this year if you deducted them then, up to what that deduction saved."
        )
    elif year.earlier.amount:
        said.append(
            f"{money(year.earlier.amount, currency)} came back for an earlier year's expenses:"
            " not income this year, since deducting them did not cut that year's tax (that"
            " year worked with this year's income, filing status and other deductions)."
        )
    if year.unplaced:
        said.append(
            "Money received for a visit or charge the ledger does not log is counted against"
            " this year's expenses."
        )
    return said
