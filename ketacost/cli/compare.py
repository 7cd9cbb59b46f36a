"""``ketacost compare``: rank the clinics a person phoned, for their own plan."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

from ..errors import InputError
from ..model.common import STALE_AFTER_DAYS
from .options import argument, chart_option, guarded, option
from .settings import Settings, estimate_options

if TYPE_CHECKING:
    from ..engine.result import Estimate
    from ..report.document import Report

PROGRESS_THRESHOLD = 20
T = TypeVar("T")


class SortBy(str, Enum):
    net = "net"
    total = "total"


def expand_inputs(arguments: list[str]) -> list[Path]:
    """Return the clinic files named by paths, folders (every *.yaml) and bundled names."""
    from ..load import folder_profiles, resolve_clinic

    files: list[Path] = []
    problems = []
    for name in arguments:
        path = Path(name)
        try:
            if path.is_dir():
                files.extend(folder_profiles(path, "name the folder holding the clinic profiles"))
            else:
                files.append(resolve_clinic(name))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return files


@guarded
@estimate_options
def compare_command(
    settings: Settings,
    clinics: Annotated[
        list[str] | None,
        argument(
            "Clinic files, folders of them, bundled names, or - for standard input.",
            metavar="CLINIC",
        ),
    ] = None,
    every_bundled: Annotated[
        bool, option("--catalog", help="Also compare every bundled profile.")
    ] = False,
    chart: Annotated[
        Path | None,
        chart_option("Also draw each clinic's cumulative cost (first scenario) as a PNG or SVG."),
    ] = None,
    sort: Annotated[
        SortBy,
        option("--sort", help="Rank by net cost (after insurance) or by total.", show_default=True),
    ] = SortBy.net,
    stale_after: Annotated[
        int,
        option(
            "--stale-after",
            metavar="DAYS",
            min=0,
            help="Flag prices checked more than DAYS before the start.",
            show_default=True,
        ),
    ] = STALE_AFTER_DAYS,
) -> None:
    """Rank several clinics by what they cost you, cheapest first."""
    from ..load import currency_problems
    from .output import deliver, fail_over_budget

    if chart is not None:
        from ..report.chart import check_chart_path

        check_chart_path(chart)
    names = list(clinics or [])
    if every_bundled:
        from ..bundled import profile_names

        names += [n for n in profile_names() if n not in names]
    if not names:
        raise InputError.single(
            "compare",
            "no clinics to compare",
            "name clinic files, folders or bundled names, or add --catalog for every bundled one",
        )
    files = expand_inputs(names)
    read = []
    problems = []
    for path in _progress(files):
        try:
            read.append((path, *settings.read(path)))
        except InputError as error:
            problems.extend(error.problems)
    problems.extend(currency_problems([(clinic.currency, doc) for _, clinic, doc in read]))
    if problems:
        raise InputError(problems)
    results = []
    for path, clinic, document in read:
        try:
            results.append(settings.estimate(path, clinic, document))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    key = (lambda r: (r.net, r.total)) if sort is SortBy.net else (lambda r: (r.total, r.net))
    ranked = sorted(results, key=key)
    deliver(
        settings.format,
        settings.output,
        json=lambda: [r.to_dict() for r in ranked],
        csv=lambda: _csv(ranked, stale_after),
        reports=lambda: [_report(ranked, sort.value, stale_after)],
        width=settings.width,
    )
    if chart is not None:
        from ..report.chart import write_chart
        from ..report.comparison import compare_chart

        write_chart(compare_chart(ranked), chart)
    fail_over_budget(ranked, settings.fail_over)


def _csv(ranked: list[Estimate], stale_after: int) -> str:
    from ..report.csvfile import compare_csv  # loaded only for the formats that need it

    return compare_csv(ranked, stale_after)


def _report(ranked: list[Estimate], sort: str, stale_after: int) -> Report:
    from ..report.comparison import compare_report

    return compare_report(ranked, sort, stale_after)


def _progress(files: list[T]) -> Iterator[T]:
    """Yield the files, with a progress bar on stderr for long runs in a terminal."""
    if len(files) <= PROGRESS_THRESHOLD or not sys.stderr.isatty():
        yield from files
        return
    from rich.console import Console
    from rich.progress import track

    yield from track(files, description="Estimating", console=Console(stderr=True), transient=True)
