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
    # The figures not yet published for this year when it was written, taken from the
    # year before (``carried_from``), by their names in words (see ``CARRIED``).
    carried: tuple[str, ...] = ()
    carried_from: int | None = None


# The figures a year may take from the year before, in words: the IRS publishes the HSA
# and high-deductible plan figures in May, the others in October and December.
CARRIED = (
    "the standard deduction",
    "the 65-or-older addition",
    "the health FSA limit",
    "the medical mileage rate",
)


FIGURES = {
    2025: YearFigures(
        year=2025,
        # Rev. Proc. 2024-25 (HSA, HDHP; luminarehealth.com, tasconline.com)
        hsa_self=Decimal("4300"),
        hsa_family=Decimal("8550"),
        fsa=Decimal("3300"),  # Rev. Proc. 2024-40 (medcost.com, tasconline.com)
        standard={  # as raised by the One Big Beautiful Bill Act (accountingtoday.com)
            "single": Decimal("15750"),
            "joint": Decimal("31500"),
            "head": Decimal("23625"),
        },
        over_65_unmarried=Decimal("2000"),  # Rev. Proc. 2024-40
        over_65_married=Decimal("1600"),
        mileage_rate=Decimal("0.21"),  # IRS Notice 2025-5 (kpmg.com)
        hsa_catch_up=Decimal("1000"),
        hdhp_min_deductible={"self": Decimal("1650"), "family": Decimal("3300")},
        hdhp_max_out_of_pocket={"self": Decimal("8300"), "family": Decimal("16600")},
    ),
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
    ),
    2027: YearFigures(
        year=2027,
        # Rev. Proc. 2026-24 (May 2026, quoted in benefitslink.com's 2026-05-29 bulletin):
        # the HSA limits and the high-deductible plan's bounds
        hsa_self=Decimal("4500"),
        hsa_family=Decimal("9000"),
        hsa_catch_up=Decimal("1000"),  # fixed in the law
        hdhp_min_deductible={"self": Decimal("1750"), "family": Decimal("3500")},
        hdhp_max_out_of_pocket={"self": Decimal("8700"), "family": Decimal("17400")},
        # not yet known here: 2026's, and the notes say so
        fsa=Decimal("3400"),
        standard={"single": Decimal("16100"), "joint": Decimal("32200"), "head": Decimal("24150")},
        over_65_unmarried=Decimal("2050"),
        over_65_married=Decimal("1650"),
        mileage_rate=Decimal("0.205"),
        carried=CARRIED,
        carried_from=2026,
    ),
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
    " Notice 2004-50, Q&A-37). 2027 figures: HSA limit $4,500 self-only / $9,000 family;"
    " a high-deductible plan's deductible at least $1,750 / $3,500 and out-of-pocket"
    " maximum at most $8,700 / $17,400 (Rev. Proc. 2026-24); the others are not yet known"
    " here, and 2026's are used. 2025 figures: HSA $4,300 / $8,550, health FSA $3,300,"
    " high-deductible plan $1,650 / $3,300 and $8,300 / $16,600 (Rev. Procs. 2024-25 and"
    " 2024-40); standard deduction $15,750 / $31,500 / $23,625 (the One Big Beautiful Bill"
    " Act); 65-or-older addition $2,000 / $1,600 (Rev. Proc. 2024-40); medical mileage 21"
    " cents a mile (IRS Notice 2025-5)."
)
OVER_65_SOURCE = (
    "The 65-or-older addition ($2,050 single or head of household, $1,650 per spouse"
    " filing jointly, 2026) comes from one third-party page, not an IRS page: check it."
)


def figures_for(year: int) -> YearFigures:
    """Return the figures for ``year``: its own, else the latest known year's (the earliest
    held, for a year before it)."""
    known = [y for y in FIGURES if y <= year]
    return FIGURES[max(known) if known else min(FIGURES)]


def figure_year(year: int, name: str) -> int:
    """Return the year whose figure ``name`` (as ``CARRIED`` words it) is used for ``year``."""
    figures = figures_for(year)
    if name in figures.carried and figures.carried_from is not None:
        return figures.carried_from
    return figures.year


def mileage_year(year: int) -> int:
    """Return the year whose medical mileage rate is used for ``year``."""
    return figure_year(year, "the medical mileage rate")


def figures_said(year: int) -> str | None:
    """Return, in words, whose figures ``year`` is worked with when not all its own, or None."""
    figures = figures_for(year)
    if figures.year > year:
        return f"{year}: figures for {year} are not held; {figures.year}'s are used."
    carried = figures.carried
    if figures.year == year:
        if not carried:
            return None
        return (
            f"{year}: {_listed(carried)} are {figures.carried_from}'s, the latest published;"
            f" the HSA and high-deductible plan figures are {year}'s."
        )
    if not carried:
        return f"{year}: no published figures yet; {figures.year}'s (the latest known) are used."
    return (
        f"{year}: no published figures yet; the latest known are used: {figures.year}'s HSA"
        f" and high-deductible plan figures, {figures.carried_from}'s {_listed(carried, 'the ')}."
    )


def _listed(names: tuple[str, ...], drop: str = "") -> str:
    words = [n.removeprefix(drop) for n in names]
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]
