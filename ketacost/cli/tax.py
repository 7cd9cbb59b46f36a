"""The tax flags: read at the edge into one typed ``TaxTerms`` for the engine."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from ..errors import InputError
from ..money import ZERO, parse_decimal, parse_money, parse_percent, round_cents
from .options import read_flag

if TYPE_CHECKING:
    from ..engine.tax import Filing, HsaCoverage, TaxTerms


class FilingStatus(str, Enum):
    single = "single"
    joint = "joint"
    head = "head"


class HsaKind(str, Enum):
    self_only = "self"
    family = "family"


_HSA: dict[HsaKind, HsaCoverage] = {HsaKind.self_only: "self", HsaKind.family: "family"}
_FILING: dict[FilingStatus, Filing] = {
    FilingStatus.single: "single",
    FilingStatus.joint: "joint",
    FilingStatus.head: "head",
}


def tax_terms(
    marginal_rate: str | None,
    agi: str | None,
    *,
    hsa: HsaKind | None = None,
    hsa_catch_up: bool = False,
    fsa: bool = False,
    filing: FilingStatus | None = None,
    other_itemized: str | None = None,
    over_65: int = 0,
    other_medical: str | None = None,
    miles: str | None = None,
    turns_65: int | None = None,
) -> TaxTerms | None:
    """Return the tax terms the flags describe, or None when no tax flag is given.

    ``turns_65``: the tax year from which the person file's birth date counts its person
    as 65 (after the first year; see ``Person.people_over_65``)."""
    given = {
        "--agi": agi is not None,
        "--hsa": hsa is not None,
        "--hsa-catch-up": hsa_catch_up,
        "--fsa": fsa,
        "--filing": filing is not None,
        "--other-itemized": other_itemized is not None,
        "--over-65": over_65 > 0,
        "--other-medical": other_medical is not None,
        "--miles": miles is not None,
    }
    named = [flag for flag, present in given.items() if present]
    if marginal_rate is None:
        if named:
            raise InputError.single(
                named[0], "needs --marginal-rate", "e.g. --marginal-rate 22% (your tax bracket)"
            )
        return None
    from ..engine.tax import MAX_MILES, TaxTerms  # the tax code loads only with tax flags

    rate = read_flag("--marginal-rate", marginal_rate, parse_percent, "e.g. 22%")
    income = None if agi is None else read_flag("--agi", agi, parse_money, "e.g. --agi 60000")
    if hsa is not None and fsa:
        raise InputError.single(
            "--hsa",
            "an HSA and a health FSA cannot both pay: a general-purpose health FSA makes you"
            " ineligible to contribute to an HSA",
            "give the one you have: --hsa self|family or --fsa (IRS Pub 969)",
        )
    if hsa_catch_up and hsa is None:
        raise InputError.single(
            "--hsa-catch-up",
            "needs --hsa: the catch-up contribution is for an HSA",
            "add --hsa self or --hsa family",
        )
    if filing is not None and income is None:
        raise InputError.single(
            "--filing", "needs --agi: the deduction is what is above 7.5% of it", "add --agi 60000"
        )
    for flag in ("--other-itemized", "--over-65"):
        if given[flag] and filing is None:
            raise InputError.single(
                flag,
                "needs --filing: it counts only against a standard deduction",
                "add --filing single, joint or head",
            )
    most = 2 if filing is FilingStatus.joint else 1
    if over_65 > most:
        raise InputError.single(
            "--over-65",
            f"given {over_65} times; a {filing.value if filing else 'single'} return has at"
            f" most {most} people 65 or older",
            "give --over-65 once, or twice with --filing joint when both spouses are",
        )
    miles_per_visit = (
        ZERO if miles is None else read_flag("--miles", miles, parse_decimal, "e.g. 30")
    )
    if miles_per_visit > MAX_MILES or round_cents(miles_per_visit) != miles_per_visit:
        raise InputError.single(
            "--miles",
            f"{miles} is not a round trip in miles",
            f"give the miles per visit, up to {MAX_MILES:,} with at most two decimals, e.g. 30",
        )
    return TaxTerms(
        marginal_rate=rate,
        agi=income,
        hsa=None if hsa is None else _HSA[hsa],
        hsa_catch_up=hsa_catch_up,
        fsa=fsa,
        filing=None if filing is None else _FILING[filing],
        other_itemized=ZERO
        if other_itemized is None
        else read_flag("--other-itemized", other_itemized, parse_money, "e.g. 9000"),
        over_65=over_65,
        turns_65=turns_65,
        other_medical=ZERO
        if other_medical is None
        else read_flag("--other-medical", other_medical, parse_money, "e.g. 1200"),
        miles_per_visit=miles_per_visit,
    )
