"""The person file read by every command: --config and --no-config, its ledger as the default
LEDGER, its tax figures in the tax year, what it fills in a letter, and the scenario that
stands for you in compare's budget check, compare's chart and a sweep's net.

The clinic of the compare and sweep tests: six sessions at a flat $500 from Monday
2027-01-04 (Jan 4, 7, 11, 14, 18, 21), 6 × 500 = 3,000 charged in January. The plan
allows 100% at 20% coinsurance and pays 30 days after each session (Feb 3 to Feb 20):
"As written" gets 3,000 × 0.8 = 2,400 back, net 600; "Denied" gets nothing, net 3,000.
With odds of 25% denied and 75% as written, the expected net is
0.25 × 3,000 + 0.75 × 600 = 750 + 450 = 1,200.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from ketacost.cli import app

D = Decimal
ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
FHIR = Path(__file__).parent / "fixtures" / "fhir"
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
NAMED = PLAN + "scenarios:\n  - name: Denied\n    covered: false\n  - name: As written\n"
ODDS = (
    PLAN + "scenarios:\n  - name: Denied\n    covered: false\n    probability: 25%\n"
    "  - name: As written\n    probability: 75%\n"
)
AS_WRITTEN = 3000 - 3000 * D("0.8")  # 600
EXPECTED = D("0.25") * 3000 + D("0.75") * AS_WRITTEN  # 1,200


def run(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "120"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """The example ledger in a folder with a person file naming it; returns the person file."""
    shutil.copytree(EXAMPLES / "plans", tmp_path / "plans")
    shutil.copy(EXAMPLES / "ledger.yaml", tmp_path / "ledger.yaml")
    person = tmp_path / "me.yaml"
    person.write_text("kind: person\nledger: ledger.yaml\n", encoding="utf-8")
    return person


# --- --config and --no-config on every command that reads person data ----------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["check", "examples/clinics"],
        ["log", "visit", "-h"],
        ["calendar"],
        ["letter", "claim-status"],
        ["import", "eob", "bundle.json"],
        ["export", "--to", "csv"],
    ],
)
def test_each_command_takes_config_and_no_config(command: list[str]) -> None:
    group = command[:2] if command[0] == "import" else command[:1]
    _, out, _ = run(*group, "--help")
    assert "--config" in out and "--no-config" in out


def test_a_missing_config_file_is_refused_by_each(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    for args in (
        ["letter", "claim-status", "--config", missing],
        ["export", "--to", "csv", "--config", missing],
        ["calendar", "--config", missing],
        ["log", "--config", missing, "visit", "Session 1", "--paid", "1"],
        ["import", "eob", FHIR / "bundle-two-eobs.json", "--config", missing],
    ):
        code, out, err = run(*args)
        assert (code, out) == (2, ""), args
        assert "nowhere.yaml" in err, args


# --- the person file's ledger is the default LEDGER ---------------------------------------------


def test_letter_and_export_read_the_person_files_ledger(story: Path) -> None:
    ledger = story.parent / "ledger.yaml"
    code, out, err = run("letter", "claim-status", "--as-of", "2027-03-15", "--config", story)
    assert code == 0, err
    # what came from the person file is said on standard error, first
    taken, _, rest = err.partition("\n")
    assert taken.startswith("From your person file (") and "ledger ledger.yaml" in taken
    named = run("letter", "claim-status", ledger, "--as-of", "2027-03-15", "--no-config")
    assert named == (0, out, rest)  # the same letter, and the same note on standard error
    code, out, err = run("export", "--to", "csv", "--config", story)
    assert code == 0, err
    assert err.startswith("From your person file (") and "ledger ledger.yaml" in err
    assert run("export", ledger, "--to", "csv", "--no-config") == (0, out, "")
    # --no-config: no ledger named by anyone
    code, out, err = run("export", "--to", "csv", "--config", story, "--no-config")
    assert (code, out) == (2, "")
    assert "no ledger named" in err


def test_calendar_without_a_source_uses_the_person_files_ledger(story: Path) -> None:
    out = story.parent / "treatment.ics"
    code, _, err = run("calendar", "--as-of", "2027-03-15", "-o", out, "--config", story)
    assert code == 0, err
    assert "From your person file (" in err and "ledger ledger.yaml" in err
    calendar = Calendar.from_ical(out.read_bytes())
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    # the ledger's deadlines (a clinic alone has none), e.g. a claim to file
    assert any(s.startswith("File the claim") for s in summaries), summaries
    code, _, err = run("calendar", "--as-of", "2027-03-15", "-o", out, "--no-config")
    assert code == 0, err
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")]
    assert not any(s.startswith("File the claim") for s in summaries)


def test_log_with_a_subcommand_first_appends_to_the_person_files_ledger(story: Path) -> None:
    ledger = story.parent / "ledger.yaml"
    before = ledger.read_text(encoding="utf-8")
    code, _, err = run("log", "--config", story, "bill", "3900", "--date", "2027-04-01")
    assert code == 0, err
    assert f"logged in {ledger}" in err
    after = ledger.read_text(encoding="utf-8")
    assert after.startswith(before) and "bill: 3900" in after[len(before) :]
    # The ledger named first still works, and wins over the person file's.
    other = story.parent / "other.yaml"
    other.write_text(before, encoding="utf-8")
    code, _, err = run("log", "--config", story, other, "bill", "3900", "--date", "2027-04-02")
    assert code == 0, err
    assert ledger.read_text(encoding="utf-8") == after
    assert "2027-04-02" in other.read_text(encoding="utf-8")


def test_log_takes_the_person_file_after_the_entry_as_every_command_does(story: Path) -> None:
    ledger = story.parent / "ledger.yaml"
    before = ledger.read_text(encoding="utf-8")
    code, _, err = run("log", "bill", "3900", "--date", "2027-04-01", "--config", story)
    assert code == 0, err
    assert f"logged in {ledger}" in err
    code, _, err = run("log", "bill", "3950", "--config=" + str(story), "--date", "2027-04-02")
    assert code == 0, err
    added = ledger.read_text(encoding="utf-8")[len(before) :]
    assert "bill: 3900" in added and "bill: 3950" in added and "2027-04-02" in added
    # --no-config after the entry: no person file, so no ledger either
    code, out, err = run("log", "bill", "4000", "--no-config")
    assert (code, out) == (2, "") and "no ledger named" in err
    # a ledger named first, the person file last: the ledger named wins, as before
    other = story.parent / "other.yaml"
    other.write_text(before, encoding="utf-8")
    code, _, err = run("log", other, "bill", "3900", "--date", "2027-04-03", "--config", story)
    assert code == 0, err
    assert "2027-04-03" in other.read_text(encoding="utf-8")
    assert "2027-04-03" not in ledger.read_text(encoding="utf-8")


def test_log_moves_no_argument_after_a_double_dash(story: Path) -> None:
    missing = story.parent / "nobody.txt"
    code, _, err = run("log", "--config", story, "visit", "--paid", "5", "--", "--config", missing)
    # after --, "--config" is the visit's label and the file an argument too many
    assert code == 2 and "unexpected extra argument" in err.lower(), err
    assert "nobody.txt" in err


def test_log_without_a_ledger_anywhere_says_how_to_name_one(tmp_path: Path) -> None:
    code, out, err = run("log", "--no-config", "bill", "3900")
    assert (code, out) == (2, "")
    assert "no ledger named" in err and "ledger:" in err


def test_import_eob_reads_the_person_files_ledger(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "plans", tmp_path / "plans")
    text = (EXAMPLES / "ledger.yaml").read_text(encoding="utf-8")
    kept, skipping = [], False
    for line in text.splitlines(keepends=True):  # the two hand-logged EOBs taken out
        if line.startswith("  - "):
            skipping = line.strip() in ("- date: 2027-02-20", "- date: 2027-03-01")
        if not skipping:
            kept.append(line)
    ledger = tmp_path / "ledger.yaml"
    ledger.write_text("".join(kept), encoding="utf-8")
    person = tmp_path / "me.yaml"
    person.write_text("kind: person\nledger: ledger.yaml\n", encoding="utf-8")
    code, _, err = run("import", "eob", FHIR / "bundle-two-eobs.json", "--config", person)
    assert code == 0, err
    assert f"imported into {ledger}" in err
    assert ledger.read_text(encoding="utf-8").count("eob:") == 2


def test_check_with_no_file_checks_the_person_file(tmp_path: Path) -> None:
    bad = tmp_path / "me.yaml"
    bad.write_text("kind: person\nstate: New Jersey\n", encoding="utf-8")
    code, out, err = run("check", "--config", bad)
    assert code == 2 and "me.yaml:2" in err
    good = tmp_path / "ok.yaml"
    good.write_text("kind: person\nstate: NJ\n", encoding="utf-8")
    code, out, err = run("check", "--config", good)
    assert code == 0, err
    assert out == "ok: 1 file checked, no problems\n"
    code, out, err = run("check", "--no-config")
    assert (code, out) == (2, "")
    assert "no file to check" in err


# --- the tax year reads the person file's miles and tax figures -----------------------------------


def tax_year(*flags: object) -> dict[str, Any]:
    ledger = EXAMPLES / "ledger.yaml"
    code, out, err = run("status", ledger, "--year", "2027", "--tax", "-f", "json", *flags)
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def said(data: dict[str, Any], what: str) -> dict[str, str]:
    return next(a for a in data["assumptions"] if a["what"] == what)


def test_the_tax_year_takes_miles_and_tax_from_the_person_file(tmp_path: Path) -> None:
    person = tmp_path / "me.yaml"
    person.write_text(
        "kind: person\nmiles_per_visit: 30\ntax:\n  filing: single\n  agi: 40000\n"
        "  marginal_rate: 22%\n  other_itemized: 15500\n",
        encoding="utf-8",
    )
    data = tax_year("--config", person)
    mileage = D(6 * 30) * D("0.205")  # six round trips at 20.5 cents a mile = 36.90
    assert D(data["figures"]["mileage"]["amount"]) == mileage == D("36.90")
    expenses = D(4320 - 198) + mileage  # paid less reimbursed the same year, plus mileage
    above = expenses - D(40000) * D("0.075")  # 1,158.90 above the 3,000 floor
    adds = 15500 + above - 16100  # 558.90 over the standard deduction
    assert D(data["tax"]["deducted"]) == adds == D("558.90")
    assert D(data["tax"]["saving"]) == D("122.96")  # 22% of 558.90 = 122.958
    assert said(data, "miles per visit") == {
        "what": "miles per visit",
        "value": "30",
        "from": "person file",
    }
    assert said(data, "filing status")["from"] == "person file"
    assert said(data, "marginal tax rate") == {
        "what": "marginal tax rate",
        "value": "22%",
        "from": "person file",
    }
    # A flag wins over the file: 10 miles a visit, 6 × 10 × 0.205 = 12.30.
    flagged = tax_year("--config", person, "--miles", "10")
    assert D(flagged["figures"]["mileage"]["amount"]) == D(6 * 10) * D("0.205") == D("12.30")
    assert said(flagged, "miles per visit")["from"] == "flag"
    # Without it, no miles and no filing status: defaults that never lower the cost, listed.
    bare = tax_year("--no-config")
    assert D(bare["figures"]["mileage"]["amount"]) == 0
    assert said(bare, "miles per visit") == {
        "what": "miles per visit",
        "value": "0",
        "from": "default",
    }
    assert said(bare, "filing status")["from"] == "default"


def test_the_tax_year_table_names_the_person_files_values(tmp_path: Path) -> None:
    person = tmp_path / "me.yaml"
    person.write_text("kind: person\nmiles_per_visit: 30\n", encoding="utf-8")
    ledger = EXAMPLES / "ledger.yaml"
    code, out, err = run("status", ledger, "--year", "2027", "--tax", "--config", person)
    assert code == 0, err
    # the page names the person file, never this machine's folders
    assert f"From your person file ({person.name}): miles per visit 30" in out
    assert str(tmp_path) not in out
    assert "Assumed — not stated by you" in out and "filing status: not stated" in out


# --- letters: what the person file holds is filled in ---------------------------------------------


def test_a_letter_takes_the_state_and_birth_date_from_the_person_file(tmp_path: Path) -> None:
    person = tmp_path / "me.yaml"
    person.write_text("kind: person\nstate: NJ\nborn: 1961-04-02\n", encoding="utf-8")
    ledger = EXAMPLES / "ledger-denied.yaml"
    code, out, err = run("letter", "appeal", ledger, "--as-of", "2027-03-15", "--config", person)
    assert code == 0, err
    assert "[city], NJ [ZIP]" in out and "[city, state ZIP]" not in out
    assert "Member: [your name]; member ID: [member ID]" in out  # not in the file: kept
    assert "date of birth: 1961-04-02" in out
    code, out, err = run(
        "letter", "superbill-request", ledger, "--as-of", "2027-03-15", "--config", person
    )
    assert code == 0, err
    assert "Patient: [your name]; date of birth: 1961-04-02" in out
    code, out, _ = run("letter", "appeal", ledger, "--as-of", "2027-03-15", "--no-config")
    assert "[city, state ZIP]" in out and "1961" not in out


# --- the scenario that stands for you: compare's budget and chart, a sweep's net ------------------


@pytest.fixture
def flat(tmp_path: Path) -> tuple[Path, Path, Path]:
    clinic, named, odds = tmp_path / "clinic.yaml", tmp_path / "named.yaml", tmp_path / "odds.yaml"
    clinic.write_text(CLINIC, encoding="utf-8")
    named.write_text(NAMED, encoding="utf-8")
    odds.write_text(ODDS, encoding="utf-8")
    return clinic, named, odds


def test_compare_fail_over_checks_the_scenario_that_stands_for_you(
    flat: tuple[Path, Path, Path],
) -> None:
    clinic, named, odds = flat
    base = ["compare", clinic, *START, "-f", "json", "--no-config"]
    # As written: net 600, under a budget of 1,000 (the first scenario, Denied, is 3,000).
    code, _, err = run(*base, "--plan", named, "--scenario", "As written", "--fail-over", "1000")
    assert code == 0, err
    code, _, err = run(*base, "--plan", named, "--scenario", "Denied", "--fail-over", "1000")
    assert code == 1 and "net $3,000.00 > $1,000.00" in err
    # The expected value stands for you: 1,200 is over 1,100 and under 1,300.
    code, _, err = run(*base, "--plan", odds, "--fail-over", "1100")
    assert code == 1 and f"net ${EXPECTED:,.2f}" in err
    assert run(*base, "--plan", odds, "--fail-over", "1300")[0] == 0


def test_estimate_fail_over_never_checks_the_first_scenario_for_being_first(
    flat: tuple[Path, Path, Path],
) -> None:
    clinic, named, odds = flat
    base = ["estimate", clinic, *START, "--no-config", "--plan", named, "--fail-over"]
    # Denied (3,000) is listed first and As written (600) second, with no probabilities
    code, out, err = run(*base, "1000")
    assert (code, out) == (2, "")
    assert "2 scenarios and none is named as yours (--fail-over checks the net" in err
    code, _, err = run(*base, "1000", "--scenario", "Denied")
    assert code == 1 and "net $3,000.00 > $1,000.00" in err
    assert run(*base, "1000", "--scenario", "As written")[0] == 0
    # with probabilities the expected value, 1,200, stands for you
    code, _, err = run(
        "estimate", clinic, *START, "--no-config", "--plan", odds, "--fail-over", "1100"
    )
    assert code == 1 and f"net ${EXPECTED:,.2f}" in err


def test_compare_chart_draws_the_scenario_that_stands_for_you(
    flat: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import ketacost.report.chart as chart_module

    drawn: list[Any] = []
    monkeypatch.setattr(chart_module, "write_chart", lambda chart, path: drawn.append(chart))
    clinic, named, odds = flat
    chart = ["--chart", tmp_path / "chart.svg", "--no-config"]
    code, _, err = run(
        "compare", clinic, "--plan", named, *START, "--scenario", "As written", *chart
    )
    assert code == 0, err
    assert drawn[-1].title.endswith("(scenario: As written)")
    # January: 3,000 paid; February: 2,400 back, 600 out.
    values = drawn[-1].lines[0].values  # then 600 each month to the horizon's end
    assert values[:2] == [3000, AS_WRITTEN] and set(values[1:]) == {AS_WRITTEN}
    code, _, err = run("compare", clinic, "--plan", odds, *START, *chart)
    assert code == 0, err
    assert drawn[-1].title.endswith("(scenario: expected value)")
    # January 3,000 either way; February: 0.25 × 3,000 (denied, nothing back) + 0.75 × 600.
    values = drawn[-1].lines[0].values
    assert values[:2] == [3000, EXPECTED] and set(values[1:]) == {EXPECTED}
    assert drawn[-1].lines[0].name.endswith(f"${EXPECTED:,.2f}")


def test_a_sweeps_net_is_the_expected_net_when_that_stands_for_you(
    flat: tuple[Path, Path, Path],
) -> None:
    clinic, _, odds = flat
    code, out, err = run(
        "sweep",
        clinic,
        "--plan",
        odds,
        "--vary",
        "series.price=500,400",
        *START,
        "-f",
        "json",
        "--no-config",
    )
    assert code == 0, err
    data = json.loads(out)
    rows = data["rows"] if isinstance(data, dict) else data
    by_price = {str(r["series.price"]): r for r in rows if "series.price" in r}
    # At 400 a session: 2,400 charged; as written 20% of it = 480; expected
    # 0.25 × 2,400 + 0.75 × 480 = 600 + 360 = 960.
    at_400 = D("0.25") * 2400 + D("0.75") * (2400 * D("0.2"))
    assert D(by_price["400"]["net"]) == at_400 == 960
    assert D(by_price["500"]["net"]) == EXPECTED
    assert by_price["500"]["net"] == by_price["500"]["expected_net"]


def test_estimate_fail_over_checks_the_scenario_that_stands_for_you(
    flat: tuple[Path, Path, Path],
) -> None:
    clinic, named, _ = flat
    base = ["estimate", clinic, "--plan", named, *START, "-f", "json", "--no-config"]
    # As written: net 600 is under 1,000; the first scenario (Denied, 3,000) is not yours.
    assert run(*base, "--scenario", "As written", "--fail-over", "1000")[0] == 0
    code, _, err = run(*base, "--scenario", "Denied", "--fail-over", "1000")
    assert code == 1 and "net $3,000.00 > $1,000.00" in err


def test_calendar_names_a_missing_person_file_ledger(tmp_path: Path) -> None:
    person = tmp_path / "me.yaml"
    person.write_text("kind: person\nledger: gone.yaml\n", encoding="utf-8")
    code, out, err = run("calendar", "--config", person)
    assert (code, out) == (2, "")
    assert "gone.yaml" in err


# --- the person file's state and observation-rebate limit reach the savings program -------

REBATE_CLINIC = """name: Spravato split
modality: esketamine
series: {sessions: 2, per_week: 2, device_price: 300, devices: 2, session_fee: 300}
billing: {network: in-network}
"""
HALF_PLAN = (
    "kind: plan\nname: Half\ncoverage: commercial\nin_network: {coinsurance: 50%}\n"
    "claims: {paid_after_days: 30}\n"
)


@pytest.mark.parametrize(("state", "program"), [("NJ", 2 * 290 + 150 + 50), ("MA", 2 * 290)])
def test_person_file_state_and_rebate_limit_reach_the_program(
    tmp_path: Path, state: str, program: int
) -> None:
    (tmp_path / "clinic.yaml").write_text(REBATE_CLINIC, encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(HALF_PLAN, encoding="utf-8")
    person = tmp_path / "me.yaml"
    person.write_text(
        f"kind: person\nstate: {state}\nsavings:\n  observation_rebate_cap: 200\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app,
        ["estimate", str(tmp_path / "clinic.yaml"), "--plan", str(tmp_path / "plan.yaml"),
         "--savings-program", "--config", str(person), "--start", "2027-01-04", "-f", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # 900 a session (600 drug + 300 visit), 50% share = 450: the drug's part 300 less the $10
    # floor = 290 each; the visit's 150 rebated up to 200 a year (150, then 50) outside MA.
    assert Decimal(data["scenarios"][0]["savings_program"]) == program
    rows = {a["what"]: a for a in data["assumptions"]}
    assert rows["observation rebate limit per year"]["from"] == "person file"
    assert rows["state (the rebate is not valid in every state)"]["value"] == state


# --- values stated beside the files: every output says them -------------------------------


def test_a_clinic_value_set_with_set_is_said_in_every_command_and_format() -> None:
    # --set series.first_price=100 takes (750 − 100) × 2 = 1,300 off the default clinic's
    # $6,300: no output had said so, and the prices still read as the source's
    base = ("--no-config", "--start", "2027-01-04", "--set", "series.first_price=100")
    said = (
        "Set over the clinic's file with --set (not its source's figures): series.first_price=100"
    )
    code, out, err = run("estimate", *base)
    assert code == 0, err
    assert "Net: $5,000.00." in out  # 6,300 − 1,300
    assert said in " ".join(out.split())
    code, out, err = run("estimate", *base, "--format", "json")
    assert {
        "what": "clinic profile changed",
        "value": "series.first_price=100",
        "from": "flag",
    } in (json.loads(out)["assumptions"])
    code, out, err = run("estimate", *base, "--format", "csv")
    assert said in err
    code, out, err = run("compare", "los-angeles-iv", *base)
    assert code == 0, err
    assert said in " ".join(out.split())
    code, out, err = run("sweep", *base, "--vary", "series.later_price=500,600")
    assert code == 0, err
    flat = " ".join(out.split())
    assert said in flat and "everything else as in the files and --set" in flat


def _listed(*flags: str) -> dict[str, tuple[str, str]]:
    """The JSON assumptions of a 2027 estimate at 22% with ``flags``: what → (value, from)."""
    code, out, err = run(
        "estimate", "--no-config", "--start", "2027-01-04", "--marginal-rate", "22%", *flags,
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    return {a["what"]: (a["value"], a["from"]) for a in json.loads(out)["assumptions"]}


def test_the_hsa_catch_up_the_fsa_and_miles_are_listed_with_who_stated_them() -> None:
    listed = _listed("--hsa", "self", "--hsa-catch-up", "--miles", "20")
    assert listed["HSA catch-up (55 or older)"] == (
        "the year's catch-up added to the limit",
        "flag",
    )
    assert listed["miles per visit (round trip, at the IRS medical rate)"] == ("20", "flag")
    listed = _listed("--fsa")
    assert listed["health FSA"] == ("yes", "flag")


def test_status_names_the_person_files_scenario_and_the_plan_year_already_met_is_for(
    tmp_path: Path,
) -> None:
    # A ledger with no scenario: the person file's 'Generous' sets every expected figure,
    # and the table had not said where it came from; nor that already_met (acme-ppo:
    # $500 and $500, no as_of) is taken for the start's plan year.
    text = (EXAMPLES / "ledger.yaml").read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.startswith("scenario:"))
    text = text.replace("plans/acme-ppo.yaml", str(EXAMPLES / "plans" / "acme-ppo.yaml"))
    (tmp_path / "ledger.yaml").write_text(text + "\n", encoding="utf-8")
    (tmp_path / "me.yaml").write_text("kind: person\nscenario: Generous\n", encoding="utf-8")
    code, out, err = run(
        "status",
        tmp_path / "ledger.yaml",
        "--as-of",
        "2027-03-15",
        "--config",
        tmp_path / "me.yaml",
    )
    assert code == 0, err
    flat = " ".join(out.split())
    assert "From your person file (" in flat and "): scenario Generous" in flat
    assert "already met counts for: the plan year of the start, from 2027-01-01" in flat
