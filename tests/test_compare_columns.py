"""``compare``'s ranking keeps what it ranks by at any width, and its CSV the series price.

The width rules are docs/output.md's "Any width"; the CSV columns its "CSV".

Four bundled clinics under examples/plans/acme-ppo.yaml, from 2027-01-04. Each
series is six sessions; the consult and the troche fills are not claimable, so
only the sessions (and the Los Angeles boosters) are claimed. The plan leaves
$2,000 − $500 met = $1,500 of deductible, then pays back 60% (40% coinsurance)
of what it allows:

| clinic          | series price      | total                                | claimed |
|-----------------|-------------------|--------------------------------------|---------|
| median-iv       | 6 × 590 = 3,540   | 3,540 + a 350 consult                | 3,540   |
| iv-with-troches | 6 × 590 = 3,540   | 3,540 + 12 fills × 120 (every 4 wks) | 3,540   |
| los-angeles-iv  | 2 × 750 + 4 × 600 | 3,900 + 4 boosters × 600             | 6,300   |
| high-end-iv     | 6 × 1,000 = 6,000 | 6,000                                | 6,000   |
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketacost.cli import app
from ketacost.engine.estimate import estimate
from ketacost.files.load import load_clinic, load_plan
from ketacost.report.comparison import compare_report
from ketacost.report.widths import fit
from ketacost.report.words import money

D = Decimal
ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "plans" / "acme-ppo.yaml"
CLINICS = ["los-angeles-iv", "median-iv", "high-end-iv", "iv-with-troches"]
COMMON = ["--plan", str(PLAN), "--start", "2027-01-04", "--no-config"]
DEDUCTIBLE_LEFT = D(2000) - D(500)
BACK = D("0.60")  # what the plan pays of what it allows past the deductible

SERIES = {
    "median-iv": D(6 * 590),
    "iv-with-troches": D(6 * 590),
    "los-angeles-iv": D(2 * 750 + 4 * 600),
    "high-end-iv": D(6 * 1000),
}
TOTAL = {
    "median-iv": D(6 * 590 + 350),
    "iv-with-troches": D(6 * 590 + 12 * 120),
    "los-angeles-iv": D(2 * 750 + 4 * 600 + 4 * 600),
    "high-end-iv": D(6 * 1000),
}
CLAIMED = {
    "median-iv": D(6 * 590),
    "iv-with-troches": D(6 * 590),
    "los-angeles-iv": TOTAL["los-angeles-iv"],
    "high-end-iv": TOTAL["high-end-iv"],
}


def net(clinic: str, allowed: Decimal) -> Decimal:
    """Return the net: the total less 60% of what is allowed past the deductible left."""
    return TOTAL[clinic] - BACK * (allowed * CLAIMED[clinic] - DEDUCTIBLE_LEFT)


def compare(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(app, ["compare", *CLINICS, *COMMON, *args], env=env)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def rows(text: str) -> list[str]:
    """Return the first line of each ranked row: the one that holds its figures."""
    return [line for line in text.splitlines() if re.match(r"^\d+  \S", line)][:4]


def not_shown(text: str) -> str:
    """Return the "Not shown" note of the ranking, its lines joined."""
    flat = " ".join(text.split())
    found = re.search(r"Not shown at \d+ columns: ([^(]*)\(", flat)
    assert found is not None
    return found.group(1)


def test_ranked_by_series_keeps_the_series_price_at_100_columns() -> None:
    text = compare("--rank-by", "series")
    order = ["median-iv", "iv-with-troches", "los-angeles-iv", "high-end-iv"]
    assert [SERIES[c] for c in order] == [D(3540), D(3540), D(3900), D(6000)]
    for line, clinic in zip(rows(text), order, strict=True):
        # The series price is the row's first figure, so the order reads from the table.
        assert line.split("$", 1)[1].startswith(money(SERIES[clinic], "USD")[1:] + " ")
    assert "Series price" not in not_shown(text)


def test_a_chosen_scenario_keeps_its_net_at_80_columns() -> None:
    text = compare("--scenario", "Generous", "--width", "80")
    # Generous allows 100% of billed: median 3,890 − 0.6 × (3,540 − 1,500) = 2,666.
    generous = {c: net(c, D(1)) for c in CLINICS}
    assert generous["median-iv"] == D(2666)
    order = ["median-iv", "high-end-iv", "los-angeles-iv", "iv-with-troches"]
    assert [generous[c] for c in order] == [D(2666), D(3300), D(3420), D(3756)]
    for line, clinic in zip(rows(text), order, strict=True):
        assert money(generous[clinic], "USD") in line
    assert "Net: Generous" not in not_shown(text)
    assert "Net: As written" in not_shown(text)


def test_a_chosen_scenario_keeps_its_net_at_60_columns_from_columns() -> None:
    text = compare("--scenario", "As written", env={"COLUMNS": "60"})
    # As written allows 70%: median 3,890 − 0.6 × (0.7 × 3,540 − 1,500) = 3,303.20.
    written = {c: net(c, D("0.7")) for c in CLINICS}
    assert written["median-iv"] == D("3303.20")
    order = ["median-iv", "high-end-iv", "iv-with-troches", "los-angeles-iv"]
    assert [written[c] for c in order] == [D("3303.20"), D(4380), D("4393.20"), D(4554)]
    for line, clinic in zip(rows(text), order, strict=True):
        assert money(written[clinic], "USD") in line
    assert "Net: As written" not in not_shown(text)
    assert "Net: Generous" in not_shown(text)


@pytest.mark.parametrize(
    ("sort", "chosen", "column"),
    [
        ("series", None, "Series price"),
        ("net", 0, "Net: Denied"),
        ("net", 1, "Net: As written"),
        ("net", 2, "Net: Generous"),
        ("series", 2, "Net: Generous"),
    ],
)
def test_the_ranked_column_and_the_chosen_net_are_never_dropped(
    sort: str, chosen: int | None, column: str
) -> None:
    plan = load_plan(PLAN)
    start = dt.date(2027, 1, 4)
    results = [estimate(load_clinic(name), plan, start=start) for name in CLINICS]
    table = compare_report(results, sort, 180, chart_scenario=chosen).tables[0]
    for width in range(20, 161):
        layout = fit(table, width)
        assert column not in layout.dropped, (width, layout.dropped)
        kept = {table.columns[i].name for i in layout.kept}
        assert layout.stacked or column in kept


def compare_csv(*args: str) -> tuple[list[str], list[dict[str, str]]]:
    text = compare("--format", "csv", *args)
    header = text.splitlines()[0].split(",")
    return header, list(csv.DictReader(io.StringIO(text)))


def test_the_csv_ends_with_the_series_price_the_table_shows() -> None:
    header, found = compare_csv("--rank-by", "series")
    assert header[-1] == "series_price"
    # The columns before it keep their places (docs/output.md).
    assert header[:8] == [
        "rank",
        "clinic",
        "file",
        "modality",
        "first_price",
        "later_price",
        "sessions",
        "total",
    ]
    assert header[-6:-1] == [
        "expected_net",
        "peak_outlay",
        "source_checked",
        "source_age_days",
        "stale",
    ]
    by_file = {Path(row["file"]).stem: row["series_price"] for row in found}
    # 6 × 590 = 3,540; 2 × 750 + 4 × 600 = 3,900; 6 × 1,000 = 6,000.
    assert by_file == {
        "median-iv": "3540.00",
        "iv-with-troches": "3540.00",
        "los-angeles-iv": "3900.00",
        "high-end-iv": "6000.00",
    }
    assert [row["series_price"] for row in found] == ["3540.00", "3540.00", "3900.00", "6000.00"]


def test_the_series_price_comes_after_the_tax_saved() -> None:
    header, found = compare_csv("--marginal-rate", "22%")
    assert header[-2:] == ["tax_saved", "series_price"]
    assert {Path(row["file"]).stem: row["series_price"] for row in found}["los-angeles-iv"] == (
        f"{D(2 * 750 + 4 * 600):.2f}"
    )


def test_fees_charged_at_every_session_count_in_the_series_price_it_ranks_by() -> None:
    # superbill-itemized-iv: six $200 sessions, each with a $250 membership fee: the series
    # costs 6 × (200 + 250) = 2,700, not 6 × 200 = 1,200. new-jersey-iv-low: 6 × 250 = 1,500,
    # no fee. Ranked by the series, New Jersey comes first, and the caption names the fee.
    args = ["compare", "superbill-itemized-iv", "new-jersey-iv-low", "--start", "2027-01-04"]
    result = CliRunner().invoke(app, [*args, "--rank-by", "series", "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(Path(r["file"]).stem, r["series_price"]) for r in rows] == [
        ("new-jersey-iv-low", f"{D(6 * 250):.2f}"),
        ("superbill-itemized-iv", f"{D(6 * (200 + 250)):.2f}"),
    ]
    result = CliRunner().invoke(app, [*args, "--rank-by", "series", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    # the JSON carries the figure it was ranked by, beside the sessions alone
    assert [(e["series_total"], e["series_with_fees"]) for e in json.loads(result.stdout)] == [
        (f"{D(6 * 250):.2f}", f"{D(6 * 250):.2f}"),
        (f"{D(6 * 200):.2f}", f"{D(6 * (200 + 250)):.2f}"),
    ]
    result = CliRunner().invoke(app, [*args, "--rank-by", "series", "--width", "200"])
    assert result.exit_code == 0, result.stderr
    flat = " ".join(result.stdout.split())
    assert "Series: the induction series with the fees charged at each of its sessions" in flat
    assert "North Idaho-style: $250.00 membership a session)" in flat
