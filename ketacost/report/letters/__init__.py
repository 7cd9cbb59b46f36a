"""Draft letters for the next step, filled from the ledger, clinic and plan (docs/letters.md).

What the files hold (dates, amounts, codes, the denial reason, the deadline) is
written in; what they do not (names, the member ID, the prescriber's letter)
is a visible ``[placeholder]``, never a guess. Every letter says it is a draft
to edit and not legal advice. One letter is drawn as Markdown, plain text or HTML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...engine.status import LedgerStatus
from .appeal import appeal_letter
from .claim_status import claim_status_letter
from .clinic import gfe_dispute_letter, superbill_request_letter
from .draft import NOTICE, Letter, render, to_html, to_markdown, to_text

if TYPE_CHECKING:
    from ...model.person import Person

__all__ = ["KINDS", "NOTICE", "Letter", "letter", "render", "to_html", "to_markdown", "to_text"]

KINDS = ("appeal", "gfe-dispute", "superbill-request", "claim-status")


def letter(
    kind: str, status: LedgerStatus, visit: str | None, person: Person | None = None
) -> Letter:
    """Return the draft of ``kind`` for the ledger's status; an input error when it has no use.

    ``person`` (the person file) fills what it holds: the state in the sender's
    address and the date of birth beside the member line (docs/person-file.md).
    """
    if kind == "appeal":
        drafted = appeal_letter(status, visit)
    elif kind == "gfe-dispute":
        drafted = gfe_dispute_letter(status)
    elif kind == "superbill-request":
        drafted = superbill_request_letter(status, visit)
    else:
        drafted = claim_status_letter(status, visit)
    if person is not None:
        _fill_from_person(drafted, person)
    return drafted


def _fill_from_person(drafted: Letter, person: Person) -> None:
    """Put the person file's state and date of birth where the letter has their placeholders."""
    if person.state is not None:
        drafted.sender = [
            f"[city], {person.state} [ZIP]" if line == "[city, state ZIP]" else line
            for line in drafted.sender
        ]
    if person.born is not None:
        born = person.born.isoformat()
        drafted.subject = [
            line.replace("[date of birth]", born)
            if "[date of birth]" in line
            else f"{line}; date of birth: {born}"
            if line.startswith(("Member: ", "Patient: "))
            else line
            for line in drafted.subject
        ]
