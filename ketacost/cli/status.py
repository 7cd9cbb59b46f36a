"""``ketacost status LEDGER``: where a treatment stands, from its ledger, on a date."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .options import (
    EXIT_FINDING,
    ConfigOption,
    FormatOption,
    NoConfigOption,
    OptionalLedgerArgument,
    OutputOption,
    ScenarioOption,
    guarded,
    option,
)
from .taxyear import TaxOption, YearOption, tax_year, tax_year_options

if TYPE_CHECKING:
    from ..report.document import Report


class FailOn(str, Enum):
    overdue = "overdue"
    unfiled = "unfiled"


FAIL_ON_HELP = (
    "Exit 1 when a claim is overdue, or a visit's claim is not filed (a reminder for cron)."
)


@guarded
@tax_year_options
def status_command(
    ledger: OptionalLedgerArgument = None,
    as_of: Annotated[
        str | None,
        option("--as-of", metavar="DATE", help="Report as of DATE, YYYY-MM-DD (default: today)."),
    ] = None,
    format: FormatOption = None,
    output: OutputOption = None,
    fail_on: Annotated[
        list[FailOn] | None, option("--fail-on", help=FAIL_ON_HELP, case_sensitive=False)
    ] = None,
    year: YearOption = None,
    tax: TaxOption = False,
    tax_flags: dict[str, Any] | None = None,
    scenario: ScenarioOption = None,
    config: ConfigOption = None,
    no_config: NoConfigOption = False,
) -> None:
    """Paid, reimbursed and net so far against the estimate; claims; EOBs against the plan."""
    from ..person import ledger_file, read_person

    person = read_person(config, no_config)
    ledger, ledger_source = ledger_file(ledger, person)
    if tax_year(ledger, year, tax, tax_flags or {}, format, output):  # docs/records.md
        return
    from ..engine.status_data import status_data
    from ..ledger import load_ledger
    from ..report.ledger import status_csv, status_report
    from ..report.words import plural
    from .assumptions import ledger_lead, status_assumptions
    from .choice import ledger_choice
    from .output import deliver
    from .settings import date_flag

    day = date_flag("--as-of", as_of, example="2027-03-01")
    loaded = load_ledger(ledger)
    choice = ledger_choice(loaded, scenario, person)
    status = loaded.status(day, None if choice is None else choice.name)
    shown = str(ledger)
    assumed = status_assumptions(loaded, choice, as_of is None, ledger_source)

    def report() -> Report:
        drawn = status_report(status, shown)
        drawn.details[0:0] = ledger_lead(person, ledger_source, assumed)
        return drawn

    deliver(
        format,
        output,
        json=lambda: {
            **status_data(status, shown),
            "assumptions": [a.to_dict() for a in assumed],
        },
        csv=lambda: status_csv(status),
        reports=lambda: [report()],
    )
    findings = []
    wanted = set(fail_on or ())
    if FailOn.overdue in wanted and status.count("overdue"):
        findings.append(plural(status.count("overdue"), "claim") + " overdue")
    if FailOn.unfiled in wanted and status.count("not filed"):
        findings.append(plural(status.count("not filed"), "visit") + " not filed with the plan")
    if findings:
        typer.echo(f"{ledger}: " + "; ".join(findings), err=True)
        raise typer.Exit(EXIT_FINDING)
