"""What a reader must know before the figures: the estimate's warnings (docs/output.md)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ..money import ZERO, money_words

if TYPE_CHECKING:
    from ..model.clinic import Clinic
    from .response import ResponseTerms
    from .schedule import Charge


CHECK_FIRST_SESSIONS = "check first_sessions against the clinic's price sheet"


def money_text(amount: Decimal, currency: str) -> str:
    """Return an amount in words, as every report writes it (``money.money_words``)."""
    return money_words(amount, currency)


def estimate_warnings(
    clinic: Clinic,
    events: Sequence[Charge],
    response: ResponseTerms | None,
) -> tuple[str, ...]:
    """Return the warnings about a series cut by the horizon, a later price never charged,
    and a stop rule that stops nothing."""
    series = clinic.series
    warnings = []
    held = [e for e in events if e.item == "series"]
    if len(held) < series.sessions:
        full = sum((series.price_of(k) for k in range(series.sessions)), ZERO)
        within = sum((e.amount for e in held), ZERO)
        warnings.append(
            f"The horizon ends before the series does: {len(held)} of its {series.sessions}"
            f" sessions fall within it, so the figures include {money_text(within, clinic.currency)}"
            f" of the series; the full series costs {money_text(full, clinic.currency)}."
            " Lengthen the horizon to see all of it."
        )
    unused = series.later_price_unused
    if unused is not None:
        warnings.append(f"The series' {unused}: {CHECK_FIRST_SESSIONS}.")
    if response is not None and response.stop_after >= series.sessions:
        warnings.append(
            f"The stop rule (stop after {response.stop_after} sessions) is at or beyond the series'"
            f" {series.sessions} sessions: in the branch where the treatment does not help,"
            " the whole series is paid and only maintenance is left out."
        )
    return tuple(warnings)
