"""``ketacost estimate``: one clinic, over a horizon, under a plan's scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from .flags import OUTPUT
from .options import ClinicArgument, chart_option, guarded, option
from .settings import Settings, estimate_options

if TYPE_CHECKING:
    from ..engine.result import Estimate
    from ..report.document import Report

NO_CLAIMS = (
    "No claims to show: --claims lists the claims sent to a plan, and none was given"
    " (add --plan FILE, or what-if terms such as --allowed 70%)."
)


@guarded
@estimate_options
def estimate_command(
    settings: Settings,
    clinic: ClinicArgument = None,
    claims: Annotated[
        bool, option("--claims", metavar="", help="Show one row per claim.", panel=OUTPUT)
    ] = False,
    chart: Annotated[
        Path | None, chart_option("Also draw the cumulative cost per scenario as a PNG or SVG.")
    ] = None,
) -> None:
    """Estimate what one clinic's treatment costs, and what insurance pays back."""
    from ..files.load import resolve_clinic
    from .output import deliver, fail_over_budget, format_chosen

    if chart is not None:
        from ..report.chart import check_chart_path

        check_chart_path(chart, settings.output)
    from .assumptions import assumed, assumed_lines, estimate_assumptions, stated_lines

    result = settings.run(resolve_clinic(clinic))
    if claims and result.plan is None:
        result = result._replace(warnings=(*result.warnings, NO_CLAIMS))
    # --fail-over checks one net: with several scenarios, never the first because it is first
    budget = settings.fail_over is not None
    why = "--fail-over checks the net of the scenario that stands for you" if budget else None
    choice = settings.choice(result, required=budget, why=why)
    assumptions = estimate_assumptions(result, settings, choice)

    def report() -> Report:
        from ..report.estimate import answer_first, estimate_report

        chosen = "all" if choice is None else choice.index
        lead = answer_first(result, chosen, len(assumed(assumptions)))
        lead += stated_lines(settings, choice)
        lead += assumed_lines(assumptions)
        index = None if choice is None else choice.index
        return estimate_report(result, claims=claims, lead=lead, chosen=index)

    deliver(
        settings.format,
        settings.output,
        json=lambda: {**result.to_dict(), "assumptions": [a.to_dict() for a in assumptions]},
        csv=lambda: _csv(result),
        reports=lambda: [report()],
        width=settings.width,
    )
    if format_chosen(settings.format, settings.output) == "csv":  # rows alone: said here
        import typer

        said = stated_lines(settings, choice)
        for line in said + assumed_lines(assumptions):
            typer.echo(line, err=True)
    if chart is not None:
        from ..report.chart import write_chart
        from ..report.estimate import cumulative_chart

        write_chart(cumulative_chart(result), chart)
    from .choice import chosen_net

    fail_over_budget([result], settings.fail_over, lambda r: chosen_net(r, choice))


def _csv(result: Estimate) -> str:
    from ..report.csvfile import to_csv

    return to_csv([result])
