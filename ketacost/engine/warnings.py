"""What a reader must know before the figures: the estimate's warnings (docs/output.md)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from ..money import ZERO, money_words

if TYPE_CHECKING:
    from ..model.clinic import Clinic
    from ..model.plan import Terms
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


class Doubt(NamedTuple):
    """Plan terms that contradict each other: the key to point at, what is odd, what to do."""

    key: str  # out_of_pocket_max or already_met
    message: str
    hint: str

    def sentence(self) -> str:
        """Return the doubt as an estimate's warning: one sentence."""
        return f"{self.message[0].upper()}{self.message[1:]}: {self.hint}."


def terms_doubts(terms: Terms, currency: str = "USD") -> list[Doubt]:
    """Return the plan terms that contradict each other, most often a typo: a cap below
    the deductible (a plan's cap includes it), more met than the deductible.

    The figures stand as the rules make them (the cap binds; the deductible is met).
    """
    doubts = []
    cap, deductible = terms.out_of_pocket_max, terms.deductible
    if cap is not None and cap < deductible and not terms.copay_only:
        doubts.append(
            Doubt(
                "out_of_pocket_max",
                f"the out-of-pocket maximum ({money_text(cap, currency)}) is below the"
                f" deductible ({money_text(deductible, currency)})",
                "a plan's cap includes its deductible, so the cap binds first; check both in"
                " the plan's summary of benefits",
            )
        )
    if terms.met_deductible > deductible:
        doubts.append(
            Doubt(
                "already_met",
                f"already met toward the deductible ({money_text(terms.met_deductible, currency)})"
                f" is more than the deductible ({money_text(deductible, currency)})",
                "it counts as met in full; check the figure on your last EOB",
            )
        )
    return doubts
