"""Read a treatment ledger with the clinic and plan it names, or say exactly what is wrong."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from . import bundled as bundled_profiles
from .document import MAX_BYTES, Document
from .engine.claims import plan_terms
from .engine.ledger import findings, spelled_as_estimated
from .engine.schedule import schedule
from .engine.status import LedgerStatus, ledger_status
from .errors import InputError, Problem
from .load import (
    check_currencies,
    check_network,
    load_document,
    read_clinic,
    read_document,
    read_plan,
)
from .model.clinic import Clinic
from .model.ledger import Ledger
from .model.plan import Plan


@dataclass(frozen=True)
class LoadedLedger:
    """A ledger with the clinic and plan it refers to, and the warnings it deserves."""

    path: Path
    ledger: Ledger
    document: Document
    clinic: Clinic
    clinic_file: Path
    plan: Plan | None
    plan_file: Path | None
    warnings: tuple[Problem, ...]

    def status(self, as_of: dt.date | None = None, scenario: str | None = None) -> LedgerStatus:
        """Return where the treatment stands on ``as_of`` (default: today), against
        ``scenario`` (default: the ledger's own)."""
        return ledger_status(
            self.ledger,
            self.clinic,
            self.plan,
            as_of or dt.date.today(),
            clinic_file=self.ledger.clinic,
            expected=scenario,
        )


def load_ledger(path: str | Path) -> LoadedLedger:
    """Return the ledger at ``path`` with its clinic and plan; raise ``InputError`` when bad."""
    return read_ledger(path, ledger_document(path))


def ledger_document(path: str | Path) -> Document:
    """Return the parsed ledger file, refusing one over the size limit with its own words."""
    check_size(Path(path))
    return read_document(path)


def check_size(path: Path, size: int | None = None) -> None:
    """Raise when a ledger is over 1 MiB: too big to read, and never written that big."""
    if size is None:
        try:
            size = os.stat(path).st_size
        except OSError:
            return  # reading it says what is wrong
    if size > MAX_BYTES:
        raise InputError.single(
            str(path),
            f"the ledger is {size:,} bytes, over the 1 MiB ({MAX_BYTES:,} bytes) limit",
            "keep one ledger per treatment or plan year: start a new one with"
            " `ketacost init --ledger` and keep this one as a record",
        )


def read_ledger(path: str | Path, document: Document) -> LoadedLedger:
    """Return the ledger in ``document`` with its clinic and plan, and its warnings."""
    ledger = load_document(document, "ledger")
    assert isinstance(ledger, Ledger)
    folder = Path(path).parent
    clinic_file = _referenced(document, folder, "clinic", ledger.clinic, bundled=True)
    clinic, clinic_document = read_clinic(clinic_file)
    plan = plan_file = None
    if ledger.plan is not None:
        plan_file = _referenced(document, folder, "plan", ledger.plan, bundled=False)
        plan, plan_document = read_plan(plan_file)
        check_currencies(clinic, clinic_document, plan, plan_document)
        check_network(clinic, clinic_document, plan, plan_document)
        names = [terms.name for terms in plan_terms(clinic, plan) if terms is not None]
        wanted = None if ledger.scenario is None else " ".join(ledger.scenario.split()).casefold()
        if wanted is not None and wanted not in [" ".join(n.split()).casefold() for n in names]:
            raise InputError(
                [
                    document.problem(
                        ("scenario",),
                        f"the plan has no scenario {ledger.scenario!r}",
                        "use one of " + ", ".join(repr(n) for n in names),
                    )
                ]
            )
    elif ledger.scenario is not None:
        raise InputError(
            [
                document.problem(
                    ("scenario",),
                    "a scenario is named but the ledger names no plan",
                    "add `plan: FILE`, or remove `scenario:`",
                )
            ]
        )
    events = schedule(clinic, ledger.start, ledger.months)
    ledger = spelled_as_estimated(ledger, events)  # "session 5" is the estimate's "Session 5"
    in_network = clinic.billing.network == "in-network"
    warnings = tuple(
        _warning(document, finding.entry, finding.key, finding.message, finding.hint)
        for finding in findings(ledger, events, in_network=in_network)
    )
    return LoadedLedger(
        Path(path), ledger, document, clinic, clinic_file, plan, plan_file, warnings
    )


def _referenced(document: Document, folder: Path, key: str, name: str, *, bundled: bool) -> Path:
    """Return the file a ledger's ``clinic:`` or ``plan:`` names, relative to the ledger."""
    candidate = folder / name
    if candidate.is_file():
        return candidate
    found = bundled_profiles.bundled_path(name) if bundled else None
    if found is not None:
        return found
    where = "a path relative to the ledger" + (" or a bundled profile name" if bundled else "")
    raise InputError(
        [
            document.problem(
                (key,),
                f"the {key} file {str(candidate)!r} does not exist",
                f"{key}: takes {where}; check the spelling, or move the file beside the ledger",
            )
        ]
    )


def _warning(document: Document, entry: int, key: str, message: str, hint: str) -> Problem:
    problem = document.problem(("entries", entry, key), message, hint)
    return Problem(**{**problem.__dict__, "severity": "warning"})
