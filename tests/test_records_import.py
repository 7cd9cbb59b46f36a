"""``ketacost import eob``: a plan's FHIR EOBs land in the ledger as the entries one would
type by hand; a second import adds nothing; bad or foreign JSON is refused with its JSON
path and leaves the ledger byte for byte as it was."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ketacost.cli import app
from ketacost.engine.status_data import status_data
from ketacost.errors import InputError
from ketacost.files.fhir import read_eobs
from ketacost.files.ledger import load_ledger
from ketacost.model.ledger import Eob

ROOT = Path(__file__).parent.parent
FHIR = Path(__file__).parent / "fixtures" / "fhir"
BUNDLE = FHIR / "bundle-two-eobs.json"


def without_eobs(text: str) -> str:
    """Return the example ledger with its two hand-logged EOB entries taken out."""
    kept, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("  - "):
            skipping = line.strip() in ("- date: 2027-02-20", "- date: 2027-03-01")
        if not skipping:
            kept.append(line)
    return "".join(kept)


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """The example ledger's story in a folder of its own, before any EOB arrived."""
    shutil.copytree(ROOT / "examples" / "plans", tmp_path / "plans")
    path = tmp_path / "ledger.yaml"
    text = (ROOT / "examples" / "ledger.yaml").read_text(encoding="utf-8")
    path.write_text(without_eobs(text), encoding="utf-8")
    assert "eob:" not in path.read_text(encoding="utf-8")
    return path


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def status_of(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = status_data(load_ledger(path).status(dt.date(2027, 3, 15)), "ledger")
    return data


def eobs(path: Path) -> list[Eob]:
    return [e for e in load_ledger(path).ledger.entries if isinstance(e, Eob)]


def test_a_bundle_of_two_eobs_gives_the_status_of_the_hand_logged_ledger(story: Path) -> None:
    code, out, err = run("import", "eob", BUNDLE, story)
    assert code == 0, err
    assert out == ""
    assert "EOB for 'Session 1' dated 2027-02-20" in err
    assert "EOB for 'Session 3' dated 2027-03-01" in err
    assert "skipped: 1 resource not ExplanationOfBenefit" in err  # the Coverage beside them
    by_hand = status_of(ROOT / "examples" / "ledger.yaml")
    assert status_of(story) == by_hand
    first, third = eobs(story)
    assert (first.eob, first.date, first.fhir_id) == (
        "Session 1",
        dt.date(2027, 2, 20),
        "eob-20270104-1",
    )
    assert (first.billed, first.allowed, first.deductible, first.plan_pays) == (750, 525, 525, 0)
    assert (third.eob, third.allowed, third.deductible, third.denied) == (
        "Session 3",
        360,
        360,
        None,
    )


def test_importing_the_same_bundle_again_changes_nothing(story: Path) -> None:
    assert run("import", "eob", BUNDLE, story)[0] == 0
    once = story.read_bytes()
    code, _, err = run("import", "eob", BUNDLE, story)
    assert code == 0
    assert story.read_bytes() == once
    assert "already in" in err and "nothing new" in err
    assert len(eobs(story)) == 2


@pytest.mark.parametrize(
    ("fixture", "said"),
    [
        (
            "bundle-bad-amount.json",
            "$.entry[1].resource.item[0].adjudication[2].amount.value: expected a number,"
            " got '360.00'",
        ),
        ("patient.json", "$.resourceType: a Patient resource, not an ExplanationOfBenefit"),
    ],
)
def test_bad_or_foreign_json_names_its_path_and_writes_nothing(
    story: Path, fixture: str, said: str
) -> None:
    before = story.read_bytes()
    code, out, err = run("import", "eob", FHIR / fixture, story)
    assert code == 2
    assert out == ""
    assert said in err
    assert "Traceback" not in err
    assert story.read_bytes() == before


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"resourceType": "Bundle", "entry": [\n', ":2:1: error: this is not JSON"),
        ("[1, 2]", "$.resourceType: not a FHIR resource"),
        ('{"resourceType": "Bundle", "entry": []}', "the Bundle holds no ExplanationOfBenefit"),
        ('{"resourceType": "Bundle", "entry": [{"resource": 3}]}', "$.entry[0].resource:"),
        (
            '{"resourceType": "ExplanationOfBenefit", "id": "x", "created": "soon", "item": []}',
            "$.created: expected a date, got 'soon'",
        ),
        (
            '{"resourceType": "ExplanationOfBenefit", "id": "x", "created": "2027-02-01",'
            ' "item": [{"servicedDate": "2027-01-04"}]}',
            "$.item[0].productOrService: is missing",
        ),
        (
            '{"resourceType": "ExplanationOfBenefit", "created": "2027-02-01"}',
            "$.id: is missing",
        ),
        ('{"resourceType": "ExplanationOfBenefit", "id": NaN}', "NaN is not a JSON number"),
        (
            '{"resourceType": "ExplanationOfBenefit", "id": "x", "created": "2027-02-01",'
            ' "item": [{"productOrService": {}, "adjudication": [{"category": {"coding":'
            ' [{"code": "benefit"}]}, "amount": {"value": -5}}]}]}',
            "$.item[0].adjudication[0].amount.value: amount -5 is negative",
        ),
    ],
)
def test_every_malformed_file_is_exit_2_with_the_json_path(
    story: Path, tmp_path: Path, text: str, said: str
) -> None:
    bad = tmp_path / "eob.json"
    bad.write_text(text, encoding="utf-8")
    before = story.read_bytes()
    code, _, err = run("import", "eob", bad, story)
    assert code == 2, err
    assert said in err
    assert story.read_bytes() == before


def test_without_a_ledger_the_eobs_are_not_read(tmp_path: Path) -> None:
    bad = tmp_path / "eob.json"
    bad.write_text("{not json", encoding="utf-8")
    code, out, err = run("import", "eob", bad, "--no-config")
    assert (code, out) == (2, "")
    assert "no ledger named" in err and "eob.json" not in err


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    data = json.loads(BUNDLE.read_text(encoding="utf-8"))
    data["entry"][0]["resource"]["created"] = 20270220
    data["entry"][1]["resource"]["item"][0]["servicedDate"] = "not a date"
    with pytest.raises(InputError) as raised:
        read_eobs("eob.json", json.dumps(data).encode())
    messages = [p.message for p in raised.value.problems]
    assert messages == [
        "$.entry[0].resource.created: expected a date, got 20270220",
        "$.entry[1].resource.item[0].servicedDate: expected a date, got 'not a date'",
    ]


def test_a_denial_its_reason_and_an_unmatched_item(story: Path) -> None:
    code, _, err = run("import", "eob", FHIR / "eob-denied.json", story)
    assert code == 0, err
    (denied,) = eobs(story)
    assert denied.eob == "Session 4"
    assert denied.denied == "Not deemed a medical necessity by the payer (code 50)"
    assert (denied.billed, denied.allowed, denied.plan_pays) == (600, 0, 0)
    assert "not covered 600.00" in err
    assert (
        "not matched: $.item[1] (resource eob-20270114-4, served 2027-01-15, code 96366):"
        " no visit is logged on 2027-01-15"
    ) in err


def denied_eob_with(change: Any, tmp_path: Path) -> Path:
    """Return the denied EOB with ``change(eob)`` applied, in a file of its own."""
    eob = json.loads((FHIR / "eob-denied.json").read_text(encoding="utf-8"))
    change(eob)
    path = tmp_path / "eob.json"
    path.write_text(json.dumps(eob), encoding="utf-8")
    return path


def test_a_denial_reason_over_several_lines_is_read_as_one(story: Path, tmp_path: Path) -> None:
    def wrapped(eob: dict[str, Any]) -> None:
        denial = eob["item"][0]["adjudication"][-1]
        denial["reason"] = {"text": "Not medically necessary.\r\nSee policy\tMP-123.\n"}

    code, _, err = run("import", "eob", denied_eob_with(wrapped, tmp_path), story)
    assert code == 0, err
    (denied,) = eobs(story)
    assert denied.denied == "Not medically necessary. See policy MP-123."


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (
            lambda eob: eob.update(created="0001-01-01"),
            "$.created: 0001-01-01 is outside the years",
        ),
        (lambda eob: eob.update(id="eob\u001b[31m"), "$.id: the control character U+001B"),
    ],
    ids=["created", "id"],
)
def test_a_value_the_ledger_cannot_hold_is_reported_in_the_eob_file(
    story: Path, tmp_path: Path, change: Any, where: str
) -> None:
    before = story.read_bytes()
    eob = denied_eob_with(change, tmp_path)
    code, out, err = run("import", "eob", eob, story)
    assert (code, out) == (2, "")
    assert f"{eob}: error: {where}" in err, err
    assert story.read_bytes() == before


def test_a_payment_split_between_provider_and_patient(story: Path) -> None:
    code, _, err = run("import", "eob", FHIR / "eob-paid-to-patient.json", story)
    assert code == 0, err
    (paid,) = eobs(story)
    # allowed 420 = deductible 115 + coinsurance 91.50 + plan pays 213.50
    assert paid.allowed == Decimal(115) + Decimal("91.50") + Decimal("213.50")
    assert paid.plan_pays == Decimal("213.50")
    assert "paid to the provider 0.00, to you 213.50" in err


def test_without_an_eligible_amount_allowed_is_what_the_eob_splits(story: Path) -> None:
    data = json.loads((FHIR / "eob-paid-to-patient.json").read_text(encoding="utf-8"))
    adjudication = data["item"][0]["adjudication"]
    data["item"][0]["adjudication"] = [
        a for a in adjudication if a["category"]["coding"][0]["code"] not in ("eligible", "benefit")
    ]
    path = story.parent / "eob.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert run("import", "eob", path, story)[0] == 0
    (paid,) = eobs(story)
    # no benefit: what it paid to the provider and to the patient, 0 + 213.50
    assert paid.plan_pays == Decimal("0.00") + Decimal("213.50")
    assert paid.allowed == Decimal(115) + Decimal("91.50") + Decimal("213.50")


def test_an_eob_logged_by_hand_is_not_imported_over(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "plans", tmp_path / "plans")
    path = tmp_path / "ledger.yaml"
    shutil.copy(ROOT / "examples" / "ledger.yaml", path)
    before = path.read_bytes()
    code, _, err = run("import", "eob", BUNDLE, path)
    assert code == 0
    assert path.read_bytes() == before
    assert "'Session 1' already has an EOB logged by hand" in err


def test_two_visits_on_one_day_that_no_code_tells_apart_are_left_out(story: Path) -> None:
    text = story.read_text(encoding="utf-8")
    story.write_text(
        text + "  - date: 2027-01-04\n    visit: Session 2\n    paid: 0\n", encoding="utf-8"
    )
    code, _, err = run("import", "eob", BUNDLE, story)
    assert code == 0
    assert "2 visits are logged on 2027-01-04 (Session 1, Session 2)" in err
    assert [e.eob for e in eobs(story)] == ["Session 3"]


def test_a_foreign_currency_is_refused(story: Path) -> None:
    text = BUNDLE.read_text(encoding="utf-8").replace('"USD"', '"EUR"')
    path = story.parent / "eob.json"
    path.write_text(text, encoding="utf-8")
    before = story.read_bytes()
    code, _, err = run("import", "eob", path, story)
    assert code == 2
    assert (
        "$.entry[0].resource.item[0].adjudication[0].amount.currency: the amount is in EUR" in err
    )
    assert story.read_bytes() == before


def test_a_code_the_clinic_does_not_bill_for_that_visit_is_not_matched(tmp_path: Path) -> None:
    # the bundled itemized profile, handed a superbill (its self-pay option gives none)
    bundled = (ROOT / "pricing" / "superbill-itemized-iv.yaml").read_text(encoding="utf-8")
    clinic = bundled.replace("superbill: false", "superbill: true")
    (tmp_path / "itemized.yaml").write_text(clinic, encoding="utf-8")
    path = tmp_path / "ledger.yaml"
    path.write_text(
        "kind: ledger\nclinic: itemized.yaml\nstart: 2027-01-04\nentries:\n"
        "  - date: 2027-01-04\n    visit: Session 1\n    paid: 900\n",
        encoding="utf-8",
    )
    data = json.loads((FHIR / "eob-paid-to-patient.json").read_text(encoding="utf-8"))
    data["item"][0]["servicedDate"] = "2027-01-04"
    data["item"] = [data["item"][0], copy.deepcopy(data["item"][0])]
    data["item"][0]["productOrService"]["coding"][0]["code"] = "90837"
    data["item"][1]["productOrService"]["coding"][0]["code"] = "99215"
    eob = tmp_path / "eob.json"
    eob.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run("import", "eob", eob, path)
    assert code == 0, err
    assert (
        "code 90837 is not one the clinic's profile bills for Session 1 (96365, 99215, 99417)"
        in err
    )
    (matched,) = eobs(path)
    assert (matched.eob, matched.allowed) == ("Session 1", Decimal(420))


def test_a_number_of_thousands_of_digits_is_refused(story: Path, tmp_path: Path) -> None:
    bad = tmp_path / "eob.json"
    bad.write_text('{"resourceType": "ExplanationOfBenefit", "id": ' + "9" * 5000 + "}")
    code, _, err = run("import", "eob", bad, story)
    assert code == 2
    assert "a number has thousands of digits" in err


@pytest.mark.slow
def test_imports_at_once_add_each_eob_once(story: Path) -> None:
    root = str(ROOT)
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    command = [sys.executable, "-m", "ketacost", "import", "eob"]
    files = [BUNDLE, FHIR / "eob-paid-to-patient.json"] * 3
    processes = [
        subprocess.Popen(
            [*command, str(file), str(story)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        for file in files
    ]
    failures = []
    for process in processes:
        _, err = process.communicate(timeout=300)
        if process.returncode != 0:
            failures.append(err.decode())
    assert failures == []
    assert sorted(e.eob for e in eobs(story)) == ["Session 1", "Session 3", "Session 5"]


def test_a_key_given_twice_is_refused_not_read_as_the_last(story: Path, tmp_path: Path) -> None:
    before = story.read_bytes()
    text = (FHIR / "eob-denied.json").read_text(encoding="utf-8")
    eob = tmp_path / "eob.json"
    eob.write_text(text.replace('"id": "eob-20270114-4",', '"id": "a", "id": "b",', 1), "utf-8")
    code, out, err = run("import", "eob", eob, story)
    assert (code, out) == (2, "")
    assert f"{eob}: error: the key 'id' is given twice in one object" in err
    assert story.read_bytes() == before


def test_an_eob_paid_to_the_clinic_is_not_chased_from_the_plan(story: Path, tmp_path: Path) -> None:
    # the same EOB, but the plan paid the clinic the 213.50 ("paidtoprovider"), the
    # patient nothing: none of it is due to the patient, and the clinic was paid twice
    def to_clinic(eob: dict[str, Any]) -> None:
        for item in eob["item"]:
            for adjudication in item["adjudication"]:
                code = adjudication["category"]["coding"][0]["code"]
                if code == "paidtoprovider":
                    adjudication["amount"]["value"] = 213.5
                elif code == "paidtopatient":
                    adjudication["amount"]["value"] = 0.0

    eob = tmp_path / "eob.json"
    data = json.loads((FHIR / "eob-paid-to-patient.json").read_text(encoding="utf-8"))
    to_clinic(data)
    eob.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run("import", "eob", eob, story)
    assert code == 0, err
    (paid,) = eobs(story)
    assert (paid.plan_pays, paid.paid_to_clinic, paid.to_patient) == (
        Decimal("213.50"),
        Decimal("213.50"),
        Decimal(0),
    )
    status = load_ledger(story).status(dt.date(2027, 4, 20))
    claim = {c.label: c for c in status.claims}[paid.eob]
    assert (claim.state, claim.expected_back) == ("paid", Decimal(0))
    assert not any(d.kind == "plan-pays" and d.visit == paid.eob for d in status.deadlines)
    assert any("ask the clinic for a refund or a credit" in w for w in status.warnings)


def test_a_resource_given_twice_is_read_once_in_its_latest_version(story: Path) -> None:
    # A history answer holds every version of a resource. Session 3's EOB in version 2
    # (placed first in the file) allows 420 with 30 to the deductible, 40% of 390 = 156
    # coinsurance and 420 − 186 = 234 to pay; version 1 allowed 360, all to the deductible.
    # Added up, the two would be 720 allowed: one version only, the latest, is read.
    data = json.loads(BUNDLE.read_text(encoding="utf-8"))
    first = copy.deepcopy(data["entry"][1])
    first["resource"]["meta"] = {"versionId": "1"}
    later = copy.deepcopy(first)
    later["resource"]["meta"] = {"versionId": "2"}
    amounts = {"eligible": 420, "deductible": 30, "coinsurance": 156, "benefit": 234}
    for adjudication in later["resource"]["item"][0]["adjudication"]:
        code = adjudication["category"]["coding"][0]["code"]
        if code in amounts:
            adjudication["amount"]["value"] = amounts[code]
    data["entry"] = [later, first]
    path = story.parent / "history.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run("import", "eob", path, story)
    assert code == 0, err
    assert "resource eob-20270111-3 is given 2 times" in err
    assert "only its latest version, at $.entry[0].resource, is read" in err
    (third,) = eobs(story)
    assert (third.eob, third.allowed, third.deductible, third.coinsurance, third.plan_pays) == (
        "Session 3",
        Decimal(420),
        Decimal(30),
        Decimal(40 * 390) / 100,
        Decimal(420 - 30 - 156),
    )


def _eob_item(day: str, code: str, billed: int, allowed: int) -> dict[str, Any]:
    """One FHIR item: ``allowed`` all to the deductible, nothing paid."""

    def amount(category: str, value: int) -> dict[str, Any]:
        return {"category": {"coding": [{"code": category}]}, "amount": {"value": value}}

    return {
        "servicedDate": day,
        "productOrService": {"coding": [{"code": code}]},
        "adjudication": [
            amount("submitted", billed),
            amount("eligible", allowed),
            amount("deductible", allowed),
            amount("benefit", 0),
        ],
    }


def test_an_item_finds_a_claimable_fee_charged_the_same_day_as_a_visit(tmp_path: Path) -> None:
    # A $400 claimable intake and Session 1 ($600) on 2027-01-04, one EOB with a line for
    # each. With no codes in the profile, what each bills tells them apart (400, 600). When
    # the profile lists the session's code, 96365 is the session's, and 90792, a code the
    # profile does not bill, is left out as before. Two charges billing the same, and no
    # codes, cannot be told apart: left for the patient to log by hand.
    def ledger(name: str, codes: str = "", intake: int = 400) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "clinic.yaml").write_text(
            "kind: clinic\nname: C\nmodality: iv-infusion\n"
            "series: {sessions: 6, per_week: 2, price: 600}\n"
            f"fees:\n  - {{name: Intake, amount: {intake}, per: once, claimable: true}}\n"
            f"billing: {{network: out-of-network, superbill: true{codes}}}\n",
            encoding="utf-8",
        )
        path = folder / "ledger.yaml"
        path.write_text(
            f"kind: ledger\nclinic: clinic.yaml\nplan: {ROOT / 'examples/plans/acme-ppo.yaml'}\n"
            "scenario: As written\nstart: 2027-01-04\nmonths: 6\nentries:\n"
            f"  - {{date: 2027-01-04, charge: Intake, amount: {intake}}}\n"
            "  - {date: 2027-01-04, visit: Session 1, paid: 600}\n"
            "  - {date: 2027-01-08, claim: [Intake, Session 1]}\n",
            encoding="utf-8",
        )
        resource = {
            "resourceType": "ExplanationOfBenefit",
            "id": "claim-77",
            "created": "2027-02-10",
            "item": [
                _eob_item("2027-01-04", "90792", intake, intake * 7 // 10),
                _eob_item("2027-01-04", "96365", 600, 420),
            ],
        }
        (folder / "eob.json").write_text(json.dumps(resource), encoding="utf-8")
        return path

    def imported(path: Path) -> tuple[dict[str, tuple[Decimal | None, Decimal]], str]:
        code, _, err = run("import", "eob", path.parent / "eob.json", path)
        assert code == 0, err
        return {e.eob: (e.billed, e.allowed) for e in eobs(path)}, err

    found, _ = imported(ledger("plain"))
    assert found == {"Intake": (Decimal(400), Decimal(280)), "Session 1": (600, 420)}
    found, err = imported(ledger("coded", codes=", codes: [{code: '96365', amount: 600}]"))
    assert found == {"Session 1": (Decimal(600), Decimal(420))}
    assert "code 90792 is not one the clinic's profile bills for Session 1 (96365)" in err
    found, err = imported(ledger("alike", intake=600))
    assert found == {}
    assert err.count("2 visits are logged on 2027-01-04 (Intake, Session 1)") == 2


def test_the_latest_copy_is_told_by_its_instant_not_by_its_text() -> None:
    # Two copies of one resource, allowing 525 (older) and 420 (newer). Version ids are
    # opaque in FHIR ("b7f3" is not later than "a1c9"), and 10:00+05:00 is 05:00 UTC,
    # before 06:00Z: the copy updated at 06:00Z is the latest whichever comes first.
    data = json.loads(BUNDLE.read_text(encoding="utf-8"))
    older = copy.deepcopy(data["entry"][0])
    newer = copy.deepcopy(older)
    older["resource"]["meta"] = {"versionId": "b7f3", "lastUpdated": "2027-02-21T10:00:00+05:00"}
    newer["resource"]["meta"] = {"versionId": "a1c9", "lastUpdated": "2027-02-21T06:00:00Z"}
    for adjudication in newer["resource"]["item"][0]["adjudication"]:
        if adjudication["category"]["coding"][0]["code"] in ("eligible", "deductible"):
            adjudication["amount"]["value"] = 420
    for entries in ([older, newer], [newer, older]):
        data["entry"] = entries
        lines, _, repeated = read_eobs("eob.json", json.dumps(data).encode())
        (line,) = lines
        assert line.allowed == Decimal(420)
        assert len(repeated) == 1


def test_a_history_that_records_a_deletion_is_refused() -> None:
    data = json.loads(BUNDLE.read_text(encoding="utf-8"))
    data["entry"].append({"request": {"method": "DELETE", "url": "ExplanationOfBenefit/x"}})
    with pytest.raises(InputError) as raised:
        read_eobs("eob.json", json.dumps(data).encode())
    (problem,) = raised.value.problems
    assert problem.message == "$.entry[3]: the Bundle records a deletion (a history answer)"
    assert "a search" in (problem.hint or "")
