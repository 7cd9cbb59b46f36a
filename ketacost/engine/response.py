"""Response odds: what to expect to spend when the treatment may not work.

Responders complete the series and their maintenance; non-responders stop
after ``stop_after`` series sessions and have no maintenance. The expected
cost weighs the two branches by the response rate. These are population
figures, not a prediction for anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import InputError
from ..money import format_money, round_cents

DEFAULT_STOP_AFTER = 3


@dataclass(frozen=True, slots=True)
class ScenarioOdds:
    """One insurance scenario's net cost if the treatment works, if not, and expected."""

    name: str
    if_works: Decimal
    if_fails: Decimal
    expected: Decimal


@dataclass(frozen=True, slots=True)
class ResponseOdds:
    """The two branches of the response model and the expected cost between them."""

    rate: Decimal
    stop_after: int
    if_works: Decimal
    if_fails: Decimal
    expected_total: Decimal
    per_responder: Decimal | None  # expected spending for each person it helps
    scenarios: tuple[ScenarioOdds, ...]
    # each scenario's expected net weighed by the scenarios' probabilities (None without)
    expected_net: Decimal | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the odds as JSON-ready data (money as strings)."""
        return {
            "rate": str(self.rate),
            "stop_after": self.stop_after,
            "if_works": format_money(self.if_works),
            "if_fails": format_money(self.if_fails),
            "expected_total": format_money(self.expected_total),
            "per_responder": None
            if self.per_responder is None
            else format_money(self.per_responder),
            "scenarios": [
                {
                    "name": s.name,
                    "if_works": format_money(s.if_works),
                    "if_fails": format_money(s.if_fails),
                    "expected_net": format_money(s.expected),
                }
                for s in self.scenarios
            ],
            "expected_net": None if self.expected_net is None else format_money(self.expected_net),
        }


def weigh(rate: Decimal, works: Decimal, fails: Decimal) -> Decimal:
    """Return ``rate × works + (1 − rate) × fails``, rounded half-up to cents."""
    return round_cents(rate * works + (1 - rate) * fails)


@dataclass(frozen=True, slots=True)
class ResponseTerms:
    """The response model: the chance the treatment helps, and when a non-responder stops."""

    rate: Decimal  # a fraction from 0 to 1
    stop_after: int = DEFAULT_STOP_AFTER  # series sessions a non-responder has

    def __post_init__(self) -> None:
        if not isinstance(self.rate, Decimal) or not 0 <= self.rate <= 1:
            raise InputError.single(
                "response.rate",
                f"expected a Decimal fraction from 0 to 1, got {self.rate!r}"
                + (
                    " (a float: never used for money or rates)"
                    if isinstance(self.rate, float)
                    else ""
                ),
                'pass a Decimal: ResponseTerms(rate=Decimal("0.5")) for 50%',
            )
        if self.stop_after < 1:
            raise InputError.single(
                "response.stop_after",
                f"must be at least 1, not {self.stop_after}",
                "the number of series sessions before stopping, e.g. 3",
            )


def odds(
    rate: Decimal,
    stop_after: int,
    works_total: Decimal,
    fails_total: Decimal,
    works_nets: list[tuple[str, Decimal]],
    fails_nets: list[Decimal],
    probabilities: Sequence[Decimal | None] = (),
) -> ResponseOdds:
    """Return the response odds from both branches' totals and scenario nets, and with the
    scenarios' ``probabilities``, their expected nets weighed by them too."""
    from .scenario import weighted

    expected = weigh(rate, works_total, fails_total)
    return ResponseOdds(
        rate=rate,
        stop_after=stop_after,
        if_works=works_total,
        if_fails=fails_total,
        expected_total=expected,
        # from the unrounded expectation: dividing the rounded cents by the rate would
        # magnify its rounding by 1 / rate
        per_responder=(
            round_cents((rate * works_total + (1 - rate) * fails_total) / rate)
            if rate > 0
            else None
        ),
        scenarios=tuple(
            ScenarioOdds(name, works, fails, weigh(rate, works, fails))
            for (name, works), fails in zip(works_nets, fails_nets, strict=True)
        ),
        expected_net=weighted(
            probabilities,
            [weigh(rate, w, f) for (_, w), f in zip(works_nets, fails_nets, strict=True)],
        ),
    )
