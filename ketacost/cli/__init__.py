"""The ``ketacost`` command line: argument parsing only; the engine does the arithmetic."""

from __future__ import annotations

import os

# Profiles hold health and money data: no installed pydantic plugin (observability
# tools register as plugins) gets to see them. This also spares the plugin scan.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from typing import Annotated

import typer

from .. import __version__
from .catalog import catalog_command
from .check import check_command, schema_command
from .compare import compare_command
from .estimate import estimate_command
from .init import init_command
from .options import State

app = typer.Typer(
    name="ketacost",
    help="What ketamine therapy will really cost you: clinic prices, maintenance,"
    " out-of-network reimbursement and cash flow. An estimate, not medical or financial advice.",
    add_completion=False,
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
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks of internal errors.")
    ] = False,
) -> None:
    State.debug = debug


app.command("estimate")(estimate_command)
app.command("compare")(compare_command)
app.command("catalog")(catalog_command)
app.command("check")(check_command)
app.command("schema")(schema_command)
app.command("init")(init_command)


def main() -> None:
    """Run the command line (the ``ketacost`` console script)."""
    app(prog_name="ketacost")
