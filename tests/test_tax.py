"""US tax estimates (facts.md "Tax (US, 2026)"), checked with hand arithmetic."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ketacost.engine.tax import (
    AGI_FLOOR,
    FSA_LIMIT,
    HSA_LIMIT_FAMILY,
    HSA_LIMIT_SELF,
    REIMBURSEMENT_INCOME_NOTE,
    SOURCES,
    MedicalDeduction,
    hsa_saving,
    medical_deduction,
)

D = Decimal


def test_limits_and_sources() -> None:
    assert (D("4400"), D("8750"), D("3400")) == (HSA_LIMIT_SELF, HSA_LIMIT_FAMILY, FSA_LIMIT)
    assert D("0.075") == AGI_FLOOR
    for figure in ("7.5%", "$4,400", "$8,750", "$3,400", "Schedule A"):
        assert figure in SOURCES
    assert "later" in REIMBURSEMENT_INCOME_NOTE and "income" in REIMBURSEMENT_INCOME_NOTE


def test_hsa_saving_is_the_amount_times_the_marginal_rate() -> None:
    assert hsa_saving(D("3900"), D("0.22")) == D("858.00")  # 3900 × 0.22
    assert hsa_saving(D("4400"), D("0.12")) == D("528.00")  # 4400 × 0.12
    assert hsa_saving(D("1000"), D("0")) == D("0.00")


def test_hsa_saving_rounds_half_up_to_cents() -> None:
    assert hsa_saving(D("0.25"), D("0.10")) == D("0.03")  # 0.025
    assert hsa_saving(D("333.33"), D("0.24")) == D("80.00")  # 79.9992


def test_medical_deduction_above_seven_and_a_half_percent_of_agi() -> None:
    result = medical_deduction(D("6300"), D("60000"), D("0.22"))
    assert result.floor == D("4500.00")  # 60000 × 0.075
    assert result.deductible == D("1800.00")  # 6300 − 4500
    assert result.tax_saving == D("396.00")  # 1800 × 0.22
    assert result.expenses == D("6300")
    assert "itemize" in result.note


def test_expenses_below_the_floor_deduct_nothing() -> None:
    result = medical_deduction(D("4000"), D("60000"), D("0.22"))
    assert result.floor == D("4500.00")
    assert result.deductible == 0
    assert result.tax_saving == 0


def test_floor_is_rounded_to_cents() -> None:
    # 12345.67 × 0.075 = 925.92525 → 925.93; 1000 − 925.93 = 74.07; × 0.24 = 17.7768 → 17.78.
    result = medical_deduction(D("1000"), D("12345.67"), D("0.24"))
    assert result == MedicalDeduction(D("1000"), D("925.93"), D("74.07"), D("17.78"))


cents = st.integers(min_value=0, max_value=100_000_000).map(lambda c: D(c) / 100)
rates = st.integers(min_value=0, max_value=100).map(lambda p: D(p) / 100)


@given(expenses=cents, agi=cents, rate=rates)
def test_the_saving_never_exceeds_the_deductible_or_the_expenses(
    expenses: Decimal, agi: Decimal, rate: Decimal
) -> None:
    result = medical_deduction(expenses, agi, rate)
    assert 0 <= result.deductible <= expenses
    assert result.deductible == max(expenses - result.floor, 0)
    assert 0 <= result.tax_saving <= result.deductible
