"""``ketacost calendar``: sessions to come and deadlines as iCalendar events, read back with
the icalendar library; UIDs kept from run to run, SEQUENCE raised on a change.

The example ledger as of 2027-03-15 (see test_ledger_status.py for its story): the booster
of Apr 15 is the one session to come; open deadlines: Session 2's decision (Feb 7) and
overdue date (Mar 9), the filing of Sessions 5 and 6 (Apr 18, Apr 21). Its charges are over
the Good Faith Estimate, but claims went to the plan, so there is no dispute to date; the
self-pay example ledger has one (Jun 29).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from ketacost.cli import app

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES / "plans", tmp_path / "plans")
    shutil.copy(EXAMPLES / "ledger.yaml", tmp_path / "ledger.yaml")
    return tmp_path / "ledger.yaml"


def events(path: Path) -> dict[str, dict[str, object]]:
    calendar = Calendar.from_ical(path.read_bytes())
    found = {}
    for event in calendar.walk("VEVENT"):
        alarms = event.walk("VALARM")
        found[str(event["UID"]).split("~", 1)[1]] = {
            "day": event.decoded("DTSTART"),
            "status": str(event["STATUS"]),
            "sequence": int(event.get("SEQUENCE", 0)),
            "summary": str(event["SUMMARY"]),
            "description": str(event["DESCRIPTION"]),
            "alarm": alarms[0].decoded("TRIGGER") if alarms else None,
            "uid": str(event["UID"]),
        }
    return found


def test_the_calendar_parses_and_holds_sessions_and_deadlines(ledger: Path) -> None:
    out = ledger.parent / "treatment.ics"
    code, stdout, err = run("calendar", str(ledger), "--as-of", "2027-03-15", "-o", str(out))
    assert (code, stdout, err) == (0, "", "")
    found = events(out)
    confirmed = {name: e["day"] for name, e in found.items() if e["status"] == "CONFIRMED"}
    assert confirmed == {
        "visit-booster-1@ketacost": dt.date(2027, 4, 15),
        "plan-decides-session-2@ketacost": dt.date(2027, 2, 7),  # Jan 8 + 30
        "overdue-session-2@ketacost": dt.date(2027, 3, 9),  # Jan 8 + 45 + 15
        "file-claim-session-5@ketacost": dt.date(2027, 4, 18),  # Jan 18 + 90
        "file-claim-session-6@ketacost": dt.date(2027, 4, 21),  # Jan 21 + 90
    }
    # a reminder a week before a deadline, the day before a session
    assert found["file-claim-session-5@ketacost"]["alarm"] == -dt.timedelta(days=7)
    assert found["visit-booster-1@ketacost"]["alarm"] == -dt.timedelta(days=1)
    # the description says what to do and which entry
    described = found["file-claim-session-5@ketacost"]["description"]
    assert "send the superbill" in described and "visit 2027-01-18" in described
    # deadlines that closed are there, cancelled: Session 1 was filed on Jan 8
    assert found["file-claim-session-1@ketacost"]["status"] == "CANCELLED"
    assert found["file-claim-session-1@ketacost"]["alarm"] is None


def test_a_second_run_keeps_the_uids_and_raises_sequence_only_on_a_change(ledger: Path) -> None:
    out = ledger.parent / "treatment.ics"
    run("calendar", str(ledger), "--as-of", "2027-03-15", "-o", str(out))
    first = events(out)
    run("calendar", str(ledger), "--as-of", "2027-03-16", "-o", str(out))
    second = events(out)
    assert {e["uid"] for e in second.values()} == {e["uid"] for e in first.values()}
    assert all(e["sequence"] == 0 for e in second.values())  # nothing changed
    # Session 5 filed, the booster logged: two events change, new deadlines appear
    with ledger.open("a", encoding="utf-8") as stream:
        stream.write(
            "  - date: 2027-03-16\n    claim: [Session 5]\n"
            "  - date: 2027-03-17\n    visit: Booster 1\n    paid: 600\n"
        )
    run("calendar", str(ledger), "--as-of", "2027-03-17", "-o", str(out))
    third = events(out)
    assert third["file-claim-session-5@ketacost"]["status"] == "CANCELLED"
    assert third["file-claim-session-5@ketacost"]["sequence"] == 1
    assert third["visit-booster-1@ketacost"]["status"] == "CANCELLED"  # logged: gone
    assert third["visit-booster-1@ketacost"]["sequence"] == 1
    # filed Mar 16: the plan should decide by Apr 15 (Mar 16 + 15 + 15 days)
    assert third["plan-decides-session-5@ketacost"]["day"] == dt.date(2027, 4, 15)
    assert third["plan-decides-session-5@ketacost"]["sequence"] == 0
    assert third["file-claim-session-6@ketacost"]["sequence"] == 0  # unchanged
    run("calendar", str(ledger), "--as-of", "2027-03-17", "-o", str(out))
    assert events(out) == third  # a run with nothing new changes nothing


def test_a_clinic_gives_its_sessions_from_the_start(tmp_path: Path) -> None:
    out = tmp_path / "sessions.ics"
    code, _, err = run(
        "calendar",
        "los-angeles-iv",
        "--start",
        "2027-01-04",
        "--months",
        "6",
        "--as-of",
        "2027-01-01",
        "-o",
        str(out),
    )
    assert code == 0, err
    found = events(out)
    # six sessions twice a week from Jan 4, and the booster 12 weeks after the last (Apr 15)
    assert sorted(e["day"] for e in found.values()) == [
        dt.date(2027, 1, day) for day in (4, 7, 11, 14, 18, 21)
    ] + [dt.date(2027, 4, 15)]
    # the same treatment as the example ledger's: its sessions have the same UIDs
    code, text, _ = run("calendar", str(EXAMPLES / "ledger.yaml"), "--as-of", "2027-03-15")
    assert found["visit-booster-1@ketacost"]["uid"] in text


def test_a_file_that_is_no_calendar_is_refused_and_kept(tmp_path: Path, ledger: Path) -> None:
    out = tmp_path / "notes.ics"
    out.write_text("my notes\n", encoding="utf-8")
    code, stdout, err = run("calendar", str(ledger), "-o", str(out))
    assert (code, stdout) == (2, "")
    assert "is not an iCalendar file" in err
    assert out.read_text(encoding="utf-8") == "my notes\n"
    code, _, err = run("calendar", str(ledger), "-o", str(tmp_path / "cal.txt"))
    assert code == 2 and ".ics" in err


def test_a_self_pay_ledger_dates_the_good_faith_estimate_dispute(tmp_path: Path) -> None:
    out = tmp_path / "treatment.ics"
    ledger = EXAMPLES / "ledger-self-pay.yaml"
    code, _, err = run("calendar", str(ledger), "--as-of", "2027-03-15", "-o", str(out))
    assert code == 0, err
    dispute = events(out)["gfe-dispute@ketacost"]
    # the bill of Mar 1 is $900 over the $3,000 estimate: + 120 days = 30 + 30 + 31 + 29, Jun 29
    assert dispute["day"] == dt.date(2027, 3, 1) + dt.timedelta(days=120) == dt.date(2027, 6, 29)
    assert dispute["status"] == "CONFIRMED"


def test_a_claim_sent_after_the_calendar_cancels_the_dispute(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.yaml"
    text = (EXAMPLES / "ledger-self-pay.yaml").read_text(encoding="utf-8")
    ledger.write_text(text, encoding="utf-8")
    out = tmp_path / "treatment.ics"
    assert run("calendar", str(ledger), "--as-of", "2027-03-15", "-o", str(out))[0] == 0
    plan = "plan: plans/acme-ppo.yaml\n"
    shutil.copytree(EXAMPLES / "plans", tmp_path / "plans")
    claimed = text.replace("months: 6\n", "months: 6\n" + plan)
    claimed += "  - date: 2027-03-20\n    claim: [Session 1]\n"
    ledger.write_text(claimed, encoding="utf-8")
    code, _, err = run("calendar", str(ledger), "--as-of", "2027-03-21", "-o", str(out))
    assert code == 0, err
    assert events(out)["gfe-dispute@ketacost"]["status"] == "CANCELLED"
