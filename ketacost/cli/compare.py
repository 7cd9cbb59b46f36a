"""``ketacost compare``: rank the clinics a person phoned, for their own plan."""

from __future__ import annotations

import sys
from collections.abc import Collection, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from ..errors import InputError
from ..model.common import STALE_AFTER_DAYS
from .coverage import unpriced
from .options import argument, chart_option, guarded, option
from .settings import Settings, estimate_options, shown_path

if TYPE_CHECKING:
    from ..engine.result import Estimate
    from ..report.comparison import Skipped
    from ..report.document import Report

PROGRESS_THRESHOLD = 20
T = TypeVar("T")


class SortBy(str, Enum):
    net = "net"
    total = "total"


def expand_inputs(arguments: list[str], catalog: Collection[str] = ()) -> list[tuple[Path, bool]]:
    """Return the clinic files named by paths, folders (every *.yaml) and bundled names.

    Each comes with whether it was named on its own: not found in a folder and
    not one of the ``catalog`` names ``--catalog`` added.
    """
    from ..load import folder_profiles, resolve_clinic

    files: list[tuple[Path, bool]] = []
    problems = []
    for name in arguments:
        path = Path(name)
        try:
            if path.is_dir():
                found = folder_profiles(path, "name the folder holding the clinic profiles")
                files.extend((file, False) for file in found)
            else:
                files.append((resolve_clinic(name), name not in catalog))
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
            help="Flag prices more than DAYS old at the start (from their publication, else"
            " from when they were checked).",
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
    catalog: list[str] = []
    if every_bundled:
        from ..bundled import profile_names

        catalog = [n for n in profile_names() if n not in names]
    if not names and not catalog:
        raise InputError.single(
            "compare",
            "no clinics to compare",
            "name clinic files, folders or bundled names, or add --catalog for every bundled one",
        )
    files = expand_inputs(names + catalog, catalog)
    # A bundled profile also named as a file (pricing/median-iv.yaml) is compared once.
    given = {path.resolve() for path, named in files if named and str(path) != "-"}
    files = [(path, named) for path, named in files if named or path.resolve() not in given]
    read = []
    problems = []
    for path, named in _progress(files):
        try:
            read.append((path, named, *settings.read(path)))
        except InputError as error:
            problems.extend(error.problems)
    problems.extend(currency_problems([(clinic.currency, doc) for _, _, clinic, doc in read]))
    if problems:
        raise InputError(problems)
    results = []
    skipped: list[Skipped] = []
    unpriceable = []  # the errors of the clinics skipped, should every clinic be
    for path, named, clinic, document in read:
        try:
            results.append(settings.estimate(path, clinic, document))
        except InputError as error:
            reason = None if named else unpriced(clinic, settings.plan)
            if reason is None:
                problems.extend(error.problems)
                continue
            from ..report.comparison import Skipped

            skipped.append(Skipped(clinic.name, shown_path(path), reason))
            unpriceable.extend(error.problems)
    if problems or not results:
        raise InputError(problems or unpriceable)
    if skipped and _machine_format(settings):
        import typer

        for clinic_skipped in skipped:
            typer.echo(clinic_skipped.line(), err=True)
    key = (lambda r: (r.net, r.total)) if sort is SortBy.net else (lambda r: (r.total, r.net))
    ranked = sorted(results, key=key)
    deliver(
        settings.format,
        settings.output,
        json=lambda: _json(ranked, skipped),
        csv=lambda: _csv(ranked, stale_after),
        reports=lambda: [_report(ranked, sort.value, stale_after, skipped)],
        width=settings.width,
    )
    if chart is not None:
        from ..report.chart import write_chart
        from ..report.comparison import compare_chart

        write_chart(compare_chart(ranked), chart)
    fail_over_budget(ranked, settings.fail_over)


def _json(ranked: list[Estimate], skipped: list[Skipped]) -> list[dict[str, Any]]:
    """Return the estimate objects; with clinics skipped, each also names them (``skipped``)."""
    if not skipped:
        return [r.to_dict() for r in ranked]
    return [{**r.to_dict(), "skipped": [s.to_dict() for s in skipped]} for r in ranked]


def _machine_format(settings: Settings) -> bool:
    """Whether the output is JSON or CSV, where the skipped clinics are named on stderr."""
    from ..report.deliver import choose_format

    chosen = settings.format.value if settings.format is not None else None
    return choose_format(chosen, settings.output) in ("json", "csv")


def _csv(ranked: list[Estimate], stale_after: int) -> str:
    from ..report.csvfile import compare_csv  # loaded only for the formats that need it

    return compare_csv(ranked, stale_after)


def _report(ranked: list[Estimate], sort: str, stale_after: int, skipped: list[Skipped]) -> Report:
    from ..report.comparison import compare_report

    return compare_report(ranked, sort, stale_after, skipped)


def _progress(files: list[T]) -> Iterator[T]:
    """Yield the files, with a progress bar on stderr for long runs in a terminal."""
    if len(files) <= PROGRESS_THRESHOLD or not sys.stderr.isatty():
        yield from files
        return
    from rich.console import Console
    from rich.progress import track

    yield from track(files, description="Estimating", console=Console(stderr=True), transient=True)
