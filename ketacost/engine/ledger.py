"""A ledger read against its estimate: which visits are which, and what looks wrong.

Pure functions of the ledger model and the estimate's charges; ``status.py``
builds the status report on top of them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from ..model.ledger import Appeal, ClaimFiled, Eob, ExtraCharge, Ledger, Received, Visit
from ..money import format_money
from .horizon import add_months
from .schedule import Charge

GUESSES = 20  # "did you mean" for the first unmatched visits; a flood of them is one mistake


@dataclass(frozen=True, slots=True)
class Finding:
    """A warning about one entry: the key to point at, what is odd, and what to do."""

    entry: int  # index in ledger.entries
    key: str
    message: str
    hint: str
    item: int | None = None  # the place in the key's list of labels, when it holds one


@dataclass(frozen=True, slots=True)
class Matching:
    """Which estimated charge each visit or charge entry stands for, and what is left."""

    charges: dict[int, Charge]  # entry index → the estimated charge it logs
    unlogged: tuple[Charge, ...]  # estimated charges no entry logs yet, in date order


def label_key(label: str) -> str:
    """Return how labels are compared: without regard to case or repeated spaces."""
    return " ".join(label.split()).casefold()


def spelled_as_estimated(ledger: Ledger, events: Sequence[Charge]) -> Ledger:
    """Return ``ledger`` with every label in the estimate's own spelling (docs/person-file.md).

    "session 5" and "Session  5" are the estimate's "Session 5"; a label the
    estimate lacks takes the spelling of its first use in the ledger, so every
    entry about one visit names it the same way.
    """
    spelling = {label_key(e.label): e.label for e in events}
    numbered = _numbered_fees(ledger, events, spelling)
    fee_lists = _fee_lists(ledger, events, numbered, spelling)
    changed = False
    entries = []
    # Each kind of entry is asked only for the label fields it has: asking a pydantic
    # model for a field it lacks costs some twenty times a field it has.
    fields_of: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for entry in ledger.entries:
        kind = type(entry)
        fields = fields_of.get(kind)
        if fields is None:
            has = kind.model_fields
            fields = fields_of[kind] = (
                tuple(f for f in ("visit", "charge", "eob", "appeal") if f in has),
                tuple(f for f in ("claim", "for_") if f in has),
            )
        update: dict[str, object] = {}
        for field in fields[0]:
            label = getattr(entry, field)
            if isinstance(label, str):
                update[field] = spelling.setdefault(label_key(label), label)
        if numbered and isinstance(entry, Visit | ExtraCharge) and id(entry) in numbered:
            update["visit" if isinstance(entry, Visit) else "charge"] = numbered[id(entry)]
        for field in fields[1]:
            labels = fee_lists.get(id(entry), getattr(entry, field))
            if isinstance(labels, tuple):
                update[field] = tuple(spelling.setdefault(label_key(x), x) for x in labels)
        update = {k: v for k, v in update.items() if v != getattr(entry, k)}
        if update:
            changed = True
            entry = entry.model_copy(update=update)
        entries.append(entry)
    return ledger.model_copy(update={"entries": entries}) if changed else ledger


def _numbered_fees(
    ledger: Ledger, events: Sequence[Charge], spelling: dict[str, str]
) -> dict[int, str]:
    """Return the numbered label of each visit or charge entry that names a numbered fee by
    its name alone ("Monitoring" for "Monitoring 1", "Monitoring 2", ...), keyed by the
    entry's id: each takes the occurrence no entry names on its own date, else the
    first such occurrence in date order."""
    occurrences: dict[str, list[Charge]] = {}
    for event in events:
        if event.item == "fee" and event.label != event.line:
            occurrences.setdefault(label_key(event.line), []).append(event)
    if not occurrences:
        return {}
    logged = [
        (entry, label_key(label))
        for _, entry in ledger.dated()
        if isinstance(entry, Visit | ExtraCharge) and (label := _logged_label(entry)) is not None
    ]
    named = {key for _, key in logged if key in spelling}
    left = {
        name: [event for event in charges if label_key(event.label) not in named]
        for name, charges in occurrences.items()
    }
    numbered: dict[int, str] = {}
    bare = [(entry, key) for entry, key in logged if key not in spelling and key in left]
    for same_day in (True, False):  # the charges due on an entry's own date go first
        for entry, key in bare:
            free = left[key]
            if id(entry) in numbered or not free:
                continue
            taken = next((e for e in free if e.date == entry.date), None if same_day else free[0])
            if taken is not None:
                free.remove(taken)
                numbered[id(entry)] = taken.label
    return numbered


def _fee_lists(
    ledger: Ledger, events: Sequence[Charge], numbered: dict[int, str], spelling: dict[str, str]
) -> dict[int, tuple[str, ...]]:
    """Return the labels of each claim and received entry that names a numbered fee by its
    name alone, keyed by the entry's id: a claim, the fee's charges logged by its date and
    not claimed yet; money received, those claimed by then that no money was received for
    yet (else those claimed, else those logged)."""
    base_of = {
        label_key(e.label): label_key(e.line)
        for e in events
        if e.item == "fee" and e.label != e.line
    }
    if not base_of:
        return {}
    bases = set(base_of.values()) - spelling.keys()
    logged: dict[str, list[str]] = {}  # fee name → the labels of its charges logged so far
    claimed: set[str] = set()
    paid: set[str] = set()  # the labels money was received for
    lists: dict[int, tuple[str, ...]] = {}
    for _, entry in ledger.dated():
        if isinstance(entry, Visit | ExtraCharge):
            label = numbered.get(id(entry)) or (
                entry.visit if isinstance(entry, Visit) else entry.charge
            )
            base = base_of.get(label_key(label))
            if base is not None:
                logged.setdefault(base, []).append(spelling.get(label_key(label), label))
        elif isinstance(entry, ClaimFiled | Received):
            names = entry.claim if isinstance(entry, ClaimFiled) else entry.for_
            found: list[str] = []
            for name in names:
                group = logged.get(label_key(name), []) if label_key(name) in bases else []
                if isinstance(entry, ClaimFiled):
                    group = [label for label in group if label_key(label) not in claimed]
                else:
                    sent = [label for label in group if label_key(label) in claimed]
                    group = (
                        [label for label in sent if label_key(label) not in paid] or sent or group
                    )
                found += group or [name]
            if isinstance(entry, ClaimFiled):
                claimed.update(label_key(label) for label in found)
            else:
                paid.update(label_key(label) for label in found)
            if found != list(names):
                lists[id(entry)] = tuple(found)
    return lists


def match(ledger: Ledger, events: Sequence[Charge], as_of: dt.date | None = None) -> Matching:
    """Return each visit and charge entry's estimated charge, by label (regardless of case
    and repeated spaces), first come first served.

    Only entries dated up to ``as_of`` (all, when None) log a charge.
    """
    waiting: dict[str, list[Charge]] = {}
    for event in events:
        waiting.setdefault(label_key(event.label), []).append(event)
    charges: dict[int, Charge] = {}
    for index, entry in ledger.dated(as_of):
        label = _logged_label(entry)
        if label is not None and waiting.get(label_key(label)):
            charges[index] = waiting[label_key(label)].pop(0)
    taken = {id(charge) for charge in charges.values()}
    return Matching(charges, tuple(e for e in events if id(e) not in taken))


def claimed_charge(entry: ExtraCharge, planned: Charge | None) -> Visit | None:
    """Return a charge entry that logs a claimable charge of the estimate (a claimable fee)
    as the visit it is to a claim, which is followed as a visit's is; None for any other
    charge entry, which is never claimed."""
    if planned is None or not planned.claimable:
        return None
    return Visit.model_construct(
        date=entry.date, visit=entry.charge, paid=entry.amount, paid_with=entry.paid_with
    )


def claimed_entries(ledger: Ledger, charges: dict[int, Charge]) -> list[tuple[int, Visit]]:
    """Return, in date order, the entries a claim can be about: the visits, and the charges
    of claimable fees as visits (``charges``: each entry's estimated charge, from ``match``)."""
    found: list[tuple[int, Visit]] = []
    for index, entry in ledger.dated():
        if isinstance(entry, ExtraCharge):
            claimed = claimed_charge(entry, charges.get(index))
            if claimed is not None:
                found.append((index, claimed))
        elif isinstance(entry, Visit):
            found.append((index, entry))
    return found


def _logged_label(entry: object) -> str | None:
    if isinstance(entry, Visit):
        return entry.visit
    if isinstance(entry, ExtraCharge):
        return entry.charge
    return None


def findings(ledger: Ledger, events: Sequence[Charge], *, in_network: bool) -> list[Finding]:
    """Return the warnings a ledger deserves: entries that name nothing the ledger knows."""
    seen = _Seen(
        match(ledger, events),
        sorted({e.label for e in events if e.is_session}, key=_natural),
        {label_key(e.line): e.line for e in events if e.item == "fee" and e.label != e.line},
    )
    found: list[Finding] = []
    end = add_months(ledger.start, ledger.months)
    repeated: dict[object, int] = {}  # an entry's kind and every field → the first with them
    for index, entry in ledger.dated():
        if isinstance(entry, Visit | ExtraCharge) and not ledger.start <= entry.date < end:
            found.append(_outside(index, entry, ledger.start, end))
        if isinstance(entry, Received | Eob | ClaimFiled):
            same = repeated.setdefault(_fields(entry), index)
            if same != index:
                found.append(_repeated(index, entry))
        if isinstance(entry, Visit):
            found.extend(_visit_findings(index, entry, seen))
        elif isinstance(entry, ExtraCharge):
            planned = seen.matching.charges.get(index)
            if planned is not None and planned.claimable:  # a claimable fee: claimed as a visit
                seen.visits.setdefault(entry.charge, index)
            if planned is not None and planned.label != planned.line and planned.date != entry.date:
                found.append(_fee_elsewhere(index, entry, planned))
        elif isinstance(entry, ClaimFiled):
            found.extend(_claim_findings(index, entry, seen))
        elif isinstance(entry, Eob):
            found.extend(_eob_findings(index, entry, seen))
        elif isinstance(entry, Appeal):
            found.extend(_appeal_findings(index, entry, seen))
        elif isinstance(entry, Received):
            found.extend(_received_findings(index, entry, seen, in_network=in_network))
    return found


@dataclass(slots=True)
class _Seen:
    """What the entries read so far have logged, walking the ledger in date order."""

    matching: Matching
    labels: list[str]  # the estimate's session labels, in natural order
    numbered: dict[str, str]  # label_key(fee name) → the name of a fee claimed one by one
    # label → the first entry logging that visit
    visits: dict[str, int] = dataclasses.field(default_factory=dict)
    claimed: set[str] = dataclasses.field(default_factory=set)
    # labels whose latest EOB denies them
    denied: set[str] = dataclasses.field(default_factory=set)
    # label → the date of its latest EOB, when that EOB says the plan pays nothing
    pays_nothing: dict[str, dt.date] = dataclasses.field(default_factory=dict)
    unmatched: int = 0  # visits matching no estimated visit, so far


def _outside(index: int, entry: Visit | ExtraCharge, start: dt.date, end: dt.date) -> Finding:
    """A visit or charge dated outside the treatment's horizon: a mistyped year, most often.

    Money received and EOBs may come long after the last visit; a visit may not.
    """
    when = "before the treatment starts" if entry.date < start else "after the treatment ends"
    return Finding(
        index,
        "date",
        f"dated {entry.date}, {when} ({start} to {end - dt.timedelta(days=1)})",
        "check the year; for a longer treatment, raise `months:` in the ledger",
    )


def _fields(entry: Received | Eob | ClaimFiled) -> object:
    """Return the entry's kind and every field, to compare it with others: a tuple where
    the fields are hashable (as read, they are), else its text. Labels count in any
    order."""
    try:
        fields = (
            type(entry),
            *(
                tuple(sorted(value)) if isinstance(value, tuple) else value
                for value in entry.__dict__.values()
            ),
        )
        hash(fields)
    except TypeError:
        return repr(entry)
    return fields


def _fee_elsewhere(index: int, entry: ExtraCharge, planned: Charge) -> Finding:
    """A charge of a fee due at each session, logged on a day its session is not: most
    often the same fee logged twice on one day, which takes the next session's number."""
    return Finding(
        index,
        "charge",
        f"{planned.label!r} is due with its session on {planned.date}, not on {entry.date}:"
        f" the same fee logged twice on {entry.date}?",
        "delete it if it was logged twice; if the clinic charged it that day, it stays",
    )


def _repeated(index: int, entry: Received | Eob | ClaimFiled) -> Finding:
    """An entry the same in every field as an earlier one: most often logged twice, which
    counts its money twice."""
    key, what = (
        ("received", "payment")
        if isinstance(entry, Received)
        else ("eob", "EOB")
        if isinstance(entry, Eob)
        else ("claim", "claim")
    )
    return Finding(
        index,
        key,
        f"the same {what} as an earlier entry of {entry.date}, in every field: logged twice?",
        "delete one if it was logged twice; two real ones stay, and are both counted",
    )


def _visit_findings(index: int, entry: Visit, seen: _Seen) -> list[Finding]:
    found = []
    if entry.visit in seen.visits:
        found.append(
            Finding(
                index,
                "visit",
                f"{entry.visit!r} is logged twice",
                "give each visit its own label, as the estimate does (Session 3, Session 4, ...)",
            )
        )
    elif index not in seen.matching.charges:
        seen.unmatched += 1
        found.append(
            Finding(
                index,
                "visit",
                f"visit {entry.visit!r} matches no visit of the estimate",
                _label_hint(entry.visit, seen.labels, guess=seen.unmatched <= GUESSES),
            )
        )
    seen.visits.setdefault(entry.visit, index)
    return found


def _claim_findings(index: int, entry: ClaimFiled, seen: _Seen) -> list[Finding]:
    found = []
    for place, label in enumerate(entry.claim):
        if label not in seen.visits:
            found.append(
                Finding(
                    index,
                    "claim",
                    f"the claim names {label!r}, a visit not logged before it",
                    _one_by_one(label, seen)
                    or "log the visit first (ketacost log LEDGER visit ...), or fix the label",
                    place,
                )
            )
        seen.claimed.add(label)
    return found


def _eob_findings(index: int, entry: Eob, seen: _Seen) -> list[Finding]:
    found = []
    if entry.eob not in seen.visits:
        found.append(
            Finding(
                index,
                "eob",
                f"an EOB for {entry.eob!r}, a visit never logged",
                _one_by_one(entry.eob, seen)
                or "log the visit, or use the label the visit was logged under",
            )
        )
    found.extend(_eob_sums(index, entry))
    seen.claimed.add(entry.eob)
    if entry.denied is not None:
        seen.denied.add(entry.eob)
    else:
        seen.denied.discard(entry.eob)
    if entry.plan_pays == 0:  # denied whole, or all of it to the deductible
        seen.pays_nothing[entry.eob] = entry.date
    else:
        seen.pays_nothing.pop(entry.eob, None)
    return found


def _one_by_one(label: str, seen: _Seen) -> str | None:
    """The hint for a claimable fee named without its number, or None for any other label."""
    name = seen.numbered.get(label_key(label))
    if name is None:
        return None
    first, second = f"{name} 1", f"{name} 2"
    return (
        f"each {name!r} charge is a claim of its own: name it with its number, as the"
        f" estimate does ({first!r}, {second!r}, ...)"
    )


def _appeal_findings(index: int, entry: Appeal, seen: _Seen) -> list[Finding]:
    if entry.appeal in seen.denied:
        return []
    return [
        Finding(
            index,
            "appeal",
            f"an appeal for {entry.appeal!r}, which has no denied EOB logged before it",
            "log the EOB that denied it first (ketacost log LEDGER eob ..., with the"
            " reason it gives), or fix the label",
        )
    ]


def _received_findings(
    index: int, entry: Received, seen: _Seen, *, in_network: bool
) -> list[Finding]:
    if entry.from_ != "plan":  # a savings program's money: no claim of the plan's is behind it
        return []
    found = []
    if in_network:
        found.append(
            Finding(
                index,
                "received",
                "money received from the plan, but the clinic is in network",
                "in network the plan pays the clinic; the EOB is the record",
            )
        )
    for place, label in enumerate(entry.for_):
        if label not in seen.claimed:
            found.append(
                Finding(
                    index,
                    "for",
                    f"money received for {label!r}, for which no claim was filed",
                    "log the claim first (ketacost log LEDGER claim ...), or fix the label",
                    place,
                )
            )
    # Money shared with a visit the plan pays is allocated by status; money for visits
    # the plan pays nothing on alone was most often logged under the wrong visit.
    if not in_network and all(label in seen.pays_nothing for label in entry.for_):
        eobs = " and ".join(
            f"{label!r} (EOB of {seen.pays_nothing[label]})" for label in entry.for_
        )
        found.append(
            Finding(
                index,
                "for",
                f"money received for {eobs}, for which the plan pays nothing",
                "check which visit the money was for (most often another one); if the plan"
                " changed its decision, log its new EOB first",
            )
        )
    return found


def _eob_sums(index: int, eob: Eob) -> list[Finding]:
    if eob.denied is not None:
        return []
    parts = eob.deductible + eob.copay + eob.coinsurance + eob.plan_pays
    if parts == eob.allowed:
        return []
    return [
        Finding(
            index,
            "allowed",
            f"the EOB's figures do not add up: allowed {format_money(eob.allowed)} but deductible"
            f" + copay + coinsurance + plan pays = {format_money(parts)}",
            "copy the figures from the EOB again; an EOB splits the allowed amount exactly",
        )
    ]


def _label_hint(label: str, labels: list[str], *, guess: bool) -> str:
    close = difflib.get_close_matches(label, labels, n=1) if guess else []
    if close:
        return f"did you mean {close[0]!r}? (kept as logged)"
    shown = ", ".join(labels[:3]) + (f", ... {labels[-1]}" if len(labels) > 3 else "")
    return f"the estimate's visits are {shown} (kept as logged)"


def _natural(label: str) -> tuple[str, int]:
    head, _, tail = label.rpartition(" ")
    return (head, int(tail)) if tail.isdigit() else (label, 0)
