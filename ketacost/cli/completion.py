"""What the shell completes after a flag or argument: bundled profile names, visit labels.

``ketacost --install-completion`` installs the shell's hook; these give it
the words a person would otherwise look up: the bundled profiles where a
clinic is asked for (a file name still completes, as the shell does by
default when nothing matches), and for ``log`` the visits of the ledger
named before the entry (the estimate's visits not logged yet for ``log
visit``, its other charges for ``log charge``; the logged visits and charges of
claimable fees for a claim, an EOB or ``received --for``).
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
        labels = _labels(ledger, ctx.command.name)
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


def _labels(path: Path, command: str | None) -> list[str]:
    """Return, for ``log visit``, the estimate's visits not logged yet; for ``log charge``,
    its other charges not logged yet; else what a claim can be about: the logged visits
    and charges of claimable fees."""
    from ..engine.ledger import claimed_entries, match
    from ..files.ledger import load_ledger
    from ..model.ledger import ExtraCharge, Visit

    loaded = load_ledger(path)
    entries = loaded.ledger.entries
    if command not in ("visit", "charge"):
        events = loaded.status().estimate.events
        claimed = claimed_entries(loaded.ledger, match(loaded.ledger, events).charges)
        return list(dict.fromkeys(visit.visit for _, visit in claimed))
    logged = {e.visit for e in entries if isinstance(e, Visit)}
    logged |= {e.charge for e in entries if isinstance(e, ExtraCharge)}
    visits = command == "visit"
    expected = [
        charge.label for charge in loaded.status().estimate.events if charge.is_session == visits
    ]
    return [label for label in dict.fromkeys(expected) if label not in logged]
