"""The person file, what every figure assumed, and defaults that never flatter.

One clinic throughout: six sessions at a flat $500, two a week from Monday
2027-01-04 (Jan 4, 7, 11, 14, 18, 21), out of network with a superbill:
6 × 500 = 3,000 charged. The plan allows 100% with no deductible and 20%
coinsurance, paying 30 days after each session: 3,000 × 0.8 = 2,400 back, the
last on 2027-01-21 + 30 days = 2027-02-20; net 3,000 − 2,400 = 600.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import assert_input_error
from typer.testing import CliRunner

from ketacost.cli import app
from ketacost.engine.ledger import match, spelled_as_estimated
from ketacost.engine.schedule import schedule
from ketacost.files.load import load_clinic
from ketacost.model.ledger import Ledger

D = Decimal
START = ["--start", "2027-01-04"]
CLINIC = """\
kind: clinic
name: Flat Five Hundred
series:
  sessions: 6
  per_week: 2
  price: 500
"""
PLAN = """\
kind: plan
name: Twenty percent
out_of_network:
  allowed: 100%
  coinsurance: 20%
claims:
  paid_after_days: 30
"""
TOTAL = 6 * 500
BACK = TOTAL * D("0.8")  # 2,400
PERSON = """\
kind: person
plan: plan.yaml
tax:
  filing: single
  agi: 85000
  marginal_rate: 22%
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder holding the clinic, the plan and a person file; the tests run two
    folders below it, with no $KETACOST_CONFIG."""
    home = tmp_path / "home"
    deep = home / "treatment" / "notes"
    deep.mkdir(parents=True)
    (home / "clinic.yaml").write_text(CLINIC, encoding="utf-8")
    (home / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (home / "ketacost.yaml").write_text(PERSON, encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("KETACOST_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config-here"))
    monkeypatch.chdir(deep)
    return home


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def estimate_json(*args: object) -> dict:
    code, out, err = run("estimate", *args, *START, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def said(data: dict, what: str) -> dict:
    return next(a for a in data["assumptions"] if a["what"] == what)


# --- where the person file is found, and what wins over it ---------------------------------------


def test_found_in_a_parent_folder_it_sets_the_plan_and_the_tax(home: Path) -> None:
    data = estimate_json(home / "clinic.yaml")
    (scenario,) = data["scenarios"]
    assert D(scenario["reimbursed"]) == BACK
    assert D(scenario["net"]) == TOTAL - BACK
    assert data["tax"] is not None
    assert said(data, "plan")["from"] == "person file"
    assert said(data, "marginal tax rate") == {
        "what": "marginal tax rate",
        "value": "22%",
        "from": "person file",
    }
    assert said(data, "filing status")["value"] == "single"


def test_no_config_ignores_it(home: Path) -> None:
    data = estimate_json(home / "clinic.yaml", "--no-config")
    (scenario,) = data["scenarios"]
    assert (D(scenario["reimbursed"]), D(scenario["net"])) == (0, TOTAL)
    assert data["tax"] is None
    assert said(data, "plan") == {
        "what": "plan",
        "value": "none: you pay every charge yourself",
        "from": "default",
    }


def test_a_flag_beats_it(home: Path) -> None:
    half = home / "half.yaml"
    half.write_text(PLAN.replace("20%", "50%"), encoding="utf-8")
    data = estimate_json(home / "clinic.yaml", "--plan", half, "--marginal-rate", "24%")
    assert D(data["scenarios"][0]["reimbursed"]) == TOTAL * D("0.5")
    assert said(data, "plan")["from"] == "flag"
    assert said(data, "marginal tax rate") == {
        "what": "marginal tax rate",
        "value": "24%",
        "from": "flag",
    }
    assert said(data, "adjusted gross income")["from"] == "person file"


def test_config_names_one_and_the_environment_variable_another(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = home / "elsewhere.yaml"
    other.write_text("kind: person\n", encoding="utf-8")
    assert estimate_json(home / "clinic.yaml", "--config", other)["tax"] is None
    monkeypatch.setenv("KETACOST_CONFIG", str(other))
    assert estimate_json(home / "clinic.yaml")["tax"] is None
    missing = home / "missing.yaml"
    monkeypatch.setenv("KETACOST_CONFIG", str(missing))
    code, out, err = run("estimate", home / "clinic.yaml", *START)
    assert (code, out) == (2, "")
    assert str(missing) in err and "no such file" in err


def test_the_user_config_folder_is_read_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "xdg" / "ketacost"
    config.mkdir(parents=True)
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "clinic.yaml").write_text(CLINIC, encoding="utf-8")
    (config / "ketacost.yaml").write_text(
        f"kind: person\nplan: {tmp_path / 'plan.yaml'}\n", encoding="utf-8"
    )
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    monkeypatch.delenv("KETACOST_CONFIG")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # the current folder is outside it
    monkeypatch.chdir(elsewhere)
    data = estimate_json(tmp_path / "clinic.yaml")
    assert D(data["scenarios"][0]["reimbursed"]) == BACK


def test_a_bad_person_file_is_refused_with_its_position(home: Path) -> None:
    (home / "ketacost.yaml").write_text(PERSON + "scenaro: As written\n", encoding="utf-8")
    code, out, err = run("estimate", home / "clinic.yaml", *START)
    assert (code, out) == (2, "")
    assert "ketacost.yaml:7:1:" in err and "scenario" in err
    assert "Traceback" not in err


def test_check_and_schema_know_the_person_file(home: Path) -> None:
    code, out, err = run("check", home / "ketacost.yaml")
    assert (code, err) == (0, "")
    assert out.startswith("ok: 1 file checked")
    code, out, _ = run("schema", "person")
    assert code == 0 and json.loads(out)["$id"] == "person.schema.json"


def test_a_person_file_scenario_the_plan_lacks_names_both(home: Path) -> None:
    plan = home / "odds.yaml"
    plan.write_text(
        PLAN + "scenarios:\n  - name: Denied\n    covered: false\n  - name: Paid\n",
        encoding="utf-8",
    )
    (home / "ketacost.yaml").write_text(
        "kind: person\nplan: odds.yaml\nscenario: As written\n", encoding="utf-8"
    )
    code, out, err = run("estimate", home / "clinic.yaml", *START)
    assert (code, out) == (2, "")
    assert "ketacost.yaml:3:11:" in err and "odds.yaml" in err and "'As written'" in err


def test_init_person_writes_a_file_every_command_reads(home: Path) -> None:
    target = home / "treatment" / "ketacost.yaml"
    code, _, err = run(
        "init",
        "--person",
        target,
        "--no-input",
        "--plan",
        "../../plan.yaml",  # from where init runs (home/treatment/notes)
        "--filing",
        "joint",
        "--agi",
        "120000",
        "--marginal-rate",
        "24%",
        "--state",
        "nj",
    )
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    # written from the person file's own folder (home/treatment), which reads it from there
    assert "kind: person\nplan: ../plan.yaml" in text and "state: NJ" in text
    assert (home / "treatment" / "person.schema.json").exists()
    data = estimate_json(home / "clinic.yaml")  # the nearer file now wins
    assert said(data, "filing status") == {
        "what": "filing status",
        "value": "joint",
        "from": "person file",
    }


# --- defaults that never flatter ----------------------------------------------------------------


def test_a_plan_from_flags_must_state_allowed_and_coinsurance() -> None:
    # --deductible 2000 alone once meant 100% allowed and 0% coinsurance: most of the bill back.
    result = CliRunner().invoke(app, ["estimate", *START, "--deductible", "2000"])
    assert_input_error(result)
    assert "--allowed and --coinsurance" in result.stderr
    assert "--allowed 70% --coinsurance 40%" in result.stderr


def test_terms_a_plan_file_leaves_out_are_listed_as_assumed(home: Path) -> None:
    data = estimate_json(home / "clinic.yaml", "--no-config", "--plan", home / "plan.yaml")
    assert said(data, "coinsurance (out-of-network)") == {
        "what": "coinsurance (out-of-network)",
        "value": "20%",
        "from": "plan",
    }
    assert said(data, "deductible (out-of-network)") == {
        "what": "deductible (out-of-network)",
        "value": "$0.00",
        "from": "default",
    }
    assert said(data, "months") == {"what": "months", "value": "12", "from": "default"}
    assert said(data, "start")["from"] == "flag"
    code, out, _ = run(
        "estimate", home / "clinic.yaml", "--no-config", "--plan", home / "plan.yaml", *START
    )
    assert code == 0
    assumed = out.split("Assumed — not stated by you:")[1]
    assert "– deductible (out-of-network): $0.00" in assumed
    assert "coinsurance" not in assumed.split("IV infusion")[0]


def test_the_estimate_opens_with_the_answer(home: Path) -> None:
    code, out, _ = run("estimate", home / "clinic.yaml", *START, "--width", "120")
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == "Up front: at most $3,000.00 out of your pocket at once (peak outlay)."
    assert lines[2] == "Back: $2,400.00 from the plan, the last of it by 2027-02-20."
    assert lines[3] == f"Net: ${TOTAL - BACK:,.2f}, in the 'Twenty percent' scenario."
    assert lines[4].startswith("Assumed: ") and "you did not state" in lines[4]
    assert lines[5].startswith("From your person file (")
    code, html, _ = run("estimate", home / "clinic.yaml", *START, "--format", "html")
    assert html.index("Up front: at most $3,000.00") < html.index("<table")


# --- ledger labels ------------------------------------------------------------------------------


def test_labels_match_regardless_of_case_and_spaces(tmp_path: Path) -> None:
    clinic_file = tmp_path / "clinic.yaml"
    clinic_file.write_text(CLINIC, encoding="utf-8")
    events = schedule(load_clinic(clinic_file), _day(), 12)
    ledger = Ledger.model_validate(
        {
            "clinic": "clinic.yaml",
            "start": "2027-01-04",
            "entries": [
                {"date": "2027-01-04", "visit": "session 1", "paid": 500},
                {"date": "2027-01-07", "visit": "SESSION  2", "paid": 500},
                {"date": "2027-01-08", "claim": ["session 1", "Session 2"]},
            ],
        }
    )
    matched = match(ledger, events)
    assert [matched.charges[i].label for i in (0, 1)] == ["Session 1", "Session 2"]
    spelled = spelled_as_estimated(ledger, events)
    assert [e.visit for e in spelled.entries[:2]] == ["Session 1", "Session 2"]
    assert spelled.entries[2].claim == ("Session 1", "Session 2")


def _day():  # the ledger's start: Monday 2027-01-04
    import datetime as dt

    return dt.date(2027, 1, 4)


def test_check_looks_in_subfolders(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "clinic.yaml").write_text(CLINIC, encoding="utf-8")
    (tmp_path / "a" / "plan.yaml").write_text(PLAN, encoding="utf-8")
    code, out, err = run("check", tmp_path)
    assert (code, err) == (0, "")
    assert out == "ok: 2 files checked, no problems\n"


def test_plan_from_standard_input_prices_every_clinic(tmp_path: Path) -> None:
    first = tmp_path / "one.yaml"
    second = tmp_path / "two.yaml"
    first.write_text(CLINIC, encoding="utf-8")
    second.write_text(CLINIC.replace("price: 500", "price: 400"), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["compare", str(first), str(second), "--plan", "-", *START, "-f", "json"], input=PLAN
    )
    assert result.exit_code == 0, result.stderr
    backs = [D(item["scenarios"][0]["reimbursed"]) for item in json.loads(result.stdout)]
    assert backs == [6 * 400 * D("0.8"), BACK]


# --- compare like for like, and the scenario that stands for you ---------------------------------

BOOSTED = CLINIC.replace("Flat Five Hundred", "Boosted Four Hundred").replace(
    "price: 500", "price: 400"
) + ("maintenance:\n  - kind: booster\n    every_weeks: 4\n    price: 450\n    after_weeks: 4\n")
ODDS = PLAN + ("scenarios:\n  - name: Denied\n    covered: false\n  - name: As written\n")


def test_compare_says_when_clinics_do_not_price_the_same_things(tmp_path: Path) -> None:
    flat, boosted = tmp_path / "flat.yaml", tmp_path / "boosted.yaml"
    flat.write_text(CLINIC, encoding="utf-8")
    boosted.write_text(BOOSTED, encoding="utf-8")
    code, out, _ = run("compare", flat, boosted, *START, "--width", "200")
    assert code == 0
    assert (
        "⚠ Not like for like: Boosted Four Hundred prices maintenance after the series;"
        " 1 other clinic does not."
    ) in out
    assert "--series-only" in out
    assert "Clinics ranked by net cost (self-pay)" in out
    # The series alone: 6 × 400 = 2,400 against 6 × 500 = 3,000.
    code, out, _ = run("compare", flat, boosted, *START, "--series-only", "-f", "json")
    data = json.loads(out)
    assert [item["clinic"]["name"] for item in data] == [
        "Boosted Four Hundred",
        "Flat Five Hundred",
    ]
    assert [D(item["total"]) for item in data] == [6 * 400, 6 * 500]


def test_series_only_keeps_a_series_column_past_the_nets(tmp_path: Path) -> None:
    flat, boosted = tmp_path / "flat.yaml", tmp_path / "boosted.yaml"
    flat.write_text(CLINIC, encoding="utf-8")
    boosted.write_text(BOOSTED, encoding="utf-8")
    code, out, _ = run("compare", flat, boosted, *START, "--series-only", "--width", "60")
    assert code == 0
    assert "Not like for like" not in out
    assert "Series" in out and "$2,400.00" in out


def test_rank_by_names_its_figure(tmp_path: Path) -> None:
    flat, boosted = tmp_path / "flat.yaml", tmp_path / "boosted.yaml"
    flat.write_text(CLINIC, encoding="utf-8")
    boosted.write_text(BOOSTED, encoding="utf-8")
    code, out, _ = run("compare", flat, boosted, *START, "--rank-by", "series", "--width", "200")
    assert code == 0 and "Clinics ranked by the induction series' price" in out
    table = out.split("Clinics ranked by")[1]
    assert table.index("Boosted Four Hundred") < table.index("Flat Five Hundred")
    code, out, _ = run("compare", flat, boosted, *START, "--rank-by", "total", "--width", "200")
    assert code == 0 and "Clinics ranked by total charged" in out
    # Boosters every 4 weeks after week 4 make the cheaper series the dearer treatment.
    table = out.split("Clinics ranked by")[1]
    assert table.index("Flat Five Hundred") < table.index("Boosted Four Hundred")
    code, _, err = run("compare", flat, boosted, *START, "--rank-by", "expected-net")
    assert code == 2 and "no expected net" in err


def test_sweep_never_ranks_a_denied_first_scenario_by_default(tmp_path: Path) -> None:
    clinic, plan = tmp_path / "clinic.yaml", tmp_path / "odds.yaml"
    clinic.write_text(CLINIC, encoding="utf-8")
    plan.write_text(ODDS, encoding="utf-8")
    vary = ["--vary", "series.price=500,400"]
    code, out, err = run("sweep", clinic, "--plan", plan, *vary, *START, "-f", "csv")
    assert (code, out) == (2, "")
    assert "'Denied', 'As written'" in err
    code, out, err = run(
        "sweep", clinic, "--plan", plan, *vary, *START, "-f", "csv", "--scenario", "As Written"
    )
    assert code == 0, err
    rows = out.splitlines()[1:]
    # As written: 6 × 400 = 2,400 charged, 20% of it net = 480.
    assert rows[1].split(",")[:2] == ["400", f"{6 * 400 * D('0.2'):.2f}"]
    assert "scenario standing for you" not in err  # stated by a flag: not "assumed"


def test_log_writes_the_estimates_spelling(tmp_path: Path) -> None:
    (tmp_path / "clinic.yaml").write_text(CLINIC, encoding="utf-8")
    ledger = tmp_path / "ledger.yaml"
    ledger.write_text(
        "kind: ledger\nclinic: clinic.yaml\nstart: 2027-01-04\nentries:\n", encoding="utf-8"
    )
    code, _, err = run(
        "log", ledger, "visit", "session   1", "--paid", "500", "--date", "2027-01-04"
    )
    assert code == 0, err
    assert "visit 'Session 1'" in err
    code, _, err = run("log", ledger, "visit", "SESSION 1", "--paid", "500", "--date", "2027-01-05")
    assert code == 0
    assert "'Session 1' is logged twice" in err  # one visit, never counted twice silently
    text = ledger.read_text(encoding="utf-8")
    assert text.count("visit: Session 1\n") == 2


def test_the_user_config_folder_is_the_one_platformdirs_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from platformdirs import user_config_path

    from ketacost.files.person import user_config_folder

    for xdg in (str(tmp_path / "xdg"), ""):
        monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert user_config_folder() == user_config_path("ketacost")


def test_status_reads_the_person_files_ledger_and_scenario(home: Path) -> None:
    (home / "odds.yaml").write_text(
        PLAN + "scenarios:\n  - name: Denied\n    covered: false\n  - name: As written\n",
        encoding="utf-8",
    )
    (home / "ledger.yaml").write_text(
        "kind: ledger\nclinic: clinic.yaml\nplan: odds.yaml\nstart: 2027-01-04\nentries:\n"
        "  - date: 2027-01-04\n    visit: Session 1\n    paid: 500\n",
        encoding="utf-8",
    )
    (home / "ketacost.yaml").write_text(
        "kind: person\nledger: ledger.yaml\nscenario: as written\n", encoding="utf-8"
    )
    code, out, err = run("status", "--as-of", "2027-01-05", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    chosen = {"what": "scenario standing for you", "value": "As written", "from": "person file"}
    assert chosen in data["assumptions"]
    assert {"what": "ledger", "value": str(home / "ledger.yaml"), "from": "person file"} in (
        data["assumptions"]
    )
    # Without the person file the plan's two scenarios leave nothing to choose by.
    code, out, err = run("status", home / "ledger.yaml", "--no-config", "--as-of", "2027-01-05")
    assert (code, out) == (2, "")
    assert "'Denied', 'As written'" in err


def test_a_person_files_hsa_beside_medicare_is_a_warning_not_an_error(home: Path) -> None:
    (home / "medicare.yaml").write_text(
        "kind: plan\nname: Part B\ncoverage: medicare\nin_network:\n  deductible: 283\n"
        "  coinsurance: 20%\n",
        encoding="utf-8",
    )
    (home / "ketacost.yaml").write_text(
        "kind: person\nplan: medicare.yaml\nhsa: self\ntax:\n  marginal_rate: 22%\n",
        encoding="utf-8",
    )
    clinic = home / "in.yaml"
    clinic.write_text(CLINIC + "billing:\n  network: in-network\n", encoding="utf-8")
    data = estimate_json(clinic)
    assert any("HSA" in w and "Medicare" in w for w in data["warnings"])
    # left out, it is not listed as assumed funded either
    assert all(not a["what"].startswith("HSA") for a in data["assumptions"])
    assert all(year["hsa_fsa"] == "0.00" for year in data["tax"]["years"])
    code, _, err = run("estimate", clinic, *START, "--hsa", "self")
    assert code == 2 and "HSA" in err  # stated on the command line, it is refused


def test_a_person_file_with_an_hsa_and_an_fsa_is_refused_at_the_fsa(home: Path) -> None:
    # a general-purpose health FSA rules an HSA out (IRS Pub 969), as --hsa with --fsa is
    (home / "ketacost.yaml").write_text(
        "kind: person\nhsa: self\nfsa: 3400\ntax:\n  marginal_rate: 22%\n", encoding="utf-8"
    )
    code, out, err = run("estimate", home / "clinic.yaml", *START)
    assert (code, out) == (2, "")
    assert f"{home / 'ketacost.yaml'}:3:1: error: fsa: an HSA and a health FSA cannot both" in err
    # fsa: 0 is the plain way to say there is none
    (home / "ketacost.yaml").write_text(
        "kind: person\nhsa: self\nfsa: 0\ntax:\n  marginal_rate: 22%\n", encoding="utf-8"
    )
    code, _, err = run("estimate", home / "clinic.yaml", *START)
    assert code == 0, err
    assert "FSA" not in err


def test_an_hsa_without_a_plan_file_says_its_eligibility_was_not_checked(home: Path) -> None:
    data = estimate_json(
        home / "clinic.yaml", "--no-config", "--hsa", "self", "--marginal-rate", "22%"
    )
    assert said(data, "HSA-eligible plan") == {
        "what": "HSA-eligible plan",
        "value": "not checked without a plan file: an HSA needs a high-deductible plan",
        "from": "default",
    }
    (home / "hdhp.yaml").write_text(
        "kind: plan\nname: HDHP\nin_network:\n  deductible: 1750\n  out_of_pocket_max: 8700\n"
        "out_of_network:\n  deductible: 3400\n  coinsurance: 40%\n  allowed: 70%\n",
        encoding="utf-8",
    )
    data = estimate_json(
        home / "clinic.yaml", "--no-config", "--plan", home / "hdhp.yaml", "--hsa", "self",
        "--marginal-rate", "22%",
    )  # fmt: skip
    assert all(a["what"] != "HSA-eligible plan" for a in data["assumptions"])


def test_compare_series_price_is_the_whole_series(tmp_path: Path) -> None:
    flat = tmp_path / "flat.yaml"
    flat.write_text(CLINIC, encoding="utf-8")
    code, out, _ = run("compare", flat, *START, "--width", "200")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("1 "))
    # #, clinic, modality, then the series price: 6 × 500, not one session's $500.
    after_modality = row.split("IV infusion")[1].split()
    assert after_modality[0] == f"${6 * 500:,.2f}"


def test_the_bundled_clinics_with_and_without_boosters_are_not_like_for_like() -> None:
    code, out, _ = run("compare", "los-angeles-iv", "median-iv", *START, "--width", "200")
    assert code == 0
    assert (
        "⚠ Not like for like: Los Angeles IV ketamine clinic (Allure reference) prices"
        " maintenance after the series; 1 other clinic does not." in out
    )


def test_an_fsa_election_below_the_limit_is_left_out_not_counted_to_it(home: Path) -> None:
    from ketacost.engine.taxfigures import figures_for

    limit = figures_for(2027).fsa
    base = "kind: person\nplan: plan.yaml\ntax:\n  marginal_rate: 22%\n"
    (home / "ketacost.yaml").write_text(base + f"fsa: {limit - 1}\n", encoding="utf-8")
    data = estimate_json(home / "clinic.yaml")
    assert data["tax"] is not None
    assert any("FSA" in w and "left out" in w for w in data["warnings"])
    assert all(a["what"] != "health FSA funded" for a in data["assumptions"])
    (home / "ketacost.yaml").write_text(base + f"fsa: {limit}\n", encoding="utf-8")
    data = estimate_json(home / "clinic.yaml")
    assert not any("FSA" in w for w in data["warnings"])
    assert said(data, "health FSA funded") == {
        "what": "health FSA funded",
        "value": "to the year's limit",
        "from": "default",
    }


def test_a_birth_date_is_judged_in_each_tax_year(tmp_path: Path) -> None:
    # Born 1962-06-01: 65 in 2027, not in 2026. high-end-iv every two weeks from
    # 2026-12-01: $1,000 on Dec 1, 15, 29 and Jan 12, 26, Feb 9, so $3,000 a year. AGI
    # $20,000: the floor is 7.5% = $1,500, the deduction $3,000 − $1,500 = $1,500 a year.
    # With $16,000 of other itemized deductions that is $17,500 itemized:
    #   2026: above the $16,100 standard deduction by $1,400, saving 22% × 1,400 = $308;
    #   2027: below $16,100 + $2,050 (65 or older) = $18,150, saving $0.
    person = tmp_path / "me.yaml"
    person.write_text(
        "kind: person\nborn: 1962-06-01\n"
        "tax: {filing: single, agi: 20000, marginal_rate: 22%, other_itemized: 16000}\n",
        encoding="utf-8",
    )
    code, out, err = run(
        "estimate", "high-end-iv", "--config", person, "--start", "2026-12-01", "--months", "3",
        "--set", "series.per_week=0.5", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    tax = json.loads(out)["tax"]
    saved = {year["year"]: year["saving"] for year in tax["years"]}
    assert saved == {2026: f"{Decimal('0.22') * 1400:.2f}", 2027: "0.00"}
    assert (tax["over_65"], tax["turns_65"]) == (0, 2027)
    code, out, err = run(
        "estimate", "high-end-iv", "--config", person, "--start", "2026-12-01", "--months", "3",
        "--set", "series.per_week=0.5",
    )  # fmt: skip
    said = " ".join(out.split())
    assert "other itemized deductions $16,000.00; 65 or older from 2027" in said
    assert "people 65 or older" not in said  # stated by the birth date: not assumed


def test_over_65_false_stands_whatever_the_birth_date(tmp_path: Path) -> None:
    # a stated over_65 is the person's own word: the birth date is not read against it
    person = tmp_path / "me.yaml"
    person.write_text(
        "kind: person\nborn: 1963-03-10\nover_65: false\n"
        "tax: {filing: single, agi: 40000, marginal_rate: 22%}\n",
        encoding="utf-8",
    )
    code, out, err = run(
        "estimate", "--config", person, "--start", "2027-06-01", "--months", "24", "-f", "json"
    )
    assert code == 0, err
    tax = json.loads(out)["tax"]
    assert (tax["over_65"], tax["turns_65"]) == (0, None)


def test_init_person_reads_paths_from_where_it_runs(home: Path) -> None:
    # run from home/treatment/notes, writing into another folder: the ledger named as
    # "ledger.yaml" is the one here, and the file names it from its own folder
    target = home / "config" / "ketacost.yaml"
    target.parent.mkdir()
    code, _, err = run(
        "init", "--person", target, "--no-input", "--ledger-file", "ledger.yaml", "--state", "nj"
    )
    assert code == 0, err
    written = next(
        line.split("#")[0].split(":", 1)[1].strip()
        for line in target.read_text(encoding="utf-8").splitlines()
        if line.startswith("ledger:")
    )
    assert written == "../treatment/notes/ledger.yaml"
    assert (target.parent / written).resolve() == (Path.cwd() / "ledger.yaml").resolve()


def test_init_ledger_writes_the_ledger_the_person_file_names(home: Path) -> None:
    # the person file says where the ledger lives: log and status look there, so init
    # --ledger writes it there, and says what it took from the person file
    (home / "ketacost.yaml").write_text(
        PERSON + "ledger: records/treatment.yaml\n", encoding="utf-8"
    )
    args = ("init", "--ledger", "--clinic", "median-iv", "--start", "2027-01-04")
    code, _, err = run(*args)
    assert code == 2 and "its folder" in err and "does not exist" in err  # nothing written
    (home / "records").mkdir()
    code, _, err = run(*args)
    assert code == 0, err
    assert (home / "records" / "treatment.yaml").is_file()
    assert not (Path.cwd() / "ledger.yaml").exists()
    assert "From your person file" in err and "the plan" in err
    code, _, err = run("log", "visit", "Session 1", "--paid", "590", "--date", "2027-01-04")
    assert code == 0, err


def test_sweep_says_what_it_took_from_the_person_file(home: Path) -> None:
    args = ("sweep", home / "clinic.yaml", "--start", "2027-01-04")
    code, out, err = run(*args, "--vary", "months=3,6")
    assert code == 0, err
    assert "From your person file" in out and "plan plan.yaml" in out
    code, out, err = run(*args, "--vary", "months=3,6", "--format", "csv")
    assert code == 0, err
    assert "From your person file" in err and "From your person file" not in out


def test_init_person_keeps_absolute_and_home_paths_and_links(home: Path) -> None:
    # an absolute path or one from ~ reads the same wherever the file moves: kept as given;
    # a relative one through a link keeps the link's name (the path is not resolved)
    target = home / "config" / "ketacost.yaml"
    target.parent.mkdir()
    (Path.cwd() / "plans").symlink_to(home)
    for given, written in (
        (str(home / "plan.yaml"), str(home / "plan.yaml")),
        ("~/plan.yaml", "~/plan.yaml"),
        ("plans/plan.yaml", "../treatment/notes/plans/plan.yaml"),
    ):
        code, _, err = run("init", "--person", target, "--force", "--no-input", "--plan", given)
        assert code == 0, (given, err)
        plan = next(
            line.split("#")[0].split(":", 1)[1].strip().strip('"')
            for line in target.read_text(encoding="utf-8").splitlines()
            if line.startswith("plan:")
        )
        assert plan == written, given
    missing = home / "nowhere" / "ketacost.yaml"
    code, _, err = run("init", "--person", missing, "--no-input", "--plan", str(home / "plan.yaml"))
    assert code == 2 and "its folder" in err and "does not exist" in err
