"""Cumulative cost per scenario over the horizon, drawn as a PNG or SVG image."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

from ..engine.result import Estimate
from ..errors import InputError
from .layout import money
from .output import replace_atomically

CHART_SUFFIXES = (".png", ".svg")


def check_chart_path(path: Path) -> None:
    """Raise before any work when ``path`` cannot take a chart, or matplotlib is missing."""
    suffix = path.suffix.lower()
    if suffix not in CHART_SUFFIXES:
        raise InputError.single(
            str(path),
            f"cannot draw a chart as {suffix or 'a file without an extension'!r}",
            "name the chart file .png or .svg",
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError.single(
            str(path),
            f"the folder {str(folder)!r} does not exist",
            "create it first, or write somewhere else",
        )
    if importlib.util.find_spec("matplotlib") is None:
        raise InputError.single(
            "--chart",
            "drawing charts needs matplotlib, which is not installed",
            "install the charts extra: pip install 'ketacost[charts]'",
        )


def _literal(text: str) -> str:
    """Return text matplotlib draws as written: a pair of ``$`` would start a formula."""
    return text.replace("$", r"\$")


def write_chart(estimate: Estimate, path: Path) -> None:
    """Draw what each scenario has cost you, month by month, into ``path`` (PNG or SVG)."""
    check_chart_path(path)
    suffix = path.suffix.lower()
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    currency = estimate.clinic.currency
    figure, axes = pyplot.subplots(figsize=(9, 5), dpi=110)
    for scenario in estimate.scenarios:
        months = [dt.date(int(m.month[:4]), int(m.month[5:]), 1) for m in scenario.cashflow]
        # Pixel positions only: the figures themselves stay Decimal everywhere else.
        heights = [float(m.cumulative) for m in scenario.cashflow]
        label = _literal(f"{scenario.name}: net {money(scenario.net, currency)}")
        axes.step(months, heights, where="post", label=label, linewidth=2)  # type: ignore[arg-type]
    axes.set_title(_literal(f"{estimate.clinic.name}: what you are out, month by month"))
    axes.set_ylabel(f"Paid less reimbursed ({currency})")
    axes.grid(True, alpha=0.3)
    axes.legend(loc="lower right")
    axes.set_ylim(bottom=0)
    figure.autofmt_xdate()
    figure.text(0.01, 0.01, "An estimate, not medical or financial advice.", fontsize=8)
    try:
        replace_atomically(path, lambda temporary: figure.savefig(temporary, format=suffix[1:]))
    finally:
        pyplot.close(figure)
