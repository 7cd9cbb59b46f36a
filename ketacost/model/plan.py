"""An insurance plan's out-of-network benefits, and the scenarios to weigh."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    Tag,
    WithJsonSchema,
    model_validator,
)

from ..money import parse_money, parse_percent, round_cents
from .clinic import CodeLine
from .common import MONEY_SCHEMA, Currency, Money, Percent, Source, StrictModel, Text, at


class PercentOfBilled(StrictModel):
    """Allowed amount as a share of what the clinic billed (``allowed: 70%``)."""

    percent: Decimal

    def of(self, billed: Decimal) -> Decimal:
        """Return the allowed amount for ``billed``, in cents."""
        return min(billed, round_cents(billed * self.percent))


class PerClaim(StrictModel):
    """A fixed allowed amount per claim (``allowed: 400``)."""

    amount: Decimal

    def of(self, billed: Decimal) -> Decimal:
        """Return the allowed amount for ``billed``."""
        return min(billed, self.amount)


SimpleAllowed = PercentOfBilled | PerClaim


def _simple_allowed(value: object) -> object:
    """Turn ``"70%"`` or ``400`` into its rule; leave mappings to the by-code model."""
    if isinstance(value, (PercentOfBilled, PerClaim, dict)):
        return value
    if isinstance(value, str) and value.strip().endswith("%"):
        return PercentOfBilled(percent=parse_percent(value))
    amount = parse_money(value)
    if amount < 1 and amount != 0:
        raise ValueError(
            f"allowed: {amount} would mean {amount} dollars per claim"
            f" | for a share of the billed amount write it with a % sign, e.g. {amount * 100}%"
        )
    return PerClaim(amount=amount)


def _other(value: object) -> SimpleAllowed:
    rule = _simple_allowed(value)
    if not isinstance(rule, (PercentOfBilled, PerClaim)):
        raise ValueError("other takes a percentage or an amount | e.g. other: 50%")
    return rule


ALLOWED_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {
            "type": "string",
            "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*%\s*$",
            "description": 'A percentage of the billed amount, with its % sign: "70%".',
        },
        {**MONEY_SCHEMA, "description": "A fixed allowed amount per claim: 400."},
    ]
}


BY_CODE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Allowed amounts per superbill code; `other` for codes not listed.",
    "properties": {
        "by_code": {"type": "object", "additionalProperties": MONEY_SCHEMA},
        "other": ALLOWED_SCHEMA,
    },
    "required": ["by_code"],
    "additionalProperties": False,
}


class ByCode(StrictModel):
    """Allowed amounts per superbill code; ``other`` for codes not listed."""

    by_code: dict[str, Money]
    other: Annotated[
        SimpleAllowed | None,
        PlainValidator(_other),
        PlainSerializer(lambda rule: _rule_text(rule)),
        WithJsonSchema(ALLOWED_SCHEMA),
    ] = None

    def of_lines(self, lines: tuple[CodeLine, ...], billed: Decimal) -> Decimal:
        """Return the allowed amount, summed per code line; uncoded claims use ``other``."""
        if not lines:
            return self.other.of(billed) if self.other is not None else Decimal(0)
        total = Decimal(0)
        for line in lines:
            if line.code in self.by_code:
                total += min(line.amount, self.by_code[line.code])
            elif self.other is not None:
                total += self.other.of(line.amount)
        return total


def _allowed_tag(value: object) -> str:
    if isinstance(value, PerClaim):
        return "per-claim"
    if isinstance(value, (dict, ByCode)):
        return "by-code"
    return "percent-of-billed"


def _rule_text(rule: object) -> object:
    if isinstance(rule, PercentOfBilled):
        return f"{(rule.percent * 100).normalize():f}%"
    if isinstance(rule, PerClaim):
        return str(rule.amount)
    if isinstance(rule, ByCode):
        return rule.model_dump(mode="json")
    return None


AllowedRule = Annotated[
    Annotated[PercentOfBilled, Tag("percent-of-billed")]
    | Annotated[PerClaim, Tag("per-claim")]
    | Annotated[ByCode, Tag("by-code")],
    Discriminator(_allowed_tag),
]
Allowed = Annotated[
    AllowedRule,
    PlainSerializer(_rule_text),
    WithJsonSchema({"anyOf": [*ALLOWED_SCHEMA["anyOf"], BY_CODE_SCHEMA]}),
]


def _month_day(value: object) -> tuple[int, int]:
    text = value if isinstance(value, str) else None
    parts = text.strip().split("-") if text else []
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError(f'expected MM-DD, got {value!r} | write the plan year start as "01-01"')
    month, day = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2001, month)[1]:
        raise ValueError(
            f'{text!r} is not a day every year has | use a real month and day, e.g. "07-01"'
        )
    return month, day


MonthDay = Annotated[
    tuple[int, int],
    PlainValidator(_month_day),
    PlainSerializer(lambda md: f"{md[0]:02d}-{md[1]:02d}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{2}-[0-9]{2}$", "default": "01-01"}),
]


class _AllowedInput(StrictModel):
    """Mixin: accept ``allowed`` as ``"70%"``, ``400`` or a by-code mapping."""

    @model_validator(mode="before")
    @classmethod
    def _scalar_allowed(cls, data: object) -> object:
        if isinstance(data, dict) and "allowed" in data and data["allowed"] is not None:
            return {**data, "allowed": _simple_allowed(data["allowed"])}
        return data


class OutOfNetwork(_AllowedInput):
    """The plan's out-of-network benefit terms."""

    deductible: Money = Decimal(0)
    coinsurance: Percent = Decimal(0)
    out_of_pocket_max: Money | None = None
    allowed: Allowed = Field(
        default_factory=lambda: PercentOfBilled(percent=Decimal(1)),
        json_schema_extra={"default": "100%"},
    )


class AlreadyMet(StrictModel):
    """What has already counted this plan year, before the treatment starts."""

    deductible: Money = Decimal(0)
    out_of_pocket: Money = Decimal(0)


class Claims(StrictModel):
    """How claims are paid."""

    paid_after_days: Annotated[int, Field(ge=0, le=730)] = 45


class Scenario(_AllowedInput):
    """One way the claims could go; each given key overrides the plan."""

    name: Text
    probability: Percent | None = None
    covered: bool | None = None
    deductible: Money | None = None
    coinsurance: Percent | None = None
    out_of_pocket_max: Money | None = None
    allowed: Allowed | None = None
    paid_after_days: Annotated[int, Field(ge=0, le=730)] | None = None


@dataclass(frozen=True)
class Terms:
    """The resolved rules one scenario adjudicates claims by."""

    name: str
    probability: Decimal | None
    covered: bool
    deductible: Decimal
    coinsurance: Decimal
    out_of_pocket_max: Decimal | None
    allowed: PercentOfBilled | PerClaim | ByCode
    paid_after_days: int
    plan_year_starts: tuple[int, int]
    met_deductible: Decimal
    met_out_of_pocket: Decimal


class Plan(StrictModel):
    """An insurance plan profile (DESIGN §3)."""

    kind: Literal["plan"] | None = None
    name: Text
    currency: Currency = "USD"
    source: Source | None = None
    plan_year_starts: MonthDay = (1, 1)
    covered: bool = True
    out_of_network: OutOfNetwork = Field(default_factory=lambda: OutOfNetwork())
    already_met: AlreadyMet = Field(default_factory=lambda: AlreadyMet())
    claims: Claims = Field(default_factory=lambda: Claims())
    scenarios: list[Scenario] = []

    @model_validator(mode="after")
    def _probabilities(self) -> Plan:
        given = [s.probability for s in self.scenarios if s.probability is not None]
        if given and len(given) != len(self.scenarios):
            raise ValueError(
                at(
                    "scenarios",
                    (
                        "some scenarios have a probability and some do not"
                        " | give every scenario a probability, or none"
                    ),
                )
            )
        if given and sum(given) != 1:
            total = sum(given)
            raise ValueError(
                at(
                    "scenarios",
                    (
                        f"scenario probabilities add up to {total}, not 1"
                        " | adjust them so they sum to exactly 1 (e.g. 0.5, 0.4, 0.1)"
                    ),
                )
            )
        names = [s.name for s in self.scenarios]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(
                at(
                    "scenarios",
                    (
                        f"scenario name {duplicates[0]!r} is used twice | give each scenario its own name"
                    ),
                )
            )
        return self

    def terms(self) -> list[Terms]:
        """Return the scenarios to adjudicate: each override applied to the plan's terms."""
        base = self.out_of_network
        scenarios = self.scenarios or [Scenario(name=self.name)]
        return [
            Terms(
                name=s.name,
                probability=s.probability,
                covered=self.covered if s.covered is None else s.covered,
                deductible=base.deductible if s.deductible is None else s.deductible,
                coinsurance=base.coinsurance if s.coinsurance is None else s.coinsurance,
                out_of_pocket_max=(
                    base.out_of_pocket_max if s.out_of_pocket_max is None else s.out_of_pocket_max
                ),
                allowed=base.allowed if s.allowed is None else s.allowed,
                paid_after_days=(
                    self.claims.paid_after_days if s.paid_after_days is None else s.paid_after_days
                ),
                plan_year_starts=self.plan_year_starts,
                met_deductible=self.already_met.deductible,
                met_out_of_pocket=self.already_met.out_of_pocket,
            )
            for s in scenarios
        ]


__all__ = [
    "AlreadyMet",
    "ByCode",
    "Claims",
    "OutOfNetwork",
    "PerClaim",
    "PercentOfBilled",
    "Plan",
    "Scenario",
    "Terms",
]
