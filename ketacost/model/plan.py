"""An insurance plan: coverage, in- and out-of-network terms, counters, and the scenarios to weigh."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, PlainSerializer, PlainValidator, WithJsonSchema, model_validator

from ..errors import Invalid
from ..money import round_cents
from .allowed import Allowed, AllowedInput, ByCode, PercentOfBilled, PerClaim, rule_text
from .common import Currency, Money, Percent, Source, StrictModel, Text


def _month_day(value: object) -> tuple[int, int]:
    text = value if isinstance(value, str) else None
    parts = text.strip().split("-") if text else []
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
        raise Invalid(f"expected MM-DD, got {value!r}", 'write the plan year start as "01-01"')
    month, day = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2001, month)[1]:
        raise Invalid(
            f"{text!r} is not a day every year has", 'use a real month and day, e.g. "07-01"'
        )
    return month, day


MonthDay = Annotated[
    tuple[int, int],
    PlainValidator(_month_day),
    PlainSerializer(lambda md: f"{md[0]:02d}-{md[1]:02d}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{2}-[0-9]{2}$", "default": "01-01"}),
]


Coverage = Literal["commercial", "medicare", "medicare-advantage", "medicaid", "tricare", "other"]
Network = Literal["in-network", "out-of-network"]
MEDICARE = ("medicare", "medicare-advantage")
BLOCKS: dict[str, str] = {"in-network": "in_network", "out-of-network": "out_of_network"}


class NetworkTerms(AllowedInput):
    """The plan's benefit terms in one network: in network or out of network."""

    deductible: Money = Decimal(0)
    copay: Money = Decimal(0)
    coinsurance: Percent = Decimal(0)
    out_of_pocket_max: Money | None = None
    allowed: Allowed = Field(
        default_factory=lambda: PercentOfBilled(percent=Decimal(1)),
        json_schema_extra={"default": "100%"},
    )


OutOfNetwork = NetworkTerms  # the name the out-of-network block had before in-network terms
InNetwork = NetworkTerms


class MetCounters(StrictModel):
    """What one network's counters hold this plan year, before the treatment starts."""

    deductible: Money = Decimal(0)
    out_of_pocket: Money = Decimal(0)


class AlreadyMet(StrictModel):
    """What has already counted this plan year, before the treatment starts.

    Flat (``deductible``, ``out_of_pocket``): it counts toward the network the
    clinic uses. Per network (``in_network: {...}``, ``out_of_network: {...}``):
    where it was met; with shared accumulators both count toward either network.
    """

    deductible: Money = Decimal(0)
    out_of_pocket: Money = Decimal(0)
    in_network: MetCounters | None = None
    out_of_network: MetCounters | None = None

    @model_validator(mode="after")
    def _one_form(self) -> AlreadyMet:
        flat = {"deductible", "out_of_pocket"} & self.model_fields_set
        if flat and self.per_network and (self.deductible or self.out_of_pocket):
            raise Invalid(
                "already_met mixes the flat form with the per-network form",
                "give deductible and out_of_pocket alone (they count toward the clinic's"
                " network), or only in_network: {...} and out_of_network: {...}",
                key=sorted(flat)[0],
            )
        return self

    @property
    def per_network(self) -> bool:
        """Whether the per-network form was given."""
        return self.in_network is not None or self.out_of_network is not None

    def toward(self, network: str, shared: bool) -> tuple[Decimal, Decimal]:
        """Return the (deductible, out-of-pocket) already met on ``network``'s counters."""
        if not self.per_network:
            return self.deductible, self.out_of_pocket
        own = self.in_network if network == "in-network" else self.out_of_network
        other = self.out_of_network if network == "in-network" else self.in_network
        counted = [own] + ([other] if shared else [])
        met = [c for c in counted if c is not None]
        return (
            sum((c.deductible for c in met), Decimal(0)),
            sum((c.out_of_pocket for c in met), Decimal(0)),
        )


class Claims(StrictModel):
    """How claims are paid."""

    paid_after_days: Annotated[int, Field(ge=0, le=730)] = 45
    filing_deadline_days: Annotated[int, Field(ge=1, le=3650)] = 90  # visit → claim filed by


class Scenario(AllowedInput):
    """One way the claims could go; each given key overrides the plan's terms."""

    name: Text
    probability: Percent | None = None
    covered: bool | None = None
    deductible: Money | None = None
    copay: Money | None = None
    coinsurance: Percent | None = None
    out_of_pocket_max: Money | None = None
    allowed: Allowed | None = None
    paid_after_days: Annotated[int, Field(ge=0, le=730)] | None = None


OPTED_OUT = (
    "The clinic is out of network for Medicare: it has opted out (a private contract), so"
    " Medicare pays none of its charges and there is nothing to claim."
)


@dataclass(frozen=True, slots=True)
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
    copay: Decimal = Decimal(0)
    network: str = "out-of-network"
    coverage: str = "commercial"
    accumulators: str = "separate"
    claimable: bool = True  # False: nothing can be claimed (a clinic that opted out of Medicare)
    note: str | None = None

    @property
    def in_network(self) -> bool:
        """Whether the plan pays the clinic (in network, or Medicare with assignment)."""
        return self.network == "in-network"

    def to_dict(self) -> dict[str, Any]:
        """Return the terms as JSON-ready data (money as strings, percentages as "40%")."""
        cap = self.out_of_pocket_max
        return {
            "scenario": self.name,
            "coverage": self.coverage,
            "network": self.network,
            "covered": self.covered,
            "claimable": self.claimable,
            "deductible": str(round_cents(self.deductible)),
            "copay": str(round_cents(self.copay)),
            "coinsurance": rule_text(PercentOfBilled(percent=self.coinsurance)),
            "out_of_pocket_max": None if cap is None else str(round_cents(cap)),
            "allowed": rule_text(self.allowed),
            "paid_after_days": self.paid_after_days,
            "plan_year_starts": f"{self.plan_year_starts[0]:02d}-{self.plan_year_starts[1]:02d}",
            "accumulators": self.accumulators,
            "already_met": {
                "deductible": str(round_cents(self.met_deductible)),
                "out_of_pocket": str(round_cents(self.met_out_of_pocket)),
            },
            "note": self.note,
        }


class Plan(StrictModel):
    """An insurance plan profile (DESIGN §3)."""

    kind: Literal["plan"] | None = None
    name: Text
    currency: Currency = "USD"
    source: Source | None = None
    coverage: Coverage = "commercial"
    plan_year_starts: MonthDay = (1, 1)
    covered: bool = True
    in_network: NetworkTerms | None = None
    out_of_network: NetworkTerms | None = None
    accumulators: Literal["separate", "shared"] = "separate"
    already_met: AlreadyMet = Field(default_factory=lambda: AlreadyMet())
    claims: Claims = Field(default_factory=lambda: Claims())
    scenarios: list[Scenario] = []

    @model_validator(mode="after")
    def _medicare(self) -> Plan:
        if self.coverage in MEDICARE and self.plan_year_starts != (1, 1):
            raise Invalid(
                "Medicare runs on the calendar year; plan_year_starts must be 01-01",
                'write plan_year_starts: "01-01" or leave it out',
                key="plan_year_starts",
            )
        if self.coverage != "medicare":
            return self
        for block in ("in_network", "out_of_network"):
            terms = getattr(self, block)
            if terms is not None and terms.out_of_pocket_max is not None:
                raise Invalid(
                    "Original Medicare has no out-of-pocket cap; out_of_pocket_max is not"
                    f" allowed in {block} with coverage: medicare",
                    "remove it, or use coverage: medicare-advantage for a plan with a yearly cap",
                    key=f"{block}.out_of_pocket_max",
                )
        for scenario in self.scenarios:
            if scenario.out_of_pocket_max is not None:
                raise Invalid(
                    f"scenario {scenario.name!r} sets out_of_pocket_max, but Original"
                    " Medicare has no out-of-pocket cap",
                    "remove it, or use coverage: medicare-advantage",
                    key="scenarios",
                )
        return self

    @model_validator(mode="after")
    def _probabilities(self) -> Plan:
        given = [s.probability for s in self.scenarios if s.probability is not None]
        if given and len(given) != len(self.scenarios):
            raise Invalid(
                "some scenarios have a probability and some do not",
                "give every scenario a probability, or none",
                key="scenarios",
            )
        if given and sum(given) != 1:
            total = sum(given)
            raise Invalid(
                f"scenario probabilities add up to {total}, not 1",
                "adjust them so they sum to exactly 1 (e.g. 0.5, 0.4, 0.1)",
                key="scenarios",
            )
        names = [s.name for s in self.scenarios]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise Invalid(
                f"scenario name {duplicates[0]!r} is used twice",
                "give each scenario its own name",
                key="scenarios",
            )
        return self

    def opted_out(self, network: str) -> bool:
        """Whether a clinic billing ``network`` is outside Medicare (opted out): nothing to claim."""
        return self.coverage in MEDICARE and network == "out-of-network"

    def missing_terms(
        self,
        network: str,
        instead: str = "estimate the clinic in the other network (its billing.network)",
    ) -> Invalid | None:
        """Return why this plan cannot adjudicate a ``network`` clinic's claims, or None.

        The block for the clinic's network must be given, unless every scenario
        is denied (``covered: false``) or the clinic has opted out of Medicare.
        """
        block = BLOCKS.get(network)
        if block is None or getattr(self, block) is not None or self.opted_out(network):
            return None
        if network == "out-of-network" and self.in_network is None:
            return None  # no terms at all: the out-of-network defaults (allowed 100%, nothing owed)
        scenarios = self.scenarios or [Scenario(name=self.name)]
        if all(not (self.covered if s.covered is None else s.covered) for s in scenarios):
            return None
        other = "out_of_network" if block == "in_network" else "in_network"
        given = f"; it has only {other}" if getattr(self, other) is not None else ""
        return Invalid(
            f"the clinic bills {network}, but the plan {self.name!r} has no {block} terms{given}",
            f"add an {block}: block (deductible, copay, coinsurance, allowed) to the plan,"
            f" or {instead}",
        )

    def terms(self, network: str | None = None) -> list[Terms]:
        """Return the scenarios to adjudicate under ``network``: each override applied.

        Without ``network``: out of network, unless the plan gives only in-network
        terms. Raises ``Invalid`` when the plan lacks the block ``network``
        needs (see ``missing_terms``).
        """
        if network is None:
            only_in = self.in_network is not None and self.out_of_network is None
            network = "in-network" if only_in else "out-of-network"
        problem = self.missing_terms(network)
        if problem is not None:
            raise problem
        block = BLOCKS.get(network, "out_of_network")
        base = getattr(self, block) or NetworkTerms()
        opted_out = self.opted_out(network)
        met_deductible, met_out_of_pocket = self.already_met.toward(
            network, self.accumulators == "shared"
        )
        scenarios = self.scenarios or [Scenario(name=self.name)]
        return [
            Terms(
                name=s.name,
                probability=s.probability,
                covered=(self.covered if s.covered is None else s.covered) and not opted_out,
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
                met_deductible=met_deductible,
                met_out_of_pocket=met_out_of_pocket,
                copay=base.copay if s.copay is None else s.copay,
                network=network,
                coverage=self.coverage,
                accumulators=self.accumulators,
                claimable=not opted_out,
                note=OPTED_OUT if opted_out else None,
            )
            for s in scenarios
        ]


__all__ = [
    "AlreadyMet",
    "ByCode",
    "Claims",
    "Coverage",
    "InNetwork",
    "MetCounters",
    "Network",
    "NetworkTerms",
    "OutOfNetwork",
    "PerClaim",
    "PercentOfBilled",
    "Plan",
    "Scenario",
    "Terms",
]
