"""``ketacost status LEDGER``: where a treatment stands, from its ledger, on a date."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import InputError, printable
from .options import (
    EXIT_FINDING,
    ConfigOption,
    FormatOption,
    NoConfigOption,
    OptionalLedgerArgument,
    OutputOption,
    ScenarioOption,
    WidthOption,
    guarded,
    option,
    report_error,
)
from .taxyear import TaxOption, YearOption, tax_year, tax_year_options

if TYPE_CHECKING:
    from pathlib import Path

    from ..engine.status import LedgerStatus
    from ..files.ledger import LoadedLedger
    from ..report.document import Report

SHOWN_WARNINGS = 3  # of the ledger's own, on stderr; `check` lists them all
FAIL_ON_HELP = (
    "Exit 1 when a claim is overdue (overdue), a visit's claim is not filed (unfiled), or an"
    " open deadline falls within DAYS days (deadline-within=DAYS): a reminder for cron."
    " Repeatable."
)
FAIL_ON_HINT = "use overdue, unfiled or deadline-within=DAYS (e.g. deadline-within=14)"


def fail_on_rules(given: list[str]) -> tuple[bool, bool, int | None]:
    """Return what ``--fail-on`` asks for: (overdue, unfiled, days ahead for deadlines)."""
    overdue = unfiled = False
    within: int | None = None
    for text in given:
        word = text.strip().lower()
        name, has_days, days = word.partition("=")
        if word == "overdue":
            overdue = True
        elif word == "unfiled":
            unfiled = True
        elif name == "deadline-within" and has_days:
            if not (days.isascii() and days.isdigit()) or int(days) > 3650:
                raise InputError.single(
                    "--fail-on",
                    f"{text!r}: DAYS must be a whole number of days from 0 to 3650",
                    "e.g. deadline-within=14",
                )
            within = max(int(days), within or 0)
        else:
            raise InputError.single("--fail-on", f"unknown condition {text!r}", FAIL_ON_HINT)
    return overdue, unfiled, within


def findings(status: LedgerStatus, given: list[str]) -> list[str]:
    """Return what ``--fail-on`` finds in ``status``, one phrase each."""
    from ..report.words import plural

    overdue, unfiled, within = fail_on_rules(given)
    found = []
    if overdue and status.count("overdue"):
        found.append(plural(status.count("overdue"), "claim") + " overdue")
    late = [
        c
        for c in status.claims
        if c.state == "payment due" and c.payment_late_from and c.payment_late_from <= status.as_of
    ]
    if overdue and late:  # the EOB came, the money it promised did not
        found.append(plural(len(late), "payment") + " late from the plan")
    if unfiled and status.count("not filed"):
        found.append(plural(status.count("not filed"), "visit") + " not filed with the plan")
    if within is not None:
        last = status.as_of + dt.timedelta(days=within)
        near = [d for d in status.deadlines if d.is_open and d.due is not None and d.due <= last]
        if near:
            first = near[0]
            found.append(
                plural(len(near), "deadline")
                + f" by {last} (the first: {first.what}, by {first.due})"
            )
    return found


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
    width: WidthOption = None,
    fail_on: Annotated[
        list[str] | None,
        option("--fail-on", metavar="overdue|unfiled|deadline-within=DAYS", help=FAIL_ON_HELP),
    ] = None,
    year: YearOption = None,
    tax: TaxOption = False,
    tax_flags: dict[str, Any] | None = None,
    scenario: ScenarioOption = None,
    config: ConfigOption = None,
    no_config: NoConfigOption = False,
) -> None:
    """Paid, reimbursed and net so far against the estimate; claims; EOBs against the plan."""
    from ..files.person import ledger_file, read_person

    person = read_person(config, no_config)
    ledger, ledger_source = ledger_file(ledger, person)
    if tax_year(
        ledger, year, tax, tax_flags or {}, format, output, person, ledger_source
    ):  # docs/records.md
        return
    from ..engine.status_data import status_data
    from ..files.ledger import load_ledger
    from ..report.ledger import status_csv, status_report
    from .assumptions import ledger_lead, status_assumptions
    from .choice import ledger_choice
    from .output import deliver
    from .settings import date_flag

    day = date_flag("--as-of", as_of, example="2027-03-01")
    fail_on_rules(fail_on or [])  # a bad condition is refused before anything is printed
    loaded = load_ledger(ledger)
    # what the plan file leaves to its most generous default moves the figures shown
    about_plan = [w for w in loaded.warnings if w.path == str(loaded.plan_file)]
    if about_plan:
        report_error(InputError(about_plan))
    say_ledger_warnings(loaded, ledger)
    choice = ledger_choice(loaded, scenario, person)
    status = loaded.status(day, None if choice is None else choice.name)
    shown = str(ledger)
    # A page is sent on: it names the ledger, never the folders of this machine.
    named = ledger.name if ledger.is_absolute() else shown
    assumed = status_assumptions(loaded, choice, as_of is None, ledger_source)

    def report() -> Report:
        drawn = status_report(status, named)
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
        width=width,
    )
    found = findings(status, fail_on or [])
    if found:
        typer.echo(f"{printable(str(ledger))}: " + "; ".join(found), err=True)
        raise typer.Exit(EXIT_FINDING)


def say_ledger_warnings(loaded: LoadedLedger, ledger: Path) -> None:
    """Say on stderr what may be a mistake in the ledger (a visit or a payment logged
    twice, a claim for a visit never logged), which changes the figures shown: the first
    few, then how many more `check` lists."""
    own = [w for w in loaded.warnings if w.path != str(loaded.plan_file)]
    if not own:
        return
    from ..report.words import plural

    report_error(InputError(own[:SHOWN_WARNINGS]))
    if len(own) > SHOWN_WARNINGS:
        more = len(own) - SHOWN_WARNINGS
        typer.echo(
            f"… and {plural(more, 'more warning', 'more warnings')}:"
            f" `ketacost check {printable(str(ledger))}` lists them all",
            err=True,
        )
