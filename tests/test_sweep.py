"""``ketacost sweep`` and ``ketacost.sweep``: SPEC parsing, rows against ``estimate``, output."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import ketacost
from ketacost.cli import app
from ketacost.cli.vary import parse_vary
from ketacost.errors import InputError
from ketacost.money import round_cents

D = Decimal
EXAMPLES = Path(__file__).parent.parent / "examples"
ACME = EXAMPLES / "plans" / "acme-ppo.yaml"
WESTSIDE = EXAMPLES / "clinics" / "westside.yaml"
PRICING = EXAMPLES.parent / "pricing"
START = ["--start", "2027-01-04"]
METRIC_COLUMNS = ["net", "expected_net", "total", "peak_outlay", "reimbursed"]

SIX_SESSIONS = """\
name: Six sessions
series:
  sessions: 6
  per_week: 2
  first_price: 750
  first_sessions: 2
  later_price: 600
billing:
  network: out-of-network
  superbill: true
"""
# Deductible 2000, nothing met, then the plan pays all of the allowed amount.
DEDUCTIBLE_ONLY = """\
kind: plan
name: Deductible only
plan_year_starts: "01-01"
out_of_network:
  deductible: 2000
  coinsurance: 0%
  allowed: 100%
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def six(tmp_path: Path) -> Path:
    path = tmp_path / "six.yaml"
    path.write_text(SIX_SESSIONS, encoding="utf-8")
    return path


def invoke(runner: CliRunner, *args: object):
    return runner.invoke(app, [str(a) for a in args])


def csv_rows(result) -> list[dict[str, str]]:
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


# --- SPEC parsing ---------------------------------------------------------------------------------


def test_range_includes_to_only_when_a_step_lands_on_it() -> None:
    assert parse_vary("series.later_price=400..700:100").values == (400, 500, 600, 700)
    assert parse_vary("series.later_price=400..690:100").values == (400, 500, 600)


def test_percent_and_money_ranges_keep_their_sign() -> None:
    assert parse_vary("plan.out_of_network.allowed=50%..80%:15%").values == ("50%", "65%", "80%")
    assert parse_vary("plan.out_of_network.allowed=52.5%..57.5%:2.5%").values == (
        "52.5%",
        "55%",
        "57.5%",
    )
    assert parse_vary("series.later_price=$400..$500:$50").values == ("$400", "$450", "$500")
    assert parse_vary("series.later_price=$400..$401:$0.50").values == ("$400", "$400.50", "$401")


def test_decimal_ranges_are_exact() -> None:
    assert parse_vary("series.per_week=0.5..1.5:0.5").values == (D("0.5"), D("1.0"), D("1.5"))


def test_month_steps_clamp_to_the_month_end() -> None:
    vary = parse_vary("start=2027-01-31..2027-05-31:1m")
    assert vary.values == (
        dt.date(2027, 1, 31),
        dt.date(2027, 2, 28),  # 2027-01-31 + 1 month: February has 28 days
        dt.date(2027, 3, 31),  # start + 2 months, not February 28 + 1 month
        dt.date(2027, 4, 30),
        dt.date(2027, 5, 31),
    )
    assert parse_vary("start=2028-01-31..2028-02-29:1m").values == (
        dt.date(2028, 1, 31),
        dt.date(2028, 2, 29),  # a leap year
    )


def test_day_and_week_steps() -> None:
    assert parse_vary("start=2027-01-04..2027-01-20:1w").values == (
        dt.date(2027, 1, 4),
        dt.date(2027, 1, 11),
        dt.date(2027, 1, 18),
    )
    assert parse_vary("start=2027-01-04..2027-01-10:3d").values == (
        dt.date(2027, 1, 4),
        dt.date(2027, 1, 7),
        dt.date(2027, 1, 10),
    )


def test_a_list_of_allowed_values_keeps_percent_and_dollar() -> None:
    vary = parse_vary("plan.out_of_network.allowed=50%,$400")
    assert vary.values == ("50%", "$400")
    assert vary.labels == ("50%", "$400")


def test_list_items_are_read_as_set_reads_them() -> None:
    assert parse_vary("series.later_price=450, 500.50").values == (450, D("500.50"))
    assert parse_vary("response-rate=50%,0.7").values == (D("0.5"), D("0.7"))
    assert parse_vary("months=6,12").values == (6, 12)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("series.later_price=400..700:0", "the step is zero"),
        ("start=2027-01-04..2027-03-01:0m", "the step is zero"),
        ("series.later_price=400..700:10%", "not in the range's unit"),
        ("series.later_price=40%..700:10", "not in the same unit"),
        ("start=2027-01-04..2027-03-01:5", "steps in days, weeks or months"),
        ("start=1..5:1", "start takes dates"),
        ("series.later_price=400..700", "cannot read the range"),
        ("plan.out_of_network.allowed=50,60", "needs its % or $"),
        ("series.later_price=1,200", None),  # two values: 1 and 200, no error
        ("series.later_price=400,,500", "an empty item"),
        ("series.later_price=0..2000000:1", "over the limit of 1,000,000"),
        ("series.later_price", "expected KEY=SPEC"),
        ("strat=2027-01-04", "unknown key 'strat'"),
        ("months=6.5,12", "whole numbers"),
    ],
)
def test_bad_specs_name_the_flag(text: str, message: str | None) -> None:
    if message is None:
        assert parse_vary(text).values == (1, 200)
        return
    with pytest.raises(InputError) as caught:
        parse_vary(text)
    problem = caught.value.problems[0]
    assert problem.path == f"--vary {text}"
    assert message in problem.message


def test_unknown_top_key_suggests_the_closest() -> None:
    with pytest.raises(InputError) as caught:
        parse_vary("strat=2027-01-04")
    assert caught.value.problems[0].hint == "did you mean 'start'?"


# --- command-line errors --------------------------------------------------------------------------


def test_unknown_clinic_key_says_did_you_mean(runner: CliRunner, six: Path) -> None:
    result = invoke(runner, "sweep", six, "--vary", "series.later_pric=400,500", *START)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--vary series.later_pric=400,500:1:8: error: unknown key 'later_pric'" in result.stderr
    assert "did you mean 'later_price'?" in result.stderr


def test_unknown_plan_key_says_did_you_mean(runner: CliRunner, six: Path) -> None:
    result = invoke(
        runner, "sweep", six, "--plan", ACME, "--vary", "plan.out_of_network.alowed=50%", *START
    )
    assert result.exit_code == 2
    assert "unknown key 'alowed'" in result.stderr
    assert "did you mean 'allowed'?" in result.stderr


def test_one_invalid_point_fails_the_sweep_naming_it(runner: CliRunner, six: Path) -> None:
    result = invoke(runner, "sweep", six, "--vary", "series.later_price=400,-5,600", "-f", "csv")
    assert result.exit_code == 2
    assert result.stdout == ""  # checked before any row is written
    assert "--vary series.later_price=400,-5,600:1:31:" in result.stderr
    assert "at the point series.later_price=-5" in result.stderr
    assert "negative" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_invalid_combination_is_named(runner: CliRunner, six: Path) -> None:
    # price is a flat price: it cannot sit beside first_price (docs/clinic-format.md).
    result = invoke(runner, "sweep", six, "--vary", "series.price=500", *START)
    assert result.exit_code == 2
    assert "at the point series.price=500" in result.stderr
    assert "both price and first_price" in result.stderr


def test_grid_over_a_million_points_is_refused(runner: CliRunner, six: Path) -> None:
    result = invoke(
        runner,
        "sweep",
        six,
        "--vary",
        "series.later_price=1..1001:1",
        "--vary",
        "series.first_price=1..1000:1",
        "-f",
        "csv",
    )
    assert result.exit_code == 2
    assert "--vary series.later_price=1..1001:1 --vary series.first_price=1..1000:1" in (
        result.stderr
    )
    assert "1,001,000 points" in result.stderr


def test_table_holds_at_most_ten_thousand_points(runner: CliRunner, six: Path) -> None:
    result = invoke(
        runner,
        "sweep",
        six,
        "--vary",
        "series.later_price=1..101:1",
        "--vary",
        "series.first_price=1..100:1",
    )
    assert result.exit_code == 2
    assert "10,100 points; a table holds at most 10,000" in result.stderr
    assert "--format csv" in result.stderr


def test_expected_net_needs_probabilities(runner: CliRunner, six: Path) -> None:
    result = invoke(
        runner, "sweep", six, "--vary", "series.later_price=400", "--metric", "expected-net"
    )
    assert result.exit_code == 2
    assert "no expected net" in result.stderr


def test_nothing_to_vary(runner: CliRunner, six: Path) -> None:
    result = invoke(runner, "sweep", six)
    assert result.exit_code == 2
    assert "nothing to vary" in result.stderr


# --- rows against estimate, point by point --------------------------------------------------------


def estimate_json(runner: CliRunner, *args: object) -> dict:
    result = invoke(runner, "estimate", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def metrics_of(data: dict) -> dict[str, str]:
    """The sweep's metrics from an estimate's JSON (the weighting restates the product's rule)."""
    scenarios = data["scenarios"]
    probabilities = [s["probability"] for s in scenarios]
    weighted = None
    if all(p is not None for p in probabilities):
        weighted = round_cents(
            sum(D(p) * D(s["reimbursed"]) for p, s in zip(probabilities, scenarios, strict=True))
        )
    return {
        # the scenario that stands for you: the expected value where there are odds
        "net": data["expected_net"] or scenarios[0]["net"],
        "expected_net": data["expected_net"] or "",
        "total": data["total"],
        "peak_outlay": f"{max(D(s['peak_outlay']) for s in scenarios):.2f}",
        "reimbursed": f"{weighted:.2f}" if weighted is not None else scenarios[0]["reimbursed"],
    }


def test_clinic_and_plan_keys_match_estimate_with_set_and_what_ifs(runner: CliRunner) -> None:
    rows = csv_rows(
        invoke(
            runner,
            "sweep",
            WESTSIDE,
            "--plan",
            ACME,
            "--vary",
            "series.later_price=450,700",
            "--vary",
            "plan.out_of_network.allowed=55%,$400",
            "--vary",
            "plan.out_of_network.deductible=0,3000",
            *START,
            "-f",
            "csv",
        )
    )
    assert len(rows) == 2 * 2 * 2
    for row in rows:
        expected = estimate_json(
            runner,
            WESTSIDE,
            "--plan",
            ACME,
            "--set",
            f"series.later_price={row['series.later_price']}",
            "--allowed",
            row["plan.out_of_network.allowed"],
            "--deductible",
            row["plan.out_of_network.deductible"],
            *START,
        )
        assert {k: row[k] for k in METRIC_COLUMNS} == metrics_of(expected), row


def test_start_dates_match_estimate_with_start(runner: CliRunner, tmp_path: Path) -> None:
    rows = csv_rows(
        invoke(
            runner,
            "sweep",
            WESTSIDE,
            "--plan",
            ACME,
            "--start",
            "2027-01-04",
            "--vary",
            "start=2027-01-04..2028-03-04:7m",
            "--vary",
            "months=6,12",
            "-f",
            "csv",
        )
    )
    assert [r["start"] for r in rows] == [
        day for day in ("2027-01-04", "2027-08-04", "2028-03-04") for _ in (6, 12)
    ]
    # The plan's already-met counters (500 and 500) are as of the sweep's --start: a start in
    # the next plan year begins it with nothing met, as estimate does with a plan saying so.
    fresh = tmp_path / "acme-next-year.yaml"
    met = "  deductible: 500\n  out_of_pocket: 500\n"
    assert met in ACME.read_text(encoding="utf-8")
    fresh.write_text(
        ACME.read_text(encoding="utf-8").replace(met, "  deductible: 0\n  out_of_pocket: 0\n"),
        encoding="utf-8",
    )
    for row in rows:
        plan = ACME if row["start"].startswith("2027") else fresh
        expected = estimate_json(
            runner, WESTSIDE, "--plan", plan, "--start", row["start"], "--months", row["months"]
        )
        assert {k: row[k] for k in METRIC_COLUMNS} == metrics_of(expected), row


def test_whole_picture_terms_match_estimate(runner: CliRunner) -> None:
    rows = csv_rows(
        invoke(
            runner,
            "sweep",
            WESTSIDE,
            "--plan",
            ACME,
            "--vary",
            "finance=12@9.99%,clinic",
            "--vary",
            "response-rate=40%,70%",
            *START,
            "-f",
            "csv",
        )
    )
    assert len(rows) == 4
    for row in rows:
        data = estimate_json(
            runner,
            WESTSIDE,
            "--plan",
            ACME,
            "--finance",
            row["finance"],
            "--response-rate",
            row["response-rate"],
            *START,
        )
        odds = data["response"]
        nets = [s["expected_net"] for s in odds["scenarios"]]
        weights = [D(s["probability"]) for s in data["scenarios"]]
        assert row["total"] == odds["expected_total"]
        # the expected net weighs each scenario's response-weighted net by its probability
        assert D(row["expected_net"]) == round_cents(
            sum(w * D(n) for w, n in zip(weights, nets, strict=True))
        )
        # with the plan's odds and no scenario named, the expected value stands for you
        assert row["net"] == row["expected_net"]


def test_api_rows_match_estimate() -> None:
    clinic = ketacost.load_clinic(WESTSIDE)
    plan = ketacost.load_plan(ACME)
    start = dt.date(2027, 1, 4)
    grid = ketacost.sweep(
        clinic,
        plan,
        vary={"series.later_price": ["500", "550"], "plan.out_of_network.coinsurance": ["20%"]},
        start=start,
    )
    rows = list(grid)
    assert len(grid) == len(rows) == 2
    for row, price in zip(rows, ("500", "550"), strict=True):
        assert row.values == (price, "20%")
        data = clinic.model_dump(mode="json")
        data["series"]["later_price"] = price
        plan_data = plan.model_dump(mode="json")
        plan_data["out_of_network"]["coinsurance"] = "20%"
        result = ketacost.estimate(
            ketacost.Clinic.model_validate(data),
            ketacost.Plan.model_validate(plan_data),
            start=start,
        )
        assert row.total == result.total
        assert row.net == row.expected_net == result.expected_net  # acme-ppo has odds
        assert row.peak_outlay == max(s.peak_outlay for s in result.scenarios)


def test_api_checks_every_point_before_any_row() -> None:
    clinic = ketacost.load_clinic(WESTSIDE)
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(clinic, vary={"series.later_price": ["500", "lots"]})
    assert caught.value.key == "series.later_price"
    assert caught.value.value == "lots"
    assert caught.value.problems[0].path == "series.later_price=lots"


@pytest.mark.parametrize("name", sorted(p.stem for p in PRICING.glob("*.yaml")))
def test_bundled_profiles_survive_the_sweep_round_trip(name: str) -> None:
    clinic = ketacost.load_clinic(name)
    again = ketacost.Clinic.model_validate(clinic.model_dump(mode="json", exclude_unset=True))
    assert again == clinic


# --- figures by hand ------------------------------------------------------------------------------


def test_self_pay_and_allowed_share_by_hand(runner: CliRunner, six: Path) -> None:
    rows = csv_rows(
        invoke(
            runner,
            "sweep",
            six,
            "--vary",
            "series.later_price=500,600",
            "--vary",
            "plan.out_of_network.allowed=50%,100%",
            "--coinsurance",
            "0%",
            *START,
            "--months",
            "1",
            "-f",
            "csv",
        )
    )
    # A plan of flags alone: no deductible, no coinsurance, the allowed share paid back,
    # 45 days after each session; all six sessions fall in January 2027. (The coinsurance
    # is stated: a plan without a file must state it, see the test below.)
    by_point = {(r["series.later_price"], r["plan.out_of_network.allowed"]): r for r in rows}
    total_500, total_600 = 750 * 2 + 500 * 4, 750 * 2 + 600 * 4
    assert by_point["500", "50%"]["total"] == f"{total_500}.00" == "3500.00"
    assert by_point["500", "50%"]["reimbursed"] == f"{total_500 * D('0.5'):.2f}"
    assert by_point["500", "50%"]["net"] == f"{total_500 - total_500 * D('0.5'):.2f}"
    assert by_point["600", "100%"]["net"] == "0.00"
    # everything is paid (by January 14) before the first money comes back (February 18)
    assert by_point["600", "100%"]["peak_outlay"] == f"{total_600}.00"
    assert by_point["600", "50%"]["expected_net"] == ""  # one scenario, no probabilities


def test_a_plan_of_varied_keys_must_state_its_allowed_amount_and_coinsurance(
    runner: CliRunner, six: Path
) -> None:
    """Unstated, they would be 100% allowed and 0% coinsurance: the cheapest plan there is."""
    result = invoke(runner, "sweep", six, "--vary", "deductible=1000,2000", *START)
    assert (result.exit_code, result.stdout) == (2, "")
    assert "must state --allowed and --coinsurance" in result.stderr
    assert "--vary deductible=1000,2000" in result.stderr
    # a varied key states its term as the flag of the same name does
    result = invoke(
        runner, "sweep", six, "--vary", "coinsurance=20%,40%", "--allowed", "70%", *START
    )
    assert result.exit_code == 0, result.stderr
    result = invoke(runner, "sweep", six, "--vary", "plan.out_of_network.allowed=50%,70%", *START)
    assert result.exit_code == 2
    assert "must state --coinsurance:" in result.stderr


def test_a_plan_of_varied_keys_alone_lists_its_defaults(runner: CliRunner, six: Path) -> None:
    result = invoke(
        runner,
        "sweep",
        six,
        "--vary",
        "coinsurance=20%,40%",
        "--vary",
        "allowed=70%",
        *START,
        "--months",
        "1",
        "-f",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    header, *points = json.loads(result.stdout)
    said = {a["what"]: (a["value"], a["from"]) for a in header["assumptions"]}
    assert said["plan"] == ("built from the varied keys", "flag")
    assert said["deductible (out-of-network)"] == ("$0.00", "default")
    assert said["out-of-pocket maximum (out-of-network)"] == ("none", "default")
    assert said["coinsurance"] == ("20%, 40%", "flag")
    # 750 × 2 + 600 × 4 = 3,900; back 3,900 × 70% × (100% − 20%) = 2,184, or × 60% = 1,638
    nets = [p["net"] for p in points]
    assert nets == [f"{3900 - 2184:.2f}", f"{3900 - 1638:.2f}"] == ["1716.00", "2262.00"]


def test_when_to_start_against_the_plan_year(runner: CliRunner, six: Path, tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(DEDUCTIBLE_ONLY, encoding="utf-8")
    result = invoke(runner, "sweep", six, "--plan", plan, "--vary", "start=2027-01-04,2027-12-27")
    assert result.exit_code == 0, result.stderr
    # From 2027-01-04 all six sessions (3900) fall in one plan year: 2000 to the deductible,
    # 1900 back, net 2000. From 2027-12-27 the sessions fall on 12-27, 12-30 (1500 in 2027,
    # all to the deductible), then 2028-01-03, 01-06, 01-10, 01-13 (2400 in 2028, after the
    # reset: 2000 to the new deductible, 400 back): net 3900 − 400 = 3500.
    early, late = 3900 - 1900, 3900 - 400
    assert f"${early:,}.00" in result.stdout and f"${late:,}.00" in result.stdout
    assert "Cheapest start: 2027-01-04" in result.stdout
    assert f"${late - early:,}.00 less than the worst point (start=2027-12-27" in result.stdout


def test_already_met_counts_only_in_its_plan_year(
    runner: CliRunner, six: Path, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(DEDUCTIBLE_ONLY + "already_met:\n  deductible: 1500\n", encoding="utf-8")
    result = invoke(
        runner,
        "sweep",
        six,
        "--plan",
        plan,
        "--start",
        "2027-01-04",
        "--vary",
        "start=2027-06-01,2028-01-03",
        "-f",
        "csv",
    )
    rows = {r["start"]: r for r in csv_rows(result)}
    # 2027-06-01: 1500 of the 2000 deductible is met this plan year; 500 left, then 3900 − 500
    # comes back: net 500. 2028-01-03: the plan year has reset; 2000 to the deductible, 1900
    # back: net 2000. Starting this plan year saves 1500.
    assert rows["2027-06-01"]["net"] == f"{2000 - 1500:.2f}"
    assert rows["2028-01-03"]["net"] == f"{3900 - (3900 - 2000)}.00"
    assert "Cheapest start: 2027-06-01" in result.stderr
    assert f"${2000 - 500:,}.00 less than the worst point" in result.stderr


def test_two_keys_draw_a_grid_with_the_best_marked(runner: CliRunner, six: Path) -> None:
    result = invoke(
        runner,
        "sweep",
        six,
        "--vary",
        "series.later_price=500,600",
        "--vary",
        "series.first_price=700,800",
        *START,
        "--months",
        "1",
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert ["series.later_price", "700", "800"] in [line.split() for line in lines]
    # first key down, second across: 700 × 2 + 500 × 4 = 3400 is the best; 800 × 2 + 600 × 4 = 4000
    row_500 = next(line for line in lines if line.strip().startswith("500 "))
    row_600 = next(line for line in lines if line.strip().startswith("600 "))
    assert row_500.split() == [
        "500",
        f"${700 * 2 + 500 * 4:,}.00",
        "*",
        f"${800 * 2 + 500 * 4:,}.00",
    ]
    assert row_600.split() == ["600", f"${700 * 2 + 600 * 4:,}.00", f"${800 * 2 + 600 * 4:,}.00"]
    assert "Best point: series.later_price=500, series.first_price=700" in result.stdout
    assert "$600.00 less than the worst point" in result.stdout


def test_markdown_grid(runner: CliRunner, six: Path) -> None:
    result = invoke(
        runner, "sweep", six, "--vary", "series.later_price=500,600", *START, "-f", "md"
    )
    assert result.exit_code == 0, result.stderr
    assert "| 500 | $3,500.00 \\* |" in result.stdout  # Markdown's * escaped
    assert "| 600 | $3,900.00   |" in result.stdout


def test_reimbursed_ranks_highest_first(runner: CliRunner, six: Path) -> None:
    result = invoke(
        runner,
        "sweep",
        six,
        "--vary",
        "plan.out_of_network.allowed=50%,90%",
        "--coinsurance",
        "40%",
        "--metric",
        "reimbursed",
        *START,
        "-f",
        "csv",
    )
    assert result.exit_code == 0, result.stderr
    assert "Best point: plan.out_of_network.allowed=90%" in result.stderr


# --- streaming output -----------------------------------------------------------------------------


def test_json_rows_and_best_point_on_stderr(runner: CliRunner, six: Path) -> None:
    result = invoke(
        runner, "sweep", six, "--vary", "series.later_price=600,500", *START, "-f", "json"
    )
    assert result.exit_code == 0, result.stderr
    header, *data = json.loads(result.stdout)
    assert header["header"] is True
    assert {"what": "months", "value": "12", "from": "default"} in header["assumptions"]
    assert [row["series.later_price"] for row in data] == ["600", "500"]
    assert data[1]["total"] == f"{750 * 2 + 500 * 4:.2f}"
    assert data[1]["expected_net"] is None
    assert "Best point: series.later_price=500" in result.stderr
    assert "$400.00 less than the worst point" in result.stderr  # 4 sessions × 100


def test_csv_to_a_file(runner: CliRunner, six: Path, tmp_path: Path) -> None:
    out = tmp_path / "grid.csv"
    result = invoke(runner, "sweep", six, "--vary", "months=1,2", *START, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["months", *METRIC_COLUMNS]
    assert [r["months"] for r in rows] == ["1", "2"]


# --- progress -------------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_for_slow_grids(monkeypatch) -> None:
    from ketacost.cli import sweep as command

    clock = iter(float(n) for n in range(1000))  # each row takes a second
    monkeypatch.setattr(command.time, "monotonic", lambda: next(clock))
    terminal = _Terminal()
    monkeypatch.setattr(command.sys, "stderr", terminal)
    assert list(command.with_progress(iter(range(5)), 5)) == [0, 1, 2, 3, 4]
    assert "5/5" in terminal.getvalue()  # the bar, finished, drawn on stderr

    pipe = io.StringIO()
    monkeypatch.setattr(command.sys, "stderr", pipe)
    assert list(command.with_progress(iter(range(5)), 5)) == [0, 1, 2, 3, 4]
    assert pipe.getvalue() == ""


def test_no_progress_bar_for_a_fast_grid(monkeypatch) -> None:
    from ketacost.cli import sweep as command

    clock = iter(n / 1000 for n in range(1000))  # a millisecond a row: 5 ms in all
    monkeypatch.setattr(command.time, "monotonic", lambda: next(clock))
    terminal = _Terminal()
    monkeypatch.setattr(command.sys, "stderr", terminal)
    assert list(command.with_progress(iter(range(5)), 5)) == [0, 1, 2, 3, 4]
    assert terminal.getvalue() == ""


# --- the sweep docs (docs/sweeps.md) --------------------------------------------------------------

SWEEP_DOCS = Path(__file__).parent.parent / "docs" / "sweeps.md"


def readme_section() -> str:
    return SWEEP_DOCS.read_text(encoding="utf-8")


def console_blocks(section: str) -> list[tuple[list[str], str]]:
    """Return each ``$ ketacost sweep`` command with what it prints (stdout and stderr).

    Blocks that show excerpts, or several commands, are left to tools/readme.py
    (tests/test_readme.py); whole outputs are run again here, through the test runner.
    """
    blocks = []
    chunks = section.split("```console\n")
    for before, block in itertools.pairwise(chunks):
        if ' from "' in before.rstrip().splitlines()[-1]:
            continue
        body = block.split("```")[0]
        command, _, shown = body.partition("\n")
        if command.startswith("$ ketacost sweep") and "$ ketacost" not in shown:
            args = [a.strip("'") for a in command.removeprefix("$ ketacost ").split()]
            blocks.append((args, shown))
    return blocks


def test_readme_sweep_output_is_real(runner: CliRunner) -> None:
    blocks = console_blocks(readme_section())
    assert len(blocks) >= 1
    for args, shown in blocks:
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.stderr
        printed = result.stdout + (result.stderr if "csv" in args else "")
        lines = [line.rstrip() for line in printed.rstrip("\n").splitlines()]
        assert lines == shown.rstrip("\n").splitlines(), " ".join(args)


def test_readme_sweep_python_example_runs(capsys) -> None:
    section = readme_section()
    code = section.split("```python\n")[1].split("```")[0]
    exec(compile(code, "docs/sweeps.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    # 500 at 50% is the worked cell above: 0.5 × 11240 + 0.4 × 8990 + 0.1 × 5840 = 9800
    assert (
        printed[0] == f"('500', '50%') {D('0.5') * 11240 + D('0.4') * 8990 + D('0.1') * 5840:.2f}"
    )
    assert len(printed) == 3 * 2


# --- property: every row is what estimate says at that point -------------------------------------

PLANS = ["acme-ppo", "by-code", "high-deductible", "excludes-ketamine"]


def _estimate_row(clinic, plan, start, months) -> tuple[Decimal, ...]:
    """The sweep's metrics from ``estimate`` (the weighting restates the product's rule):
    ``net`` is the expected net where the scenarios carry probabilities, else the only
    scenario's (docs/api.md: never the first for being first)."""
    result = ketacost.estimate(clinic, plan, start=start, months=months)
    scenarios = result.scenarios
    weights = [s.probability for s in scenarios]
    reimbursed = scenarios[0].reimbursed
    if all(w is not None for w in weights):
        reimbursed = round_cents(
            sum(w * s.reimbursed for w, s in zip(weights, scenarios, strict=True))
        )
    return (
        result.total,
        scenarios[0].net if result.expected_net is None else result.expected_net,
        result.expected_net,
        max(s.peak_outlay for s in scenarios),
        reimbursed,
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    clinic_name=st.sampled_from(["examples/clinics/westside.yaml", "los-angeles-iv"]),
    plan_name=st.sampled_from(PLANS),
    prices=st.lists(st.integers(0, 3000), min_size=1, max_size=3, unique=True),
    deductibles=st.lists(st.integers(0, 5000), min_size=1, max_size=2, unique=True),
    start=st.dates(dt.date(2026, 6, 1), dt.date(2028, 12, 31)),
    months=st.integers(1, 30),
)
def test_rows_equal_estimate_at_every_point(
    clinic_name, plan_name, prices, deductibles, start, months
) -> None:
    clinic = ketacost.load_clinic(
        str(EXAMPLES.parent / clinic_name) if clinic_name.endswith(".yaml") else clinic_name
    )
    plan = ketacost.load_plan(EXAMPLES / "plans" / f"{plan_name}.yaml")
    grid = ketacost.sweep(
        clinic,
        plan,
        vary={
            "series.later_price": prices,
            "plan.out_of_network.deductible": deductibles,
        },
        start=start,
        months=months,
    )
    rows = list(grid)
    assert len(rows) == len(prices) * len(deductibles)
    for row in rows:
        price, deductible = row.values
        data = clinic.model_dump(mode="json")
        data["series"]["later_price"] = price
        plan_data = plan.model_dump(mode="json")
        plan_data["out_of_network"]["deductible"] = deductible
        expected = _estimate_row(
            ketacost.Clinic.model_validate(data),
            ketacost.Plan.model_validate(plan_data),
            start,
            months,
        )
        got = (row.total, row.net, row.expected_net, row.peak_outlay, row.reimbursed)
        assert got == expected, row.values


def test_api_refuses_a_plan_in_another_currency() -> None:
    clinic = ketacost.load_clinic(WESTSIDE)
    plan = ketacost.Plan.model_validate({"kind": "plan", "name": "Euro plan", "currency": "EUR"})
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(clinic, plan, vary={"months": [6]})
    assert "in EUR but the clinic" in caught.value.problems[0].message


def test_shared_flags_hold_for_every_point(runner: CliRunner, six: Path) -> None:
    # --deductible 1000 and --coinsurance 50% make a plan of flags (which must state its
    # allowed amount too); allowed varies over it.
    rows = csv_rows(
        invoke(
            runner,
            "sweep",
            six,
            "--deductible",
            "1000",
            "--coinsurance",
            "50%",
            "--allowed",
            "10%",
            "--vary",
            "plan.out_of_network.allowed=100%",
            *START,
            "-f",
            "csv",
        )
    )
    # 3900 billed and allowed: 1000 to the deductible, then half of the 2900 left comes back.
    assert rows[0]["reimbursed"] == f"{(3900 - 1000) * D('0.5'):.2f}"


def test_fail_over_is_refused(runner: CliRunner, six: Path) -> None:
    result = invoke(runner, "sweep", six, "--vary", "months=6", "--fail-over", "100")
    assert result.exit_code == 2
    assert "--fail-over" in result.stderr


def test_did_you_mean_inside_an_optional_section(runner: CliRunner, tmp_path: Path) -> None:
    # out_of_network is optional (NetworkTerms | None): its keys are still offered
    plan = tmp_path / "typo.yaml"
    plan.write_text("kind: plan\nname: Typo\nout_of_network:\n  alowed: 50%\n", encoding="utf-8")
    result = invoke(runner, "check", plan)
    assert result.exit_code == 2
    assert "hint: did you mean 'allowed'?" in result.stderr


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan_name=st.sampled_from(["in-network-ppo", "medicare-part-b", "medicare-advantage"]),
    prices=st.lists(st.integers(100, 2000), min_size=1, max_size=2, unique=True),
    deductibles=st.lists(st.integers(0, 3000), min_size=1, max_size=2, unique=True),
    start=st.dates(dt.date(2026, 6, 1), dt.date(2028, 12, 31)),
    months=st.integers(1, 18),
)
def test_in_network_rows_equal_estimate(plan_name, prices, deductibles, start, months) -> None:
    # In network the patient pays only their share at each visit: the sweep must agree.
    clinic = ketacost.load_clinic("esketamine-medicare-56mg")
    plan = ketacost.load_plan(EXAMPLES / "plans" / f"{plan_name}.yaml")
    grid = ketacost.sweep(
        clinic,
        plan,
        vary={"series.price": prices, "plan.in_network.deductible": deductibles},
        start=start,
        months=months,
    )
    for row in grid:
        price, deductible = row.values
        data = clinic.model_dump(mode="json")
        data["series"]["price"] = price
        plan_data = plan.model_dump(mode="json", exclude_unset=True)
        plan_data["in_network"] = {**plan_data["in_network"], "deductible": deductible}
        expected = _estimate_row(
            ketacost.Clinic.model_validate(data),
            ketacost.Plan.model_validate(plan_data),
            start,
            months,
        )
        got = (row.total, row.net, row.expected_net, row.peak_outlay, row.reimbursed)
        assert got == expected, row.values


def test_csv_quotes_a_label_a_spreadsheet_would_run(runner: CliRunner, tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text(
        SIX_SESSIONS + 'payment_plans:\n  - name: "=HYPERLINK(1)"\n    months: 12\n    apr: 0%\n',
        encoding="utf-8",
    )
    rows = csv_rows(
        invoke(runner, "sweep", clinic, "--vary", "finance==HYPERLINK(1)", *START, "-f", "csv")
    )
    assert rows[0]["finance"] == "'=HYPERLINK(1)"
    assert rows[0]["total"] == f"{750 * 2 + 600 * 4}.00"


def test_a_point_too_big_to_schedule_is_refused_before_any_row(
    runner: CliRunner, tmp_path: Path
) -> None:
    clinic = tmp_path / "busy.yaml"
    lozenges = "".join(
        f"  - kind: lozenge\n    fill_price: 1\n    per_week: 7\n    label: Fill {i}\n"
        for i in range(6)
    )
    clinic.write_text(
        "name: Busy\nseries:\n  sessions: 2\n  price: 10\nmaintenance:\n" + lozenges,
        encoding="utf-8",
    )
    # 6 items × 7 a week × about 521 weeks is over the 20,000 charges an estimate makes
    result = invoke(runner, "sweep", clinic, "--vary", "months=1,120", *START, "-f", "csv")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "at the point months=120" in result.stderr
    assert "more than 20,000" in result.stderr


def test_html_grid(runner: CliRunner, six: Path) -> None:
    result = invoke(
        runner, "sweep", six, "--vary", "series.later_price=500,600", *START, "-f", "html"
    )
    assert result.exit_code == 0, result.stderr
    assert "<table" in result.stdout
    assert f"${750 * 2 + 500 * 4:,}.00 *" in result.stdout
    assert "Best point: series.later_price=500" in result.stdout


def test_a_network_the_plan_has_no_terms_for_is_refused_before_any_row(
    runner: CliRunner,
) -> None:
    # acme-ppo.yaml has only out_of_network terms: the in-network point cannot be priced.
    vary = "billing.network=out-of-network,in-network"
    result = invoke(
        runner, "sweep", "los-angeles-iv", "--plan", ACME, "--vary", vary, *START, "-f", "csv"
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "at the point billing.network=in-network" in result.stderr
    assert "no in_network terms" in result.stderr


def test_a_coverage_the_savings_programme_excludes_is_refused_before_any_row(
    runner: CliRunner,
) -> None:
    # The manufacturer's programme is for commercial plans only, not Medicare.
    plan = EXAMPLES / "plans" / "in-network-ppo.yaml"
    vary = "plan.coverage=commercial,medicare"
    result = invoke(
        runner, "sweep", "esketamine-cash", "--plan", plan, "--savings-program",
        "--vary", vary, *START, "-f", "csv",
    )  # fmt: skip
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert "at the point plan.coverage=medicare" in result.stderr


def test_network_flag_and_a_varied_network_are_refused_together(runner: CliRunner) -> None:
    plan = EXAMPLES / "plans" / "in-network-ppo.yaml"
    vary = "billing.network=out-of-network,in-network"
    result = invoke(
        runner, "sweep", "los-angeles-iv", "--plan", plan, "--network", "in",
        "--vary", vary, *START, "-f", "csv",
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--network in would fix the network" in result.stderr


def test_a_plan_of_varied_keys_for_a_self_pay_only_clinic(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Nothing is claimable there: the sweep runs, and lists no terms, as estimate would."""
    cash = tmp_path / "cash.yaml"
    cash.write_text(
        "name: Cash\nseries: {sessions: 3, every_weeks: 1, price: 500}\n"
        "billing: {network: self-pay-only}\n",
        encoding="utf-8",
    )
    result = invoke(
        runner, "sweep", cash, "--vary", "allowed=50%,70%", "--vary", "coinsurance=20%,40%",
        *START, "-f", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    header, *points = json.loads(result.stdout)
    said = {a["what"] for a in header["assumptions"]}
    assert not any("(out-of-network)" in what for what in said)
    assert {p["net"] for p in points} == {f"{3 * 500:.2f}"}  # every point pays the price


def test_a_key_varied_in_the_other_networks_block_states_nothing(
    runner: CliRunner, six: Path
) -> None:
    """The six-session clinic bills out of network: plan.in_network.allowed is not its term."""
    other = invoke(runner, "sweep", six, "--vary", "plan.in_network.allowed=50%,70%",
                   "--coinsurance", "40%", *START)  # fmt: skip
    assert (other.exit_code, other.stdout) == (2, "")
    assert "must state --allowed" in other.stderr
    own = invoke(runner, "sweep", six, "--vary", "plan.out_of_network.allowed=50%,70%",
                 "--coinsurance", "40%", *START, "-f", "csv")  # fmt: skip
    rows = csv_rows(own)
    # 750 × 2 + 600 × 4 = 3,900: back 3,900 × 50% × 60% = 1,170, or × 70% × 60% = 1,638
    assert [r["net"] for r in rows] == [f"{3900 - 1170}.00", f"{3900 - 1638}.00"]


def test_api_refuses_to_make_up_a_terms_block_the_plan_lacks() -> None:
    """capped-ppo has in-network terms only: varying an out-of-network term would invent the
    rest of that block at its most generous (0% coinsurance, no deductible)."""
    clinic = ketacost.load_clinic("los-angeles-iv")  # billed out of network
    plan = ketacost.load_plan(EXAMPLES / "plans" / "capped-ppo.yaml")
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(clinic, plan, vary={"plan.out_of_network.allowed": ["50%"]})
    assert "the plan has no out_of_network terms" in caught.value.problems[0].message


def test_metric_net_is_the_expected_value_when_no_scenario_is_named(runner: CliRunner) -> None:
    """docs/sweeps.md: net is the named scenario's, else the expected value."""
    args = ["sweep", "los-angeles-iv", "--plan", ACME, "--vary", "allowed=50%,70%", *START]
    rows = csv_rows(invoke(runner, *args, "--metric", "net", "-f", "csv"))
    assert [r["net"] for r in rows] == [r["expected_net"] for r in rows]
    named = csv_rows(invoke(runner, *args, "--metric", "net", "--scenario", "Denied", "-f", "csv"))
    assert {r["net"] for r in named} == {"6300.00"}  # denied: every charge, 750 × 2 + 600 × 8


def test_a_response_rate_and_its_stop_rule_are_varied_one_at_a_time(runner: CliRunner) -> None:
    both = invoke(runner, "sweep", "--vary", "response-rate=30%,50%", "--vary", "stop-after=2,3",
                  *START, "--no-config")  # fmt: skip
    assert both.exit_code == 2
    assert "make one response model: vary one of them at a time" in both.stderr
    rate = invoke(
        runner, "sweep", "--vary", "response-rate=30%", *START, "--no-config", "-f", "json"
    )
    header, point = json.loads(rate.stdout)
    said = {a["what"]: (a["value"], a["from"]) for a in header["assumptions"]}
    assert said["without a response, stop after"] == ("3 series sessions", "default")
    # 30% × 6,300 + 70% × (750 × 2 + 600): the default clinic, stopped after three sessions
    assert point["net"] == f"{D('0.3') * 6300 + D('0.7') * (750 * 2 + 600):.2f}" == "3360.00"
    stop = invoke(runner, "sweep", "--response-rate", "50%", "--vary", "stop-after=1,6", *START,
                  "--no-config", "-f", "json")  # fmt: skip
    header = json.loads(stop.stdout)[0]
    assert "without a response, stop after" not in {a["what"] for a in header["assumptions"]}


def test_points_whose_horizon_cuts_the_series_are_named(runner: CliRunner) -> None:
    """at-home-program: six weekly $193 sessions; one month holds five of them (5 × 193)."""
    result = invoke(runner, "sweep", "at-home-program", "--vary", "months=1,2", *START,
                    "--no-config", "-f", "csv")  # fmt: skip
    rows = csv_rows(result)
    assert [r["total"] for r in rows] == [f"{5 * 193}.00", f"{6 * 193}.00"]
    said = " ".join(result.stderr.split())
    assert "⚠ The horizon ends before the series does at some points (months=1)" in said
    whole = invoke(runner, "sweep", "at-home-program", "--vary", "months=2,3", *START,
                   "--no-config", "-f", "csv")  # fmt: skip
    assert "horizon ends before" not in whole.stderr


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        ("-100..100:100", "'-100' is negative"),
        ("400..700:-100", "'-100' is negative"),
        ("1e3..2e3:5e2", "'1e3' has an exponent"),
    ],
)
def test_a_range_says_what_is_wrong_with_a_sign_or_an_exponent(spec: str, said: str) -> None:
    result = CliRunner().invoke(
        app, ["sweep", "--vary", f"series.later_price={spec}", "--start", "2027-01-04"]
    )
    assert result.exit_code == 2
    assert said in result.stderr and "not in the same unit" not in result.stderr


def test_a_grid_point_may_not_reach_a_term_the_plan_file_leaves_out(tmp_path: Path) -> None:
    # the estimate refuses a plan file whose block in effect leaves out coinsurance; a
    # sweep whose network axis reaches such a block is refused too, unless it varies it
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "kind: plan\nname: P\nout_of_network: {deductible: 1000, coinsurance: 40%, allowed: 70%}\n"
        "in_network: {deductible: 500}\n",
        encoding="utf-8",
    )
    base = ["sweep", str(WESTSIDE), "--plan", str(plan), "--start", "2027-01-04", "-f", "csv"]
    networks = ["--vary", "billing.network=out-of-network,in-network"]
    refused = CliRunner().invoke(app, [*base, *networks])
    assert refused.exit_code == 2
    assert "at the point billing.network=in-network: the plan's in_network terms leave out" in (
        refused.stderr
    )
    varied = CliRunner().invoke(
        app, [*base, *networks, "--vary", "plan.in_network.coinsurance=20%"]
    )
    assert varied.exit_code == 0, varied.stderr


def test_a_by_code_allowed_amount_without_other_sweeps_as_it_estimates(tmp_path: Path) -> None:
    # the sweep writes the plan out and reads it back: a by-code rule with no `other`
    # was written with `other: null`, which the reader refuses (an internal error before)
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "kind: plan\nname: By code\nout_of_network: {deductible: 500, coinsurance: 20%,"
        ' allowed: {by_code: {"96365": 300}}}\n',
        encoding="utf-8",
    )
    loaded = ketacost.load_plan(plan)
    clinic = ketacost.load_clinic(WESTSIDE)
    start = dt.date(2027, 1, 4)
    (row,) = ketacost.sweep(clinic, loaded, {"months": [12]}, start=start)
    assert row.net == ketacost.estimate(clinic, loaded, start=start).scenarios[0].net
    varied = CliRunner().invoke(
        app,
        ["sweep", str(WESTSIDE), "--plan", str(plan), "--start", "2027-01-04", "-f", "csv",
         "--vary", "plan.out_of_network.deductible=0,500"],
    )  # fmt: skip
    assert varied.exit_code == 0, varied.stderr


def test_a_best_figure_shared_by_other_points_is_said_of_them(tmp_path: Path) -> None:
    # median-iv's six sessions all fall in the first month, and it has no maintenance: two
    # and three months cost the same, so each allowed amount gives one figure twice and the
    # best is shared by two points. Varying the allowed amount alone, nothing ties.
    base = ["sweep", "median-iv", "--plan", str(EXAMPLES / "plans" / "acme-ppo.yaml")]
    base += ["--start", "2027-01-04", "--vary", "allowed=70%,100%"]
    tied = CliRunner().invoke(app, [*base, "--vary", "months=2,3"])
    assert tied.exit_code == 0, tied.stderr
    flat = " ".join(tied.stdout.split())
    assert "Best point: allowed=100%, months=2" in flat
    assert "1 other point gives the same expected net cost: the first is named." in flat
    alone = CliRunner().invoke(app, base)
    assert alone.exit_code == 0, alone.stderr
    assert "other point" not in alone.stdout


def test_a_plan_of_varied_keys_lists_covered_yes_as_assumed() -> None:
    # every point pays back as if the plan covers ketamine, which nobody stated
    args = ["sweep", "--no-config", "--start", "2027-01-04"]
    args += ["--vary", "plan.out_of_network.coinsurance=20%,40%"]
    args += ["--vary", "plan.out_of_network.allowed=70%"]
    table = CliRunner().invoke(app, args)
    assert table.exit_code == 0, table.stderr
    assert "covered: yes: the plan pays these claims by its terms" in " ".join(table.stdout.split())
    data = CliRunner().invoke(app, [*args, "--format", "json"])
    header = json.loads(data.stdout)[0]
    (covered,) = [a for a in header["assumptions"] if a["what"] == "covered"]
    assert covered["from"] == "default" and covered["value"].startswith("yes")
