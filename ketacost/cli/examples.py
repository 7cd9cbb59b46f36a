"""The Examples section at the end of each command's ``--help``: how the flags are used.

Each example is one command a person runs, as they would type it, and what it
does. A test runs every one of them (with the example files of the
repository under these names), so an example never shows a flag that is gone.
"""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any

# command (as typed after ``ketacost``) → (command line, what it does), most used first.
EXAMPLES: dict[str, tuple[tuple[str, str], ...]] = {
    "estimate": (
        ("ketacost estimate", "the bundled default clinic, paid in cash"),
        ("ketacost estimate median-iv --start 2027-01-04", "a bundled clinic, from a date"),
        (
            "ketacost estimate clinic.yaml --plan plan.yaml",
            "your clinic under your plan's scenarios",
        ),
        (
            "ketacost estimate --allowed 70% --deductible 2000 --coinsurance 40%",
            "plan terms typed in, no plan file",
        ),
        ("ketacost estimate clinic.yaml --plan plan.yaml --claims", "one row per claim"),
        (
            "ketacost estimate clinic.yaml --plan plan.yaml -o report.html",
            "a page to send on or print",
        ),
    ),
    "compare": (
        (
            "ketacost compare median-iv high-end-iv clinic.yaml --plan plan.yaml",
            "rank three clinics under your plan",
        ),
        ("ketacost compare median-iv high-end-iv --sort total", "rank by the price alone"),
        ("ketacost compare median-iv high-end-iv -o clinics.html", "a page to send on"),
    ),
    "sweep": (
        (
            "ketacost sweep clinic.yaml --vary series.later_price=400..700:100",
            "the net cost at each later price",
        ),
        (
            "ketacost sweep clinic.yaml --plan plan.yaml --vary plan.out_of_network.allowed=50%..100%:25%",
            "and at each allowed share",
        ),
        (
            "ketacost sweep --vary start=2027-01-04..2027-12-04:2m",
            "what the month you start changes",
        ),
    ),
    "status": (
        ("ketacost status ledger.yaml", "where the treatment stands today"),
        ("ketacost status ledger.yaml --as-of 2027-03-01", "as it stood on a date"),
        ("ketacost status ledger.yaml -o status.html", "a page to send on or print"),
        (
            "ketacost status ledger.yaml --fail-on overdue",
            "exit 1 when a claim is overdue (for cron)",
        ),
    ),
    "log": (
        (
            'ketacost log ledger.yaml visit "Session 3" --paid 600 --date 2027-01-11',
            "a visit and what you paid",
        ),
        ('ketacost log ledger.yaml claim "Session 3"', "the superbill sent to the plan"),
        (
            'ketacost log ledger.yaml eob "Session 3" --allowed 360 --deductible 360'
            " --coinsurance 0 --plan-pays 0",
            "what the plan's EOB says",
        ),
        ('ketacost log ledger.yaml received 198 --for "Session 3"', "money that reached you"),
        ('ketacost log ledger.yaml charge "Lab work" --amount 120', "anything else charged"),
    ),
    "catalog": (
        ("ketacost catalog", "the bundled clinic profiles"),
        ("ketacost catalog --format csv", "the same, for a spreadsheet"),
    ),
    "check": (
        ("ketacost check clinic.yaml plan.yaml ledger.yaml", "every problem in every file"),
        ("ketacost check --stale-after 180 clinic.yaml", "and prices older than 180 days"),
    ),
    "init": (
        ("ketacost init", "answer a few questions; writes clinic.yaml"),
        (
            "ketacost init --ledger --clinic clinic.yaml --plan plan.yaml --start 2027-01-04"
            ' --scenario "As written" my-ledger.yaml',
            "start a treatment ledger",
        ),
    ),
    "schema": (("ketacost schema plan > plan.schema.json", "for an editor's completion"),),
}


def add_examples(command: Any, name: str) -> None:
    """End the help of ``command`` (and of each of its subcommands) with its examples."""
    command.epilog = epilog(name)
    for sub, subcommand in getattr(command, "commands", {}).items():
        subcommand.epilog = epilog(name, sub)


def epilog(command: str, sub: str | None = None) -> str | None:
    """Return the Examples section of ``command``'s help (or its ``sub``'s), or None."""
    examples = EXAMPLES.get(command, ())
    if sub is not None:  # a subcommand of log: the examples of that entry
        examples = tuple(e for e in examples if f" {sub} " in f"{e[0]} ")
    if not examples:
        return None
    # The help strips the indent the lines after the first share: the first is empty,
    # so "Examples:" sets the margin and the commands keep theirs.
    lines = ["", "Examples:"]
    for line, what in examples:
        lines += [f"  {line}", f"      {what}"]
    return "\n".join(lines)


def did_you_mean(message: str, typed: str, commands: list[str]) -> str:
    """Return ``message`` ("No such command 'estimat'.") with the commands ``typed`` is near."""
    if "Did you mean" in message:
        return message
    near = get_close_matches(typed, commands, n=1, cutoff=0.6)
    if not near:
        return f"{message.rstrip('.')}. The commands are: {', '.join(commands)}."
    return f"{message.rstrip('.')}. Did you mean {near[0]!r}?"
