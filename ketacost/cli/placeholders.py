"""What ``--help`` shows after each flag and argument: a placeholder a person reads, or nothing.

Typer labels every parameter it is not given a ``metavar`` for with its Python
type: ``--force <bool>``, ``CLINIC <str>``, ``--format <table|json|csv|md|html>``.
Declarations give their own placeholders (``--start DATE``); this fills in the
rest, for every command at once, including the ``--help`` and completion flags
Typer adds itself:

- a flag (on/off, or counted) shows nothing;
- a choice shows its choices, ``table|json|csv|md|html``;
- an argument is named in capitals (``LEDGER``), with its choices if it has some;
- any other option is named after itself in capitals (``--date DATE``).
"""

from __future__ import annotations

from typing import Any


def plain_labels(command: Any, ctx: Any) -> None:
    """Give every parameter of ``command``, and of its subcommands, a readable placeholder."""
    for param in command.get_params(ctx):
        plain_label(param, ctx)
    for subcommand in getattr(command, "commands", {}).values():
        plain_labels(subcommand, ctx)


def plain_label(param: Any, ctx: Any) -> None:
    """Set ``param``'s placeholder as the module docstring says, unless it has one."""
    typed = getattr(param, "display_type_rich", None)  # Typer's type label (newer Typer only)
    label = typed(ctx) if typed is not None else None
    if param.param_type_name == "argument":
        if param.metavar is None and param.name:
            param.metavar = param.name.upper()
        if typed is not None:
            choices = _choices(label)
            # Typer prints an argument's type beside its name whatever its metavar says.
            param.display_type_rich = lambda ctx: choices
        return
    if param.metavar is not None:
        return
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        param.metavar = ""
    elif label is not None:
        param.metavar = _choices(label) or (param.name or "value").upper().replace("_", "-")


def _choices(label: str | None) -> str | None:
    """Return the choices in a Typer type label (``<a|b>``, ``<list[a|b]>``), or None."""
    if label is None:
        return None
    inner = label.strip("<>").removeprefix("list[").removesuffix("]")
    return inner if "|" in inner else None
