"""``ketacost check`` and ``ketacost schema``: validate profiles; describe their format."""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputError, Invalid, Problem
from ..files.yaml_source import Document
from .options import EXIT_FINDING, ConfigOption, NoConfigOption, guarded, report_error

if TYPE_CHECKING:
    from ..model.plan import Plan


class SchemaKind(str, Enum):
    clinic = "clinic"
    plan = "plan"
    ledger = "ledger"
    person = "person"


def _profiles_under(folder: Path) -> list[Path]:
    """Return every ``*.yaml`` and ``*.yml`` in ``folder`` and its subfolders, sorted.

    Hidden folders (``.git``, ``.venv``) are not profiles' homes and are skipped.
    """
    found = [
        path
        for pattern in ("*.yaml", "*.yml")
        for path in folder.rglob(pattern)
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts[:-1])
    ]
    return sorted(found)


def _files(arguments: list[Path]) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []
    for path in arguments:
        if str(path) == "-":  # standard input
            files.append(path)
        elif path.is_dir():
            found = _profiles_under(path)
            if found:
                files.extend(found)
            else:
                problems.append(
                    Problem(
                        str(path),
                        "folder has no .yaml files, nor have its subfolders",
                        hint="name the profile files to check",
                    )
                )
        elif not path.exists() and not path.is_symlink():  # a looping link: read below
            from ..files.load import missing_file_hint

            problems.append(
                Problem(str(path), "no such file or folder", hint=missing_file_hint(path))
            )
        else:
            files.append(path)
    return files, problems


def _named(arguments: list[str], config: Path | None, no_config: bool) -> list[Path]:
    """Return the files to check: those named, and the person file ``--config`` names.

    With no file named, the person file other commands would read is checked
    (docs/person-file.md); with ``--no-config`` as well, there is nothing to check.
    An empty argument is refused: read as a path, it would be the current folder.
    """
    from ..files.person import find_person_file

    if any(not argument.strip() for argument in arguments):
        raise InputError.single(
            "(empty argument)",
            "an empty argument names no file to check",
            'a variable meant to hold the path may be unset ("$FILE"); name the file',
        )
    files = [Path(argument) for argument in arguments]

    if config is not None and not no_config:
        return [*files, config]
    if files:
        return files
    found = find_person_file(None, no_config)
    if found is None:
        raise InputError.single(
            "check",
            "no file to check: none named, and no person file found",
            "name the files to check, e.g. ketacost check clinic.yaml plans/",
        )
    return [found]


@guarded
def check_command(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="FILE",
            show_default=False,
            help="Profiles, ledgers and person files, or folders of them, to validate (- for"
            " standard input). Default: your person file.",
        ),
    ] = None,
    stale_after: Annotated[
        int | None,
        typer.Option(
            "--stale-after",
            metavar="DAYS",
            min=0,
            show_default=False,
            help="Also report clinic prices checked more than DAYS ago (exit 1).",
        ),
    ] = None,
    stale: Annotated[int | None, typer.Option("--stale", min=0, hidden=True)] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing when every file is clean.")
    ] = False,
    config: ConfigOption = None,
    no_config: NoConfigOption = False,
) -> None:
    """Validate profiles: every problem in every file at once; one "ok" line when clean."""
    from ..engine.limits import too_much_work
    from ..files.ledger import check_size, read_ledger
    from ..files.load import currency_problems, load_document, read_document
    from ..model.clinic import Clinic
    from ..model.common import dates_text, price_age_days, prices_stale
    from ..model.ledger import Ledger
    from ..model.plan import Plan

    stale = stale_after if stale_after is not None else stale  # --stale: the older spelling

    paths, problems = _files(_named(files or [], config, no_config))
    currencies: list[tuple[str, Document]] = []
    stale_found: list[Problem] = []
    warnings: list[Problem] = []
    today = dt.date.today()
    for path in paths:
        try:
            check_size(path)
            document = read_document(path)
            profile = load_document(document)
            if isinstance(profile, Ledger):
                warnings.extend(read_ledger(path, document).warnings)
                continue
        except InputError as error:
            problems.extend(error.problems)
            continue
        if isinstance(profile, Clinic):  # as `estimate FILE` would run it: today, 12 months
            refused = too_much_work(profile, today, 12)
            if refused is not None:
                problems.append(document.problem(refused.where, refused.message, refused.hint))
            unused = profile.series.later_price_unused
            if unused is not None:
                from ..engine.warnings import CHECK_FIRST_SESSIONS

                where = ("series", "first_sessions")
                unused_at = document.problem(where, f"the series' {unused}", CHECK_FIRST_SESSIONS)
                warnings.append(dataclasses.replace(unused_at, severity="warning"))
        if isinstance(profile, Plan):
            warnings.extend(_plan_doubts(profile, document))
        currency = getattr(profile, "currency", None)
        if currency is not None:
            currencies.append((currency, document))
        if (
            stale is not None
            and isinstance(profile, Clinic)
            and prices_stale(profile.source, today, stale)
        ):
            age = price_age_days(profile.source, today)
            source = profile.source
            published = source is not None and isinstance(source.published, dt.date)
            field = "published" if published else "checked"
            said = "no date" if age is None else f"{age} days old"
            stale_found.append(
                document.problem(
                    ("source", field),
                    f"prices are {said} ({dates_text(source)}; limit {stale} days)",
                    "phone the clinic, then update the prices, source.published and source.checked",
                )
            )
    problems.extend(currency_problems(currencies))
    if problems:
        raise InputError([*problems, *warnings])
    if warnings:
        report_error(InputError(warnings))
    if stale_found:
        report_error(
            InputError([Problem(**{**p.__dict__, "severity": "stale"}) for p in stale_found])
        )
        raise typer.Exit(EXIT_FINDING)
    if not quiet:
        from ..report.words import plural

        found = f", {plural(len(warnings), 'warning')} above" if warnings else ""
        typer.echo(f"ok: {plural(len(paths), 'file')} checked, no problems{found}")


@guarded
def schema_command(
    kind: Annotated[SchemaKind, typer.Argument(help="Which profile format.")] = SchemaKind.clinic,
) -> None:
    """Print the JSON Schema of a clinic or plan profile, a ledger or a person file, for editors."""
    from ..files.schema import schema_text

    typer.echo(schema_text(kind.value), nl=False)


def _plan_doubts(plan: Plan, document: Document) -> list[Problem]:
    """Return, as warnings at their lines, the plan terms that contradict each other or
    leave a term to its most generous default."""
    from ..engine.warnings import terms_doubts
    from ..files.load import unstated_problem
    from ..model.plan import BLOCKS

    found = []
    for network, block in BLOCKS.items():
        if getattr(plan, block) is None:
            continue
        # flags may state them when the plan is used: a warning (an empty block is refused
        # in use, for stating nothing)
        unstated = unstated_problem(plan, document, network) if plan.given(block) else None
        if unstated is not None:
            found.append(dataclasses.replace(unstated, severity="warning"))
        try:
            terms = plan.terms(network)[0]
        except Invalid:  # terms the block lacks: an estimate in that network says so
            continue
        for doubt in terms_doubts(terms, plan.currency):
            where = (block, doubt.key) if doubt.key == "out_of_pocket_max" else (doubt.key,)
            said = document.problem(where, doubt.message, doubt.hint)
            found.append(dataclasses.replace(said, severity="warning"))
    return found
