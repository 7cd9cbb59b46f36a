"""Read a treatment ledger with the clinic and plan it names, or say exactly what is wrong."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from ..engine.claims import plan_terms
from ..engine.ledger import findings, spelled_as_estimated
from ..engine.schedule import schedule
from ..engine.status import LedgerStatus, clinic_files, ledger_status
from ..errors import InputError, Problem
from ..model.clinic import Clinic
from ..model.ledger import Ledger
from ..model.plan import Plan
from . import bundled as bundled_profiles
from .load import (
    check_currencies,
    check_network,
    close_file,
    load_document,
    read_clinic,
    read_document,
    read_plan,
    unstated_problem,
)
from .yaml_source import MAX_BYTES, Document


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
            reference_clinic=self.clinic_file.resolve().parent
            == bundled_profiles.pricing_dir().resolve(),
        )


def load_ledger(path: str | Path) -> LoadedLedger:
    """Return the ledger at ``path`` with its clinic and plan; raise ``InputError`` when bad."""
    return read_ledger(path, ledger_document(path))


def ledger_document(path: str | Path) -> Document:
    """Return the parsed ledger file, refusing one over the size limit with its own words."""
    check_size(Path(path), ledger=True)
    return read_document(path, "ledger")


_LEDGER_MARK = re.compile(rb"^(kind:[ \t]*ledger\b|entries:)", re.MULTILINE)
_SNIFFED = 64 * 1024  # bytes read to tell a ledger from a profile when a file is too big


def check_size(path: Path, size: int | None = None, *, ledger: bool | None = None) -> None:
    """Raise when a file is over 1 MiB: too big to read, and a ledger is never written that big.

    ``ledger`` says whether the file is a ledger; None (``check``, which reads any
    kind) looks for ``kind: ledger`` or ``entries:`` at the start of a line in its
    first 64 KiB, so that only a ledger is called one.
    """
    if size is None:
        try:
            size = os.stat(path).st_size
        except OSError:
            return  # reading it says what is wrong
    if size <= MAX_BYTES:
        return
    if ledger is None:
        ledger = _looks_like_ledger(path)
    limit = f"over the 1 MiB ({MAX_BYTES:,} bytes) limit"
    if not ledger:
        raise InputError.single(
            str(path),
            f"the file is {size:,} bytes, {limit}",
            "a clinic or plan profile is a few dozen lines; is this the right file?",
        )
    raise InputError.single(
        str(path),
        f"the ledger is {size:,} bytes, {limit}",
        "keep one ledger per treatment or plan year: start a new one with"
        " `ketacost init --ledger` and keep this one as a record",
    )


def _looks_like_ledger(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            start = stream.read(_SNIFFED)
    except OSError:
        return False
    return _LEDGER_MARK.search(start) is not None


def read_ledger(path: str | Path, document: Document) -> LoadedLedger:
    """Return the ledger in ``document`` with its clinic and plan, and its warnings."""
    ledger = load_document(document, "ledger")
    assert isinstance(ledger, Ledger)
    folder = Path(path).parent
    clinic_file = _referenced(document, folder, "clinic", ledger.clinic, bundled=True)
    try:
        clinic, clinic_document = read_clinic(clinic_file)
    except InputError:
        _a_profile(document, "clinic", clinic_file)
        raise
    plan = plan_file = unstated = None
    if ledger.plan is not None:
        plan_file = _referenced(document, folder, "plan", ledger.plan, bundled=False)
        try:
            plan, plan_document = read_plan(plan_file)
        except InputError:
            _a_profile(document, "plan", plan_file)
            raise
        check_currencies(clinic, clinic_document, plan, plan_document)
        # the ledger records what happened whatever the plan leaves out: a warning, not a
        # refusal, with the re-estimate's assumptions saying what was taken
        check_network(clinic, clinic_document, plan, plan_document, stated=None)
        unstated = unstated_problem(
            plan, plan_document, clinic.billing.network, clinic.billing.medicare, flags=False
        )
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
    in_network = clinic_files(clinic, plan_terms(clinic, plan)[0])
    warnings = tuple(
        _warning(document, finding.entry, finding.key, finding.message, finding.hint, finding.item)
        for finding in findings(ledger, events, in_network=in_network)
    )
    if unstated is not None:
        warnings = (replace(unstated, severity="warning"), *warnings)
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
    try:
        mode = candidate.stat().st_mode
    except OSError:
        mode = None
    if mode is not None:  # it exists: a folder, a device, a pipe ...
        what = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise InputError(
            [
                document.problem(
                    (key,),
                    f"the {key} file {str(candidate)!r} is {what}",
                    f"{key}: takes {where}; name the profile's .yaml file",
                )
            ]
        )
    close = _close_name(candidate, name, bundled=bundled)
    raise InputError(
        [
            document.problem(
                (key,),
                f"the {key} file {str(candidate)!r} does not exist",
                f"{key}: takes {where}; "
                + (
                    f"did you mean {close!r}?"
                    if close
                    else "check the spelling, or move the file beside the ledger"
                ),
            )
        ]
    )


def _close_name(candidate: Path, name: str, *, bundled: bool) -> str | None:
    """Return the name closest to a ``clinic:`` or ``plan:`` that names nothing: a file
    beside the one it names (written as it would be), else a bundled profile's name."""
    close = close_file(candidate)
    if close is not None:
        return str(Path(name).parent / close) if Path(name).parent != Path(".") else close
    if bundled:
        from difflib import get_close_matches  # only on the way to an error

        named = get_close_matches(name, bundled_profiles.profile_names(), n=1)
        return named[0] if named else None
    return None


def _a_profile(document: Document, key: str, file: Path) -> None:
    """Raise, at the ledger's ``key``, when the file it names is not a YAML profile.

    Called when reading the file failed; when it is YAML keys, its own error stands.

    A file reached through the ledger, not named by the person, is quoted in an
    error only when it reads as YAML keys: a ledger naming ``/etc/passwd`` must not
    print that file's lines (docs/errors.md).
    """
    try:
        data = read_document(file).data
    except InputError as error:
        if any(p.source_line is None for p in error.problems):
            raise  # about the file as a whole (too big, binary, unreadable): nothing quoted
        data = None
    if isinstance(data, dict):
        return
    raise InputError(
        [
            document.problem(
                (key,),
                f"the {key} file {str(file)!r} is not a {key} profile (not YAML keys and values)",
                f"{key}: names a {key} profile written in YAML; check that it is the right file",
            )
        ]
    )


def _warning(
    document: Document, entry: int, key: str, message: str, hint: str, item: int | None = None
) -> Problem:
    """A finding as a warning at its entry's key: at the label in a list, when it names one
    (a one-label list written as a plain value points at the value)."""
    where: tuple[str | int, ...] = ("entries", entry, key)
    problem = document.problem(where if item is None else (*where, item), message, hint)
    return Problem(**{**problem.__dict__, "severity": "warning"})
