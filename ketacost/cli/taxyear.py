"""``ketacost status LEDGER --year YYYY --tax``: one year's medical expenses, for the return."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from ..errors import InputError
from .options import Format, option, with_flags
from .tax import FilingStatus

if TYPE_CHECKING:
    from ..engine.tax import TaxTerms
    from ..files.person import PersonFile
    from ..report.document import Report

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
    "other_medical": (
        Annotated[
            str | None,
            option(
                "--other-medical",
                metavar="AMOUNT",
                panel=PANEL,
                help="Your other medical expenses of the year, added to the ledger's.",
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
        other_medical=given.get("other_medical"),
        miles=given["miles"],
    )
    assert terms is not None  # a rate is always given to tax_terms
    return terms


def fill_tax_year(
    flags: dict[str, Any], person: PersonFile | None, year: int
) -> tuple[dict[str, Any], dict[str, str], list[tuple[str, str]]]:
    """Return the tax-year flags with the person file's values where no flag was given.

    Also who stated each value (flag name → "flag" or "person file") and the
    person file's values used, as (what, value). A flag always wins. The HSA
    and FSA of a person file do not apply: the ledger's ``paid_with`` says what
    those accounts paid that year (docs/person-file.md).
    """
    from .situation import take_tax_and_miles

    filled = {name: flags.get(name, default) for name, (_, default) in TAX_FLAGS.items()}
    sources = {name: "flag" for name, value in filled.items() if value not in (None, 0)}
    used: list[tuple[str, str]] = []
    if person is None:
        return filled, sources, used
    stated = person.person

    def take(name: str, value: Any, what: str, shown: str) -> None:
        filled[name] = value
        sources[name] = "person file"
        used.append((what, shown))

    take_tax_and_miles(stated, filled, take)
    if not filled["over_65"] and filled["filing"] is not None:
        over = stated.people_over_65(dt.date(year, 12, 31))
        if over:
            take("over_65", over, "65 or older", "yes")
    return filled, sources, used


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
    person: PersonFile | None = None,
    ledger_source: str = "flag",
) -> bool:
    """Print one year's medical expenses from ``ledger`` when asked to; return whether asked.

    Not asked (no ``--tax``, no ``--year``, no tax flag), ``status`` goes on as usual.
    """
    from ..engine.taxyear import ledger_tax_year
    from ..files.ledger import load_ledger
    from ..report.taxyear import Source, tax_year_csv, tax_year_data, tax_year_report
    from .assumptions import assumed_lines, person_used_line, tax_year_assumptions
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
    filled, sources, used = fill_tax_year(flags, person, year)
    terms = _terms(filled)
    assumed = tax_year_assumptions(terms, sources, year, str(ledger), ledger_source)
    if person is not None and ledger_source == "person file":
        used.insert(0, ("ledger", str(person.person.ledger)))
    lead = [] if person is None or not used else [person_used_line(person, used, page=True)]
    lead += assumed_lines(assumed)
    loaded = load_ledger(ledger)
    from .status import say_ledger_warnings

    say_ledger_warnings(loaded, ledger)  # an entry logged twice is in the year's figures
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
        json=lambda: {
            **tax_year_data(found, source),
            "assumptions": [a.to_dict() for a in assumed],
        },
        csv=lambda: tax_year_csv(found, source),
        # A page is sent on: it names the ledger, never the folders of this machine.
        reports=lambda: [_with_lead(tax_year_report(found, page_source), lead)],
    )
    return True


def _with_lead(drawn: Report, lead: list[str]) -> Report:
    """Return ``drawn`` opening with ``lead``: the person file's values used, the defaults."""
    drawn.details[0:0] = lead
    return drawn
