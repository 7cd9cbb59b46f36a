"""What a report shows, independent of how it is drawn: headings, tables, rows, notes.

The Rich and Markdown renderers both draw these, so the terminal and a
Markdown file always carry the same information.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from ..engine.result import Estimate, ScenarioResult
from ..engine.savings import SOURCE as SAVINGS_SOURCE
from ..model.clinic import Series
from ..model.common import dates_text
from ..money import round_cents

RowStyle = Literal["normal", "subtotal", "total", "best", "flag"]
BAR_WIDTH = 24
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$", "JPY": "¥"}
_MODALITIES = {
    "iv-infusion": "IV infusion",
    "im-injection": "IM injection",
    "esketamine": "esketamine (Spravato)",
    "oral": "oral / lozenges",
    "at-home": "at-home programme",
}


@dataclass
class Column:
    name: str
    numeric: bool = False
    min_width: int | None = None


@dataclass
class Row:
    cells: list[str]
    style: RowStyle = "normal"


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    caption: str | None = None

    def add(self, *cells: str, style: RowStyle = "normal") -> None:
        self.rows.append(Row(list(cells), style))


@dataclass
class Report:
    heading: str
    details: list[str]
    tables: list[Table]
    notes: list[str] = field(default_factory=list)


def money(amount: Decimal, currency: str) -> str:
    """Return an amount for people to read: ``$3,900.00``, ``EUR 1,200.00``."""
    text = f"{round_cents(amount):,.2f}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{currency} {text}"


def series_price_text(series: Series, currency: str) -> str:
    """Return a series price in words: ``$750.00 × 2, then $600.00``, or one price."""
    first, later = series.opening_price, series.continuing_price
    if first == later:
        return money(first, currency)
    return f"{money(first, currency)} × {series.first_count}, then {money(later, currency)}"


def modality_text(modality: str) -> str:
    """Return the modality in words."""
    return _MODALITIES.get(modality, modality)


def bar(value: Decimal, largest: Decimal, width: int = BAR_WIDTH) -> str:
    """Return a bar of block characters, ``value / largest`` of ``width`` long."""
    if largest <= 0 or value <= 0:
        return ""
    eighths = int(round_cents(value / largest * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + ("▏▎▍▌▋▊▉"[part - 1] if part else "")


def source_text(estimate: Estimate) -> str:
    """Return where the prices come from and when they were checked."""
    source = estimate.clinic.source
    if source is None:
        return "Prices: no source given — confirm them with the clinic"
    text = f"Prices: {source.title}"
    if source.url:
        text += f" <{source.url}>"
    text += f" ({dates_text(source)})"
    return text


def estimate_report(estimate: Estimate, *, claims: bool = False) -> Report:
    """Return the tables for one clinic's estimate."""
    from .terms import plan_text, terms_table

    clinic = estimate.clinic
    currency = clinic.currency
    last_day = estimate.end.toordinal() - 1
    details = [
        " · ".join(filter(None, [clinic.location, modality_text(clinic.modality)])),
        source_text(estimate),
        f"Horizon: {estimate.start.isoformat()} to "
        f"{type(estimate.start).fromordinal(last_day).isoformat()} ({estimate.months} months)",
    ]
    if estimate.plan is not None:
        details.append(plan_text(estimate))
    details.extend(f"⚠ Warning: {warning}" for warning in estimate.warnings)
    tables = [_charges_table(estimate)]
    if estimate.plan is not None:
        tables.append(_scenarios_table(estimate))
        tables.append(terms_table(estimate))
    if estimate.response is not None:
        tables.append(_response_table(estimate))
    if estimate.personal is not None:
        tables.append(_personal_table(estimate))
    if estimate.financing is not None:
        tables.append(_financing_table(estimate))
    if estimate.savings is not None:
        tables.append(_savings_table(estimate))
    if estimate.tax is not None:
        tables.append(_tax_table(estimate))
        if len(estimate.scenarios) > 1:
            tables.append(_tax_by_scenario_table(estimate))
    for scenario in estimate.scenarios:
        tables.append(_cashflow_table(scenario, currency, len(estimate.scenarios) > 1))
    if claims and estimate.plan is not None:
        tables.extend(_claims_table(s, currency) for s in estimate.scenarios)
    notes = []
    if estimate.expected_net is not None:
        notes.append(
            f"Expected net cost over the scenarios' probabilities: "
            f"{money(estimate.expected_net, currency)}"
        )
    notes.append("An estimate from published or quoted prices, not medical or financial advice.")
    return Report(
        heading=clinic.name, details=[d for d in details if d], tables=tables, notes=notes
    )


def _charges_table(estimate: Estimate) -> Table:
    currency = estimate.clinic.currency
    table = Table(
        "What the clinic charges",
        [
            Column("Item"),
            Column("Qty", True),
            Column("Unit price", True),
            Column("Amount", True),
            Column("First"),
            Column("Last"),
        ],
    )
    for phase in estimate.phases:
        for line in phase.lines:
            table.add(
                f"{phase.name}: {line.description}"
                if line.description != phase.name
                else line.description,
                str(line.quantity),
                money(line.unit_price, currency),
                money(line.amount, currency),
                line.first_date.isoformat(),
                line.last_date.isoformat(),
            )
        table.add(
            f"Subtotal — {phase.name}",
            "",
            "",
            money(phase.subtotal, currency),
            "",
            "",
            style="subtotal",
        )
    table.add(
        f"Total over {estimate.months} months",
        "",
        "",
        money(estimate.total, currency),
        "",
        "",
        style="total",
    )
    table.add("The series alone", "", "", money(estimate.series_total, currency), "", "")
    table.add(
        f"Average per session ({estimate.sessions} sessions and their per-session fees)",
        "",
        "",
        money(estimate.average_per_session, currency),
        "",
        "",
    )
    return table


SCENARIO_ROWS: list[tuple[str, str]] = [
    ("Paid to the clinic", "paid"),
    ("Billed to the plan", "billed"),
    ("Allowed by the plan", "allowed"),
    ("Applied to the deductible", "deductible"),
    ("Your copays", "copay"),
    ("Your coinsurance", "coinsurance"),
    ("Balance billed (not allowed)", "balance_billed"),
    ("Reimbursed to you", "reimbursed"),
    ("Paid by the savings programme", "savings_program"),
    ("Net cost", "net"),
    ("Peak cash outlay", "peak_outlay"),
]
IN_NETWORK_ROWS: dict[str, tuple[str, str]] = {
    "paid": ("Paid to the clinic (your share)", "paid"),
    "balance_billed": ("Not allowed (the clinic writes it off)", "not_allowed"),
    "reimbursed": ("Plan pays the clinic", "plan_paid"),
}


def _scenarios_table(estimate: Estimate) -> Table:
    currency = estimate.clinic.currency
    scenarios = estimate.scenarios
    in_network = any(s.in_network for s in scenarios)
    table = Table("Insurance scenarios", [Column("")] + [Column(s.name, True) for s in scenarios])
    if any(s.probability is not None for s in scenarios):
        table.add("Probability", *[_percent(s.probability) for s in scenarios])
    for label, attribute in SCENARIO_ROWS:
        if attribute == "savings_program" and estimate.savings is None:
            continue
        if attribute == "copay" and not any(s.copay for s in scenarios):
            continue
        if in_network:
            label, attribute = IN_NETWORK_ROWS.get(attribute, (label, attribute))
        style: RowStyle = "total" if attribute == "net" else "normal"
        table.add(label, *[money(getattr(s, attribute), currency) for s in scenarios], style=style)
    if not in_network:
        table.add(
            "Last reimbursement arrives",
            *[s.last_reimbursement.isoformat() if s.last_reimbursement else "—" for s in scenarios],
        )
    if estimate.expected_net is not None:
        table.caption = f"Expected net cost: {money(estimate.expected_net, currency)}"
    if in_network:
        note = (
            "In network: you pay your share at each visit; the plan pays the clinic and the"
            " clinic writes off what the plan does not allow."
        )
        table.caption = f"{table.caption}. {note}" if table.caption else note
    return table


def _response_table(estimate: Estimate) -> Table:
    odds = estimate.response
    assert odds is not None
    currency = estimate.clinic.currency
    named = estimate.plan is not None
    columns = [Column(""), Column("Clinic charges", True)]
    columns += [Column(f"Net: {s.name}", True) for s in odds.scenarios] if named else []
    table = Table(f"If it helps, and if it does not ({_percent(odds.rate)} respond)", columns)

    def row(label: str, total: Decimal, nets: list[Decimal], style: RowStyle = "normal") -> None:
        cells = [money(total, currency)] + ([money(n, currency) for n in nets] if named else [])
        table.add(label, *cells, style=style)

    row(
        "If it works: the series and maintenance",
        odds.if_works,
        [s.if_works for s in odds.scenarios],
    )
    row(
        f"If it does not: stop after {min(odds.stop_after, estimate.clinic.series.sessions)}"
        " sessions",
        odds.if_fails,
        [s.if_fails for s in odds.scenarios],
    )
    row("Expected", odds.expected_total, [s.expected for s in odds.scenarios], "total")
    if odds.per_responder is not None:
        table.add(
            "Expected spending per person helped",
            money(odds.per_responder, currency),
            *([""] * (len(columns) - 2)),
        )
    table.caption = (
        "Response rates are population figures (45–71% after a series in published studies),"
        " not a prediction for anyone."
    )
    return table


def _personal_table(estimate: Estimate) -> Table:
    personal = estimate.personal
    assert personal is not None
    currency = estimate.clinic.currency
    table = Table(
        "Your own costs (not charged by the clinic)",
        [Column("Item"), Column("Visits", True), Column("Each", True), Column("Amount", True)],
    )
    for line in personal.lines:
        name = line.name
        if name == "Time off work":
            hours = f"{personal.hours_per_session.normalize():f}"
            name += f" ({hours} h × {money(personal.hourly_wage, currency)})"
        table.add(
            name, str(line.quantity), money(line.each, currency), money(line.amount, currency)
        )
    table.add("Your own costs", "", "", money(personal.total, currency), style="subtotal")
    table.add(
        "All in: the clinic's charges and your own",
        "",
        "",
        money(estimate.total + personal.total, currency),
        style="total",
    )
    if estimate.clinic.modality == "at-home":
        table.caption = "At-home sessions: no rides or time off counted."
    return table


def _financing_table(estimate: Estimate) -> Table:
    financing = estimate.financing
    assert financing is not None
    currency = estimate.clinic.currency
    terms = financing.terms
    table = Table(f"Financing the series: {terms.name}", [Column(""), Column("", True)])
    table.add("Financed (the series less the down payment)", money(financing.principal, currency))
    table.add("Down payment at the first session", money(financing.down_payment, currency))
    count = len(financing.instalments)
    if count > 1 and financing.last_payment != financing.monthly_payment:
        table.add(
            f"Monthly payment × {count - 1} from a month after, then a last payment of"
            f" {money(financing.last_payment, currency)}",
            money(financing.monthly_payment, currency),
        )
    else:
        table.add(
            f"Monthly payment × {count}, from a month after",
            money(financing.monthly_payment, currency),
        )
    table.add("Total interest", money(financing.total_interest, currency), style="total")
    table.add("Total paid for the series", money(financing.total_paid, currency))
    missed = financing.missed
    if missed is not None:
        table.add("Net cost if the promotion is paid off in time (0%)", "")
        for scenario in estimate.scenarios:
            table.add(f"  {scenario.name}", money(scenario.net, currency))
        table.add(
            f"⚠ Not paid off in time: interest charged {missed.ends.isoformat()}",
            money(missed.interest, currency),
            style="flag",
        )
        table.add(
            "⚠ Total paid for the series then", money(missed.total_paid, currency), style="flag"
        )
        for scenario in estimate.scenarios:
            table.add(
                f"⚠ Net cost then: {scenario.name}",
                money(scenario.net + missed.interest, currency),
                style="flag",
            )
    table.caption = (
        "The cash flow and net cost use these payments instead of the series charges"
        + (", paid off in time." if missed is not None else ".")
        + " The last payment absorbs the rounding: the payments add up to what was financed"
        " plus the interest, to the cent."
    )
    if missed is not None:
        table.caption += (
            f" A deferred-interest promotion: if the last instalment is missed, interest at"
            f" {_percent(terms.apr)} on each month's balance since the first day is charged when"
            " the promotion ends; the balance and that interest are counted as paid that day."
        )
    return table


def _savings_table(estimate: Estimate) -> Table:
    savings = estimate.savings
    assert savings is not None
    currency = estimate.clinic.currency
    table = Table(
        "Esketamine savings programme (commercial insurance only)",
        [Column("")] + [Column(s.name, True) for s in estimate.scenarios],
    )
    table.add(
        "Paid by the programme", *[money(s.savings_program, currency) for s in estimate.scenarios]
    )
    table.add(
        "Your net cost with it",
        *[money(s.net, currency) for s in estimate.scenarios],
        style="total",
    )
    table.caption = (
        f"You pay at least {money(savings.floor, currency)} a treatment until"
        f" {money(savings.annual_cap, currency)} a calendar year is used; observation is not"
        " covered (give device_price and session_fee to separate it). " + SAVINGS_SOURCE
    )
    return table


def _tax_table(estimate: Estimate) -> Table:
    tax = estimate.tax
    assert tax is not None
    currency = estimate.clinic.currency
    rate = _percent(tax.terms.marginal_rate)
    recovered = any(y.recovered for y in tax.years)
    columns = [
        Column("Year"),
        Column("Medical expenses", True),
        Column("From HSA/FSA", True),
        Column("7.5% of AGI", True),
        Column("Deductible", True),
    ]
    if recovered:
        columns.append(Column("Later refund taxed", True))
    columns.append(Column(f"Tax saved at {rate}", True))
    weighted = " — expected over the scenarios" if tax.weighted else ""
    if not tax.weighted and len(estimate.scenarios) > 1:
        weighted = f" — {estimate.scenarios[0].name}"
    table = Table(f"Tax by calendar year (an estimate, not tax advice){weighted}", columns)

    def shown(amount: Decimal | None) -> str:
        return "—" if amount is None else money(amount, currency)

    for year in tax.years:
        cells = [
            str(year.year),
            money(year.expenses, currency),
            money(year.hsa_fsa, currency),
            shown(year.floor),
            shown(year.deductible),
        ]
        if recovered:
            cells.append(money(year.recovered, currency))
        table.add(*cells, money(year.saving, currency))
    blanks = [""] * (len(columns) - 2)
    table.add("All years", *blanks, money(tax.total_saving, currency), style="total")
    table.add(
        "Net cost less the tax saved", *blanks, money(estimate.net - tax.total_saving, currency)
    )
    table.caption = " ".join(tax.notes)
    return table


def _tax_by_scenario_table(estimate: Estimate) -> Table:
    currency = estimate.clinic.currency
    years = sorted({y.year for s in estimate.scenarios for y in s.tax or ()})
    table = Table(
        "Tax saved per scenario",
        [Column("Scenario")] + [Column(str(y), True) for y in years] + [Column("All years", True)],
    )
    for scenario in estimate.scenarios:
        saved = {y.year: y.saving for y in scenario.tax or ()}
        table.add(
            scenario.name,
            *[money(saved.get(y, Decimal(0)), currency) for y in years],
            money(sum(saved.values(), Decimal(0)), currency),
        )
    table.caption = "Each scenario is worked year by year on its own; the table above weighs them."
    return table


def percent_text(value: Decimal | None) -> str:
    """Return a fraction as a percentage for people to read: ``20%``; ``—`` when absent."""
    return _percent(value)


def _percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{(value * 100).normalize():f}%"


def _cashflow_table(scenario: ScenarioResult, currency: str, named: bool) -> Table:
    title = "Cash flow by month" + (f" — {scenario.name}" if named else "")
    table = Table(
        title,
        [
            Column("Month"),
            Column("Paid", True),
            Column("Reimbursed", True),
            Column("You are out", True),
            Column(""),
        ],
    )
    largest = max((m.cumulative for m in scenario.cashflow), default=Decimal(0))
    for month in scenario.cashflow:
        table.add(
            month.month,
            money(month.paid, currency),
            money(month.reimbursed, currency),
            money(month.cumulative, currency),
            bar(month.cumulative, largest),
        )
    return table


def _claims_table(scenario: ScenarioResult, currency: str) -> Table:
    in_network = scenario.in_network
    money_columns = ["Billed", "Allowed", "Deductible", "Copay", "Coinsurance"]
    if in_network:
        money_columns += ["You pay", "Plan pays the clinic"]
    else:
        money_columns += ["Reimbursed"]
    columns = [Column("Date"), Column("Charge")] + [Column(name, True) for name in money_columns]
    if not in_network:
        columns.append(Column("Paid on"))
    columns += [Column("Deductible left", True), Column("OOP left", True)]
    title = f"Claims — {scenario.name}" + (
        " (in network: the plan pays the clinic)" if in_network else ""
    )
    table = Table(title, columns)
    for claim in scenario.claims:
        left = claim.out_of_pocket_left
        cells = [
            claim.charge.date.isoformat(),
            claim.charge.label,
            money(claim.billed, currency),
            money(claim.allowed, currency),
            money(claim.deductible, currency),
            money(claim.copay, currency),
            money(claim.coinsurance, currency),
        ]
        if in_network:
            cells += [money(claim.paid, currency), money(claim.plan_paid, currency)]
        else:
            cells += [
                money(claim.reimbursed, currency),
                claim.reimbursed_on.isoformat() if claim.reimbursed else "—",
            ]
        cells += [
            money(claim.deductible_left, currency),
            "no cap" if left is None else money(left, currency),
        ]
        table.add(*cells)
    if not scenario.claims:
        note = scenario.terms.note if scenario.terms is not None else None
        table.caption = note or "No claimable charges."
    return table
