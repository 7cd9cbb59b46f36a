"""What every command shares: output options, argument parsing, and error handling."""

from __future__ import annotations

import functools
import inspect
import os
import shutil
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ..errors import InputError, Invalid, OutputError, render_all

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

EXIT_FINDING = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    html = "html"


class State:
    """Process-wide switches set by the top-level options."""

    debug = False


FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="table, json, csv, md or html (default: table, or from -o's extension)",
        case_sensitive=False,
        show_default=False,
        rich_help_panel="Output",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE (atomically) instead of stdout.",
        dir_okay=False,
        show_default=False,
        rich_help_panel="Output",
    ),
]


def option(
    *names: str, help: str, metavar: str | None = None, panel: str | None = None, **extra: Any
) -> Any:
    """Return a Typer option: its help says any default in words, so Typer shows none."""
    extra.setdefault("show_default", False)
    return typer.Option(*names, metavar=metavar, help=help, rich_help_panel=panel, **extra)


def argument(help: str, metavar: str | None = None) -> Any:
    """Return a Typer argument, shown as ``metavar`` and with no default in its help."""
    return typer.Argument(metavar=metavar, help=help, show_default=False)


def chart_option(help: str) -> Any:
    """Return the ``--chart FILE`` option of a reporting command, with its own help."""
    return option("--chart", metavar="FILE", panel="Output", help=help)


ClinicArgument = Annotated[
    str | None,
    argument(
        "Clinic profile: a YAML path, - for standard input, or a bundled name (default: the"
        " bundled default).",
        metavar="CLINIC",
    ),
]
LedgerArgument = Annotated[Path, argument("The ledger file (ledger.yaml).")]
OptionalLedgerArgument = Annotated[
    Path | None,
    argument("The ledger file (default: the `ledger:` of your person file).", metavar="LEDGER"),
]
PERSON_PANEL = "Person file"
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        show_default=False,
        rich_help_panel=PERSON_PANEL,
        help="Your person file (default: ketacost.yaml here or in a parent folder up to your"
        " home, else in your user config folder).",
    ),
]
NoConfigOption = Annotated[
    bool,
    typer.Option("--no-config", rich_help_panel=PERSON_PANEL, help="Read no person file."),
]
ScenarioOption = Annotated[
    str | None,
    typer.Option(
        "--scenario",
        metavar="NAME",
        show_default=False,
        help="The plan's scenario your figures are compared with (default: the ledger's"
        " scenario:, else your person file's, else the plan's only one).",
    ),
]


WidthOption = Annotated[
    int | None,
    typer.Option(
        "--width",
        metavar="N",
        min=20,
        max=1000,
        show_default=False,
        help="Draw tables N columns wide (default: the terminal's, else $COLUMNS, else 100).",
        rich_help_panel="Output",
    ),
]


def with_flags(
    declared: dict[str, tuple[Any, Any]],
    into: str,
    collect: Callable[[dict[str, Any]], Any],
    also: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Callable[[F], F]:
    """Add the ``declared`` flags (name → annotation, default) to a command.

    The command receives their values as one argument named ``into``, made by
    ``collect`` from ``{name: value}``, with what ``also`` (if given) draws from
    the command's own arguments added. On ``--help`` the command's arguments come
    first, then these flags, then the command's own options (as sqlite-utils'
    ``output_options`` shares flags between commands).
    """

    def decorate(command: F) -> F:
        signature = inspect.signature(command, eval_str=True)
        own = [p for name, p in signature.parameters.items() if name != into]
        added = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=hint, default=value)
            for name, (hint, value) in declared.items()
        ]

        @functools.wraps(command)
        def wrapper(**kwargs: Any) -> Any:
            given = {name: kwargs.pop(name) for name in declared}
            if also is not None:
                given.update(also(kwargs))
            return command(**{into: collect(given)}, **kwargs)

        arguments = [p for p in own if _is_argument(p)]
        options = [p for p in own if not _is_argument(p)]
        parameters = [
            p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in arguments + added + options
        ]
        wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
        return wrapper  # type: ignore[return-value]

    return decorate


def _is_argument(parameter: inspect.Parameter) -> bool:
    metadata = getattr(parameter.annotation, "__metadata__", ())
    return any(isinstance(m, typer.models.ArgumentInfo) for m in metadata)


def use_color(output: Path | None) -> bool:
    """Whether to colour table output: only for a terminal, and never with NO_COLOR."""
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


DEFAULT_WIDTH = 100


def terminal_width(requested: int | None = None) -> int:
    """Return the width to draw tables at (docs/output.md).

    ``--width`` when given; else the terminal's; when not a terminal, ``COLUMNS``
    if it holds a number, else 100.
    """
    if requested is not None:
        return requested
    if sys.stdout.isatty():
        return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isascii() and columns.isdigit() and int(columns) > 0:
        return int(columns)
    return DEFAULT_WIDTH


def read_flag(flag: str, text: str, parse: Callable[[str], T], example: str | None = None) -> T:
    """Return ``parse(text)``; a value it refuses is an input error naming ``flag``.

    The parser's hint is kept; ``example`` stands in when it has none.
    """
    try:
        return parse(text)
    except Invalid as error:
        raise InputError.single(flag, error.message, error.hint or example) from None


def report_error(error: InputError) -> None:
    """Print the problems to stderr: the first fifty, then how many more there are."""
    for text in render_all(error.problems):
        typer.echo(text, err=True)


def guarded(command: F) -> F:
    """Turn bad input into exit 2 with positioned messages, and bugs into one short line."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as error:
            report_error(error)
            raise typer.Exit(EXIT_INPUT) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt, BrokenPipeError, OutputError):
            raise  # an output fault or a closed pipe: the command line's group says so
        except Exception as error:
            if State.debug:
                raise
            if isinstance(error, PermissionError) and error.filename is not None:
                # Looking at a path you named inside a folder you may not enter (a file? a
                # folder?): what is written is checked before it is written, so it is input.
                report_error(
                    InputError.single(
                        str(error.filename),
                        f"cannot reach it: {error.strerror or 'permission denied'}",
                        "check the permissions of the folders on the way (ls -ld each of them)",
                    )
                )
                raise typer.Exit(EXIT_INPUT) from None
            typer.echo(
                f"ketacost: internal error ({type(error).__name__}). This is a bug: please report"
                " it with the command that triggered it (rerun with --debug for the details).",
                err=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]
