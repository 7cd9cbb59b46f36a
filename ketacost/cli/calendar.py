"""``ketacost calendar [LEDGER | CLINIC] -o FILE.ics``: sessions to come and deadlines, as events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from ..errors import InputError
from .options import ConfigOption, NoConfigOption, OutputOption, argument, guarded, option

if TYPE_CHECKING:
    from ..report.ics import Event, Previous

SOURCE_HELP = (
    "A ledger (its sessions still to come and every deadline), or a clinic profile: a YAML"
    " path or a bundled name (its sessions from --start; default: the `ledger:` of your person"
    " file, else the bundled default clinic)."
)


@guarded
def calendar_command(
    source: Annotated[str | None, argument(SOURCE_HELP, metavar="LEDGER | CLINIC")] = None,
    output: OutputOption = None,
    as_of: Annotated[
        str | None,
        option(
            "--as-of",
            metavar="DATE",
            help="Sessions after DATE; deadlines as of DATE, YYYY-MM-DD (default: today).",
        ),
    ] = None,
    start: Annotated[
        str | None,
        option(
            "--start",
            metavar="DATE",
            help="A clinic's first day of treatment, YYYY-MM-DD (default: today; a ledger"
            " has its own).",
        ),
    ] = None,
    months: Annotated[
        int | None,
        option(
            "--months",
            metavar="N",
            min=1,
            max=120,
            help="A clinic's horizon in calendar months (default: 12; a ledger has its own).",
        ),
    ] = None,
    remind: Annotated[
        int,
        option(
            "--remind",
            metavar="DAYS",
            min=0,
            max=365,
            help="Remind DAYS days before a deadline (default: 7; a session: the day before).",
        ),
    ] = 7,
    config: ConfigOption = None,
    no_config: NoConfigOption = False,
) -> None:
    """Write the sessions still to come and every open deadline as an iCalendar (.ics) file."""
    from .. import __version__
    from ..report.deliver import emit
    from ..report.ics import calendar_bytes, read_previous
    from .settings import date_flag

    day = date_flag("--as-of", as_of, example="2027-03-01")
    first = date_flag("--start", start, example="2027-01-04")
    if output is not None and output.suffix.lower() not in (".ics", ".ical", ".ifb", ".icalendar"):
        raise InputError.single(
            str(output),
            "an iCalendar file is named .ics",
            "write to FILE.ics (calendars import .ics files)",
        )
    ledger = _ledger_path(source)
    if source is None:  # the person file's ledger, else the bundled default clinic
        from ..files.person import read_person

        person = read_person(config, no_config)
        if person is not None and person.person.ledger is not None:
            from .situation import say_taken

            ledger = Path(person.relative(person.person.ledger))
            say_taken(person, [f"ledger {person.person.ledger}"])
    if ledger is not None:
        given = [flag for flag, value in (("--start", start), ("--months", months)) if value]
        if given:  # they would be ignored: the ledger's own start and horizon serve
            raise InputError.single(
                " and ".join(given),
                f"{' and '.join(given)} set a clinic's calendar; the ledger {ledger.name} has"
                " its own start and horizon",
                "leave them out, or name a clinic instead of the ledger",
            )
        events, title, treatment = _from_ledger(ledger, ledger.name, day, remind)
    else:
        events, title, treatment = _from_clinic(source, first, months or 12, day)
    previous: dict[str, Previous] = {}
    if output is not None and output.is_file():
        previous = read_previous(str(output), output.read_bytes())
    text = calendar_bytes(
        events,
        treatment=treatment,
        title=title,
        version=__version__,
        stamp=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        previous=previous,
    ).decode("utf-8")
    emit(text, output)


def _ledger_path(source: str | None) -> Path | None:
    """Return ``source`` when it is a ledger file (``kind: ledger``, or entries), else None."""
    if source is None or source == "-" or not Path(source).is_file():
        return None
    from ..files.load import kind_of, read_document

    return Path(source) if kind_of(read_document(source)) == "ledger" else None


def _from_ledger(
    path: Path, shown: str, as_of: dt.date, remind: int
) -> tuple[list[Event], str, str]:
    from ..engine.ledger import match
    from ..files.ledger import load_ledger
    from ..report.ics import deadline_events, session_events, treatment_id

    loaded = load_ledger(path)
    status = loaded.status(as_of)
    planned = status.estimate
    to_come = [
        c
        for c in match(loaded.ledger, planned.events, as_of).unlogged
        if as_of < c.date < planned.end
    ]
    clinic = loaded.clinic
    events = session_events(to_come, clinic.name, clinic.currency, shown)
    events += deadline_events(status.deadlines, remind, shown)
    return events, f"ketacost: {clinic.name}", treatment_id(clinic.name, loaded.ledger.start)


def _from_clinic(
    source: str | None, start: dt.date, months: int, as_of: dt.date
) -> tuple[list[Event], str, str]:
    from ..engine.schedule import schedule
    from ..files.load import load_clinic, resolve_clinic
    from ..report.ics import session_events, treatment_id

    clinic = load_clinic(resolve_clinic(source))
    charges = [c for c in schedule(clinic, start, months) if c.date >= as_of]
    events = session_events(charges, clinic.name, clinic.currency, None)
    return events, f"ketacost: {clinic.name}", treatment_id(clinic.name, start)
