"""Every table at every width (docs/output.md): money whole, no line too wide, drops named.

Each bundled profile × each example plan (and no plan) is estimated once, with
every whole-picture block switched on, and drawn at 40, 60, 80, 100 and 160
columns. Every money value of the JSON output must appear, whole, in the text,
except the values of a column the text names as "Not shown"; no line may be
wider than the width or end in a space.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from ketacost.engine.estimate import estimate
from ketacost.engine.financing import FinanceTerms
from ketacost.engine.response import ResponseTerms
from ketacost.engine.savings import DEFAULT_ANNUAL_CAP, DEFAULT_FLOOR, SavingsTerms
from ketacost.engine.tax import TaxTerms
from ketacost.errors import InputError
from ketacost.files.load import load_clinic, load_personal, load_plan
from ketacost.report.catalog import Entry, catalog_report, series_price
from ketacost.report.comparison import compare_report
from ketacost.report.document import Report
from ketacost.report.estimate import estimate_report
from ketacost.report.terminal import to_rich
from ketacost.report.widths import fit
from ketacost.report.words import money

ROOT = Path(__file__).resolve().parent.parent
PROFILES = sorted((ROOT / "pricing").glob("*.yaml"))
PLANS: list[Path | None] = [None, *sorted((ROOT / "examples" / "plans").glob("*.yaml"))]
WIDTHS = (40, 60, 80, 100, 160)
START = dt.date(2027, 1, 4)
MONEY = re.compile(r"^-?\d+\.\d\d$")
# Keys whose values are not amounts, or are shown in words rather than in a table.
NOT_SHOWN = {
    "probability",
    "hours_per_session",
    "miles_per_visit",
    "source",
    "apr",
    "rate",
    "marginal_rate",
}


def _money_values(data: Any, key: str = "", path: str = "") -> Iterator[str]:
    if key in NOT_SHOWN:
        return
    # Each scenario's own tax years are shown as their saving per year (the weighted
    # years are shown in full); the rest of that detail is for JSON readers.
    if path.endswith("scenarios.tax.years") and isinstance(data, dict):
        yield from _money_values(data.get("saving"), "saving", path)
        return
    # Stopping early (response odds): its total saving is a row; its years are JSON detail.
    if path.endswith("tax.if_it_does_not.years"):
        return
    if isinstance(data, dict):
        for name, value in data.items():
            yield from _money_values(value, name, f"{path}.{name}")
    elif isinstance(data, list):
        for item in data:
            yield from _money_values(item, key, path)
    elif isinstance(data, str) and MONEY.match(data):
        yield data


def check_text(report: Report, text: str, width: int, required: set[str]) -> None:
    """Assert the width rules (docs/output.md) for ``text``, ``report`` drawn at ``width``."""
    for line in text.splitlines():
        # A web address longer than the width stands alone on its line, never cut.
        alone = re.fullmatch(r"<https?://\S+>", line) is not None
        assert cell_len(line) <= width or alone, f"{cell_len(line)} > {width}: {line!r}"
        assert line == line.rstrip(), f"trailing space: {line!r}"
    kept: set[str] = set()
    dropped: set[str] = set()
    for table in report.tables:
        layout = fit(table, width)
        for index, column in enumerate(table.columns):
            cells = {row.cells[index] for row in table.rows if index < len(row.cells)}
            (dropped if column.name in layout.dropped else kept).update(cells)
        for name in layout.dropped:
            assert name in " ".join(text.split()), f"dropped column {name!r} not named"
    words = set(text.split())
    for value in required - (dropped - kept):
        assert value in words or value in text, f"{value} missing or cut at width {width}"
    assert not re.search(r"\$[\d,.]*…", text), "a money figure was ellipsized"


def _combinations() -> Iterator[Any]:
    for profile in PROFILES:
        for plan in PLANS:
            yield pytest.param(profile, plan, id=f"{profile.stem}-{plan.stem if plan else 'none'}")


@pytest.mark.slow
@pytest.mark.parametrize(("profile", "plan_path"), list(_combinations()))
def test_estimate_tables_at_every_width(profile: Path, plan_path: Path | None) -> None:
    clinic = load_clinic(profile)
    plan = None if plan_path is None else load_plan(plan_path)
    personal = load_personal(None, [("ride", "40", "--ride 40"), ("childcare", "25", "")])
    # The savings programme's table too, where it applies (esketamine, commercial plans).
    savings = SavingsTerms(floor=DEFAULT_FLOOR, annual_cap=DEFAULT_ANNUAL_CAP)
    programmes = [savings, None] if clinic.modality == "esketamine" and plan else [None]
    # A plan without the clinic's network block is an input error: then try the other network.
    other = "out-of-network" if clinic.billing.network == "in-network" else "in-network"
    moved = clinic.model_copy(
        update={"billing": clinic.billing.model_copy(update={"network": other})}
    )
    attempts = [(c, p) for c in (clinic, moved) for p in programmes]
    for billed, programme in attempts:
        try:
            result = estimate(
                billed,
                plan,
                start=START,
                months=12,
                response=ResponseTerms(rate=Decimal("0.5")),
                personal=personal,
                finance=FinanceTerms("12 months at 9.99%", 12, Decimal("0.0999"), Decimal(0)),
                savings=programme,
                tax=TaxTerms(marginal_rate=Decimal("0.22"), agi=Decimal(60000)),
            )
            break
        except InputError:
            continue
    else:
        pytest.skip("this plan cannot price this clinic (an input error, tested elsewhere)")
    report = estimate_report(result, claims=True)
    currency = clinic.currency
    data = result.to_dict()
    if len(result.scenarios) > 1 and result.tax is not None and not result.tax.weighted:
        # no scenario stands for the reader (none named, no probabilities): only each
        # scenario's own tax figures are shown, never the first scenario's as the whole
        data.pop("tax")
    required = {money(Decimal(v), currency) for v in _money_values(data)}
    for width in WIDTHS:
        check_text(report, to_rich([report], color=False, width=width), width, required)


@pytest.mark.slow
@pytest.mark.parametrize("plan_path", PLANS, ids=lambda p: p.stem if p else "none")
def test_compare_at_every_width(plan_path: Path | None) -> None:
    plan = None if plan_path is None else load_plan(plan_path)
    results = []
    for profile in PROFILES:
        try:
            results.append(estimate(load_clinic(profile), plan, start=START))
        except InputError:
            continue
    results.sort(key=lambda r: (r.net, r.total))
    report = compare_report(results, "net", 180)
    for width in WIDTHS:
        text = to_rich([report], color=False, width=width)
        required = set()
        for result in results:
            by_row = [
                result.total,
                max(s.peak_outlay for s in result.scenarios),
                *(s.net for s in result.scenarios),
            ]
            if result.expected_net is not None:
                by_row.append(result.expected_net)
            required |= {money(v, result.clinic.currency) for v in by_row}
        check_text(report, text, width, required)


def test_compare_at_80_columns_keeps_rank_clinic_total_net_and_peak() -> None:
    plan = load_plan(ROOT / "examples" / "plans" / "acme-ppo.yaml")
    names = ("median-iv", "los-angeles-iv", "high-end-iv")
    results = [estimate(load_clinic(name), plan, start=START) for name in names]
    report = compare_report(results, "net", 180)
    layout = fit(report.tables[0], 80)
    kept = [report.tables[0].columns[i].name for i in layout.kept]
    assert not layout.stacked
    for name in ("#", "Clinic", "Total", "Expected net", "Peak outlay"):
        assert name in kept
    assert "Modality" in layout.dropped


def test_catalog_at_every_width() -> None:
    entries = [Entry(p.stem, load_clinic(p)) for p in PROFILES]
    report = catalog_report(entries, "pricing")
    # The series' price never drops; the price per session may (it is text in words).
    required = {money(series_price(e.clinic), e.clinic.currency) for e in entries}
    for width in WIDTHS:
        check_text(report, to_rich([report], color=False, width=width), width, required)


def test_a_figure_never_folds_even_in_a_narrow_text_column() -> None:
    from ketacost.report.document import Column, Table

    table = Table("t", [Column("Item"), Column("Price", min_width=4), Column("Amount", True)])
    table.add("A long description of a charge", "$1,050.00 × 2, then $900.00", "$12,345.67")
    text = to_rich([Report("h", [], [table])], color=False, width=40)
    assert "$1,050.00" in text and "$12,345.67" in text
    assert "$1,050./00" not in text


def test_stacked_below_the_narrowest_columns() -> None:
    from ketacost.report.document import Column, Table

    table = Table("t", [Column("")] + [Column(f"Scenario {n}", True) for n in range(5)])
    table.add("Net cost", *[money(Decimal(1000 * n) + Decimal("0.5"), "USD") for n in range(5)])
    text = to_rich([Report("h", [], [table])], color=False, width=40)
    assert "  Scenario 4: $4,000.50" in text.splitlines()
