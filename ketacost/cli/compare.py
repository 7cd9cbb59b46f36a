"""``ketacost compare``: rank the clinics a person phoned, for their own plan."""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from ..errors import InputError
from ..model.common import STALE_AFTER_DAYS
from ..report.words import percent, plural
from .coverage import unpriced
from .options import argument, chart_option, guarded, option
from .settings import Settings, estimate_options, shown_path

if TYPE_CHECKING:
    from ..engine.response import ResponseTerms
    from ..engine.result import Estimate
    from ..model.clinic import Clinic
    from ..report.comparison import Skipped
    from ..report.document import Report
    from .assumptions import Assumption
    from .choice import ScenarioChoice

PROGRESS_THRESHOLD = 20
T = TypeVar("T")


class SortBy(str, Enum):
    net = "net"
    total = "total"


class RankBy(str, Enum):
    net = "net"
    expected_net = "expected-net"
    total = "total"
    series = "series"


def expand_inputs(arguments: list[str], catalog: Collection[str] = ()) -> list[tuple[Path, bool]]:
    """Return the clinic files named by paths, folders (every *.yaml) and bundled names.

    Each comes with whether it was named on its own: not found in a folder and
    not one of the ``catalog`` names ``--catalog`` added.
    """
    from ..files.load import folder_profiles, resolve_clinic

    files: list[tuple[Path, bool]] = []
    problems = []
    if arguments.count("-") > 1:  # one stream, read once: the same clinic ranked twice
        raise InputError.single(
            "compare",
            f"standard input (-) is named {arguments.count('-')} times; it holds one clinic",
            "name - once, and the other clinics by their files",
        )
    for name in arguments:
        path = Path(name)
        try:
            if not name.strip():  # Path("") is the current folder: never what was meant
                resolve_clinic(name)
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
        chart_option(
            "Also draw each clinic's cumulative cost (in the scenario that stands for you) as a"
            " PNG or SVG."
        ),
    ] = None,
    rank_by: Annotated[
        RankBy | None,
        option(
            "--rank-by",
            case_sensitive=False,
            help="Rank by net (the net cost of the scenario that stands for you: --scenario,"
            " your person file's, else the expected value), expected-net, total or series"
            " (the induction series' price). Default: net.",
        ),
    ] = None,
    sort: Annotated[SortBy | None, option("--sort", hidden=True, help="Older --rank-by.")] = None,
    series_only: Annotated[
        bool,
        option(
            "--series-only",
            help="Compare the induction series alone: maintenance and monthly fees off, so"
            " clinics that price different things compare like for like.",
        ),
    ] = False,
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
    from ..files.load import currency_problems
    from .output import deliver, fail_over_budget, format_chosen

    if chart is not None:
        from ..report.chart import check_chart_path

        check_chart_path(chart, settings.output)
    names = list(clinics or [])
    catalog: list[str] = []
    if every_bundled:
        from ..files.bundled import profile_names

        catalog = [n for n in profile_names() if n not in names]
    if not names and not catalog:
        raise InputError.single(
            "compare",
            "no clinics to compare",
            "name clinic files, folders or bundled names, or add --catalog for every bundled one",
        )
    files = expand_inputs(names + catalog, catalog)
    # A bundled profile also named as a file (pricing/median-iv.yaml) is compared once.
    if catalog:
        given = {path.resolve() for path, named in files if named and str(path) != "-"}
        files = [(path, named) for path, named in files if named or path.resolve() not in given]
    read = []
    problems = []
    skipped: list[Skipped] = []
    for path, named in _progress(files):
        try:
            clinic, document = settings.read(path)
            if series_only:
                clinic = series_alone(clinic)
            read.append((path, named, clinic, document))
        except InputError as error:
            other = None if named else _other_kind(path)
            if other is None:
                problems.extend(error.problems)
                continue
            from ..report.comparison import Skipped

            # a folder holds the plan, the person file and the ledger beside the clinics
            skipped.append(Skipped(path.name, shown_path(path), f"a {other} file, not a clinic"))
    problems.extend(currency_problems([(clinic.currency, doc) for _, _, clinic, doc in read]))
    if problems:
        raise InputError(problems)
    results = []
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
        if not problems and not unpriceable:  # every file found was of another kind
            raise InputError.single(
                "compare",
                "no clinic profiles among the files: "
                + "; ".join(
                    f"{s.file} is {s.reason.removesuffix(', not a clinic')}" for s in skipped
                ),
                "name clinic files, or a folder holding some",
            )
        unique = list(dict.fromkeys(problems or unpriceable))  # one plan, many clinics
        raise InputError(unique)
    if skipped and _machine_format(settings):
        import typer

        for clinic_skipped in skipped:
            typer.echo(clinic_skipped.line(), err=True)
    if rank_by is not None and sort is not None and rank_by.value != sort.value:
        raise InputError.single(
            "--sort",
            f"--rank-by {rank_by.value} and --sort {sort.value} ask for two rankings",
            "give --rank-by alone (--sort is its older name)",
        )
    by = rank_by or (RankBy(sort.value) if sort is not None else RankBy.net)
    choice = settings.choice(results[0], required=by is RankBy.net)
    if by is RankBy.expected_net and results[0].expected_net is None:
        no_plan = settings.plan is None
        raise InputError.single(
            "--rank-by expected-net",
            "no plan was given, so there is no expected net"
            if no_plan
            else "the plan's scenarios carry no probabilities, so there is no expected net",
            "give a plan whose scenarios have probabilities (--plan FILE), or rank by net"
            if no_plan
            else "give every scenario a probability, or use --rank-by net with --scenario NAME",
        )
    ranked = sorted(results, key=ranking_key(by, choice))
    weighed = None  # with a response rate: each net weighed over its two branches
    if settings.response is not None:
        from .choice import response_net

        # the figure the ranking is by: the expected value's for --rank-by expected-net
        stands = None if by is RankBy.expected_net else choice
        found = [(response_net(r, stands), r.net) for r in ranked]
        weighed = [net if odds is None else odds for odds, net in found]
    from .assumptions import estimate_assumptions

    assumptions = {id(r): estimate_assumptions(r, settings, choice) for r in ranked}

    def report() -> Report:
        from ..report.comparison import compare_report

        title = ranking_title(by, choice, settings.response)
        lead = [
            *like_for_like(ranked, series_only),
            *_assumed_lead(settings, assumptions, choice),
        ]
        return compare_report(
            ranked,
            by.value,
            stale_after,
            skipped,
            lead=lead,
            series_only=series_only,
            title=title,
            chart_scenario=chart_scenario(choice),
            weighed=weighed,
        )

    deliver(
        settings.format,
        settings.output,
        json=lambda: _json(ranked, skipped, assumptions),
        csv=lambda: _csv(ranked, stale_after, weighed, None if choice is None else choice.index),
        reports=lambda: [report()],
        width=settings.width,
    )
    if format_chosen(settings.format, settings.output) == "csv":  # rows alone: said here
        import typer

        for line in _assumed_lead(settings, assumptions, choice):
            typer.echo(line, err=True)
    if chart is not None:
        from ..report.chart import write_chart
        from ..report.comparison import compare_chart

        write_chart(compare_chart(ranked, chart_scenario(choice)), chart)
    from .choice import chosen_net

    fail_over_budget(ranked, settings.fail_over, lambda r: chosen_net(r, choice))


def _json(
    ranked: list[Estimate], skipped: list[Skipped], assumptions: Mapping[int, Sequence[Assumption]]
) -> list[dict[str, Any]]:
    """Return the estimate objects, each with its ``assumptions``; with clinics skipped, each
    also names them (``skipped``)."""
    items = []
    for result in ranked:
        item = {**result.to_dict(), "assumptions": [a.to_dict() for a in assumptions[id(result)]]}
        if skipped:
            item["skipped"] = [s.to_dict() for s in skipped]
        items.append(item)
    return items


def _other_kind(path: Path) -> str | None:
    """Return the kind of a file found in a folder when it is not a clinic, else None."""
    from ..files.load import kind_of, read_document

    try:
        kind = kind_of(read_document(path))
    except InputError:
        return None
    return None if kind == "clinic" else kind


def chart_scenario(choice: ScenarioChoice | None) -> int | None:
    """Return the scenario the chart draws: the chosen one's place; None, the expected value."""
    if choice is None:
        return 0
    return choice.index


def ranking_key(by: RankBy, choice: ScenarioChoice | None) -> Callable[[Estimate], Any]:
    """Return the sort key for ``--rank-by``: its figure first, the other as a tie-break."""
    from .choice import chosen_net, response_net

    def net(result: Estimate) -> Decimal:
        # with a response rate, weighed over its two branches, as the ranking's title says
        weighed = response_net(result, choice)
        return chosen_net(result, choice) if weighed is None else weighed

    def expected(result: Estimate) -> Decimal:
        weighed = response_net(result, None)
        return result.net if weighed is None else weighed

    if by is RankBy.total:
        return lambda r: (r.total, net(r))
    if by is RankBy.series:
        return lambda r: (r.series_with_fees, net(r))
    if by is RankBy.expected_net:
        return lambda r: (expected(r), r.total)
    return lambda r: (net(r), r.total)


def ranking_title(
    by: RankBy, choice: ScenarioChoice | None, response: ResponseTerms | None = None
) -> str:
    """Return the ranking's title, naming the figure it ranks by (and, with a response
    rate, that a ranking by net weighs its two branches)."""
    if by is RankBy.total:
        return "Clinics ranked by total charged"
    if by is RankBy.series:
        return "Clinics ranked by the induction series' price"
    weighed = (
        ""
        if response is None
        else f"; weighing a {percent(response.rate)} response, stopping after"
        f" {plural(response.stop_after, 'series session')} without one"
    )
    if by is RankBy.expected_net or choice is None or choice.index is None:
        return (
            "Clinics ranked by expected net cost (scenarios weighed by their probabilities"
            f"{weighed})"
        )
    if choice.name == "Self-pay":
        return f"Clinics ranked by net cost (self-pay{weighed})"
    return f"Clinics ranked by net cost in the scenario {choice.name!r}{weighed}"


def series_alone(clinic: Clinic) -> Clinic:
    """Return ``clinic`` with its induction series only: no maintenance, no monthly fees."""
    fees = [fee for fee in clinic.fees if fee.per != "month"]
    return clinic.model_copy(update={"maintenance": [], "fees": fees})


def like_for_like(ranked: Sequence[Estimate], series_only: bool) -> list[str]:
    """Return the lines that say when the clinics do not price the same things, naming them.

    Of the two groups, the smaller is named and the larger counted, so the line
    stays short when many clinics are compared.
    """
    lines = []
    if not series_only:
        for what, prices in (
            ("maintenance after the series", [bool(r.clinic.maintenance) for r in ranked]),
            ("a monthly fee", [any(f.per == "month" for f in r.clinic.fees) for r in ranked]),
        ):
            these = [r.clinic.name for r, has in zip(ranked, prices, strict=True) if has]
            others = [r.clinic.name for r, has in zip(ranked, prices, strict=True) if not has]
            if these and others:
                lines.append(
                    f"⚠ Not like for like: {_group(these, others, f'price {what}')}."
                    " --series-only compares the induction series alone."
                )
    lengths: dict[int, list[str]] = {}
    for result in ranked:
        lengths.setdefault(result.clinic.series.sessions, []).append(result.clinic.name)
    if len(lengths) > 1:
        common = max(lengths, key=lambda count: len(lengths[count]))
        named = "; ".join(
            f"{plural(count, 'session')}: {', '.join(names)}"
            for count, names in sorted(lengths.items())
            if count != common
        )
        count = len(lengths[common])
        lines.append(
            "⚠ Not like for like: the series differ in length"
            f" ({named}; {plural(common, 'session')}: {plural(count, 'other clinic')})."
        )
    return lines


def _group(these: Sequence[str], others: Sequence[str], what: str) -> str:
    """Return "A and B price X; 3 other clinics do not", naming the smaller group."""
    if len(these) <= len(others):
        verb = what if len(these) > 1 else what.replace("price ", "prices ", 1)
        rest = "do not" if len(others) > 1 else "does not"
        return f"{_names(these)} {verb}; {plural(len(others), 'other clinic')} {rest}"
    no = what.replace("price ", "", 1)
    verb = "price no" if len(others) > 1 else "prices no"
    rest = "do" if len(these) > 1 else "does"
    return f"{_names(others)} {verb} {no}; {plural(len(these), 'other clinic')} {rest}"


def _names(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _assumed_lead(
    settings: Settings,
    assumptions: Mapping[int, Sequence[Assumption]],
    choice: ScenarioChoice | None,
) -> list[str]:
    """Return the person-file line and every clinic's money-moving defaults, once each."""
    from .assumptions import assumed, assumed_lines, stated_lines

    seen: dict[str, Assumption] = {}
    for listed in assumptions.values():
        for item in assumed(listed):
            seen.setdefault(item.line, item)
    lead = stated_lines(settings, choice)
    return lead + assumed_lines(list(seen.values()))


def _machine_format(settings: Settings) -> bool:
    """Whether the output is JSON or CSV, where the skipped clinics are named on stderr."""
    from .output import format_chosen

    return format_chosen(settings.format, settings.output) in ("json", "csv")


def _csv(
    ranked: list[Estimate], stale_after: int, weighed: list[Decimal] | None, stands: int | None
) -> str:
    from ..report.csvfile import compare_csv  # loaded only for the formats that need it

    return compare_csv(ranked, stale_after, weighed, stands)


def _progress(files: list[T]) -> Iterator[T]:
    """Yield the files, with a progress bar on stderr for long runs in a terminal."""
    if len(files) <= PROGRESS_THRESHOLD or not sys.stderr.isatty():
        yield from files
        return
    from rich.console import Console
    from rich.progress import track

    yield from track(files, description="Estimating", console=Console(stderr=True), transient=True)
