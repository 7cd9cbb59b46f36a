"""A plan's Explanations of Benefits as FHIR R4 JSON: the part ketacost reads (docs/records.md).

Plans give patients their claims through the patient-access API as FHIR
``ExplanationOfBenefit`` resources (the CARIN Blue Button profile), one at a
time or in a ``Bundle``. Only what the ledger needs is read and checked: each
item's service date, its billing codes and its adjudication amounts by
category. Every other field is left alone, so a payer's extensions never get
in the way; a value that is there but not what FHIR says (text for a number,
a date that is no date) is refused with its JSON path.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainValidator, ValidationError

from ..errors import InputError, Invalid, Problem, message_and_hint, quoted
from ..model.common import check_characters, check_date
from ..money import ZERO, parse_money, round_cents

MAX_BYTES = 32 * 1024 * 1024  # a page of a patient-access API answer is far smaller

# Adjudication categories (their codes, from the HL7 adjudication code system and
# CARIN's own) and the ledger field each one fills.
AMOUNTS = {
    "submitted": "billed",
    "eligible": "allowed",
    "deductible": "deductible",
    "copay": "copay",
    "coinsurance": "coinsurance",
    "benefit": "plan_pays",
    "paidtoprovider": "paid_to_provider",
    "paidtopatient": "paid_to_patient",
    "noncovered": "noncovered",
}
DENIAL = "denialreason"


def _amount(value: object) -> Decimal:
    """Return a FHIR ``decimal`` (a JSON number) as money; text is not a FHIR decimal."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise Invalid(
            f"expected a number, got {quoted(value)}",
            "FHIR amounts are JSON numbers, such as 525.00",
        )
    return round_cents(parse_money(value))  # 750.0 is written as 750.00


def _date(value: object) -> dt.date:
    """Return the date of a FHIR ``date`` or ``dateTime`` (its first ten characters), within
    the years a ledger holds."""
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
        else:
            check_date(day)  # here, so the problem points into the EOB file, not the ledger
            return day
    raise Invalid(f"expected a date, got {quoted(value)}", "FHIR dates look like 2027-01-04")


Amount = Annotated[Decimal, PlainValidator(_amount)]
Day = Annotated[dt.date, PlainValidator(_date)]


class _Fhir(BaseModel):
    """A FHIR element: fields ketacost does not read are allowed and ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True, strict=True)


class Coding(_Fhir):
    system: str | None = None
    code: str | None = None
    display: str | None = None


class Concept(_Fhir):
    coding: list[Coding] = []
    text: str | None = None

    def codes(self) -> tuple[str, ...]:
        """Return the codes of the concept, whatever their system."""
        return tuple(c.code for c in self.coding if c.code)

    def words(self) -> str | None:
        """Return the concept in words: its text, else its first coding's display and code."""
        if self.text:
            return self.text
        for coding in self.coding:
            if coding.display and coding.code:
                return f"{coding.display} (code {coding.code})"
            if coding.display or coding.code:
                return coding.display or f"code {coding.code}"
        return None


class MoneyValue(_Fhir):
    value: Amount
    currency: str | None = None


class Adjudication(_Fhir):
    category: Concept
    reason: Concept | None = None
    amount: MoneyValue | None = None


class Period(_Fhir):
    start: Day | None = None
    end: Day | None = None


class Item(_Fhir):
    """One line of an EOB (fields keep FHIR's own names)."""

    sequence: int | None = None
    servicedDate: Day | None = None
    servicedPeriod: Period | None = None
    productOrService: Concept
    adjudication: list[Adjudication] = []


class ExplanationOfBenefit(_Fhir):
    id: Annotated[str, PlainValidator(lambda v: _text(v, "the resource's id"))]
    created: Day
    item: list[Item] = []


def _text(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"{what} is missing or empty", "every resource from a plan's API has one")
    check_characters(value)  # the ledger keeps it as text
    return value


def _folded(text: str) -> str:
    """Return a plan's words as one line: line breaks and tabs become spaces, and other
    control characters go (a denial reason often comes wrapped over several lines)."""
    return " ".join(_CONTROL.sub(" ", text).split())


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, slots=True)
class ClaimLine:
    """One item of an EOB, as the ledger reads it; ``where`` is its JSON path."""

    resource: str  # the resource's id
    created: dt.date  # when the plan issued the EOB
    served: dt.date | None
    codes: tuple[str, ...]  # HCPCS/CPT codes of the service
    where: str
    amounts: dict[str, Decimal]  # ledger field (or paid_to_provider, ...) → amount
    currencies: tuple[tuple[str, str], ...]  # (JSON path, currency) of each amount that says one
    denied: str | None

    def amount(self, field: str) -> Decimal | None:
        """Return the amount of one field, or None when the EOB does not give it."""
        return self.amounts.get(field)

    @property
    def plan_pays(self) -> Decimal:
        """What the plan pays: the benefit, else what it paid to the provider and the patient."""
        benefit = self.amounts.get("plan_pays")
        if benefit is not None:
            return benefit
        return self.amounts.get("paid_to_provider", ZERO) + self.amounts.get(
            "paid_to_patient", ZERO
        )

    @property
    def allowed(self) -> Decimal:
        """The allowed amount: the eligible amount, else what the EOB splits it into."""
        eligible = self.amounts.get("allowed")
        if eligible is not None:
            return eligible
        parts = ("deductible", "copay", "coinsurance")
        return self.plan_pays + sum((self.amounts.get(p, ZERO) for p in parts), ZERO)


def read_eobs(shown: str, data: bytes) -> tuple[list[ClaimLine], int, list[str]]:
    """Return the items of the EOBs in a FHIR JSON file, how many other resources it held,
    and a line for each resource given more than once.

    A resource given more than once (a history answer holds every version; pages may
    overlap) is read once: its latest version (docs/records.md). Raises ``InputError``
    listing every problem, each with its JSON path, when the file is not JSON, not an
    EOB or a Bundle of them, or holds a value FHIR does not allow where ketacost reads one.
    """
    if len(data) > MAX_BYTES:  # read no further than one byte past it: its size is unknown
        raise InputError.single(
            shown,
            f"the file is over the {MAX_BYTES:,}-byte limit",
            "import the plan's answer one page (one Bundle) at a time",
        )
    document = _parse(shown, data)
    resources = _resources(shown, document)
    read: dict[str, list[tuple[tuple[dt.datetime, int, int], str, ExplanationOfBenefit]]] = {}
    problems: list[Problem] = []
    for position, (where, resource) in enumerate(resources):
        try:
            eob = ExplanationOfBenefit.model_validate(resource)
        except ValidationError as error:
            problems.extend(_problems(shown, where, error))
            continue
        read.setdefault(eob.id, []).append((_version(resource, position), where, eob))
    if problems:
        raise InputError(problems)
    lines: list[ClaimLine] = []
    repeated: list[str] = []
    for resource_id, copies in read.items():
        _, where, eob = max(copies, key=lambda copy: copy[0])
        lines.extend(_lines(eob, where))
        if len(copies) > 1:
            repeated.append(
                f"resource {resource_id} is given {len(copies)} times"
                f" ({', '.join(w for _, w, _ in copies)}): only its latest version, at {where},"
                " is read"
            )
    others = _count(document) - len(resources)
    return lines, others, repeated


def _version(resource: dict[str, Any], position: int) -> tuple[dt.datetime, int, int]:
    """Return how recent a copy of a resource is: its ``meta.lastUpdated`` (an instant, so
    time zones compare right), then its ``meta.versionId`` when that is a number (FHIR
    keeps version ids opaque: any other is not compared), then its place in the file
    (later is newer)."""
    meta = resource.get("meta")
    meta = meta if isinstance(meta, dict) else {}
    updated = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    text = meta.get("lastUpdated")
    if isinstance(text, str):
        try:  # "Z" is the usual FHIR zone, which Python before 3.11 does not read
            when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:  # an instant has a zone in FHIR; one without is taken as UTC
            updated = when if when.tzinfo is not None else when.replace(tzinfo=dt.timezone.utc)
    version = meta.get("versionId")
    number = int(version) if isinstance(version, str) and version.isdigit() else -1
    return (updated, min(number, 10**18), position)


def _parse(shown: str, data: bytes) -> Any:
    def no_constant(name: str) -> Any:
        raise Invalid(f"{name} is not a JSON number", "FHIR numbers are finite")

    def once_each(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, value in pairs:
            if key in found:  # JSON readers disagree on which one wins: neither is taken
                raise Invalid(
                    f"the key {key!r} is given twice in one object",
                    "a plan's API writes each key once; save its answer again as it came",
                )
            found[key] = value
        return found

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError.single(
            shown, f"not UTF-8 text (byte {error.start})", "FHIR JSON is UTF-8"
        ) from None
    try:
        return json.loads(
            text, parse_float=Decimal, parse_constant=no_constant, object_pairs_hook=once_each
        )
    except json.JSONDecodeError as error:
        lines = text.splitlines()
        source = lines[error.lineno - 1] if error.lineno <= len(lines) else None
        raise InputError(
            [
                Problem(
                    path=shown,
                    message=f"this is not JSON: {error.msg}",
                    line=error.lineno,
                    column=error.colno,
                    source_line=source,
                    hint="save the plan's API answer as it came, a .json file",
                )
            ]
        ) from None
    except Invalid as error:
        raise InputError.single(shown, error.message, error.hint) from None
    except ValueError:  # an integer of more digits than Python converts
        raise InputError.single(
            shown, "a number has thousands of digits", "FHIR amounts look like 525.00"
        ) from None
    except RecursionError:
        raise InputError.single(shown, "the JSON is nested too deeply", None) from None


def _resources(shown: str, document: Any) -> list[tuple[str, dict[str, Any]]]:
    """Return each EOB resource with its JSON path: the document, or a Bundle's entries."""
    kind = document.get("resourceType") if isinstance(document, dict) else None
    if kind == "ExplanationOfBenefit":
        return [("$", document)]
    if kind != "Bundle":
        said = f"a {kind} resource" if isinstance(kind, str) else "not a FHIR resource"
        raise InputError.single(
            shown,
            f"$.resourceType: {said}, not an ExplanationOfBenefit or a Bundle of them",
            "download the plan's ExplanationOfBenefit resources (its patient-access API,"
            " /ExplanationOfBenefit?patient=...)",
        )
    entries = document.get("entry", [])
    if not isinstance(entries, list):
        raise InputError.single(shown, "$.entry: expected a list of entries", None)
    found = []
    problems = []
    for position, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        request = entry.get("request") if isinstance(entry, dict) else None
        if resource is None and isinstance(request, dict) and request.get("method") == "DELETE":
            problems.append(
                Problem(
                    shown,
                    f"$.entry[{position}]: the Bundle records a deletion (a history answer)",
                    hint="import the plan's current EOBs: a search"
                    " (/ExplanationOfBenefit?patient=...), not a history",
                )
            )
        elif not isinstance(resource, dict):
            problems.append(
                Problem(shown, f"$.entry[{position}].resource: expected a FHIR resource")
            )
        elif resource.get("resourceType") == "ExplanationOfBenefit":
            found.append((f"$.entry[{position}].resource", resource))
    if problems:
        raise InputError(problems)
    if not found:
        raise InputError.single(
            shown,
            "$.entry: the Bundle holds no ExplanationOfBenefit",
            "ask the plan's API for /ExplanationOfBenefit?patient=...",
        )
    return found


def _count(document: dict[str, Any]) -> int:
    if document.get("resourceType") == "ExplanationOfBenefit":
        return 1
    return len(document.get("entry", []))


def json_path(where: str, location: Sequence[int | str]) -> str:
    """Return a JSON path such as ``$.item[0].adjudication[2].amount.value``."""
    path = where
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _problems(shown: str, where: str, error: ValidationError) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        cause = (detail.get("ctx") or {}).get("error")
        if isinstance(cause, Exception):
            message, hint = message_and_hint(cause)
        elif detail["type"] == "missing":
            message, hint = "is missing", "FHIR requires it here"
        else:
            message, hint = detail["msg"], None
        path = json_path(where, detail["loc"])
        problems.append(Problem(path=shown, message=f"{path}: {message}", hint=hint))
    return problems


def _lines(eob: ExplanationOfBenefit, where: str) -> list[ClaimLine]:
    lines = []
    for position, item in enumerate(eob.item):
        served = item.servicedDate
        if served is None and item.servicedPeriod is not None:
            served = item.servicedPeriod.start
        amounts: dict[str, Decimal] = {}
        currencies = []
        denied = None
        base = f"{where}.item[{position}]"
        for number, adjudication in enumerate(item.adjudication):
            codes = adjudication.category.codes()
            if DENIAL in codes:
                reason = adjudication.reason.words() if adjudication.reason else None
                denied = _folded(reason or "") or "denied (the EOB gives no reason)"
                continue
            field = next((AMOUNTS[c] for c in codes if c in AMOUNTS), None)
            if field is None or adjudication.amount is None:
                continue
            amounts[field] = amounts.get(field, ZERO) + adjudication.amount.value
            if adjudication.amount.currency:
                path = f"{base}.adjudication[{number}].amount.currency"
                currencies.append((path, adjudication.amount.currency))
        lines.append(
            ClaimLine(
                resource=eob.id,
                created=eob.created,
                served=served,
                codes=item.productOrService.codes(),
                where=base,
                amounts=amounts,
                currencies=tuple(currencies),
                denied=denied,
            )
        )
    return lines
