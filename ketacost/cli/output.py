"""Output in any format, to stdout or a file, and the budget check of the reporting commands."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from .options import EXIT_FINDING, Format, terminal_width, use_color

if TYPE_CHECKING:
    from ..engine.result import Estimate
    from ..report.document import Report


def format_chosen(format: Format | str | None, output: Path | None) -> str:
    """Return the format ``deliver`` writes: ``--format``, else ``-o``'s extension, else the
    table."""
    from ..report.deliver import choose_format

    return choose_format(format.value if isinstance(format, Format) else format, output)


def deliver(
    format: Format | str | None,
    output: Path | None,
    *,
    json: Callable[[], Any],
    csv: Callable[[], str],
    reports: Callable[[], Sequence[Report]],
    width: int | None = None,
) -> None:
    """Produce only the chosen format's text and send it to stdout or ``output``."""
    from ..report.deliver import emit

    chosen = format_chosen(format, output)
    if chosen == "json":
        from ..report.jsonfile import to_json

        emit(to_json(json()), output)
    elif chosen == "csv":
        emit(csv(), output)
    elif chosen == "md":
        from ..report.markdown import to_markdown

        emit(to_markdown(reports()), output)
    elif chosen == "html":
        from ..report.html import to_html

        emit(to_html(reports()), output)
    else:
        from ..report.terminal import to_rich

        emit(to_rich(reports(), color=use_color(output), width=terminal_width(width)), output)


def fail_over_budget(
    results: Sequence[Estimate],
    limit: Decimal | None,
    net: Callable[[Estimate], Decimal] | None = None,
) -> None:
    """Exit 1 when asked to and a net cost is above the budget.

    ``net`` gives the net that stands for the person (default: ``Estimate.net``).
    """
    if limit is None:
        return
    from ..report.words import money

    figure = net or (lambda result: result.net)
    over = [r for r in results if figure(r) > limit]
    for result in over:
        currency = result.clinic.currency
        typer.echo(
            f"over budget: {result.clinic.name}: net {money(figure(result), currency)}"
            f" > {money(limit, currency)}",
            err=True,
        )
    if over:
        raise typer.Exit(EXIT_FINDING)
