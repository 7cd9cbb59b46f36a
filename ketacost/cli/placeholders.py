"""What ``--help`` shows after each flag and argument: a placeholder a person reads, or nothing.

Typer labels every parameter it is not given a ``metavar`` for with its Python
type: ``--force <bool>``, ``CLINIC <str>``, ``--format <table|json|csv|md|html>``,
adds the parser's range (``N [20<=x<=1000]``), braces a required argument
(``{FILE}``) and appends ``[default: 12]``. Declarations give their own
placeholders (``--start DATE``); this fills in the rest, for every command at
once, including the ``--help`` and completion flags Typer adds itself:

- a flag (on/off, or counted) shows nothing;
- a choice shows its choices, ``table|json|csv|md|html``, whatever word the
  declaration chose (``--hsa self|family``, not ``--hsa KIND``);
- an argument is named in capitals (``LEDGER``), with its choices if it has some;
- any other option is named after itself in capitals (``--date DATE``);
- a range and a default are said in the help's own words, one style for all:
  ``Horizon in calendar months (1 to 120; default: 12).``
"""

from __future__ import annotations

from enum import Enum
from typing import Any

# Parameters (by declared name) whose values the shell can complete: docs/reports.md.
CLINIC_PARAMETERS = frozenset({"clinic", "clinics"})
VISIT_PARAMETERS = frozenset({"label", "labels", "for_"})


def plain_labels(command: Any, ctx: Any) -> None:
    """Give every parameter of ``command``, and of its subcommands, a readable placeholder."""
    for param in command.get_params(ctx):
        plain_label(param, ctx)
    for subcommand in getattr(command, "commands", {}).values():
        plain_labels(subcommand, ctx)


def plain_label(param: Any, ctx: Any) -> None:
    """Set ``param``'s placeholder and help as the module docstring says."""
    typed = getattr(param, "display_type_rich", None)  # Typer's type label (newer Typer only)
    label = typed(ctx) if typed is not None else None
    _in_words(param)
    if param.name in CLINIC_PARAMETERS | VISIT_PARAMETERS:  # imported only when needed
        from .completion import add_completion

        add_completion(param)
    if param.param_type_name == "argument":
        if param.metavar is None and param.name:
            param.metavar = param.name.upper()
        name = param.metavar or (param.name or "").upper()
        suffix = "..." if param.nargs != 1 else ""
        # The usage line names a required argument plainly, an optional one in brackets.
        param._usage_display_name = lambda: (name if param.required else f"[{name}]") + suffix
        if typed is not None:
            choices = _choices(label)
            # Typer prints an argument's type beside its name whatever its metavar says.
            param.display_type_rich = lambda ctx: choices
        return
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        param.metavar = ""
        return
    choices = _choices(label) or _type_choices(param, ctx)
    if choices is not None:
        param.metavar = choices
    elif param.metavar is None and label is not None:
        param.metavar = (param.name or "value").upper().replace("_", "-")


def _in_words(param: Any) -> None:
    """Move the parser's range and default labels into the help text, in words."""
    if getattr(param, "_said_in_words", False):
        return
    param._said_in_words = True
    said = []
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if hasattr(param, "_get_number_range_help_str"):
        param._get_number_range_help_str = lambda: None
    help = param.help or ""
    if low is not None and high is not None and f"{low} to {high}" not in help:
        said.append(f"from {low} to {high}")
    if param.show_default is True and not getattr(param, "is_flag", False):
        default = param.default
        if isinstance(default, Enum):
            default = default.value
        if default is not None and "default" not in help:
            said.append(f"default: {default}")
        param.show_default = False
    if said and help:
        param.help = _add(help, "; ".join(said))


def _add(help: str, words: str) -> str:
    """Return ``help`` with ``words`` in its closing parenthesis, or in a new one."""
    body, stop = (help[:-1], ".") if help.endswith(".") else (help, "")
    if body.endswith(")"):
        return f"{body[:-1]}; {words}){stop}"
    return f"{body} ({words}){stop}"


def _type_choices(param: Any, ctx: Any) -> str | None:
    """Return the choices of a parameter whose type is a choice (its metavar aside), or None."""
    typed = getattr(param, "display_type", None)
    return _choices(typed(ctx)) if typed is not None else None


def _choices(label: str | None) -> str | None:
    """Return the choices in a Typer type label (``<a|b>``, ``<list[a|b]>``), or None."""
    if label is None:
        return None
    inner = label.strip("<>").removeprefix("list[").removesuffix("]")
    return inner if "|" in inner else None
