"""The comparison of several clinics: one summary row each, cheapest first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..engine.result import Estimate
from ..model.common import Source, dates_text, prices_stale
from ..money import round_cents
from .document import Chart, ChartLine, Column, Report, RowStyle, Table
from .terms import terms_table
from .words import modality_text, money, percent, plural


@dataclass(frozen=True)
class Skipped:
    """A clinic from a folder or the catalog left out because the plan cannot price it."""

    clinic: str  # its name
    file: str  # as shown to the user
    reason: str

    def line(self) -> str:
        """Return the one line that says so above the ranking (or on stderr)."""
        return f"Not compared: {self.clinic} ({self.file}): {self.reason}"

    def to_dict(self) -> dict[str, str]:
        """Return the JSON object: ``{"clinic", "file", "reason"}``."""
        return {"clinic": self.clinic, "file": self.file, "reason": self.reason}


def is_stale(estimate: Estimate, stale_after: int) -> bool:
    """Whether the prices are more than ``stale_after`` days old at the start.

    Their age runs from the source's publication date where known, else from
    the date they were checked (one rule: ``price_age_days``).
    """
    return prices_stale(estimate.clinic.source, estimate.start, stale_after)


def source_text(source: Source | None) -> str:
    """Return where prices come from: the source's title, its web address and its dates.

    The address is written between angle brackets, as the reports write a source's:
    the page makes it a link, the terminal never splits it.
    """
    if source is None:
        return "no source given — confirm them with the clinic"
    address = f" <{source.url}>" if source.url else ""
    return f"{source.title}{address} ({dates_text(source)})"


def _age_text(estimate: Estimate, stale_after: int) -> str:
    age = estimate.source_age_days
    if age is None:
        return "unknown ⚠"
    text = f"{age} days" if age >= 0 else "dated after start"
    source = estimate.clinic.source
    if age >= 0 and source is not None and source.published == "unknown":
        text = f"≥ {text}"  # publication date unknown: at least as old as its last check
    return text + (" ⚠" if age > stale_after else "")


def compare_report(
    ranked: Sequence[Estimate],
    sort: str,
    stale_after: int,
    skipped: Sequence[Skipped] = (),
    *,
    lead: Sequence[str] = (),
    series_only: bool = False,
    title: str | None = None,
    chart_scenario: int | None = 0,
    weighed: Sequence[Decimal] | None = None,
) -> Report:
    """Return the comparison table of ``ranked`` estimates, cheapest first.

    Each clinic in ``skipped`` gets one line above the ranking, after ``lead``.
    ``series_only`` names the series column "Series" and keeps it past the nets.
    ``sort`` is what the ranking is by (``net``, ``expected-net``, ``total`` or
    ``series``) and ``chart_scenario`` the place of the scenario that stands for
    you (None: the expected value): the chart draws it, and neither its net nor
    the column ranked by is ever dropped for width, so the order of the rows
    can always be read from the table. ``weighed``, with a response rate, holds each
    clinic's net weighed over the response branches (a ranking by net is by it): a
    column of its own, never dropped.
    """
    first = ranked[0]
    currency = first.clinic.currency
    scenario_names = [s.name for s in first.scenarios]
    with_expected = first.expected_net is not None
    with_tax = first.tax is not None
    # What drops at a narrow width, first to last: modality, series price, sessions,
    # the nets of the scenarios (the last first), the tax saved, then the price age.
    # Rank, clinic, total, peak outlay, the expected net (or else the first scenario's),
    # the net of the scenario that stands for you and the column ranked by stay. With
    # --series-only the series column stays past the nets; weighing a response, the
    # expected net goes first and the weighed net stays.
    kept_nets = {None if with_expected else 0, chart_scenario}
    others = [i for i in range(len(scenario_names)) if i not in kept_nets]
    net_drop = {index: 4 + len(others) - rank for rank, index in enumerate(others)}
    tax_drop = 5 + len(others)  # after every net: the nets rank from 5 to 4 + len(others)
    series_drop = tax_drop + 2 if series_only else 2
    columns = [
        Column("#", True),
        Column("Clinic", min_width=12),
        Column("Modality", drop=1),
        Column(
            "Series" if series_only else "Series price",
            True,
            drop=None if sort == "series" else series_drop,
        ),
        Column("Sessions", True, drop=3),
        Column("Total", True),
    ]
    columns += [
        Column(f"Net: {name}", True, drop=net_drop.get(index))
        for index, name in enumerate(scenario_names)
    ]
    if with_expected:  # weighing a response, the expected net goes first: the weighed one stays
        columns.append(Column("Expected net", True, drop=None if weighed is None else 4))
    if weighed is not None:
        columns.append(Column("Weighing response", True))
    if with_tax:
        columns.append(Column("Tax saved", True, drop=tax_drop))
    columns += [
        Column("Peak outlay", True),
        Column("Price age", rigid=True, drop=tax_drop + 1),
    ]
    if title is None:
        title = f"Clinics ranked by {'net cost' if sort == 'net' else 'total'}"
    table = Table(title, columns)
    for rank, estimate in enumerate(ranked, start=1):
        response = [] if weighed is None else [money(weighed[rank - 1], currency)]
        cells = [
            str(rank),
            estimate.clinic.name + (" ⚠" if is_stale(estimate, stale_after) else ""),
            modality_text(estimate.clinic.modality),
            money(estimate.series_with_fees, currency),
            str(estimate.sessions),
            money(estimate.total, currency),
        ]
        by_name = {s.name: s for s in estimate.scenarios}
        cells += [money(by_name[n].net, currency) if n in by_name else "—" for n in scenario_names]
        if with_expected:
            expected = estimate.expected_net
            cells.append("—" if expected is None else money(expected, currency))
        cells += response
        if with_tax:
            tax_saved = estimate.tax_saved(chart_scenario)
            cells.append("—" if tax_saved is None else money(tax_saved, currency))
        cells += [
            money(max(s.peak_outlay for s in estimate.scenarios), currency),
            _age_text(estimate, stale_after),
        ]
        style: RowStyle = (
            "best" if rank == 1 else ("flag" if is_stale(estimate, stale_after) else "normal")
        )
        table.add(*cells, style=style)
    saved = _tax_text(first, chart_scenario) if with_tax else ""
    table.caption = (
        f"{saved}{_series_fees_text(ranked)}Peak outlay: the most you are out at once, worst scenario. Price age: from the"
        f" source's publication, else from when it was checked (≥ when the publication date is"
        f" unknown). ⚠ prices more than {stale_after} days old at the start, or with no date:"
        f" phone to confirm."
    )
    details = [
        *lead,
        f"Horizon: {first.start.isoformat()}, {plural(first.months, 'month')}",
        f"Plan: {first.plan.name}" if first.plan is not None else "No insurance plan: self-pay",
    ]
    details += [f"⚠ Warning: {e.clinic.name}: {w}" for e in ranked for w in e.warnings]
    details += [s.line() for s in skipped]
    return Report(
        heading=f"Comparing {plural(len(ranked), 'clinic')}",
        details=details,
        tables=[table, *_terms_tables(ranked)],
        notes=[
            *_sources(ranked),
            "An estimate from published or quoted prices, not medical or financial advice.",
        ],
        charts=[compare_chart(ranked, chart_scenario)],
    )


def _series_fees_text(ranked: Sequence[Estimate]) -> str:
    """Say which fees every session costs, counted in the series column, when any does."""
    with_fees = [
        f"{estimate.clinic.name}: "
        + " + ".join(
            f"{money(fee.amount, estimate.clinic.currency)} {fee.name.lower()}"
            for fee in estimate.clinic.fees
            if fee.per == "session"
        )
        + " a session"
        for estimate in ranked
        if any(fee.per == "session" for fee in estimate.clinic.fees)
    ]
    if not with_fees:
        return ""
    return (
        "Series: the induction series with the fees charged at each of its sessions"
        f" ({'; '.join(with_fees)}). "
    )


def _sources(ranked: Sequence[Estimate]) -> list[str]:
    """Return where each clinic's prices come from, in ranking order, one line a source
    (clinics priced from the same source share its line)."""
    priced: dict[str, list[str]] = {}
    for estimate in ranked:
        priced.setdefault(source_text(estimate.clinic.source), []).append(estimate.clinic.name)
    return [f"Prices of {'; '.join(names)}: {text}" for text, names in priced.items()]


def _tax_text(first: Estimate, stands: int | None = None) -> str:
    """Say what the tax column assumed (the same tax terms for every clinic), and in
    which scenario: the one that stands for you (its place ``stands``), as the nets."""
    assert first.tax is not None
    terms = first.tax.terms
    assumed = f"a {percent(terms.marginal_rate)} marginal rate"
    if terms.agi is not None:
        assumed += f" and an AGI of {money(terms.agi, first.clinic.currency)}"
    if stands is not None and len(first.scenarios) > 1:
        which = f", in the scenario {first.scenarios[stands].name}"
    elif first.tax.weighted:
        which = ", weighed over the scenarios"
    elif len(first.scenarios) > 1:
        which = f", in the scenario {first.scenarios[0].name}"
    else:
        which = ""
    if first.response is not None:
        which += ", if the treatment helps (the whole treatment)"
    return (
        f"Tax saved: all years of the horizon at {assumed}{which}, as the estimate of each"
        " clinic shows it year by year (an estimate, not tax advice). "
    )


def _terms_tables(ranked: Sequence[Estimate]) -> list[Table]:
    """The plan terms used, once for each network the ranked clinics bill in."""
    by_network: dict[str, Estimate] = {}
    for estimate in ranked:
        if (
            estimate.plan is not None
            and estimate.clinic.billing.files_claims
            and any(s.terms is not None and s.terms.claimable for s in estimate.scenarios)
        ):
            by_network.setdefault(estimate.clinic.billing.network, estimate)
    tables = []
    for network, estimate in by_network.items():
        table = terms_table(estimate)
        if len(by_network) > 1:
            table.title += f": clinics billing {network.replace('-', ' ')}"
        tables.append(table)
    return tables


def compare_chart(ranked: Sequence[Estimate], scenario: int | None = 0) -> Chart:
    """Return each clinic's cumulative cost by month in the scenario that stands for you.

    ``scenario`` is that scenario's place; None draws the expected value: each
    month's running cost weighted by the scenarios' probabilities.
    """
    first = ranked[0]
    lines = [_chart_line(e, scenario) for e in ranked]
    longest = max((months for _, months, _ in lines), key=len)
    if scenario is None and first.expected_net is not None:
        shown = "expected value"
    else:
        shown = first.scenarios[scenario or 0].name
    return Chart(
        title=f"What you are out, month by month (scenario: {shown})",
        currency=first.clinic.currency,
        steps=longest,
        lines=[
            ChartLine(f"{e.clinic.name}: {money(net, e.clinic.currency)}", values)
            for e, (net, _, values) in zip(ranked, lines, strict=True)
        ],
        axis="Paid to the clinic less reimbursed, by the end of each month",
    )


def _chart_line(
    estimate: Estimate, scenario: int | None
) -> tuple[Decimal, list[str], list[Decimal]]:
    """Return one clinic's net, months and running cost in ``scenario`` (None: expected)."""
    if scenario is not None or estimate.expected_net is None:
        chosen = estimate.scenarios[scenario or 0]
        return (
            chosen.net,
            [m.month for m in chosen.cashflow],
            [m.cumulative for m in chosen.cashflow],
        )
    months = sorted({m.month for s in estimate.scenarios for m in s.cashflow})
    weights = [s.probability or Decimal(0) for s in estimate.scenarios]
    whole = sum(weights, Decimal(0))
    running = [Decimal(0)] * len(months)
    for weight, chosen in zip(weights, estimate.scenarios, strict=True):
        by_month = {m.month: m.cumulative for m in chosen.cashflow}
        last = Decimal(0)
        for place, month in enumerate(months):
            last = by_month.get(month, last)  # a month past its last carries its total on
            running[place] += last * weight / whole
    return estimate.expected_net, months, [round_cents(v) for v in running]
