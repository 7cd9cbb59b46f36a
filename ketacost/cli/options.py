"""What every command shares: output options, argument parsing, and error handling."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ..errors import InputError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_FINDING = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class State:
    """Process-wide switches set by the top-level options."""

    debug = False


FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="table, json, csv or md (default: table, or from -o's extension)",
        case_sensitive=False,
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to FILE (atomically) instead of stdout.",
        dir_okay=False,
        show_default=False,
    ),
]
StartOption = Annotated[
    str | None,
    typer.Option(
        "--start", help="First day of treatment, YYYY-MM-DD (default: today).", show_default=False
    ),
]
MonthsOption = Annotated[
    int, typer.Option("--months", help="Horizon in calendar months (1 to 120).")
]
PlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan", "-p", help="Insurance plan YAML with out-of-network benefits.", show_default=False
    ),
]
DeductibleOption = Annotated[
    str | None,
    typer.Option("--deductible", help="What-if: out-of-network deductible.", show_default=False),
]
CoinsuranceOption = Annotated[
    str | None,
    typer.Option("--coinsurance", help="What-if: your coinsurance, e.g. 40%.", show_default=False),
]
AllowedOption = Annotated[
    str | None,
    typer.Option(
        "--allowed",
        help="What-if: allowed amount, 70% of billed or 400 per claim.",
        show_default=False,
    ),
]
OopMaxOption = Annotated[
    str | None,
    typer.Option("--oop-max", help="What-if: out-of-pocket maximum.", show_default=False),
]
PaidAfterDaysOption = Annotated[
    str | None,
    typer.Option(
        "--paid-after-days",
        help="What-if: days from session to reimbursement.",
        show_default=False,
    ),
]
FailOverOption = Annotated[
    str | None,
    typer.Option(
        "--fail-over",
        metavar="AMOUNT",
        help="Exit 1 when a net cost is above AMOUNT (a budget check for scripts).",
        show_default=False,
    ),
]
ResponseRateOption = Annotated[
    str | None,
    typer.Option(
        "--response-rate",
        metavar="P",
        help="Chance the treatment helps, e.g. 50%: weigh a branch where it does not.",
        show_default=False,
    ),
]
StopAfterOption = Annotated[
    int | None,
    typer.Option(
        "--stop-after",
        metavar="N",
        help="Without a response, stop after N series sessions (default 3 with a rate).",
        show_default=False,
    ),
]
PersonalOption = Annotated[
    Path | None,
    typer.Option("--personal", help="Personal-costs YAML (kind: personal).", show_default=False),
]
RideOption = Annotated[
    str | None,
    typer.Option(
        "--ride",
        metavar="AMOUNT",
        show_default=False,
        help="A ride home per visit (nobody drives after a session).",
    ),
]
HourlyWageOption = Annotated[
    str | None,
    typer.Option(
        "--hourly-wage", metavar="AMOUNT", show_default=False, help="Pay lost per hour off work."
    ),
]
HoursOffOption = Annotated[
    str | None,
    typer.Option(
        "--hours-off",
        metavar="HOURS",
        show_default=False,
        help="Hours off work per visit (default: session, recovery and travel).",
    ),
]
ChildcareOption = Annotated[
    str | None,
    typer.Option("--childcare", metavar="AMOUNT", show_default=False, help="Childcare per visit."),
]
FinanceOption = Annotated[
    str | None,
    typer.Option(
        "--finance",
        metavar="PLAN",
        help="Finance the series: MONTHS@APR[+DOWN] (12@9.99%), 'clinic' for the clinic's"
        " first payment plan, or its name.",
        show_default=False,
    ),
]
SavingsOption = Annotated[
    bool,
    typer.Option(
        "--savings-program",
        help="Esketamine savings programme (commercial plans only): you pay a floor per"
        " treatment until an annual cap is used.",
    ),
]
SavingsCapOption = Annotated[
    str | None,
    typer.Option(
        "--savings-cap",
        metavar="AMOUNT",
        show_default=False,
        help="The programme's cap per calendar year (default $7,150).",
    ),
]
SavingsFloorOption = Annotated[
    str | None,
    typer.Option(
        "--savings-floor",
        metavar="AMOUNT",
        show_default=False,
        help="The least you pay per treatment (default $10).",
    ),
]
MarginalRateOption = Annotated[
    str | None,
    typer.Option(
        "--marginal-rate",
        metavar="P",
        show_default=False,
        help="Your marginal income-tax rate, e.g. 22%: HSA/FSA saving (estimate).",
    ),
]
AgiOption = Annotated[
    str | None,
    typer.Option(
        "--agi",
        metavar="AMOUNT",
        show_default=False,
        help="Adjusted gross income: the itemized medical deduction (estimate).",
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Override a profile value by dotted path: --set series.later_price=550 (repeatable).",
        show_default=False,
    ),
]


def use_color(output: Path | None) -> bool:
    """Whether to colour table output: only for a terminal, and never with NO_COLOR."""
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def terminal_width() -> int:
    """Return the width to draw tables at: the terminal's; files and pipes get room to spare."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size((110, 24)).columns
    return 240


def report_error(error: InputError) -> None:
    """Print every problem to stderr."""
    for problem in error.problems:
        typer.echo(problem.render(), err=True)


def guarded(command: F) -> F:
    """Turn bad input into exit 2 with positioned messages, and bugs into one short line."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as error:
            report_error(error)
            raise typer.Exit(EXIT_INPUT) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as error:
            if State.debug:
                raise
            typer.echo(
                f"ketacost: internal error ({type(error).__name__}). This is a bug: please report"
                " it with the command that triggered it (rerun with --debug for the details).",
                err=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]
