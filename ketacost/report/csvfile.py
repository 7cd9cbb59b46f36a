"""The CSV of each report: plain decimals, one header row, written by ``spreadsheet``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..engine.result import Estimate
from ..money import format_money
from .comparison import is_stale
from .spreadsheet import csv_text

if TYPE_CHECKING:
    from decimal import Decimal

    from ..model.plan import Terms


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Return ``header`` and ``rows`` as CSV text, formula-like cells neutralised."""
    return csv_text([header, *rows])


CSV_COLUMNS = ["date", "item", "label", "amount", "claimable", "phase", "clinic"]


def to_csv(estimates: Sequence[Estimate]) -> str:
    """Return one CSV row per charge event, with each scenario's claim beside it.

    Per scenario: what the patient paid for the charge, what was reimbursed and
    when, what the plan paid the clinic (in network), and the terms used.
    """
    names: list[str] = []
    for estimate in estimates:
        names.extend(s.name for s in estimate.scenarios if s.name not in names)
    kinds = ("paid", "reimbursed", "reimbursed_on", "plan_paid", "terms")
    header = CSV_COLUMNS + [f"{kind} [{name}]" for name in names for kind in kinds]
    rows: list[list[Any]] = []
    for estimate in estimates:
        scenarios = {s.name: s for s in estimate.scenarios}
        claims: dict[str, dict[tuple[Any, str], Any]] = {
            s.name: {(c.charge.date, c.charge.label): c for c in s.claims}
            for s in estimate.scenarios
        }
        for event in estimate.events:
            row = [
                event.date.isoformat(),
                event.item,
                event.label,
                format_money(event.amount),
                str(event.claimable).lower(),
                event.phase,
                estimate.clinic.name,
            ]
            for name in names:
                scenario = scenarios.get(name)
                if scenario is None:
                    row += ["", "", "", "", ""]
                    continue
                claim = claims[name].get((event.date, event.label))
                terms = "" if scenario.terms is None else terms_text(scenario.terms)
                if claim is None:
                    row += [format_money(event.amount), "0.00", "", "0.00", terms]
                    continue
                row += [
                    format_money(claim.paid),
                    format_money(claim.reimbursed),
                    claim.reimbursed_on.isoformat() if claim.reimbursed else "",
                    format_money(claim.plan_paid),
                    terms,
                ]
            rows.append(row)
    return write_csv(header, rows)


def terms_text(terms: Terms) -> str:
    """Return a scenario's terms on one line, for CSV cells."""
    data = terms.to_dict()
    met = data["already_met"]
    parts = [
        f"{data['coverage']}",
        f"{data['network']}",
        "covered" if data["covered"] else "denied",
        f"deductible {data['deductible']}",
        f"copay {data['copay']}",
        f"coinsurance {data['coinsurance']}",
        f"cap {data['out_of_pocket_max'] or 'none'}",
        f"allowed {data['allowed'] if isinstance(data['allowed'], str) else 'by code'}",
        f"met {met['deductible']}/{met['out_of_pocket']}",
    ]
    if not data["claimable"]:
        parts.append("nothing claimable")
    return "; ".join(parts)


def compare_csv(
    ranked: Sequence[Estimate],
    stale_after: int,
    weighed: Sequence[Decimal] | None = None,
    stands: int | None = None,
) -> str:
    """Return one CSV row per clinic, cheapest first.

    Columns are only ever added at the end: ``tax_saved`` (with tax terms: in the
    scenario that stands for you, its place ``stands``, as the table), then
    ``series_price``, the induction series' price the table shows, then, with a
    response rate, ``response_net``: each clinic's ``weighed`` net.
    """
    taxed = any(estimate.tax is not None for estimate in ranked)
    names: list[str] = []
    for estimate in ranked:
        names.extend(s.name for s in estimate.scenarios if s.name not in names)
    header = (
        ["rank", "clinic", "file", "modality", "first_price", "later_price", "sessions", "total"]
        + [f"net [{name}]" for name in names]
        + ["expected_net", "peak_outlay", "source_checked", "source_age_days", "stale"]
        + (["tax_saved"] if taxed else [])
        + ["series_price"]
        + (["response_net"] if weighed is not None else [])
    )
    rows: list[list[Any]] = []
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
            + ([_money_or_blank(estimate.tax_saved(stands))] if taxed else [])
            + [format_money(estimate.series_with_fees)]
            + ([format_money(weighed[rank - 1])] if weighed is not None else [])
        )
    return write_csv(header, rows)


def _money_or_blank(amount: Decimal | None) -> str:
    return "" if amount is None else format_money(amount)
