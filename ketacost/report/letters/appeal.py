"""The appeal of a denied claim, and the request for external review after the plan's final
denial."""

from __future__ import annotations

import re

from ...engine.claim_status import STATES, ClaimStatus
from ...engine.deadlines import COMMERCIAL, Deadline
from ...engine.schedule import Charge
from ...engine.status import LedgerStatus
from ...errors import InputError
from ...model.ledger import Appeal, Eob
from ..words import money, plural
from .draft import SENDER, Letter
from .parties import (
    MEDICARE_WORDS,
    PLAN_WORDS,
    Words,
    billed_text,
    charges_by_visit,
    codes_text,
    deadline_of,
    member_lines,
    pick,
    plan_lines,
    plan_name,
    provider,
    words_of,
)

EXPERIMENTAL = re.compile(r"experiment|investigation", re.IGNORECASE)


def appeal_letter(status: LedgerStatus, visit: str | None) -> Letter:
    if status.estimate.plan is None:
        raise InputError.single(
            "letter", "the ledger names no plan: there is no denial to appeal", "add `plan: FILE`"
        )
    # denied whole, or in part (an EOB that pays the rest is "paid" or "payment due")
    denied = [c for c in status.claims if c.check is not None and c.check.eob.denied]
    claims = pick(denied if visit is None else status.claims, visit, "denied", STATES)
    if len(claims) > 1 and visit is None:
        raise InputError.single(
            "letter",
            f"{plural(len(claims), 'claim')} denied: " + ", ".join(c.label for c in claims),
            "write one appeal per denial: add --visit LABEL",
        )
    claim = claims[0]
    check = claim.check
    if check is None or check.eob.denied is None:
        raise InputError.single(
            "--visit",
            f"{claim.label} has no denial logged (its claim is {claim.state})",
            "log the EOB that denied it (ketacost log LEDGER eob LABEL --denied REASON)",
        )
    eob = check.eob
    steps = [
        entry
        for _, entry in status.ledger.dated(status.as_of)
        if isinstance(entry, Appeal) and entry.appeal == claim.label and entry.date >= eob.date
    ]
    where = "letter" if visit is None else "--visit"
    asked = next((step for step in steps if step.level == "external"), None)
    if asked is not None:
        raise InputError.single(
            where,
            f"the ledger logs that external review of the denial of {claim.label} was asked"
            f" on {asked.date}: the next answer is the reviewer's",
            "wait for the review's decision; when the plan pays, log its EOB (ketacost log"
            " LEDGER eob LABEL ...)",
        )
    final = next((step for step in steps if step.level == "final-denial"), None)
    if final is not None:
        sent = next(
            (step for step in steps if step.level == "internal" and step.date <= final.date), None
        )
        return _external_review(status, claim, eob, sent, final, where)
    sent = next(iter(steps), None)
    charge = charges_by_visit(status).get(claim.label)
    due = deadline_of(status, f"appeal:{claim.label}")
    words = words_of(status)
    medicare = words is MEDICARE_WORDS
    out = Letter(
        "appeal",
        "Request for redetermination" if medicare else "Appeal of a denied claim",
        SENDER,
        status.as_of.isoformat(),
        plan_lines(status, "appeals department"),
        [
            f"Re: {'request for redetermination' if medicare else 'appeal'} of the denial of the"
            f" claim for care on {claim.visit_date}",
            *member_lines(status),
            f"Claim number: [claim number, from the {words.short}]",
            f"Provider: {provider(status)}",
            *([] if sent is None else [f"Further to my appeal of {sent.date}"]),
        ],
    )
    out.para(
        ("I ask for a redetermination of" if medicare else "I ask for a full and fair review of")
        + " your decision to deny the claim for the care I received on"
        f" {_care(status, claim, eob, charge)}. Your {words.notice} dated {eob.date} gives the"
        f' reason: "{eob.denied}".'
    )
    if sent is not None:
        within = (
            f", within the time {words.payer} allows (by {due.due}: {due.rule})"
            if due is not None and due.due is not None
            else ""
        )
        out.para(
            f"I first appealed this denial on {sent.date}{within}. This letter follows that"
            " appeal: [say whether it adds to the appeal you have not decided yet, or appeals"
            " your decision on it, with that decision's date]."
        )
    elif due is not None and due.due is not None and due.due < status.as_of:
        out.para(_late("this appeal", due))
    elif due is not None and due.due is not None:
        out.para(
            f"I send this appeal within the time {words.payer} allows: by {due.due} ({due.rule})."
        )
    else:
        out.para("I send this appeal within the time your denial letter states: [the deadline].")
    _grounds(out, eob, words)
    out.heading("What I ask")
    # free copies of what the decision rests on are an employer plan's duty (29 CFR
    # 2560.503-1(h)(2)(iii)); Medicare has no such rule to cite, so it is asked plainly
    free = "" if words is MEDICARE_WORDS else ", free of charge,"
    out.para(
        f"Please reverse the denial and process the claim under {words.benefits}. Please send"
        f" me{free} copies of all documents and criteria used to decide this claim."
    )
    out.enclosures = [
        f"The {words.notice} dated {eob.date}",
        *([] if sent is None else [f"My appeal of {sent.date}"]),
        "[The prescriber's letter of medical necessity]",
        "[The superbill (itemized bill with codes) for the visit]",
        "[Medical records of the treatments tried before]",
    ]
    return out


def _late(request: str, due: Deadline) -> str:
    """Return the paragraph of a request sent after the deadline counted from the notice's
    date. The rules count from the day the notice was received (later, for Medicare five
    days after its date at least), so the letter never says the time ended: a note to the
    person, in brackets, says what to write if it did."""
    return (
        f"I send {request} within the time allowed, which runs from the day the notice reached"
        " me: [the date it reached you]. [A note for you, to delete: counted from the"
        f" notice's own date the time ended on {due.due} ({due.rule}). If it has passed even"
        " counted from the day the notice reached you, say why here, such as illness, and ask"
        " them to accept this all the same.]"
    )


def _care(status: LedgerStatus, claim: ClaimStatus, eob: Eob, charge: Charge | None) -> str:
    """Return the denied care in words: its date, the clinic, the visit, what was billed, codes."""
    currency = status.estimate.clinic.currency
    if eob.billed is not None:
        billed = money(eob.billed, currency)
    else:
        amount, source = billed_text(charge, currency)
        billed = amount if source is None else f"{amount}, {source}"
    return (
        f"{claim.visit_date} from {provider(status)} ({claim.label}, billed"
        f" {billed}; codes {codes_text(charge, currency)})"
    )


def _grounds(out: Letter, eob: Eob, words: Words) -> None:
    """Add the headings an appeal of this denial argues under, each a placeholder to fill."""
    if EXPERIMENTAL.search(eob.denied or ""):
        out.para(
            "The denial calls the treatment experimental or investigational. The points below"
            " show why it is not, for me:"
        )
        out.heading("Medical necessity")
        out.para(
            "[Your diagnosis and its ICD-10 code, and why this treatment is medically necessary"
            " for you, in your prescriber's words: cite the prescriber's letter of medical"
            " necessity, enclosed.]"
        )
        out.heading("Treatments tried before")
        out.para(
            "[Each medicine and therapy tried before, with the dates and why it was stopped:"
            " that it did not help, or its side effects. Your medical records show these.]"
        )
        if words is not MEDICARE_WORDS:  # the federal parity law does not cover Medicare
            out.heading("Mental-health parity")
            out.para(
                "[Federal mental-health parity law requires the plan to apply no stricter limits"
                " to mental-health care than to comparable medical care. Ask the plan for the"
                " criteria it used and how it applies them to comparable medical treatments;"
                " say here how they differ.]"
            )
        out.heading("Published evidence and guidelines")
        out.para("[Studies or guidelines your prescriber cites for this treatment.]")
    else:
        out.heading("Why the decision should change")
        out.para(
            f"[Why the reason given does not apply: what the {words.short} got wrong, with the"
            " records.]"
        )
        out.heading("Medical necessity")
        out.para("[Your prescriber's reasons the care was needed: the letter, enclosed.]")


def _external_review(
    status: LedgerStatus,
    claim: ClaimStatus,
    eob: Eob,
    sent: Appeal | None,
    final: Appeal,
    where: str,
) -> Letter:
    """Return the request for external review that follows the plan's final internal denial.

    The rule and its deadline are a commercial plan's (docs/deadlines.md); for other
    coverage ketacost holds none, so the letter is refused and the decision letter rules.
    """
    terms = status.terms
    coverage = "unknown" if terms is None else terms.coverage
    if coverage != COMMERCIAL:
        raise InputError.single(
            where,
            f"the plan's final denial of {claim.label} on {final.date} is logged; the next step"
            f" for {coverage} coverage is the one its decision letter names, and ketacost holds"
            " no rule for it",
            "follow the decision letter and its deadline (ketacost status LEDGER lists the"
            " step with no date)",
        )
    charge = charges_by_visit(status).get(claim.label)
    due = deadline_of(status, f"external-review:{claim.label}")
    out = Letter(
        "appeal",
        "Request for external review",
        SENDER,
        status.as_of.isoformat(),
        [
            "[who takes external review requests: see the final denial]",
            "[their address, from the final denial letter]",
        ],
        [
            "Re: request for external review of the denial of the claim for care on"
            f" {claim.visit_date}",
            *member_lines(status),
            "Claim number: [claim number, from the EOB]",
            f"Provider: {provider(status)}",
        ],
    )
    appealed = "[the date of my appeal]" if sent is None else str(sent.date)
    out.para(
        f"I ask for an external review of the decision of {plan_name(status)} to deny the"
        f" claim for the care I received on {_care(status, claim, eob, charge)}. Its"
        f' explanation of benefits dated {eob.date} gave the reason: "{eob.denied}". I appealed'
        f" on {appealed}, and the plan's final internal decision of {final.date} upheld the"
        " denial."
    )
    if due is not None and due.due is not None and due.due < status.as_of:
        out.para(_late("this request for external review", due))
    elif due is not None and due.due is not None:
        out.para(f"I ask within the time allowed: by {due.due} ({due.rule}).")
    out.para(
        "[If the final denial letter names a form for external review, fill it in and send it"
        " with this letter.]"
    )
    _grounds(out, eob, PLAN_WORDS)
    out.heading("What I ask")
    out.para(
        "Please have an independent review organization review the denial, and reverse it so"
        " that the claim is processed under my plan's benefits. Please tell me in writing which"
        " organization reviews it, and how to send it more information."
    )
    out.enclosures = [
        f"The explanation of benefits dated {eob.date}",
        f"The plan's final denial of {final.date}",
        "[My appeal]" if sent is None else f"My appeal of {sent.date}",
        "[The prescriber's letter of medical necessity]",
        "[The superbill (itemized bill with codes) for the visit]",
        "[Medical records of the treatments tried before]",
    ]
    return out
