"""The treatment ledger (docs/ledger-format.md): what really happened, entry by dated entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from ..errors import Invalid
from ..money import ZERO
from .common import Count, Date, Money, StrictModel, Text

ENTRY_KINDS = ("visit", "claim", "eob", "received", "charge", "bill", "appeal")

PaidWith = Literal["cash", "card", "loan", "hsa", "fsa"]
"""Where the money for a payment came from (the tax year and the journals read it)."""

ReceivedFrom = Literal["plan", "program", "programme"]
"""Who sent money back: the plan, or a manufacturer's savings program (either spelling)."""

AppealLevel = Literal["internal", "final-denial", "external"]
"""An appeal step taken (internal, external) or a final internal denial received."""


def _labels(value: object) -> tuple[str, ...]:
    """Accept one label or a list of them; every label is non-empty text."""
    items = value if isinstance(value, (list, tuple)) else [value]
    if not items:
        raise Invalid("names no visit", "list the visits, e.g. [Session 1, Session 2]")
    labels = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise Invalid(
                f"expected a visit label, got {item!r}", "write labels as text, e.g. Session 1"
            )
        labels.append(item.strip())
    return tuple(labels)


Labels = Annotated[
    tuple[str, ...],
    PlainValidator(_labels),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            ],
            "description": "A visit label (Session 1), or a list of them.",
        }
    ),
]


class Visit(StrictModel):
    """A visit to the clinic, named as the estimate labels it, and what was paid that day."""

    date: Date
    visit: Text
    paid: Money
    paid_with: PaidWith = "cash"

    @property
    def charged(self) -> Decimal:
        """What the clinic charged for it, for the Good Faith Estimate check."""
        return self.paid


class ClaimFiled(StrictModel):
    """Superbills for one or more visits sent to the plan."""

    date: Date
    claim: Labels


class Eob(StrictModel):
    """The plan's explanation of benefits for one visit."""

    date: Date
    eob: Text
    billed: Money | None = None
    allowed: Money = ZERO
    deductible: Money = ZERO
    copay: Money = ZERO
    coinsurance: Money = ZERO
    plan_pays: Money = ZERO
    # of ``plan_pays``, what the plan sent the clinic itself (out of network it most often
    # pays you; an EOB that says "paid to provider" paid the clinic)
    paid_to_clinic: Money | None = None
    denied: Text | None = None
    fhir_id: Text | None = None

    @model_validator(mode="after")
    def _to_clinic_within(self) -> Eob:
        if self.paid_to_clinic is not None and self.paid_to_clinic > self.plan_pays:
            raise Invalid(
                f"paid_to_clinic ({self.paid_to_clinic}) is more than the plan pays"
                f" ({self.plan_pays})",
                "paid_to_clinic is the part of plan_pays the plan sent the clinic: copy both"
                " from the EOB",
                key="paid_to_clinic",
            )
        return self

    @property
    def to_patient(self) -> Decimal:
        """What of ``plan_pays`` the plan sends the patient."""
        return max(self.plan_pays - (self.paid_to_clinic or ZERO), ZERO)

    @property
    def patient_share(self) -> Decimal:
        """What the EOB puts on the patient's out-of-pocket counter."""
        return self.deductible + self.copay + self.coinsurance


class Received(StrictModel):
    """Money from the plan that reached the patient, for one or more visits."""

    date: Date
    received: Money
    for_: Labels = Field(alias="for")
    from_: ReceivedFrom = Field(default="plan", alias="from")

    @field_validator("from_")
    @classmethod
    def _one_spelling(cls, value: str) -> str:
        return "program" if value == "programme" else value  # both read, one kept


class ExtraCharge(StrictModel):
    """Anything else the clinic billed (and the patient paid), such as lab work."""

    date: Date
    charge: Text
    amount: Money
    paid_with: PaidWith = "cash"

    @property
    def charged(self) -> Decimal:
        """What the clinic charged, for the Good Faith Estimate check."""
        return self.amount


class Bill(StrictModel):
    """A statement from the clinic: the total it says it has charged so far."""

    date: Date
    bill: Money


class Appeal(StrictModel):
    """An appeal step for a denied visit, or the plan's final internal denial."""

    date: Date
    appeal: Text
    level: AppealLevel = "internal"


Entry = Visit | ClaimFiled | Eob | Received | ExtraCharge | Bill | Appeal


def _entry_kind(value: Any) -> str | None:
    """Return the union tag of an entry: the one entry key it holds, or None."""
    if isinstance(value, dict):
        present = [kind for kind in ENTRY_KINDS if kind in value]
        return f"{present[0]}-entry" if len(present) == 1 else None
    for kind, model in _MODELS.items():
        if isinstance(value, model):
            return f"{kind}-entry"
    return None


EntryField = Annotated[
    Annotated[Visit, Tag("visit-entry")]
    | Annotated[ClaimFiled, Tag("claim-entry")]
    | Annotated[Eob, Tag("eob-entry")]
    | Annotated[Received, Tag("received-entry")]
    | Annotated[ExtraCharge, Tag("charge-entry")]
    | Annotated[Bill, Tag("bill-entry")]
    | Annotated[Appeal, Tag("appeal-entry")],
    Discriminator(
        _entry_kind,
        custom_error_type="entry_kind",
        custom_error_message="an entry holds exactly one of visit, claim, eob, received,"
        " charge, bill or appeal",
        custom_error_context={
            "hint": "give it a date and one of them, e.g. `- date: 2027-01-04` then"
            " `visit: Session 1` and `paid: 750`"
        },
    ),
]

_MODELS: dict[str, type[StrictModel]] = {
    "visit": Visit,
    "claim": ClaimFiled,
    "eob": Eob,
    "received": Received,
    "charge": ExtraCharge,
    "bill": Bill,
    "appeal": Appeal,
}


class GoodFaithEstimate(StrictModel):
    """What the clinic estimated in writing before treatment."""

    date: Date
    total: Money


def _entries_may_be_empty(schema: dict[str, Any]) -> None:
    entries = schema["properties"]["entries"]
    schema["properties"]["entries"] = {
        "anyOf": [entries, {"type": "null"}],
        "default": [],
        "description": "Dated entries, in block style; `entries:` alone starts an empty list.",
    }


class Ledger(StrictModel):
    """A treatment ledger file (docs/ledger-format.md)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, defer_build=True, json_schema_extra=_entries_may_be_empty
    )

    kind: Literal["ledger"] | None = None
    clinic: Text
    plan: Text | None = None
    scenario: Text | None = None
    start: Date
    months: Count = 12
    good_faith_estimate: GoodFaithEstimate | None = None
    entries: list[EntryField] = []

    @field_validator("entries", mode="before")
    @classmethod
    def _empty_entries(cls, value: object) -> object:
        return [] if value is None else value  # `entries:` with nothing after it

    @model_validator(mode="after")
    def _horizon(self) -> Ledger:
        if self.months > 120:
            raise Invalid(
                f"months: {self.months} is over ten years", "use at most 120", key="months"
            )
        return self

    def dated(self, as_of: dt.date | None = None) -> list[tuple[int, Entry]]:
        """Return ``(index, entry)`` in date order (file order on a tie), up to ``as_of``."""
        chosen = [
            (index, entry)
            for index, entry in enumerate(self.entries)
            if as_of is None or entry.date <= as_of
        ]
        return sorted(chosen, key=lambda pair: (pair[1].date, pair[0]))


__all__ = [
    "ENTRY_KINDS",
    "Appeal",
    "AppealLevel",
    "Bill",
    "ClaimFiled",
    "Entry",
    "Eob",
    "ExtraCharge",
    "GoodFaithEstimate",
    "Ledger",
    "PaidWith",
    "Received",
    "ReceivedFrom",
    "Visit",
]
