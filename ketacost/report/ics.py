"""The sessions to come and the open deadlines as an iCalendar file (RFC 5545).

Every event is a whole day, with a reminder and a description of what to do.
A UID names the treatment and the event (``visit-booster-2``,
``appeal-session-3``), so the same event keeps its UID from run to run. When
the file written last time is given, an event whose content changed gets its
SEQUENCE raised by one, and an event that is no longer there (a session since
logged) or a deadline that closed is written with STATUS:CANCELLED, so a
calendar that follows updates moves or strikes it instead of adding a second.
The rules are in docs/calendar.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..engine.deadlines import Deadline
from ..engine.schedule import Charge
from ..errors import InputError
from .words import money

SESSION_REMINDER_DAYS = 1  # the day before a session
FINGERPRINT = "X-KETACOST-FINGERPRINT"  # what the event said, to tell a changed one
DOMAIN = "ketacost"
TITLES = {
    "file-claim": "File the claim",
    "plan-decides": "The plan should have decided",
    "overdue": "Claim overdue: no answer from the plan yet",
    "plan-pays": "The plan's payment is late: call the plan",
    "appeal": "Last day to appeal",
    "appeal-decided": "The plan should have decided the appeal",
    "external-review": "Last day for external review",
    "gfe-dispute": "Last day to dispute the bill over the Good Faith Estimate",
}


@dataclass(frozen=True, slots=True)
class Event:
    """One all-day event: its stable name, day, title, what to do, and when to be reminded."""

    name: str  # the stable part of the UID: "session-3", "file-claim-session-5"
    day: dt.date
    summary: str
    description: str
    remind_days: int
    cancelled: bool = False

    @property
    def fingerprint(self) -> str:
        """A short digest of what the event says: a changed one is a new version."""
        said = "\n".join(
            [self.day.isoformat(), self.summary, self.description, str(self.cancelled)]
        )
        return hashlib.sha256(said.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Previous:
    """What an earlier run wrote for one UID."""

    sequence: int
    fingerprint: str
    event: Event


def slug(text: str) -> str:
    """Return ``text`` as lower-case words joined by hyphens: ``Booster 2`` → ``booster-2``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def treatment_id(clinic: str, start: dt.date) -> str:
    """Return a short name for one treatment: its clinic and first day, as a digest."""
    return hashlib.sha256(f"{clinic}\n{start.isoformat()}".encode()).hexdigest()[:12]


def session_events(
    charges: Iterable[Charge], clinic: str, currency: str, ledger: str | None
) -> list[Event]:
    """Return one event per session still to come, from the estimate's schedule."""
    events = []
    for charge in charges:
        if not charge.is_session:
            continue
        after = (
            f' Afterwards: ketacost log {ledger} visit "{charge.label}" --paid AMOUNT.'
            if ledger
            else ""
        )
        events.append(
            Event(
                f"visit-{slug(charge.label)}",
                charge.date,
                f"{charge.label} at {clinic}",
                f"{charge.label}, on the date the clinic's schedule gives (an estimate: confirm"
                f" it with the clinic). Estimated price {money(charge.amount, currency)}.{after}",
                SESSION_REMINDER_DAYS,
            )
        )
    return events


def deadline_events(deadlines: Sequence[Deadline], remind_days: int, ledger: str) -> list[Event]:
    """Return one event per deadline with a date: open ones, and closed ones as cancelled."""
    events = []
    for deadline in deadlines:
        if deadline.due is None:
            continue  # no rule known: nothing to put on a day
        closed = f" Closed: {deadline.closed}." if deadline.closed else ""
        events.append(
            Event(
                deadline.kind
                if deadline.visit is None
                else f"{deadline.kind}-{slug(deadline.visit)}",
                deadline.due,
                TITLES[deadline.kind] + ("" if deadline.visit is None else f": {deadline.visit}"),
                f"What to do: {deadline.what}. Concerns: {deadline.entry} (in {ledger})."
                f" Rule: {deadline.rule}.{closed} A reminder from your own records, not legal"
                " advice: the plan's or clinic's letter may state another date.",
                remind_days,
                cancelled=not deadline.is_open,
            )
        )
    return events


def read_previous(path: str, data: bytes) -> dict[str, Previous]:
    """Return the events an earlier run wrote, by UID; an input error when it is no calendar."""
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(data)
    except ValueError as error:
        raise InputError.single(
            path,
            f"is not an iCalendar file this command can update ({error})",
            "name a new .ics file, or the one an earlier `ketacost calendar` wrote",
        ) from None
    found: dict[str, Previous] = {}
    for item in calendar.walk("VEVENT"):
        uid = str(item.get("UID", ""))
        if not uid.endswith(f"@{DOMAIN}"):
            continue
        start = item.decoded("DTSTART")
        day = start.date() if isinstance(start, dt.datetime) else start
        alarm = next(iter(item.walk("VALARM")), None)
        trigger = None if alarm is None else alarm.decoded("TRIGGER")
        remind = -trigger.days if isinstance(trigger, dt.timedelta) else SESSION_REMINDER_DAYS
        event = Event(
            uid.split("@", 1)[0].split("~", 1)[-1],
            day,
            str(item.get("SUMMARY", "")),
            str(item.get("DESCRIPTION", "")),
            remind,
            str(item.get("STATUS", "")).upper() == "CANCELLED",
        )
        found[uid] = Previous(int(item.get("SEQUENCE", 0)), str(item.get(FINGERPRINT, "")), event)
    return found


def calendar_bytes(
    events: Sequence[Event],
    *,
    treatment: str,
    title: str,
    version: str,
    stamp: dt.datetime,
    previous: dict[str, Previous] | None = None,
) -> bytes:
    """Return the iCalendar file: each event with its UID, SEQUENCE, STATUS and a reminder.

    ``previous`` (what an earlier run wrote) raises the SEQUENCE of an event that
    changed, and keeps as cancelled an event that is gone.
    """
    from icalendar import Alarm, Calendar
    from icalendar import Event as CalendarEvent

    previous = previous or {}
    calendar = Calendar()
    calendar.add("PRODID", f"-//ketacost//ketacost {version}//EN")
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", title)
    written: list[tuple[str, Event]] = [(f"{treatment}~{e.name}@{DOMAIN}", e) for e in events]
    now = {uid for uid, _ in written}
    for uid, earlier in previous.items():
        if uid not in now and uid.startswith(f"{treatment}~"):
            gone = earlier.event
            if not gone.cancelled:
                gone = Event(
                    gone.name,
                    gone.day,
                    gone.summary,
                    gone.description + " Cancelled: no longer in the records.",
                    gone.remind_days,
                    cancelled=True,
                )
            written.append((uid, gone))
    for uid, event in sorted(written, key=lambda pair: (pair[1].day, pair[0])):
        before = previous.get(uid)
        sequence = 0
        if before is not None:
            same = before.fingerprint == event.fingerprint
            sequence = before.sequence if same else before.sequence + 1
        item = CalendarEvent()
        item.add("UID", uid)
        item.add("DTSTAMP", stamp)
        item.add("DTSTART", event.day)
        item.add("DTEND", event.day + dt.timedelta(days=1))
        item.add("SUMMARY", event.summary)
        item.add("DESCRIPTION", event.description)
        item.add("SEQUENCE", sequence)
        item.add("STATUS", "CANCELLED" if event.cancelled else "CONFIRMED")
        item.add("TRANSP", "TRANSPARENT")
        item.add(FINGERPRINT, event.fingerprint)
        if not event.cancelled:
            alarm = Alarm()
            alarm.add("ACTION", "DISPLAY")
            alarm.add("DESCRIPTION", event.summary)
            alarm.add("TRIGGER", -dt.timedelta(days=event.remind_days))
            item.add_component(alarm)
        calendar.add_component(item)
    return bytes(calendar.to_ical())
