"""Matching a plan's EOB items to logged visits, rule by rule, with the amounts by hand.

A visit is found by its service date; where the item names codes and the clinic's profile
lists codes for the visit, they must share one; one resource's items for one visit become
one entry, their amounts added up (docs/records.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from ketacost.engine.eobs import match_eobs
from ketacost.engine.schedule import Charge
from ketacost.files.fhir import ClaimLine
from ketacost.model.clinic import CodeLine
from ketacost.model.ledger import Ledger

D = Decimal
DAY = dt.date(2027, 1, 4)
NEXT = dt.date(2027, 1, 7)


def ledger(*entries: dict[str, Any]) -> Ledger:
    return Ledger.model_validate({"clinic": "clinic.yaml", "start": DAY, "entries": list(entries)})


def visit(label: str, day: dt.date = DAY, paid: str = "750") -> dict[str, Any]:
    return {"date": day, "visit": label, "paid": paid}


def charge(label: str, day: dt.date = DAY, codes: tuple[str, ...] = ()) -> Charge:
    lines = tuple(CodeLine(code=c, amount=D(100)) for c in codes)
    return Charge(day, "series", label, D(750), True, "Series", "First sessions", lines)


def item(
    resource: str = "r1",
    served: dt.date | None = DAY,
    codes: tuple[str, ...] = (),
    created: dt.date = dt.date(2027, 2, 1),
    denied: str | None = None,
    currencies: tuple[tuple[str, str], ...] = (),
    **amounts: str,
) -> ClaimLine:
    return ClaimLine(
        resource=resource,
        created=created,
        served=served,
        codes=codes,
        where="$.item[0]",
        amounts={name: D(value) for name, value in amounts.items()},
        currencies=currencies,
        denied=denied,
    )


def test_the_items_of_one_resource_for_one_visit_are_one_entry_added_up() -> None:
    lines = [
        item(
            created=dt.date(2027, 2, 9),
            billed="750",
            allowed="525",
            deductible="400",
            coinsurance="25",
            plan_pays="100",
        ),
        item(
            created=dt.date(2027, 2, 9),
            billed="150",
            allowed="120",
            deductible="100",
            copay="20",
            plan_pays="0",
        ),
    ]
    found = match_eobs(ledger(visit("Session 1")), [charge("Session 1")], lines, "USD")
    (entry,) = found.new
    assert dict(entry.fields) == {
        "date": dt.date(2027, 2, 9),  # the day the plan issued the EOB
        "eob": "Session 1",
        "billed": D(750 + 150),
        "allowed": D(525 + 120),
        "deductible": D(400 + 100),
        "copay": D(20),
        "coinsurance": D(25),
        "plan_pays": D(100 + 0),
        "fhir_id": "r1",
    }
    assert entry.notes == ()  # the eligible amount was given: nothing to explain
    assert (found.unmatched, found.already, found.by_hand, found.currencies) == ((), (), (), ())


def test_amounts_the_eob_leaves_out_are_zero_or_absent_never_invented() -> None:
    found = match_eobs(
        ledger(visit("Session 1")), [charge("Session 1")], [item(allowed="300")], "USD"
    )
    fields = dict(found.new[0].fields)
    assert "billed" not in fields and "copay" not in fields
    assert (fields["deductible"], fields["coinsurance"], fields["plan_pays"]) == (0, 0, 0)


def test_one_reason_given_by_two_items_is_said_once() -> None:
    lines = [
        item(denied="not medically necessary", allowed="0"),
        item(denied="not medically necessary", allowed="0"),
        item(denied="out of network", allowed="0"),
    ]
    found = match_eobs(ledger(visit("Session 1")), [charge("Session 1")], lines, "USD")
    fields = dict(found.new[0].fields)
    assert fields["denied"] == "not medically necessary; out of network"


def test_what_the_eob_says_that_the_ledger_does_not_keep_is_noted() -> None:
    # amounts as a FHIR file gives them, to the cent
    to_provider = item(allowed="500.00", plan_pays="400.00", paid_to_provider="400.00")
    to_patient = item(
        allowed="500.00", plan_pays="400.00", paid_to_patient="400.00", noncovered="50.00"
    )
    found = match_eobs(ledger(visit("Session 1")), [charge("Session 1")], [to_provider], "USD")
    assert found.new[0].notes == ("paid to the provider 400.00, to you 0.00",)
    found = match_eobs(ledger(visit("Session 1")), [charge("Session 1")], [to_patient], "USD")
    assert found.new[0].notes == ("paid to the provider 0.00, to you 400.00", "not covered 50.00")


def test_a_denial_needs_no_note_about_a_missing_eligible_amount() -> None:
    found = match_eobs(
        ledger(visit("Session 1")), [charge("Session 1")], [item(denied="excluded")], "USD"
    )
    assert found.new[0].notes == ()
    found = match_eobs(
        ledger(visit("Session 1")), [charge("Session 1")], [item(deductible="90")], "USD"
    )
    assert found.new[0].notes == (
        "no eligible amount given: allowed is what the EOB splits it into",
    )


def test_a_visit_the_profile_lists_no_codes_for_takes_an_item_of_any_code() -> None:
    found = match_eobs(
        ledger(visit("Session 1")),
        [charge("Session 1")],
        [item(codes=("90837",), allowed="200")],
        "USD",
    )
    assert [e.visit for e in found.new] == ["Session 1"]
    assert found.unmatched == ()


def test_codes_tell_two_visits_on_one_day_apart() -> None:
    events = [charge("Session 1", codes=("96365",)), charge("Psychiatry", codes=("99215",))]
    lines = [item(codes=("99215",), allowed="300"), item("r2", codes=("96365",), allowed="500")]
    found = match_eobs(ledger(visit("Session 1"), visit("Psychiatry")), events, lines, "USD")
    assert sorted((e.visit, e.resource) for e in found.new) == [
        ("Psychiatry", "r1"),
        ("Session 1", "r2"),
    ]


def test_a_code_no_visit_of_the_day_is_billed_with_names_the_codes_it_could_be() -> None:
    events = [
        charge("Session 1", codes=("99417", "96365")),
        charge("Session 2", NEXT, codes=("99215",)),
    ]
    lines = [item(codes=("90837", "90838"), allowed="200")]
    found = match_eobs(ledger(visit("Session 1"), visit("Session 2", NEXT)), events, lines, "USD")
    (unmatched,) = found.unmatched
    assert unmatched.reason == (
        "code 90837, 90838 is not one the clinic's profile bills for Session 1 (96365, 99417)"
    )
    assert found.new == ()


def test_an_item_without_a_service_date_or_visit_that_day_is_left_out_with_why() -> None:
    lines = [item(served=None, allowed="1"), item(served=NEXT, allowed="1")]
    found = match_eobs(ledger(visit("Session 1")), [charge("Session 1")], lines, "USD")
    assert [u.reason for u in found.unmatched] == [
        "the item gives no service date",
        "no visit is logged on 2027-01-07",
    ]


def test_three_visits_on_one_day_are_all_named() -> None:
    entries = (visit("Session 1"), visit("Session 2"), visit("Session 3"))
    events = [charge("Session 1"), charge("Session 2"), charge("Session 3")]
    found = match_eobs(ledger(*entries), events, [item(allowed="1")], "USD")
    assert [u.reason for u in found.unmatched] == [
        "3 visits are logged on 2027-01-04 (Session 1, Session 2, Session 3): log its EOB by hand"
    ]


def test_a_currency_is_compared_without_regard_to_case() -> None:
    said = (("$.item[0].adjudication[0].amount.currency", "usd"),)
    other = (("$.item[0].adjudication[1].amount.currency", "EUR"),)
    lines = [item(allowed="1", currencies=said), item(allowed="1", currencies=other)]
    found = match_eobs(ledger(visit("Session 1")), [charge("Session 1")], lines, "Usd")
    assert found.currencies == other


def test_an_eob_imported_before_or_logged_by_hand_is_matched_however_the_label_is_spaced() -> None:
    imported = {"date": "2027-02-01", "eob": "session   1", "fhir_id": "r1"}
    by_hand = {"date": "2027-02-01", "eob": "SESSION 2 "}
    entries = (visit("Session 1"), visit("Session 2", NEXT), imported, by_hand)
    lines = [item(allowed="1"), item(served=NEXT, allowed="1"), item("r3", allowed="1")]
    events = [charge("Session 1"), charge("Session 2", NEXT)]
    found = match_eobs(ledger(*entries), events, lines, "USD")
    assert found.already == ("Session 1 (resource r1)",)
    assert found.by_hand == ("Session 2",)
    assert [(e.visit, e.resource) for e in found.new] == [("Session 1", "r3")]


def test_what_an_import_returns_cannot_be_changed_afterwards() -> None:
    found = match_eobs(ledger(visit("Session 1")), [charge("Session 1")], [item()], "USD")
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.new = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.new[0].visit = "Session 2"  # type: ignore[misc]
    unmatched = match_eobs(ledger(), [], [item()], "USD").unmatched[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        unmatched.reason = ""  # type: ignore[misc]
