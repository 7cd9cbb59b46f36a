"""Published US tax figures by year (facts.md, "Tax (US, 2026)"), each with its source."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class YearFigures:
    """One tax year's published figures (facts.md, "Tax (US, 2026)")."""

    year: int
    hsa_self: Decimal
    hsa_family: Decimal
    fsa: Decimal
    standard: dict[str, Decimal]  # by filing status
    over_65_unmarried: Decimal  # added per person 65 or older, single or head of household
    over_65_married: Decimal  # added per spouse 65 or older, filing jointly
    mileage_rate: Decimal  # medical miles, dollars a mile


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
    )
}
SOURCES = (
    "2026 figures: medical expenses deductible above 7.5% of AGI, itemized deductions"
    " only (IRS Schedule A instructions); HSA contribution limit $4,400 self-only /"
    " $8,750 family, health FSA $3,400 (sba-inc.com; crateshealth.com); standard"
    " deduction $16,100 single, $32,200 joint, $24,150 head of household (IRS, Oct 2025);"
    " medical mileage 20.5 cents a mile (IRS Notice 2026-10); a later reimbursement is"
    " income up to the earlier deduction that cut tax (taxbuzz.com)."
)
OVER_65_SOURCE = (
    "The 65-or-older addition ($2,050 single or head of household, $1,650 per spouse"
    " filing jointly, 2026) comes from one third-party page, not an IRS page: check it."
)


def figures_for(year: int) -> YearFigures:
    """Return the figures for ``year``: its own, else the latest known year's."""
    known = [y for y in FIGURES if y <= year]
    return FIGURES[max(known) if known else min(FIGURES)]
