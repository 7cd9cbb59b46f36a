"""A chart document drawn as a PNG or SVG file with matplotlib (the charts extra)."""

from __future__ import annotations

import datetime as dt
import importlib.util
from decimal import Decimal
from pathlib import Path

from ..errors import InputError
from ..files.atomic import existing_folder, replace_atomically
from .document import Chart
from .svg import axis_money

CHART_SUFFIXES = (".png", ".svg")


def check_chart_path(path: Path, output: Path | None = None) -> None:
    """Raise before any work when ``path`` cannot take a chart (or is ``output``, the
    report's file), or matplotlib is missing."""
    if output is not None and str(output) != "-" and _same_file(path, output):
        raise InputError.single(
            "--chart",
            f"-o and --chart name the same file ({path}): the chart would replace the report",
            "give the chart a name of its own, e.g. --chart chart.svg",
        )
    suffix = path.suffix.lower()
    if suffix not in CHART_SUFFIXES:
        raise InputError.single(
            str(path),
            f"cannot draw a chart as {suffix or 'a file without an extension'!r}",
            "name the chart file .png or .svg",
        )
    existing_folder(path)
    if importlib.util.find_spec("matplotlib") is None:
        raise InputError.single(
            "--chart",
            "drawing charts needs matplotlib, which is not installed",
            "install matplotlib (the charts extra) beside ketacost: pip install 'matplotlib>=3.7',"
            " or from a checkout, pip install '.[charts]'",
        )


def _same_file(one: Path, other: Path) -> bool:
    """Whether two paths lead to one file (the same path, or links to one file)."""
    if one.resolve() == other.resolve():
        return True
    try:
        return one.samefile(other)
    except OSError:  # one of them does not exist yet
        return False


def _literal(text: str) -> str:
    """Return text matplotlib draws as written: a pair of ``$`` would start a formula."""
    return text.replace("$", r"\$")


def write_chart(chart: Chart, path: Path) -> None:
    """Draw ``chart`` (a line per scenario or clinic, by month) into ``path`` (PNG or SVG)."""
    check_chart_path(path)
    suffix = path.suffix.lower()
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.ticker import FuncFormatter

    # Room below the plot for one legend line per clinic or scenario.
    figure, axes = pyplot.subplots(figsize=(9, 4.5 + 0.22 * len(chart.lines)), dpi=110)
    months = [dt.date(int(m[:4]), int(m[5:]), 1) for m in chart.steps]
    for line in chart.lines:
        # Pixel positions only: the figures themselves stay Decimal everywhere else.
        heights = [float(v) for v in line.values]
        label = _literal(line.name)
        axes.step(months[: len(heights)], heights, where="post", label=label, linewidth=2)  # type: ignore[arg-type]
    axes.set_title(_literal(chart.title))
    axes.set_ylabel(f"What you are out ({chart.currency})")
    axes.yaxis.set_major_formatter(
        FuncFormatter(
            lambda value, _: _literal(axis_money(Decimal(str(round(value))), chart.currency))
        )
    )
    axes.grid(True, alpha=0.3)
    axes.legend(loc="upper left", bbox_to_anchor=(0, -0.18), fontsize=8, frameon=False)
    axes.set_ylim(bottom=0)
    figure.autofmt_xdate()
    axes.set_xlabel(
        _literal(f"{chart.axis}. An estimate, not medical or financial advice."), fontsize=8
    )
    try:
        replace_atomically(
            path,
            lambda temporary: figure.savefig(temporary, format=suffix[1:], bbox_inches="tight"),
        )
    finally:
        pyplot.close(figure)
