"""What every letter names: the plan and its words, the clinic, the member, and the claims
and charges it is about."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...engine.claim_status import ClaimStatus
from ...engine.deadlines import ORIGINAL_MEDICARE, Deadline
from ...engine.ledger import match
from ...engine.schedule import Charge, billed_amount
from ...engine.status import LedgerStatus
from ...errors import InputError
from ..words import money


def plan_name(status: LedgerStatus) -> str:
    plan = status.estimate.plan
    return "[plan name]" if plan is None else plan.name


def provider(status: LedgerStatus) -> str:
    """The clinic's name, or a placeholder when the ledger's clinic is a bundled reference
    profile: a letter must name the patient's own clinic, not the one priced for reference."""
    return "[clinic's name]" if status.reference_clinic else status.estimate.clinic.name


def clinic_lines(status: LedgerStatus) -> list[str]:
    location = None if status.reference_clinic else status.estimate.clinic.location
    return [
        f"{provider(status)}, billing office",
        "[clinic's street address]",
        location or "[clinic's city, state ZIP]",
    ]


@dataclass(frozen=True)
class Words:
    """What the payer's papers are called: a plan's, or Original Medicare's."""

    notice: str  # the answer to a claim
    a_notice: str  # the same, with its article
    short: str
    payer: str
    benefits: str  # what the claim is paid under
    member: str  # the line that names the patient


PLAN_WORDS = Words(
    "explanation of benefits",
    "an explanation of benefits",
    "EOB",
    "your plan",
    "my plan's benefits",
    "Member: [your name]; member ID: [member ID]; group number: [group number]",
)


# Original Medicare answers a claim with a Medicare Summary Notice and has no group number.
MEDICARE_WORDS = Words(
    "Medicare Summary Notice",
    "a Medicare Summary Notice",
    "MSN",
    "Medicare",
    "Medicare",
    "Member: [your name]; Medicare number: [Medicare number, from your Medicare card]",
)


def words_of(status: LedgerStatus) -> Words:
    terms = status.terms
    return (
        MEDICARE_WORDS if terms is not None and terms.coverage == ORIGINAL_MEDICARE else PLAN_WORDS
    )


def plan_lines(status: LedgerStatus, office: str) -> list[str]:
    if words_of(status) is MEDICARE_WORDS:
        return [
            f"{plan_name(status)}: the Medicare Administrative Contractor",
            "[its address, from the Medicare Summary Notice]",
        ]
    return [f"{plan_name(status)}, {office}", f"[the {office}'s address, from the EOB]"]


def member_lines(status: LedgerStatus) -> list[str]:
    return [f"Plan: {plan_name(status)}", words_of(status).member]


def pick(
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


def deadline_of(status: LedgerStatus, key: str) -> Deadline | None:
    return next((d for d in status.deadlines if d.key == key), None)


def charges_by_visit(status: LedgerStatus) -> dict[str, Charge]:
    """Return each logged visit's (or claimable fee's) charge of the estimate, its codes and
    price, by label; none for a bundled reference profile, whose codes and prices are
    another clinic's (the letter leaves placeholders)."""
    if status.reference_clinic:
        return {}
    matching = match(status.ledger, status.estimate.events, status.as_of)
    labels = {}
    for index, charge in matching.charges.items():
        entry = status.ledger.entries[index]
        label = getattr(entry, "visit", None) or getattr(entry, "charge", None)
        if isinstance(label, str):
            labels[label] = charge
    return labels


def codes_text(charge: Charge | None, currency: str) -> str:
    if charge is None or not charge.codes:
        return "[CPT/HCPCS codes, from the superbill]"
    return ", ".join(f"{line.code} ({money(line.amount, currency)})" for line in charge.codes)


def billed_text(charge: Charge | None, currency: str) -> tuple[str, str | None]:
    """Return what the clinic bills for a visit, and where that figure comes from.

    The superbill's code lines when the clinic profile lists them, else its price
    for the visit; what the patient paid may differ (a discount, a package). A visit
    the estimate does not know is a placeholder.
    """
    if charge is None:
        return "[the amount billed, from the superbill]", None
    source = "the superbill's code lines" if charge.codes else "the clinic's price"
    return money(billed_amount(charge), currency), source
