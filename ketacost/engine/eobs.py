"""A plan's EOB items matched to the visits a ledger logs, as new ``eob`` entries.

Each item is matched by its service date to the visit (or the charge of a claimable
fee) logged that day; where
the item names billing codes and the clinic's profile lists codes for that
visit, they must share one (which also tells two visits on one day apart).
The items of one resource for one visit become one entry, their amounts added
up. An entry carries the resource's id (``fhir_id``), so importing the same
resource again adds nothing. The rules are in docs/records.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..files.fhir import ClaimLine
from ..model.ledger import Eob, Ledger, Visit
from ..money import ZERO
from .ledger import claimed_entries, match
from .schedule import Charge, billed_amount

Fields = list[tuple[str, str | Decimal | dt.date | None]]


@dataclass(frozen=True, slots=True)
class Unmatched:
    """An EOB item that matches no logged visit, and why."""

    line: ClaimLine
    reason: str


@dataclass(frozen=True, slots=True)
class NewEob:
    """One ``eob`` entry to append, and what the EOB said that the ledger does not keep."""

    visit: str
    resource: str
    fields: Fields
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import adds, what it leaves out, and why."""

    new: tuple[NewEob, ...]
    unmatched: tuple[Unmatched, ...]
    already: tuple[str, ...]  # "Session 1 (resource 123)": imported before
    by_hand: tuple[str, ...]  # visits with an EOB logged by hand: not imported over it
    # (JSON path, currency) of each amount in another currency than the clinic's
    currencies: tuple[tuple[str, str], ...]


def match_eobs(
    ledger: Ledger, events: Sequence[Charge], lines: Sequence[ClaimLine], currency: str
) -> Imported:
    """Return the ``eob`` entries ``lines`` add to ``ledger``, and the items left out."""
    charges = match(ledger, events).charges
    visits = claimed_entries(ledger, charges)  # a claimable fee's charge is claimed as a visit
    grouped: dict[tuple[str, str], list[ClaimLine]] = {}
    unmatched = []
    for line in lines:
        found = _visit_of(line, visits, charges)
        if isinstance(found, str):
            unmatched.append(Unmatched(line, found))
        else:
            grouped.setdefault((line.resource, found.visit), []).append(line)
    imported = {
        (e.fhir_id, _key(e.eob)) for e in ledger.entries if isinstance(e, Eob) and e.fhir_id
    }
    typed = {_key(e.eob) for e in ledger.entries if isinstance(e, Eob) and not e.fhir_id}
    new, already, by_hand = [], [], []
    for (resource, visit), parts in grouped.items():
        if (resource, _key(visit)) in imported:
            already.append(f"{visit} (resource {resource})")
        elif _key(visit) in typed:
            by_hand.append(visit)
        else:
            new.append(_entry(visit, resource, parts))
    wrong = tuple(
        (path, code)
        for line in lines
        for path, code in line.currencies
        if code.upper() != currency.upper()
    )
    return Imported(tuple(new), tuple(unmatched), tuple(already), tuple(by_hand), wrong)


def _key(label: str) -> str:
    """A label as visits are matched: without regard to case or repeated spaces."""
    return " ".join(label.split()).casefold()


def _visit_of(
    line: ClaimLine, visits: Sequence[tuple[int, Visit]], charges: dict[int, Charge]
) -> Visit | str:
    """Return the logged visit an item is for, or why there is none."""
    if line.served is None:
        return "the item gives no service date"
    that_day = [(index, visit) for index, visit in visits if visit.date == line.served]
    if not that_day:
        return f"no visit is logged on {line.served}"
    coded = [(index, visit) for index, visit in that_day if _codes(charges.get(index))]
    if line.codes and coded:  # the visit whose profile codes include the item's
        billed = [(i, v) for i, v in coded if set(line.codes) & _codes(charges.get(i))]
        if not billed:
            listed = ", ".join(sorted(_codes(charges.get(coded[0][0]))))
            return (
                f"code {', '.join(line.codes)} is not one the clinic's profile bills for"
                f" {coded[0][1].visit} ({listed})"
            )
        that_day = billed
    amount = line.amount("billed")
    if len(that_day) > 1 and amount is not None:  # told apart by what each bills
        same = [(i, v) for i, v in that_day if _billed(v, charges.get(i)) == amount]
        that_day = same if len(same) == 1 else that_day
    if len(that_day) > 1:
        named = ", ".join(visit.visit for _, visit in that_day)
        return f"{len(that_day)} visits are logged on {line.served} ({named}): log its EOB by hand"
    return that_day[0][1]


def _billed(visit: Visit, charge: Charge | None) -> Decimal:
    """What the clinic bills for a logged visit: the estimate's figure, else what was paid."""
    return visit.paid if charge is None else billed_amount(charge)


def _codes(charge: Charge | None) -> set[str]:
    return set() if charge is None else {line.code for line in charge.codes}


def _entry(visit: str, resource: str, parts: Sequence[ClaimLine]) -> NewEob:
    """Return one ``eob`` entry for the items of one resource for one visit, added up."""

    def total(name: str) -> Decimal | None:
        given = [a for a in (p.amount(name) for p in parts) if a is not None]
        return sum(given, ZERO) if given else None

    billed, copay = total("billed"), total("copay")
    fields: Fields = [("date", max(p.created for p in parts)), ("eob", visit)]
    if billed is not None:
        fields.append(("billed", billed))
    fields.append(("allowed", sum((p.allowed for p in parts), ZERO)))
    fields.append(("deductible", total("deductible") or ZERO))
    if copay is not None:
        fields.append(("copay", copay))
    fields.append(("coinsurance", total("coinsurance") or ZERO))
    plan_pays = sum((p.plan_pays for p in parts), ZERO)
    fields.append(("plan_pays", plan_pays))
    to_provider = total("paid_to_provider")
    if to_provider:  # the plan paid the clinic: that part never comes to the patient
        fields.append(("paid_to_clinic", min(to_provider, plan_pays)))
    reasons = [p.denied for p in parts if p.denied]
    if reasons:
        fields.append(("denied", "; ".join(dict.fromkeys(reasons))))
    fields.append(("fhir_id", resource))
    notes = []
    to_patient = total("paid_to_patient")
    if to_provider or to_patient:
        notes.append(f"paid to the provider {to_provider or ZERO}, to you {to_patient or ZERO}")
    noncovered = total("noncovered")
    if noncovered:
        notes.append(f"not covered {noncovered}")
    if not reasons and all(p.amount("allowed") is None for p in parts):
        notes.append("no eligible amount given: allowed is what the EOB splits it into")
    return NewEob(visit, resource, fields, tuple(notes))
