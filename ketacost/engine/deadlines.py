"""The dates that matter after a visit: each claim's and bill's deadlines, and the rule of each.

Pure functions of the ledger's entries and the claims followed from them
(``claim_status.py``); the rules and their sources are in ``docs/deadlines.md``.
A coverage for which no rule is known gets a deadline with no date: a missing
date beats a wrong one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ..model.ledger import Appeal, Eob, Ledger
from .horizon import add_months

if TYPE_CHECKING:
    from .claim_status import ClaimStatus
    from .status import GoodFaithCheck, LedgerStatus

DECIDE_DAYS = 30  # a commercial plan decides a claim for care already given within 30 days
DECIDE_EXTENDED_DAYS = 45  # ... or 45, with the one 15-day extension it must announce
APPEAL_DAYS = 180  # commercial: internal appeal within 180 days of the denial
EXTERNAL_REVIEW_MONTHS = 4  # commercial: external review within 4 months of a final denial
APPEAL_DECIDED_DAYS = 60  # commercial: an appeal of care already given is decided in 60 days
REDETERMINATION_DAYS = 120  # Original Medicare: first appeal within 120 days of the notice
DISPUTE_DAYS = 120  # Good Faith Estimate: start the dispute within 120 days of the bill

Kind = Literal[
    "file-claim",
    "plan-decides",
    "overdue",
    "plan-pays",
    "appeal",
    "appeal-decided",
    "external-review",
    "gfe-dispute",
]
KINDS: tuple[Kind, ...] = (
    "file-claim",
    "plan-decides",
    "overdue",
    "plan-pays",
    "appeal",
    "appeal-decided",
    "external-review",
    "gfe-dispute",
)
COMMERCIAL = "commercial"
ORIGINAL_MEDICARE = "medicare"


@dataclass(frozen=True, slots=True)
class Deadline:
    """One date by which something should be done, where it comes from, and whether it closed."""

    kind: Kind
    visit: str | None  # the visit it concerns; None for the Good Faith Estimate dispute
    due: dt.date | None  # None: no rule is known for this coverage
    what: str  # what to do, in words
    rule: str  # the rule the date comes from, with its arithmetic
    entry: str  # the ledger entry it concerns, in words
    closed: str | None = None  # what closed it (filed, answered, appealed); None while open

    @property
    def key(self) -> str:
        """A name that stays the same while the deadline's dates change: kind and visit."""
        return self.kind if self.visit is None else f"{self.kind}:{self.visit}"

    @property
    def is_open(self) -> bool:
        """Whether nothing logged has closed it yet (it may have passed)."""
        return self.closed is None

    def days_left(self, as_of: dt.date) -> int | None:
        """Return the days from ``as_of`` to the date (negative once passed); None without one."""
        return None if self.due is None else (self.due - as_of).days

    def state(self, as_of: dt.date) -> str:
        """Return ``closed``, ``passed`` (open, its date before ``as_of``; for ``overdue``
        and ``plan-pays``, the first day the claim or payment is late, on or before it),
        ``open`` or ``no date``."""
        if self.closed is not None:
            return "closed"
        if self.due is None:
            return "no date"
        if self.kind in ("overdue", "plan-pays"):  # the first day it is late (claim_status.py)
            return "passed" if self.due <= as_of else "open"
        return "passed" if self.due < as_of else "open"


def soonest_first(deadlines: Sequence[Deadline]) -> list[Deadline]:
    """Return ``deadlines`` by date, soonest first, and those with no date last.

    Deadlines on the same day (and those with none) go in the order of ``KINDS``,
    then by visit label.
    """
    order = {kind: place for place, kind in enumerate(KINDS)}
    return sorted(
        deadlines,
        key=lambda d: (d.due is None, d.due or dt.date.max, order[d.kind], d.visit or ""),
    )


def claim_deadlines(
    ledger: Ledger,
    claims: Sequence[ClaimStatus],
    *,
    coverage: str,
    in_network: bool,
    filing_deadline_days: int,
    paid_after_days: int,
    grace_days: int,
    as_of: dt.date,
    filing_stated: bool = True,
) -> list[Deadline]:
    """Return every claim's deadlines, open and closed, as of ``as_of``.

    ``coverage`` is the plan's (``commercial``, ``medicare``, ...); in network
    the clinic files, so there is no filing deadline and the clock starts at the visit.
    ``filing_stated``: whether the plan states its filing window (else the default is
    named as assumed).
    """
    appeals: dict[str, list[Appeal]] = {}
    eobs: dict[str, list[Eob]] = {}
    for _, entry in ledger.dated(as_of):
        if isinstance(entry, Appeal):
            appeals.setdefault(entry.appeal, []).append(entry)
        elif isinstance(entry, Eob):
            eobs.setdefault(entry.eob, []).append(entry)
    found: list[Deadline] = []
    for claim in claims:
        visit = f"visit {claim.visit_date}"
        answer = _answer(claim, eobs.get(claim.label, []))
        if not in_network:
            found.append(_filing(claim, visit, filing_deadline_days, answer, filing_stated))
        started = claim.visit_date if in_network else claim.filed
        if started is not None:
            found.extend(
                _waiting(claim, started, answer, coverage, in_network, paid_after_days, grace_days)
            )
        latest = eobs.get(claim.label, [])
        if latest and claim.payment_late_from is not None:
            found.append(_payment(claim, latest[-1], paid_after_days, grace_days))
        if latest and latest[-1].denied is not None:
            found.extend(_appeals(claim.label, latest[-1], appeals.get(claim.label, []), coverage))
    return found


def _filing(
    claim: ClaimStatus, visit: str, days: int, answer: str | None, stated: bool
) -> Deadline:
    """Return the filing deadline: closed once filed, or once the plan answered (it was filed)."""
    due = claim.visit_date + dt.timedelta(days=days)
    window = (
        "the plan's filing window"
        if stated
        else "assumed, the plan states none: your plan documents give its filing window"
    )
    return Deadline(
        "file-claim",
        claim.label,
        due,
        f"file the claim for {claim.label} (send the superbill)",
        f"visit {claim.visit_date} + {days} days ({window})",
        visit,
        answer if claim.filed is None else f"filed on {claim.filed}",
    )


def _answer(claim: ClaimStatus, eobs: Sequence[Eob]) -> str | None:
    """Return what answered a filed claim (an EOB, or money received), or None."""
    if eobs:
        return f"answered: EOB of {eobs[0].date}"
    if claim.received > 0:
        return "answered: money received"
    return None


def _waiting(
    claim: ClaimStatus,
    started: dt.date,
    answer: str | None,
    coverage: str,
    in_network: bool,
    paid_after_days: int,
    grace_days: int,
) -> list[Deadline]:
    clock = f"visit {started} (the clinic files)" if in_network else f"filed {started}"
    entry = f"visit {started}" if in_network else f"claim filed {started}"
    found = []
    if coverage == COMMERCIAL:
        found.append(
            Deadline(
                "plan-decides",
                claim.label,
                started + dt.timedelta(days=DECIDE_DAYS),
                f"no decision on {claim.label}? ask the plan in writing (letter claim-status)",
                f"commercial plan: {clock} + {DECIDE_DAYS} days"
                f" ({DECIDE_EXTENDED_DAYS}, to {started + dt.timedelta(days=DECIDE_EXTENDED_DAYS)},"
                " if it announced an extension)",
                entry,
                answer,
            )
        )
    found.append(
        Deadline(
            "overdue",
            claim.label,
            started + dt.timedelta(days=paid_after_days + grace_days),
            f"no EOB for {claim.label}? ask the clinic whether it filed the claim, then call"
            " the plan"
            if in_network
            else f"no EOB or money for {claim.label}? call the plan",
            f"the plan's habit: {clock} + {paid_after_days} + {grace_days} days",
            entry,
            answer,
        )
    )
    return found


def _payment(claim: ClaimStatus, eob: Eob, paid_after_days: int, grace_days: int) -> Deadline:
    """Return the date the money an EOB says the plan pays counts as late (out of network):
    closed once that much has reached the patient."""
    due = claim.payment_late_from
    assert due is not None  # an EOB that pays the patient
    filed = claim.filed
    if filed is not None and filed + dt.timedelta(days=paid_after_days) > eob.date:
        rule = (
            f"the plan's habit: filed {filed} + {paid_after_days} + {grace_days} days"
            f" (the EOB of {eob.date} came sooner)"
        )
    else:
        rule = f"the plan's habit: EOB {eob.date} + {grace_days} days"
    pays = _money(eob.to_patient)
    return Deadline(
        "plan-pays",
        claim.label,
        due,
        f"the plan's payment for {claim.label} not received in full? call the plan, or ask"
        " in writing (letter claim-status)",
        rule,
        f"EOB {eob.date}: the plan pays {pays}",
        f"paid: {_money(claim.received)} received" if claim.received >= eob.to_patient else None,
    )


def _appeals(label: str, eob: Eob, appeals: Sequence[Appeal], coverage: str) -> list[Deadline]:
    """Return the appeal deadlines of a denied claim: the first appeal, then external review."""
    after = [a for a in appeals if a.date >= eob.date]
    entry = f"EOB {eob.date}, denied: {eob.denied}"
    if coverage == COMMERCIAL:
        due: dt.date | None = eob.date + dt.timedelta(days=APPEAL_DAYS)
        rule = f"commercial plan, internal appeal: denial {eob.date} + {APPEAL_DAYS} days"
    elif coverage == ORIGINAL_MEDICARE:
        due = eob.date + dt.timedelta(days=REDETERMINATION_DAYS)
        rule = (
            f"Original Medicare, redetermination: notice {eob.date} + {REDETERMINATION_DAYS}"
            " days (counted from the notice's date, the safe side of the day it reached you)"
        )
    else:
        due = None
        rule = f"no rule known for {coverage} coverage: the denial letter states it"
    first = next(iter(after), None)
    found = [
        Deadline(
            "appeal",
            label,
            due,
            f"appeal the denial of {label} (letter appeal)",
            rule,
            entry,
            None if first is None else f"{_level_words(first)} on {first.date}",
        )
    ]
    final = next((a for a in after if a.level == "final-denial"), None)
    if first is not None and first.level == "internal" and coverage == COMMERCIAL:
        found.append(_appeal_decided(label, first, after))
    if final is None:
        return found
    external = next((a for a in after if a.level == "external" and a.date >= final.date), None)
    if coverage == COMMERCIAL:
        review_due: dt.date | None = external_review_due(final.date)
        review_rule = (
            f"commercial plan, external review: final denial {final.date} +"
            f" {EXTERNAL_REVIEW_MONTHS} calendar months"
        )
    else:
        review_due = None
        review_rule = f"no rule known for {coverage} coverage: the decision letter states it"
    found.append(
        Deadline(
            "external-review",
            label,
            review_due,
            f"ask for an external review of {label}",
            review_rule,
            f"final denial {final.date}",
            None if external is None else f"external review asked on {external.date}",
        )
    )
    return found


def _appeal_decided(label: str, appeal: Appeal, after: Sequence[Appeal]) -> Deadline:
    """Return the day a commercial plan owes its decision on the first internal appeal:
    60 days for care already given (29 CFR 2560.503-1(i)(2)(iii)(B): 30 a level where there
    are two). Closed by the decision (a final denial logged) or an external review asked."""
    answer = next(
        (a for a in after if a.date >= appeal.date and a.level in ("final-denial", "external")),
        None,
    )
    return Deadline(
        "appeal-decided",
        label,
        appeal.date + dt.timedelta(days=APPEAL_DECIDED_DAYS),
        f"no decision on the appeal of {label}? ask the plan for it in writing; a plan that"
        " misses its deadline may count as having denied it, which can open external review",
        f"commercial plan, appeal of care already given: appeal {appeal.date} +"
        f" {APPEAL_DECIDED_DAYS} days (30 for each level, where the plan has two)",
        f"internal appeal {appeal.date}",
        None if answer is None else f"{_level_words(answer)} on {answer.date}",
    )


def external_review_due(final_denial: dt.date) -> dt.date:
    """Return the last day to ask for an external review: four calendar months after the
    final denial; where that month has no such day, the first day of the month after
    (29 CFR 2590.715-2719(d)(2)(i): October 30 gives March 1). The rule also moves a date
    on a weekend or federal holiday to the next working day; ketacost does not, and
    keeps the earlier, safe date."""
    due = add_months(final_denial, EXTERNAL_REVIEW_MONTHS)
    if due.day != final_denial.day:  # the month is shorter: the first of the next one
        due = due + dt.timedelta(days=1)
    return due


def _level_words(appeal: Appeal) -> str:
    return {
        "internal": "appealed",
        "final-denial": "appealed (final denial logged)",
        "external": "external review asked",
    }[appeal.level]


def dispute_deadline(good_faith: GoodFaithCheck | None) -> Deadline | None:
    """Return the Good Faith Estimate dispute's deadline, once the patient may start it.

    Only the uninsured and the self-pay may, once the charges are far enough over
    (``GoodFaithCheck.disputable``); never with an in-network clinic, nor once
    claims for the treatment went to a plan. While a plan could still be sent
    claims, the rule says the dispute lasts only while none is.
    """
    if good_faith is None or not good_faith.disputable:
        return None
    start = good_faith.crossed_on
    assert start is not None  # disputable
    source = "bill" if good_faith.by_bill else "charge (no bill logged)"
    unclaimed = ""
    if good_faith.while_unclaimed:
        unclaimed = "; only while no claim for the treatment goes to your plan"
    return Deadline(
        "gfe-dispute",
        None,
        start + dt.timedelta(days=DISPUTE_DAYS),
        "dispute the charges over the Good Faith Estimate (letter gfe-dispute)",
        f"$400 or more over the estimate: {source} {start} + {DISPUTE_DAYS} days{unclaimed}",
        f"charged {_money(good_faith.charged)}, estimated {_money(good_faith.total)}",
    )


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def ledger_deadlines(status: LedgerStatus) -> tuple[Deadline, ...]:
    """Return every deadline of the ledger as of the status's date, soonest first."""
    from .claim_status import OVERDUE_GRACE_DAYS

    found: list[Deadline] = []
    terms = status.terms
    plan = status.estimate.plan
    if terms is not None and plan is not None and status.claims:
        found = claim_deadlines(
            status.ledger,
            status.claims,
            coverage=terms.coverage,
            in_network=status.in_network,
            filing_deadline_days=plan.claims.filing_deadline_days,
            paid_after_days=terms.paid_after_days,
            grace_days=OVERDUE_GRACE_DAYS,
            as_of=status.as_of,
            filing_stated="filing_deadline_days" in plan.claims.model_fields_set,
        )
    dispute = dispute_deadline(status.good_faith)
    if dispute is not None:
        found.append(dispute)
    return tuple(soonest_first(found))


def deadlines_data(deadlines: Sequence[Deadline], as_of: dt.date) -> dict[str, Any]:
    """Return the deadlines as JSON-ready data: what to do next (open), and those closed."""

    def data(deadline: Deadline) -> dict[str, Any]:
        return {
            "kind": deadline.kind,
            "visit": deadline.visit,
            "due": None if deadline.due is None else deadline.due.isoformat(),
            "days_left": deadline.days_left(as_of),
            "state": deadline.state(as_of),
            "what": deadline.what,
            "rule": deadline.rule,
            "entry": deadline.entry,
            "closed": deadline.closed,
        }

    return {
        "what_to_do_next": [data(d) for d in deadlines if d.is_open],
        "closed_deadlines": [data(d) for d in deadlines if not d.is_open],
    }


__all__ = [
    "APPEAL_DAYS",
    "DECIDE_DAYS",
    "DISPUTE_DAYS",
    "Deadline",
    "claim_deadlines",
    "deadlines_data",
    "dispute_deadline",
    "ledger_deadlines",
    "soonest_first",
]
