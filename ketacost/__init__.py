"""ketacost: what ketamine therapy will really cost, from clinic prices and insurance terms.

The public API::

    import ketacost
    clinic = ketacost.load_clinic("westside.yaml")
    plan = ketacost.load_plan("acme.yaml")
    result = ketacost.estimate(clinic, plan, start=date(2027, 1, 4), months=12)
    result.total, result.scenarios[0].net, result.to_json()
"""

from __future__ import annotations

__version__ = "0.1.0"

from .engine.claims import Claim
from .engine.estimate import Estimate, LineItem, Phase, ScenarioResult, estimate
from .engine.schedule import Charge
from .errors import InputError, Problem
from .load import load_clinic, load_plan
from .model import Clinic, Plan

__all__ = [
    "Charge",
    "Claim",
    "Clinic",
    "Estimate",
    "InputError",
    "LineItem",
    "Phase",
    "Plan",
    "Problem",
    "ScenarioResult",
    "__version__",
    "estimate",
    "load_clinic",
    "load_plan",
]
