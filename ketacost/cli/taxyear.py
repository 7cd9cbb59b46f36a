"""``ketacost status LEDGER --year YYYY --tax``: one year's medical expenses, for the return."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from ..errors import InputError
from .options import Format, option, with_flags
from .tax import FilingStatus

if TYPE_CHECKING:
    from ..engine.tax import TaxTerms

F = TypeVar("F", bound=Callable[..., Any])

PANEL = "Tax year"
YearOption = Annotated[
    int | None,
    option(
        "--year",
        metavar="YYYY",
        panel=PANEL,
        help="With --tax: the calendar year of the tax return.",
    ),
]
TaxOption = Annotated[
    bool,
    option(
        "--tax",
        panel=PANEL,
        help="With --year: paid, reimbursed, HSA/FSA money and mileage of that year, whether"
        " itemizing helps, and the entries behind each figure.",
    ),
]


def check_year(year: int | None) -> None:
    """Refuse a ``--year`` no calendar of records holds."""
    if year is not None and not 1900 <= year <= 9999:
        raise InputError.single(
            "--year", f"{year} is not a year from 1900 to 9999", "e.g. --year 2027"
        )


TAX_FLAGS: dict[str, tuple[Any, Any]] = {
    "marginal_rate": (
        Annotated[
            str | None,
            option(
                "--marginal-rate",
                metavar="P%",
                panel=PANEL,
                help="Your marginal income-tax rate, e.g. 22%: the tax the deduction saves.",
            ),
        ],
        None,
    ),
    "agi": (
        Annotated[
            str | None,
            option(
                "--agi",
                metavar="AMOUNT",
                panel=PANEL,
                help="Adjusted gross income: medical expenses above 7.5% of it are deductible.",
            ),
        ],
        None,
    ),
    "filing": (
        Annotated[
            FilingStatus | None,
            option(
                "--filing",
                metavar="STATUS",
                panel=PANEL,
                help="single, joint or head: compare itemizing with the standard deduction.",
                case_sensitive=False,
            ),
        ],
        None,
    ),
    "other_itemized": (
        Annotated[
            str | None,
            option(
                "--other-itemized",
                metavar="AMOUNT",
                panel=PANEL,
                help="Your other itemized deductions of the year (mortgage interest, state"
                " tax, gifts).",
            ),
        ],
        None,
    ),
    "over_65": (
        Annotated[
            int,
            option(
                "--over-65",
                panel=PANEL,
                help="You are 65 or older (twice when both spouses are, filing jointly).",
                count=True,
            ),
        ],
        0,
    ),
    "miles": (
        Annotated[
            str | None,
            option(
                "--miles",
                metavar="MILES",
                panel=PANEL,
                help="Round-trip miles per visit, at the IRS medical mileage rate.",
            ),
        ],
        None,
    ),
}


def _terms(given: dict[str, Any]) -> TaxTerms:
    """Return the tax terms of the flags; without a rate the saving is not worked out."""
    from .tax import tax_terms

    rate = given["marginal_rate"]
    terms = tax_terms(
        rate if rate is not None else "0%",
        given["agi"],
        filing=given["filing"],
        other_itemized=given["other_itemized"],
        over_65=given["over_65"],
        miles=given["miles"],
    )
    assert terms is not None  # a rate is always given to tax_terms
    return terms


def tax_year_options(command: F) -> F:
    """Add the tax-year flags to ``command``, which receives them as one ``tax_flags``."""
    return with_flags(TAX_FLAGS, "tax_flags", lambda given: given)(command)


def tax_year(
    ledger: Path,
    year: int | None,
    tax: bool,
    flags: dict[str, Any],
    format: Format | None,
    output: Path | None,
) -> bool:
    """Print one year's medical expenses from ``ledger`` when asked to; return whether asked.

    Not asked (no ``--tax``, no ``--year``, no tax flag), ``status`` goes on as usual.
    """
    from ..engine.taxyear import ledger_tax_year
    from ..ledger import load_ledger
    from ..report.taxyear import Source, tax_year_csv, tax_year_data, tax_year_report
    from .output import deliver

    given = [
        "--" + name.replace("_", "-")
        for name, (_, default) in TAX_FLAGS.items()
        if flags.get(name, default) != default
    ]
    if not tax:
        if year is not None or given:
            raise InputError.single(
                "--year" if year is not None else given[0],
                "counts only with --tax",
                "add --tax for the year's medical expenses, e.g. --year 2027 --tax",
            )
        return False
    check_year(year)
    if year is None:
        raise InputError.single(
            "--tax", "needs --year: the calendar year of the return", "e.g. --year 2027 --tax"
        )
    terms = _terms(flags)
    loaded = load_ledger(ledger)
    entries = loaded.ledger.entries
    source = Source(
        file=str(ledger),
        entries=list(entries),
        lines={i: loaded.document.values[("entries", i)].line for i in range(len(entries))},
        currency=loaded.clinic.currency,
    )
    found = ledger_tax_year(loaded.ledger, year, terms)
    page_source = replace(source, file=ledger.name) if ledger.is_absolute() else source
    deliver(
        format,
        output,
        json=lambda: tax_year_data(found, source),
        csv=lambda: tax_year_csv(found, source),
        # A page is sent on: it names the ledger, never the folders of this machine.
        reports=lambda: [tax_year_report(found, page_source)],
    )
    return True
