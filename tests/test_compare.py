"""``ketacost compare`` through Typer's CliRunner, and ``--set`` through ``estimate``.

Every expected figure is worked out by hand below (README "Compare clinics",
docs/commands.md and docs/output.md); the horizon always starts on 2027-01-04 so that the ages of
the price sources are fixed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import assert_input_error
from typer.testing import CliRunner

from ketacost.cli import app

D = Decimal
START = ["--start", "2027-01-04"]
TWO_PLACES = re.compile(r"^[0-9]+\.[0-9]{2}$")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
WESTSIDE = EXAMPLES / "clinics" / "westside.yaml"

# Source ages on 2027-01-04:
#   2026-11-20 → 11 (Nov 20 → Dec 1) + 31 (December) + 3 (Jan 1 → Jan 4) = 45
#   2026-06-01 → 30 + 31 + 31 + 30 + 31 + 30 + 31 (June … December) + 3 = 217
FRESH_CHECKED, FRESH_AGE = "2026-11-20", 11 + 31 + 3
OLD_CHECKED, OLD_AGE = "2026-06-01", 30 + 31 + 31 + 30 + 31 + 30 + 31 + 3

# Six sessions at a flat $500: 6 × 500 = 3000.
FLAT_500 = f"""\
name: Flat Five Hundred
source:
  title: Phone call
  checked: {FRESH_CHECKED}
series:
  sessions: 6
  per_week: 2
  price: 500
"""
FLAT_500_TOTAL = D(6 * 500)

# Six sessions at $400 plus a $300 intake: 6 × 400 + 300 = 2700 (cheaper by $300).
INTAKE_400 = f"""\
name: Four Hundred Plus Intake
source:
  title: Website
  checked: {OLD_CHECKED}
series:
  sessions: 6
  per_week: 2
  price: 400
fees:
  - name: Intake
    amount: 300
    per: once
"""
INTAKE_400_TOTAL = D(6 * 400 + 300)

# A cash-only clinic: 6 × 400 = 2400, nothing claimable under any plan.
CASH_ONLY = f"""\
name: Cash Only
source:
  title: Phone call
  checked: {FRESH_CHECKED}
series:
  sessions: 6
  per_week: 2
  price: 400
billing:
  network: self-pay-only
"""
CASH_ONLY_TOTAL = D(6 * 400)

# A superbill clinic: 6 × 500 = 3000, every session claimable out of network.
SUPERBILL = f"""\
name: Superbill Clinic
source:
  title: Phone call
  checked: {FRESH_CHECKED}
series:
  sessions: 6
  per_week: 2
  price: 500
billing:
  network: out-of-network
  superbill: true
"""
SUPERBILL_TOTAL = D(6 * 500)

# No deductible, 20% coinsurance on 100% allowed: each $500 claim pays back
# 500 − 0.20 × 500 = 400, so the superbill clinic nets 3000 − 6 × 400 = 600 when
# paid, 3000 when denied. Expected: 0.5 × 3000 + 0.5 × 600 = 1800.
# The cash-only clinic nets 2400 in both: expected 0.5 × 2400 + 0.5 × 2400 = 2400.
PLAN_WITH_ODDS = """\
kind: plan
name: Even Odds PPO
out_of_network:
  deductible: 0
  coinsurance: 20%
  allowed: 100%
claims:
  paid_after_days: 30
scenarios:
  - name: Denied
    covered: false
    probability: 0.5
  - name: Paid
    probability: 0.5
"""
SUPERBILL_PAID_NET = SUPERBILL_TOTAL - 6 * (D(500) - D("0.20") * 500)
SUPERBILL_EXPECTED = D("0.5") * SUPERBILL_TOTAL + D("0.5") * SUPERBILL_PAID_NET
CASH_ONLY_EXPECTED = D("0.5") * CASH_ONLY_TOTAL + D("0.5") * CASH_ONLY_TOTAL

# The same plan without probabilities: rank by the first scenario (Denied), i.e. the totals.
PLAN_NO_ODDS = PLAN_WITH_ODDS.replace("    probability: 0.5\n", "")

BROKEN = """\
name: Broken Clinic
series:
  sessions: 6
  later_prize: 600
  price: 500
"""

# docs/output.md: keys no estimate object may lose.
TOP_KEYS = {"clinic", "currency", "start", "months", "events", "total", "scenarios", "expected_net"}
EVENT_KEYS = {"date", "item", "label", "amount", "claimable"}
SCENARIO_KEYS = {
    "name",
    "probability",
    "billed",
    "allowed",
    "reimbursed",
    "balance_billed",
    "net",
    "peak_outlay",
    "cashflow",
}
SCENARIO_MONEY = ["billed", "allowed", "reimbursed", "balance_billed", "net", "peak_outlay"]
CASHFLOW_KEYS = {"month", "paid", "reimbursed", "cumulative"}


def invoke(runner: CliRunner, *args: str):
    return runner.invoke(app, [str(a) for a in args])


def ok(result) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def compare_json(runner: CliRunner, *args: str) -> list[dict]:
    result = invoke(runner, "compare", *args, *START, "--format", "json")
    data = json.loads(ok(result))
    assert result.stderr == ""
    assert isinstance(data, list)
    return data


def compare_csv(runner: CliRunner, *args: str) -> list[dict[str, str]]:
    result = invoke(runner, "compare", *args, *START, "--format", "csv")
    return list(csv.DictReader(io.StringIO(ok(result))))


def names(data: list[dict]) -> list[str]:
    return [item["clinic"]["name"] for item in data]


@pytest.fixture
def two_clinics(write_yaml) -> tuple[Path, Path]:
    return write_yaml(FLAT_500, "flat.yaml"), write_yaml(INTAKE_400, "intake.yaml")


@pytest.fixture
def plan_pair(write_yaml) -> tuple[Path, Path]:
    return write_yaml(CASH_ONLY, "cash.yaml"), write_yaml(SUPERBILL, "superbill.yaml")


# --- inputs: files, folders, bundled names ----------------------------------------------


def test_files_ranked_cheapest_first(runner, two_clinics) -> None:
    flat, intake = two_clinics
    data = compare_json(runner, flat, intake)
    # 6 × 400 + 300 = 2700 < 6 × 500 = 3000, although given second.
    assert names(data) == ["Four Hundred Plus Intake", "Flat Five Hundred"]
    assert [D(item["total"]) for item in data] == [INTAKE_400_TOTAL, FLAT_500_TOTAL]
    assert D(2700) == INTAKE_400_TOTAL and D(3000) == FLAT_500_TOTAL


def test_folder_takes_every_yaml_inside(runner, tmp_path) -> None:
    folder = tmp_path / "phoned"
    folder.mkdir()
    (folder / "flat.yaml").write_text(FLAT_500, encoding="utf-8")
    (folder / "intake.yaml").write_text(INTAKE_400, encoding="utf-8")
    (folder / "notes.txt").write_text("not a profile: ignored\n", encoding="utf-8")
    data = compare_json(runner, folder)
    assert names(data) == ["Four Hundred Plus Intake", "Flat Five Hundred"]
    assert [D(item["total"]) for item in data] == [D(6 * 400 + 300), D(6 * 500)]


def test_files_folders_and_bundled_names_together(runner, tmp_path, write_yaml) -> None:
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "intake.yaml").write_text(INTAKE_400, encoding="utf-8")
    flat = write_yaml(FLAT_500, "flat.yaml")
    data = compare_json(runner, "high-end-iv", flat, folder, "new-jersey-iv-low")
    # new-jersey-iv-low: 6 × 250 = 1500; high-end-iv: 6 × 1000 = 6000.
    assert [D(item["total"]) for item in data] == [
        D(6 * 250),
        D(6 * 400 + 300),
        D(6 * 500),
        D(6 * 1000),
    ]
    assert data[0]["clinic"]["name"].startswith("New Jersey")
    assert data[0]["clinic"]["file"] == "pricing/new-jersey-iv-low.yaml"
    assert data[-1]["clinic"]["file"] == "pricing/high-end-iv.yaml"
    assert names(data)[1:3] == ["Four Hundred Plus Intake", "Flat Five Hundred"]


# --- ranking ------------------------------------------------------------------------------


def test_sort_net_uses_the_expected_net_where_probabilities_exist(
    runner, write_yaml, plan_pair
) -> None:
    cash, superbill = plan_pair
    plan = write_yaml(PLAN_WITH_ODDS, "plan.yaml")
    data = compare_json(runner, cash, superbill, "--plan", plan, "--sort", "net")
    # Expected: superbill 0.5 × 3000 + 0.5 × 600 = 1800 < cash only 2400.
    assert D(1800) == SUPERBILL_EXPECTED and D(2400) == CASH_ONLY_EXPECTED
    assert names(data) == ["Superbill Clinic", "Cash Only"]
    assert [D(item["expected_net"]) for item in data] == [D(1800), D(2400)]
    nets = {s["name"]: D(s["net"]) for s in data[0]["scenarios"]}
    assert nets == {"Denied": D(3000), "Paid": D(3000 - 6 * 400)}


def test_sort_net_is_the_default(runner, write_yaml, plan_pair) -> None:
    cash, superbill = plan_pair
    plan = write_yaml(PLAN_WITH_ODDS, "plan.yaml")
    data = compare_json(runner, cash, superbill, "--plan", plan)
    assert names(data) == ["Superbill Clinic", "Cash Only"]


def test_sort_total_ranks_by_what_the_clinic_charges(runner, write_yaml, plan_pair) -> None:
    cash, superbill = plan_pair
    plan = write_yaml(PLAN_WITH_ODDS, "plan.yaml")
    data = compare_json(runner, superbill, cash, "--plan", plan, "--sort", "total")
    # Totals: cash only 6 × 400 = 2400 < superbill 6 × 500 = 3000 (insurance ignored).
    assert names(data) == ["Cash Only", "Superbill Clinic"]
    assert [D(item["total"]) for item in data] == [CASH_ONLY_TOTAL, SUPERBILL_TOTAL]


def test_sort_net_without_probabilities_asks_which_scenario_is_yours(
    runner, write_yaml, plan_pair
) -> None:
    cash, superbill = plan_pair
    plan = write_yaml(PLAN_NO_ODDS, "plan.yaml")
    # Never the first scenario by default: "Denied" would rank the clinics for a denial.
    refused = invoke(runner, "compare", superbill, cash, "--plan", plan, "--sort", "net", *START)
    assert refused.exit_code == 2 and refused.stdout == ""
    assert "'Denied', 'Paid'" in refused.stderr and "--scenario" in refused.stderr
    data = compare_json(runner, superbill, cash, "--plan", plan, "--scenario", "denied")
    # Scenario "Denied": cash only 2400 < superbill 3000 — the other way round
    # from the expected-net ranking above, although "Paid" would favour the superbill clinic.
    assert all(item["expected_net"] is None for item in data)
    assert names(data) == ["Cash Only", "Superbill Clinic"]
    assert [D(item["scenarios"][0]["net"]) for item in data] == [D(2400), D(3000)]
    assert [s["name"] for s in data[0]["scenarios"]] == ["Denied", "Paid"]
    mine = {"what": "scenario standing for you", "value": "Denied", "from": "flag"}
    assert all(mine in item["assumptions"] for item in data)


def test_table_cheapest_row_first_and_title_follows_sort(runner, two_clinics) -> None:
    flat, intake = two_clinics
    out = ok(invoke(runner, "compare", flat, intake, *START, "--width", "160"))
    assert "Clinics ranked by net cost" in out
    assert out.index("Four Hundred Plus Intake") < out.index("Flat Five Hundred")
    assert "$2,700.00" in out and "$3,000.00" in out
    out = ok(invoke(runner, "compare", flat, intake, *START, "--sort", "total", "--width", "160"))
    assert "Clinics ranked by total" in out
    assert out.index("Four Hundred Plus Intake") < out.index("Flat Five Hundred")


# --- output formats ---------------------------------------------------------------------------


def test_json_is_a_list_of_estimate_objects_in_rank_order(runner, two_clinics) -> None:
    flat, intake = two_clinics
    data = compare_json(runner, flat, intake)
    assert len(data) == 2
    for item in data:
        assert item.keys() >= TOP_KEYS
        assert {"name", "file"} <= item["clinic"].keys()
        assert item["currency"] == "USD"
        assert item["start"] == "2027-01-04"
        assert item["months"] == 12
        assert TWO_PLACES.match(item["total"])
        assert item["expected_net"] is None  # self-pay: no probabilities
        assert item["events"], "every clinic has charges"
        for event in item["events"]:
            assert event.keys() >= EVENT_KEYS
            assert TWO_PLACES.match(event["amount"])
        assert [s["name"] for s in item["scenarios"]] == ["Self-pay"]
        for scenario in item["scenarios"]:
            assert scenario.keys() >= SCENARIO_KEYS
            for key in SCENARIO_MONEY:
                assert TWO_PLACES.match(scenario[key]), (key, scenario[key])
            for month in scenario["cashflow"]:
                assert month.keys() >= CASHFLOW_KEYS
    first, second = data
    assert first["clinic"]["name"] == "Four Hundred Plus Intake"
    assert first["total"] == "2700.00"  # 6 × 400 + 300
    assert first["scenarios"][0]["net"] == "2700.00"
    assert second["total"] == "3000.00"  # 6 × 500
    # Six series events at $400 and one $300 fee.
    assert sorted(e["amount"] for e in first["events"]) == ["300.00"] + ["400.00"] * 6


def test_json_items_equal_estimate_output(runner, two_clinics) -> None:
    flat, intake = two_clinics
    data = compare_json(runner, flat, intake)
    for path, item in ((intake, data[0]), (flat, data[1])):
        result = invoke(runner, "estimate", path, *START, "--format", "json")
        assert json.loads(ok(result)) == item


def test_csv_one_row_per_clinic(runner, two_clinics) -> None:
    flat, intake = two_clinics
    rows = compare_csv(runner, flat, intake)
    assert len(rows) == 2
    assert [r["clinic"] for r in rows] == ["Four Hundred Plus Intake", "Flat Five Hundred"]
    assert [r["rank"] for r in rows] == ["1", "2"]
    assert [r["total"] for r in rows] == ["2700.00", "3000.00"]  # 6 × 400 + 300; 6 × 500
    assert [r["net [Self-pay]"] for r in rows] == ["2700.00", "3000.00"]
    assert [r["sessions"] for r in rows] == ["6", "6"]


def test_csv_with_plan_has_a_net_column_per_scenario(runner, write_yaml, plan_pair) -> None:
    cash, superbill = plan_pair
    plan = write_yaml(PLAN_WITH_ODDS, "plan.yaml")
    rows = compare_csv(runner, cash, superbill, "--plan", plan)
    assert [r["clinic"] for r in rows] == ["Superbill Clinic", "Cash Only"]
    assert rows[0]["net [Denied]"] == "3000.00"
    assert rows[0]["net [Paid]"] == "600.00"  # 3000 − 6 × 400
    assert rows[0]["expected_net"] == "1800.00"  # 0.5 × 3000 + 0.5 × 600
    assert rows[1]["expected_net"] == "2400.00"


def test_markdown_has_a_table_cheapest_first(runner, two_clinics) -> None:
    flat, intake = two_clinics
    out = ok(invoke(runner, "compare", flat, intake, *START, "--format", "md"))
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert len(table) == 2 + 2, out  # header, separator, one row per clinic
    assert re.match(r"^\|[\s:|-]+\|$", table[1]), table[1]
    assert "Four Hundred Plus Intake" in table[2]
    assert "Flat Five Hundred" in table[3]
    assert "$2,700.00" in table[2] and "$3,000.00" in table[3]


# --- stale prices -------------------------------------------------------------------------------


def _row(table_text: str, name: str) -> str:
    """Return the ranking's row of ``name``, not the note that names its prices' source."""
    lines = [line for line in table_text.splitlines() if not line.startswith(("Prices", "_"))]
    rows = [line for line in lines if name in line]
    assert len(rows) == 1, table_text
    return rows[0]


def test_stale_source_flagged_in_table_and_csv(runner, two_clinics) -> None:
    flat, intake = two_clinics
    assert (FRESH_AGE, OLD_AGE) == (45, 217)
    md = ok(invoke(runner, "compare", flat, intake, *START, "--format", "md"))
    # The old one (217 > 180 days) is flagged even though it is the cheapest row.
    assert "⚠" in _row(md, "Four Hundred Plus Intake")
    assert f"{OLD_AGE} days" in _row(md, "Four Hundred Plus Intake")
    assert "⚠" not in _row(md, "Flat Five Hundred")
    assert f"{FRESH_AGE} days" in _row(md, "Flat Five Hundred")
    table = ok(invoke(runner, "compare", flat, intake, *START, "--width", "160"))
    assert "⚠" in _row(table, "Four Hundred Plus Intake")
    assert "⚠" not in _row(table, "Flat Five Hundred")
    rows = {r["clinic"]: r for r in compare_csv(runner, flat, intake)}
    assert rows["Four Hundred Plus Intake"]["stale"] == "true"
    assert rows["Four Hundred Plus Intake"]["source_age_days"] == str(OLD_AGE)
    assert rows["Four Hundred Plus Intake"]["source_checked"] == OLD_CHECKED
    assert rows["Flat Five Hundred"]["stale"] == "false"
    assert rows["Flat Five Hundred"]["source_age_days"] == str(FRESH_AGE)


def test_stale_after_lowers_the_threshold(runner, two_clinics) -> None:
    flat, intake = two_clinics
    rows = {r["clinic"]: r for r in compare_csv(runner, flat, intake, "--stale-after", "30")}
    # 45 days > 30: now stale as well.
    assert rows["Flat Five Hundred"]["stale"] == "true"
    assert rows["Four Hundred Plus Intake"]["stale"] == "true"
    md = ok(
        invoke(runner, "compare", flat, intake, *START, "--format", "md", "--stale-after", "30")
    )
    assert "⚠" in _row(md, "Flat Five Hundred")
    # 45 days is not more than 45: not stale at the boundary.
    rows = {r["clinic"]: r for r in compare_csv(runner, flat, intake, "--stale-after", "45")}
    assert rows["Flat Five Hundred"]["stale"] == "false"


def test_source_without_a_date_is_stale(runner, write_yaml, two_clinics) -> None:
    flat, _ = two_clinics
    undated = write_yaml(
        "name: Undated\nseries:\n  sessions: 6\n  per_week: 2\n  price: 450\n", "undated.yaml"
    )
    rows = {r["clinic"]: r for r in compare_csv(runner, flat, undated)}
    assert rows["Undated"]["stale"] == "true"
    assert rows["Undated"]["source_age_days"] == ""
    assert rows["Undated"]["total"] == "2700.00"  # 6 × 450


# --- bad input ------------------------------------------------------------------------------------


def test_bad_file_among_good_ones(runner, write_yaml, two_clinics) -> None:
    flat, intake = two_clinics
    broken = write_yaml(BROKEN, "broken.yaml")
    result = invoke(runner, "compare", flat, broken, intake, *START, "--format", "json")
    assert_input_error(result)
    assert f"{broken}:4:3:" in result.stderr  # `later_prize` on line 4, column 3
    assert "later_price" in result.stderr  # the did-you-mean hint


def test_every_bad_file_is_reported_at_once(runner, write_yaml, two_clinics) -> None:
    flat, _ = two_clinics
    first = write_yaml(BROKEN, "broken1.yaml")
    second = write_yaml(BROKEN.replace("sessions: 6", "sessions: six"), "broken2.yaml")
    result = invoke(runner, "compare", first, flat, second, *START)
    assert_input_error(result)
    assert f"{first}:4:3:" in result.stderr
    assert f"{second}:3:" in result.stderr  # `sessions: six` on line 3


def test_missing_name(runner, two_clinics) -> None:
    flat, _ = two_clinics
    result = invoke(runner, "compare", flat, "new-jersey-iv-lo", *START, "--format", "csv")
    assert_input_error(result)
    assert "new-jersey-iv-lo" in result.stderr
    assert "new-jersey-iv-low" in result.stderr  # did you mean


def test_missing_file(runner, tmp_path, two_clinics) -> None:
    flat, _ = two_clinics
    result = invoke(runner, "compare", flat, tmp_path / "nowhere.yaml", *START)
    assert_input_error(result)
    assert "nowhere.yaml" in result.stderr


def test_different_currencies(runner, write_yaml, two_clinics) -> None:
    flat, _ = two_clinics
    euro = write_yaml(
        "name: Euro Klinik\ncurrency: EUR\nseries:\n  sessions: 6\n  price: 400\n", "euro.yaml"
    )
    result = invoke(runner, "compare", flat, euro, *START, "--format", "json")
    assert_input_error(result)
    assert "EUR" in result.stderr and "USD" in result.stderr


def test_clinic_in_another_currency_than_the_plan(runner, write_yaml, plan_pair) -> None:
    cash, _ = plan_pair
    plan = write_yaml(PLAN_WITH_ODDS, "plan.yaml")
    euro = write_yaml(
        "name: Euro Klinik\ncurrency: EUR\nseries:\n  sessions: 6\n  price: 400\n", "euro.yaml"
    )
    result = invoke(runner, "compare", cash, euro, "--plan", plan, *START)
    assert_input_error(result)
    assert "EUR" in result.stderr


# --- --fail-over ------------------------------------------------------------------------------------


def test_fail_over_exits_1_when_a_net_is_above(runner, two_clinics) -> None:
    flat, intake = two_clinics
    result = invoke(
        runner, "compare", flat, intake, *START, "--format", "csv", "--fail-over", "2800"
    )
    # 6 × 500 = 3000 > 2800; 6 × 400 + 300 = 2700 is not.
    assert result.exit_code == 1, (result.stdout, result.stderr)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["clinic"] for r in rows] == ["Four Hundred Plus Intake", "Flat Five Hundred"]
    assert "Flat Five Hundred" in result.stderr
    assert "Four Hundred Plus Intake" not in result.stderr
    assert "$3,000.00" in result.stderr and "$2,800.00" in result.stderr
    assert "Traceback" not in result.stderr


def test_fail_over_exits_0_when_all_are_below(runner, two_clinics) -> None:
    flat, intake = two_clinics
    result = invoke(
        runner, "compare", flat, intake, *START, "--format", "json", "--fail-over", "3500"
    )
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert result.stderr == ""
    assert names(json.loads(result.stdout)) == ["Four Hundred Plus Intake", "Flat Five Hundred"]


def test_fail_over_uses_the_expected_net(runner, write_yaml, plan_pair) -> None:
    cash, superbill = plan_pair
    plan = write_yaml(PLAN_WITH_ODDS, "plan.yaml")
    # Expected nets 1800 and 2400: only the cash-only clinic is above 2000, although the
    # superbill clinic's total (3000) and denied net (3000) are above it too.
    result = invoke(
        runner,
        "compare",
        cash,
        superbill,
        "--plan",
        plan,
        *START,
        "-f",
        "csv",
        "--fail-over",
        "2000",
    )
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Cash Only" in result.stderr
    assert "Superbill Clinic" not in result.stderr
    assert len(list(csv.DictReader(io.StringIO(result.stdout)))) == 2


def test_fail_over_bad_amount(runner, two_clinics) -> None:
    flat, intake = two_clinics
    result = invoke(runner, "compare", flat, intake, *START, "--fail-over", "lots")
    assert_input_error(result)
    assert "--fail-over" in result.stderr


# --- -o FILE ------------------------------------------------------------------------------------------


def test_output_file_written_nothing_on_stdout(runner, tmp_path, two_clinics) -> None:
    flat, intake = two_clinics
    out = tmp_path / "out.json"
    before = {p.name for p in tmp_path.iterdir()}
    result = invoke(runner, "compare", flat, intake, *START, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))  # json from the extension
    assert names(data) == ["Four Hundred Plus Intake", "Flat Five Hundred"]
    # Nothing else left behind (no temporary file).
    assert {p.name for p in tmp_path.iterdir()} == before | {"out.json"}


def test_output_file_replaced_whole_and_kept_on_error(runner, tmp_path, write_yaml) -> None:
    flat = write_yaml(FLAT_500, "flat.yaml")
    broken = write_yaml(BROKEN, "broken.yaml")
    out = tmp_path / "out.json"
    out.write_text('"previous run"\n' + "x" * 100_000, encoding="utf-8")
    assert_input_error(invoke(runner, "compare", flat, broken, *START, "-o", out))
    assert out.read_text(encoding="utf-8").startswith('"previous run"')
    ok(invoke(runner, "compare", flat, *START, "-o", out))
    assert names(json.loads(out.read_text(encoding="utf-8"))) == ["Flat Five Hundred"]


def test_output_file_untouched_when_the_rename_fails(
    runner, tmp_path, two_clinics, monkeypatch
) -> None:
    # Atomic: the new text goes to a temporary file that is renamed over the old one. When
    # the rename fails, the old file is whole and no temporary file is left behind.
    flat, intake = two_clinics
    out = tmp_path / "out.json"
    out.write_text("previous run\n", encoding="utf-8")
    before = {p.name for p in tmp_path.iterdir()}

    def refuse(source: object, target: object) -> None:
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(os, "replace", refuse)
    result = invoke(runner, "compare", flat, intake, *START, "-o", out)
    monkeypatch.undo()
    assert result.exit_code != 0
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == "previous run\n"
    assert {p.name for p in tmp_path.iterdir()} == before


def test_unwritable_output_is_bad_input_not_an_internal_error(
    runner, tmp_path, two_clinics, monkeypatch
) -> None:
    # README exit codes: 2 for "a file, a value, a flag"; 3 only for a bug. A folder the user
    # cannot write to (simulated: the temporary file cannot be created there, as for a
    # non-root user in a read-only folder) is the user's file problem.
    flat, intake = two_clinics
    out = tmp_path / "out.json"

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", str(tmp_path))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = invoke(runner, "compare", flat, intake, *START, "-o", out)
    monkeypatch.undo()
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert "out.json" in result.stderr
    assert "internal error" not in result.stderr
    assert result.stdout == ""


def test_output_file_csv_from_extension(runner, tmp_path, two_clinics) -> None:
    flat, intake = two_clinics
    out = tmp_path / "ranked.csv"
    result = invoke(runner, "compare", flat, intake, *START, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["total"] for r in rows] == ["2700.00", "3000.00"]


# --- many files: no progress bar off a terminal --------------------------------------------------------


def test_no_progress_bar_when_stderr_is_not_a_terminal(runner, tmp_path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(25):  # more than the 20-file threshold
        (folder / f"clinic{n:02d}.yaml").write_text(
            f"name: Clinic {n:02d}\nseries:\n  sessions: 2\n  price: {100 + n}\n",
            encoding="utf-8",
        )
    result = invoke(runner, "compare", folder, *START, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    # no "Estimating" bar, no control sequences: only what the rows assumed
    assert result.stderr.startswith("Assumed — not stated by you:\n")
    assert "\x1b" not in result.stderr and "Estimating" not in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 25
    # Two sessions at 100 + n: cheapest is n = 0 (2 × 100 = 200), dearest n = 24 (2 × 124).
    assert rows[0]["clinic"] == "Clinic 00" and rows[0]["total"] == "200.00"
    assert rows[-1]["clinic"] == "Clinic 24" and rows[-1]["total"] == f"{2 * 124}.00"


# --- --set -------------------------------------------------------------------------------------------------


def estimate_json(runner: CliRunner, *args: str) -> dict:
    result = invoke(runner, "estimate", WESTSIDE, *START, "--format", "json", *args)
    assert result.stderr == ""
    return json.loads(ok(result))


def booster_dates(data: dict) -> list[str]:
    return [e["date"] for e in data["events"] if e["item"] == "booster"]


# examples/clinics/westside.yaml over 12 months from 2027-01-04:
#   series 750 × 2 + 600 × 4, intake 300, esketamine 900 × 4, boosters 600 × 4,
#   lozenge fills 120 × 12 (every 4 weeks from 2027-02-18 to 2027-12-23).
WESTSIDE_TOTAL = D(750 * 2 + 600 * 4 + 300 + 900 * 4 + 600 * 4 + 120 * 12)


def test_set_later_price_changes_the_four_later_sessions(runner) -> None:
    base = estimate_json(runner)
    assert D(base["total"]) == WESTSIDE_TOTAL == D(11640)
    changed = estimate_json(runner, "--set", "series.later_price=550")
    # Sessions 3–6 drop from 600 to 550; the boosters keep their own price: 600.
    assert D(base["total"]) - D(changed["total"]) == 4 * (D(600) - D(550))
    assert D(changed["total"]) == D(11640 - 4 * 50)
    series = [D(e["amount"]) for e in changed["events"] if e["item"] == "series"]
    assert series == [D(750)] * 2 + [D(550)] * 4
    assert [D(e["amount"]) for e in changed["events"] if e["item"] == "booster"] == [D(600)] * 4


def test_set_two_values(runner) -> None:
    changed = estimate_json(
        runner, "--set", "series.later_price=550", "--set", "series.first_price=700"
    )
    assert D(changed["total"]) == WESTSIDE_TOTAL - 2 * (750 - 700) - 4 * (600 - 550)


def test_set_maintenance_cadence(runner) -> None:
    base = estimate_json(runner)
    # Last series session 2027-01-21; first booster 12 weeks later, then every 12 weeks.
    assert booster_dates(base) == ["2027-04-15", "2027-07-08", "2027-09-30", "2027-12-23"]
    changed = estimate_json(runner, "--set", "maintenance.0.every_weeks=6")
    # Still 12 weeks to the first one, then every 6 weeks (42 days); count: 4 caps them.
    assert booster_dates(changed) == ["2027-04-15", "2027-05-27", "2027-07-08", "2027-08-19"]
    assert D(changed["total"]) == WESTSIDE_TOTAL


def test_set_in_compare_applies_to_every_clinic(runner, two_clinics) -> None:
    flat, intake = two_clinics
    data = compare_json(runner, flat, intake, "--set", "series.price=450")
    # Both at 6 × 450 = 2700; the intake clinic now costs 2700 + 300 = 3000 and ranks last.
    assert names(data) == ["Flat Five Hundred", "Four Hundred Plus Intake"]
    assert [D(item["total"]) for item in data] == [D(6 * 450), D(6 * 450 + 300)]


@pytest.mark.parametrize(
    ("setting", "named"),
    [
        ("nosuch.key=1", "nosuch"),
        ("maintenance.9.price=1", "maintenance.9"),
    ],
)
def test_set_path_that_does_not_exist(runner, setting: str, named: str) -> None:
    result = invoke(runner, "estimate", WESTSIDE, *START, "--format", "json", "--set", setting)
    assert_input_error(result)
    assert f"--set {setting}" in result.stderr
    assert f"'{named}'" in result.stderr


def test_set_invalid_value(runner) -> None:
    result = invoke(
        runner, "estimate", WESTSIDE, *START, "--format", "json", "--set", "series.later_price=-5"
    )
    assert_input_error(result)
    assert "--set series.later_price=-5" in result.stderr
    assert "series.later_price" in result.stderr
    assert "negative" in result.stderr


# --- clinics a plan cannot price, found in a folder or the catalog -----------------------

# Bills in network: the out-of-network-only plan below has no terms for it.
IN_NETWORK = f"""\
name: In Network Clinic
source:
  title: Phone call
  checked: {FRESH_CHECKED}
series:
  sessions: 6
  per_week: 2
  price: 300
billing:
  network: in-network
"""

# Out-of-network terms only: no deductible, 20% coinsurance on 100% allowed.
# The superbill clinic gets 500 − 0.20 × 500 = 400 back per session: net 3000 − 6 × 400 = 600.
OUT_ONLY_PLAN = """\
kind: plan
name: Out Only PPO
out_of_network:
  deductible: 0
  coinsurance: 20%
  allowed: 100%
"""
OUT_ONLY_SUPERBILL_NET = SUPERBILL_TOTAL - 6 * (D(500) - D("0.20") * 500)
SKIP_REASON = "it bills in-network and the plan has no in_network terms (add them to compare it)"


@pytest.fixture
def mixed_folder(tmp_path: Path) -> tuple[Path, Path]:
    """Return a folder with a superbill clinic and an in-network one, and the out-only plan."""
    folder = tmp_path / "clinics"
    folder.mkdir()
    (folder / "superbill.yaml").write_text(SUPERBILL, encoding="utf-8")
    (folder / "in.yaml").write_text(IN_NETWORK, encoding="utf-8")
    plan = tmp_path / "out-only.yaml"
    plan.write_text(OUT_ONLY_PLAN, encoding="utf-8")
    return folder, plan


def test_folder_clinic_the_plan_cannot_price_is_skipped_with_a_line(runner, mixed_folder) -> None:
    folder, plan = mixed_folder
    result = invoke(runner, "compare", folder, "--plan", plan, *START, "--width", "200")
    out = ok(result)
    assert "Comparing 1 clinic\n" in out
    line = f"Not compared: In Network Clinic ({folder / 'in.yaml'}): {SKIP_REASON}\n"
    assert line in out
    assert out.index(line) < out.index("Clinics ranked by net cost")
    assert f"${OUT_ONLY_SUPERBILL_NET:,.2f}" in out  # $600.00
    assert "In Network Clinic" not in out.replace(line, "")  # not ranked
    markdown = ok(invoke(runner, "compare", folder, "--plan", plan, *START, "--format", "md"))
    assert "- Not compared: In Network Clinic (" in markdown  # the path's _ are escaped
    assert markdown.index("Not compared") < markdown.index("| #")
    html = ok(invoke(runner, "compare", folder, "--plan", plan, *START, "--format", "html"))
    assert "<li>Not compared: In Network Clinic" in html


def test_skipped_clinics_are_a_json_field_and_on_stderr(runner, mixed_folder) -> None:
    folder, plan = mixed_folder
    result = invoke(runner, "compare", folder, "--plan", plan, *START, "--format", "json")
    data = json.loads(ok(result))
    assert names(data) == ["Superbill Clinic"]
    assert data[0]["scenarios"][0]["net"] == f"{OUT_ONLY_SUPERBILL_NET:.2f}"  # 600.00
    assert data[0]["skipped"] == [
        {"clinic": "In Network Clinic", "file": str(folder / "in.yaml"), "reason": SKIP_REASON}
    ]
    skipped = f"Not compared: In Network Clinic ({folder / 'in.yaml'}): {SKIP_REASON}\n"
    assert result.stderr.startswith(skipped)  # then what the rows assumed
    assert result.stderr.count("Not compared") == 1
    # The rest of each object is the estimate's own, unchanged.
    alone = invoke(
        runner, "estimate", folder / "superbill.yaml", "--plan", plan, *START, "--format", "json"
    )
    assert {k: v for k, v in data[0].items() if k != "skipped"} == json.loads(ok(alone))


def test_skipped_clinics_go_to_stderr_with_csv(runner, mixed_folder) -> None:
    folder, plan = mixed_folder
    result = invoke(runner, "compare", folder, "--plan", plan, *START, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(ok(result))))
    assert [row["clinic"] for row in rows] == ["Superbill Clinic"]
    assert "Not compared" not in result.stdout
    skipped = f"Not compared: In Network Clinic ({folder / 'in.yaml'}): {SKIP_REASON}\n"
    assert result.stderr.startswith(skipped)  # then what the rows assumed
    assert result.stderr.count("Not compared") == 1


def test_clinic_named_on_the_command_line_is_still_refused(runner, mixed_folder) -> None:
    folder, plan = mixed_folder
    result = invoke(
        runner, "compare", folder / "superbill.yaml", folder / "in.yaml", "--plan", plan, *START
    )
    assert_input_error(result)
    assert f"{plan}:" in result.stderr and f"{folder / 'in.yaml'}:" in result.stderr
    assert "no in_network terms" in result.stderr


def test_every_clinic_skipped_is_an_input_error(runner, mixed_folder) -> None:
    folder, plan = mixed_folder
    (folder / "superbill.yaml").unlink()
    result = invoke(runner, "compare", folder, "--plan", plan, *START)
    assert_input_error(result)
    assert "no in_network terms" in result.stderr
    # --network in asks in-network terms of the superbill clinic too: nothing left to compare.
    (folder / "superbill.yaml").write_text(SUPERBILL, encoding="utf-8")
    both = invoke(runner, "compare", folder, "--plan", plan, "--network", "in", *START)
    assert_input_error(both)
    assert f"{folder / 'superbill.yaml'}:" in both.stderr


def test_catalog_with_an_out_of_network_plan_skips_the_in_network_profiles(runner) -> None:
    plan = EXAMPLES / "plans" / "acme-ppo.yaml"  # out_of_network terms only
    listed = json.loads(ok(invoke(runner, "catalog", "--format", "json")))
    result = invoke(runner, "compare", "--catalog", "--plan", plan, *START, "--format", "json")
    data = json.loads(ok(result))
    # The three Medicare esketamine profiles bill in network.
    skipped = [s["file"] for s in data[0]["skipped"]]
    assert skipped == [
        "pricing/esketamine-medicare-56mg.yaml",
        "pricing/esketamine-medicare-56mg-weekly.yaml",
        "pricing/esketamine-medicare-84mg.yaml",
    ]
    assert len(data) == len(listed) - 3
    assert all(item["skipped"] == data[0]["skipped"] for item in data)
    assert result.stderr.count("Not compared: ") == 3
    # Named on the command line as well, the profile is no longer the catalog's to skip.
    named = invoke(
        runner, "compare", "esketamine-medicare-84mg", "--catalog", "--plan", plan, *START
    )
    assert_input_error(named)
    assert "esketamine-medicare-84mg.yaml" in named.stderr


def test_tax_saved_per_clinic_in_the_table_and_the_csv() -> None:
    args = [
        "compare", "los-angeles-iv", "median-iv", "--start", "2027-01-04",
        "--marginal-rate", "22%", "--agi", "40000", "--filing", "single",
        "--other-itemized", "16100",
    ]  # fmt: skip
    # Other deductions at the 16,100 standard deduction: the deduction counts in full.
    # Self-pay, all in 2027, floor 7.5% × 40,000 = 3,000:
    # los-angeles-iv 750 × 2 + 600 × 4 + 4 boosters × 600 = 6,300 → (6,300 − 3,000) × 22%;
    # median-iv 6 × 590 + 350 = 3,890 → (3,890 − 3,000) × 22%.
    la = (Decimal(750) * 2 + 600 * 4 + 600 * 4 - 3000) * Decimal("0.22")
    median = (Decimal(590) * 6 + 350 - 3000) * Decimal("0.22")
    assert (la, median) == (Decimal("726.00"), Decimal("195.80"))
    table = CliRunner().invoke(app, [*args, "--width", "160"])
    assert table.exit_code == 0, table.output
    assert "Tax saved" in table.output and "$726.00" in table.output and "$195.80" in table.output
    assert "22% marginal rate and an AGI of $40,000.00" in table.output
    rows = list(csv.DictReader(io.StringIO(CliRunner().invoke(app, [*args, "-f", "csv"]).stdout)))
    assert [row["tax_saved"] for row in rows] == ["195.80", "726.00"]


def test_without_tax_terms_there_is_no_tax_column() -> None:
    result = CliRunner().invoke(app, ["compare", "median-iv", "-f", "csv"])
    assert "tax_saved" not in result.stdout.splitlines()[0]


def test_the_plan_terms_used_are_shown_once_per_network() -> None:
    result = CliRunner().invoke(
        app,
        [
            "compare", "median-iv", "esketamine-medicare-56mg",
            "--plan", str(EXAMPLES / "plans" / "in-network-ppo.yaml"),
            "--start", "2027-01-04", "--width", "160",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Plan terms used: clinics billing in network" in result.output
    assert "Plan terms used: clinics billing out of network" in result.output


def test_the_tax_column_outlasts_the_other_scenarios_nets_and_says_its_branch() -> None:
    args = [
        "compare", "median-iv", "los-angeles-iv", "--plan", str(EXAMPLES / "plans" / "acme-ppo.yaml"),
        "--start", "2027-01-04", "--marginal-rate", "22%", "--agi", "40000", "--width", "70",
    ]  # fmt: skip
    result = CliRunner().invoke(app, args)
    dropped = " ".join(result.output.split("Not shown at 70 columns:")[1].split())
    assert "Net: As written" in dropped and "Tax saved" not in dropped.split("(")[0]
    odds = CliRunner().invoke(app, [*args, "--response-rate", "50%", "--width", "160"])
    assert "if the treatment helps" in " ".join(odds.output.split())


def test_a_bundled_profile_named_as_a_file_and_by_catalog_is_compared_once() -> None:
    result = CliRunner().invoke(
        app, ["compare", "pricing/median-iv.yaml", "--catalog", "-f", "csv"]
    )
    files = [row["file"] for row in csv.DictReader(io.StringIO(result.stdout))]
    assert files.count("pricing/median-iv.yaml") == 1
    assert not any(f.endswith("median-iv.yaml") and f != "pricing/median-iv.yaml" for f in files)


def test_each_file_is_named_as_found_from_here_through_a_linked_folder(
    runner, tmp_path, monkeypatch
) -> None:
    """A clinic is named relative to the working folder, after following a linked folder;
    one outside it as given on the command line; a bundled one as pricing/NAME."""
    real = tmp_path / "work" / "real"
    real.mkdir(parents=True)
    (real / "flat.yaml").write_text(FLAT_500, encoding="utf-8")
    (tmp_path / "work" / "linked").symlink_to(real, target_is_directory=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "intake.yaml").write_text(INTAKE_400, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "work")
    data = compare_json(runner, "linked", str(outside / "intake.yaml"), "new-jersey-iv-low")
    files = {item["clinic"]["name"]: item["clinic"]["file"] for item in data}
    assert files["Flat Five Hundred"] == "real/flat.yaml"
    assert files["Four Hundred Plus Intake"] == str(outside / "intake.yaml")
    assert [f for f in files.values() if f.startswith("pricing/")] == [
        "pricing/new-jersey-iv-low.yaml"
    ]


def test_rank_by_expected_net_without_a_plan_says_no_plan_was_given(runner) -> None:
    result = invoke(runner, "compare", "los-angeles-iv", "median-iv", *START,
                    "--rank-by", "expected-net")  # fmt: skip
    assert result.exit_code == 2
    assert "no plan was given, so there is no expected net" in result.stderr


# --- a response rate: the ranking weighs both branches ---------------------------------------

EVEN_450 = """\
name: Even Four Fifty
series: {sessions: 6, per_week: 2, price: 450}
"""
DEAR_FIRST = """\
name: Dear First Three
series: {sessions: 6, per_week: 2, first_price: 600, first_sessions: 3, later_price: 250}
"""


def test_a_response_rate_ranks_by_both_branches(runner, write_yaml) -> None:
    """docs/commands.md: with --response-rate, a ranking by net weighs the branch in which
    the treatment helps (the whole series) and the one in which it does not (stop after
    3 sessions), so a clinic that charges most for the first sessions can fall behind."""
    even, dear = write_yaml(EVEN_450, "even.yaml"), write_yaml(DEAR_FIRST, "dear.yaml")
    # The whole series: 6 * 450 = 2700 against 600 * 3 + 250 * 3 = 2550: Dear First leads.
    plain = compare_csv(runner, even, dear)
    assert [r["clinic"] for r in plain] == ["Dear First Three", "Even Four Fifty"]
    assert "response_net" not in plain[0]
    # 50% respond; without a response, stop after 3 sessions:
    # even: (2700 + 450 * 3) / 2 = (2700 + 1350) / 2 = 2025
    # dear: (2550 + 600 * 3) / 2 = (2550 + 1800) / 2 = 2175
    rows = compare_csv(runner, even, dear, "--response-rate", "50%")
    assert [(r["clinic"], r["response_net"]) for r in rows] == [
        ("Even Four Fifty", "2025.00"),
        ("Dear First Three", "2175.00"),
    ]
    assert [r["net [Self-pay]"] for r in rows] == ["2700.00", "2550.00"]  # as before
    table = ok(invoke(runner, "compare", even, dear, *START, "--response-rate", "50%"))
    flat = " ".join(table.split())
    assert "weighing a 50% response, stopping after 3 series sessions without one" in flat
    assert "Weighing" in flat and "$2,025.00" in flat and "$2,175.00" in flat
    assert flat.index("Even Four Fifty") < flat.index("Dear First Three")


def test_the_response_column_is_the_figure_ranked_by(runner, write_yaml) -> None:
    """With a scenario chosen and --rank-by expected-net, the ranking weighs the scenarios
    by their probabilities; the response column shows that figure, so it reads in order."""
    even, dear = write_yaml(EVEN_450, "even.yaml"), write_yaml(DEAR_FIRST, "dear.yaml")
    plan = EXAMPLES / "plans" / "acme-ppo.yaml"
    common = [even, dear, "--plan", plan, "--response-rate", "50%"]
    expected = compare_csv(runner, *common, "--rank-by", "expected-net")
    chosen = compare_csv(runner, *common, "--rank-by", "expected-net", "--scenario", "Generous")
    shown = [(r["clinic"], r["response_net"]) for r in chosen]
    assert shown == [(r["clinic"], r["response_net"]) for r in expected]
    assert [D(net) for _, net in shown] == sorted(D(net) for _, net in shown)
    by_generous = compare_csv(runner, *common, "--scenario", "Generous")
    assert [D(r["response_net"]) for r in by_generous] == sorted(
        D(r["response_net"]) for r in by_generous
    )
    assert by_generous[0]["response_net"] != expected[0]["response_net"]  # Generous's own


def test_weighing_a_response_the_expected_net_gives_way_first(runner, write_yaml) -> None:
    even, dear = write_yaml(EVEN_450, "even.yaml"), write_yaml(DEAR_FIRST, "dear.yaml")
    plan = EXAMPLES / "plans" / "acme-ppo.yaml"
    args = [even, dear, "--plan", plan, *START, "--response-rate", "50%", "--width", "60"]
    text = ok(invoke(runner, "compare", *args))
    flat = " ".join(text.split())
    assert "Not shown at 60 columns:" in flat and "Expected net" in flat.split("Not shown")[1]
    assert "Weighing" in flat.split("Not shown")[0]  # a column, not a stacked block
    assert not any(line.startswith("  Weighing response:") for line in text.splitlines())


def test_the_weighed_figure_compare_ranks_by_is_the_estimates_too(runner) -> None:
    # acme-ppo on the bundled default with a 50% response: each scenario's expected net
    # (its two branches weighed) is 4,200 (Denied), 3,327 (As written), 2,580 (Generous);
    # by the scenarios' probabilities 0.5, 0.4, 0.1: 2,100 + 1,330.80 + 258 = 3,688.80
    plan = EXAMPLES / "plans" / "acme-ppo.yaml"
    args = ["--plan", plan, *START, "--response-rate", "50%"]
    result = invoke(runner, "estimate", "los-angeles-iv", *args, "-f", "json")
    odds = json.loads(ok(result))["response"]
    assert [s["expected_net"] for s in odds["scenarios"]] == ["4200.00", "3327.00", "2580.00"]
    weighed = D("0.5") * 4200 + D("0.4") * 3327 + D("0.1") * 2580
    assert D(odds["expected_net"]) == weighed == D("3688.80")
    rows = compare_csv(runner, "los-angeles-iv", "median-iv", *args[:2], "--response-rate", "50%")
    by_clinic = {r["clinic"]: r["response_net"] for r in rows}
    assert by_clinic["Los Angeles IV ketamine clinic (Allure reference)"] == "3688.80"
    table = " ".join(ok(invoke(runner, "estimate", "los-angeles-iv", *args)).split())
    assert "the expected net is $3,688.80 (what compare ranks by" in table


def test_other_kinds_of_file_in_a_folder_are_left_out_with_a_line(runner, tmp_path) -> None:
    # a treatment folder keeps the plan and the person file beside the clinics
    folder = tmp_path / "treatment"
    folder.mkdir()
    for name in ("westside.yaml", "promo.yaml"):
        (folder / name).write_text((EXAMPLES / "clinics" / name).read_text(), encoding="utf-8")
    plan = (EXAMPLES / "plans" / "acme-ppo.yaml").read_text()
    (folder / "plan.yaml").write_text(plan, encoding="utf-8")
    (folder / "ketacost.yaml").write_text("kind: person\nplan: plan.yaml\n", encoding="utf-8")
    args = [folder, "--no-config", "--plan", folder / "plan.yaml", *START, "-f", "json"]
    result = invoke(runner, "compare", *args)
    ranked = json.loads(ok(result))
    assert sorted(names(ranked)) == [
        "Promotion example (the default's series)",
        "Westside Ketamine",
    ]
    assert {s["reason"] for s in ranked[0]["skipped"]} == {
        "a person file, not a clinic",
        "a plan file, not a clinic",
    }
    # none of them a clinic: refused, naming each
    (folder / "westside.yaml").unlink()
    (folder / "promo.yaml").unlink()
    refused = invoke(runner, "compare", folder, "--no-config")
    assert refused.exit_code == 2
    assert "no clinic profiles among the files:" in refused.stderr
    assert "ketacost.yaml is a person file" in refused.stderr


def test_a_plan_that_leaves_a_term_out_skips_found_clinics_and_names_the_problem_once(
    runner, tmp_path
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "kind: plan\nname: P\nin_network: {deductible: 500, coinsurance: 20%}\n"
        "out_of_network: {deductible: 1000, coinsurance: 40%}\n",
        encoding="utf-8",
    )
    # the catalog's out-of-network clinics are left out with a line; the rest are ranked
    ranked = json.loads(
        ok(invoke(runner, "compare", "--catalog", "--plan", plan, *START, "-f", "json"))
    )
    reasons = {s["reason"] for s in ranked[0]["skipped"]}
    assert "it bills out-of-network and the plan's out_of_network terms leave out allowed" in (
        " ".join(reasons)
    )
    assert ranked  # the in-network and self-pay ones
    # clinics named on their own: one error for the one plan, not one a clinic
    named = invoke(runner, "compare", "median-iv", "high-end-iv", "--plan", plan, *START)
    assert named.exit_code == 2
    assert named.stderr.count("error:") == 1


def test_a_csv_says_on_stderr_what_its_figures_assumed(runner) -> None:
    # the rows hold figures only: the terms they rest on (here the plan's $0 deductible and
    # "covered: yes", never stated) are said on standard error, as sweep does
    args = ["median-iv", "new-jersey-iv-low", *START, "--no-config", "--format", "csv"]
    plan = ["--allowed", "70%", "--coinsurance", "40%"]
    for command in (["compare", *args, *plan], ["estimate", *args[1:], *plan]):
        result = invoke(runner, *command)
        assert result.exit_code == 0, result.stderr
        assert result.stderr.startswith("Assumed — not stated by you:\n"), command
        assert "deductible (out-of-network): $0.00" in result.stderr
        assert "covered: yes" in result.stderr
        assert "Assumed" not in result.stdout


def test_a_csv_chosen_by_the_output_files_name_says_its_assumptions_too(runner, tmp_path) -> None:
    for command in (["compare", "median-iv", "new-jersey-iv-low"], ["estimate", "median-iv"]):
        out = tmp_path / f"{command[0]}.csv"
        result = invoke(runner, *command, *START, "--no-config", "-o", out)
        assert (result.exit_code, result.stdout) == (0, ""), result.stderr
        assert result.stderr.startswith("Assumed — not stated by you:\n"), command
        assert out.read_text(encoding="utf-8").startswith(("rank,", "date,"))


def test_the_tax_saved_column_is_the_scenario_that_stands_for_you(runner, tmp_path) -> None:
    # Ranked "in the scenario 'As written'", the tax column had been the weighed one, which
    # the Denied scenario's larger deduction lifts: it must be the figure the estimate's
    # As written table gives (second method: the estimate's own per-scenario years).
    flags = ["--plan", str(EXAMPLES / "plans" / "acme-ppo.yaml"), "--scenario", "As written"]
    flags += ["--marginal-rate", "22%", "--agi", "40000", "--filing", "single"]
    flags += ["--other-itemized", "20000", "--no-config", *START]
    result = invoke(runner, "estimate", WESTSIDE, *flags, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    (written,) = [s for s in data["scenarios"] if s["name"] == "As written"]
    own = sum((D(y["saving"]) for y in written["tax"]["years"]), D(0))
    assert own != D(data["tax"]["total_saving"])  # the weighed figure differs
    result = invoke(runner, "compare", WESTSIDE, *flags, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert D(row["tax_saved"]) == own
    result = invoke(runner, "compare", WESTSIDE, *flags, "--format", "md")
    assert f"${own:,.2f}" in result.stdout
    assert "in the scenario As written" in result.stdout


def test_standard_input_named_twice_is_refused_not_ranked_twice(runner) -> None:
    # one stream holds one clinic: `compare - -` had ranked it against itself
    text = WESTSIDE.read_text(encoding="utf-8")
    result = runner.invoke(app, ["compare", "-", "-", "--no-config", *START], input=text)
    assert_input_error(result)
    assert "standard input (-) is named 2 times" in result.stderr
