"""Each logged visit's claim: filed or not, answered or not, and its EOB against the terms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from ..model.ledger import ClaimFiled, Eob, ExtraCharge, Ledger, Received, Visit
from ..model.plan import Plan, Terms
from ..money import ZERO, money_words
from .claims import Claim, adjudicate, plan_year_start
from .ledger import claimed_charge
from .schedule import Charge

OVERDUE_GRACE_DAYS = 15  # past the plan's usual delay before a claim counts as overdue
EOB_FIELDS = ("allowed", "deductible", "copay", "coinsurance", "plan_pays")
STATES = (
    "not filed",
    "waiting",
    "overdue",
    "payment due",
    "paid",
    "applied to deductible",
    "denied",
)


@dataclass(frozen=True, slots=True)
class Difference:
    """One EOB figure that differs from what the plan's terms give."""

    field: str
    on_eob: Decimal
    predicted: Decimal


@dataclass(frozen=True, slots=True)
class EobCheck:
    """An EOB against the plan's terms for that claim, and what to do about it."""

    label: str
    eob: Eob
    predicted: dict[str, Decimal]
    predicted_denied: bool
    differences: tuple[Difference, ...]
    advice: str

    @property
    def matches(self) -> bool:
        """Whether the EOB says what the plan's terms predict."""
        return not self.differences and (self.eob.denied is not None) == self.predicted_denied


@dataclass(frozen=True, slots=True)
class ClaimStatus:
    """One visit's claim: filed or not, answered or not, paid or not."""

    label: str
    visit_date: dt.date
    paid: Decimal
    filed: dt.date | None
    state: str  # one of STATES
    age_days: int | None  # days since filing, while waiting for an answer
    filing_deadline: dt.date | None  # while not filed
    days_left: int | None  # to the filing deadline, while not filed
    overdue_from: dt.date | None  # while waiting
    received: Decimal
    expected_back: Decimal  # still to come from the plan, on the EOB or by the terms
    check: EobCheck | None
    # Out of network, an EOB that says the plan pays: the day its money counts as late.
    payment_late_from: dt.date | None = None
    # In network: what the patient still owes the clinic, their share less what they paid.
    owed_to_clinic: Decimal = ZERO
    # Out of network: what the plan's terms give back on this claim, before any EOB.
    predicted_back: Decimal = ZERO


def follow_claims(
    ledger: Ledger,
    plan: Plan,
    terms: Terms,
    entries: Sequence[tuple[int, object]],
    charges: dict[int, Charge],
    as_of: dt.date,
    in_network: bool,
) -> tuple[list[ClaimStatus], dict[dt.date, tuple[Decimal, Decimal]]]:
    """Return each logged visit's claim, and the counters per plan year after them all."""
    visits: dict[str, tuple[Visit, Charge | None]] = {}
    filed: dict[str, dt.date] = {}
    eobs: dict[str, Eob] = {}
    receipts: list[Received] = []
    for index, entry in entries:
        if isinstance(entry, ExtraCharge):
            entry = claimed_charge(entry, charges.get(index)) or entry
        if isinstance(entry, Visit) and entry.visit not in visits:
            visits[entry.visit] = (entry, charges.get(index))
        elif isinstance(entry, ClaimFiled):
            for label in entry.claim:
                filed.setdefault(label, entry.date)
        elif isinstance(entry, Eob):
            eobs[entry.eob] = entry  # a later EOB for the same visit corrects the earlier
        elif isinstance(entry, Received) and entry.from_ == "plan":
            receipts.append(entry)  # a savings program's money pays no claim of the plan's
    first_year = plan_year_start(ledger.start, terms.plan_year_starts)
    met: dict[dt.date, tuple[Decimal, Decimal]] = {
        # what was met toward the deductible has filled the cap as much (claims._opening)
        first_year: (terms.met_deductible, max(terms.met_out_of_pocket, terms.met_deductible))
    }
    predictions: dict[str, Claim] = {}
    deadline = dt.timedelta(days=plan.claims.filing_deadline_days)
    paid_for = {label for receipt in receipts for label in receipt.for_}
    for label, (visit, planned) in visits.items():
        if planned is not None and not planned.claimable:
            continue
        charge = _visit_charge(visit, planned, in_network)
        year = plan_year_start(visit.date, terms.plan_year_starts)
        met_deductible, met_oop = met.get(year, (ZERO, ZERO))
        predicted = adjudicate(
            [charge],
            terms._replace(met_deductible=met_deductible, met_out_of_pocket=met_oop),
            visit.date,
        )[0]
        predictions[label] = predicted
        eob = eobs.get(label)
        if eob is not None:
            met[year] = (met_deductible + eob.deductible, met_oop + eob.patient_share)
        elif (
            label in paid_for
            or in_network
            or not past_window(visit.date, filed.get(label), deadline, as_of)
        ):
            met[year] = _after(predicted, terms, met_oop)
        # else: past its filing window, unanswered: not counted on, so it fills no counter
    due = {label: _due(eobs.get(label), claim) for label, claim in predictions.items()}
    got = _allocate(receipts, due)
    delay = terms.paid_after_days
    result = [
        _claim_status(
            label,
            visits[label][0],
            visits[label][0].date if in_network else filed.get(label),
            eobs.get(label),
            got.get(label, ZERO),
            predicted,
            terms,
            delay,
            deadline,
            as_of,
            in_network,
        )
        for label, predicted in predictions.items()
    ]
    return result, met


def past_window(
    visit: dt.date, filed: dt.date | None, window: dt.timedelta, as_of: dt.date
) -> bool:
    """Whether a claim missed the plan's filing window: filed after it, or not filed and the
    window has closed by ``as_of``. A plan may deny it for timely filing (docs/deadlines.md)."""
    if filed is not None:
        return filed - visit > window
    return as_of > visit + window


def _due(eob: Eob | None, predicted: Claim) -> Decimal:
    """Return what the plan should pay the patient for a claim: the EOB's word, else the terms'.

    In network the plan pays the clinic: nothing is due to the patient. An EOB that denies
    part of a visit (a line of it) and pays the rest is owed what it pays.
    """
    if predicted.in_network:
        return ZERO
    if eob is None:
        return predicted.reimbursed
    return eob.to_patient  # what the plan paid the clinic itself never comes to you


def _allocate(receipts: Sequence[Received], due: dict[str, Decimal]) -> dict[str, Decimal]:
    """Return the money received per visit: one payment for several visits is shared out in
    the order they are named, each up to what is due on it, the rest to the last named."""
    got: dict[str, Decimal] = {}
    for receipt in receipts:
        left = receipt.received
        for position, label in enumerate(receipt.for_):
            last = position == len(receipt.for_) - 1
            share = (
                left if last else min(left, max(due.get(label, ZERO) - got.get(label, ZERO), ZERO))
            )
            got[label] = got.get(label, ZERO) + share
            left -= share
    return got


def _visit_charge(visit: Visit, planned: Charge | None, in_network: bool) -> Charge:
    if planned is None:
        return Charge(visit.date, "visit", visit.visit, visit.paid, True, "Visits", visit.visit)
    amount = planned.amount if in_network else visit.paid
    return replace(planned, date=visit.date, amount=amount)


def _after(claim: Claim, terms: Terms, met_oop: Decimal) -> tuple[Decimal, Decimal]:
    """Return the counters after a predicted claim: (deductible met, out of pocket met)."""
    return terms.deductible - claim.deductible_left, met_oop + claim.share


def _claim_status(
    label: str,
    visit: Visit,
    sent: dt.date | None,
    eob: Eob | None,
    got: Decimal,
    predicted: Claim,
    terms: Terms,
    delay: int,
    deadline: dt.timedelta,
    as_of: dt.date,
    in_network: bool,
) -> ClaimStatus:
    check = None if eob is None else _check(label, eob, predicted, terms)
    age = overdue_from = filing_deadline = days_left = late_from = None
    if eob is not None:
        due = _due(eob, predicted)
        back = max(due - got, ZERO)
        if due > 0:
            # Out of network the EOB only announces the money: it is paid once it arrived.
            late_from = payment_late_from(eob.date, sent, delay)
            state = "paid" if back == 0 else "payment due"
        elif eob.denied is not None:
            state = "denied"
        elif eob.plan_pays > 0 or eob.deductible == 0:
            state = "paid"
        else:
            state = "applied to deductible"
    elif got > 0:
        state, back = "paid", ZERO
    elif sent is None:
        filing_deadline = visit.date + deadline
        days_left = (filing_deadline - as_of).days
        late = past_window(visit.date, None, deadline, as_of)  # a plan may deny it: not counted
        state, back = "not filed", ZERO if late else _due(None, predicted)
    else:
        age = (as_of - sent).days
        overdue_from = sent + dt.timedelta(days=delay + OVERDUE_GRACE_DAYS)
        state = "overdue" if as_of >= overdue_from else "waiting"
        late = past_window(visit.date, sent, deadline, as_of)  # not counted on
        back = ZERO if late else _due(None, predicted)
    return ClaimStatus(
        label,
        visit.date,
        visit.paid,
        sent,
        state,
        age,
        filing_deadline,
        days_left,
        overdue_from,
        got,
        back,
        check,
        late_from,
        _owed_to_clinic(eob, predicted, visit.paid) if in_network else ZERO,
        _due(None, predicted),
    )


def _owed_to_clinic(eob: Eob | None, predicted: Claim, paid: Decimal) -> Decimal:
    """Return what the patient still owes an in-network clinic for a visit: their share,
    the EOB's (else the terms'), less what they paid on the day.

    A denial covers nothing: the most the clinic may bill is its price, less what the plan
    paid it for the lines it did not deny (docs/adjudication.md).
    """
    if eob is not None and eob.denied is not None:
        return max(predicted.charge.amount - eob.plan_pays - paid, ZERO)
    share = predicted.share if eob is None else eob.patient_share
    return max(share - paid, ZERO)


def payment_late_from(eob_date: dt.date, filed: dt.date | None, delay: int) -> dt.date:
    """Return the day the money an EOB says the plan pays counts as late (docs/deadlines.md).

    The plan's habit is to pay ``delay`` days after the claim, and never before its EOB:
    the later of the two, plus the grace an unanswered claim gets.
    """
    expected = eob_date
    if filed is not None:
        expected = max(eob_date, filed + dt.timedelta(days=delay))
    return expected + dt.timedelta(days=OVERDUE_GRACE_DAYS)


def claim_warnings(
    claims: Sequence[ClaimStatus], currency: str, in_network: bool
) -> tuple[str, ...]:
    """Return what looks wrong in the claims: money received for a visit whose EOB says
    the plan pays nothing (most often logged under the wrong visit), money received
    with no EOB below what the terms give (the rest is not counted on), and, in network,
    more paid for a visit than the share its EOB puts on the patient."""
    warnings = []
    for claim in claims:
        eob = None if claim.check is None else claim.check.eob
        if eob is None:
            if 0 < claim.received < claim.predicted_back:
                warnings.append(
                    f"{money_words(claim.received, currency)} received for {claim.label}, where"
                    " the plan's terms give"
                    f" {money_words(claim.predicted_back, currency)}, and no EOB logged: the"
                    " claim is taken as paid and the rest is not counted on. Log its EOB (it"
                    " says what the plan allowed and why); if it paid less than its terms,"
                    " ask the plan why."
                )
            continue
        if claim.received > 0 and eob.plan_pays == 0:
            warnings.append(
                f"{money_words(claim.received, currency)} received for {claim.label}, whose EOB"
                f" of {eob.date} says the plan pays nothing: check which visit the money was for"
                " (the received entry's `for`); if the plan changed its decision, log its new EOB."
            )
        twice = min(claim.paid - eob.patient_share, eob.paid_to_clinic or ZERO)
        if not in_network and twice > 0:
            warnings.append(
                f"The plan paid the clinic {money_words(eob.paid_to_clinic or ZERO, currency)}"
                f" for {claim.label} itself (its EOB of {eob.date}), and you paid the clinic"
                f" {money_words(claim.paid, currency)}, more than your share of"
                f" {money_words(eob.patient_share, currency)}: ask the clinic for a refund or a"
                f" credit of {money_words(twice, currency)}; that money will not come from the"
                " plan."
            )
        if in_network and eob.denied is None and claim.paid > eob.patient_share:
            warnings.append(
                f"You paid {money_words(claim.paid, currency)} for {claim.label},"
                f" {money_words(claim.paid - eob.patient_share, currency)} more than your share"
                f" on its EOB of {eob.date} ({money_words(eob.patient_share, currency)}): ask"
                " the clinic for a refund or a credit."
            )
    return tuple(warnings)


def _check(label: str, eob: Eob, claim: Claim, terms: Terms) -> EobCheck:
    predicted = {
        "allowed": claim.allowed,
        "deductible": claim.deductible,
        "copay": claim.copay,
        "coinsurance": claim.coinsurance,
        "plan_pays": claim.plan_part,
    }
    denied_expected = not terms.covered
    if eob.denied is not None:
        advice = (
            f"denied ({eob.denied}): appeal; ask the plan for the reason in writing and send the"
            " appeal with the clinic's records, by the deadline under What to do next (the EOB"
            " may state a later one)"
        )
        if claim.in_network and terms.coverage == "medicare":
            advice += (
                ". Before paying the clinic for it: Medicare does not let a clinic bill you for"
                " care it denies as not medically necessary unless you signed an Advance"
                " Beneficiary Notice (ABN) before it; the Medicare Summary Notice says what"
                " you may be billed"
            )
        elif claim.in_network:
            advice += (
                ". Before paying the clinic for it: an in-network clinic's contract may keep it"
                " from billing you for a denied service; the EOB's 'patient responsibility'"
                " says what you may be billed"
            )
        return EobCheck(label, eob, predicted, denied_expected, (), advice)
    differences = tuple(
        Difference(name, getattr(eob, name), predicted[name])
        for name in EOB_FIELDS
        if getattr(eob, name) != predicted[name]
    )
    if not differences:
        advice = "as the plan's terms predict"
    elif eob.allowed < claim.allowed and claim.in_network and eob.patient_share <= claim.share:
        # In network the clinic takes what the plan allows and bills the patient only the
        # share: a lower allowed amount costs the patient nothing, so there is no appeal.
        share = (
            "which lowers your share"
            if eob.patient_share < claim.share
            else "with your share as they give"
        )
        advice = (
            f"allowed less than the terms give, {share}: check that the clinic's bill"
            " matches the EOB"
        )
    elif eob.allowed < claim.allowed:
        advice = "ask the plan why it allowed less; appeal if it used the wrong rate or code"
    elif eob.plan_pays < claim.plan_part:
        advice = "ask the plan why it pays less (which deductible or coinsurance it used)"
    else:
        advice = "more than the terms give: nothing to do"
    return EobCheck(label, eob, predicted, denied_expected, differences, advice)
