"""The plan terms a report states: the plan, its coverage and network, and each scenario's terms.

Every report says what it assumed: the terms each scenario was worked out
with, after scenario overrides and what-if flags (docs/insurance-rules.md).
"""

from __future__ import annotations

from ..engine.result import Estimate
from ..model.plan import ByCode, PercentOfBilled, PerClaim
from .document import Column, Table
from .words import money, percent


def plan_text(estimate: Estimate) -> str:
    """Return the plan's name, its coverage, and the network the clinic bills in."""
    plan = estimate.plan
    assert plan is not None
    network = estimate.clinic.billing.network
    where = {
        "in-network": "the clinic bills in network: the plan pays the clinic",
        "out-of-network": "the clinic is out of network: you pay, then claim with a superbill",
        "self-pay-only": "the clinic takes no insurance",
    }[network]
    medicare = estimate.clinic.billing.medicare
    if plan.opted_out(network, medicare):
        where = "the clinic has opted out of Medicare: nothing can be claimed"
    elif plan.pays_nothing_there(network, medicare):
        where = "the plan has no out-of-network terms (an HMO): nothing can be claimed"
    elif plan.coverage == "medicare-advantage" and network == "out-of-network":
        where = "the clinic is out of network but enrolled in Medicare: it files, the plan pays it"
    elif network == "out-of-network" and not estimate.clinic.billing.superbill:
        where = "the clinic is out of network and gives no superbill: nothing can be claimed"
    return f"Plan: {plan.name} ({plan.coverage}; {where})"


def terms_table(estimate: Estimate) -> Table:
    """The plan terms each scenario was worked out with, after overrides and what-if flags."""
    currency = estimate.clinic.currency
    scenarios = [s for s in estimate.scenarios if s.terms is not None]
    table = Table("Plan terms used", [Column("")] + [Column(s.name, True) for s in scenarios])
    terms = [s.terms for s in scenarios if s.terms is not None]

    def row(label: str, cells: list[str]) -> None:
        table.add(label, *cells)

    row("Coverage", [t.coverage for t in terms])
    row("Network", [t.network for t in terms])
    row(
        "Covered",
        [
            "nothing claimable" if not t.claimable else "yes" if t.covered else "no (denied)"
            for t in terms
        ],
    )
    row("Deductible", [money(t.deductible, currency) for t in terms])
    row(
        "Copay per claim",
        [money(t.copay, currency) + (" (copay only)" if t.copay_only else "") for t in terms],
    )
    row("Coinsurance", [percent(t.coinsurance) for t in terms])
    row(
        "Out-of-pocket cap",
        [
            "no cap" if t.out_of_pocket_max is None else money(t.out_of_pocket_max, currency)
            for t in terms
        ],
    )
    row("Allowed", [allowed_text(t.allowed, currency) for t in terms])
    row(
        "Already met (deductible / out of pocket)",
        [
            f"{money(t.met_deductible, currency)} / {money(t.met_out_of_pocket, currency)}"
            for t in terms
        ],
    )
    row(
        "Accumulators (do in- and out-of-network claims count toward one deductible and cap?)",
        [t.accumulators for t in terms],
    )
    row(
        "Plan year starts (MM-DD)",
        [f"{t.plan_year_starts[0]:02d}-{t.plan_year_starts[1]:02d}" for t in terms],
    )
    if not all(t.in_network for t in terms):
        row("Reimbursed after (days)", [str(t.paid_after_days) for t in terms])
    notes = sorted({t.note for t in terms if t.note})
    if notes:
        table.caption = " ".join(notes)
    return table


def allowed_text(rule: object, currency: str) -> str:
    """Return an allowed-amount rule in words: ``70% of billed``, ``$400.00 a claim``, by code."""
    if isinstance(rule, PercentOfBilled):
        return f"{percent(rule.percent)} of billed"
    if isinstance(rule, PerClaim):
        return f"{money(rule.amount, currency)} a claim"
    if isinstance(rule, ByCode):
        codes = ", ".join(
            f"{code} {money(amount, currency)}" for code, amount in rule.by_code.items()
        )
        other = "" if rule.other is None else f"; other {allowed_text(rule.other, currency)}"
        return f"by code: {codes}{other}"
    return str(rule)
