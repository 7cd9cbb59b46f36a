"""``ketacost letter KIND LEDGER``: the draft letter the next step needs, from the ledger."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from .options import (
    ConfigOption,
    NoConfigOption,
    OptionalLedgerArgument,
    OutputOption,
    guarded,
    option,
)

if TYPE_CHECKING:
    from ..engine.status import LedgerStatus


class LetterKind(str, Enum):
    appeal = "appeal"
    gfe_dispute = "gfe-dispute"
    superbill_request = "superbill-request"
    claim_status = "claim-status"


class LetterFormat(str, Enum):
    md = "md"
    txt = "txt"
    html = "html"


EXTENSIONS = {".md": "md", ".markdown": "md", ".txt": "txt", ".html": "html", ".htm": "html"}


@guarded
def letter_command(
    kind: Annotated[
        LetterKind,
        typer.Argument(
            help="appeal (a denied claim), gfe-dispute (a bill over the Good Faith Estimate),"
            " superbill-request (to the clinic) or claim-status (an overdue claim, or a late"
            " payment).",
            show_default=False,
        ),
    ],
    ledger: OptionalLedgerArgument = None,
    visit: Annotated[
        str | None,
        option(
            "--visit",
            metavar="LABEL",
            help="The visit the letter is about (default: every one the letter fits; an"
            " appeal needs one when several are denied).",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        option("--as-of", metavar="DATE", help="Date the letter, YYYY-MM-DD (default: today)."),
    ] = None,
    format: Annotated[
        LetterFormat | None,
        option(
            "--format",
            "-f",
            help="md, txt or html (default: from -o's extension, else txt).",
            panel="Output",
            case_sensitive=False,
        ),
    ] = None,
    output: OutputOption = None,
    config: ConfigOption = None,
    no_config: NoConfigOption = False,
) -> None:
    """Draft the letter the next step needs: an appeal, a dispute, a request, a claim status."""
    from ..errors import InputError
    from ..files.ledger import load_ledger
    from ..report.deliver import emit
    from ..report.letters import letter, render
    from .settings import date_flag

    day = date_flag("--as-of", as_of, example="2027-03-01")
    chosen = None if format is None else format.value
    if chosen is None and output is not None and str(output) != "-":
        chosen = EXTENSIONS.get(output.suffix.lower())
        if chosen is None:
            raise InputError.single(
                str(output),
                f"cannot tell the format from the extension {output.suffix or '(none)'!r}",
                "add --format md|txt|html, or name the file .md, .txt or .html",
            )
    from ..files.person import ledger_file, read_person

    person = read_person(config, no_config)
    path, who = ledger_file(ledger, person)
    status = load_ledger(path).status(day)
    draft = letter(kind.value, status, visit, None if person is None else person.person)
    if person is not None:
        from .situation import say_taken

        taken = [f"ledger {person.person.ledger}"] if who == "person file" else []
        taken += [f"state {person.person.state}"] if person.person.state else []
        taken += ["date of birth"] if person.person.born else []
        say_taken(person, taken)
    emit(render(draft, chosen or "txt"), output)
    if status.reference_clinic:
        typer.echo(
            f"Note: the ledger's clinic is the bundled reference profile"
            f" {status.ledger.clinic!r}, priced from another clinic's public page: the letter"
            " leaves your clinic's name, address, amounts billed and codes for you to fill"
            " in. A clinic file of your own (ketacost init) fills them.",
            err=True,
        )
    if kind is LetterKind.superbill_request:
        _dispute_first(status)


def _dispute_first(status: LedgerStatus) -> None:
    """Say, on standard error, that filing a claim ends an open Good Faith Estimate dispute:
    a patient with a plan counts as self-pay only while no claim is sought (45 CFR 149.610)."""
    from ..engine.deadlines import dispute_deadline

    good_faith = status.good_faith
    if good_faith is None or not good_faith.while_unclaimed:  # no plan to file with
        return
    dispute = dispute_deadline(good_faith)
    if dispute is None or dispute.due is None or dispute.due < status.as_of:
        return
    typer.echo(
        "Note: you may dispute these charges over the Good Faith Estimate until"
        f" {dispute.due} (letter gfe-dispute), but only while no claim goes to your plan:"
        " filing the claims these superbills are for ends that right. Decide which first.",
        err=True,
    )
