"""``ketacost catalog``: a table at a terminal's width, and the series' own price."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from ketacost.cli import app
from ketacost.files.bundled import profile_names


def test_catalog_at_100_columns_is_one_row_per_profile(runner: CliRunner) -> None:
    result = runner.invoke(app, ["catalog", "--width", "100"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    rows = [line for line in lines if line.split() and line.split()[0] in profile_names()]
    assert len(rows) == len(profile_names())  # each profile on one line of its own
    # The heading, the table's title, header and rule, the rows, and a few lines of notes.
    assert len(lines) < len(profile_names()) + 20, result.stdout
    assert "Not shown at 100 columns:" in result.stdout and "Source" in result.stdout


def test_series_price_is_the_whole_series(runner: CliRunner) -> None:
    table = runner.invoke(app, ["catalog", "--width", "100"]).stdout
    row = next(line for line in table.splitlines() if line.startswith("los-angeles-iv "))
    # Two sessions at $750 and four at $600: 750 * 2 + 600 * 4 = 3,900.
    assert "$3,900.00" in row.split()
    listed = {
        e["name"]: e for e in json.loads(runner.invoke(app, ["catalog", "-f", "json"]).stdout)
    }
    assert listed["los-angeles-iv"]["series_price"] == "3900.00"
    assert listed["high-end-iv"]["series_price"] == "6000.00"  # 1000 * 6
    # six $200 sessions, each with its $250 membership: as compare prices the series
    assert listed["superbill-itemized-iv"]["series_price"] == f"{6 * (200 + 250)}.00"
    rows = csv.DictReader(io.StringIO(runner.invoke(app, ["catalog", "-f", "csv"]).stdout))
    assert {r["name"]: r["series_price"] for r in rows}["los-angeles-iv"] == "3900.00"


def test_a_wide_terminal_shows_the_price_per_session_and_the_source(runner: CliRunner) -> None:
    # A source's address is never cut: the longest bundled one (110 characters, Vice's)
    # takes the source column that wide, and the other columns fit unfolded beside it.
    table = runner.invoke(app, ["catalog", "--width", "260"]).stdout
    row = next(line for line in table.splitlines() if line.startswith("los-angeles-iv "))
    assert "$750.00 × 2, then $600.00" in row and "Allure" in row


def test_a_narrow_terminal_never_splits_a_sources_address(runner: CliRunner) -> None:
    """docs/reports.md: an address longer than the width stands alone on its line, whole.

    At 50 columns and fewer each profile is a block of lines; a source's title wraps,
    indented under its header, and its address is printed whole, on a line of its own.
    """
    listed = json.loads(runner.invoke(app, ["catalog", "-f", "json"]).stdout)
    addresses = [entry["source"]["url"] for entry in listed]
    for width in (30, 40, 50):
        text = runner.invoke(app, ["catalog", "--width", str(width)]).stdout
        lines = text.splitlines()
        for address in addresses:
            shown = f"<{address}>"
            if len(shown) > width - 4:  # longer than the indented width: alone on its line
                assert shown in lines, (width, address)
            else:  # it fits: whole within one line, as any word
                assert any(shown in line for line in lines), (width, address)
        assert all(len(line) <= width for line in lines if not line.startswith("<http"))
        wrapped = next(i for i, line in enumerate(lines) if line == "  Source:")
        assert lines[wrapped + 1].startswith("    ") and lines[wrapped + 2].startswith("    ")


def test_the_csv_gives_each_sources_address(runner: CliRunner) -> None:
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["catalog", "-f", "csv"]).stdout)))
    listed = {
        e["name"]: e for e in json.loads(runner.invoke(app, ["catalog", "-f", "json"]).stdout)
    }
    assert list(rows[0])[-2:] == ["source_url", "per_session_fees"]  # columns added last
    for row in rows:
        assert row["source_url"] == listed[row["name"]]["source"]["url"]
        assert row["source_url"].startswith(("https://", "http://"))


def test_fees_charged_with_every_session_are_shown_beside_its_price(runner: CliRunner) -> None:
    # superbill-itemized-iv: $200 a session, and its source's $250 membership per session,
    # so each visit costs 200 + 250 = 450
    table = runner.invoke(app, ["catalog", "--width", "200"]).stdout
    row = next(line for line in table.splitlines() if line.startswith("superbill-itemized-iv"))
    assert "$200.00 + $250.00 membership" in row
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["catalog", "-f", "csv"]).stdout)))
    fees = {row["name"]: row["per_session_fees"] for row in rows}
    assert fees["superbill-itemized-iv"] == "250.00"
    assert fees["los-angeles-iv"] == "0.00"
    listed = json.loads(runner.invoke(app, ["catalog", "-f", "json"]).stdout)
    assert {e["name"]: e["per_session_fees"] for e in listed}["superbill-itemized-iv"] == "250.00"


def test_the_fees_every_session_costs_are_said_at_any_width(runner: CliRunner) -> None:
    # at 60 columns the price-per-session column gives way; the note keeps the fee
    narrow = runner.invoke(app, ["catalog", "--width", "60"]).stdout
    header = next(line for line in narrow.splitlines() if line.startswith("Name"))
    assert "Per session" not in header
    flat = " ".join(narrow.split())
    assert "The fees counted in it: superbill-itemized-iv: $200.00 + $250.00 membership" in (flat)
