"""The claim status inquiry: a claim filed and not answered."""

from __future__ import annotations

from ...engine.claim_status import ClaimStatus
from ...engine.status import LedgerStatus
from ...errors import InputError
from ..words import money, plural
from .draft import SENDER, Letter
from .parties import (
    MEDICARE_WORDS,
    Words,
    billed_text,
    charges_by_visit,
    deadline_of,
    member_lines,
    pick,
    plan_lines,
    words_of,
)


def claim_status_letter(status: LedgerStatus, visit: str | None) -> Letter:
    if status.estimate.plan is None:
        raise InputError.single(
            "letter", "the ledger names no plan: there is no claim to ask about", "add `plan: FILE`"
        )
    late = {
        d.visit
        for d in status.deadlines
        if d.kind == "plan-decides" and d.is_open and d.due is not None and d.due < status.as_of
    }
    waiting = [c for c in status.claims if c.state == "overdue" or c.label in late]
    claims = pick(
        status.claims if visit is not None else waiting, visit, "overdue", ["overdue", "waiting"]
    )
    currency = status.estimate.clinic.currency
    words = words_of(status)
    for claim in claims:
        _refuse_answered(claim, currency, words)
        if claim.filed is None:
            raise InputError.single(
                "--visit",
                f"{claim.label} is not filed: the ledger logs no claim for it, so the plan has"
                " no claim to report on",
                "file it first: ask the clinic for the superbill (ketacost letter"
                f' superbill-request LEDGER --visit "{claim.label}"), send it to the plan, and'
                f' log it (ketacost log LEDGER claim "{claim.label}")',
            )
    out = Letter(
        "claim-status",
        "Request for the status of claims",
        SENDER,
        status.as_of.isoformat(),
        plan_lines(status, "claims department"),
        [
            "Re: " + plural(len(claims), "claim") + " with no decision",
            *member_lines(status),
        ],
    )
    out.para(
        f"I have received neither {words_of(status).a_notice} nor payment for the claims below."
        " Please tell me in writing their status, what else you need from me, and when you"
        " will decide them."
    )
    out.heading("Claims")
    charges = charges_by_visit(status)
    for claim in claims:
        amount, source = billed_text(charges.get(claim.label), currency)
        billed = amount if source is None else f"{amount} ({source})"
        filed = "filed by the clinic" if status.in_network else f"filed on {claim.filed}"
        decide = deadline_of(status, f"plan-decides:{claim.label}")
        owed = (
            f"; a decision was due by {decide.due} ({decide.rule})"
            if decide is not None and decide.due is not None
            else ""
        )
        out.item(
            f"{claim.label}, care on {claim.visit_date}, billed {billed},"
            f" {filed}{owed}; claim number: [claim number, if you have one]"
        )
    if status.terms is not None and status.terms.coverage == "commercial":
        out.para(
            "A group health plan must decide a claim for care already given within 30 days"
            " of receiving it, or within 45 days if it told me before then that it needed an"
            " extension and why."
        )
    return out


def _refuse_answered(claim: ClaimStatus, currency: str, words: Words) -> None:
    """Refuse to ask the status of a claim the ledger shows answered: an EOB (a Medicare
    Summary Notice for Original Medicare), or money received."""
    label, check = claim.label, claim.check
    notice = f"an {words.short}"  # "an EOB"; for Original Medicare, "an MSN"
    payer = "Medicare" if words is MEDICARE_WORDS else "the plan"
    terms = "Medicare's terms" if words is MEDICARE_WORDS else "the plan's terms"
    if check is not None:
        eob = check.eob
        if eob.denied is not None:
            raise InputError.single(
                "--visit",
                f"the ledger holds {notice} for {label} dated {eob.date}: {payer} denied it"
                f" ({eob.denied}), so the claim has its answer",
                f'appeal the denial instead: ketacost letter appeal LEDGER --visit "{label}"',
            )
        raise InputError.single(
            "--visit",
            f"the ledger holds {notice} for {label} dated {eob.date}: {claim.state}, {payer}"
            f" pays {money(eob.plan_pays, currency)}, so the claim has its answer",
            f"if a figure on the {words.short} looks wrong, compare it with {terms}"
            f" (ketacost status LEDGER) and ask {payer} why; appeal if it used the wrong rate"
            " or code",
        )
    if claim.received > 0:
        raise InputError.single(
            "--visit",
            f"the ledger logs {money(claim.received, currency)} received for {label}:"
            f" {payer} paid the claim",
            f"log its {words.short} when it comes (ketacost log LEDGER eob LABEL ...); to get it"
            f" sooner, ask {payer} for a copy",
        )
