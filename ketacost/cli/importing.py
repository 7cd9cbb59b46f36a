"""``ketacost import eob FILE LEDGER``: a plan's EOBs, as FHIR JSON, into a ledger."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputError, Problem
from .options import ConfigOption, NoConfigOption, OptionalLedgerArgument, argument, guarded

if TYPE_CHECKING:
    from ..engine.eobs import Imported
    from ..files.yaml_source import Document

app = typer.Typer(
    help="Add records from elsewhere to a treatment ledger: a plan's explanations of benefits"
    " (EOBs) as its patient-access API gives them (FHIR JSON).",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def import_callback() -> None:
    """Add a plan's EOBs (FHIR JSON from its patient-access API) to a ledger."""


@app.command("eob")
@guarded
def eob_command(
    file: Annotated[
        Path,
        argument("The plan's FHIR JSON: one ExplanationOfBenefit, or a Bundle of them.", "FILE"),
    ],
    ledger: OptionalLedgerArgument = None,
    config: ConfigOption = None,
    no_config: NoConfigOption = False,
) -> None:
    """Match each EOB item to the visit logged that day; append one eob entry per visit."""
    from ..engine.eobs import match_eobs
    from ..engine.schedule import schedule
    from ..files.fhir import read_eobs
    from ..files.ledger import check_size, read_ledger
    from ..files.ledger_append import Value, append_entries
    from ..files.person import ledger_file, read_person

    # the ledger first: without one there is nothing to import into
    ledger = ledger_file(ledger, read_person(config, no_config))[0]
    check_size(ledger)
    shown = str(file)
    from ..files.fhir import MAX_BYTES
    from ..files.load import read_input

    # bounded, as every input is: never the whole of a device, never blocked on a pipe
    data = read_input(file, MAX_BYTES, what="FHIR JSON", suffix=".json")
    lines, others, repeated = read_eobs(shown, data)
    outcome: list[Imported] = []

    def choose(document: Document) -> list[list[tuple[str, Value]]]:
        loaded = read_ledger(ledger, document)
        events = schedule(loaded.clinic, loaded.ledger.start, loaded.ledger.months)
        found = match_eobs(loaded.ledger, events, lines, loaded.clinic.currency)
        if found.currencies:
            raise InputError(
                [
                    Problem(
                        path=shown,
                        message=f"{path}: the amount is in {code}, the clinic's profile in"
                        f" {loaded.clinic.currency}",
                        hint="import EOBs for the clinic the ledger names",
                    )
                    for path, code in found.currencies
                ]
            )
        outcome.append(found)
        return [list(new.fields) for new in found.new]

    append_entries(ledger, choose, lambda document: read_ledger(ledger, document))
    for said in repeated:
        typer.echo(f"{shown}: {said}", err=True)
    _tell(ledger, outcome[0], others)


def _tell(ledger: Path, found: Imported, others: int) -> None:
    """Say on stderr what was added, what was there already, and what matched nothing."""
    for new in found.new:
        date = new.fields[0][1]
        notes = f" ({'; '.join(new.notes)})" if new.notes else ""
        typer.echo(
            f"imported into {ledger}: EOB for {new.visit!r} dated {date}, resource"
            f" {new.resource}{notes}",
            err=True,
        )
    for already in found.already:
        typer.echo(f"already in {ledger}: the EOB for {already}", err=True)
    for visit in found.by_hand:
        typer.echo(
            f"not imported: {visit!r} already has an EOB logged by hand; add its resource's"
            " fhir_id to that entry, or remove the entry and import again",
            err=True,
        )
    for left in found.unmatched:
        line = left.line
        codes = f", code {', '.join(line.codes)}" if line.codes else ""
        typer.echo(
            f"not matched: {line.where} (resource {line.resource}, served"
            f" {line.served or 'on no date'}{codes}): {left.reason}",
            err=True,
        )
    if others:
        from ..report.words import plural

        skipped = plural(others, "resource")
        typer.echo(f"skipped: {skipped} not ExplanationOfBenefit", err=True)
    if not found.new:
        typer.echo(f"nothing new for {ledger}", err=True)
