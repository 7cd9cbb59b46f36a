"""Published US tax figures by year, each with its source (docs/tax.md lists them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class YearFigures:
    """One tax year's published figures (docs/tax.md)."""

    year: int
    hsa_self: Decimal
    hsa_family: Decimal
    fsa: Decimal
    standard: dict[str, Decimal]  # by filing status
    over_65_unmarried: Decimal  # added per person 65 or older, single or head of household
    over_65_married: Decimal  # added per spouse 65 or older, filing jointly
    mileage_rate: Decimal  # medical miles, dollars a mile
    hsa_catch_up: Decimal  # added to the HSA limit at 55 or older
    hdhp_min_deductible: dict[str, Decimal]  # by HSA kind ("self", "family"), in network
    hdhp_max_out_of_pocket: dict[str, Decimal]


FIGURES = {
    2026: YearFigures(
        year=2026,
        hsa_self=Decimal("4400"),  # sba-inc.com; crateshealth.com
        hsa_family=Decimal("8750"),
        fsa=Decimal("3400"),
        standard={  # IRS inflation adjustments, Oct 2025 (wicpa.org)
            "single": Decimal("16100"),
            "joint": Decimal("32200"),
            "head": Decimal("24150"),
        },
        # Additional standard deduction at 65 or older for 2026: $2,050 unmarried,
        # $1,650 per married spouse. Confirmed by one third-party page
        # (themoneyoverview.com, citing the IRS's 2026 inflation adjustments), not by
        # an IRS page we hold: treat as unverified until checked against Rev. Proc. 2025-32.
        over_65_unmarried=Decimal("2050"),
        over_65_married=Decimal("1650"),
        mileage_rate=Decimal("0.205"),  # IRS Notice 2026-10
        # Rev. Proc. 2025-19: HDHP minimum deductible and out-of-pocket maximum, and the
        # HSA catch-up contribution at 55 or older (a fixed amount in the law)
        hsa_catch_up=Decimal("1000"),
        hdhp_min_deductible={"self": Decimal("1700"), "family": Decimal("3400")},
        hdhp_max_out_of_pocket={"self": Decimal("8500"), "family": Decimal("17000")},
    )
}
SOURCES = (
    "2026 figures: medical expenses deductible above 7.5% of AGI, itemized deductions"
    " only (IRS Schedule A instructions); HSA contribution limit $4,400 self-only /"
    " $8,750 family, health FSA $3,400 (sba-inc.com; crateshealth.com); standard"
    " deduction $16,100 single, $32,200 joint, $24,150 head of household (IRS, Oct 2025);"
    " medical mileage 20.5 cents a mile (IRS Notice 2026-10); a later reimbursement is"
    " income up to the earlier deduction that cut tax (taxbuzz.com); a high-deductible"
    " plan for an HSA has an in-network deductible of at least $1,700 self-only / $3,400"
    " family and an out-of-pocket maximum of at most $8,500 / $17,000, and the catch-up"
    " contribution at 55 or older is $1,000 (Rev. Proc. 2025-19); HSA money for an"
    " expense the plan reimburses later goes back by April 15 of the next year (IRS"
    " Notice 2004-50, Q&A-37)."
)
OVER_65_SOURCE = (
    "The 65-or-older addition ($2,050 single or head of household, $1,650 per spouse"
    " filing jointly, 2026) comes from one third-party page, not an IRS page: check it."
)


def figures_for(year: int) -> YearFigures:
    """Return the figures for ``year``: its own, else the latest known year's."""
    known = [y for y in FIGURES if y <= year]
    return FIGURES[max(known) if known else min(FIGURES)]
