"""US tax per calendar year (DESIGN §8, facts.md "Tax (US, 2026)"), checked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketacost.engine.tax import (
    AGI_FLOOR,
    Refund,
    TaxTerms,
    check_hsa,
    tax_notes,
    tax_years,
    weigh_years,
)
from ketacost.engine.taxfigures import FIGURES, SOURCES, figures_for
from ketacost.errors import InputError

D = Decimal
CENT = D("0.01")
RATE = D("0.22")


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


def test_later_years_use_the_latest_known_figures() -> None:
    assert figures_for(2029) is FIGURES[2026]
    assert figures_for(2024) is FIGURES[2026]  # nothing earlier is held either
    (year,) = tax_years(TaxTerms(RATE), [(day(2028), D(100))], [], [])
    assert year.figures_year == 2026
    notes = " ".join(tax_notes(TaxTerms(RATE), [year]))
    assert "2028: no published figures yet; the 2026 figures (the latest known)" in notes


def test_each_year_has_its_own_floor() -> None:
    terms = TaxTerms(RATE, agi=D(40000))
    rows = tax_years(terms, [(day(2027), D(4500)), (day(2028), D(1800))], [], [])
    # floor 40,000 × 7.5% = 3,000 in each year; 4,500 − 3,000 = 1,500; 1,800 < 3,000.
    assert [(y.year, y.floor, y.deductible, y.saving) for y in rows] == [
        (2027, D(3000), D(1500), cents(D(1500) * RATE)),
        (2028, D(3000), D(0), D(0)),
    ]
    assert rows[0].saving == D("330.00")


def test_hsa_money_pays_first_and_only_the_rest_is_deducted() -> None:
    terms = TaxTerms(RATE, agi=D(20000), hsa="self")
    rows = tax_years(terms, [(day(2027), D(6000)), (day(2028), D(3000))], [], [])
    # 2027: HSA 4,400 → 968; 6,000 − 4,400 = 1,600 left, − 1,500 floor = 100 → 22. 990 in all.
    first, second = rows
    assert (first.hsa_fsa, first.hsa_fsa_saving) == (D(4400), cents(D(4400) * RATE))
    assert first.deductible == D(6000) - D(4400) - D(1500) == D(100)
    assert first.saving == D("968.00") + D("22.00")
    # 2028: a new limit; the HSA pays all 3,000 → 660, nothing left to deduct.
    assert (second.hsa_fsa, second.deductible, second.saving) == (D(3000), D(0), D("660.00"))


def test_a_same_year_reimbursement_reduces_that_years_expenses() -> None:
    terms = TaxTerms(RATE, agi=D(40000))
    refund = Refund(day(2027, 3), day(2027, 5), D(1000))
    (year,) = tax_years(terms, [(day(2027, 3), D(5000))], [refund], [])
    assert year.expenses == D(5000) - D(1000)
    assert year.deductible == D(4000) - D(3000)


def test_a_later_reimbursement_is_income_up_to_the_deduction_that_cut_tax() -> None:
    terms = TaxTerms(RATE, agi=D(40000))
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
    terms = TaxTerms(RATE, agi=D(40000))
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
    ],
)
def test_terms_that_cannot_hold_name_their_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as caught:
        TaxTerms(RATE, **kwargs)  # type: ignore[arg-type]
    assert caught.value.problems[0].path == field


@pytest.mark.parametrize("coverage", ["medicare", "medicare-advantage"])
def test_an_hsa_beside_medicare_is_refused(coverage: str) -> None:
    with pytest.raises(InputError) as caught:
        check_hsa(TaxTerms(RATE, hsa="self"), coverage, "Original Medicare")
    (problem,) = caught.value.problems
    assert problem.path == "Original Medicare"
    assert coverage in problem.message
    assert problem.hint is not None and "Medicare" in problem.hint


def test_an_hsa_beside_a_commercial_plan_or_medicare_without_one_is_fine() -> None:
    check_hsa(TaxTerms(RATE, hsa="family"), "commercial", "Acme")
    check_hsa(TaxTerms(RATE), "medicare", "Original Medicare")  # no HSA: nothing to refuse


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
