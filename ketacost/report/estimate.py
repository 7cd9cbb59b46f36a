"""The document of one clinic's estimate: the charges, scenarios, cash flow and claims.

What gives way at a narrow width (docs/output.md), per table: the charges drop
Last, then First (the dates of each line); the cash flow drops its bars; the
claims drop Paid (the price, when the superbill bills the same), Not allowed
(billed less allowed), Plan's part
(what it owes, which is what it reimburses unless the superbill asks more than
was paid), OOP left, Deductible left, Balance billed, Copay, Paid on,
Coinsurance, then Deductible (it says why the first claims pay nothing),
and keep the date, charge, billed, allowed and reimbursed (in network: what you
pay and what the plan pays the clinic). No other column of the
estimate drops: those tables are stacked, one field per line, instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from ..engine.result import Estimate, ScenarioResult
from ..engine.savings import SOURCE as SAVINGS_SOURCE
from ..model.common import STALE_AFTER_DAYS, dates_text
from .comparison import is_stale
from .document import Chart, ChartLine, Column, Report, RowStyle, Table
from .words import bar, modality_text, money, percent, plural


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


def estimate_report(
    estimate: Estimate,
    *,
    claims: bool = False,
    lead: Sequence[str] = (),
    chosen: int | None = None,
) -> Report:
    """Return the tables for one clinic's estimate; ``lead`` opens it (the answer first).

    ``chosen``: the place of the scenario that stands for the person, whose figures the
    tax table gives; None for the expected value (or the first, with no probabilities).
    """
    from .terms import plan_text, terms_table

    clinic = estimate.clinic
    currency = clinic.currency
    last_day = estimate.end.toordinal() - 1
    details = [
        *lead,
        " · ".join(filter(None, [clinic.location, modality_text(clinic.modality)])),
        source_text(estimate),
        f"Horizon: {estimate.start.isoformat()} to "
        f"{type(estimate.start).fromordinal(last_day).isoformat()} ({plural(estimate.months, 'month')})",
    ]
    if is_stale(estimate, STALE_AFTER_DAYS):
        age = estimate.source_age_days
        details.append(
            "⚠ The prices have no date: phone the clinic to confirm them"
            if age is None
            else f"⚠ The prices were checked {plural(age, 'day')} before the start (more than"
            f" {STALE_AFTER_DAYS}): phone the clinic to confirm them"
        )
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
        several = len(estimate.scenarios) > 1
        if not several or chosen is not None or estimate.tax.weighted:
            tables.append(_tax_table(estimate, chosen))
        else:  # no probabilities and none named: no one scenario's years stand for you
            tables += [_tax_table(estimate, index) for index in range(len(estimate.scenarios))]
        if several:
            tables.append(_tax_by_scenario_table(estimate, chosen))
    # One scale for every scenario's bars, so equal bars mean equal money.
    largest = max(
        (m.cumulative for s in estimate.scenarios for m in s.cashflow), default=Decimal(0)
    )
    for scenario in estimate.scenarios:
        tables.append(_cashflow_table(scenario, currency, len(estimate.scenarios) > 1, largest))
    if claims and estimate.plan is not None:
        tables.extend(_claims_table(s, currency, estimate) for s in estimate.scenarios)
    notes = ["An estimate from published or quoted prices, not medical or financial advice."]
    return Report(
        heading=clinic.name,
        details=[d for d in details if d],
        tables=tables,
        notes=notes,
        charts=[cumulative_chart(estimate)],
    )


def answer_first(estimate: Estimate, chosen: int | str | None, assumed: int) -> list[str]:
    """Return the four lines an estimate opens with: up front, back by when, net, assumed.

    ``chosen`` is the scenario that stands for the person (its place), None for
    the probability-weighted expected value, or ``"all"`` when none stands for
    them: each figure is then given as the range over the scenarios.
    """
    scenarios = estimate.scenarios
    currency = estimate.clinic.currency
    if isinstance(chosen, str):
        peaks = sorted(s.peak_outlay for s in scenarios)
        backs = sorted(s.reimbursed for s in scenarios)
        nets = sorted(s.net for s in scenarios)
        programs = sorted(s.savings_program for s in scenarios)
        lines = [
            f"Up front: at most {_range(peaks, currency)} out of your pocket at once,"
            " depending on the scenario (peak outlay).",
            f"Back: {_range(backs, currency)} from the plan{_by(scenarios)}"
            + (f"; the savings program pays {_range(programs, currency)}" if programs[-1] else "")
            + ".",
            f"Net: {_range(nets, currency)}, depending on the scenario (no scenario is named"
            " as yours: --scenario NAME picks one).",
        ]
    else:
        if chosen is None:
            peak = max(s.peak_outlay for s in scenarios)  # the worst case: never flattering
            back = _weighted(estimate, [s.reimbursed for s in scenarios])
            program = _weighted(estimate, [s.savings_program for s in scenarios])
            net = estimate.expected_net if estimate.expected_net is not None else scenarios[0].net
            named = "expected, weighing the scenarios by their probabilities"
            picked: Sequence[ScenarioResult] = scenarios
        else:
            scenario = scenarios[chosen]
            peak, back, net = scenario.peak_outlay, scenario.reimbursed, scenario.net
            program = scenario.savings_program
            named = f"in the {scenario.name!r} scenario" if estimate.plan is not None else ""
            picked = [scenario]
        in_network = all(s.in_network for s in picked) and estimate.plan is not None
        if estimate.plan is None:
            came_back = "Back: nothing: no plan was given, so nothing is claimed"
        elif in_network:
            came_back = "Back: nothing to you: in network, the plan pays the clinic directly"
        elif back == 0:
            came_back = "Back: nothing from the plan"
        else:
            came_back = f"Back: {money(back, currency)} from the plan{_by(picked)}"
        if program:  # the program's money is no plan's, but it too is not yours to pay
            came_back += f"; the savings program pays {money(program, currency)}"
        came_back += "."
        lines = [
            f"Up front: at most {money(peak, currency)} out of your pocket at once (peak outlay).",
            came_back,
            f"Net: {money(net, currency)}" + (f", {named}." if named else "."),
        ]
    lines.append(
        f"Assumed: {plural(assumed, 'input')} you did not state (listed below)."
        if assumed
        else "Assumed: nothing you did not state."
    )
    return lines


def _range(values: Sequence[Decimal], currency: str) -> str:
    low, high = values[0], values[-1]
    if low == high:
        return money(low, currency)
    return f"{money(low, currency)} to {money(high, currency)}"


def _by(scenarios: Sequence[ScenarioResult]) -> str:
    last = [s.last_reimbursement for s in scenarios if s.last_reimbursement is not None]
    return f", the last of it by {max(last).isoformat()}" if last else ""


def _weighted(estimate: Estimate, values: Sequence[Decimal]) -> Decimal:
    from ..money import round_cents

    weights = [s.probability or Decimal(0) for s in estimate.scenarios]
    return round_cents(sum((v * w for v, w in zip(values, weights, strict=True)), Decimal(0)))


def cumulative_chart(estimate: Estimate) -> Chart:
    """Return what each scenario has cost by the end of each month, as a chart."""
    # Reimbursements may run past the horizon: the longest cash flow sets the months.
    first = max((s.cashflow for s in estimate.scenarios), key=len)
    return Chart(
        title=f"{estimate.clinic.name}: what you are out, month by month",
        currency=estimate.clinic.currency,
        steps=[month.month for month in first],
        lines=[
            ChartLine(
                f"{s.name}: net {money(s.net, estimate.clinic.currency)}",
                [month.cumulative for month in s.cashflow],
            )
            for s in estimate.scenarios
        ],
        axis="Paid to the clinic less reimbursed, by the end of each month",
    )


def _charges_table(estimate: Estimate) -> Table:
    currency = estimate.clinic.currency
    table = Table(
        "What the clinic charges",
        [
            Column("Item", min_width=12),
            Column("Qty", True),
            Column("Unit price", True),
            Column("Amount", True),
            Column("First", rigid=True, drop=2),
            Column("Last", rigid=True, drop=1),
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
        f"Total over {plural(estimate.months, 'month')}",
        "",
        "",
        money(estimate.total, currency),
        "",
        "",
        style="total",
    )
    table.add("The series alone", "", "", money(estimate.series_total, currency), "", "")
    table.add(
        f"Average per session ({plural(estimate.sessions, 'session')} and"
        f" {'its' if estimate.sessions == 1 else 'their'} per-session fees)",
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
    ("Paid by the savings program", "savings_program"),
    ("Net cost", "net"),
    ("Peak cash outlay", "peak_outlay"),
]
IN_NETWORK_ROWS: dict[str, tuple[str, str]] = {
    "paid": ("Paid to the clinic (your share)", "paid"),
    "balance_billed": ("Not allowed (the clinic writes it off)", "not_allowed"),
    "reimbursed": ("Plan pays the clinic", "plan_paid"),
}


def _written_off(scenario: ScenarioResult) -> Decimal:
    """In network: what the clinic writes off, billed above the allowed amount on claims
    the plan covers."""
    return sum((c.not_allowed for c in scenario.claims if c.covered), Decimal(0))


def _not_covered(scenario: ScenarioResult) -> Decimal:
    """What was paid on claims the plan does not cover: the patient's in full (the price,
    not the superbill's codes, which may add up to more)."""
    return sum((c.paid for c in scenario.claims if not c.covered), Decimal(0))


def _scenarios_table(estimate: Estimate) -> Table:
    currency = estimate.clinic.currency
    scenarios = estimate.scenarios
    in_network = any(s.in_network for s in scenarios)
    interest = estimate.financing.total_interest if estimate.financing is not None else Decimal(0)
    table = Table(
        "Insurance scenarios",
        [Column("", min_width=12)] + [Column(s.name, True) for s in scenarios],
    )
    if any(s.probability is not None for s in scenarios):
        table.add("Probability", *[percent(s.probability) for s in scenarios])
    for label, attribute in SCENARIO_ROWS:
        if attribute == "savings_program" and estimate.savings is None:
            continue
        if attribute == "copay" and not any(s.copay for s in scenarios):
            continue
        if in_network:
            label, attribute = IN_NETWORK_ROWS.get(attribute, (label, attribute))
        style: RowStyle = "total" if attribute == "net" else "normal"
        if attribute == "paid" and interest:
            # What the clinic got and what the lender got are two rows; together, paid.
            table.add(label, *[money(s.paid - interest, currency) for s in scenarios])
            table.add("Interest paid to the lender", *[money(interest, currency)] * len(scenarios))
            table.add("Paid in all", *[money(s.paid, currency) for s in scenarios])
            continue
        if attribute == "not_allowed":
            # written off only where the plan covers the claim: a denied claim is the
            # patient's to pay in full, and says so on a row of its own
            table.add(label, *[money(_written_off(s), currency) for s in scenarios])
            if any(not c.covered for s in scenarios for c in s.claims):
                table.add(
                    "Not covered (yours to pay in full)",
                    *[money(_not_covered(s), currency) for s in scenarios],
                )
            continue
        table.add(label, *[money(getattr(s, attribute), currency) for s in scenarios], style=style)
    # A superbill above the price paid: what the plan owes and what it reimburses differ.
    if not in_network and any(s.not_allowed != s.balance_billed for s in scenarios):
        table.add(
            "Not allowed, on the superbill", *[money(s.not_allowed, currency) for s in scenarios]
        )
    if not in_network and any(s.plan_part != s.reimbursed for s in scenarios):
        table.add(
            "The plan's part (reimbursed up to what you paid)",
            *[money(s.plan_part, currency) for s in scenarios],
        )
    if not in_network:
        table.add(
            "Last reimbursement arrives",
            *[s.last_reimbursement.isoformat() if s.last_reimbursement else "—" for s in scenarios],
        )
    words = []
    if estimate.expected_net is not None:
        words.append(f"Expected net cost: {money(estimate.expected_net, currency)}.")
    if in_network:
        clinic_files = any(s.terms is not None and s.terms.clinic_files for s in scenarios)
        words.append(
            (
                "Out of network, filed by the clinic (it is enrolled in Medicare): you pay your"
                " share at each visit and the plan pays the clinic."
            )
            if clinic_files
            else (
                "In network: you pay your share at each visit; the plan pays the clinic and the"
                " clinic writes off what the plan does not allow."
            )
        )
    words += plan_year_words(estimate)
    table.caption = " ".join(words) or None
    return table


def plan_year_words(estimate: Estimate) -> list[str]:
    """Return, in words, when the plan's counters reset and what is left of the deductible."""
    plan = estimate.plan
    if plan is None:
        return []
    month, day = plan.plan_year_starts
    resets = []
    for year in range(estimate.start.year, estimate.end.year + 1):
        try:
            reset = dt.date(year, month, day)
        except ValueError:  # 02-29 in a year without one
            reset = dt.date(year, 3, 1)
        if estimate.start < reset < estimate.end:
            resets.append(reset.isoformat())
    words = []
    if resets:
        words.append(
            f"The plan year starts {month:02d}-{day:02d}: the deductible and out-of-pocket"
            f" counters reset on {', '.join(resets)}."
        )
    currency = estimate.clinic.currency
    for scenario in estimate.scenarios:
        covered = [c for c in scenario.claims if c.allowed > 0]
        if covered and covered[-1].deductible_left > 0:
            left = money(covered[-1].deductible_left, currency)
            words.append(f"{scenario.name}: deductible not met, {left} left after the last claim.")
    return words


def _response_table(estimate: Estimate) -> Table:
    odds = estimate.response
    assert odds is not None
    currency = estimate.clinic.currency
    named = estimate.plan is not None
    # Without a plan the one net cost still differs from the charges when financed.
    nets = [f"Net: {s.name}" for s in odds.scenarios] if named else ["Net cost"]
    columns = [Column("", min_width=12), Column("Clinic charges", True)]
    columns += [Column(name, True) for name in nets]
    table = Table(f"If it helps, and if it does not ({percent(odds.rate)} respond)", columns)

    def row(label: str, total: Decimal, nets: list[Decimal], style: RowStyle = "normal") -> None:
        cells = [money(total, currency)] + [money(n, currency) for n in nets]
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
    weighed = ""
    if odds.expected_net is not None and len(odds.scenarios) > 1:
        weighed = (
            f" Weighed by the scenarios' probabilities too, the expected net is"
            f" {money(odds.expected_net, currency)} (what compare ranks by, with this"
            " response rate and no scenario named)."
        )
    table.caption = (
        "Response rates are population figures (45–71% after a series in published studies),"
        " not a prediction for anyone." + weighed
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
        if line.hours is not None:
            hours = f"{line.hours.normalize():f}"
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
        table.caption = "Sessions taken at home count no ride and no time off."
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
            f" {percent(terms.apr)} on each month's balance since the first day is charged when"
            " the promotion ends; the balance and that interest are counted as paid that day."
        )
    return table


def _savings_table(estimate: Estimate) -> Table:
    savings = estimate.savings
    assert savings is not None
    currency = estimate.clinic.currency
    table = Table(
        "Esketamine savings program (commercial insurance only)",
        [Column("")] + [Column(s.name, True) for s in estimate.scenarios],
    )
    table.add(
        "Paid by the program", *[money(s.savings_program, currency) for s in estimate.scenarios]
    )
    table.add(
        "Your net cost with it",
        *[money(s.net, currency) for s in estimate.scenarios],
        style="total",
    )
    table.caption = (
        f"You pay at least {money(savings.floor, currency)} a treatment until"
        f" {money(savings.annual_cap, currency)} a calendar year is used; observation is not"
        " covered by the drug benefit (give device_price and session_fee to separate it). "
        + (savings.rebate_note() or "")
        + " "
        + SAVINGS_SOURCE
    )
    return table


def _tax_table(estimate: Estimate, chosen: int | None = None) -> Table:
    tax = estimate.tax
    assert tax is not None
    currency = estimate.clinic.currency
    rate = percent(tax.terms.marginal_rate)
    years, total, net = tax.years, tax.total_saving, estimate.net
    notes = tax.notes
    weighted = " — expected over the scenarios" if tax.weighted else ""
    if not tax.weighted and len(estimate.scenarios) > 1:
        weighted = f" — {estimate.scenarios[0].name}"
    one = False
    if chosen is not None and len(estimate.scenarios) > 1:
        # the scenario that stands for you: its own years, and notes of its own
        one = True
        from ..engine.tax import tax_notes

        scenario = estimate.scenarios[chosen]
        years, net, weighted = scenario.tax or (), scenario.net, f" — {scenario.name}"
        total = sum((y.saving for y in years), Decimal(0))
        notes = tax_notes(tax.terms, years)
        if estimate.response is not None:  # the stop-early branch is weighed over all scenarios
            notes = (
                f"With a {percent(estimate.response.rate)} chance it helps, the years shown are"
                f" the whole treatment's in '{scenario.name}' (if it helps); what stopping early"
                " would save is worked over the scenarios in the expected figures.",
                *notes,
            )
    recovered = any(y.recovered for y in years)
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
    table = Table(f"Tax by calendar year (an estimate, not tax advice){weighted}", columns)

    def shown(amount: Decimal | None) -> str:
        return "—" if amount is None else money(amount, currency)

    for year in years:
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
    table.add("All years", *blanks, money(total, currency), style="total")
    table.add("Net cost less the tax saved", *blanks, money(net - total, currency), named=True)
    expected = tax.expected_saving
    if tax.if_it_does_not is not None and expected is not None and estimate.response and not one:
        stop = estimate.response.stop_after
        from ..engine.tax import total_saving

        fails = total_saving(tax.if_it_does_not)
        table.add(f"If it does not help (stop after {stop})", *blanks, money(fails, currency))
        table.add("Expected, weighed by the odds", *blanks, money(expected, currency))
    terms = tax.terms
    assumed = [f"a {rate} marginal rate"]
    if terms.agi is not None:
        assumed.append(f"an AGI of {money(terms.agi, currency)}")
    if terms.other_itemized:
        assumed.append(f"other itemized deductions of {money(terms.other_itemized, currency)}")
    if terms.other_medical:
        assumed.append(f"other medical expenses of {money(terms.other_medical, currency)} a year")
    table.caption = " ".join([f"Assumed: {', '.join(assumed)}.", *notes])
    return table


def _tax_by_scenario_table(estimate: Estimate, chosen: int | None = None) -> Table:
    currency = estimate.clinic.currency
    years = sorted({y.year for s in estimate.scenarios for y in s.tax or ()})
    table = Table(
        "Tax saved per scenario",
        [Column("Scenario")]
        + [Column(str(y), True) for y in years]
        + [Column("All years", True), Column("Net cost less the tax saved", True)],
    )
    for scenario in estimate.scenarios:
        saved = {y.year: y.saving for y in scenario.tax or ()}
        total = sum(saved.values(), Decimal(0))
        table.add(
            scenario.name,
            *[money(saved.get(y, Decimal(0)), currency) for y in years],
            money(total, currency),
            money(scenario.net - total, currency),
        )
    tax = estimate.tax
    table.caption = "Each scenario is worked year by year on its own; " + (
        "the table above is the one that stands for you."
        if chosen is not None
        else "the table above weighs them."
        if tax is not None and tax.weighted
        else "none stands for you (the plan gives no probabilities and none is named), so"
        " the tables above give each one's years; --scenario NAME, or scenario: in your"
        " person file, names the one that does."
    )
    return table


def _cashflow_table(
    scenario: ScenarioResult, currency: str, named: bool, largest: Decimal
) -> Table:
    title = "Cash flow by month" + (f" — {scenario.name}" if named else "")
    table = Table(
        title,
        [
            Column("Month", rigid=True),
            Column("Paid", True),
            Column("Reimbursed", True),
            Column("You are out", True),
            Column("", drop=1, bar=True),
        ],
    )
    for month in scenario.cashflow:
        table.add(
            month.month,
            money(month.paid, currency),
            money(month.reimbursed, currency),
            money(month.cumulative, currency),
            bar(month.cumulative, largest),
        )
    return table


# The claims table's own words, said under it (the terminal may drop some of these columns).
CLAIM_WORDS = {
    False: "Plan's part: what the plan owes on the claim; it reimburses that, up to what you"
    " paid. Deductible left, OOP left: what remains of the deductible and of the"
    " out-of-pocket (OOP) cap after the claim.",
    True: "Deductible left, OOP left: what remains of the deductible and of the out-of-pocket"
    " (OOP) cap after the claim.",
}


def _claims_table(
    scenario: ScenarioResult, currency: str, estimate: Estimate | None = None
) -> Table:
    in_network = scenario.in_network
    columns = [
        Column("Date", rigid=True),
        Column("Charge"),
        *([] if in_network else [Column("Paid", True, drop=1)]),
        Column("Billed", True),
        Column("Allowed", True),
        Column("Not allowed", True, drop=2),
        Column("Deductible", True, drop=10),
        Column("Copay", True, drop=7),
        Column("Coinsurance", True, drop=9),
    ]
    if in_network:
        columns += [Column("You pay", True), Column("Plan pays the clinic", True)]
    else:
        columns += [
            Column("Plan's part", True, drop=3),
            Column("Balance billed", True, drop=6),
            Column("Reimbursed", True),
            Column("Paid on", rigid=True, drop=8),
        ]
    columns += [Column("Deductible left", True, drop=5), Column("OOP left", True, drop=4)]
    title = f"Claims — {scenario.name}" + (
        " (in network: the plan pays the clinic)" if in_network else ""
    )
    table = Table(title, columns)
    for claim in scenario.claims:
        left = claim.out_of_pocket_left
        cells = [claim.charge.date.isoformat(), claim.charge.label]
        if not in_network:
            cells.append(money(claim.paid, currency))
        cells += [
            money(claim.billed, currency),
            money(claim.allowed, currency),
            money(claim.not_allowed, currency),
            money(claim.deductible, currency),
            money(claim.copay, currency),
            money(claim.coinsurance, currency),
        ]
        if in_network:
            cells += [money(claim.paid, currency), money(claim.plan_paid, currency)]
        else:
            cells += [
                money(claim.plan_part, currency),
                money(claim.balance_billed, currency),
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
    else:
        year = " ".join(plan_year_words(estimate)[:1]) if estimate is not None else ""
        table.caption = " ".join(w for w in (CLAIM_WORDS[in_network], year) if w)
    return table
