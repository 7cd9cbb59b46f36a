"""An insurance plan: coverage, in- and out-of-network terms, counters, and the scenarios to weigh."""

from __future__ import annotations

import calendar
from collections.abc import Collection
from decimal import Decimal
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import Field, PlainSerializer, PlainValidator, WithJsonSchema, model_validator

from ..errors import Invalid
from ..money import round_cents
from .allowed import Allowed, AllowedInput, ByCode, PercentOfBilled, PerClaim, rule_text
from .common import Currency, Date, Money, Percent, Source, StrictModel, Text


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
    copay_only: bool = (
        False  # the copay replaces deductible and coinsurance (docs/insurance-rules.md)
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
    # the day these counters were read (an EOB, the plan's website): they count for the
    # plan year that holds it; left out, for the plan year of the treatment's start
    as_of: Date | None = None

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
    def anything(self) -> bool:
        """Whether any amount is already met."""
        counters = [c for c in (self.in_network, self.out_of_network) if c is not None]
        return bool(
            self.deductible
            or self.out_of_pocket
            or any(c.deductible or c.out_of_pocket for c in counters)
        )

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
        # each network's deductible met has filled its own cap as much (claims._opening), so
        # what fills the shared cap is the larger of the two per network, then the sum
        return (
            sum((c.deductible for c in met), Decimal(0)),
            sum((max(c.out_of_pocket, c.deductible) for c in met), Decimal(0)),
        )


# Days from a session to its reimbursement when the plan does not say: 63, that is 45
# business days, the slow end of the 30 to 45 business days claims services report for
# an out-of-network claim (docs/plan-format.md). A faster default would show the money
# back sooner, and the cash needed up front smaller, than a patient may find them.
PAID_AFTER_DAYS = 63


class Claims(StrictModel):
    """How claims are paid."""

    paid_after_days: Annotated[int, Field(ge=0, le=730)] = PAID_AFTER_DAYS
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
    copay_only: bool | None = None

    def overrides(self) -> dict[str, Any]:
        """Return the terms this scenario gives, by their names in ``Terms``."""
        return {key: value for key, value in self.__dict__.items() if value is not None}


OPTED_OUT = (
    "The clinic is out of network for Medicare: it has opted out (a private contract), so"
    " Medicare pays none of its charges and there is nothing to claim."
)
MA_HMO = (
    "The plan has no out-of-network terms (a Medicare Advantage HMO): it pays nothing to a"
    " clinic outside its network, so there is nothing to claim."
)
MA_ENROLLED = (
    "The clinic is out of network but enrolled in Medicare: it files the claim with the"
    " Medicare Advantage plan, which pays it under the plan's out-of-network terms; you pay"
    " your share at the visit. A limiting charge on balance bills is not modelled."
)
MedicareStatus = Literal["enrolled", "opted-out"]


class Terms(NamedTuple):
    """The resolved rules one scenario adjudicates claims by.

    A named tuple: a value, equal to and hashed like any other with the same
    fields, made cheaply for each scenario of each plan.
    """

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
    copay_only: bool = False  # each claim: the copay and nothing else, toward the cap
    clinic_files: bool = False  # out of network, but the clinic files and the plan pays it

    @property
    def in_network(self) -> bool:
        """Whether the plan pays the clinic (in network, Medicare with assignment, or a
        Medicare-enrolled clinic out of a Medicare Advantage plan's network)."""
        return self.network == "in-network" or self.clinic_files

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
            "copay_only": self.copay_only,
            "clinic_files": self.clinic_files,
        }


class Plan(StrictModel):
    """An insurance plan profile (docs/plan-format.md)."""

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
    hdhp: bool | None = None  # a high-deductible plan for an HSA, when no in_network block says so

    # The terms of each network, worked out on first use and kept with the plan (a frozen
    # plan's terms never change), so a script that estimates one plan against many clinics
    # resolves them once. Outside what equality, copies and dumps look at, like the hash.
    __slots__ = ("_terms_kept",)

    def model_post_init(self, context: Any, /) -> None:
        """Leave room for the terms, as for the hash."""
        super().model_post_init(context)
        object.__setattr__(self, "_terms_kept", None)

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
        # --scenario finds a name whatever its case: two that differ only so are one name
        names = [" ".join(s.name.casefold().split()) for s in self.scenarios]
        for place, name in enumerate(names):
            if names.index(name) != place:
                first = self.scenarios[names.index(name)].name
                said = self.scenarios[place].name
                used = "used twice" if said == first else f"used twice ({first!r} and {said!r})"
                raise Invalid(
                    f"scenario name {first!r} is {used}",
                    "give each scenario its own name (names are matched whatever their case)",
                    key="scenarios",
                )
        return self

    def opted_out(self, network: str, medicare: MedicareStatus = "opted-out") -> bool:
        """Whether a clinic billing ``network`` is outside Medicare (opted out): nothing to claim."""
        return self.coverage in MEDICARE and network == "out-of-network" and medicare == "opted-out"

    def given(self, block: str) -> bool:
        """Whether the plan states terms in ``block``: an empty block (``{}``) states none."""
        terms = getattr(self, block)
        return terms is not None and bool(terms.model_fields_set)

    def pays_nothing_there(self, network: str, medicare: MedicareStatus = "opted-out") -> bool:
        """Whether nothing is claimable: an opted-out clinic, or an MA HMO's enrolled outsider."""
        if self.opted_out(network, medicare):
            return True
        return (
            self.coverage == "medicare-advantage"
            and network == "out-of-network"
            and not self.given("out_of_network")
        )

    def medicare_conflict(self, network: str, medicare: MedicareStatus) -> Invalid | None:
        """Return why an enrolled clinic cannot be out of network for Original Medicare."""
        if self.coverage == "medicare" and network == "out-of-network" and medicare == "enrolled":
            return Invalid(
                "a clinic enrolled in Medicare bills Original Medicare itself, so it is not out"
                f" of network for the plan {self.name!r}",
                "describe the clinic as billing.network: in-network; out-of-network means"
                " it has opted out (billing.medicare: opted-out)",
            )
        return None

    def missing_terms(
        self,
        network: str,
        instead: str = "estimate the clinic in the other network (its billing.network)",
        medicare: MedicareStatus = "opted-out",
    ) -> Invalid | None:
        """Return why this plan cannot adjudicate a ``network`` clinic's claims, or None.

        The block for the clinic's network must be given and not empty, unless
        every scenario is denied (``covered: false``), the clinic has opted out of
        Medicare, or a Medicare Advantage plan without out-of-network terms (an
        HMO) pays nothing to an enrolled clinic outside its network.
        """
        block = BLOCKS.get(network)
        if block is None or self.given(block) or self.pays_nothing_there(network, medicare):
            return None
        scenarios = self.scenarios or [Scenario(name=self.name)]
        if all(not (self.covered if s.covered is None else s.covered) for s in scenarios):
            return None
        other = "out_of_network" if block == "in_network" else "in_network"
        if getattr(self, block) is not None:
            given = f"; its {block} block is empty"
        elif self.given(other):
            given = f"; it has only {other}"
        else:
            given = ""
        return Invalid(
            f"the clinic bills {network}, but the plan {self.name!r} has no {block} terms{given}",
            f"add an {block}: block (deductible, copay, coinsurance, allowed) to the plan,"
            f" or {instead}",
        )

    def unstated_terms(
        self, network: str, medicare: MedicareStatus = "opted-out", stated: Collection[str] = ()
    ) -> list[str]:
        """Return the terms of ``network``'s block that a covered scenario would take from
        the defaults most generous to the person (docs/assumptions.md): coinsurance (the
        copay, for a copay-only plan), out of network, except under Medicare, the allowed
        amount, and under Original Medicare the deductible (Part B's, published each year:
        $0 would flatter). ``stated`` names terms given elsewhere (a sweep's varied keys).

        In network a 100% allowed amount is the careful default (the clinic writes off
        what is not allowed, and your share is worked out on all of it), and Medicare's
        allowed amount is its own fee schedule, so neither is asked for.
        """
        block = BLOCKS.get(network)
        terms = None if block is None else getattr(self, block)
        if terms is None or self.pays_nothing_there(network, medicare):
            return []
        missing: list[str] = []
        for scenario in self.scenarios or [Scenario(name=self.name)]:
            if not (self.covered if scenario.covered is None else scenario.covered):
                continue
            given = {*stated, *terms.model_fields_set, *scenario.model_fields_set}
            copay_only = terms.copay_only if scenario.copay_only is None else scenario.copay_only
            required = ["copay" if copay_only else "coinsurance"]
            if network == "out-of-network" and self.coverage not in MEDICARE:
                required.insert(0, "allowed")
            if self.coverage == "medicare" and not copay_only:  # Part B's is published yearly
                required.insert(0, "deductible")
            missing += [name for name in required if name not in given and name not in missing]
        return missing

    def terms(
        self, network: str | None = None, medicare: MedicareStatus = "opted-out"
    ) -> list[Terms]:
        """Return the scenarios to adjudicate under ``network``: each override applied.

        Without ``network``: out of network, unless the plan gives only in-network
        terms. ``medicare`` is the clinic's Medicare status (``billing.medicare``).
        Raises ``Invalid`` when the plan lacks the block ``network`` needs (see
        ``missing_terms``) or an enrolled clinic is out of network for Original Medicare.
        """
        if network is None:
            only_in = self.in_network is not None and self.out_of_network is None
            network = "in-network" if only_in else "out-of-network"
        try:
            kept: dict[tuple[str, str], tuple[Terms, ...]] | None = object.__getattribute__(
                self, "_terms_kept"
            )
        except AttributeError:  # a copy: made without validation
            kept = None
        if kept is None:
            kept = {}
            object.__setattr__(self, "_terms_kept", kept)
        found = kept.get((network, medicare))
        if found is None:
            found = kept[network, medicare] = tuple(self._resolve(network, medicare))
        return list(found)

    def _resolve(self, network: str, medicare: MedicareStatus) -> list[Terms]:
        problem = self.medicare_conflict(network, medicare) or self.missing_terms(
            network, medicare=medicare
        )
        if problem is not None:
            raise problem
        block = BLOCKS.get(network, "out_of_network")
        base = getattr(self, block) or NetworkTerms()
        nothing = self.pays_nothing_there(network, medicare)
        clinic_files = (
            not nothing and self.coverage == "medicare-advantage" and network == "out-of-network"
        )
        note = (
            (OPTED_OUT if self.opted_out(network, medicare) else MA_HMO)
            if nothing
            else MA_ENROLLED
            if clinic_files
            else None
        )
        met_deductible, met_out_of_pocket = self.already_met.toward(
            network, self.accumulators == "shared"
        )
        written = Terms(
            name=self.name,
            probability=None,
            covered=self.covered and not nothing,
            deductible=base.deductible,
            coinsurance=base.coinsurance,
            out_of_pocket_max=base.out_of_pocket_max,
            allowed=base.allowed,
            paid_after_days=self.claims.paid_after_days,
            plan_year_starts=self.plan_year_starts,
            met_deductible=met_deductible,
            met_out_of_pocket=met_out_of_pocket,
            copay=base.copay,
            network=network,
            coverage=self.coverage,
            accumulators=self.accumulators,
            claimable=not nothing,
            note=note,
            copay_only=base.copay_only,
            clinic_files=clinic_files,
        )
        if not self.scenarios:
            return [written]
        # each scenario: the terms as written, with what the scenario gives in their place
        resolved = [written._replace(**s.overrides()) for s in self.scenarios]
        if nothing:  # a scenario that says covered: true cannot make the plan pay there
            resolved = [t._replace(covered=False) if t.covered else t for t in resolved]
        return resolved


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
