"""``ketacost estimate``: one clinic, over a horizon, under a plan's scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .options import (
    AgiOption,
    AllowedOption,
    ChildcareOption,
    CoinsuranceOption,
    DeductibleOption,
    FailOverOption,
    FinanceOption,
    FormatOption,
    HourlyWageOption,
    HoursOffOption,
    MarginalRateOption,
    MonthsOption,
    OopMaxOption,
    OutputOption,
    PaidAfterDaysOption,
    PersonalOption,
    PlanOption,
    ResponseRateOption,
    RideOption,
    SavingsCapOption,
    SavingsFloorOption,
    SavingsOption,
    SetOption,
    StartOption,
    StopAfterOption,
    guarded,
)


@guarded
def estimate_command(
    clinic: Annotated[
        str | None,
        typer.Argument(
            help="Clinic profile: a YAML path or a bundled name (default: the bundled default).",
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
    deductible: DeductibleOption = None,
    coinsurance: CoinsuranceOption = None,
    allowed: AllowedOption = None,
    oop_max: OopMaxOption = None,
    paid_after_days: PaidAfterDaysOption = None,
    fail_over: FailOverOption = None,
    response_rate: ResponseRateOption = None,
    stop_after: StopAfterOption = None,
    personal: PersonalOption = None,
    ride: RideOption = None,
    hourly_wage: HourlyWageOption = None,
    hours_off: HoursOffOption = None,
    childcare: ChildcareOption = None,
    finance: FinanceOption = None,
    savings_program: SavingsOption = False,
    savings_cap: SavingsCapOption = None,
    savings_floor: SavingsFloorOption = None,
    marginal_rate: MarginalRateOption = None,
    agi: AgiOption = None,
    chart: Annotated[
        Path | None,
        typer.Option(
            "--chart",
            metavar="FILE",
            show_default=False,
            help="Also draw the cumulative cost per scenario as a PNG or SVG.",
        ),
    ] = None,
) -> None:
    """Estimate what one clinic's treatment costs, and what insurance pays back."""
    from ..load import resolve_clinic
    from ..report.layout import estimate_report
    from ..report.render import to_csv
    from .output import budget, deliver, fail_over_budget, setup

    limit = budget(fail_over)
    if chart is not None:
        from ..report.chart import check_chart_path

        check_chart_path(chart)
    settings = setup(
        start=start,
        months=months,
        overrides=set_,
        plan=plan,
        deductible=deductible,
        coinsurance=coinsurance,
        allowed=allowed,
        oop_max=oop_max,
        paid_after_days=paid_after_days,
        personal=personal,
        ride=ride,
        hourly_wage=hourly_wage,
        hours_off=hours_off,
        childcare=childcare,
        finance=finance,
        savings_program=savings_program,
        savings_cap=savings_cap,
        savings_floor=savings_floor,
        response_rate=response_rate,
        stop_after=stop_after,
        marginal_rate=marginal_rate,
        agi=agi,
    )
    result = settings.run(resolve_clinic(clinic))
    deliver(
        format,
        output,
        json=result.to_dict,
        csv=lambda: to_csv([result]),
        reports=lambda: [estimate_report(result, claims=claims)],
    )
    if chart is not None:
        from ..report.chart import write_chart

        write_chart(result, chart)
    fail_over_budget([result], limit)
