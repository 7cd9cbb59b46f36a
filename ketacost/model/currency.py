"""Currencies: the ISO 4217 codes in current use, and the rule that profiles used together share one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import Invalid

if TYPE_CHECKING:
    from .clinic import Clinic
    from .plan import Plan

_CODES = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL
BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP
ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR
IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD
SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
"""

ISO_4217 = frozenset(_CODES.split())


def plan_currency_problem(clinic: Clinic, plan: Plan | None) -> Invalid | None:
    """Return why ``plan`` cannot pay ``clinic``'s charges (it is in another currency), or None.

    The one home of the rule; each caller adds where the problem is (the
    ``currency`` line of a file, or the argument of ``estimate`` or ``sweep``).
    """
    if plan is None or plan.currency == clinic.currency:
        return None
    return Invalid(
        f"the plan {plan.name!r} is in {plan.currency} but the clinic {clinic.name!r} prices"
        f" in {clinic.currency}",
        "use a plan and a clinic in the same currency (currency: defaults to USD)",
    )


def mixed_currencies(currencies: Iterable[str]) -> Invalid | None:
    """Return why profiles used together cannot be (several currencies), or None for one."""
    listed = sorted(set(currencies))
    if len(listed) < 2:
        return None
    return Invalid(
        f"profiles used together price in different currencies ({', '.join(listed)})",
        "profiles checked or compared together, and a clinic and its plan, share one currency",
    )
