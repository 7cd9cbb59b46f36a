"""Ledgers under ``ketacost check``: structure errors with positions (exit 2), entries that
name nothing the ledger knows as positioned warnings (exit 0), and files that cannot be used."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketacost.cli import app
from ketacost.errors import InputError
from ketacost.files.ledger import load_ledger

EXAMPLES = Path(__file__).parent.parent / "examples"

HEADER = """\
kind: ledger
clinic: los-angeles-iv
plan: acme.yaml
start: 2027-01-04
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLES / "plans" / "acme-ppo.yaml", tmp_path / "acme.yaml")
    return tmp_path


def write(folder: Path, body: str, name: str = "ledger.yaml") -> Path:
    path = folder / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def check(*paths: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["check", *map(str, paths)])
    return result.exit_code, result.stdout, result.stderr


def test_example_ledger_is_clean() -> None:
    code, out, err = check(EXAMPLES / "ledger.yaml")
    assert (code, out, err) == (0, "ok: 1 file checked, no problems\n", "")


def test_entries_naming_nothing_are_warnings_with_positions(folder: Path) -> None:
    path = write(
        folder,
        "entries:\n"
        "  - date: 2027-01-04\n"  # line 6
        "    visit: Sesion 1\n"  # line 7: a typo
        "    paid: 750\n"
        "  - date: 2027-01-05\n"
        "    claim: [Sesion 1]\n"  # line 10: names the visit as logged: no warning
        "  - date: 2027-02-20\n"
        "    eob: Session 9\n"  # line 12: a visit never logged
        "    allowed: 525\n"
        "    deductible: 525\n"
        "  - date: 2027-03-01\n"
        "    received: 234\n"
        "    for: Session 4\n",  # line 17: no claim filed for it
    )
    code, out, err = check(path)
    assert code == 0
    assert out == "ok: 1 file checked, no problems, 3 warnings above\n"
    assert f"{path}:7:12: warning: visit 'Sesion 1' matches no visit of the estimate" in err
    assert "hint: did you mean 'Session 1'? (kept as logged)" in err
    assert f"{path}:12:10: warning: an EOB for 'Session 9', a visit never logged" in err
    assert (
        f"{path}:17:10: warning: money received for 'Session 4', for which no claim was filed"
        in err
    )
    assert f"{path}:10:" not in err
    assert err.count("warning:") == 3


def test_eob_whose_figures_do_not_add_up_is_a_warning(folder: Path) -> None:
    path = write(
        folder,
        "entries:\n"
        "  - {date: 2027-01-04, visit: Session 1, paid: 750}\n"
        "  - date: 2027-02-20\n"
        "    eob: Session 1\n"
        "    allowed: 525\n"  # line 9
        "    deductible: 500\n"
        "    plan_pays: 20\n",
    )
    code, _, err = check(path)
    assert code == 0
    # 500 + 20 = 520, not 525
    assert (
        f"{path}:9:14: warning: the EOB's figures do not add up: allowed 525.00 but deductible"
        " + copay + coinsurance + plan pays = 520.00" in err
    )


def test_a_bad_entry_is_an_error_with_its_place(folder: Path) -> None:
    path = write(
        folder,
        "entries:\n"
        "  - date: 2027-01-04\n"
        "    visit: Session 1\n"
        "    payd: 750\n"  # line 8
        "  - date: 2027-01-05\n"  # line 9
        "    claim: [Session 1]\n"
        "    visit: Session 1\n",
    )
    code, out, err = check(path)
    assert code == 2
    assert out == ""
    assert f"{path}:8:5: error: unknown key 'payd' in entries.0" in err
    assert "did you mean 'paid'?" in err
    assert (
        f"{path}:9:5: error: entries.1: an entry holds exactly one of visit, claim, eob,"
        " received, charge, bill or appeal" in err
    )


def test_missing_plan_file_is_an_error_at_the_plan_key(folder: Path) -> None:
    path = folder / "ledger.yaml"
    path.write_text(HEADER.replace("acme.yaml", "plans/acme.yaml"), encoding="utf-8")
    code, _, err = check(path)
    assert code == 2
    assert f"{path}:3:7: error: the plan file " in err
    assert "does not exist" in err
    assert "Traceback" not in err


def test_missing_clinic_file_is_an_error_at_the_clinic_key(folder: Path) -> None:
    path = folder / "ledger.yaml"
    path.write_text(HEADER.replace("los-angeles-iv", "westside.yaml"), encoding="utf-8")
    code, _, err = check(path)
    assert code == 2
    assert f"{path}:2:9: error: the clinic file " in err
    assert "or a bundled profile name" in err


def test_unknown_scenario_is_an_error(folder: Path) -> None:
    path = write(folder, "scenario: Maybe\n")
    code, _, err = check(path)
    assert code == 2
    assert f"{path}:5:11: error: the plan has no scenario 'Maybe'" in err
    assert "'Denied', 'As written', 'Generous'" in err


def test_ledger_over_one_mib_is_refused(folder: Path) -> None:
    path = write(folder, "entries:\n" + "# padding\n" * (1024 * 1024 // 10 + 1))
    assert path.stat().st_size > 1024 * 1024
    code, _, err = check(path)
    assert code == 2
    assert "over the 1 MiB (1,048,576 bytes) limit" in err
    with pytest.raises(InputError, match="over the 1 MiB"):
        load_ledger(path)


def test_load_ledger_gives_warnings_as_values(folder: Path) -> None:
    path = write(folder, "entries:\n  - {date: 2027-01-04, visit: Booster 9, paid: 600}\n")
    loaded = load_ledger(path)
    assert loaded.clinic.name.startswith("Los Angeles")
    assert loaded.plan is not None and loaded.plan.name.startswith("Acme")
    assert [(w.line, w.severity) for w in loaded.warnings] == [(6, "warning")]


def test_init_ledger_writes_one_that_checks_and_takes_entries(folder: Path) -> None:
    path = folder / "sub" / "ledger.yaml"
    path.parent.mkdir()
    runner = CliRunner()
    args = ["init", "--ledger", str(path), "--clinic", "los-angeles-iv"]
    args += ["--plan", str(folder / "acme.yaml"), "--start", "2027-01-04"]
    # The plan has three scenarios and none is named: never the first ("Denied") by default.
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2 and not path.exists()
    assert "'Denied', 'As written', 'Generous'" in refused.stderr
    args += ["--scenario", "as written"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert "clinic: los-angeles-iv\nplan: ../acme.yaml\nscenario: As written" in text
    assert "start: 2027-01-04\nmonths: 12\n" in text
    assert text.endswith("entries:\n")
    assert check(path) == (0, "ok: 1 file checked, no problems\n", "")
    result = runner.invoke(app, ["log", str(path), "visit", "Session 1", "--paid", "750"])
    assert result.exit_code == 0, result.stderr
    assert load_ledger(path).ledger.entries[0].date is not None
    again = runner.invoke(app, args)
    assert again.exit_code == 2
    assert "already exists" in again.stderr


def test_init_ledger_names_its_schema_as_init_does_with_no_machine_path(folder: Path) -> None:
    import json

    path = folder / "sub" / "ledger.yaml"
    path.parent.mkdir()
    args = ["init", "--ledger", str(path), "--clinic", "los-angeles-iv", "--start", "2027-01-04"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=ledger.schema.json"
    assert str(folder) not in text and "file:" not in text
    schema = folder / "sub" / "ledger.schema.json"  # written beside it, so the name resolves
    assert json.loads(schema.read_text(encoding="utf-8"))["$id"] == "ledger.schema.json"
    # A schema already there (perhaps edited) is left as it is.
    schema.write_text("{}\n", encoding="utf-8")
    again = CliRunner().invoke(app, [*args, "--force"])
    assert again.exit_code == 0, again.stderr
    assert schema.read_text(encoding="utf-8") == "{}\n"


def test_init_ledger_needs_an_existing_clinic(folder: Path) -> None:
    result = CliRunner().invoke(
        app, ["init", "--ledger", str(folder / "l.yaml"), "--clinic", "nowhere.yaml"]
    )
    assert result.exit_code == 2
    assert "nowhere.yaml: error: no such clinic profile" in result.stderr
    assert not (folder / "l.yaml").exists()


def test_schema_takes_an_empty_entries_list_and_refuses_two_kinds_in_one_entry() -> None:
    import json

    from jsonschema import Draft202012Validator

    from ketacost.files.yaml_source import parse

    schema = json.loads((EXAMPLES.parent / "schema" / "ledger.schema.json").read_text())
    validator = Draft202012Validator(schema)
    empty = parse("l.yaml", HEADER + "entries:\n").data
    assert not list(validator.iter_errors(empty))
    both = parse(
        "l.yaml", HEADER + "entries:\n  - {date: 2027-01-04, visit: S, paid: 1, charge: X}\n"
    ).data
    assert list(validator.iter_errors(both))


def test_a_plan_without_terms_for_the_clinics_network_is_an_error(folder: Path) -> None:
    (folder / "clinic.yaml").write_text(
        "name: C\nseries: {sessions: 3, price: 500}\nbilling: {network: in-network}\n",
        encoding="utf-8",
    )
    path = folder / "ledger.yaml"
    path.write_text(HEADER.replace("los-angeles-iv", "clinic.yaml"), encoding="utf-8")
    code, _, err = check(path)
    assert code == 2
    assert "this clinic bills in-network; the plan" in err and "has no in_network terms" in err


def test_a_misspelt_clinic_or_plan_gets_the_closest_name(folder: Path) -> None:
    path = folder / "ledger.yaml"
    path.write_text(HEADER.replace("los-angeles-iv", "los-angeles-ivv"), encoding="utf-8")
    code, _, err = check(path)
    assert code == 2 and "did you mean 'los-angeles-iv'?" in err  # a bundled name
    (folder / "plans").mkdir()
    shutil.move(folder / "acme.yaml", folder / "plans" / "acme-ppo.yaml")
    path.write_text(HEADER.replace("acme.yaml", "plans/acme-pp.yaml"), encoding="utf-8")
    code, _, err = check(path)
    assert code == 2 and "did you mean 'plans/acme-ppo.yaml'?" in err  # a file beside it


def test_a_warning_about_one_label_of_a_list_points_at_that_label(tmp_path: Path) -> None:
    # in a block list the second label is on a line of its own: the warning names that line
    path = tmp_path / "ledger.yaml"
    path.write_text(
        f"kind: ledger\nclinic: {EXAMPLES / 'clinics' / 'westside.yaml'}\n"
        "start: 2027-01-04\nentries:\n"
        "  - {date: 2027-01-04, visit: Session 1, paid: 750}\n"
        "  - date: 2027-01-05\n    claim:\n      - Session 1\n      - Session 2\n",
        encoding="utf-8",
    )
    (warning,) = load_ledger(path).warnings
    assert (warning.line, warning.column) == (9, 9)
    assert "'Session 2'" in warning.message
