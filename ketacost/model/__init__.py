"""Typed, validated profiles: what a clinic charges and what a plan pays.

The submodules are imported on first use, so a run without a plan never builds
the plan's models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_HOMES = {
    "Billing": "clinic",
    "Booster": "clinic",
    "Clinic": "clinic",
    "CodeLine": "clinic",
    "Esketamine": "clinic",
    "Fee": "clinic",
    "Lozenge": "clinic",
    "PaymentPlan": "clinic",
    "Series": "clinic",
    "Source": "common",
    "Plan": "plan",
    "Scenario": "plan",
    "Terms": "plan",
}

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

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
