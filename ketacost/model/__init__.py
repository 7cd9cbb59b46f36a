"""Typed, validated profiles: what a clinic charges and what a plan pays."""

from .clinic import (
    Billing,
    Booster,
    Clinic,
    CodeLine,
    Esketamine,
    Fee,
    Lozenge,
    PaymentPlan,
    Series,
)
from .common import Source
from .plan import Plan, Scenario, Terms

__all__ = [
    "Billing",
    "Booster",
    "Clinic",
    "CodeLine",
    "Esketamine",
    "Fee",
    "Lozenge",
    "PaymentPlan",
    "Plan",
    "Scenario",
    "Series",
    "Source",
    "Terms",
]
