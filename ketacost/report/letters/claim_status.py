"""The claim status inquiry: a claim filed and not answered, or answered and not paid."""

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
    waiting = [
        c
        for c in status.claims
        if c.state == "overdue" or c.label in late or _payment_late(c, status)
    ]
    currency = status.estimate.clinic.currency
    words = words_of(status)
    if visit is None and not waiting:
        _refuse_not_late_yet(status, words)
    claims = pick(
        status.claims if visit is not None else waiting,
        visit,
        "overdue or unpaid",
        ["overdue", "waiting", "payment due"],
    )
    for claim in claims:
        if _payment_late(claim, status):
            continue  # decided, with or without a claim logged (an imported EOB): unpaid
        _refuse_answered(claim, currency, words, status)
        if claim.filed is None:
            raise InputError.single(
                "--visit",
                f"{claim.label} is not filed: the ledger logs no claim for it, so the plan has"
                " no claim to report on",
                "file it first: ask the clinic for the superbill (ketacost letter"
                f' superbill-request LEDGER --visit "{claim.label}"), send it to the plan, and'
                f' log it (ketacost log LEDGER claim "{claim.label}")',
            )
    unpaid = [c for c in claims if _payment_late(c, status)]
    claims = [c for c in claims if c not in unpaid]
    about = [
        *([plural(len(claims), "claim") + " with no decision"] if claims else []),
        *([plural(len(unpaid), "claim") + " decided and not paid"] if unpaid else []),
    ]
    out = Letter(
        "claim-status",
        "Request for the status of claims",
        SENDER,
        status.as_of.isoformat(),
        plan_lines(status, "claims department"),
        ["Re: " + "; ".join(about), *member_lines(status)],
    )
    if claims:
        _undecided(out, status, claims, words)
    if unpaid:
        _not_paid(out, status, unpaid, words)
    return out


def _refuse_not_late_yet(status: LedgerStatus, words: Words) -> None:
    """With nothing to ask about, name the payments that will be late, and from when."""
    coming = [
        c for c in status.claims if c.state == "payment due" and c.payment_late_from is not None
    ]
    if not coming:
        return  # pick() says there is nothing to ask about
    currency = status.estimate.clinic.currency
    payer = "Medicare" if words is MEDICARE_WORDS else "the plan"
    listed = "; ".join(
        f"{c.label}: {money(c.expected_back, currency)}, late from {c.payment_late_from}"
        for c in coming
    )
    raise InputError.single(
        "letter",
        f"no claim is overdue or unpaid on {status.as_of}: the money {payer} still owes is"
        f" not late yet ({listed})",
        f"wait until {min(c.payment_late_from for c in coming if c.payment_late_from)}; when"
        " money comes, log it (ketacost log LEDGER received AMOUNT --for LABEL)",
    )


def _payment_late(claim: ClaimStatus, status: LedgerStatus) -> bool:
    """Whether the money an EOB says the plan pays is late: not all received by its day."""
    late_from = claim.payment_late_from
    return claim.state == "payment due" and late_from is not None and late_from <= status.as_of


def _undecided(out: Letter, status: LedgerStatus, claims: list[ClaimStatus], words: Words) -> None:
    """Ask after claims filed and not answered."""
    currency = status.estimate.clinic.currency
    # in network the plan pays the clinic: only its notice reaches the patient
    received = (
        f"I have received no {words.short} for the claims below, which the clinic filed."
        if status.in_network
        else f"I have received neither {words.a_notice} nor payment for the claims below."
    )
    out.para(
        f"{received} Please tell me in writing their status, what else you need from me, and"
        " when you will decide them."
    )
    out.heading("Claims")
    charges = charges_by_visit(status)
    for claim in claims:
        amount, source = billed_text(charges.get(claim.label), currency)
        billed = amount if source is None else f"{amount} ({source})"
        filed = "filed by the clinic" if status.in_network else f"filed on {claim.filed}"
        decide = deadline_of(status, f"plan-decides:{claim.label}")
        if decide is None or decide.due is None:
            owed = ""
        elif status.in_network:  # the 30 days run from the plan's receipt, a day unknown here
            owed = (
                "; the clinic's filing date is not known to me: [if the clinic told you when it"
                " filed, add that a decision was due 30 days after the plan received it]"
            )
        else:
            owed = f"; a decision was due by {decide.due} ({decide.rule})"
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


def _not_paid(out: Letter, status: LedgerStatus, claims: list[ClaimStatus], words: Words) -> None:
    """Ask after money an EOB says the plan pays, late by the plan's own habit."""
    currency = status.estimate.clinic.currency
    payer = "Medicare" if words is MEDICARE_WORDS else "the plan"
    out.para(
        f"For each claim below, {words.a_notice} says {payer} pays part of it, but I have not"
        " received that payment in full. Please tell me in writing whether it was sent, when,"
        " to whom and how (the check or transfer number), and, if it was not, when it will be."
    )
    out.heading("Payments not received")
    for claim in claims:
        assert claim.check is not None  # "payment due": an EOB that says the plan pays
        eob = claim.check.eob
        received = f"; received so far: {money(claim.received, currency)}" if claim.received else ""
        to_clinic = (
            f", {money(eob.paid_to_clinic, currency)} of it to the clinic"
            if eob.paid_to_clinic
            else ""
        )
        out.item(
            f"{claim.label}, care on {claim.visit_date}: the {words.short} dated {eob.date} says"
            f" {payer} pays {money(eob.plan_pays, currency)}{to_clinic}{received}; not received by"
            f" {status.as_of}: {money(claim.expected_back, currency)}; claim number: [claim"
            " number, from the notice]"
        )


def _refuse_answered(claim: ClaimStatus, currency: str, words: Words, status: LedgerStatus) -> None:
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
        if claim.state == "payment due" and claim.payment_late_from is not None:
            raise InputError.single(
                "--visit",
                f"the ledger holds {notice} for {label} dated {eob.date}: {payer} pays"
                f" {money(eob.plan_pays, currency)}, and its money counts as late only from"
                f" {claim.payment_late_from} ({status.as_of} is the date of this letter)",
                f"wait until {claim.payment_late_from}; when the money comes, log it (ketacost"
                f' log LEDGER received AMOUNT --for "{label}")',
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
