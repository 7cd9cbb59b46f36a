"""``ketacost status LEDGER``: where a treatment stands, from its ledger, on a date."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from ..errors import printable
from .options import EXIT_FINDING, FormatOption, LedgerArgument, OutputOption, guarded, option
from .taxyear import TaxOption, YearOption, tax_year, tax_year_options


class FailOn(str, Enum):
    overdue = "overdue"
    unfiled = "unfiled"


FAIL_ON_HELP = (
    "Exit 1 when a claim is overdue, or a visit's claim is not filed (a reminder for cron)."
)


@guarded
@tax_year_options
def status_command(
    ledger: LedgerArgument,
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
) -> None:
    """Paid, reimbursed and net so far against the estimate; claims; EOBs against the plan."""
    if tax_year(ledger, year, tax, tax_flags or {}, format, output):  # docs/records.md
        return
    from ..engine.status_data import status_data
    from ..ledger import load_ledger
    from ..report.ledger import status_csv, status_report
    from ..report.words import plural
    from .output import deliver
    from .settings import date_flag

    day = date_flag("--as-of", as_of, example="2027-03-01")
    loaded = load_ledger(ledger)
    status = loaded.status(day)
    shown = str(ledger)
    deliver(
        format,
        output,
        json=lambda: status_data(status, shown),
        csv=lambda: status_csv(status),
        reports=lambda: [status_report(status, shown)],
    )
    findings = []
    wanted = set(fail_on or ())
    if FailOn.overdue in wanted and status.count("overdue"):
        findings.append(plural(status.count("overdue"), "claim") + " overdue")
    if FailOn.unfiled in wanted and status.count("not filed"):
        findings.append(plural(status.count("not filed"), "visit") + " not filed with the plan")
    if findings:
        typer.echo(f"{printable(str(ledger))}: " + "; ".join(findings), err=True)
        raise typer.Exit(EXIT_FINDING)
