"""What the shell completes after a flag or argument: bundled profile names, visit labels.

``ketacost --install-completion`` installs the shell's hook; these give it
the words a person would otherwise look up: the bundled profiles where a
clinic is asked for (a file name still completes, as the shell does by
default when nothing matches), and for ``log`` the visits of the ledger
named before the entry (the estimate's visits not logged yet for ``log
visit``; the logged visits for a claim, an EOB or ``received --for``).
Completion never fails: a ledger it cannot read offers nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .placeholders import CLINIC_PARAMETERS, VISIT_PARAMETERS


def add_completion(param: Any) -> None:
    """Give ``param`` the completion its name calls for, unless it has its own."""
    if getattr(param, "_custom_shell_complete", None) is not None:
        return
    if param.name in CLINIC_PARAMETERS:
        param._custom_shell_complete = bundled_names
    elif param.name in VISIT_PARAMETERS:
        param._custom_shell_complete = visit_labels


def bundled_names(ctx: Any, param: Any, incomplete: str) -> list[str]:
    """Return the bundled profile names that start with what was typed."""
    from ..files.bundled import profile_names

    return [name for name in profile_names() if name.startswith(incomplete)]


def visit_labels(ctx: Any, param: Any, incomplete: str) -> list[str]:
    """Return the visit labels of the ledger given to ``log`` that start with what was typed."""
    ledger = _ledger(ctx)
    if ledger is None:
        return []
    try:
        labels = _labels(ledger, new=ctx.command.name == "visit")
    except Exception:  # an unreadable ledger: nothing to offer, and no noise in the shell
        return []
    typed = incomplete.lower()
    return [label for label in labels if label.lower().startswith(typed)]


def _ledger(ctx: Any) -> Path | None:
    """Return the ledger named on the command line before the entry, if any."""
    while ctx is not None:
        value = ctx.params.get("ledger")
        if value:
            return Path(value)
        ctx = ctx.parent
    return None


def _labels(path: Path, *, new: bool) -> list[str]:
    """Return the estimate's visits not yet logged (``new``), else the logged visits."""
    from ..files.ledger import load_ledger
    from ..model.ledger import Visit

    loaded = load_ledger(path)
    logged = [e.visit for e in loaded.ledger.entries if isinstance(e, Visit)]
    if not new:
        return list(dict.fromkeys(logged))
    expected = [charge.label for charge in loaded.status().estimate.events]
    return [label for label in dict.fromkeys(expected) if label not in logged]
