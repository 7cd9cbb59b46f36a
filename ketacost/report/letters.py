"""Draft letters for the next step, filled from the ledger, clinic and plan (docs/letters.md).

What the files hold (dates, amounts, codes, the denial reason, the deadline) is
written in; what they do not (names, the member ID, the prescriber's letter)
is a visible ``[placeholder]``, never a guess. Every letter says it is a draft
to edit and not legal advice. One letter is drawn as Markdown, plain text or HTML.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Literal

from ..engine.claim_status import ClaimStatus
from ..engine.deadlines import COMMERCIAL, ORIGINAL_MEDICARE, Deadline
from ..engine.ledger import match
from ..engine.schedule import Charge, billed_amount
from ..engine.status import GFE_MARGIN, LedgerStatus
from ..errors import InputError
from ..model.ledger import Appeal, Eob
from .words import money, plural

if TYPE_CHECKING:
    from ..model.person import Person

KINDS = ("appeal", "gfe-dispute", "superbill-request", "claim-status")
NOTICE = (
    "DRAFT to edit before you send it. Fill in every [placeholder] from your own papers and"
    " check each figure against your EOB and bills. This is not legal advice."
)
EXPERIMENTAL = re.compile(r"experiment|investigation", re.IGNORECASE)
PLACEHOLDER = re.compile(r"\[[^\[\]]+\]")

BlockKind = Literal["heading", "para", "item"]


@dataclass
class Letter:
    """A letter: who writes to whom, about what, and the body in headings and paragraphs."""

    kind: str
    title: str
    sender: list[str]
    date: str
    recipient: list[str]
    subject: list[str]
    body: list[tuple[BlockKind, str]] = field(default_factory=list)
    signature: list[str] = field(default_factory=lambda: ["Sincerely,", "", "[your name]"])
    enclosures: list[str] = field(default_factory=list)

    def heading(self, text: str) -> None:
        self.body.append(("heading", text))

    def para(self, text: str) -> None:
        self.body.append(("para", text))

    def item(self, text: str) -> None:
        self.body.append(("item", text))

    @property
    def placeholders(self) -> list[str]:
        """Every ``[placeholder]`` left to fill, in order, each once."""
        found: list[str] = []
        for text in self._texts():
            for hit in PLACEHOLDER.findall(text):
                if hit not in found:
                    found.append(hit)
        return found

    def _texts(self) -> list[str]:
        return [
            *self.sender,
            self.date,
            *self.recipient,
            *self.subject,
            *(text for _, text in self.body),
            *self.signature,
            *self.enclosures,
        ]


SENDER = ["[your name]", "[your street address]", "[city, state ZIP]", "[phone or email]"]


def letter(
    kind: str, status: LedgerStatus, visit: str | None, person: Person | None = None
) -> Letter:
    """Return the draft of ``kind`` for the ledger's status; an input error when it has no use.

    ``person`` (the person file) fills what it holds: the state in the sender's
    address and the date of birth beside the member line (docs/person-file.md).
    """
    if kind == "appeal":
        drafted = _appeal(status, visit)
    elif kind == "gfe-dispute":
        drafted = _gfe_dispute(status)
    elif kind == "superbill-request":
        drafted = _superbill_request(status, visit)
    else:
        drafted = _claim_status(status, visit)
    if person is not None:
        _fill_from_person(drafted, person)
    return drafted


def _fill_from_person(drafted: Letter, person: Person) -> None:
    """Put the person file's state and date of birth where the letter has their placeholders."""
    if person.state is not None:
        drafted.sender = [
            f"[city], {person.state} [ZIP]" if line == "[city, state ZIP]" else line
            for line in drafted.sender
        ]
    if person.born is not None:
        born = person.born.isoformat()
        drafted.subject = [
            line.replace("[date of birth]", born)
            if "[date of birth]" in line
            else f"{line}; date of birth: {born}"
            if line.startswith(("Member: ", "Patient: "))
            else line
            for line in drafted.subject
        ]


def _plan_name(status: LedgerStatus) -> str:
    plan = status.estimate.plan
    return "[plan name]" if plan is None else plan.name


def _clinic_lines(status: LedgerStatus) -> list[str]:
    clinic = status.estimate.clinic
    return [
        f"{clinic.name}, billing office",
        "[clinic's street address]",
        clinic.location or "[clinic's city, state ZIP]",
    ]


@dataclass(frozen=True)
class _Words:
    """What the payer's papers are called: a plan's, or Original Medicare's."""

    notice: str  # the answer to a claim
    a_notice: str  # the same, with its article
    short: str
    payer: str
    benefits: str  # what the claim is paid under
    member: str  # the line that names the patient


PLAN_WORDS = _Words(
    "explanation of benefits",
    "an explanation of benefits",
    "EOB",
    "your plan",
    "my plan's benefits",
    "Member: [your name]; member ID: [member ID]; group number: [group number]",
)
# Original Medicare answers a claim with a Medicare Summary Notice and has no group number.
MEDICARE_WORDS = _Words(
    "Medicare Summary Notice",
    "a Medicare Summary Notice",
    "MSN",
    "Medicare",
    "Medicare",
    "Member: [your name]; Medicare number: [Medicare number, from your Medicare card]",
)


def _words(status: LedgerStatus) -> _Words:
    terms = status.terms
    return (
        MEDICARE_WORDS if terms is not None and terms.coverage == ORIGINAL_MEDICARE else PLAN_WORDS
    )


def _plan_lines(status: LedgerStatus, office: str) -> list[str]:
    if _words(status) is MEDICARE_WORDS:
        return [
            f"{_plan_name(status)}: the Medicare Administrative Contractor",
            "[its address, from the Medicare Summary Notice]",
        ]
    return [f"{_plan_name(status)}, {office}", f"[the {office}'s address, from the EOB]"]


def _member_lines(status: LedgerStatus) -> list[str]:
    return [f"Plan: {_plan_name(status)}", _words(status).member]


def _pick(
    claims: Sequence[ClaimStatus], visit: str | None, wanted: str, states: Sequence[str]
) -> list[ClaimStatus]:
    """Return the claims the letter is about: the one ``visit`` names, else those in ``states``."""
    if visit is not None:
        key = " ".join(visit.split()).casefold()
        chosen = [c for c in claims if " ".join(c.label.split()).casefold() == key]
        if not chosen:
            known = ", ".join(c.label for c in claims) or "none"
            raise InputError.single(
                "--visit", f"no claim for the visit {visit!r}", f"the ledger's visits: {known}"
            )
        return chosen
    chosen = [c for c in claims if c.state in states]
    if not chosen:
        raise InputError.single(
            "letter",
            f"the ledger has no {wanted} claim as of the status date",
            "name a visit with --visit LABEL, or log the entry that makes one (ketacost log)",
        )
    return chosen


def _deadline(status: LedgerStatus, key: str) -> Deadline | None:
    return next((d for d in status.deadlines if d.key == key), None)


def _charges(status: LedgerStatus) -> dict[str, Charge]:
    """Return each logged visit's charge of the estimate (its codes), by label."""
    matching = match(status.ledger, status.estimate.events, status.as_of)
    labels = {}
    for index, charge in matching.charges.items():
        entry = status.ledger.entries[index]
        label = getattr(entry, "visit", None)
        if isinstance(label, str):
            labels[label] = charge
    return labels


def _codes(charge: Charge | None, currency: str) -> str:
    if charge is None or not charge.codes:
        return "[CPT/HCPCS codes, from the superbill]"
    return ", ".join(f"{line.code} ({money(line.amount, currency)})" for line in charge.codes)


def _billed(charge: Charge | None, currency: str) -> tuple[str, str | None]:
    """Return what the clinic bills for a visit, and where that figure comes from.

    The superbill's code lines when the clinic profile lists them, else its price
    for the visit; what the patient paid may differ (a discount, a package). A visit
    the estimate does not know is a placeholder.
    """
    if charge is None:
        return "[the amount billed, from the superbill]", None
    source = "the superbill's code lines" if charge.codes else "the clinic's price"
    return money(billed_amount(charge), currency), source


def _appeal(status: LedgerStatus, visit: str | None) -> Letter:
    if status.estimate.plan is None:
        raise InputError.single(
            "letter", "the ledger names no plan: there is no denial to appeal", "add `plan: FILE`"
        )
    claims = _pick(status.claims, visit, "denied", ["denied"])
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
    charge = _charges(status).get(claim.label)
    due = _deadline(status, f"appeal:{claim.label}")
    words = _words(status)
    medicare = words is MEDICARE_WORDS
    out = Letter(
        "appeal",
        "Request for redetermination" if medicare else "Appeal of a denied claim",
        SENDER,
        status.as_of.isoformat(),
        _plan_lines(status, "appeals department"),
        [
            f"Re: {'request for redetermination' if medicare else 'appeal'} of the denial of the"
            f" claim for care on {claim.visit_date}",
            *_member_lines(status),
            f"Claim number: [claim number, from the {words.short}]",
            f"Provider: {status.estimate.clinic.name}",
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
        out.para(_late(f"The time {words.payer} allows for an appeal", due))
    elif due is not None and due.due is not None:
        out.para(
            f"I send this appeal within the time {words.payer} allows: by {due.due} ({due.rule})."
        )
    else:
        out.para("I send this appeal within the time your denial letter states: [the deadline].")
    _grounds(out, eob, words)
    out.heading("What I ask")
    out.para(
        f"Please reverse the denial and process the claim under {words.benefits}. Please send"
        " me, free of charge, copies of all documents and criteria used to decide this claim."
    )
    out.enclosures = [
        f"The {words.notice} dated {eob.date}",
        *([] if sent is None else [f"My appeal of {sent.date}"]),
        "[The prescriber's letter of medical necessity]",
        "[The superbill (itemized bill with codes) for the visit]",
        "[Medical records of the treatments tried before]",
    ]
    return out


def _late(time: str, due: Deadline) -> str:
    """Return the paragraph of a request sent after its deadline: a good reason may save it."""
    return (
        f"{time} ended on {due.due} ({due.rule}). I ask you to accept this request all the"
        " same: [the reason it comes late, such as illness or a notice that reached you late]."
    )


def _care(status: LedgerStatus, claim: ClaimStatus, eob: Eob, charge: Charge | None) -> str:
    """Return the denied care in words: its date, the clinic, the visit, what was billed, codes."""
    currency = status.estimate.clinic.currency
    if eob.billed is not None:
        billed = money(eob.billed, currency)
    else:
        amount, source = _billed(charge, currency)
        billed = amount if source is None else f"{amount}, {source}"
    return (
        f"{claim.visit_date} from {status.estimate.clinic.name} ({claim.label}, billed"
        f" {billed}; codes {_codes(charge, currency)})"
    )


def _grounds(out: Letter, eob: Eob, words: _Words) -> None:
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
    charge = _charges(status).get(claim.label)
    due = _deadline(status, f"external-review:{claim.label}")
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
            *_member_lines(status),
            "Claim number: [claim number, from the EOB]",
            f"Provider: {status.estimate.clinic.name}",
        ],
    )
    appealed = "[the date of my appeal]" if sent is None else str(sent.date)
    out.para(
        f"I ask for an external review of the decision of {_plan_name(status)} to deny the"
        f" claim for the care I received on {_care(status, claim, eob, charge)}. Its"
        f' explanation of benefits dated {eob.date} gave the reason: "{eob.denied}". I appealed'
        f" on {appealed}, and the plan's final internal decision of {final.date} upheld the"
        " denial."
    )
    if due is not None and due.due is not None and due.due < status.as_of:
        out.para(_late("The time allowed to ask for external review", due))
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


def _gfe_dispute(status: LedgerStatus) -> Letter:
    gfe = status.good_faith
    currency = status.estimate.clinic.currency
    if gfe is None:
        raise InputError.single(
            "letter",
            "the ledger has no good_faith_estimate: there is nothing to dispute",
            "add good_faith_estimate: {date: ..., total: ...} from the clinic's written estimate",
        )
    if gfe.not_open is not None:
        raise InputError.single(
            "letter",
            "the Good Faith Estimate dispute is not open to you: it is for uninsured and"
            f" self-pay patients, and {gfe.not_open}",
            "ask the clinic to explain each charge over its estimate, and the plan about what"
            " it allows (letter claim-status or appeal)",
        )
    if gfe.crossed_on is None:
        raise InputError.single(
            "letter",
            f"charged {money(gfe.charged, currency)} against {money(gfe.total, currency)}"
            f" estimated: under the {money(GFE_MARGIN, currency)} margin a dispute needs",
            "log the clinic's bills (ketacost log LEDGER bill AMOUNT) as they come",
        )
    source = "bill" if gfe.by_bill else "charge"
    margin = money(GFE_MARGIN, currency)
    said = (
        f"Your bill of {gfe.crossed_on} took the charges {margin} or more over it"
        if gfe.by_bill
        else f"Your charges went {margin} or more over it on {gfe.crossed_on}"
    )
    out = Letter(
        "gfe-dispute",
        "Dispute of a bill over the Good Faith Estimate",
        SENDER,
        status.as_of.isoformat(),
        _clinic_lines(status),
        [
            f"Re: the bill is over the Good Faith Estimate by {money(gfe.over_by, currency)}",
            "Patient: [your name]; account number: [account number, from the bill]",
        ],
    )
    out.para(
        f"On {gfe.estimate_date} you gave me a Good Faith Estimate of"
        f" {money(gfe.total, currency)} for my treatment. {said}: as of {status.as_of} you"
        f" have charged {money(gfe.charged, currency)}, {money(gfe.over_by, currency)} over"
        " the estimate."
    )
    out.para(
        "Under the No Surprises Act, an uninsured or self-pay patient billed"
        f" {money(GFE_MARGIN, currency)} or more over a Good Faith Estimate may start the"
        f" patient-provider dispute resolution process within 120 days of the bill: by"
        f" {gfe.window_ends}. Before I do, I ask you to revise the bill to the estimate, or to"
        " explain in writing each charge above it."
        + (
            " I pay for this treatment myself and have sent no claim for it to a health plan."
            if gfe.while_unclaimed
            else ""
        )
    )
    out.heading("The figures")
    out.item(f"Good Faith Estimate of {gfe.estimate_date}: {money(gfe.total, currency)}")
    out.item(f"Charged as of {status.as_of}: {money(gfe.charged, currency)}")
    out.item(f"The {source} that went {margin} or more over: {gfe.crossed_on}")
    out.item(f"Over the estimate: {money(gfe.over_by, currency)}")
    out.item(f"Last day to start the dispute: {gfe.window_ends} ({gfe.crossed_on} + 120 days)")
    out.para(
        "[If you go on to the federal process: it is started with the Centers for Medicare &"
        " Medicaid Services, with a copy of the estimate and the bill, and costs $25.]"
    )
    out.enclosures = [
        f"The Good Faith Estimate of {gfe.estimate_date}",
        f"The bill of {gfe.crossed_on}" if gfe.by_bill else "[The bill that shows these charges]",
    ]
    return out


def _superbill_request(status: LedgerStatus, visit: str | None) -> Letter:
    _refuse_no_superbill(status)
    claims = list(status.claims)
    if claims:
        chosen = (
            _pick(claims, visit, "unfiled", ["not filed"])
            if visit is not None or any(c.state == "not filed" for c in claims)
            else claims
        )
        visits = [(c.label, c.visit_date, c.paid) for c in chosen]
    else:
        from ..model.ledger import Visit

        logged = [e for _, e in status.ledger.dated(status.as_of) if isinstance(e, Visit)]
        if visit is not None:
            key = " ".join(visit.split()).casefold()
            logged = [e for e in logged if " ".join(e.visit.split()).casefold() == key]
        if not logged:
            raise InputError.single(
                "letter", "no visit is logged to ask a superbill for", "log the visits first"
            )
        visits = [(e.visit, e.date, e.paid) for e in logged]
    currency = status.estimate.clinic.currency
    charges = _charges(status)
    out = Letter(
        "superbill-request",
        "Request for superbills",
        SENDER,
        status.as_of.isoformat(),
        _clinic_lines(status),
        [
            "Re: superbills for my visits, to claim from my insurance plan",
            "Patient: [your name]; date of birth: [date of birth]",
        ],
    )
    out.para(
        f"Please send me a superbill (an itemized statement for insurance) for each visit below,"
        f" so I can file the claims with {_plan_name(status)}."
    )
    out.heading("Visits")
    for label, day, paid in visits:
        out.item(
            f"{day}: {label}, paid {money(paid, currency)}; codes:"
            f" {_codes(charges.get(label), currency)}"
        )
    out.heading("What each superbill needs")
    for need in (
        "the date of service and the place of service",
        "each procedure code (CPT/HCPCS) with its charge, and the diagnosis code (ICD-10)",
        "the clinician's name, credentials and NPI, and the clinic's tax ID (EIN) and NPI",
        "what I paid and the date",
    ):
        out.item(need)
    deadlines = [
        d for d in status.deadlines if d.kind == "file-claim" and d.is_open and d.due is not None
    ]
    if deadlines:
        first = deadlines[0]
        out.para(
            f"My plan must receive the claims within its filing window: the first by {first.due}."
            " I would be grateful for the superbills well before then."
        )
    return out


def _refuse_no_superbill(status: LedgerStatus) -> None:
    """Refuse a superbill request where the patient files no claim: the clinic files, or
    nothing can be claimed (docs/insurance-rules.md)."""
    clinic = status.estimate.clinic
    terms = status.terms
    if status.in_network or (terms is not None and terms.clinic_files):
        why = "in network for" if status.in_network else "enrolled in Medicare, and bills"
        raise InputError.single(
            "letter",
            f"{clinic.name} is {why} {_plan_name(status)}: it files the claims itself, so"
            " there is no superbill for you to send",
            "the plan's EOBs show what it decided; for a claim with no answer, ask the plan"
            " (ketacost letter claim-status LEDGER)",
        )
    if clinic.billing.network == "self-pay-only":
        raise InputError.single(
            "letter",
            f"{clinic.name} is self-pay only (billing.network: self-pay-only): it bills no"
            " insurance, so there is nothing to claim",
            "if it does give superbills, set billing.network: out-of-network in its profile",
        )
    if not clinic.billing.superbill:
        raise InputError.single(
            "letter",
            f"{clinic.name} gives no superbills (billing.superbill: false), and out of network"
            " nothing can be claimed without one",
            "if it does give them, set billing.superbill: true in its profile",
        )
    if terms is not None and not terms.claimable and terms.note is not None:
        raise InputError.single(
            "letter",
            terms.note[0].lower() + terms.note[1:].rstrip("."),
            "a superbill request is for a clinic you pay and then claim from yourself",
        )


def _claim_status(status: LedgerStatus, visit: str | None) -> Letter:
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
    claims = _pick(
        status.claims if visit is not None else waiting, visit, "overdue", ["overdue", "waiting"]
    )
    currency = status.estimate.clinic.currency
    for claim in claims:
        _refuse_answered(claim, currency)
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
        _plan_lines(status, "claims department"),
        [
            "Re: " + plural(len(claims), "claim") + " with no decision",
            *_member_lines(status),
        ],
    )
    out.para(
        f"I have received neither {_words(status).a_notice} nor payment for the claims below."
        " Please tell me in writing their status, what else you need from me, and when you"
        " will decide them."
    )
    out.heading("Claims")
    charges = _charges(status)
    for claim in claims:
        amount, source = _billed(charges.get(claim.label), currency)
        billed = amount if source is None else f"{amount} ({source})"
        filed = "filed by the clinic" if status.in_network else f"filed on {claim.filed}"
        decide = _deadline(status, f"plan-decides:{claim.label}")
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


def _refuse_answered(claim: ClaimStatus, currency: str) -> None:
    """Refuse to ask the status of a claim the ledger shows answered: an EOB, or money received."""
    label = claim.label
    check = claim.check
    if check is not None:
        eob = check.eob
        if eob.denied is not None:
            raise InputError.single(
                "--visit",
                f"the ledger holds an EOB for {label} dated {eob.date}: the plan denied it"
                f" ({eob.denied}), so the claim has its answer",
                f'appeal the denial instead: ketacost letter appeal LEDGER --visit "{label}"',
            )
        raise InputError.single(
            "--visit",
            f"the ledger holds an EOB for {label} dated {eob.date}: {claim.state}, the plan"
            f" pays {money(eob.plan_pays, currency)}, so the claim has its answer",
            "if a figure on the EOB looks wrong, compare it with the plan's terms (ketacost"
            " status LEDGER) and ask the plan why; appeal if it used the wrong rate or code",
        )
    if claim.received > 0:
        raise InputError.single(
            "--visit",
            f"the ledger logs {money(claim.received, currency)} received for {label}: the plan"
            " paid the claim",
            "log its EOB when it comes (ketacost log LEDGER eob LABEL ...); to get it sooner,"
            " ask the plan for a copy",
        )


def to_text(draft: Letter, width: int = 78) -> str:
    """Return the letter as plain text, wrapped at ``width``."""

    def wrap(text: str, indent: str = "") -> list[str]:
        return textwrap.wrap(
            text, width, initial_indent=indent, subsequent_indent=" " * len(indent)
        ) or [""]

    out = [*wrap(NOTICE), "", *draft.sender, "", draft.date, "", *draft.recipient, ""]
    out += [*draft.subject, ""]
    out.append("Dear Sir or Madam,")
    out.append("")
    for place, (kind, text) in enumerate(draft.body):
        if kind == "heading":
            out += [text, "-" * len(text)]
        elif kind == "item":
            out += wrap(text, "- ")
            following = draft.body[place + 1][0] if place + 1 < len(draft.body) else None
            if following == "item":
                continue
        else:
            out += wrap(text)
        out.append("")
    out += draft.signature
    if draft.enclosures:
        out += ["", "Enclosed:"]
        for enclosure in draft.enclosures:
            out += wrap(enclosure, "- ")
    return "\n".join(out).rstrip() + "\n"


def to_markdown(draft: Letter) -> str:
    """Return the letter as Markdown: the notice as a quote, headings, lists."""

    def lines(items: Sequence[str]) -> list[str]:
        return [item + "  " for item in items[:-1]] + list(items[-1:])

    out = [f"> **{NOTICE}**", "", f"# {draft.title}", ""]
    out += [*lines(draft.sender), "", draft.date, "", *lines(draft.recipient), ""]
    out += [*lines([f"**{draft.subject[0]}**", *draft.subject[1:]]), ""]
    out += ["Dear Sir or Madam,", ""]
    previous: str | None = None
    for kind, text in draft.body:
        if kind == "heading":
            out += [f"## {text}", ""]
        elif kind == "item":
            out.append(f"- {text}")
        else:
            if previous == "item":
                out.append("")
            out += [text, ""]
        previous = kind
    if previous == "item":
        out.append("")
    out += lines([line or "" for line in draft.signature])
    if draft.enclosures:
        out += ["", "Enclosed:", ""] + [f"- {e}" for e in draft.enclosures]
    return "\n".join(out).rstrip() + "\n"


def to_html(draft: Letter) -> str:
    """Return the letter as a page of HTML; placeholders are marked so none is missed."""

    def mark(text: str) -> str:
        parts = PLACEHOLDER.split(text)
        hits = PLACEHOLDER.findall(text)
        out = escape(parts[0])
        for hit, rest in zip(hits, parts[1:], strict=True):
            out += f"<mark>{escape(hit)}</mark>{escape(rest)}"
        return out

    def block(lines: Sequence[str]) -> str:
        return "<p>" + "<br>".join(mark(line) for line in lines) + "</p>"

    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(draft.title)}</title>",
        "<style>body{font-family:Georgia,serif;max-width:40em;margin:2em auto;padding:0 1em;"
        "line-height:1.45}.notice{border:2px solid #b00;padding:.5em 1em;color:#600}"
        "mark{background:#fe6}@media print{.notice{border-color:#000;color:#000}}</style>",
        "</head><body>",
        f'<p class="notice"><strong>{escape(NOTICE)}</strong></p>',
        block(draft.sender),
        f"<p>{escape(draft.date)}</p>",
        block(draft.recipient),
        block(draft.subject),
        "<p>Dear Sir or Madam,</p>",
    ]
    in_list = False
    for kind, text in draft.body:
        if kind == "item" and not in_list:
            out.append("<ul>")
            in_list = True
        if kind != "item" and in_list:
            out.append("</ul>")
            in_list = False
        if kind == "heading":
            out.append(f"<h2>{mark(text)}</h2>")
        elif kind == "item":
            out.append(f"<li>{mark(text)}</li>")
        else:
            out.append(f"<p>{mark(text)}</p>")
    if in_list:
        out.append("</ul>")
    out.append(block(draft.signature))
    if draft.enclosures:
        out.append("<p>Enclosed:</p><ul>")
        out += [f"<li>{mark(e)}</li>" for e in draft.enclosures]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def render(draft: Letter, format: str) -> str:
    """Return the letter in ``format``: md, txt or html."""
    if format == "html":
        return to_html(draft)
    if format == "md":
        return to_markdown(draft)
    return to_text(draft)


__all__ = ["KINDS", "NOTICE", "Letter", "letter", "render", "to_html", "to_markdown", "to_text"]
