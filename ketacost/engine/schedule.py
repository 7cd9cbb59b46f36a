"""Dated charge events over the horizon, by the timeline rules of docs/clinic-format.md."""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..model.clinic import Booster, Clinic, CodeLine, Esketamine, Lozenge, drug_part, item_noun
from ..money import ZERO
from .horizon import add_months

LOZENGE_INTERVAL = Fraction(7 * 4)
FEES_RANK = 10_000
_BY_DATE = operator.attrgetter("date")
SESSION_ITEMS = frozenset({"series", "booster", "esketamine"})


@dataclass(frozen=True, slots=True)
class Charge:
    """One charge the patient pays on one day."""

    date: dt.date
    item: str  # its kind: series | booster | lozenge | esketamine | fee
    label: str  # "Session 1", "Booster 2", "Psychiatric intake"
    amount: Decimal
    claimable: bool
    phase: str  # the group it is totalled under: "Series", "Booster every 12 weeks", "Fees"
    line: str  # the line item it is counted in: "First sessions", "Booster"
    codes: tuple[CodeLine, ...] = ()  # superbill lines, when the clinic lists them
    rank: int = 0  # where its phase is listed: the series, maintenance items in order, fees
    drug: Decimal | None = None  # esketamine: the drug's part of the price (no observation)
    index: int = 1  # 1-based place among the charges of its item: Session 3 has index 3
    cadence: Fraction | None = None  # days between visits of a series or maintenance item

    @property
    def is_session(self) -> bool:
        """Whether this is a visit to the clinic (series, booster or esketamine session)."""
        return self.item in SESSION_ITEMS


def billed_amount(charge: Charge) -> Decimal:
    """Return what the superbill asks for: the code lines' sum, else the price paid."""
    if charge.codes:
        return sum((line.amount for line in charge.codes), ZERO)
    return charge.amount


def visit_modality(charge: Charge, modality: str) -> str:
    """Return how a session is given: an esketamine session is esketamine, in the office
    (its safety program allows no other), whatever the clinic's series; any other
    session is given as the clinic's ``modality``."""
    return "esketamine" if charge.item == "esketamine" else modality


def clinic_visits(charges: Iterable[Charge], modality: str) -> list[dt.date]:
    """Return the days the patient goes to the clinic: its sessions, but none taken at home."""
    return [c.date for c in charges if c.is_session and visit_modality(c, modality) != "at-home"]


def weeks_to_days(weeks: Decimal) -> int:
    """Return whole days in ``weeks`` (rounded down: 1.5 weeks is 10 days)."""
    return math.floor(Fraction(weeks) * 7)


def _cadence_text(interval: Fraction) -> str:
    days = Fraction(interval)
    if days % 7 == 0:
        weeks = int(days / 7)
        return "every week" if weeks == 1 else f"every {weeks} weeks"
    per_week = Fraction(7) / days
    if per_week.denominator == 1:
        return f"{per_week.numerator}× a week"
    return f"every {float(days):g} days"


def _codes(own: list[CodeLine] | None, billing: tuple[CodeLine, ...]) -> tuple[CodeLine, ...]:
    """Return a charge's superbill lines: its own (series or item) where given, else billing's."""
    return billing if own is None else tuple(own)


def schedule(
    clinic: Clinic, start: dt.date, months: int, stop_after: int | None = None
) -> list[Charge]:
    """Return every charge from ``start`` up to ``start + months`` months, in date order.

    ``stop_after`` describes someone who stops early: only that many series
    sessions, no maintenance, and monthly fees only until the last session.
    """
    end = add_months(start, months)  # the first day after the horizon
    series = clinic.series
    files_claims = clinic.billing.files_claims
    codes = tuple(clinic.billing.codes)
    charges = _series(clinic, start, end, stop_after)
    in_order = True  # the series alone is in date order already
    step, per = series.interval.numerator, series.interval.denominator
    last_offset = (series.sessions - 1) * step // per
    # A series that ends after the horizon leaves no room for maintenance (and the date
    # of its last session may lie beyond the calendar's year 9999).
    if stop_after is None and clinic.maintenance and last_offset < (end - start).days:
        last_series = start + dt.timedelta(days=last_offset)
        for position, item in enumerate(clinic.maintenance, start=1):
            charges.extend(
                _maintenance(clinic, item, position, last_series, end, files_claims, codes)
            )
        in_order = False
    if clinic.fees:
        charges.extend(_fees(clinic, charges, start, end, months, stop_after))
        in_order = False
    if not in_order:
        charges.sort(key=_BY_DATE)
    return charges


def _series(clinic: Clinic, start: dt.date, end: dt.date, stop_after: int | None) -> list[Charge]:
    """Return the series sessions within the horizon (the first ``stop_after`` of them)."""
    series = clinic.series
    files_claims = clinic.billing.files_claims
    codes = tuple(clinic.billing.codes)
    charges: list[Charge] = []
    interval = series.interval
    step, per = interval.numerator, interval.denominator  # floor(k × interval) in integers
    # first_codes cover the first first_sessions sessions even at a flat price, where
    # every session's price is the same (docs/insurance-rules.md, "Billing codes")
    first_count = series.first_count if series.first_codes is None else series.first_code_count
    opening, continuing = series.opening_price, series.continuing_price
    flat = series.price is not None or continuing == opening
    # What a session's charge takes from the series depends only on whether it is one
    # of the first sessions (index < first_count): worked out once for each, not per session.
    esketamine = clinic.modality == "esketamine"
    first_kind = (
        opening,
        "Sessions" if flat else "First sessions",
        _codes(series.codes_of(0), codes) if files_claims else (),
        series.drug_of(0) if esketamine else None,
    )
    later_kind = (
        continuing,
        "Sessions" if flat else "Later sessions",
        _codes(series.codes_of(first_count), codes) if files_claims else (),
        series.drug_of(first_count) if esketamine else None,
    )
    sessions_kept = series.sessions if stop_after is None else min(stop_after, series.sessions)
    # Days are counted from the start as integers (the horizon has `span` days), so a
    # session past the horizon is never made into a date beyond the calendar's end.
    origin, span, date_of = start.toordinal(), (end - start).days, dt.date.fromordinal
    for k in range(sessions_kept):
        offset = k * step // per
        if offset >= span:
            break
        price, line, lines, drug = first_kind if k < first_count else later_kind
        charges.append(
            Charge(
                date=date_of(origin + offset),
                item="series",
                label=f"Session {k + 1}",
                amount=price,
                claimable=files_claims,
                phase="Series",
                line=line,
                codes=lines,
                rank=0,
                drug=drug,
                index=k + 1,
                cadence=interval,
            )
        )
    return charges


def _fees(
    clinic: Clinic,
    charges: list[Charge],
    start: dt.date,
    end: dt.date,
    months: int,
    stop_after: int | None,
) -> list[Charge]:
    """Return the clinic's fees: once at the start, each month, or at each session.

    Each is labelled with the fee's name; a claimable fee charged per session or per
    month also with its number ("Monitoring 2"), as each is a claim of its own
    (docs/clinic-format.md).
    """
    files_claims = clinic.billing.files_claims
    sessions = [c for c in charges if c.item in SESSION_ITEMS]
    fees: list[Charge] = []
    for fee in clinic.fees:
        if fee.per == "once":
            days = [start]
        elif fee.per == "month":
            days = [add_months(start, i) for i in range(months)]
            if stop_after is not None and sessions:
                days = [day for day in days if day <= sessions[-1].date]
        else:
            days = [c.date for c in sessions]
        claimable = fee.claimable and files_claims
        # a claim is named by its label: a claimable fee charged again and again is
        # numbered, as sessions are ("Monitoring 2"), so a ledger can claim each one
        numbered = claimable and fee.per != "once"
        fees.extend(
            Charge(
                date=day,
                item="fee",
                label=f"{fee.name} {count}" if numbered else fee.name,
                amount=fee.amount,
                claimable=claimable,
                phase="Fees",
                line=fee.name,
                rank=FEES_RANK,
                index=count,
            )
            for count, day in enumerate((day for day in days if day < end), start=1)
        )
    return fees


def _maintenance(
    clinic: Clinic,
    item: Booster | Lozenge | Esketamine,
    position: int,
    last_series: dt.date,
    end: dt.date,
    files_claims: bool,
    codes: tuple[CodeLine, ...],
) -> list[Charge]:
    # Boosters and esketamine items must give a cadence; lozenges default to every 4 weeks.
    interval = item.interval_days(LOZENGE_INTERVAL)
    drug = None
    if isinstance(item, Lozenge):
        price, noun, claimable = item.cost_per_fill, "Lozenge fill", bool(item.claimable)
    elif isinstance(item, Booster):
        price = item.price if item.price is not None else clinic.series.continuing_price
        noun, claimable = "Booster", item.claimable is not False
    else:
        price = item.session_price(clinic.series.continuing_price)
        noun, claimable = "Esketamine session", item.claimable is not False
        drug = (
            drug_part(price)
            if item.device_price is None
            else item.device_price * (item.devices or 1)
        )
    claimable = claimable and files_claims
    lines = _codes(item.codes, codes if item.kind != "lozenge" else ()) if claimable else ()
    named = item_noun(item)  # the visits' label: "Booster 2", or the item's own label
    phase = item.label or f"{noun} {_cadence_text(interval)}"
    if len(clinic.maintenance) > 1 and item.label is None:
        phase = f"{position}. {phase}"
    after = (
        weeks_to_days(item.after_weeks) if item.after_weeks is not None else math.floor(interval)
    )
    first = last_series + dt.timedelta(days=after)
    stop = end
    if item.for_weeks is not None:
        stop = min(stop, first + dt.timedelta(days=weeks_to_days(item.for_weeks)))
    charges = []
    k = 0
    step, per = interval.numerator, interval.denominator  # floor(k × interval) in integers
    while item.count is None or k < item.count:
        day = first + dt.timedelta(days=k * step // per)
        if day >= stop:
            break
        charges.append(
            Charge(
                date=day,
                item=item.kind,
                label=f"{named} {k + 1}",
                amount=price,
                claimable=claimable,
                phase=phase,
                line=noun,
                codes=lines,
                rank=position,
                drug=drug,
                index=k + 1,
                cadence=interval,
            )
        )
        k += 1
    return charges
