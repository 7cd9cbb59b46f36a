"""US tax per calendar year (docs/tax.md), checked by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketacost.engine.response import ResponseTerms
from ketacost.engine.tax import (
    AGI_FLOOR,
    Refund,
    TaxEstimate,
    TaxInputs,
    TaxTerms,
    TaxYear,
    check_hsa,
    tax_estimate,
    tax_notes,
    tax_years,
    weigh_years,
)
from ketacost.engine.taxfigures import FIGURES, SOURCES, figures_for
from ketacost.errors import InputError
from ketacost.model.plan import Plan

D = Decimal
CENT = D("0.01")
RATE = D("0.22")


# Other itemized deductions already equal to the single standard deduction (2026: $16,100),
# so the medical deduction above the floor saves tax in full: max(16,100, 16,100 + d) −
# max(16,100, 16,100) = d. Without a filing status no deduction saving is counted.
ITEMIZES: dict[str, object] = {"filing": "single", "other_itemized": D(16100)}


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def day(year: int, month: int = 6, mday: int = 1) -> dt.date:
    return dt.date(year, month, mday)


def test_2026_figures_and_sources() -> None:
    figures = FIGURES[2026]
    assert (figures.hsa_self, figures.hsa_family, figures.fsa) == (D(4400), D(8750), D(3400))
    assert figures.standard == {"single": D(16100), "joint": D(32200), "head": D(24150)}
    assert figures.mileage_rate == D("0.205")
    assert D("0.075") == AGI_FLOOR
    for figure in ("7.5%", "$4,400", "$8,750", "$3,400", "$16,100", "20.5 cents"):
        assert figure in SOURCES


def test_2025_and_2027_figures() -> None:
    # 2025: Rev. Procs. 2024-25 and 2024-40, the One Big Beautiful Bill Act, Notice 2025-5
    old = FIGURES[2025]
    assert (old.hsa_self, old.hsa_family, old.fsa) == (D(4300), D(8550), D(3300))
    assert old.standard == {"single": D(15750), "joint": D(31500), "head": D(23625)}
    assert (old.mileage_rate, old.over_65_unmarried, old.over_65_married) == (
        D("0.21"),
        D(2000),
        D(1600),
    )
    assert old.hdhp_min_deductible == {"self": D(1650), "family": D(3300)}
    assert old.hdhp_max_out_of_pocket == {"self": D(8300), "family": D(16600)}
    # 2027: Rev. Proc. 2026-24 for the HSA and the high-deductible plan; the rest not yet
    # published, so 2026's, and said to be
    new = FIGURES[2027]
    assert (new.hsa_self, new.hsa_family) == (D(4500), D(9000))
    assert new.hdhp_min_deductible == {"self": D(1750), "family": D(3500)}
    assert new.hdhp_max_out_of_pocket == {"self": D(8700), "family": D(17400)}
    assert (new.fsa, new.standard, new.mileage_rate) == (
        FIGURES[2026].fsa,
        FIGURES[2026].standard,
        FIGURES[2026].mileage_rate,
    )
    assert new.carried_from == 2026 and "the standard deduction" in new.carried
    for figure in ("$4,500", "$9,000", "$1,750", "$8,700", "Rev. Proc. 2026-24", "$15,750"):
        assert figure in SOURCES


def test_later_years_use_the_latest_known_figures() -> None:
    assert figures_for(2029) is FIGURES[2027]
    assert figures_for(2024) is FIGURES[2025]  # nothing earlier is held: the earliest
    (year,) = tax_years(TaxTerms(RATE), [(day(2028), D(100))], [], [])
    assert year.figures_year == 2027
    notes = " ".join(tax_notes(TaxTerms(RATE), [year]))
    assert "2028: no published figures yet; the latest known are used: 2027's HSA" in notes
    (early,) = tax_years(TaxTerms(RATE), [(day(2024), D(100))], [], [])
    notes = " ".join(tax_notes(TaxTerms(RATE), [early]))
    assert "2024: figures for 2024 are not held; 2025's are used." in notes


def test_each_year_has_its_own_floor() -> None:
    terms = TaxTerms(RATE, agi=D(40000), **ITEMIZES)  # type: ignore[arg-type]
    rows = tax_years(terms, [(day(2027), D(4500)), (day(2028), D(1800))], [], [])
    # floor 40,000 × 7.5% = 3,000 in each year; 4,500 − 3,000 = 1,500; 1,800 < 3,000.
    assert [(y.year, y.floor, y.deductible, y.saving) for y in rows] == [
        (2027, D(3000), D(1500), cents(D(1500) * RATE)),
        (2028, D(3000), D(0), D(0)),
    ]
    assert rows[0].saving == D("330.00")


def test_hsa_money_pays_first_and_only_the_rest_is_deducted() -> None:
    terms = TaxTerms(RATE, agi=D(20000), hsa="self", **ITEMIZES)  # type: ignore[arg-type]
    rows = tax_years(terms, [(day(2027), D(6000)), (day(2028), D(3000))], [], [])
    # 2027: HSA 4,500 → 990; 6,000 − 4,500 = 1,500 left, − 1,500 floor = 0. 990 in all.
    first, second = rows
    assert (first.hsa_fsa, first.hsa_fsa_saving) == (D(4500), cents(D(4500) * RATE))
    assert first.deductible == D(6000) - D(4500) - D(1500) == D(0)
    assert first.saving == D("990.00")
    # 2028: a new limit; the HSA pays all 3,000 → 660, nothing left to deduct.
    assert (second.hsa_fsa, second.deductible, second.saving) == (D(3000), D(0), D("660.00"))


def test_a_same_year_reimbursement_reduces_that_years_expenses() -> None:
    terms = TaxTerms(RATE, agi=D(40000))
    refund = Refund(day(2027, 3), day(2027, 5), D(1000))
    (year,) = tax_years(terms, [(day(2027, 3), D(5000))], [refund], [])
    assert year.expenses == D(5000) - D(1000)
    assert year.deductible == D(4000) - D(3000)


def test_a_later_reimbursement_is_income_up_to_the_deduction_that_cut_tax() -> None:
    terms = TaxTerms(RATE, agi=D(40000), **ITEMIZES)  # type: ignore[arg-type]
    payments = [(day(2027, 12, 20), D(5000))]
    # 2027 deducts 5,000 − 3,000 = 2,000 (saving 440); 1,000 back in 2028 is income.
    small = tax_years(terms, payments, [Refund(day(2027, 12, 20), day(2028, 2, 3), D(1000))], [])
    assert [(y.year, y.recovered, y.saving) for y in small] == [
        (2027, D(0), D("440.00")),
        (2028, D(1000), -cents(D(1000) * RATE)),
    ]
    # 2,500 back: only the 2,000 that was deducted comes back as income (-440).
    large = tax_years(terms, payments, [Refund(day(2027, 12, 20), day(2028, 2, 3), D(2500))], [])
    assert large[1].recovered == D(2000)
    assert large[1].saving == -D("440.00")


def test_a_later_reimbursement_of_an_undeducted_expense_is_not_income() -> None:
    terms = TaxTerms(RATE, agi=D(100000))  # floor 7,500: nothing deducted in 2027
    refund = Refund(day(2027, 12), day(2028, 1), D(1000))
    rows = tax_years(terms, [(day(2027, 12), D(5000))], [refund], [])
    assert [(y.year, y.recovered, y.saving) for y in rows] == [
        (2027, D(0), D(0)),
        (2028, D(0), D(0)),
    ]


def test_weighting_never_applies_the_floor_to_an_expected_value() -> None:
    terms = TaxTerms(RATE, agi=D(40000), **ITEMIZES)  # type: ignore[arg-type]
    high = tax_years(terms, [(day(2027), D(6000))], [], [])  # 3,000 over: 660
    low = tax_years(terms, [(day(2027), D(2000))], [], [])  # under the floor: 0
    (weighted,) = weigh_years([high, low], [D("0.5"), D("0.5")])
    assert weighted.saving == cents(D("0.5") * 660 + D("0.5") * 0) == D("330.00")
    # flooring the expected 4,000 would have given (4,000 − 3,000) × 22% = 220
    assert weighted.expenses == D(4000)
    assert weighted.saving != cents((D(4000) - D(3000)) * RATE)


def test_standard_deduction_comparison() -> None:
    payments = [(day(2027), D(4500))]
    # single, 5,000 other: 6,500 < 16,100 → nothing.
    plain = TaxTerms(RATE, agi=D(40000), filing="single", other_itemized=D(5000))
    (year,) = tax_years(plain, payments, [], [])
    assert (year.deductible, year.deducted, year.saving) == (D(1500), D(0), D(0))
    notes = " ".join(tax_notes(plain, [year]))
    assert "itemizing does not help" in notes and "saves $0" in notes
    # head of household, 23,000 other: max(24,150, 24,500) − max(24,150, 23,000) = 350.
    head = TaxTerms(RATE, agi=D(40000), filing="head", other_itemized=D(23000))
    (year,) = tax_years(head, payments, [], [])
    assert year.deducted == D(24500) - D(24150) == D(350)
    assert year.saving == cents(D(350) * RATE) == D("77.00")


def test_mileage_and_other_medical() -> None:
    terms = TaxTerms(RATE, agi=D(0), other_medical=D(250), miles_per_visit=D("12.5"))
    visits = [day(2027, 1, 4), day(2027, 1, 7), day(2028, 1, 4)]
    rows = tax_years(terms, [(day(2027), D(100)), (day(2028), D(100))], [], visits)
    # 2027: 2 visits × 12.5 miles × 0.205 = 5.125 → 5.13; 100 + 250 + 5.13.
    assert rows[0].mileage == D("5.13")
    assert rows[0].expenses == D(100) + D(250) + D("5.13")
    assert rows[1].mileage == cents(D("12.5") * D("0.205"))  # 2.5625 → 2.56


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"hsa": "self", "fsa": True}, "tax hsa"),
        ({"filing": "single"}, "tax filing"),  # no AGI
        ({"agi": D(1), "filing": "single", "over_65": 2}, "tax over_65"),
        ({"agi": D(1), "over_65": 1}, "tax over_65"),
        ({"other_itemized": D(5)}, "tax other_itemized"),
        ({"hsa": "both"}, "tax hsa"),
        # Below 0 a figure turns the arithmetic over: 1,000 paid with −5,000 of other
        # medical expenses would "save" (1,000 − 5,000) × 22% = −880.
        ({"other_medical": D(-5000)}, "tax other_medical"),
        ({"agi": D(-1)}, "tax agi"),
        ({"agi": D(40000), "filing": "single", "other_itemized": D("-0.01")}, "tax other_itemized"),
    ],
)
def test_terms_that_cannot_hold_name_their_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as caught:
        TaxTerms(RATE, **kwargs)  # type: ignore[arg-type]
    assert caught.value.problems[0].path == field


@pytest.mark.parametrize("coverage", ["medicare", "medicare-advantage"])
def test_an_hsa_beside_medicare_is_refused(coverage: str) -> None:
    medicare = Plan(name="Original Medicare", coverage=coverage, in_network={"deductible": 283})
    with pytest.raises(InputError) as caught:
        check_hsa(TaxTerms(RATE, hsa="self"), medicare, 2027)
    (problem,) = caught.value.problems
    assert problem.path == "Original Medicare"
    assert coverage in problem.message
    assert problem.hint is not None and "Medicare" in problem.hint


def test_an_hsa_beside_a_high_deductible_plan_or_medicare_without_one_is_fine() -> None:
    # family 2027: deductible at least 3,500, out-of-pocket maximum at most 17,400
    hdhp = Plan(name="Acme", in_network={"deductible": 3500, "out_of_pocket_max": 17400})
    check_hsa(TaxTerms(RATE, hsa="family"), hdhp, 2027)
    medicare = Plan(name="Original Medicare", coverage="medicare", in_network={"deductible": 283})
    check_hsa(TaxTerms(RATE), medicare, 2027)  # no HSA: nothing to refuse


def test_the_ends_of_the_rate_and_mileage_ranges_are_accepted() -> None:
    TaxTerms(D(0))  # a 0% bracket
    TaxTerms(D(1))  # 100%: the top of "0 to 1"
    TaxTerms(RATE, miles_per_visit=D(10000))  # the most a round trip may be
    for rate, miles, field in (
        (D("1.01"), D(0), "tax marginal_rate"),
        (D("-0.01"), D(0), "tax marginal_rate"),
        (RATE, D("10000.01"), "tax miles_per_visit"),
        (RATE, D("-1"), "tax miles_per_visit"),
    ):
        with pytest.raises(InputError) as caught:
            TaxTerms(rate, miles_per_visit=miles)
        assert caught.value.problems[0].path == field


def test_at_most_two_people_over_65_filing_jointly_and_one_otherwise() -> None:
    joint = TaxTerms(RATE, agi=D(50000), filing="joint", over_65=2)
    # 32,200 + 2 × 1,650 = 35,500
    assert joint.standard_deduction(FIGURES[2026], 2026) == D(32200) + 2 * D(1650) == D(35500)
    for filing, people in (("joint", 3), ("head", 2), ("single", 2)):
        with pytest.raises(InputError) as caught:
            TaxTerms(RATE, agi=D(50000), filing=filing, over_65=people)  # type: ignore[arg-type]
        (problem,) = caught.value.problems
        assert problem.path == "tax over_65"
        assert f"{people} people 65 or older on a {filing} return" in problem.message


def test_two_later_reimbursements_recover_no_more_than_was_deducted() -> None:
    terms = TaxTerms(RATE, agi=D(40000), **ITEMIZES)  # type: ignore[arg-type]
    paid = day(2027, 12, 20)
    refunds = [Refund(paid, day(2028, 2, 3), D(1500)), Refund(paid, day(2029, 1, 10), D(1500))]
    rows = tax_years(terms, [(paid, D(5000))], refunds, [])
    # 2027 deducts 5,000 − 3,000 = 2,000; 2028 takes 1,500 of it back as income, so 2029's
    # 1,500 finds only 2,000 − 1,500 = 500 left to recover.
    assert [(y.year, y.recovered, y.recovery_tax, y.saving) for y in rows] == [
        (2027, D(0), D(0), cents((D(5000) - D(3000)) * RATE)),
        (2028, D(1500), D("330.00"), -cents(D(1500) * RATE)),
        (2029, D(2000) - D(1500), D("110.00"), -cents(D(500) * RATE)),
    ]


def test_mileage_counts_only_in_a_year_with_visits() -> None:
    terms = TaxTerms(RATE, agi=D(0), miles_per_visit=D(20))
    visits = [day(2027, 3, 1), day(2027, 3, 4)]
    # 2028 has a payment (a late bill) but no visit: no miles.
    rows = tax_years(terms, [(day(2027), D(100)), (day(2028), D(100))], [], visits)
    assert [(y.year, y.mileage) for y in rows] == [
        (2027, D(2) * D(20) * D("0.205")),  # 8.20
        (2028, D(0)),
    ]
    assert rows[0].mileage == D("8.20")
    assert rows[1].expenses == D(100)


def test_each_year_with_treatment_keeps_its_other_medical_expenses_and_weighs_them() -> None:
    terms = TaxTerms(RATE, other_medical=D(1200))
    refund = Refund(day(2027, 12), day(2028, 1), D(100))
    treated, refunded = tax_years(terms, [(day(2027, 12), D(3000))], [refund], [])
    assert (treated.other_medical, treated.expenses) == (D(1200), 3000 + 1200)
    assert refunded.other_medical == 0  # 2028 has no treatment, only the money back
    other = tax_years(TaxTerms(RATE, other_medical=D(500)), [(day(2027), D(3000))], [], [])
    (weighted,) = weigh_years([[treated], other], [D("0.3"), D("0.7")])
    assert weighted.other_medical == D("0.3") * 1200 + D("0.7") * 500 == D(710)


def test_weighting_weighs_the_deduction_and_keeps_no_agi_as_none() -> None:
    terms = TaxTerms(RATE, agi=D(40000))
    high = tax_years(terms, [(day(2027), D(6000))], [], [])  # 6,000 − 3,000 = 3,000
    low = tax_years(terms, [(day(2027), D(2000))], [], [])  # below the 3,000 floor: 0
    (weighted,) = weigh_years([high, low], [D("0.3"), D("0.7")])
    assert weighted.deductible == cents(D("0.3") * 3000 + D("0.7") * 0) == D("900.00")
    assert weighted.floor == D(3000)
    no_agi = tax_years(TaxTerms(RATE), [(day(2027), D(6000))], [], [])
    (weighted,) = weigh_years([no_agi, no_agi], [D("0.5"), D("0.5")])
    assert (weighted.floor, weighted.deductible) == (None, None)
    with pytest.raises(ValueError):  # one weight per scenario, never fewer
        weigh_years([high, low], [D(1)])


def _itemizing_notes(payment: Decimal, other_itemized: Decimal) -> tuple[TaxYear, list[str]]:
    terms = TaxTerms(RATE, agi=D(40000), filing="single", other_itemized=other_itemized)
    (year,) = tax_years(terms, [(day(2027), payment)], [], [])
    return year, [note for note in tax_notes(terms, [year]) if "itemizing" in note]


def test_itemizing_notes_at_their_edges() -> None:
    # Below the 3,000 floor: no medical deduction, so nothing to say about itemizing.
    year, notes = _itemizing_notes(D(2000), D(5000))
    assert (year.deductible, year.deducted, notes) == (D(0), D(0), [])
    # One dollar over the floor, far below the standard deduction: it does not help.
    year, notes = _itemizing_notes(D(3001), D(5000))
    assert (year.deductible, year.deducted) == (D(3001) - D(3000), D(0))
    assert notes == [
        "2027: itemizing does not help. $5,000.00 of other deductions + $1.00 of medical"
        " expenses = $5,001.00, below the $16,100.00 standard deduction: the medical"
        " deduction saves $0."
    ]
    # 15,101 + 1,000 = 16,101: itemizing beats 16,100 by one dollar, so $1 saves tax.
    year, notes = _itemizing_notes(D(4000), D(15101))
    assert year.deducted == D(16101) - D(16100) == D(1)
    assert year.saving == cents(D(1) * RATE) == D("0.22")
    assert notes == [
        "2027: itemizing beats the $16,100.00 standard deduction by $1.00 only, so only"
        " that much of the $1,000.00 medical deduction saves tax."
    ]
    # 20,000 of other deductions already beat 16,100: all 1,500 counts, nothing to say.
    year, notes = _itemizing_notes(D(4500), D(20000))
    assert year.deducted == year.deductible == D(21500) - D(20000) == D(1500)
    assert notes == []


@pytest.mark.parametrize(
    ("kwargs", "shown"),
    [({"hsa": "self"}, True), ({"hsa": "family"}, True), ({"fsa": True}, True), ({}, False)],
)
def test_the_hsa_fsa_assumption_is_stated_when_either_is_used(
    kwargs: dict[str, object], shown: bool
) -> None:
    terms = TaxTerms(RATE, **kwargs)  # type: ignore[arg-type]
    years = tax_years(terms, [(day(2027), D(1000))], [], [])
    notes = tax_notes(terms, years)
    assert any(note.startswith("HSA/FSA: assumes you contribute") for note in notes) is shown


def test_the_estimate_data_names_the_agi_given() -> None:
    for agi, shown in ((D(40000), "40000.00"), (None, None)):
        terms = TaxTerms(RATE, agi=agi)
        years = tax_years(terms, [(day(2027), D(1000))], [], [])
        assert tax_estimate(terms, [years], None).to_dict()["agi"] == shown


def test_terms_and_results_are_frozen_values() -> None:
    terms = TaxTerms(RATE)
    (year,) = tax_years(terms, [(day(2027), D(1000))], [], [])
    refund = Refund(day(2027), day(2028), D(1))
    whole = TaxEstimate(terms, (year,), weighted=False)
    inputs = TaxInputs(terms, None, (day(2027),))
    for value, name in (
        (terms, "agi"),
        (year, "saving"),
        (refund, "amount"),
        (whole, "years"),
        (inputs, "visits"),
    ):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, name, None)
    assert hash(terms) == hash(TaxTerms(RATE))


def test_with_response_odds_both_branches_are_kept_and_the_note_gives_the_chance() -> None:
    terms = TaxTerms(RATE, agi=D(40000), **ITEMIZES)  # type: ignore[arg-type]
    works = tax_years(terms, [(day(2027), D(6300))], [], [])  # (6,300 − 3,000) × 22% = 726
    fails = tax_years(terms, [(day(2027), D(3600))], [], [])  # (3,600 − 3,000) × 22% = 132
    odds = ResponseTerms(D("0.35"), stop_after=3)
    alone = tax_estimate(terms, [works], None, [fails], odds)
    assert (alone.total_saving, alone.weighted) == (D("726.00"), False)
    assert alone.if_it_does_not == fails
    assert alone.expected_saving == cents(D("0.35") * 726 + D("0.65") * 132) == D("339.90")
    assert alone.notes[0].startswith(
        "With a 35% chance it helps, the years shown are the whole treatment's (if it helps);"
        " stopping after 3 sessions, when it does not,"
    )
    # Under a plan's scenarios with odds, both branches are weighted by them.
    weighted = tax_estimate(terms, [works, fails], [D("0.5"), D("0.5")], [fails, fails], odds)
    assert weighted.weighted
    assert weighted.total_saving == cents(D("0.5") * 726 + D("0.5") * 132) == D("429.00")


def test_notes_quote_the_standard_deduction_of_the_year_worked() -> None:
    # 2025's own (the One Big Beautiful Bill Act's); for 2028, none published yet: the
    # latest known, 2026's, which 2027 still carries
    terms = TaxTerms(RATE, agi=D(40000))
    for year, quoted in (
        (2025, "exceed $15,750.00 (single; $23,625.00 head of household, $31,500.00 joint, 2025)"),
        (2028, "exceed $16,100.00 (single; $24,150.00 head of household, $32,200.00 joint, 2026)"),
    ):
        years = tax_years(terms, [(day(year), D(4000))], [], [])
        assert quoted in " ".join(tax_notes(terms, years))


amounts = st.integers(min_value=0, max_value=5_000_000).map(lambda c: D(c) / 100)
rates = st.integers(min_value=0, max_value=50).map(lambda p: D(p) / 100)


@given(
    first=amounts,
    second=amounts,
    agi=amounts,
    rate=rates,
    hsa=st.sampled_from([None, "self", "family"]),
)
def test_yearly_savings_are_bounded_by_the_expenses(
    first: Decimal, second: Decimal, agi: Decimal, rate: Decimal, hsa: str | None
) -> None:
    terms = TaxTerms(rate, agi=agi, hsa=hsa)  # type: ignore[arg-type]
    rows = tax_years(terms, [(day(2027), first), (day(2028), second)], [], [])
    for row in rows:
        assert row.deductible is not None
        assert row.hsa_fsa + row.deductible <= row.expenses  # never the same dollars twice
        assert 0 <= row.saving <= cents(row.expenses * rate)


def test_terms_given_by_position_keep_their_meaning() -> None:
    # turns_65 came last: the eighth value given by position is still other_medical
    terms = TaxTerms(RATE, D(40000), None, False, "single", D(0), 0, D(1200))  # type: ignore[arg-type]
    assert (terms.other_medical, terms.turns_65) == (D(1200), None)
    assert terms.people_over_65(2027) == 0
    with pytest.raises(InputError):
        TaxTerms(RATE, D(40000), filing="single", turns_65="2028")  # type: ignore[arg-type]
