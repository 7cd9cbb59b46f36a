"""``ketacost estimate``: one clinic, over a horizon, under a plan's scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .options import (
    FormatOption,
    MonthsOption,
    OutputOption,
    PlanOption,
    SetOption,
    StartOption,
    guarded,
    parse_start,
)


@guarded
def estimate_command(
    clinic: Annotated[
        str | None,
        typer.Argument(
            help="Clinic profile: a YAML path or a bundled name [default: the bundled default].",
            show_default=False,
        ),
    ] = None,
    plan: PlanOption = None,
    start: StartOption = None,
    months: MonthsOption = 12,
    format: FormatOption = None,
    output: OutputOption = None,
    set_: SetOption = None,
    claims: Annotated[bool, typer.Option("--claims", help="Show one row per claim.")] = False,
    deductible: Annotated[
        str | None,
        typer.Option(
            "--deductible", help="What-if: out-of-network deductible.", show_default=False
        ),
    ] = None,
    coinsurance: Annotated[
        str | None,
        typer.Option(
            "--coinsurance", help="What-if: your coinsurance share, e.g. 40%.", show_default=False
        ),
    ] = None,
    allowed: Annotated[
        str | None,
        typer.Option(
            "--allowed",
            help="What-if: allowed amount, 70% of billed or 400 per claim.",
            show_default=False,
        ),
    ] = None,
    oop_max: Annotated[
        str | None,
        typer.Option("--oop-max", help="What-if: out-of-pocket maximum.", show_default=False),
    ] = None,
    paid_after_days: Annotated[
        str | None,
        typer.Option(
            "--paid-after-days",
            help="What-if: days from session to reimbursement.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Estimate what one clinic's treatment costs, and what insurance pays back."""
    from ..engine.estimate import estimate
    from ..load import load_clinic, load_plan, resolve_clinic

    flags = [
        ("out_of_network.deductible", "--deductible", deductible),
        ("out_of_network.coinsurance", "--coinsurance", coinsurance),
        ("out_of_network.allowed", "--allowed", allowed),
        ("out_of_network.out_of_pocket_max", "--oop-max", oop_max),
        ("claims.paid_after_days", "--paid-after-days", paid_after_days),
    ]
    what_if = [(key, value, f"{flag} {value}") for key, flag, value in flags if value is not None]
    start_date = parse_start(start)
    clinic_path = resolve_clinic(clinic)
    profile = load_clinic(clinic_path, overrides=set_ or ())
    insurance = load_plan(plan, what_if) if plan is not None or what_if else None
    result = estimate(
        profile, insurance, start=start_date, months=months, clinic_file=_shown(clinic_path)
    )
    write_estimates([result], format, output, claims=claims)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        from ..catalog import pricing_dir

        if path.resolve().parent == pricing_dir().resolve():
            return f"pricing/{path.name}"
        return str(path)


def write_estimates(
    results: list,
    format: object,
    output: Path | None,
    *,
    claims: bool = False,
    as_list: bool = False,
) -> None:
    """Render estimates in the chosen format and send them to stdout or ``output``."""
    from ..report.output import choose_format, emit
    from .options import terminal_width, use_color

    chosen = choose_format(getattr(format, "value", format), output)
    if chosen == "json":
        from ..report.render import to_json

        data = [r.to_dict() for r in results] if as_list else results[0].to_dict()
        emit(to_json(data), output)
    elif chosen == "csv":
        from ..report.render import to_csv

        emit(to_csv(results), output)
    else:
        from ..report.layout import estimate_report

        reports = [estimate_report(r, claims=claims) for r in results]
        if chosen == "md":
            from ..report.render import to_markdown

            emit(to_markdown(reports), output)
        else:
            from ..report.render import to_rich

            emit(to_rich(reports, color=use_color(output), width=terminal_width()), output)
