"""ketacost: what ketamine therapy will really cost, from clinic prices and insurance terms.

The public API::

    import ketacost
    clinic = ketacost.load_clinic("westside.yaml")
    plan = ketacost.load_plan("acme.yaml")
    result = ketacost.estimate(clinic, plan, start=date(2027, 1, 4), months=12)
    result.total, result.scenarios[0].net, result.to_json()
    ketacost.load_ledger("ledger.yaml").status(as_of=date(2027, 3, 1))
    for row in ketacost.sweep(clinic, plan, vary={"series.later_price": ["500", "550"]}):
        row.values, row.expected_net

Names are imported on first use, so the command line starts quickly.

The names in ``__all__`` are the whole public API. The subpackages behind them
(``cli``, ``engine``, ``model``, ``report``, the loaders) are internal: they are
laid out by what they hold and may change from one release to the next, so
import from ``ketacost`` itself. The objects a result holds (cash-flow months,
claim terms, tax years ...) are reached through its attributes.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Charge": "ketacost.engine.schedule",
    "Claim": "ketacost.engine.claims",
    "Clinic": "ketacost.model.clinic",
    "Estimate": "ketacost.engine.result",
    "FinanceTerms": "ketacost.engine.financing",
    "InputError": "ketacost.errors",
    "LedgerStatus": "ketacost.engine.status",
    "LineItem": "ketacost.engine.result",
    "LoadedLedger": "ketacost.files.ledger",
    "Phase": "ketacost.engine.result",
    "Plan": "ketacost.model.plan",
    "PersonalCosts": "ketacost.model.personal",
    "Problem": "ketacost.errors",
    "ResponseTerms": "ketacost.engine.response",
    "SavingsTerms": "ketacost.engine.savings",
    "ScenarioResult": "ketacost.engine.result",
    "Sweep": "ketacost.engine.sweep",
    "SweepError": "ketacost.engine.sweep",
    "SweepRow": "ketacost.engine.sweep",
    "TaxTerms": "ketacost.engine.tax",
    "TaxYear": "ketacost.engine.tax",
    "estimate": "ketacost.engine.estimate",
    "load_clinic": "ketacost.files.load",
    "load_ledger": "ketacost.files.ledger",
    "load_plan": "ketacost.files.load",
    "sweep": "ketacost.engine.sweep",
}

__all__ = [
    "Charge",
    "Claim",
    "Clinic",
    "Estimate",
    "FinanceTerms",
    "InputError",
    "LedgerStatus",
    "LineItem",
    "LoadedLedger",
    "PersonalCosts",
    "Phase",
    "Plan",
    "Problem",
    "ResponseTerms",
    "SavingsTerms",
    "ScenarioResult",
    "Sweep",
    "SweepError",
    "SweepRow",
    "TaxTerms",
    "TaxYear",
    "__version__",
    "estimate",
    "load_clinic",
    "load_ledger",
    "load_plan",
    "sweep",
]

if TYPE_CHECKING:
    from .engine.claims import Claim
    from .engine.estimate import estimate
    from .engine.financing import FinanceTerms
    from .engine.response import ResponseTerms
    from .engine.result import Estimate, LineItem, Phase, ScenarioResult
    from .engine.savings import SavingsTerms
    from .engine.schedule import Charge
    from .engine.status import LedgerStatus
    from .engine.sweep import Sweep, SweepError, SweepRow, sweep
    from .engine.tax import TaxTerms, TaxYear
    from .errors import InputError, Problem
    from .files.ledger import LoadedLedger, load_ledger
    from .files.load import load_clinic, load_plan
    from .model.clinic import Clinic
    from .model.personal import PersonalCosts
    from .model.plan import Plan


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ketacost' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
