"""``ketacost init --ledger``: start a treatment ledger from a clinic and a plan."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..errors import InputError, printable

if TYPE_CHECKING:
    from ..files.person import PersonFile

SCHEMA_NAME = "ledger.schema.json"  # written beside the ledger, so the reference travels with it


def _reference(given: str, ledger: Path, *, bundled: bool) -> str:
    """Return how the ledger names a profile: a path relative to the ledger, or a bundled name."""
    from ..files import bundled as bundled_profiles

    path = Path(given)
    if path.is_file():
        folder = ledger.parent.resolve()
        return Path(os.path.relpath(path.resolve(), folder)).as_posix()
    if bundled and bundled_profiles.bundled_path(given) is not None:
        return given.removesuffix(".yaml")
    what = "clinic profile" if bundled else "plan file"
    hint = "give a path" + (" or a bundled name (ketacost catalog)" if bundled else "")
    raise InputError.single(given, f"no such {what}", hint)


def ledger_text(
    clinic: str, plan: str | None, start: dt.date, months: int, scenario: str | None = None
) -> str:
    """Return a new, empty ledger that names its clinic, plan and scenario."""
    from ..files.ledger_append import scalar

    lines = [
        f"# yaml-language-server: $schema={SCHEMA_NAME}",
        "# Written by `ketacost init --ledger`. Add what happens with `ketacost log`, e.g.",
        '#   ketacost log FILE visit "Session 1" --paid 750',
        "# and see where things stand with `ketacost status FILE`.",
        "kind: ledger",
        f"clinic: {scalar(clinic)}",
    ]
    if plan is not None:
        lines.append(f"plan: {scalar(plan)}")
        if scenario is None:
            lines.append("# scenario: As written          # what `expected` means")
        else:
            lines.append(f"scenario: {scalar(scenario)}   # what `expected` means")
    lines += [
        f"start: {start.isoformat()}",
        f"months: {months}",
        "# good_faith_estimate:            # what the clinic estimated in writing, if it did",
        "#   date: 2027-01-02",
        "#   total: 3900",
        "entries:",
    ]
    return "\n".join(lines) + "\n"


def init_ledger(
    file: Path,
    clinic: str | None,
    plan: str | None,
    start: str | None,
    months: int,
    force: bool,
    *,
    scenario: str | None = None,
    person: PersonFile | None = None,
) -> None:
    """Write a new ledger at ``file`` after checking that it loads.

    The plan is ``--plan``, else the person file's; the scenario is chosen as a
    ledger's always is (``--scenario``, the person file's, the plan's only one,
    else exit 2 listing them), so the ledger never expects a denial by default.
    """
    from ..files.ledger import read_ledger
    from ..files.yaml_source import parse
    from ..report.deliver import write_atomically
    from .settings import date_flag

    if clinic is None:
        raise InputError.single(
            "--ledger", "a ledger needs the clinic it follows", "add --clinic FILE_OR_NAME"
        )
    if file.exists() and not force:
        raise InputError.single(
            str(file), "already exists", "pass --force to overwrite it, or name another file"
        )
    folder = file.parent if str(file.parent) else Path(".")
    if not folder.is_dir():
        raise InputError.single(
            printable(str(file)),
            f"its folder {printable(str(folder))!r} does not exist",
            f"create it first (mkdir -p {printable(str(folder))}), or name another file",
        )
    day = date_flag("--start", start, example="2027-01-04")
    given_plan = plan
    if plan is None and person is not None and person.person.plan is not None:
        plan = person.relative(person.person.plan)
    chosen = None if plan is None else _scenario(plan, scenario, person)
    text = ledger_text(
        _reference(clinic, file, bundled=True),
        None if plan is None else _reference(plan, file, bundled=False),
        day,
        months,
        chosen,
    )
    read_ledger(file, parse(str(file), text))
    write_atomically(file, text)
    schema = file.parent / SCHEMA_NAME
    if not schema.exists():
        from ..files.schema import schema_text

        write_atomically(schema, schema_text("ledger"))
    shown = printable(str(file))
    if person is not None:  # say what the person file gave, as every command does
        taken = [
            what
            for what, used in (
                ("the plan", given_plan is None and plan is not None),
                (
                    "the scenario",
                    scenario is None and chosen is not None and person.person.scenario is not None,
                ),
            )
            if used
        ]
        if taken:
            shown_person = printable(person.shown)
            typer.echo(f"From your person file ({shown_person}): {' and '.join(taken)}.", err=True)
    typer.echo(
        f'Wrote {shown}. Next: ketacost log {shown} visit "Session 1" --paid AMOUNT', err=True
    )


def _scenario(plan: str, flag: str | None, person: PersonFile | None) -> str | None:
    """Return the scenario the new ledger names; None when the plan has only one."""
    from ..files.load import read_plan
    from .choice import Named, choose_scenario

    names = [terms.name for terms in read_plan(plan)[0].terms(None)]
    given = [] if flag is None else [Named(flag, "flag")]
    if person is not None and person.person.scenario is not None:
        given.append(Named(person.person.scenario, "person file", person.document))
    chosen = choose_scenario(names, weighted=False, plan=plan, given=given, ledger=True)
    return chosen.name if len(names) > 1 or flag is not None else None
