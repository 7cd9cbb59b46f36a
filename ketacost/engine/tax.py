"""Estimated US income-tax effects of paying for treatment (2026 figures).

These are estimates at one marginal rate, not tax advice: they ignore state
tax, phase-outs and whether itemizing beats the standard deduction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..money import ZERO, round_cents

HSA_LIMIT_SELF = Decimal("4400")
HSA_LIMIT_FAMILY = Decimal("8750")
FSA_LIMIT = Decimal("3400")
AGI_FLOOR = Decimal("0.075")
SOURCES = (
    "2026 figures: medical expenses deductible above 7.5% of AGI, itemized deductions"
    " only (IRS Schedule A instructions); HSA contribution limit $4,400 self-only /"
    " $8,750 family, health FSA $3,400 (sba-inc.com; crateshealth.com); a later"
    " reimbursement is income up to the earlier deduction that cut tax (taxbuzz.com)."
)
ITEMIZING_NOTE = (
    "Estimate: the medical expense deduction applies only if you itemize deductions"
    " instead of taking the standard deduction."
)
REIMBURSEMENT_INCOME_NOTE = (
    "Estimate: if you deduct these expenses and an insurer reimburses you in a later"
    " year, the reimbursement can be taxable income in that year, up to the amount of"
    " the earlier deduction that reduced your tax."
)


@dataclass(frozen=True, slots=True)
class MedicalDeduction:
    """The estimated itemized medical expense deduction and the tax it saves."""

    expenses: Decimal
    floor: Decimal  # 7.5% of AGI, in cents: expenses up to here are not deductible
    deductible: Decimal
    tax_saving: Decimal
    note: str = ITEMIZING_NOTE


def hsa_saving(amount: Decimal, marginal_rate: Decimal) -> Decimal:
    """Return the estimated income tax saved by paying ``amount`` from an HSA or FSA.

    Pre-tax money saves ``amount × marginal_rate`` (a fraction, 0.22 for 22%),
    rounded half-up to cents. Contributions are limited (``HSA_LIMIT_SELF``,
    ``HSA_LIMIT_FAMILY``, ``FSA_LIMIT``); capping ``amount`` is the caller's choice.
    """
    return round_cents(amount * marginal_rate)


def medical_deduction(expenses: Decimal, agi: Decimal, marginal_rate: Decimal) -> MedicalDeduction:
    """Return the estimated deduction for ``expenses`` above 7.5% of ``agi``, and its saving."""
    floor = round_cents(agi * AGI_FLOOR)
    deductible = max(expenses - floor, ZERO)
    return MedicalDeduction(
        expenses=expenses,
        floor=floor,
        deductible=deductible,
        tax_saving=round_cents(deductible * marginal_rate),
    )
