"""Output options and small conveniences: width, stdin, file-name hints, check's ok line."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketacost.cli import app
from ketacost.cli.options import terminal_width

ROOT = Path(__file__).resolve().parent.parent
START = ("--start", "2027-01-04")
ACME = str(ROOT / "examples" / "plans" / "acme-ppo.yaml")


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), input=stdin, env=env)


def widest(text: str) -> int:
    """Return the longest line's length; a web address longer than the width stands alone
    on its line, whole (docs/reports.md), and is not counted."""
    return max(len(line) for line in text.splitlines() if not re.fullmatch(r"<https?://\S+>", line))


def test_piped_width_is_columns_else_100(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    assert terminal_width() == 100
    monkeypatch.setenv("COLUMNS", "72")
    assert terminal_width() == 72
    assert terminal_width(55) == 55  # --width wins
    monkeypatch.setenv("COLUMNS", "wide")
    assert terminal_width() == 100


@pytest.mark.parametrize("command", [["estimate", "--plan", ACME], ["compare", "--catalog"]])
def test_width_flag_and_columns_bound_every_line(command: list[str]) -> None:
    narrow = run(*command, *START, "--width", "60")
    assert narrow.exit_code == 0, narrow.stderr
    assert widest(narrow.stdout) <= 60
    piped = run(*command, *START, env={"COLUMNS": "70"})
    assert widest(piped.stdout) <= 70
    assert all(line == line.rstrip() for line in piped.stdout.splitlines())


def test_width_below_20_is_refused() -> None:
    result = run("estimate", *START, "--width", "10")
    assert result.exit_code == 2


def test_claims_at_80_columns_keep_whole_dates() -> None:
    result = run("estimate", "--plan", ACME, *START, "--claims", "--width", "80")
    assert result.exit_code == 0
    claims = result.stdout[result.stdout.index("Claims — As written") :]
    for day in ("2027-01-04", "2027-01-07", "2027-01-11", "2027-04-15", "2027-12-23"):
        assert day in claims
    assert "2027-01\n" not in claims


def test_compare_at_80_columns_keeps_the_figures_that_rank() -> None:
    result = run("compare", "median-iv", "los-angeles-iv", "--plan", ACME, *START, "--width", "80")
    text = result.stdout
    header = text[text.index("Clinics ranked") :]
    for name in ("Clinic", "Total", "Expected", "Peak"):
        assert name in header
    # Los Angeles: 750 * 2 + 600 * 4 + 600 * 4 = 6,300; expected net 5,313.60 (README).
    assert "$6,300.00" in text and "$5,313.60" in text
    assert "Not shown at 80 columns: Modality" in " ".join(text.split())


def test_a_profile_from_standard_input() -> None:
    profile = "name: Piped Clinic\nseries: {sessions: 3, price: 500}\n"
    result = run("estimate", "-", *START, "--format", "json", stdin=profile)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["clinic"]["name"] == "Piped Clinic"
    assert data["total"] == "1500.00"  # 500 * 3


def test_a_bad_profile_from_standard_input_is_named_stdin() -> None:
    result = run("estimate", "-", *START, stdin="name: X\nseries: {sessions: 3, prize: 5}\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("(stdin):2:")


def test_a_misspelt_file_name_gets_a_suggestion(tmp_path: Path) -> None:
    (tmp_path / "westside.yaml").write_text("name: W\nseries: {sessions: 1, price: 1}\n")
    result = run("estimate", str(tmp_path / "westsde.yaml"), *START)
    assert result.exit_code == 2
    assert f"did you mean '{tmp_path / 'westside.yaml'}'?" in result.stderr
    check = run("check", str(tmp_path / "westsid.yaml"))
    assert check.exit_code == 2
    assert "did you mean" in check.stderr


def test_check_says_ok_once_unless_quiet(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("name: A\nseries: {sessions: 1, price: 100}\n")
    result = run("check", str(tmp_path))
    assert (result.exit_code, result.stdout) == (0, "ok: 2 files checked, no problems\n")
    one = run("check", str(tmp_path / "a.yaml"))
    assert one.stdout == "ok: 1 file checked, no problems\n"
    assert run("check", "-q", str(tmp_path)).stdout == ""


def test_compare_needs_clinics_or_the_catalog() -> None:
    result = run("compare", *START)
    assert result.exit_code == 2
    assert "--catalog" in result.stderr
    single = run("compare", "median-iv", *START)
    assert "Comparing 1 clinic\n" in single.stdout


def test_compare_catalog_ranks_every_bundled_profile() -> None:
    listed = json.loads(run("catalog", "--format", "json").stdout)
    result = run("compare", "--catalog", *START, "--format", "json")
    assert result.exit_code == 0, result.stderr
    ranked = json.loads(result.stdout)
    assert len(ranked) == len(listed)
    nets = [Decimal(r["scenarios"][0]["net"]) for r in ranked]
    assert nets == sorted(nets)


def test_compare_chart_is_drawn(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    chart = tmp_path / "clinics.svg"
    result = run("compare", "median-iv", "high-end-iv", *START, "--chart", str(chart))
    assert result.exit_code == 0, result.stderr
    svg = chart.read_text(encoding="utf-8")
    assert "<svg" in svg
    assert "$6,000" in svg  # the axis is in dollars, thousands separated (high-end: 1000 * 6)


def test_catalog_csv_holds_plain_decimals() -> None:
    result = run("catalog", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    by_name = {row["name"]: row for row in rows}
    los_angeles = by_name["los-angeles-iv"]
    assert (los_angeles["first_price"], los_angeles["later_price"]) == ("750.00", "600.00")
    assert los_angeles["first_sessions"] == "2"
    assert all("$" not in row["first_price"] for row in rows)


def test_cash_flow_bars_share_one_scale() -> None:
    result = run("estimate", "--plan", ACME, *START, "--width", "160")
    text = result.stdout
    # $3,900.00 in January in every scenario: the same bar in each of the three tables.
    january = [line for line in text.splitlines() if line.startswith("2027-01  ")]
    assert len(january) == 3
    assert len({line.split()[-1] for line in january}) == 1


def test_one_expected_net_line() -> None:
    result = run("estimate", "--plan", ACME, *START)
    assert result.stdout.count("Expected net") == 1


def test_estimate_flags_stale_prices_like_compare(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(
        "name: Old\nsource: {title: A call, checked: 2026-01-04}\n"
        "series: {sessions: 1, price: 100}\n"
    )
    result = run("estimate", str(old), *START)
    # 2026-01-04 to 2027-01-04: 365 days, more than 180.
    assert "⚠ The prices were checked 365 days before the start (more than 180)" in result.stdout
    fresh = run("estimate", "los-angeles-iv", *START)
    assert "⚠" not in fresh.stdout


def test_one_month_and_one_session_are_singular(tmp_path: Path) -> None:
    one = tmp_path / "one.yaml"
    one.write_text("name: One\nseries: {sessions: 1, price: 100}\n")
    result = run("estimate", str(one), *START, "--months", "1", "--width", "200")
    assert "(1 month)" in result.stdout and "Total over 1 month " in result.stdout
    assert "(1 session and its per-session fees)" in result.stdout


def test_plan_year_reset_and_deductible_left_in_words() -> None:
    plan = str(ROOT / "examples" / "plans" / "high-deductible.yaml")
    result = run("estimate", "--plan", plan, "--start", "2027-06-01", "--width", "200")
    text = " ".join(result.stdout.split())
    assert "counters reset on 2028-01-01" in text
    # Reset on 2028-01-01; the boosters of 2028 (allowed 60% of $600 = $360 each) then count
    # toward a new deductible: see the claims for the figure left.
    claims = run("estimate", "--plan", plan, "--start", "2027-06-01", "--claims", "-f", "json")
    data = json.loads(claims.stdout)
    covered = [c for c in data["scenarios"][0]["claims"] if c["allowed"] != "0.00"]
    left = covered[-1]["deductible_left"]
    assert f"deductible not met, ${Decimal(left):,.2f} left after the last claim" in text


def test_check_reads_standard_input() -> None:
    bad = run("check", "-", stdin="name: X\nseries: {sessions: 2, prize: 3}\n")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("(stdin):2:23: error: unknown key 'prize'")
    good = run("check", "-", stdin="name: X\nseries: {sessions: 2, price: 3}\n")
    assert (good.exit_code, good.stdout) == (0, "ok: 1 file checked, no problems\n")


def test_the_assumed_inputs_nest_under_their_line_in_markdown_and_html() -> None:
    args = ["estimate", "--start", "2027-01-04", "--no-config"]
    markdown = run(*args, "-f", "md").stdout.splitlines()
    at = markdown.index("- Assumed — not stated by you:")
    assert markdown[at + 1 : at + 3] == [
        "  - months: 12",
        "  - plan: none: you pay every charge yourself",
    ]
    html = run(*args, "-f", "html").stdout
    assert (
        "<li>Assumed — not stated by you:<ul>\n<li>months: 12</li>\n"
        "<li>plan: none: you pay every charge yourself</li>\n</ul></li>"
    ) in html


@pytest.mark.parametrize(
    "command", [["estimate"], ["compare", "median-iv", "high-end-iv"]], ids=["estimate", "compare"]
)
def test_the_chart_may_not_replace_the_report(tmp_path: Path, command: list[str]) -> None:
    report = tmp_path / "r.svg"
    result = run(*command, *START, "-f", "json", "-o", str(report), "--chart", str(report))
    assert result.exit_code == 2
    assert "-o and --chart name the same file" in result.stderr
    assert not report.exists()
