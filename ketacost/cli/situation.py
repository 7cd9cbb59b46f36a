"""The person file's values, filled in where a flag was not given (docs/person-file.md).

A flag always wins; a value the person file gives stands in for its flag and is
remembered as coming from there, so reports can say which figures it set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .tax import FilingStatus, HsaKind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..files.person import PersonFile
    from ..model.person import Person

# Flag name → (what a report calls it, how the value reads)
TAX_FROM_FILE = {
    "marginal_rate": "marginal tax rate",
    "agi": "adjusted gross income",
    "filing": "filing status",
    "other_itemized": "other itemized deductions",
    "other_medical": "other medical expenses",
}


@dataclass(frozen=True)
class Situation:
    """Where each stated value came from, and the person file's values that were used."""

    person: PersonFile | None = None
    sources: dict[str, str] = field(default_factory=dict)  # flag name → "flag" | "person file"
    used: tuple[tuple[str, str], ...] = ()  # (what, value) taken from the person file
    notes: tuple[str, ...] = ()  # what the reader must know about values left unused

    def source(self, name: str) -> str | None:
        """Return who stated flag ``name``'s value: "flag", "person file", or None (nobody)."""
        return self.sources.get(name)


def _percent_text(value: Decimal) -> str:
    return f"{(value * 100).normalize():f}%"


def _money_text(value: Decimal) -> str:
    from ..report.words import money

    return money(value, "USD")


def stated_on_command_line(flags: dict[str, Any]) -> set[str]:
    """Return the names of the flags given: every shared flag's default is None, False or 0."""
    return {name for name, value in flags.items() if value not in (None, False, 0)}


def fill_from_person(flags: dict[str, Any], person: PersonFile | None, start: dt.date) -> Situation:
    """Fill ``flags`` (in place) from ``person`` where no flag was given; say who set what.

    Tax values are taken only when a marginal rate is known (the tax estimate
    needs it): a person file with an income but no rate sets nothing.
    """
    sources = {name: "flag" for name in stated_on_command_line(flags)}
    if person is None:
        return Situation(None, sources)
    stated = person.person
    used: list[tuple[str, str]] = []
    notes: list[str] = []

    def take(name: str, value: Any, what: str, shown: str) -> None:
        flags[name] = value
        sources[name] = "person file"
        used.append((what, shown))

    if flags["plan"] is None and stated.plan is not None:
        take("plan", Path(person.relative(stated.plan)), "plan", stated.plan)
    if flags["savings_program"]:  # the program's rebate depends on the limit and the state
        rebate = stated.savings.observation_rebate_cap if stated.savings is not None else None
        if flags["observation_rebate_cap"] is None and rebate is not None:
            take(
                "observation_rebate_cap",
                str(rebate),
                "observation rebate limit",
                _money_text(rebate),
            )
        if stated.state is not None:
            used.append(("state", stated.state))
    tax = stated.tax
    rate = flags["marginal_rate"] or (tax.marginal_rate if tax is not None else None)
    if rate is None:
        return Situation(person, sources, tuple(used), tuple(notes))
    take_tax_and_miles(stated, flags, take)
    if flags["hsa"] is None and not flags["fsa"]:
        if stated.hsa in ("self", "family"):
            take("hsa", HsaKind(stated.hsa), "HSA", stated.hsa)
        elif stated.fsa and stated.hsa in (None, "none"):  # fsa: 0 says there is none
            _fsa(flags, stated.fsa, start, take, notes)
    if not flags["over_65"] and flags["filing"] is not None:
        over = stated.people_over_65(start)
        if over:
            take("over_65", over, "65 or older", "yes")
        elif stated.over_65 is None:  # judged per tax year: a birth date may reach 65 later
            later = stated.turns_65_in()
            if later is not None and later > start.year:
                take("turns_65", later, "65 or older", f"from {later}")
    return Situation(person, sources, tuple(used), tuple(notes))


def take_tax_and_miles(stated: Person, flags: dict[str, Any], take: Any) -> None:
    """Hand ``take`` the person file's tax figures and miles per visit no flag gave.

    ``stated`` is the person file's model; ``take(name, value, what, shown)`` records one
    value (estimate's situation and the tax year share this: docs/person-file.md).
    """
    tax = stated.tax
    if tax is not None:
        for name, what in TAX_FROM_FILE.items():
            value = getattr(tax, name)
            if flags[name] is not None or value is None:
                continue
            if name == "filing":
                take(name, FilingStatus(value), what, value)
            elif name == "marginal_rate":
                take(name, str(value), what, _percent_text(value))
            else:
                take(name, str(value), what, _money_text(value))
    if flags["miles"] is None and stated.miles_per_visit is not None:
        miles = str(stated.miles_per_visit)
        take("miles", miles, "miles per visit", miles)


def _fsa(
    flags: dict[str, Any], election: Decimal, start: dt.date, take: Any, notes: list[str]
) -> None:
    """Use the FSA only when the election reaches the year's limit (the estimate's FSA pays
    up to the limit); a smaller one is left out, which shows more cost, never less."""
    from ..engine.taxfigures import figures_for

    limit = figures_for(start.year).fsa
    if election >= limit:
        take("fsa", True, "health FSA", _money_text(election))
        return
    notes.append(
        f"Your person file's health FSA election ({_money_text(election)}) is below the"
        f" year's {_money_text(limit)} limit, and the tax estimate can only count an FSA"
        " used up to the limit: the FSA is left out (add --fsa to count it to the limit)."
    )


def say_taken(person: PersonFile | None, taken: Sequence[str]) -> None:
    """Say on standard error what a command took from the person file (``taken``: "ledger
    ledger.yaml", "state NJ"), as the reports' lead line says it (docs/person-file.md)."""
    if person is None or not taken:
        return
    import typer

    typer.echo(f"From your person file ({person.shown}): {'; '.join(taken)}", err=True)
