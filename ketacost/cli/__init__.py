"""The ``ketacost`` command line: argument parsing only; the engine does the arithmetic.

Each command is built only when it runs: the group knows the commands by name
and one line of help, and imports a command's module (and converts its options)
on first use, so ``ketacost estimate`` pays for one command, not all of them.
"""

from __future__ import annotations

import os

# Profiles hold health and money data: no installed pydantic plugin (observability
# tools register as plugins) gets to see them. This also spares the plugin scan.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import atexit
import gc
import importlib
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.models import CommandInfo

from .. import __version__
from .options import EXIT_INPUT, State
from .placeholders import plain_label, plain_labels

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C

# name → (module, function, the one line `ketacost --help` shows). A test checks
# that each line is the first line of the command's docstring.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "estimate": (
        "estimate",
        "estimate_command",
        "Estimate what one clinic's treatment costs, and what insurance pays back.",
    ),
    "compare": (
        "compare",
        "compare_command",
        "Rank several clinics by what they cost you, cheapest first.",
    ),
    "catalog": (
        "catalog",
        "catalog_command",
        "List the bundled clinic profiles: name, modality, series price and source.",
    ),
    "check": (
        "check",
        "check_command",
        'Validate profiles: every problem in every file at once; one "ok" line when clean.',
    ),
    "schema": (
        "check",
        "schema_command",
        "Print the JSON Schema of a clinic or plan profile, a ledger or a person file, for editors.",
    ),
    "init": (
        "init",
        "init_command",
        "Ask what one asks a clinic on the phone, and write a commented clinic profile.",
    ),
    "log": ("log", "log_callback", "Append one entry to a treatment ledger."),
    "status": (
        "status",
        "status_command",
        "Paid, reimbursed and net so far against the estimate; claims; EOBs against the plan.",
    ),
    "sweep": (
        "sweep",
        "sweep_command",
        "Evaluate every point of a grid of prices, plan terms or start dates in one run.",
    ),
    "calendar": (
        "calendar",
        "calendar_command",
        "Write the sessions still to come and every open deadline as an iCalendar (.ics) file.",
    ),
    "letter": (
        "letter",
        "letter_command",
        "Draft the letter the next step needs: an appeal, a dispute, a request, a claim status.",
    ),
    "import": (
        "importing",
        "import_callback",
        "Add a plan's EOBs (FHIR JSON from its patient-access API) to a ledger.",
    ),
    "export": (
        "export",
        "export_command",
        "Write the money a ledger records as journal entries (hledger, beancount) or CSV.",
    ),
}


def command_function(name: str) -> Any:
    """Return the function behind command ``name``, importing its module."""
    module, function, _ = COMMANDS[name]
    return getattr(importlib.import_module(f"{__name__}.{module}"), function)


class LazyGroup(TyperGroup):
    """A command group that builds a command only when it is run or its help is asked for."""

    _listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands or cmd_name not in COMMANDS:
            return self.commands.get(cmd_name)
        if self._listing:  # the group's help lists names and one line each: build nothing
            return typer.core.TyperCommand(cmd_name, help=COMMANDS[cmd_name][2])
        group = getattr(importlib.import_module(f"{__name__}.{COMMANDS[cmd_name][0]}"), "app", None)
        command: Any
        if isinstance(group, typer.Typer):  # a command with subcommands of its own (log)
            command = typer.main.get_group(group)
            command.name = cmd_name
            ledger_first(command)
        else:
            command = typer.main.get_command_from_info(
                CommandInfo(name=cmd_name, callback=command_function(cmd_name)),
                pretty_exceptions_short=True,
                rich_markup_mode=self.rich_markup_mode,
            )
        plain_labels(command, ctx)
        from .examples import add_examples

        add_examples(command, cmd_name)
        self.commands[cmd_name] = command
        return command

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)
        for param in params:
            plain_label(param, ctx)
        return params

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except Exception as error:  # Typer suggests only from the commands already built
            message = getattr(error, "message", None)
            if args and isinstance(message, str) and message.startswith("No such command"):
                from .examples import did_you_mean

                hint = did_you_mean(message, args[0], self.list_commands(ctx))
                error.message = hint  # type: ignore[attr-defined]
            raise

    def invoke(self, ctx: Any) -> Any:
        from ..errors import EXIT_OUTPUT, OutputError
        from ..files.atomic import forget_inputs

        forget_inputs()  # one command's inputs, not an earlier one's in this process
        try:
            return super().invoke(ctx)
        except typer.BadParameter as error:  # pydantic's prefix says nothing to a user
            error.message = error.message.replace("Value error, ", "")
            raise
        except BrokenPipeError:
            pipe_closed()
        except OutputError as error:  # docs/errors.md: exit 4, the message on stderr
            typer.echo(error.render(), err=True)
            raise typer.Exit(EXIT_OUTPUT) from None
        except (KeyboardInterrupt, typer.Abort) as stop:
            # Ctrl-C (at a prompt, the prompt turns it into Abort): the shell's 130, no
            # "Aborted!"; a new line so the prompt does not follow the question.
            if isinstance(stop, typer.Abort) and not isinstance(
                stop.__context__, KeyboardInterrupt
            ):
                raise
            typer.echo("", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def ledger_first(group: Any) -> None:
    """Have ``group`` (``log LEDGER KIND ...``) show the right order when the ledger comes last.

    ``log visit "Booster 2" --paid 600 L.yaml`` reads ``visit`` as the ledger and
    "Booster 2" as the kind of entry; the error then shows the command as it should be.
    """
    resolve = group.resolve_command

    def resolve_command(ctx: Any, args: list[str]) -> Any:
        kinds = group.list_commands(ctx)
        given = str(ctx.params.get("ledger", ""))
        if args and args[0] not in kinds and given in kinds:
            import shlex

            rest = list(args)
            files = [a for a in rest if a.endswith((".yaml", ".yml")) or Path(a).is_file()]
            ledger = files[-1] if files else "LEDGER"
            if files:
                rest.remove(ledger)
            right = shlex.join(["ketacost", group.name, ledger, given, *rest])
            raise typer.BadParameter(
                f"{given!r} is a kind of entry: the ledger comes first, as in {right}",
                ctx,
                param_hint="LEDGER",
            )
        return resolve(ctx, args)

    group.resolve_command = resolve_command


app = typer.Typer(
    name="ketacost",
    cls=LazyGroup,
    help="What ketamine therapy will really cost you: clinic prices, maintenance,"
    " out-of-network reimbursement and cash flow. An estimate, not medical or financial advice.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ketacost {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks of internal errors.")
    ] = False,
) -> None:
    State.debug = debug


EXIT_PIPE = 141  # a closed pipe: 128 + SIGPIPE, what a shell reports for a process it ended


def pipe_closed() -> None:
    """End quietly with 141: the reader of standard output (``| head``) has gone.

    Standard output is pointed at the null device first, so that the interpreter's
    last flush at exit finds nowhere to fail and prints nothing.
    """
    import os

    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.__stdout__.fileno() if sys.__stdout__ is not None else 1)
    except (OSError, ValueError):
        pass
    raise SystemExit(EXIT_PIPE)


def _plain_text_streams() -> None:
    """Let a terminal that cannot show a character show a stand-in for it (an ASCII or
    Latin-1 locale meets "—" and "€"), rather than end the command: on standard output
    its escape (``\u2014``, which JSON reads back as the character), on stderr ``?``."""
    for stream, errors in ((sys.stdout, "backslashreplace"), (sys.stderr, "replace")):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
        if reconfigure is not None and encoding != "utf8":
            reconfigure(errors=errors)


def _undecodable_argument(arguments: list[str]) -> str | None:
    """Return the error for the first argument that is not UTF-8 text, else None.

    Such an argument (a name typed in a Latin-1 terminal) would be written into a ledger
    or a profile that no YAML reader accepts, or end in an encoding error (docs/errors.md).
    """
    for position, argument in enumerate(arguments, start=1):
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            raw = argument.encode("utf-8", "surrogateescape")
            shown = raw.decode("ascii", "backslashreplace")
            return (
                f"ketacost: error: argument {position} ({shown}) is not UTF-8 text\n"
                "  hint: type it again in a UTF-8 terminal (LANG=C.UTF-8), or rename the file"
                " it names"
            )
    return None


def main() -> None:
    """Run the command line (the ``ketacost`` console script)."""
    # When the process ends the operating system takes its memory back at once. Frozen
    # at exit, what is still alive (modules, classes, the models' schemas) is left out of
    # the interpreter's last garbage collections, which would walk all of it, a sixth of
    # a short run's CPU time, to free nothing that needs freeing (files are closed by
    # their `with` blocks; none of our objects needs a cycle collection to finalize it).
    # Registered with atexit (once, however often main runs), so a caller that goes on
    # is not affected.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    # One command runs and the process ends. Its data (models, records, report rows)
    # holds no reference cycles, so reference counting frees all of it, and the cycle
    # collector, left on, would walk every live object again each time allocations pile
    # up: a quarter of a thousand-clinic comparison's CPU time, to free nothing. It is
    # paused for the command and set back as it was for a caller that goes on
    # (docs/architecture.md).
    collecting = gc.isenabled()
    gc.disable()
    from ..errors import EXIT_OUTPUT, OutputError

    _plain_text_streams()
    undecodable = _undecodable_argument(sys.argv[1:])
    if undecodable is not None:
        typer.echo(undecodable, err=True)
        raise SystemExit(EXIT_INPUT)
    from ..report.deliver import CheckedStdout

    given = sys.stdout
    checked = CheckedStdout(given)  # every write to stdout checked: docs/errors.md
    sys.stdout = checked
    try:
        app(prog_name="ketacost")
    except SystemExit:
        if checked.pipe_closed:  # in the parser's own output (--help | head)
            pipe_closed()
        raise
    except OutputError as error:  # in the parser's own output (--help > /dev/full)
        typer.echo(error.render(), err=True)
        raise SystemExit(EXIT_OUTPUT) from None
    finally:
        if sys.stdout is checked and given is not None:
            sys.stdout = given
        if collecting:
            gc.enable()
