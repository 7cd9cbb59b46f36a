"""``ketacost catalog``: the bundled reference profiles."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .options import FormatOption, OutputOption, guarded

if TYPE_CHECKING:
    from ..model.common import Source


@guarded
def catalog_command(format: FormatOption = None, output: OutputOption = None) -> None:
    """List the bundled clinic profiles: name, modality, series price and source."""
    from .. import bundled
    from ..load import load_clinic
    from ..model.common import price_age_days
    from ..money import format_money
    from ..report.layout import Column, Report, Table, modality_text, series_price_text
    from ..report.output import choose_format, emit

    today = dt.date.today()
    entries: list[dict[str, Any]] = []
    rows = []
    for name in bundled.profile_names():
        clinic = load_clinic(name)
        series = clinic.series
        source = clinic.source
        entries.append(
            {
                "name": name,
                "clinic": clinic.name,
                "location": clinic.location,
                "modality": clinic.modality,
                "sessions": series.sessions,
                "first_price": format_money(series.opening_price),
                "later_price": format_money(series.continuing_price),
                "currency": clinic.currency,
                "source": None if source is None else source.model_dump(mode="json"),
                "price_age_days": price_age_days(source, today),
            }
        )
        rows.append(
            [
                name,
                modality_text(clinic.modality),
                series_price_text(series, clinic.currency),
                str(series.sessions),
                "" if source is None else source.title,
                _price_date(source),
            ]
        )
    chosen = choose_format(getattr(format, "value", None), output)
    if chosen == "json":
        from ..report.render import to_json

        emit(to_json(entries), output)
        return
    if chosen == "csv":
        from ..report.spreadsheet import csv_text

        header = ["name", "modality", "series_price", "sessions", "source", "prices_dated"]
        emit(csv_text([header, *rows]), output)
        return
    table = Table(
        "Bundled profiles (reference figures, not quotes)",
        [
            Column("Name"),
            Column("Modality"),
            Column("Series price"),
            Column("Sessions", True),
            Column("Source"),
            Column("Prices dated"),
        ],
    )
    for row in rows:
        table.add(*row)
    report = Report(
        "ketacost catalog",
        [f"Folder: {bundled.pricing_dir()}"],
        [table],
        [
            "Use a name with `ketacost estimate NAME`.",
            "Prices are dated by their source's publication (else by when they were checked):"
            " a 2019 article re-read today is still a 2019 price.",
        ],
    )
    if chosen == "md":
        from ..report.render import to_markdown

        emit(to_markdown([report]), output)
    else:
        from ..report.render import to_rich
        from .options import terminal_width, use_color

        emit(to_rich([report], color=use_color(output), width=terminal_width()), output)


def _price_date(source: Source | None) -> str:
    """Return the date the prices are from, saying which date it is."""
    if source is None:
        return "no source"
    day = source.price_date
    if day is None:
        return "unknown"
    kind = "published" if isinstance(source.published, dt.date) else "checked"
    return f"{day.isoformat()} ({kind})"
