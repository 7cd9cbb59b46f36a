"""The bundled profiles as data and as a document: name, modality, series price, source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..model.clinic import Clinic
from ..model.common import Source, price_age_days
from ..money import format_money
from .document import Column, Report, Table
from .words import modality_text, money, plural, series_price_text


@dataclass(frozen=True)
class Entry:
    """One bundled profile: the name to type, and the clinic it loads."""

    name: str
    clinic: Clinic


def catalog_json(entries: list[Entry]) -> list[dict[str, Any]]:
    """Return the catalog as JSON-ready data, money as plain decimal strings."""
    today = dt.date.today()
    data = []
    for entry in entries:
        clinic, series, source = entry.clinic, entry.clinic.series, entry.clinic.source
        data.append(
            {
                "name": entry.name,
                "clinic": clinic.name,
                "location": clinic.location,
                "modality": clinic.modality,
                "sessions": series.sessions,
                "first_price": format_money(series.opening_price),
                "later_price": format_money(series.continuing_price),
                "series_price": format_money(series_price(clinic)),
                "per_session_fees": format_money(per_session_fees(clinic)),
                "currency": clinic.currency,
                "source": None if source is None else source.model_dump(mode="json"),
                "price_age_days": price_age_days(source, today),
            }
        )
    return data


CSV_HEADER = [
    "name",
    "modality",
    "first_price",
    "later_price",
    "first_sessions",
    "sessions",
    "currency",
    "source",
    "prices_dated",
    "dated_by",
    "series_price",
    "source_url",
    "per_session_fees",
]


def catalog_rows(entries: list[Entry]) -> list[list[Any]]:
    """Return one CSV row per profile: plain decimals, as ``compare -f csv`` writes them."""
    rows: list[list[Any]] = []
    for entry in entries:
        clinic, series, source = entry.clinic, entry.clinic.series, entry.clinic.source
        rows.append(
            [
                entry.name,
                clinic.modality,
                format_money(series.opening_price),
                format_money(series.continuing_price),
                series.first_count,
                series.sessions,
                clinic.currency,
                "" if source is None else source.title,
                *_dated(source),
                format_money(series_price(clinic)),
                "" if source is None or source.url is None else source.url,
                format_money(per_session_fees(clinic)),
            ]
        )
    return rows


def _dated(source: Source | None) -> tuple[str, str]:
    """Return the date the prices are from, and which date it is (published or checked)."""
    day = None if source is None else source.price_date
    if source is None or day is None:
        return "", ""
    return day.isoformat(), "published" if isinstance(source.published, dt.date) else "checked"


def _price_date(source: Source | None) -> str:
    """Return the date the prices are from, saying which date it is."""
    if source is None:
        return "no source"
    day, kind = _dated(source)
    return f"{day} ({kind})" if day else "unknown"


def _source_cell(source: Source | None) -> str:
    """Return the source's title and its web address between angle brackets (a link on
    the page; at a terminal the column drops rather than cut the address)."""
    if source is None:
        return ""
    return source.title + (f" <{source.url}>" if source.url else "")


def per_session_fees(clinic: Clinic) -> Decimal:
    """Return the fees charged with every session (a membership, a monitoring fee)."""
    return sum((fee.amount for fee in clinic.fees if fee.per == "session"), Decimal(0))


def _per_session_text(clinic: Clinic) -> str:
    """Return the session price in words, with the fees every session also costs."""
    text = series_price_text(clinic.series, clinic.currency)
    fees = [fee for fee in clinic.fees if fee.per == "session"]
    return text + "".join(f" + {money(f.amount, clinic.currency)} {f.name.lower()}" for f in fees)


def series_price(clinic: Clinic) -> Decimal:
    """Return what the whole induction series costs: each session at its own price, with
    the fees charged at each (as compare's series price, ``Estimate.series_with_fees``)."""
    series = clinic.series
    sessions = sum((series.price_of(index) for index in range(series.sessions)), Decimal(0))
    return sessions + per_session_fees(clinic) * series.sessions


def catalog_report(entries: list[Entry], folder: str) -> Report:
    """Return the catalog table.

    A name is what a person types, so it is never cut. At a narrow width the
    source goes first (it would fold into a tall column; ``--format md`` and the
    profile itself keep it), then the price per session, then the modality,
    then the date.
    """
    table = Table(
        "Bundled profiles (reference figures, not quotes)",
        [
            Column("Name", rigid=True),
            Column("Modality", min_width=10, drop=3),
            Column("Sessions", True),
            Column("Series price", True),
            Column("Per session", min_width=12, drop=2),
            Column("Prices dated", rigid=True, drop=4),
            Column("Source", min_width=36, drop=1),
        ],
    )
    for entry in entries:
        clinic, source = entry.clinic, entry.clinic.source
        table.add(
            entry.name,
            modality_text(clinic.modality),
            str(clinic.series.sessions),
            money(series_price(clinic), clinic.currency),
            _per_session_text(clinic),
            _price_date(source),
            _source_cell(source),
        )
    # the fees every session also costs, said whatever the width (the column may drop)
    with_fees = [
        f"{e.name}: {_per_session_text(e.clinic)} a session"
        for e in entries
        if per_session_fees(e.clinic)
    ]
    return Report(
        "ketacost catalog",
        [f"Folder: {folder}", plural(len(entries), "bundled profile")],
        [table],
        [
            "Series price: the induction series, every session at its price with the fees"
            " charged at each (one-time fees and maintenance aside)."
            + (f" The fees counted in it: {'; '.join(with_fees)}." if with_fees else ""),
            "Use a name with `ketacost estimate NAME`.",
            "Prices are dated by their source's publication (else by when they were checked):"
            " a 2019 article re-read today is still a 2019 price.",
        ],
    )
