"""The letters to the clinic's billing office: a dispute over the Good Faith Estimate, and a
request for superbills."""

from __future__ import annotations

from ...engine.status import GFE_MARGIN, LedgerStatus
from ...errors import InputError
from ..words import money
from .draft import SENDER, Letter
from .parties import charges_by_visit, clinic_lines, codes_text, pick, plan_name


def gfe_dispute_letter(status: LedgerStatus) -> Letter:
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
        clinic_lines(status),
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


def superbill_request_letter(status: LedgerStatus, visit: str | None) -> Letter:
    _refuse_no_superbill(status)
    claims = list(status.claims)
    if claims:
        chosen = (
            pick(claims, visit, "unfiled", ["not filed"])
            if visit is not None or any(c.state == "not filed" for c in claims)
            else claims
        )
        visits = [(c.label, c.visit_date, c.paid) for c in chosen]
    else:
        from ...model.ledger import Visit

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
    charges = charges_by_visit(status)
    out = Letter(
        "superbill-request",
        "Request for superbills",
        SENDER,
        status.as_of.isoformat(),
        clinic_lines(status),
        [
            "Re: superbills for my visits, to claim from my insurance plan",
            "Patient: [your name]; date of birth: [date of birth]",
        ],
    )
    out.para(
        f"Please send me a superbill (an itemized statement for insurance) for each visit below,"
        f" so I can file the claims with {plan_name(status)}."
    )
    out.heading("Visits")
    for label, day, paid in visits:
        out.item(
            f"{day}: {label}, paid {money(paid, currency)}; codes:"
            f" {codes_text(charges.get(label), currency)}"
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
        plan = status.estimate.plan
        stated = plan is not None and "filing_deadline_days" in plan.claims.model_fields_set
        assert first.due is not None  # kept above
        if first.due < status.as_of:  # the window counted from the visit has passed
            out.para(
                "My plan must receive the claims within its filing window, which for the first"
                f" visit may have closed on {first.due}. Please send the superbills at once."
            )
        else:
            out.para(
                f"My plan must receive the claims within its filing window: the first by"
                f" {first.due}. I would be grateful for the superbills well before then."
                if stated
                else "My plan must receive the claims within its filing window, which may be as"
                f" short as 90 days: to be safe, the first by {first.due}. I would be grateful"
                " for the superbills well before then."
            )
    return out


def _refuse_no_superbill(status: LedgerStatus) -> None:
    """Refuse a superbill request where the patient files no claim: the clinic files, or
    nothing can be claimed (docs/insurance-rules.md)."""
    clinic = status.estimate.clinic
    terms = status.terms
    if status.in_network:  # the clinic files: in network, or enrolled in Medicare
        enrolled = terms is not None and terms.clinic_files
        why = "enrolled in Medicare, and bills" if enrolled else "in network for"
        raise InputError.single(
            "letter",
            f"{clinic.name} is {why} {plan_name(status)}: it files the claims itself, so"
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
