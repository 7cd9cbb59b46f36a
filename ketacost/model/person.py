"""The person file: a person's plan, scenario, ledger and tax situation, stated once.

Read by every command (docs/person-file.md); each value stands in for a flag
the person did not give.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import model_validator

from ..errors import Invalid
from .common import Date, Money, Percent, Scalar, StrictModel, Text

# The US states, the District of Columbia and the territories, by postal code.
STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "AS",
        "GU",
        "MP",
        "PR",
        "VI",
    ]
)
MAX_MILES_PER_VISIT = Decimal(10_000)


def _state(value: object) -> str:
    if not isinstance(value, str) or value.strip().upper() not in STATES:
        raise Invalid(
            f"{value!r} is not a US state's two-letter code",
            "write the postal code, e.g. NJ or CA",
        )
    return value.strip().upper()


State = Annotated[
    str, Scalar(_state, {"type": "string", "enum": sorted(STATES), "description": "e.g. NJ"})
]


def _miles(value: object) -> Decimal:
    from ..money import parse_decimal

    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise Invalid(f"expected a number of miles, got {value!r}", "e.g. 12")
    miles = parse_decimal(str(value))
    if not 0 <= miles <= MAX_MILES_PER_VISIT or miles != miles.quantize(Decimal("0.01")):
        raise Invalid(
            f"{value} is not a round trip in miles",
            f"give the miles per visit, up to {MAX_MILES_PER_VISIT:,} with at most two decimals",
        )
    return miles


Miles = Annotated[
    Decimal,
    Scalar(_miles, {"type": "number", "minimum": 0, "maximum": 10000}, write=str),
]


class PersonTax(StrictModel):
    """What the tax estimate needs: filing status, income and the marginal rate."""

    filing: Literal["single", "joint", "head"] | None = None
    agi: Money | None = None
    marginal_rate: Percent | None = None
    other_itemized: Money | None = None
    other_medical: Money | None = None

    @model_validator(mode="after")
    def _complete(self) -> PersonTax:
        if self.filing is not None and self.agi is None:
            raise ValueError(
                "filing needs agi: the deduction is what is above 7.5% of it; add agi: 60000"
            )
        if self.filing is None and self.other_itemized is not None:
            raise ValueError(
                "other_itemized counts only against a standard deduction: add filing:"
                " single, joint or head"
            )
        return self


class PersonSavings(StrictModel):
    """What the person knows of the esketamine savings program's limits."""

    observation_rebate_cap: Money | None = None


class Person(StrictModel):
    """One person's situation: defaults for every command, each overridden by a flag."""

    kind: Literal["person"]
    plan: Text | None = None  # a plan file, relative to the person file
    scenario: Text | None = None  # the plan's scenario that stands for "what I expect"
    ledger: Text | None = None  # the default ledger, relative to the person file
    state: State | None = None
    born: Date | None = None
    over_65: bool | None = None
    tax: PersonTax | None = None
    hsa: Literal["self", "family", "none"] | None = None
    fsa: Money | None = None  # the year's health FSA election
    miles_per_visit: Miles | None = None
    savings: PersonSavings | None = None

    @model_validator(mode="after")
    def _hsa_or_fsa(self) -> Person:
        if self.hsa in ("self", "family") and self.fsa:  # fsa: 0 says there is none
            raise Invalid(
                "an HSA and a health FSA cannot both be used: a general-purpose health FSA"
                " makes you ineligible to contribute to an HSA (IRS Publication 969)",
                "keep the one you have: hsa: none with fsa:, or leave fsa: out (a"
                " limited-purpose dental and vision FSA, the kind that goes with an HSA, does"
                " not pay for this treatment)",
                key="fsa",
            )
        return self

    def turns_65_in(self) -> int | None:
        """Return the first tax year in which the person counts as 65, from ``born`` (the
        day before the 65th birthday counts); None without a birth date."""
        if self.born is None:
            return None
        return (_add_years(self.born, 65) - dt.timedelta(days=1)).year

    def people_over_65(self, on: dt.date) -> int:
        """Return 1 when the person is 65 or older by the end of ``on``'s year, else 0.

        The tax rules count a person as 65 on the day before their 65th birthday,
        so someone born on January 1 is 65 for the whole year before.
        """
        if self.over_65 is not None:
            return int(self.over_65)
        turns = self.turns_65_in()
        return 0 if turns is None else int(turns <= on.year)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29 in a year without one
        return day.replace(year=day.year + years, day=28)
