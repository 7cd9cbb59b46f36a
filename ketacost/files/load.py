"""Read clinic and plan profiles into validated models, or say exactly what is wrong.

Every problem is reported with its file, line and column: pydantic's error
locations are mapped back onto the YAML node tree kept by ``document.parse``.
"""

from __future__ import annotations

import importlib
import os
import stat
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from pydantic import BaseModel, ValidationError

from ..errors import InputError, Problem
from . import bundled
from .atomic import note_input
from .yaml_source import MAX_BYTES, Document, Span, decode, parse

if TYPE_CHECKING:
    from ..model.clinic import Clinic
    from ..model.personal import PersonalCosts
    from ..model.plan import MedicareStatus, Plan

ModelT = TypeVar("ModelT", bound=BaseModel)
# kind → (module under ketacost.model, class): imported when a profile of that kind is read.
MODELS: dict[str, tuple[str, str]] = {
    "clinic": ("clinic", "Clinic"),
    "plan": ("plan", "Plan"),
    "personal": ("personal", "PersonalCosts"),
    "ledger": ("ledger", "Ledger"),
    "person": ("person", "Person"),
}


def model_of(kind: str) -> type[BaseModel]:
    """Return the model class for a profile ``kind``, importing it on first use."""
    module, name = MODELS[kind]
    model: type[BaseModel] = getattr(importlib.import_module(f"ketacost.model.{module}"), name)
    return model


_PERSONAL_KEYS = {"ride", "hourly_wage", "hours_off", "childcare", "travel_minutes"}
_PLAN_KEYS = {
    "out_of_network",
    "in_network",
    "coverage",
    "accumulators",
    "scenarios",
    "plan_year_starts",
    "already_met",
    "claims",
    "covered",
}


STDIN = "-"


def read_document(path: str | Path, kind: str | None = None) -> Document:
    """Return the parsed YAML document at ``path`` (``-``: standard input).

    Raise ``InputError`` when it cannot be read. ``kind`` (clinic, plan, ledger, person)
    is what the file should hold, for the hint when it is empty.
    """
    shown = str(path)
    if shown == STDIN:
        return parse("(stdin)", decode("(stdin)", _stdin_bytes()), kind)
    raw = read_input(Path(path), MAX_BYTES)
    return parse(shown, decode(shown, raw), kind)


def read_input(file: Path, limit: int, *, what: str = "profile", suffix: str = ".yaml") -> bytes:
    """Return the bytes of the input file ``file``: at most ``limit`` + 1, enough for the
    caller to know it is too big, never the whole of a device. Raise ``InputError`` for a
    file that is missing, unreadable, a folder, a named pipe or a device."""
    shown = str(file)
    try:
        found = file.stat()  # before opening: opening a FIFO for reading blocks until a writer
    except FileNotFoundError:
        raise InputError.single(shown, "no such file", missing_file_hint(file)) from None
    except OSError as error:
        raise _unreadable(shown, error) from None
    if stat.S_ISDIR(found.st_mode):
        raise InputError.single(
            shown, f"is a folder, not a {what} file", f"name a {suffix} file inside it"
        )
    if not stat.S_ISREG(found.st_mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(found.st_mode) else "a device or socket"
        raise InputError.single(
            shown,
            f"is {kind}, not a regular file; only {what} files are read",
            f"save the {what} to a file and give its path",
        )
    note_input(found)
    try:
        with file.open("rb") as stream:
            return stream.read(limit + 1)
    except FileNotFoundError:
        raise InputError.single(shown, "no such file", missing_file_hint(file)) from None
    except OSError as error:
        raise _unreadable(shown, error) from None


_stdin_read: tuple[object, bytes] | None = None


def _stdin_bytes() -> bytes:
    """Return standard input's bytes, read once per stream: a plan given as ``--plan -``
    is read again for each clinic it prices, and must not find the stream empty then."""
    import sys

    global _stdin_read
    if sys.stdin is None or sys.stdin.closed:
        raise InputError.single(
            "(stdin)",
            "standard input is closed, so - has nothing to read",
            "give the file on standard input (- < FILE.yaml), or name the file instead",
        )
    if _stdin_read is None or _stdin_read[0] is not sys.stdin:
        _stdin_read = (sys.stdin, sys.stdin.buffer.read(MAX_BYTES + 1))
    return _stdin_read[1]


def _unreadable(shown: str, error: OSError) -> InputError:
    """Return the error for a file that exists (or seems to) but cannot be read."""
    import errno

    hint = None
    if error.errno == errno.ELOOP:
        hint = "a symbolic link on the way leads back to itself; name the file itself"
    elif error.errno in (errno.EACCES, errno.EPERM):
        hint = "check the file's permissions"
    return InputError.single(shown, f"cannot read the file: {error.strerror or error}", hint)


def folder_profiles(folder: Path, hint: str) -> list[Path]:
    """Return the profiles in ``folder`` (every ``*.yaml`` and ``*.yml``, sorted).

    Raises ``InputError`` (with ``hint``) when it holds none, or cannot be listed.
    """
    if not os.access(folder, os.R_OK | os.X_OK):  # glob would find nothing, and say so
        raise InputError.single(
            str(folder),
            "cannot list the folder: permission denied",
            "check its permissions (ls -ld); you need to read and enter it",
        )
    found = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if not found:
        raise InputError.single(str(folder), "folder has no .yaml files", hint)
    return found


def close_file(file: Path) -> str | None:
    """Return the name of a file beside ``file`` (which does not exist) spelt like it."""
    from difflib import get_close_matches  # only on the way to an error

    folder = file.parent if str(file.parent) else Path(".")
    try:
        present = [p.name for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    except OSError:
        present = []
    close = get_close_matches(file.name, present, n=1, cutoff=0.7)
    return close[0] if close else None


def missing_file_hint(file: Path, *, clinic: bool = False) -> str:
    """Return a hint for a file that does not exist: a close name in its folder, if any.

    Only a clinic can be a bundled profile: only its hint points to ``catalog``.
    """
    close = close_file(file)
    if close is not None:
        suggestion = close if str(file.parent) in ("", ".") else str(file.parent / close)
        return f"did you mean {suggestion!r}?"
    if clinic:
        return "check the path; `ketacost catalog` lists bundled profiles"
    if file.is_absolute():
        return "check the path"
    return "check the path (a relative path starts from the folder you run ketacost in)"


def resolve_clinic(name_or_path: str | Path | None) -> Path:
    """Return the file for a clinic argument: a path, ``-`` (stdin), a bundled name, or none."""
    if name_or_path is None:
        return bundled.pricing_dir() / f"{bundled.DEFAULT_PROFILE}.yaml"
    if isinstance(name_or_path, str) and not name_or_path.strip():
        raise InputError.single(
            "(empty argument)",
            "an empty argument names no clinic",
            'a variable meant to hold the path may be unset ("$FILE"); name the file',
        )
    if str(name_or_path) == STDIN:
        return Path(STDIN)
    path = Path(name_or_path)
    if path.exists():
        return path
    found = bundled.bundled_path(str(name_or_path))
    if found is not None:
        return found
    names = bundled.profile_names()
    from difflib import get_close_matches  # only on the way to an error

    close = get_close_matches(str(name_or_path), names, n=1)
    if not close and (path.suffix in (".yaml", ".yml") or len(path.parts) > 1):
        hint = missing_file_hint(path, clinic=True)
    else:
        hint = f"did you mean {close[0]!r}?" if close else "bundled profiles: " + ", ".join(names)
    raise InputError.single(str(name_or_path), "no such file or bundled profile", hint)


def kind_of(document: Document) -> str:
    """Return ``"clinic"`` or ``"plan"``: from ``kind:``, else from the keys present."""
    data = document.data
    if not isinstance(data, dict):
        raise InputError(
            [
                document.problem(
                    (),
                    "the top level must be a mapping of keys",
                    "start the file with `name: ...` on the first line",
                )
            ]
        )
    kind = data.get("kind")
    if isinstance(kind, str) and kind in MODELS:
        return str(kind)
    if kind is not None:
        raise InputError(
            [
                document.problem(
                    ("kind",),
                    f"unknown kind {kind!r}",
                    "kind is clinic, plan, personal, ledger or person",
                )
            ]
        )
    if "series" in data:
        return "clinic"
    if "entries" in data:
        return "ledger"
    if _PLAN_KEYS & data.keys():
        return "plan"
    if _PERSONAL_KEYS & data.keys():
        return "personal"
    raise InputError(
        [
            document.problem(
                (),
                "cannot tell what kind of file this is",
                "add `kind: clinic` (with a series), `kind: plan` (with in_network or"
                " out_of_network), `kind: ledger`, `kind: person` or `kind: personal`",
            )
        ]
    )


def validate(document: Document, model: type[ModelT]) -> ModelT:
    """Return ``document.data`` validated as ``model``; raise ``InputError`` with positions."""
    if not isinstance(document.data, dict):
        raise InputError(
            [
                document.problem(
                    (),
                    "the top level must be a mapping of keys",
                    "start the file with `name: ...` on the first line",
                )
            ]
        )
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        from .diagnose import problems_from  # only when something is wrong

        raise InputError(problems_from(error, document, model)) from None


def load_document(document: Document, expected: str | None = None) -> BaseModel:
    """Return the clinic or plan a parsed document holds."""
    kind = kind_of(document)
    if expected is not None and kind != expected:
        raise InputError(
            [
                document.problem(
                    ("kind",) if "kind" in document.data else (),
                    f"this is a {kind} profile, but a {expected} is needed here",
                    f"pass a {expected} file here"
                    + ("; a plan goes with --plan" if kind == "plan" else ""),
                    at_key=False,
                )
            ]
        )
    return validate(document, model_of(kind))


def load_clinic(path: str | Path | None = None, overrides: Sequence[str] = ()) -> Clinic:
    """Return the clinic profile at ``path`` (a file or bundled name; None: the default)."""
    return read_clinic(path, overrides)[0]


def read_clinic(
    path: str | Path | None = None, overrides: Sequence[str] = ()
) -> tuple[Clinic, Document]:
    """Return the clinic profile at ``path`` and its document, for positioned errors."""
    document = read_document(resolve_clinic(path), "clinic")
    apply_overrides(document, overrides)
    return cast("Clinic", load_document(document, "clinic")), document


def load_plan(path: str | Path | None = None, what_if: Sequence[tuple[str, str, str]] = ()) -> Plan:
    """Return the insurance plan at ``path``, with what-if values set over it.

    ``what_if`` holds ``(dotted key, value text, origin)`` triples, e.g.
    ``("out_of_network.deductible", "2000", "--deductible 2000")``; with no
    ``path`` they make an ad-hoc plan of their own.
    """
    return read_plan(path, what_if)[0]


def read_plan(
    path: str | Path | None = None, what_if: Sequence[tuple[str, str, str]] = ()
) -> tuple[Plan, Document]:
    """Return the plan (as ``load_plan``) and its document, for positioned errors."""
    plan, document = _read_with_flags("plan", path, what_if, "What-if plan")
    return cast("Plan", plan), document


def load_personal(
    path: str | Path | None = None, what_if: Sequence[tuple[str, str, str]] = ()
) -> PersonalCosts:
    """Return personal costs from a ``kind: personal`` file and/or flag values over it."""
    return cast("PersonalCosts", _read_with_flags("personal", path, what_if, None)[0])


def _read_with_flags(
    kind: str,
    path: str | Path | None,
    what_if: Sequence[tuple[str, str, str]],
    name: str | None,
) -> tuple[BaseModel, Document]:
    if path is None:
        data: dict[str, Any] = {"kind": kind}
        if name is not None:
            data["name"] = name
        document = Document(path=f"(command-line {kind})", lines=[], data=data)
    else:
        document = read_document(path, kind)
    for dotted, text, origin in what_if:
        set_value(document, dotted, text, origin, create=True)
    return load_document(document, kind), document


def currency_problems(profiles: Sequence[tuple[str, Document]]) -> list[Problem]:
    """Return one problem per profile when profiles used together price in several currencies.

    ``profiles`` holds each profile's currency and its document; for ``check``
    and ``compare`` (a clinic and its plan: ``check_currencies``).
    """
    from ..model.currency import mixed_currencies

    mixed = mixed_currencies(currency for currency, _ in profiles)
    if mixed is None:
        return []
    return [
        document.problem(("currency",), f"{mixed.message}; this one is {currency}", mixed.hint)
        for currency, document in sorted(profiles, key=lambda entry: entry[0])
    ]


def check_currencies(
    clinic: Clinic, clinic_document: Document, plan: Plan, plan_document: Document
) -> None:
    """Raise when a clinic and the plan it is estimated with price in different currencies."""
    from ..model.currency import plan_currency_problem

    problem = plan_currency_problem(clinic, plan)
    if problem is None:
        return
    document = plan_document if "currency" in plan_document.data else clinic_document
    raise InputError([document.problem(("currency",), problem.message, problem.hint)])


def check_network(
    clinic: Clinic,
    clinic_document: Document,
    plan: Plan,
    plan_document: Document,
    chosen_by: str | None = None,
    stated: Collection[str] | None = (),
) -> None:
    """Raise, naming both files, when the plan has no terms for the clinic's network, and
    naming the plan's terms block when it leaves a term to the most generous default.

    ``chosen_by`` is the flag that set the network (``--network in``), when one did:
    the problems then say so, rather than that the clinic file bills that way.
    ``stated`` names the terms given outside the file (a sweep's varied keys); None, for
    a plan of flags alone, whose own rule has asked for them (cli/settings.py).
    """
    network = clinic.billing.network
    if not clinic.billing.files_claims:
        return
    instead = (
        "estimate the clinic in the other network (its billing.network, or --network)"
        if chosen_by is None
        else f"leave out {chosen_by}"
    )
    conflict = plan.medicare_conflict(network, clinic.billing.medicare)
    if conflict is not None:  # an enrolled clinic bills Original Medicare: in network
        raise InputError(
            [
                clinic_document.problem(("billing", "medicare"), conflict.message, conflict.hint),
                plan_document.problem(
                    ("coverage",) if "coverage" in plan_document.data else (),
                    f"the plan is Original Medicare (coverage: medicare); {clinic_document.path}"
                    " is out of network and enrolled",
                    conflict.hint,
                ),
            ]
        )
    problem = plan.missing_terms(network, instead, clinic.billing.medicare)
    if problem is None:
        unstated = None
        if stated is not None:
            unstated = unstated_problem(
                plan, plan_document, network, clinic.billing.medicare, stated
            )
        if unstated is not None:
            raise InputError([unstated])
        return
    block = "in_network" if network == "in-network" else "out_of_network"
    other = "out_of_network" if block == "in_network" else "in_network"
    billed = f"{clinic_document.path} bills {network}" if chosen_by is None else chosen_by
    raise InputError(
        [
            plan_document.problem(
                (other,) if other in plan_document.data else (),
                f"{problem.message} ({billed})",
                problem.hint,
                at_key=True,
            ),
            clinic_document.problem(
                ("billing", "network"),
                (
                    f"this clinic bills {network}"
                    if chosen_by is None
                    else f"{chosen_by} estimates this clinic {network}, not as it bills"
                )
                + f"; the plan {plan_document.path} has no {block} terms",
                problem.hint,
            ),
        ]
    )


# What each term would default to, were it left out: the terms most generous to you.
_GENEROUS = {
    "allowed": "100% allowed",
    "coinsurance": "0% coinsurance",
    "copay": "a $0 copay",
    "deductible": "a $0 deductible",
}


def unstated_problem(
    plan: Plan,
    plan_document: Document,
    network: str,
    medicare: MedicareStatus = "opted-out",
    stated: Collection[str] = (),
    *,
    flags: bool = True,
) -> Problem | None:
    """Return the problem, at the plan's block, when its ``network`` terms leave out what
    must be stated (docs/assumptions.md, "Defaults never flatter"); else None. ``flags``:
    whether the command takes the what-if flags that could state them instead."""
    missing = plan.unstated_terms(network, medicare, stated)
    if not missing:
        return None
    block = "in_network" if network == "in-network" else "out_of_network"
    named = " and ".join(missing)
    they, them = ("they", "them") if len(missing) > 1 else ("it", "it")
    example = {
        "allowed": "allowed: 70%",
        "coinsurance": "coinsurance: 40%",
        "copay": "copay: 50",
        "deductible": "deductible: 283",
    }
    where = (
        "Part B's deductible is published each year on medicare.gov: $283 in 2026"
        if "deductible" in missing
        else "your plan's summary of benefits has the real figures"
    )
    return plan_document.problem(
        (block,),
        f"the plan's {block} terms leave out {named}: left out, {they} would default"
        f" to the terms most generous to you"
        f" ({', '.join(_GENEROUS[name] for name in missing)})",
        f"add {them} to {block}, e.g. {', '.join(example[n] for n in missing)} ({where})"
        + (f", or give {' and '.join('--' + name for name in missing)}" if flags else ""),
        at_key=True,
    )


def apply_overrides(document: Document, overrides: Iterable[str]) -> None:
    """Set ``KEY=VALUE`` dotted paths in the document's data, before validation."""
    for override in overrides:
        key, sep, text = override.partition("=")
        if not sep or not key.strip():
            raise InputError.single(
                f"--set {override}", "expected KEY=VALUE", "e.g. --set series.later_price=550"
            )
        if key.strip() == "kind":  # what the file is, not a price to try
            raise InputError.single(
                f"--set {override}",
                "kind says what the file is and cannot be set",
                "--set changes a clinic's figures, e.g. --set series.later_price=550",
            )
        set_value(document, key.strip(), text, f"--set {override}")


def set_value(
    document: Document, dotted: str, text: str, origin: str, *, create: bool = False
) -> None:
    """Set one dotted path to a YAML scalar; ``create`` adds missing sections on the way."""
    parts: list[str | int] = [
        int(p) if p.isascii() and p.isdigit() else p for p in dotted.split(".")
    ]
    if not isinstance(document.data, dict):
        raise _missing_path(origin, parts[:1])
    node: Any = document.data
    for depth, part in enumerate(parts[:-1]):
        if create and isinstance(node, dict) and node.get(part) is None:
            node[part] = {}
        node = _child(node, part, parts[: depth + 1], origin)
    last = parts[-1]
    if isinstance(node, list):
        if not isinstance(last, int) or last >= len(node):
            raise _missing_path(origin, parts)
    elif not isinstance(node, dict):
        raise _missing_path(origin, parts)
    node[last] = parse(origin, text).data if text.strip() else None
    column = origin.rfind(text) + 1 if text else len(origin)
    span = Span(line=1, column=max(column, 1), width=max(len(text), 1))
    document.overrides[tuple(parts)] = (origin, span)


def _child(node: Any, part: str | int, so_far: list[str | int], origin: str) -> Any:
    if isinstance(node, dict) and part in node:
        return node[part]
    if isinstance(node, list) and isinstance(part, int) and part < len(node):
        return node[part]
    raise _missing_path(origin, so_far)


def _missing_path(origin: str, parts: Sequence[str | int]) -> InputError:
    dotted = ".".join(str(p) for p in parts)
    return InputError.single(
        origin,
        f"the profile has no {dotted!r} to set",
        "set a key under a section the profile has, e.g. series.later_price",
    )
