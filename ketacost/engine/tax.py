"""Estimated US income-tax effects of paying for treatment (2026 figures).

These are estimates at one marginal rate, not tax advice: they ignore state
tax, phase-outs and whether itemizing beats the standard deduction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import InputError
from ..money import ZERO, format_money, parse_money, parse_percent, round_cents

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


@dataclass(frozen=True, slots=True)
class TaxEstimate:
    """Estimated tax effects of paying ``basis`` (the net cost) for treatment."""

    basis: Decimal
    marginal_rate: Decimal
    hsa_saving: Decimal
    deduction: MedicalDeduction | None  # only when an AGI is given

    def to_dict(self) -> dict[str, Any]:
        """Return the estimate as JSON-ready data (money as strings)."""
        deduction = self.deduction
        return {
            "basis": format_money(self.basis),
            "marginal_rate": str(self.marginal_rate),
            "hsa_saving": format_money(self.hsa_saving),
            "deduction": None
            if deduction is None
            else {
                "expenses": format_money(deduction.expenses),
                "floor": format_money(deduction.floor),
                "deductible": format_money(deduction.deductible),
                "tax_saving": format_money(deduction.tax_saving),
            },
            "notes": [ITEMIZING_NOTE, REIMBURSEMENT_INCOME_NOTE],
        }


def tax_inputs(marginal_rate: object, agi: object) -> tuple[Decimal, Decimal | None] | None:
    """Return the validated (marginal rate, AGI), or None when no rate is given."""
    if marginal_rate is None:
        if agi is not None:
            raise InputError.single("--agi", "needs --marginal-rate", "e.g. --marginal-rate 22%")
        return None
    try:
        rate = parse_percent(marginal_rate)
    except ValueError as error:
        message, _, hint = str(error).partition(" | ")
        raise InputError.single("--marginal-rate", message, hint or "e.g. 22%") from None
    if agi is None:
        return rate, None
    try:
        return rate, parse_money(agi)
    except ValueError as error:
        message, _, hint = str(error).partition(" | ")
        raise InputError.single("--agi", message, hint or "e.g. --agi 60000") from None


def estimate_tax(basis: Decimal, marginal_rate: Decimal, agi: Decimal | None) -> TaxEstimate:
    """Return the HSA/FSA saving on ``basis`` and, with an AGI, the medical deduction."""
    return TaxEstimate(
        basis=basis,
        marginal_rate=marginal_rate,
        hsa_saving=hsa_saving(basis, marginal_rate),
        deduction=None if agi is None else medical_deduction(basis, agi, marginal_rate),
    )
