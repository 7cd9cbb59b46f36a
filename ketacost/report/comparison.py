"""The comparison of several clinics: one summary row each, cheapest first."""

from __future__ import annotations

from collections.abc import Sequence

from ..engine.result import Estimate
from ..money import format_money
from .layout import Column, Report, RowStyle, Table, modality_text, money, series_price_text
from .spreadsheet import csv_text


def is_stale(estimate: Estimate, stale_after: int) -> bool:
    """Whether the prices are more than ``stale_after`` days old at the start.

    Their age runs from the source's publication date where known, else from
    the date they were checked (one rule: ``price_age_days``).
    """
    age = estimate.source_age_days
    return age is None or age > stale_after


def _age_text(estimate: Estimate, stale_after: int) -> str:
    age = estimate.source_age_days
    if age is None:
        return "unknown ⚠"
    text = f"{age} days" if age >= 0 else "dated after start"
    source = estimate.clinic.source
    if age >= 0 and source is not None and source.published == "unknown":
        text = f"≥ {text}"  # publication date unknown: at least as old as its last check
    return text + (" ⚠" if age > stale_after else "")


def compare_report(ranked: Sequence[Estimate], sort: str, stale_after: int) -> Report:
    """Return the comparison table of ``ranked`` estimates, cheapest first."""
    first = ranked[0]
    currency = first.clinic.currency
    scenario_names = [s.name for s in first.scenarios]
    with_expected = first.expected_net is not None
    columns = [
        Column("#", True),
        Column("Clinic", min_width=28),
        Column("Modality"),
        Column("Series price", min_width=12),
        Column("Sessions", True),
        Column("Total", True),
    ]
    columns += [Column(f"Net: {name}", True) for name in scenario_names]
    if with_expected:
        columns.append(Column("Expected net", True))
    columns += [Column("Peak outlay", True), Column("Price age")]
    table = Table(f"Clinics ranked by {'net cost' if sort == 'net' else 'total'}", columns)
    for rank, estimate in enumerate(ranked, start=1):
        cells = [
            str(rank),
            estimate.clinic.name,
            modality_text(estimate.clinic.modality),
            series_price_text(estimate.clinic.series, estimate.clinic.currency),
            str(estimate.sessions),
            money(estimate.total, currency),
        ]
        by_name = {s.name: s for s in estimate.scenarios}
        cells += [money(by_name[n].net, currency) if n in by_name else "—" for n in scenario_names]
        if with_expected:
            expected = estimate.expected_net
            cells.append("—" if expected is None else money(expected, currency))
        cells += [
            money(max(s.peak_outlay for s in estimate.scenarios), currency),
            _age_text(estimate, stale_after),
        ]
        style: RowStyle = (
            "best" if rank == 1 else ("flag" if is_stale(estimate, stale_after) else "normal")
        )
        table.add(*cells, style=style)
    table.caption = (
        f"Peak outlay: the most you are out at once, worst scenario. Price age: from the"
        f" source's publication, else from when it was checked (≥ when the publication date is"
        f" unknown). ⚠ prices more than {stale_after} days old at the start, or with no date:"
        f" phone to confirm."
    )
    details = [
        f"Horizon: {first.start.isoformat()}, {first.months} months",
        f"Plan: {first.plan.name}" if first.plan is not None else "No insurance plan: self-pay",
    ]
    details += [f"⚠ Warning: {e.clinic.name}: {w}" for e in ranked for w in e.warnings]
    return Report(
        heading=f"Comparing {len(ranked)} clinics",
        details=details,
        tables=[table],
        notes=["An estimate from published or quoted prices, not medical or financial advice."],
    )


def compare_csv(ranked: Sequence[Estimate], stale_after: int) -> str:
    """Return one CSV row per clinic, cheapest first."""
    names: list[str] = []
    for estimate in ranked:
        names.extend(s.name for s in estimate.scenarios if s.name not in names)
    header: list[object] = [
        "rank",
        "clinic",
        "file",
        "modality",
        "first_price",
        "later_price",
        "sessions",
        "total",
    ]
    header += [f"net [{name}]" for name in names]
    header += ["expected_net", "peak_outlay", "source_checked", "source_age_days", "stale"]
    rows = [header]
    for rank, estimate in enumerate(ranked, start=1):
        series = estimate.clinic.series
        source = estimate.clinic.source
        by_name = {s.name: s for s in estimate.scenarios}
        rows.append(
            [
                rank,
                estimate.clinic.name,
                estimate.clinic_file or "",
                estimate.clinic.modality,
                format_money(series.opening_price),
                format_money(series.continuing_price),
                estimate.sessions,
                format_money(estimate.total),
            ]
            + [format_money(by_name[n].net) if n in by_name else "" for n in names]
            + [
                "" if estimate.expected_net is None else format_money(estimate.expected_net),
                format_money(max(s.peak_outlay for s in estimate.scenarios)),
                "" if source is None or source.checked is None else source.checked.isoformat(),
                "" if estimate.source_age_days is None else estimate.source_age_days,
                str(is_stale(estimate, stale_after)).lower(),
            ]
        )
    return csv_text(rows)
