"""The ledger status as a report (tables and notes), as JSON-ready data, and as CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..engine.claim_status import OVERDUE_GRACE_DAYS, STATES, ClaimStatus
from ..engine.deadlines import Deadline
from ..engine.horizon import add_months
from ..engine.status import GFE_MARGIN, GFE_WINDOW_DAYS, Figures, LedgerStatus
from ..errors import printable
from ..model.ledger import Eob
from ..model.plan import ByCode, PerClaim, Terms
from ..money import format_money
from .document import Column, Report, Table
from .spreadsheet import csv_text
from .words import money, plural


def terms_text(terms: Terms, currency: str, in_network: bool = False) -> str:
    """Return the terms a scenario adjudicates by, in a few words.

    Out of network the plan pays the patient, ``paid_after_days`` after the claim; in
    network it pays the clinic, and the same days say when its EOB is due.
    """
    if not terms.covered:
        return "claims denied"
    rule = terms.allowed
    if isinstance(rule, ByCode):
        allowed = "allowed by code"
    elif isinstance(rule, PerClaim):
        allowed = f"allowed {money(rule.amount, currency)} a claim"
    else:
        allowed = f"allowed {_percent(rule.percent)} of billed"
    cap = terms.out_of_pocket_max
    return (
        f"{allowed}, deductible {money(terms.deductible, currency)}, coinsurance"
        f" {_percent(terms.coinsurance)}, out-of-pocket cap"
        f" {'none' if cap is None else money(cap, currency)}, "
        + (
            f"the plan pays the clinic (EOB expected {terms.paid_after_days} days after the visit)"
            if in_network
            else f"paid {terms.paid_after_days} days after the claim"
        )
    )


def _percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}%"


def _claim_detail(
    claim: ClaimStatus, currency: str, in_network: bool, appeal: Deadline | None = None
) -> str:
    if claim.state == "not filed" and claim.days_left is not None:
        if claim.days_left < 0:
            return f"filing deadline {claim.filing_deadline} passed {-claim.days_left} days ago"
        return f"{claim.days_left} days left to file (by {claim.filing_deadline})"
    if claim.state == "waiting" and in_network:
        return f"visit {claim.age_days} days ago; no EOB yet, overdue from {claim.overdue_from}"
    if claim.state == "waiting":
        return f"filed {claim.age_days} days ago; overdue from {claim.overdue_from}"
    if claim.state == "overdue" and in_network:
        return f"no EOB {claim.age_days} days after the visit: ask the clinic, then the plan"
    if claim.state == "overdue":
        return f"filed {claim.age_days} days ago, no answer: call the plan"
    if claim.check is not None and claim.check.eob.denied is not None:
        said = f"denied: {claim.check.eob.denied}"
        if appeal is None:
            return said
        if appeal.closed is not None:
            return f"{said}; {appeal.closed}"
        return f"{said}; appeal by {appeal.due}" if appeal.due else f"{said}; appeal it"
    if claim.state == "payment due":
        assert claim.check is not None  # an EOB says the plan pays
        eob = claim.check.eob
        got = "none" if claim.received == 0 else money(claim.received, currency)
        return f"EOB {eob.date}: {_pays_you(eob, currency)}, {got} received; late from {claim.payment_late_from}"
    if claim.check is not None and in_network:
        eob = claim.check.eob
        said = f"EOB {eob.date}: your share {money(eob.patient_share, currency)}"
        over = claim.paid - eob.patient_share
        return f"{said}; you paid {money(over, currency)} more" if over > 0 else said
    if claim.check is not None:
        return f"EOB {claim.check.eob.date}: {_pays_you(claim.check.eob, currency)}"
    return f"{money(claim.received, currency)} received, no EOB logged"


def _pays_you(eob: Eob, currency: str) -> str:
    """What an EOB says the plan pays, and, where it sent part to the clinic, what of it
    comes to you: that part never does (docs/ledger-format.md)."""
    pays = f"the plan pays {money(eob.plan_pays, currency)}"
    if not eob.paid_to_clinic:
        return pays
    return f"{pays}, {money(eob.to_patient, currency)} of it to you"


def status_report(status: LedgerStatus, ledger_file: str) -> Report:
    """Return the status as tables and notes for the Rich and Markdown renderers."""
    planned = status.estimate
    currency = planned.clinic.currency
    ledger = status.ledger
    last_day = planned.end - dt.timedelta(days=1)
    details = [
        f"Ledger {printable(ledger_file)}: treatment from {ledger.start} to {last_day} ({ledger.months} months)",
    ]
    if planned.plan is not None and status.terms is not None:
        details.append(
            f"Plan: {planned.plan.name}; expected figures use the scenario"
            f" {status.scenario.name!r}: {terms_text(status.terms, currency, status.in_network)}"
        )
    else:
        details.append("No plan: self-pay; no claims are followed")
    if status.later:
        latest = max(status.later)
        verb, them = ("is", "it") if len(status.later) == 1 else ("are", "them")
        # more than a year after the treatment ends: most often a mistyped year
        cutoff = add_months(last_day, 12)  # the same day a year on (Feb 28 for Feb 29)
        near = [day for day in status.later if day <= cutoff]
        advice = f": add --as-of {max(near)} to count {them}" if near else ""
        if latest > cutoff:
            advice += (
                f"{';' if advice else ':'} {latest} is more than a year after the treatment"
                f" ends ({last_day}): check its year"
            )
        details.append(
            f"⚠ {plural(len(status.later), 'entry', 'entries')} dated after {status.as_of}"
            f" {verb} not counted (the latest on {latest}){advice}"
        )
    tables = [next_table(status.deadlines, status.as_of), _money_table(status, currency)]
    if status.claims:
        tables.append(_claims_table(status, currency))
    if status.checks:
        tables.append(_eob_table(status, currency))
    if status.counters is not None:
        tables.append(_counters_table(status, currency))
    return Report(
        heading=f"{planned.clinic.name}: where the treatment stands on {status.as_of}",
        details=details,
        tables=tables,
        notes=_notes(status, currency),
    )


def _money_table(status: LedgerStatus, currency: str) -> Table:
    table = Table(
        "Paid and reimbursed",
        [
            Column("", min_width=20),
            Column("Paid", True),
            Column("Reimbursed", True),
            Column("Net", True),
        ],
        caption="Paid: visits and other charges logged. Reimbursed: money from the plan that reached"
        " you. Still to come: "
        + (
            "what you still owe the clinic for the visits logged (your share less what you paid)."
            if status.in_network
            else "what the plan should still pay on the visits logged."
        )
        + " The rest of the treatment counts estimated visits not logged yet. The first three"
        " rows add up to the expected in all; the last two are the estimate's, to compare.",
    )

    def add(label: str, figures: Figures, style: Any = "normal") -> None:
        table.add(
            label,
            money(figures.paid, currency),
            money(figures.reimbursed, currency),
            money(figures.net, currency),
            style=style,
        )

    add(f"Logged by {status.as_of}", status.so_far)
    add("+ Still to come on logged visits", status.still_to_come)
    add(f"+ Rest of the treatment, from {status.rest_from}", status.rest)
    last = status.estimate.end - dt.timedelta(days=1)
    add(f"= Expected in all, to {last}", status.total_expected, "total")
    add(f"The estimate expected by {status.as_of}", status.expected_by_now)
    scenario = status.scenario
    add("The estimate before treatment", Figures(scenario.paid, scenario.reimbursed))
    return table


def next_table(deadlines: Sequence[Deadline], as_of: dt.date) -> Table:
    """Return "What to do next": the open deadlines, soonest first, each with its rule."""
    table = Table(
        "What to do next",
        [
            Column("By", rigid=True),
            Column("Days left", rigid=True),
            Column("What to do", min_width=16),
            Column("Concerns", min_width=12, drop=2),
            Column("Rule", min_width=16, drop=1),
        ],
        caption="Soonest first. A date that passed stays until an entry closes it (log the"
        " claim, the EOB, the appeal). No date: no rule is known for the plan's coverage. The"
        " rules: docs/deadlines.md.",
    )
    open_ = [d for d in deadlines if d.is_open]
    for deadline in open_:
        left = deadline.days_left(as_of)
        passed = deadline.state(as_of) == "passed"  # a date it is late from: on the day too
        table.add(
            "no date" if deadline.due is None else str(deadline.due),
            "today: late from today" if passed and left == 0 else _days_left(left),
            deadline.what,
            deadline.entry,
            deadline.rule,
            style="flag" if passed else "normal",
        )
    if not open_:
        table.add("", "", "nothing is due: no claim, denial or bill waits on you", "", "")
    return table


def _days_left(left: int | None) -> str:
    if left is None:
        return ""
    if left < 0:
        return f"passed {-left} days ago"
    return "today" if left == 0 else str(left)


def _claims_table(status: LedgerStatus, currency: str) -> Table:
    table = Table(
        "Claims",
        [
            Column("Visit", min_width=10),
            Column("Date"),
            Column("Paid", True),
            Column("Filed"),
            Column("State"),
            Column("Detail"),
            Column("Owed to the clinic" if status.in_network else "Still to come", True),
        ],
        caption=", ".join(f"{status.count(s)} {s}" for s in STATES if status.count(s)),
    )
    appeals = {d.visit: d for d in status.deadlines if d.kind == "appeal"}
    for claim in status.claims:
        table.add(
            claim.label,
            str(claim.visit_date),
            money(claim.paid, currency),
            "(clinic files)" if status.in_network else str(claim.filed or "not filed"),
            claim.state,
            _claim_detail(claim, currency, status.in_network, appeals.get(claim.label)),
            money(claim.owed_to_clinic if status.in_network else claim.expected_back, currency),
            style="flag" if _flagged(claim, status.as_of) else "normal",
        )
    return table


def _flagged(claim: ClaimStatus, as_of: dt.date) -> bool:
    """Whether a claim waits on the patient or is late: shown flagged."""
    if claim.state == "payment due":
        return claim.payment_late_from is not None and as_of >= claim.payment_late_from
    return claim.state in ("overdue", "denied", "not filed")


def _eob_table(status: LedgerStatus, currency: str) -> Table:
    table = Table(
        "EOBs against the plan's terms",
        [
            Column("Visit", min_width=10),
            Column("Figure"),
            Column("On the EOB", True),
            Column("The terms give", True),
            Column("What to do"),
        ],
    )
    for check in status.checks:
        if check.eob.denied is not None:
            table.add(check.label, "denied", "", "", check.advice, style="flag")
        elif not check.differences:
            table.add(
                check.label,
                "allowed",
                money(check.eob.allowed, currency),
                money(check.predicted["allowed"], currency),
                check.advice,
            )
        for difference in check.differences:
            table.add(
                check.label,
                difference.field.replace("_", " "),
                money(difference.on_eob, currency),
                money(difference.predicted, currency),
                check.advice,
                style="flag",
            )
    return table


def _counters_table(status: LedgerStatus, currency: str) -> Table:
    counters = status.counters
    assert counters is not None
    table = Table(
        f"Counters, plan year from {counters.plan_year}",
        [Column("Counter", min_width=12), Column("Met", True), Column("Of", True)],
        caption=f"Met before treatment + {plural(counters.eobs, 'EOB')}.",
    )
    table.add(
        "Deductible", money(counters.deductible_met, currency), money(counters.deductible, currency)
    )
    cap = counters.out_of_pocket_max
    table.add(
        "Out of pocket",
        money(counters.out_of_pocket_met, currency),
        "no cap" if cap is None else money(cap, currency),
    )
    return table


def _notes(status: LedgerStatus, currency: str) -> list[str]:
    notes = [f"⚠ {warning}" for warning in status.warnings]
    gfe = status.good_faith
    if gfe is not None and gfe.not_open is not None:
        notes.append(
            f"Good Faith Estimate: charged {money(gfe.charged, currency)} of"
            f" {money(gfe.total, currency)} estimated. The dispute process over a Good Faith"
            " Estimate is not open to you: it is for uninsured and self-pay patients, and"
            f" {gfe.not_open}. Ask the clinic and the plan about charges you did not expect."
        )
    elif gfe is not None and gfe.disputable:
        assert gfe.window_ends is not None and gfe.days_left is not None
        notes.append(
            f"Good Faith Estimate: the clinic has charged {money(gfe.charged, currency)},"
            f" {money(gfe.over_by, currency)} over its estimate of {money(gfe.total, currency)}"
            f" ({gfe.estimate_date}). At {money(GFE_MARGIN, currency)} or more over, you may use"
            f" the patient-provider dispute resolution process within {GFE_WINDOW_DAYS} days of"
            + (
                f" the bill ({gfe.crossed_on})"
                if gfe.by_bill
                else f" the bill, counted from the charge that took it over ({gfe.crossed_on})"
                " until a bill is logged"
            )
            + f": by {gfe.window_ends}"
            + (
                f", {gfe.days_left} days after {status.as_of}."
                if gfe.days_left >= 0
                else f", passed by {status.as_of}."
            )
            + (
                " The process is for uninsured and self-pay patients: it is yours only while"
                " no claim for the treatment goes to your plan."
                if gfe.while_unclaimed
                else ""
            )
        )
    elif gfe is not None:
        notes.append(
            f"Good Faith Estimate: charged {money(gfe.charged, currency)} of"
            f" {money(gfe.total, currency)} estimated; a dispute is open from"
            f" {money(gfe.total + GFE_MARGIN, currency)}."
        )
    if status.not_logged:
        shown = ", ".join(f"{c.label} ({c.date})" for c in status.not_logged[:6])
        more = len(status.not_logged) - 6
        notes.append(
            f"Estimated by now but not logged: {shown}{f' and {more} more' if more > 0 else ''};"
            " counted as still to come."
        )
    if status.unmatched:
        notes.append(
            "Visits matching no estimated visit (kept, claimed at what was paid): "
            + ", ".join(status.unmatched)
        )
    if status.terms is not None:
        delay = f"{status.terms.paid_after_days} + {OVERDUE_GRACE_DAYS} days"
        notes.append(
            f"A claim is overdue when no EOB came {delay} after the visit: in network the clinic"
            " files the claim and the plan pays it."
            if status.in_network
            else f"A claim is overdue when no EOB and no money came {delay} after it was filed."
        )
        notes.append(
            "Owed to the clinic: your share on a visit's EOB, less what you paid for it; for"
            " claims not answered yet, your share by the plan's terms, with the counters as the"
            " EOBs show them. For a denied visit it is the clinic's price, the most it could"
            " bill: the EOB (or Medicare Summary Notice) says what it may, often less or"
            " nothing."
            if status.in_network
            else "Still to come: what an EOB says the plan pays, less what reached you; for claims"
            " not answered yet, what the plan's terms give, with the counters as the EOBs show"
            " them."
        )
    notes.append("A record of what you logged and an estimate of the rest, not financial advice.")
    return notes


def _day(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


CSV_COLUMNS = [
    "visit",
    "visit_date",
    "paid",
    "filed",
    "state",
    "age_days",
    "days_left",
    "overdue_from",
    "received",
    "still_to_come",
    "eob_allowed",
    "terms_allowed",
    "eob_plan_pays",
    "terms_plan_pays",
    "advice",
    "owed_to_clinic",
]


def status_csv(status: LedgerStatus) -> str:
    """Return one CSV row per claim (text cells safe from spreadsheet formulas)."""
    rows: list[Sequence[object]] = [CSV_COLUMNS]
    for claim in status.claims:
        check = claim.check
        eob = check.eob if check is not None else None
        rows.append(
            [
                claim.label,
                claim.visit_date.isoformat(),
                format_money(claim.paid),
                _day(claim.filed) or "",
                claim.state,
                "" if claim.age_days is None else claim.age_days,
                "" if claim.days_left is None else claim.days_left,
                _day(claim.overdue_from) or "",
                format_money(claim.received),
                format_money(claim.expected_back),
                "" if eob is None else format_money(eob.allowed),
                "" if check is None else format_money(check.predicted["allowed"]),
                "" if eob is None else format_money(eob.plan_pays),
                "" if check is None else format_money(check.predicted["plan_pays"]),
                "" if check is None else check.advice,
                format_money(claim.owed_to_clinic),
            ]
        )
    return csv_text(rows)
