"""``ketacost init --person``: ask for a person's situation once and write ketacost.yaml."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..errors import InputError

if TYPE_CHECKING:
    from .init import Interview

SCHEMA_NAME = "person.schema.json"  # written beside the file, so the reference travels with it


def _optional_text(text: str) -> str:
    return text.strip()


def _choice(*allowed: str) -> Any:
    def parse(text: str) -> str:
        word = text.strip().lower()
        if word and word not in allowed:
            raise ValueError(f"answer {', '.join(allowed)}, or leave it blank")
        return word

    return parse


def _state(text: str) -> str:
    from ..model.person import STATES

    code = text.strip().upper()
    if code and code not in STATES:
        raise ValueError(f"{text!r} is not a US state's two-letter code (e.g. NJ)")
    return code


def _money(text: str) -> Decimal | None:
    from ..money import parse_money

    return None if not text.strip() else parse_money(text)


def _percent(text: str) -> Decimal | None:
    from ..money import parse_percent

    return None if not text.strip() else parse_percent(text)


def person_text(answers: dict[str, Any]) -> str:
    """Return the commented person file for the interview's answers (blank ones left out)."""
    from ..files.ledger_append import scalar

    a = answers
    lines = [
        f"# yaml-language-server: $schema={SCHEMA_NAME}",
        "# Written by `ketacost init --person`: your situation, read by every command (a flag",
        "# given on the command line wins). Check it with `ketacost check FILE`.",
        "kind: person",
    ]
    if a["plan"]:
        lines.append(f"plan: {scalar(a['plan'])}   # your insurance plan (from this file's folder)")
    if a["scenario"]:
        lines.append(f"scenario: {scalar(a['scenario'])}   # the plan's scenario you expect")
    if a["ledger"]:
        lines.append(f"ledger: {scalar(a['ledger'])}   # your treatment ledger")
    if a["state"]:
        lines.append(f"state: {a['state']}")
    tax = [
        ("filing", a["filing"] or None),
        ("agi", None if a["agi"] is None else f"{a['agi']:f}"),
        (
            "marginal_rate",
            None if a["marginal_rate"] is None else f"{(a['marginal_rate'] * 100).normalize():f}%",
        ),
    ]
    if any(value is not None for _, value in tax):
        lines.append("tax:")
        lines += [f"  {key}: {value}" for key, value in tax if value is not None]
    if a["hsa"] and a["hsa"] != "none":
        lines.append(f"hsa: {a['hsa']}   # counted as funded to the year's limit")
    return "\n".join(lines) + "\n"


def init_person(file: Path | None, given: dict[str, str | None], q: Interview, force: bool) -> None:
    """Ask for the person file's values (flags answer them) and write it, checked first."""
    from ..files.person import FILE_NAME
    from ..report.deliver import write_atomically

    file = file or Path(FILE_NAME)
    if file.exists() and not force:
        raise InputError.single(
            str(file), "already exists", "pass --force to overwrite it, or name another file"
        )
    folder = file.parent if str(file.parent) else Path(".")
    if not folder.is_dir():
        raise InputError.single(
            str(file),
            f"its folder {str(folder)!r} does not exist",
            f"create it first (mkdir -p {folder}), or name another file",
        )
    if q.interactive:
        typer.echo("Leave an answer blank to skip it; Ctrl-C quits without writing.", err=True)
    answers: dict[str, Any] = {
        "plan": q.ask("--plan", given["plan"], "Your insurance plan file", _optional_text, ""),
    }
    answers["scenario"] = (
        q.ask(
            "--scenario",
            given["scenario"],
            "The plan's scenario you expect (its name)",
            _optional_text,
            "",
        )
        if answers["plan"]
        else ""
    )
    answers["ledger"] = q.ask(
        "--ledger-file", given["ledger_file"], "Your treatment ledger file", _optional_text, ""
    )
    answers["state"] = q.ask("--state", given["state"], "Your state (e.g. NJ)", _state, "")
    answers["filing"] = q.ask(
        "--filing",
        given["filing"],
        "Tax filing status: single, joint or head",
        _choice("single", "joint", "head"),
        "",
    )
    answers["agi"] = q.ask(
        "--agi", given["agi"], "Adjusted gross income (from last year's return)", _money, ""
    )
    answers["marginal_rate"] = q.ask(
        "--marginal-rate", given["marginal_rate"], "Marginal tax rate, e.g. 22%", _percent, ""
    )
    answers["hsa"] = q.ask(
        "--hsa", given["hsa"], "HSA: self, family or none", _choice("self", "family", "none"), ""
    )
    if q.problems:
        raise InputError(q.problems)
    # paths are answered from where init runs; the person file reads them from its folder
    for key in ("plan", "ledger"):
        if answers[key]:
            answers[key] = _from_folder(answers[key], file)
    scenario = _check(file, person_text(answers))
    text = person_text({**answers, "scenario": scenario})  # in the plan's own spelling
    write_atomically(file, text)
    schema = file.parent / SCHEMA_NAME
    if not schema.exists():
        from ..files.schema import schema_text

        write_atomically(schema, schema_text("person"))
    typer.echo(
        f"Wrote {file}. Every command now starts from it (--no-config ignores it).", err=True
    )


def _from_folder(given: str, file: Path) -> str:
    """Return how the person file at ``file`` names the path ``given`` (from where init
    runs): a path from ``~`` or an absolute one as given (the file reads both, wherever it
    moves); a relative one from the file's folder, as ``init --ledger`` writes a ledger's
    paths (links are kept: the path is not resolved)."""
    import os

    if given.startswith("~") or Path(given).is_absolute():
        return given
    return Path(os.path.relpath(os.path.abspath(given), os.path.abspath(file.parent))).as_posix()


def _check(file: Path, text: str) -> str | None:
    """Refuse, before writing, a file that would not load: its plan and scenario included.

    Return the scenario as the plan spells it.
    """
    from ..files.load import load_document, read_plan
    from ..files.person import PersonFile
    from ..files.yaml_source import parse
    from ..model.person import Person

    document = parse(str(file), text)
    person = load_document(document, "person")
    assert isinstance(person, Person)
    if person.plan is None:
        return None
    found = PersonFile(file, person, document)
    plan = read_plan(found.relative(person.plan))[0]
    if person.scenario is not None:
        from .choice import Named, choose_scenario

        names = [terms.name for terms in plan.terms(None)]
        return choose_scenario(
            names,
            weighted=False,
            plan=person.plan,
            given=[Named(person.scenario, "flag")],
        ).name
    return None
