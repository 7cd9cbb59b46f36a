"""A clinic's pricing profile: the induction series, maintenance, fees and billing."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..errors import Invalid
from .common import (
    Cadenced,
    Count,
    Currency,
    Money,
    Percent,
    Source,
    StrictModel,
    Text,
    Weeks,
)

Modality = Literal["iv-infusion", "im-injection", "esketamine", "oral", "at-home"]
TWICE_A_WEEK = Fraction(7, 2)
MAX_ITEMS = 20  # fees, maintenance items, superbill lines, payment plans: a clinic lists a few
# The drug's part of an esketamine session whose price does not say it (no device_price):
# the launch list price of the smallest usual dose, 56 mg (STAT News, 2019-03-22). The
# savings program pays only the drug, so the smallest published figure never makes it pay
# more than it would (docs/insurance-rules.md).
DRUG_PART_UNSTATED = Decimal(590)


def drug_part(price: Decimal) -> Decimal:
    """Return the drug's part of an all-in esketamine session price: the list price of
    56 mg, or the whole price when that is less."""
    return price if price < DRUG_PART_UNSTATED else DRUG_PART_UNSTATED


class CodeLine(StrictModel):
    """One line of a superbill: a CPT/HCPCS code and its billed amount."""

    code: Annotated[str, Field(min_length=1, max_length=12)]
    amount: Money

    @model_validator(mode="before")
    @classmethod
    def _code_as_text(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("code"), int):
            return {**data, "code": str(data["code"])}
        return data


# The devices are the drug alone: the two hours of observation in the office are billed
# beside them, and no default for that fee would not flatter.
SESSION_FEE_NEEDED = (
    "device_price needs session_fee, the fee for the visit and its two hours of observation",
    "add session_fee: with the clinic's fee per session (0 only if it charges none beside"
    " the devices)",
)


class Series(Cadenced):
    """The induction series: ``sessions`` sessions, the first few at ``first_price``.

    An esketamine series may give its price as ``device_price`` × ``devices``
    (``first_devices`` for the first ``first_sessions``) + ``session_fee``, so
    the drug and the observation visit stay apart.
    """

    sessions: Count
    price: Money | None = None
    first_price: Money | None = None
    first_sessions: Count | None = None
    later_price: Money | None = None
    device_price: Money | None = None
    devices: Count | None = None
    first_devices: Count | None = None
    session_fee: Money | None = None
    first_codes: list[CodeLine] | None = None
    codes: list[CodeLine] | None = None

    @model_validator(mode="after")
    def _one_way_of_pricing(self) -> Series:
        self.check_cadence()
        if self.device_price is not None:
            for key in ("price", "first_price", "later_price"):
                if getattr(self, key) is not None:
                    raise Invalid(
                        f"both device_price and {key} are given",
                        "give device_price, devices and session_fee, or a price per session,"
                        " not both",
                        key=key,
                    )
            if self.devices is None:
                raise Invalid(
                    "device_price needs devices",
                    "one device is 28 mg: 56 mg is devices: 2, 84 mg is devices: 3",
                    key="device_price",
                )
            if self.session_fee is None:
                raise Invalid(*SESSION_FEE_NEEDED, key="device_price")
            return self
        for key in ("devices", "first_devices", "session_fee"):
            if getattr(self, key) is not None:
                raise Invalid(
                    f"{key} goes with device_price",
                    "add device_price (one 28 mg device's price), or give a price per session"
                    " instead",
                    key=key,
                )
        if self.price is not None:
            flat = ["first_price", "later_price"]
            if self.first_codes is None:  # with first_codes it says how many bill them
                flat.append("first_sessions")
            for key in flat:
                if getattr(self, key) is not None:
                    raise Invalid(
                        f"both price and {key} are given",
                        "price is a flat price for every session; use first_price and later_price"
                        " instead when they differ",
                        key=key,
                    )
        elif self.first_price is None:
            raise Invalid(
                "the series has no price",
                "add price: 600, or first_price: 750 and later_price: 600",
            )
        return self

    @property
    def interval(self) -> Fraction:
        """Days between series sessions (default two a week)."""
        return self.interval_days(TWICE_A_WEEK)

    @property
    def later_price_unused(self) -> str | None:
        """Why ``later_price`` is never charged (``first_sessions`` covers the whole series),
        in words; None when it is charged."""
        first = self.first_sessions
        if self.later_price is None or first is None or first < self.sessions:
            return None
        return (
            f"later price is never charged: first_sessions ({first}) covers all"
            f" {self.sessions} sessions at the first price"
        )

    @property
    def first_count(self) -> int:
        """How many sessions are charged at the first price."""
        if self.price is not None:
            return self.sessions
        if self.device_price is not None and self.first_devices is None:
            return self.sessions
        return min(self.first_sessions or 1, self.sessions)

    def _device_total(self, devices: int) -> Decimal:
        assert self.device_price is not None
        return self.device_price * devices + (self.session_fee or Decimal(0))

    @property
    def opening_price(self) -> Decimal:
        """The price of session 1."""
        if self.price is not None:
            return self.price
        if self.device_price is not None:
            return self._device_total(self.first_devices or self.devices or 1)
        return self.first_price  # type: ignore[return-value]

    @property
    def continuing_price(self) -> Decimal:
        """The price of every session after the first ones."""
        if self.price is not None:
            return self.price
        if self.device_price is not None:
            return self._device_total(self.devices or 1)
        return self.later_price if self.later_price is not None else self.opening_price

    def price_of(self, index: int) -> Decimal:
        """Return the price of session ``index`` (0-based)."""
        return self.opening_price if index < self.first_count else self.continuing_price

    def drug_of(self, index: int) -> Decimal:
        """Return the drug's part of session ``index``: the devices, else ``drug_part``."""
        if self.device_price is None:
            return drug_part(self.price_of(index))
        first = index < self.first_count and self.first_devices is not None
        return self.device_price * ((self.first_devices if first else self.devices) or 1)

    @property
    def first_code_count(self) -> int:
        """How many sessions bill ``first_codes``: ``first_sessions`` (default 1), any pricing."""
        return min(self.first_sessions or 1, self.sessions)

    def codes_of(self, index: int) -> list[CodeLine] | None:
        """Return the superbill lines of session ``index`` when the series gives its own.

        The first ``first_sessions`` sessions (default 1) bill ``first_codes``, later
        ones ``codes``, whether the series has a flat price or not.
        """
        if index < self.first_code_count and self.first_codes is not None:
            return self.first_codes
        return self.codes


class Fee(StrictModel):
    """A charge besides the sessions: intake, membership, monitoring."""

    name: Text
    amount: Money
    per: Literal["once", "session", "month"] = "once"
    claimable: bool = False


class _Maintenance(Cadenced):
    codes: list[CodeLine] | None = None  # superbill lines for this item, instead of billing's
    after_weeks: Weeks | None = None
    count: Count | None = None
    for_weeks: Weeks | None = None
    claimable: bool | None = None
    label: Text | None = None


class Booster(_Maintenance):
    """A repeat infusion or injection when the effect fades."""

    kind: Literal["booster"]
    price: Money | None = None

    @model_validator(mode="after")
    def _valid(self) -> Booster:
        self.check_cadence()
        if self.per_week is None and self.every_weeks is None:
            raise Invalid(
                "a booster needs a cadence",
                "add every_weeks: 12 (about every three months)",
            )
        return self


class Lozenge(_Maintenance):
    """Compounded lozenges (troches) taken at home, bought one pharmacy fill at a time."""

    kind: Literal["lozenge"]
    fill_price: Money | None = None
    price: Money | None = None
    per_fill: Count | None = None

    @model_validator(mode="after")
    def _valid(self) -> Lozenge:
        self.check_cadence()
        if self.fill_price is not None and (self.price is not None or self.per_fill is not None):
            raise Invalid(
                "both fill_price and a per-lozenge price are given",
                "give fill_price alone, or price with per_fill",
                key="price" if self.price is not None else "per_fill",
            )
        if self.fill_price is None and (self.price is None or self.per_fill is None):
            raise Invalid(
                "a lozenge item needs its price",
                "add fill_price: 120, or price: 4 and per_fill: 30",
            )
        return self

    @property
    def cost_per_fill(self) -> Decimal:
        """One pharmacy fill's price."""
        if self.fill_price is not None:
            return self.fill_price
        assert self.price is not None and self.per_fill is not None  # checked by _valid
        return self.price * self.per_fill


class Esketamine(_Maintenance):
    """Esketamine (Spravato) nasal-spray sessions in a certified office."""

    kind: Literal["esketamine"]
    price: Money | None = None
    device_price: Money | None = None
    devices: Count | None = None
    session_fee: Money | None = None

    @model_validator(mode="after")
    def _valid(self) -> Esketamine:
        self.check_cadence()
        if self.price is not None and self.device_price is not None:
            raise Invalid(
                "both price and device_price are given",
                "price is all-in per session; or give device_price, devices and session_fee",
                key="device_price",
            )
        if self.device_price is not None and self.devices is None:
            raise Invalid(
                "device_price needs devices",
                "one device is 28 mg: 56 mg is devices: 2, 84 mg is devices: 3",
                key="device_price",
            )
        if self.device_price is not None and self.session_fee is None:
            raise Invalid(*SESSION_FEE_NEEDED, key="device_price")
        if self.session_fee is not None and self.device_price is None:
            raise Invalid(
                "session_fee goes with device_price",
                "give price (all-in per session), or device_price, devices and session_fee",
                key="session_fee",
            )
        if self.per_week is None and self.every_weeks is None:
            raise Invalid(
                "an esketamine item needs a cadence",
                "add per_week: 1 or every_weeks: 2",
            )
        return self

    def session_price(self, default: Decimal) -> Decimal:
        """One session's price: all-in, or devices plus the session fee, else ``default``."""
        if self.price is not None:
            return self.price
        if self.device_price is not None:
            return self.device_price * (self.devices or 1) + (self.session_fee or Decimal(0))
        return default


Maintenance = Annotated[Booster | Lozenge | Esketamine, Field(discriminator="kind")]


class Billing(StrictModel):
    """How the clinic bills: network status, superbills and the codes on them."""

    network: Literal["out-of-network", "in-network", "self-pay-only"] = "out-of-network"
    superbill: bool = True
    # Medicare status: an enrolled clinic out of a Medicare Advantage plan's network files
    # the claim itself; an opted-out one (the common case) has nothing to claim.
    medicare: Literal["enrolled", "opted-out"] = "opted-out"
    codes: Annotated[list[CodeLine], Field(max_length=MAX_ITEMS)] = []

    @property
    def files_claims(self) -> bool:
        """Whether a patient can send this clinic's charges to insurance at all."""
        return self.network != "self-pay-only" and (self.superbill or self.network == "in-network")


class PaymentPlan(StrictModel):
    """Financing the clinic offers for the series."""

    name: Text
    months: Count
    apr: Percent  # no default: 0% would make the loan look free (docs/clinic-format.md)
    down_payment: Money = Decimal(0)
    deferred_interest: bool = False
    # Who is repaid over time: the clinic (instalments count for tax when paid), or a
    # card or loan, which pays the clinic in full on the session date.
    lender: Literal["clinic", "card", "loan"] = "clinic"


class Clinic(StrictModel):
    """A clinic pricing profile (docs/clinic-format.md)."""

    kind: Literal["clinic"] | None = None
    name: Text
    location: Text | None = None
    currency: Currency = "USD"
    source: Source | None = None
    modality: Modality = "iv-infusion"
    series: Series
    fees: Annotated[list[Fee], Field(max_length=MAX_ITEMS)] = []
    maintenance: Annotated[list[Maintenance], Field(max_length=MAX_ITEMS)] = []
    billing: Billing = Field(default_factory=lambda: Billing())
    payment_plans: Annotated[list[PaymentPlan], Field(max_length=MAX_ITEMS)] = []

    @model_validator(mode="after")
    def _labels_unique(self) -> Clinic:
        seen: dict[str, int] = {"session": -1}  # the series' own "Session 1", "Session 2", …
        for position, item in enumerate(self.maintenance):
            noun = item_noun(item)
            key = " ".join(noun.lower().split())
            if key in seen:
                earlier = seen[key]
                other = "the series" if earlier < 0 else f"maintenance item {earlier + 1}"
                raise Invalid(
                    f"item {position + 1} ({item.kind}) labels its visits '{noun} 1',"
                    f" '{noun} 2', …, as {other} does: a ledger could not tell them apart",
                    "give one of them its own label, e.g. label: Weekly session",
                    key="maintenance",
                )
            seen[key] = position
        return self

    @model_validator(mode="after")
    def _esketamine_priced(self) -> Clinic:
        # An esketamine item with no price of its own takes the series' later price: a
        # Spravato session's price only where the series is Spravato too.
        if self.modality == "esketamine":
            return self
        for position, item in enumerate(self.maintenance):
            if item.kind == "esketamine" and item.price is None and item.device_price is None:
                raise Invalid(
                    f"item {position + 1} (esketamine) has no price, and the series is"
                    f" {self.modality}: its price is not an esketamine session's",
                    "add price: to the item (all in per session), or device_price, devices"
                    " and session_fee",
                    key="maintenance",
                )
        return self


NOUNS = {"booster": "Booster", "lozenge": "Lozenge fill", "esketamine": "Esketamine session"}


def item_noun(item: Booster | Lozenge | Esketamine) -> str:
    """Return what a maintenance item's visits are called: its label, else its kind's noun.

    Visit k of the item is labelled "<noun> k" ("Booster 2"); labels are unique
    within an estimate, since the ledger refers to visits by them.
    """
    return item.label if item.label is not None else NOUNS[item.kind]


__all__ = [
    "Billing",
    "Booster",
    "Clinic",
    "CodeLine",
    "Esketamine",
    "Fee",
    "Lozenge",
    "Maintenance",
    "PaymentPlan",
    "Series",
]
