"""A sweep drawn as text: a grid or a column for people, CSV or JSON rows for scripts.

CSV and JSON are written row by row as the points are computed; the table and
Markdown forms hold the whole grid, so they are limited to ``MAX_CELLS`` points.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..engine.sweep import CUT_SHORT_KEPT, METRICS, Extremes, SweepRow
from ..money import format_money
from .document import Column, Report, Table
from .spreadsheet import csv_text
from .words import money, plural

MAX_CELLS = 10_000
BEST_MARK = "*"
METRIC_NAMES = {
    "net": "net cost",
    "expected_net": "expected net cost",
    "total": "total charged",
    "peak_outlay": "peak outlay",
    "reimbursed": "reimbursed",
}
METRIC_MEANINGS = {
    "net": "what you pay less what comes back, in the scenario that stands for you ({first})",
    "expected_net": "each scenario's net cost weighted by its probability",
    "total": "everything the clinic charges over the horizon, before insurance",
    "peak_outlay": "the most you are out at once, in the worst scenario",
    "reimbursed": "what the plan pays back, weighted by probability where the plan gives"
    " them, else in the scenario that stands for you ({first})",
}


def metric_meaning(metric: str, first_scenario: str) -> str:
    """Return what a metric means, in words, for the report's details."""
    meaning = METRIC_MEANINGS[metric].format(first=first_scenario)
    return f"{METRIC_NAMES[metric].capitalize()}: {meaning}"


@dataclass(frozen=True)
class SweepContext:
    """What the grid assumed, for people to read beside it."""

    clinic: str
    keys: tuple[str, ...]  # as the user wrote them
    labels: tuple[tuple[str, ...], ...]  # each axis's values as the user wrote them
    metric: str
    currency: str
    details: tuple[str, ...]


def csv_header(keys: Sequence[str]) -> str:
    """Return the CSV header line: the varied keys, then every metric."""
    return _csv_line([*keys, *METRICS])


def labels_of(context: SweepContext, row: SweepRow) -> list[str]:
    """Return the point's values as the user wrote them."""
    return [axis[at] for axis, at in zip(context.labels, row.positions, strict=True)]


def csv_row(context: SweepContext, row: SweepRow) -> str:
    """Return one point as a CSV line."""
    return _csv_line([*labels_of(context, row), *_metric_texts(row)])


def _csv_line(cells: Sequence[str]) -> str:
    """Return one CSV line; text a spreadsheet would run as a formula is quoted."""
    return csv_text([cells])


def _metric_texts(row: SweepRow) -> list[str]:
    return [_money_text(row.metric(name)) for name in METRICS]


def _money_text(amount: Decimal | None) -> str:
    return "" if amount is None else format_money(amount)


def json_row(context: SweepContext, row: SweepRow) -> str:
    """Return one point as a JSON object: each varied key, then every metric (money as text)."""
    data: dict[str, str | None] = dict(zip(context.keys, labels_of(context, row), strict=True))
    for name in METRICS:
        amount = row.metric(name)
        data[name] = None if amount is None else format_money(amount)
    return json.dumps(data, ensure_ascii=False)


def point_text(context: SweepContext, row: SweepRow) -> str:
    """Return a point in words: ``series.later_price=450, plan.out_of_network.allowed=70%``."""
    return ", ".join(f"{k}={v}" for k, v in zip(context.keys, labels_of(context, row), strict=True))


def _cut_short(context: SweepContext, extremes: Extremes) -> list[str]:
    """Return the warning for points whose horizon ends before the series does."""
    if not extremes.cut_short:
        return []
    named = "; ".join(point_text(context, row) for row in extremes.cut_short)
    more = ", ..." if len(extremes.cut_short) == CUT_SHORT_KEPT else ""
    return [
        f"⚠ The horizon ends before the series does at some points ({named}{more}): their"
        " figures leave the rest of the series out. Lengthen the horizon to compare whole"
        " series."
    ]


def summary(context: SweepContext, extremes: Extremes) -> list[str]:
    """Return sentences naming the best point and how far it is from the worst and the first."""
    best, worst, first = extremes.best, extremes.worst, extremes.first
    if best is None or worst is None or first is None:
        return [f"No point has a {METRIC_NAMES[extremes.metric]}."]
    metric = extremes.metric
    name = METRIC_NAMES[metric]
    currency = context.currency
    best_value, worst_value = best.metric(metric), worst.metric(metric)
    first_value = first.metric(metric)
    assert best_value is not None and worst_value is not None and first_value is not None
    higher = metric == "reimbursed"
    if context.keys == ("start",):
        lead = f"Cheapest start: {labels_of(context, best)[0]}"
        if higher:
            lead = f"Start that gets the most back: {labels_of(context, best)[0]}"
    else:
        lead = f"Best point: {point_text(context, best)}"
    lines = [f"{lead} — {name} {money(best_value, currency)}."]
    gap = abs(worst_value - best_value)
    if gap == 0:
        lines.append(f"Every point gives the same {name}.")
        return lines + _cut_short(context, extremes)
    if extremes.best_count > 1:  # the first of them is named; the others are as good
        others = extremes.best_count - 1
        lines[-1] += (
            f" {plural(others, 'other point')} {'gives' if others == 1 else 'give'} the same"
            f" {name}: the first is named."
        )
    more_or_less = "more" if higher else "less"
    lines.append(
        f"That is {money(gap, currency)} {more_or_less} than the worst point"
        f" ({point_text(context, worst)}: {money(worst_value, currency)})"
    )
    if first is not best and first is not worst:
        lines[-1] += (
            f" and {money(abs(first_value - best_value), currency)} {more_or_less} than the"
            f" first ({point_text(context, first)}: {money(first_value, currency)})"
        )
    lines[-1] += "."
    return lines + _cut_short(context, extremes)


def sweep_report(context: SweepContext, rows: Sequence[SweepRow]) -> Report:
    """Return the grid for people: two keys as a grid (first key down), else one row a point."""
    extremes = Extremes(context.metric)
    for row in rows:
        extremes.add(row)
    best = extremes.best
    metric, currency = context.metric, context.currency
    title = f"{METRIC_NAMES[metric].capitalize()} at each point"

    def cell(row: SweepRow) -> str:
        amount = row.metric(metric)
        text = "—" if amount is None else money(amount, currency)
        return f"{text} {BEST_MARK}" if row is best else f"{text}  "

    if len(context.keys) == 2:
        down, across = context.keys
        table = Table(
            f"{title}: {down} down, {across} across",
            [Column(down), *(Column(text, numeric=True) for text in context.labels[1])],
        )
        width = len(context.labels[1])
        for position, label in enumerate(context.labels[0]):
            chunk = rows[position * width : (position + 1) * width]
            table.add(label, *(cell(row) for row in chunk))
    else:
        table = Table(
            title, [*(Column(key) for key in context.keys), Column(METRIC_NAMES[metric], True)]
        )
        for row in rows:
            table.add(*labels_of(context, row), cell(row))
    lowest = "highest" if metric == "reimbursed" else "lowest"
    marked = f"{BEST_MARK} marks the best point: the {lowest} {METRIC_NAMES[metric]}."
    return Report(
        heading=f"Sweep: {context.clinic}",
        details=list(context.details),
        tables=[table],
        notes=[
            marked,
            *summary(context, extremes),
            "An estimate from published or quoted prices, not medical or financial advice.",
        ],
    )
