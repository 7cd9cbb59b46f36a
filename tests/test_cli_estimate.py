"""`ketacost estimate` and `ketacost catalog` through Typer's CliRunner (docs/commands.md, docs/output.md)."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from conftest import assert_input_error

import ketacost
from ketacost.cli import app
from ketacost.money import format_money

TWO_PLACES = re.compile(r"^[0-9]+\.[0-9]{2}$")
LA_NAME = ketacost.load_clinic("los-angeles-iv").name
# The bundled default (pricing/los-angeles-iv.yaml): six sessions, $750 × 2 then $600,
# and a $600 booster every 12 weeks after 12 weeks: 4 in the first year from 2027-01-04.
LA_TOTAL = Decimal(750 * 2 + 600 * 4 + 600 * 4)
LA_EVENTS = 6 + 4

TYPO_YAML = """
    name: Typo Clinic
    series:
      sessions: 6
      first_price: 750
      later_prize: 600
"""


def invoke(runner, *args: str):
    return runner.invoke(app, list(args))


def estimate_json(runner, *args: str) -> dict:
    result = invoke(runner, "estimate", *args, "--start", "2027-01-04", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


# --- the default profile -----------------------------------------------------------


def test_default_profile_with_no_argument(runner) -> None:
    assert "Los Angeles" in LA_NAME
    result = invoke(runner, "estimate")
    assert result.exit_code == 0, result.stderr
    assert LA_NAME in result.stdout
    assert result.stderr == ""


def test_table_output_shows_the_total_and_start(runner) -> None:
    result = invoke(runner, "estimate", "--start", "2027-01-04", "--months", "12")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "$6,300.00" in result.stdout  # 750*2 + 600*4 + 600*4
    assert "2027-01-04" in result.stdout  # the start date is printed in every report


# --- JSON ----------------------------------------------------------------------------


def test_json_output_matches_the_contract_keys(runner) -> None:
    data = estimate_json(runner, "--months", "12")
    assert data["clinic"]["name"] == LA_NAME
    assert data["clinic"]["file"].endswith("los-angeles-iv.yaml")
    assert data["currency"] == "USD"
    assert data["start"] == "2027-01-04"
    assert data["months"] == 12
    assert len(data["events"]) == LA_EVENTS
    assert data["events"][0] == {
        **data["events"][0],
        "date": "2027-01-04",
        "item": "series",
        "label": "Session 1",
        "amount": "750.00",
        "claimable": True,
    }
    for event in data["events"]:
        assert {"date", "item", "label", "amount", "claimable"} <= event.keys()
        assert TWO_PLACES.match(event["amount"]), event
        assert event["claimable"] is True  # series sessions and boosters
    assert [e["item"] for e in data["events"]] == ["series"] * 6 + ["booster"] * 4
    assert [e["amount"] for e in data["events"]] == ["750.00"] * 2 + ["600.00"] * 8
    assert data["total"] == format_money(LA_TOTAL)
    assert data["total"] == "6300.00"
    assert data["scenarios"][0]["name"] == "Self-pay"
    assert len(data["scenarios"]) == 1
    assert data["expected_net"] is None
    assert "expected_net" in data


def test_json_self_pay_scenario_money_is_two_place_strings(runner) -> None:
    scenario = estimate_json(runner)["scenarios"][0]
    for key in ("billed", "allowed", "reimbursed", "balance_billed", "net", "peak_outlay"):
        assert TWO_PLACES.match(scenario[key]), (key, scenario[key])
    assert scenario["net"] == format_money(LA_TOTAL)  # nothing reimbursed without a plan
    assert scenario["reimbursed"] == "0.00"
    months = scenario["cashflow"]
    assert months[0]["month"] == "2027-01"
    assert months[0]["paid"] == format_money(Decimal(750 * 2 + 600 * 4))  # the whole series


def test_json_file_key_is_the_path_given(runner, write_yaml, monkeypatch) -> None:
    path = write_yaml(
        """
        name: Westside Ketamine
        series:
          sessions: 6
          per_week: 2
          first_price: 750
          first_sessions: 2
          later_price: 600
        """,
        name="westside.yaml",
    )
    monkeypatch.chdir(path.parent)
    data = estimate_json(runner, "westside.yaml")
    assert data["clinic"] == {
        **data["clinic"],
        "name": "Westside Ketamine",
        "file": "westside.yaml",
    }
    assert data["total"] == format_money(Decimal(750 * 2 + 600 * 4))
    assert data["total"] == "3900.00"


def test_bundled_profile_by_name(runner) -> None:
    data = estimate_json(runner, "median-iv")
    # pricing/median-iv.yaml: six sessions at a flat $590 and a $350 consult once
    assert data["total"] == format_money(Decimal(590 * 6 + 350))
    assert data["clinic"]["file"].endswith("median-iv.yaml")


def test_bundled_profile_by_name_table(runner) -> None:
    result = invoke(runner, "estimate", "median-iv")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert ketacost.load_clinic("median-iv").name in result.stdout


def test_set_overrides_a_profile_value(runner) -> None:
    data = estimate_json(runner, "--set", "series.later_price=550")
    series = [Decimal(e["amount"]) for e in data["events"] if e["item"] == "series"]
    assert series == [Decimal(750)] * 2 + [Decimal(550)] * 4
    # the LA boosters keep their own price: $600
    assert data["total"] == format_money(Decimal(750 * 2 + 550 * 4 + 600 * 4))


# --- CSV, Markdown, files ------------------------------------------------------------


def test_csv_one_row_per_event(runner) -> None:
    result = invoke(runner, "estimate", "--start", "2027-01-04", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    # what the rows assumed goes to stderr, so the CSV stays rows alone
    assert result.stderr.startswith("Assumed — not stated by you:\n  – months: 12\n")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("date,item,label,amount,claimable")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == LA_EVENTS
    assert [rows[0][k] for k in ("date", "item", "label", "amount", "claimable")] == [
        "2027-01-04",
        "series",
        "Session 1",
        "750.00",
        "true",
    ]
    assert sum(Decimal(r["amount"]) for r in rows) == LA_TOTAL


def test_markdown_has_a_pipe_table(runner) -> None:
    result = invoke(runner, "estimate", "--start", "2027-01-04", "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert any(line.startswith("| ") and line.endswith(" |") for line in lines)
    assert any(re.fullmatch(r"\|(:?-{3,}:?\|)+", line) for line in lines)
    assert "$6,300.00" in result.stdout


def test_output_file_format_from_extension(runner, tmp_path) -> None:
    out = tmp_path / "out.json"
    result = invoke(runner, "estimate", "--start", "2027-01-04", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["total"] == format_money(LA_TOTAL)


def test_output_file_csv_from_extension(runner, tmp_path) -> None:
    out = tmp_path / "out.csv"
    result = invoke(runner, "estimate", "--start", "2027-01-04", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("date,item,label,amount,claimable")


def test_output_file_unknown_extension_without_format(runner, tmp_path) -> None:
    out = tmp_path / "out.xyz"
    result = invoke(runner, "estimate", "--start", "2027-01-04", "-o", str(out))
    assert_input_error(result)
    assert not out.exists()


def test_output_file_unknown_extension_with_format(runner, tmp_path) -> None:
    out = tmp_path / "out.xyz"
    result = invoke(runner, "estimate", "--start", "2027-01-04", "-o", str(out), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["total"] == format_money(LA_TOTAL)


# --- bad input -----------------------------------------------------------------------


def test_unknown_profile_name(runner) -> None:
    result = invoke(runner, "estimate", "no-such-clinic-profile")
    assert_input_error(result)
    assert "no-such-clinic-profile" in result.stderr


def test_typo_key_points_at_line_and_column_with_suggestion(runner, write_yaml) -> None:
    path = write_yaml(TYPO_YAML)
    result = invoke(runner, "estimate", str(path), "--start", "2027-01-04")
    assert_input_error(result)
    # `later_prize` is on line 5, indented two spaces: column 3
    assert f"{path}:5:3" in result.stderr
    assert "did you mean 'later_price'" in result.stderr
    assert "later_prize: 600" in result.stderr  # the offending source line is shown


def test_typo_key_json_format_keeps_stdout_clean(runner, write_yaml) -> None:
    path = write_yaml(TYPO_YAML)
    result = invoke(runner, "estimate", str(path), "--format", "json")
    assert_input_error(result)
    assert "later_price" in result.stderr


def test_missing_file(runner, tmp_path) -> None:
    result = invoke(runner, "estimate", str(tmp_path / "nowhere.yaml"))
    assert_input_error(result)
    assert "nowhere.yaml" in result.stderr


@pytest.mark.parametrize("text", ["notadate", "2027-02-30", "04/01/2027"])
def test_bad_start_date(runner, text: str) -> None:
    result = invoke(runner, "estimate", "--start", text)
    assert_input_error(result)
    assert text in result.stderr


@pytest.mark.parametrize("months", ["0", "-3", "121"])
def test_months_out_of_range(runner, months: str) -> None:
    result = invoke(runner, "estimate", "--start", "2027-01-04", "--months", months)
    assert_input_error(result)


def test_months_not_a_number(runner) -> None:
    result = invoke(runner, "estimate", "--months", "twelve")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_set_unknown_path(runner) -> None:
    result = invoke(runner, "estimate", "--set", "series.nope.deeper=1")
    assert_input_error(result)


def test_set_bad_money(runner) -> None:
    result = invoke(runner, "estimate", "--set", "series.later_price=-5")
    assert_input_error(result)
    assert "negative" in result.stderr


# --- catalog and version -------------------------------------------------------------


def test_catalog_json_lists_the_default_profile(runner) -> None:
    result = invoke(runner, "catalog", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    entries = json.loads(result.stdout)
    assert isinstance(entries, list)
    names = [entry["name"] for entry in entries]
    assert "los-angeles-iv" in names
    assert "median-iv" in names
    assert "esketamine-cash" in names


def test_catalog_table(runner) -> None:
    result = invoke(runner, "catalog")
    assert result.exit_code == 0, result.stderr
    assert "los-angeles-iv" in result.stdout


def test_version(runner) -> None:
    result = invoke(runner, "--version")
    assert result.exit_code == 0
    assert ketacost.__version__ in result.stdout
    assert result.stdout.strip() == f"ketacost {ketacost.__version__}"
    assert result.stderr == ""
