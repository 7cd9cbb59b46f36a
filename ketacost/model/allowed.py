"""A plan's allowed-amount rule: a share of the bill, a fixed amount per claim, or by code.

``allowed`` needs its sign: ``70%`` or ``"$400"``. A bare number could mean
either and is refused with a hint naming both spellings (docs/plan-format.md).
"""

from __future__ import annotations

import contextlib
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    Discriminator,
    PlainSerializer,
    PlainValidator,
    Tag,
    WithJsonSchema,
    model_validator,
)

from ..errors import Invalid
from ..money import parse_money, parse_percent, round_cents
from .clinic import CodeLine
from .common import MONEY_SCHEMA, Money, StrictModel


class PercentOfBilled(StrictModel):
    """Allowed amount as a share of what the clinic billed (``allowed: 70%``)."""

    percent: Decimal

    def of(self, billed: Decimal) -> Decimal:
        """Return the allowed amount for ``billed``, in cents."""
        return min(billed, round_cents(billed * self.percent))


class PerClaim(StrictModel):
    """A fixed allowed amount per claim (``allowed: "$400"``)."""

    amount: Decimal

    def of(self, billed: Decimal) -> Decimal:
        """Return the allowed amount for ``billed``."""
        return min(billed, self.amount)


SimpleAllowed = PercentOfBilled | PerClaim


_CURRENCY_SIGN = re.compile(r"^\s*(?:\$|[A-Za-z]{3}\s*\$?\s*[0-9])")


def _ambiguous(value: object) -> Invalid:
    """Return the problem with an allowed amount written without its % or currency sign,
    with a hint that only offers what would be read."""
    shown = str(value).strip()
    number = None
    with contextlib.suppress(ArithmeticError, ValueError):
        number = Decimal(shown)
    if number is None or not number.is_finite() or number <= 0:
        return Invalid(
            f"expected a share of the bill or an amount per claim, got {shown!r}",
            'write a share with its % sign (70%) or an amount with its currency sign ("$400")',
        )
    asked = f"{shown} is ambiguous: a share of the bill or an amount per claim?"
    if number > 100:  # no share is above 100%: only an amount can be meant
        return Invalid(
            asked, f'write "${shown}" for a fixed amount per claim (a share is at most 100%)'
        )
    # 0.7 is most likely 70% written as a fraction
    share = f"{number * 100:f}".rstrip("0").rstrip(".") if number < 1 else shown
    return Invalid(
        asked,
        f'write {share}% for a share of the billed amount, or "${shown}" for a fixed amount'
        " per claim",
    )


def _simple_allowed(value: object) -> object:
    """Turn ``"70%"`` or ``"$400"`` into its rule; leave mappings to the by-code model.

    A bare number (``70``) is refused: it could mean 70% or $70 a claim.
    """
    if isinstance(value, (PercentOfBilled, PerClaim, dict)):
        return value
    if isinstance(value, str) and value.strip().endswith("%"):
        return PercentOfBilled(percent=parse_percent(value))
    if isinstance(value, str) and _CURRENCY_SIGN.match(value):
        return PerClaim(amount=parse_money(value.strip().lstrip("$")))
    if isinstance(value, (float, bool)):
        parse_money(value)  # raises the float / yes-no message
    raise _ambiguous(value)


def _other(value: object) -> SimpleAllowed:
    rule = _simple_allowed(value)
    if not isinstance(rule, (PercentOfBilled, PerClaim)):
        raise Invalid("other takes a percentage or an amount", 'e.g. other: 50% or other: "$50"')
    return rule


ALLOWED_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {
            "type": "string",
            "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*%\s*$",
            "description": 'A percentage of the billed amount, with its % sign: "70%".',
        },
        {
            "type": "string",
            "pattern": r"^\s*(?:[A-Za-z]{3}\s*)?\$\s*[0-9][0-9,]*(\.[0-9]{1,2})?\s*$",
            "description": 'A fixed allowed amount per claim, with its currency sign: "$400".',
        },
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
        return f"${rule.amount}"
    if isinstance(rule, ByCode):  # without an ``other`` it is left out, as it was written
        return rule.model_dump(mode="json", exclude_none=True)
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


class AllowedInput(StrictModel):
    """Mixin: accept ``allowed`` as ``"70%"``, ``"$400"`` or a by-code mapping."""

    @model_validator(mode="before")
    @classmethod
    def _scalar_allowed(cls, data: object) -> object:
        if isinstance(data, dict) and "allowed" in data and data["allowed"] is not None:
            try:
                return {**data, "allowed": _simple_allowed(data["allowed"])}
            except Invalid as error:
                raise Invalid(error.message, error.hint, key="allowed") from None
        return data


def rule_text(rule: object) -> object:
    """Return an allowed rule as written in a plan file: ``"70%"``, ``"$400"`` or by code."""
    return _rule_text(rule)


__all__ = ["Allowed", "AllowedInput", "ByCode", "PerClaim", "PercentOfBilled", "rule_text"]
