"""The flags every estimating command shares, each declared once, in Python.

As sqlite-utils declares its shared output options, each flag here is one call
to ``flag``: its names, placeholder, help panel, help and type. ``SHARED`` is
what ``estimate_options`` (cli/settings.py) adds to ``estimate``, ``compare``
and ``sweep``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..engine.horizon import MAX_MONTHS
from .options import ConfigOption, FormatOption, NoConfigOption, OutputOption, WidthOption
from .tax import FilingStatus, HsaKind

DEFAULT_MONTHS = 12
# The panels the shared flags are listed under in --help (None: "Options").
PLAN, WHAT_IF, WHOLE_PICTURE, TAX, OUTPUT = "Plan", "What-if", "Whole picture", "Tax", "Output"


def flag(
    *names: str,
    help: str,
    metavar: str = "",
    panel: str | None = None,
    kind: Any = str | None,
    default: Any = None,
    **extra: Any,
) -> tuple[str, tuple[Any, Any]]:
    """Return one shared flag as ``(parameter name, (annotation, default))``.

    Declared once here, in Python, as sqlite-utils' ``output_options`` declares
    its shared options: ``kind`` is the type Typer converts to (text by
    default), ``extra`` any other Typer setting (``count=True``).
    """
    name = names[0].removeprefix("--").replace("-", "_")
    name = "set_" if name == "set" else name
    option = typer.Option(
        *names,
        help=help,
        metavar=metavar,
        rich_help_panel=panel,
        show_default=default not in (None, False),
        **extra,
    )
    return name, (Annotated[kind, option], default)


# The flags every estimating command shares, in the order --help lists them.
SHARED_FLAGS = dict(
    [
        flag(
            "--start",
            metavar="DATE",
            help="First day of treatment, YYYY-MM-DD (default: today).",
        ),
        flag(
            "--months",
            metavar="N",
            kind=int | None,
            help=f"Horizon in calendar months (1 to {MAX_MONTHS}; default: {DEFAULT_MONTHS}).",
        ),
        flag(
            "--plan",
            "-p",
            metavar="FILE",
            panel=PLAN,
            kind=Path | None,
            help="Insurance plan YAML (in- and/or out-of-network terms); - reads it from "
            "standard input.",
        ),
        flag(
            "--scenario",
            metavar="NAME",
            panel=PLAN,
            help="The plan's scenario that stands for you (default: your person file's, else "
            "the expected value, else the plan's only one).",
        ),
        flag(
            "--set",
            metavar="KEY=VALUE",
            panel=WHAT_IF,
            kind=list[str] | None,
            help="Override a profile value by dotted path: --set series.later_price=550 "
            "(repeatable).",
        ),
        flag(
            "--network",
            metavar="in|out",
            panel=WHAT_IF,
            help="The clinic bills in network or out of network (overrides its billing.network).",
        ),
        flag(
            "--deductible",
            metavar="AMOUNT",
            panel=WHAT_IF,
            help="Deductible (of the network in effect).",
        ),
        flag(
            "--copay",
            metavar="AMOUNT",
            panel=WHAT_IF,
            help="Copay per claim, after the deductible.",
        ),
        flag(
            "--copay-only",
            panel=WHAT_IF,
            kind=bool | None,
            help="Each claim costs the copay alone: no deductible, no coinsurance (it counts"
            " toward the out-of-pocket maximum).",
        ),
        flag(
            "--coinsurance",
            metavar="P%",
            panel=WHAT_IF,
            help="Your coinsurance, e.g. 40%.",
        ),
        flag(
            "--allowed",
            metavar="P%|$AMOUNT",
            panel=WHAT_IF,
            help='Allowed amount: 70% of billed, or "$400" per claim.',
        ),
        flag(
            "--oop-max",
            metavar="AMOUNT",
            panel=WHAT_IF,
            help="Out-of-pocket maximum.",
        ),
        flag(
            "--met-deductible",
            metavar="AMOUNT",
            panel=WHAT_IF,
            help="Deductible already met this plan year.",
        ),
        flag(
            "--met-oop",
            metavar="AMOUNT",
            panel=WHAT_IF,
            help="Out of pocket already spent this plan year.",
        ),
        flag(
            "--paid-after-days",
            metavar="DAYS",
            panel=WHAT_IF,
            help="Days from session to reimbursement.",
        ),
        flag(
            "--response-rate",
            metavar="P%",
            panel=WHOLE_PICTURE,
            help="Chance the treatment helps, e.g. 50%: weigh a branch where it does not.",
        ),
        flag(
            "--stop-after",
            metavar="N",
            panel=WHOLE_PICTURE,
            kind=int | None,
            help="Without a response, stop after N series sessions (default: 3 with a rate).",
        ),
        flag(
            "--personal",
            metavar="FILE",
            panel=WHOLE_PICTURE,
            kind=Path | None,
            help="Personal-costs YAML (kind: personal).",
        ),
        flag(
            "--ride",
            metavar="AMOUNT",
            panel=WHOLE_PICTURE,
            help="A paid ride per visit, there and back (nobody drives after a session); with "
            "tax flags, a medical expense.",
        ),
        flag(
            "--hourly-wage",
            metavar="AMOUNT",
            panel=WHOLE_PICTURE,
            help="Pay lost per hour off work.",
        ),
        flag(
            "--hours-off",
            metavar="HOURS",
            panel=WHOLE_PICTURE,
            help="Hours off work per visit (default: session, recovery and travel).",
        ),
        flag(
            "--childcare",
            metavar="AMOUNT",
            panel=WHOLE_PICTURE,
            help="Childcare per visit.",
        ),
        flag(
            "--finance",
            metavar="TERMS",
            panel=WHOLE_PICTURE,
            help="Finance the series: MONTHS@APR[+DOWN] (12@9.99%), 'clinic' for the clinic's "
            "first payment plan, or its name.",
        ),
        flag(
            "--savings-program",
            panel=WHOLE_PICTURE,
            kind=bool,
            help="Esketamine savings program (commercial plans only): you pay a floor per "
            "treatment until an annual cap is used.",
        ),
        flag(
            "--savings-cap",
            metavar="AMOUNT",
            panel=WHOLE_PICTURE,
            help="The program's cap per calendar year (default: $7,150).",
        ),
        flag(
            "--savings-floor",
            metavar="AMOUNT",
            panel=WHOLE_PICTURE,
            help="The least you pay per treatment (default: $10).",
        ),
        flag(
            "--observation-rebate-cap",
            metavar="AMOUNT",
            panel=WHOLE_PICTURE,
            help="The program's yearly limit on rebates of your share of each observation"
            " visit (not published: give it to model the rebate).",
        ),
        flag(
            "--marginal-rate",
            metavar="P%",
            panel=TAX,
            help="Your marginal income-tax rate, e.g. 22%: the tax saved, by calendar year (an"
            " estimate).",
        ),
        flag(
            "--agi",
            metavar="AMOUNT",
            panel=TAX,
            help="Adjusted gross income: medical expenses above 7.5% of it are deductible.",
        ),
        flag(
            "--hsa",
            metavar="KIND",
            panel=TAX,
            kind=HsaKind | None,
            help="self or family: pay from an HSA first, up to the year's limit.",
        ),
        flag(
            "--hsa-catch-up",
            panel=TAX,
            kind=bool,
            help="55 or older: the HSA limit is higher by the catch-up contribution.",
        ),
        flag(
            "--fsa",
            panel=TAX,
            kind=bool,
            help="Pay from a health FSA first, up to the year's limit.",
        ),
        flag(
            "--filing",
            metavar="STATUS",
            panel=TAX,
            kind=FilingStatus | None,
            help="single, joint or head: compare itemizing with the standard deduction.",
        ),
        flag(
            "--other-itemized",
            metavar="AMOUNT",
            panel=TAX,
            help="Your other itemized deductions each year (mortgage interest, state tax, gifts).",
        ),
        flag(
            "--over-65",
            panel=TAX,
            kind=int,
            default=0,
            count=True,
            help="You are 65 or older (give it twice when both spouses are, filing jointly).",
        ),
        flag(
            "--other-medical",
            metavar="AMOUNT",
            panel=TAX,
            help="Your other medical expenses in each calendar year of treatment.",
        ),
        flag(
            "--miles",
            metavar="MILES",
            panel=TAX,
            help="Round-trip miles per visit, at the IRS medical mileage rate.",
        ),
        flag(
            "--fail-over",
            metavar="AMOUNT",
            panel=OUTPUT,
            help="Exit 1 when a net cost is above AMOUNT (a budget check for scripts).",
        ),
    ]
)

# What-if flags: the personal-costs key each one sets (plan flags: cli/coverage.py).
PERSONAL_KEYS = {name: name for name in ("ride", "hourly_wage", "hours_off", "childcare")}
# The flags each edge reader takes, by the name of its parameter.
PLAN_FLAGS = tuple(
    [
        "plan",
        "deductible",
        "coinsurance",
        "allowed",
        "oop_max",
        "paid_after_days",
        "copay",
        "copay_only",
        "network",
        "met_deductible",
        "met_oop",
    ]
)
TAX_FLAGS = tuple(
    [
        "marginal_rate",
        "agi",
        "hsa",
        "hsa_catch_up",
        "fsa",
        "filing",
        "other_itemized",
        "over_65",
        "other_medical",
        "miles",
    ]
)


SHARED = {
    **SHARED_FLAGS,
    "config": (ConfigOption, None),
    "no_config": (NoConfigOption, False),
    "format": (FormatOption, None),
    "output": (OutputOption, None),
    "width": (WidthOption, None),
}
