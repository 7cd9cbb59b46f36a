"""``ketacost sweep``: one clinic over a grid of prices, plan terms and start dates."""

from __future__ import annotations

import itertools
import json
import math
import sys
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from ..errors import InputError, Problem
from .assumptions import Assumption
from .choice import ScenarioChoice
from .flags import OUTPUT
from .options import ClinicArgument, guarded, option
from .settings import Settings, sweep_options

PROGRESS_AFTER = 0.25  # seconds of work before guessing whether a bar is worth showing
PROGRESS_OVER = 1.0  # show a bar when the whole grid looks like taking longer than this
SWEEP = "Sweep"


@dataclass(frozen=True)
class _Points:
    """The rows of a sweep as they are computed, and what names them in any output."""

    format: str
    output: Path | None
    rows: Iterator[Any]
    keys: tuple[str, ...]
    metric: str
    varies: Sequence[Any]


class Metric(str, Enum):
    net = "net"
    expected_net = "expected-net"
    total = "total"
    peak_outlay = "peak-outlay"
    reimbursed = "reimbursed"


@guarded
@sweep_options
def sweep_command(
    settings: Settings,
    clinic: ClinicArgument = None,
    vary: Annotated[
        list[str] | None,
        option(
            "--vary",
            metavar="KEY=SPEC",
            panel=SWEEP,
            help="A key and its values, a list a,b,c or a range FROM..TO:STEP:"
            " series.later_price=400..700:50, start=2027-01-04..2027-12-27:1m."
            " Repeat for a grid.",
        ),
    ] = None,
    metric: Annotated[
        Metric | None,
        option(
            "--metric",
            case_sensitive=False,
            panel=OUTPUT,
            help="What to rank points by (default: expected-net when the plan's scenarios have"
            " probabilities, else net).",
        ),
    ] = None,
) -> None:
    """Evaluate every point of a grid of prices, plan terms or start dates in one run."""
    from ..engine.sweep import Axis, Sweep, SweepError
    from ..files.load import read_clinic, resolve_clinic
    from ..model.plan import BLOCKS
    from ..report.deliver import choose_format
    from .coverage import coverage_for
    from .financing import finance_terms
    from .settings import varied_terms_complete
    from .vary import parse_vary, varied_terms

    output = settings.output
    if settings.fail_over is not None:
        raise InputError.single(
            "--fail-over",
            "a sweep has no single net cost to check against a budget",
            "run estimate with --fail-over for one point, or read the sweep's rows",
        )
    if not vary:
        raise InputError.single(
            "--vary",
            "nothing to vary",
            "give one or more --vary KEY=SPEC, e.g. --vary series.later_price=400..700:50",
        )
    varies = [parse_vary(text) for text in vary]
    set_keys = {o.partition("=")[0].strip() for o in settings.overrides}
    both = sorted(set_keys & {v.key for v in varies})
    if both:  # the grid's values would replace the --set one at every point
        raise InputError.single(
            f"--set {both[0]}",
            f"{both[0]} is both set (--set) and varied (--vary)",
            "give it once: --vary for a grid of values, --set for one",
        )
    network = settings.plan.network if settings.plan is not None else None
    if network is not None and any(v.key in ("billing.network", "billing") for v in varies):
        raise InputError.single(
            "--network",
            f"--network {network.removesuffix('-network')} would fix the network that"
            " --vary billing.network varies",
            "give one of them: --network for every point, or the varied billing.network",
        )
    chosen = choose_format(settings.format.value if settings.format else None, output)
    _count_first(varies, chosen)
    profile, clinic_document = read_clinic(resolve_clinic(clinic), overrides=settings.overrides)
    varied = varied_terms(vary)
    profile, insurance = coverage_for(
        profile, clinic_document, settings.plan, settings.savings, varied
    )
    varies = [v.in_network(profile.billing.network) for v in varies]
    block = BLOCKS.get(profile.billing.network)
    if block is not None:  # a key varied in the other network's block states nothing here
        varied_terms_complete(settings.plan, varied, block)
    _once_each(varies)
    axes = [Axis(v.key, _typed_values(v, profile, settings)) for v in varies]
    choice = _scenario(settings, insurance, metric)
    try:
        base_block = BLOCKS.get(profile.billing.network, "out_of_network")
        stated = (
            None
            if settings.plan is None or settings.plan.path is None
            else [n if ":" in n else f"{base_block}:{n}" for n in varied]
        )
        grid = Sweep(
            profile,
            insurance,
            axes,
            start=settings.start,
            months=settings.months,
            terms={
                "response": settings.response,
                "personal": settings.personal,
                "finance": finance_terms(settings.finance, profile),
                "savings": settings.savings,
                "tax": settings.tax,
            },
            scenario=choice.index,  # None: the expected value stands for you
            stated=stated,
        )
    except SweepError as error:
        raise _named(error, varies) from None
    probabilities = grid.has_probabilities
    if metric is None:
        ranked = "expected_net" if probabilities and choice.expected else "net"
    else:
        ranked = metric.value.replace("-", "_")
        if ranked == "expected_net" and not probabilities:
            raise InputError.single(
                "--metric expected-net",
                "the plan's scenarios carry no probabilities, so there is no expected net",
                "give every scenario a probability, or use --metric net",
            )
    if chosen not in ("csv", "json") and len(grid) > _max_cells():
        raise InputError.single(
            " ".join(v.flag for v in varies),
            f"the grid has {len(grid):,} points; a {chosen} holds at most {_max_cells():,}",
            "use --format csv or --format json for larger grids (they stream)",
        )
    keys = tuple(v.shown_key for v in varies)
    streaming = chosen in ("csv", "json")
    # a bar would tangle with rows streaming to the same terminal
    bar = not (streaming and (output is None or str(output) == "-") and sys.stdout.isatty())
    rows = _checked(grid, varies)
    if bar:
        rows = with_progress(rows, len(grid))
    points = _Points(chosen, output, rows, keys, ranked, varies)
    assumed = _assumptions(
        settings, resolve_clinic(clinic), varies, choice, grid.first_plan, varied
    )
    from .assumptions import stated_lines

    said = stated_lines(settings, choice)  # what the person file and --set gave, as estimate
    if streaming:
        _stream(points, profile.currency, assumed, said)
    else:
        _draw(points, profile, insurance, grid, settings.width, assumed, choice, said)


def _scenario(settings: Settings, plan: Any, metric: Metric | None) -> ScenarioChoice:
    """Return the scenario whose net is the rows' ``net`` (docs/assumptions.md): the one
    named, else the expected value where the plan gives probabilities, else the plan's
    only scenario; never the first by default when the plan has several."""
    from .choice import choose_scenario

    names = ["Self-pay"] if plan is None else [terms.name for terms in plan.terms(None)]
    weighted = (
        plan is not None and bool(plan.scenarios) and plan.scenarios[0].probability is not None
    )
    given = settings.named_scenarios(with_plan=plan is not None)
    ranked = "--metric net ranks the points by one scenario's net" if metric is Metric.net else None
    return choose_scenario(
        names, weighted=weighted, plan=settings.plan_name, given=given, why=ranked
    )


def _assumptions(
    settings: Settings,
    clinic_file: Path,
    varies: Sequence[Any],
    choice: ScenarioChoice,
    first_plan: Any,
    varied: Collection[str] = (),
) -> list[Assumption]:
    """Return what the grid assumed, as the estimate at its unvaried point does, with each
    varied key stated by its flag.

    With no plan file and no plan flag, the plan is made of the varied keys alone: the
    estimate without them has no plan, so the plan's line and the terms the varied keys
    leave to their defaults are read from the grid's first plan.
    """
    from .assumptions import Assumption, estimate_assumptions

    base = settings.run(clinic_file, varied)  # the varied terms count as stated
    if settings.plan is None and first_plan is not None:
        from dataclasses import replace

        from ..engine.estimate import estimate

        planned = estimate(base.clinic, first_plan, start=base.start, months=base.months)
        base = base._replace(plan=first_plan, scenarios=planned.scenarios)
        if choice.index is not None:  # chosen before the plan was made: name its scenario
            choice = replace(choice, name=planned.scenarios[choice.index].name)
    found = list(estimate_assumptions(base, settings, choice))
    varied = {v.shown_key for v in varies}
    found = [
        a
        for a in found
        if a.what not in varied and not any(a.what.startswith(_what(key)) for key in varied)
    ]
    found += [Assumption(v.shown_key, ", ".join(v.labels), "flag") for v in varies]
    rate_varied = any(v.key == "response" and v.shown_key != "stop-after" for v in varies)
    if rate_varied and settings.response is None:  # the varied rate's stop rule, by default
        from ..engine.response import DEFAULT_STOP_AFTER

        found.append(
            Assumption(
                "without a response, stop after",
                f"{DEFAULT_STOP_AFTER} series sessions",
                "default",
            )
        )
    return found


def _what(key: str) -> str:
    """Return how the assumptions name a varied plan key: ``plan.out_of_network.allowed``
    is "allowed amount (out-of-network)", the term in that network's block alone."""
    from ..model.plan import BLOCKS
    from .assumptions import TERMS

    if key.replace("_", "-") == "stop-after":
        return "without a response, stop after"
    parts = key.split(".")
    what = next((what for name, what, _ in TERMS if name == parts[-1]), None)
    if what is None:
        return key
    networks = {block: network for network, block in BLOCKS.items()}
    network = networks.get(parts[1]) if len(parts) == 3 else None
    return what if network is None else f"{what} ({network})"


def _count_first(varies: Sequence[Any], chosen: str) -> None:
    """Refuse a grid too big for its format by counting its points, before computing any."""
    from ..engine.sweep import MAX_POINTS

    count = math.prod(len(v.values) for v in varies)
    flags = " ".join(v.flag for v in varies)
    if count > MAX_POINTS:
        raise InputError.single(
            flags,
            f"the grid has {count:,} points, over the limit of {MAX_POINTS:,}",
            "use wider steps or fewer values",
        )
    if chosen not in ("csv", "json") and count > _max_cells():
        raise InputError.single(
            flags,
            f"the grid has {count:,} points; a {chosen} holds at most {_max_cells():,}",
            "use --format csv or --format json for larger grids (they stream)",
        )


def _once_each(varies: Sequence[Any]) -> None:
    """Refuse a key varied by two flags, naming the second: its values belong in the first."""
    first: dict[str, Any] = {}
    for vary in varies:
        earlier = first.get(vary.key)
        if earlier is not None and vary.key == "response" and earlier.shown_key != vary.shown_key:
            raise InputError(
                [
                    vary.problem(
                        f"{vary.shown_key} and {earlier.shown_key} make one response model:"
                        " vary one of them at a time",
                        "give the rate as a flag and vary the stop rule, e.g. --response-rate"
                        " 50% --vary stop-after=2,3",
                    )
                ]
            )
        if earlier is not None:
            raise InputError(
                [
                    vary.problem(
                        f"{vary.shown_key} is varied twice (also by {earlier.flag})",
                        "vary each key once: list every value in one flag, e.g."
                        f" --vary {earlier.shown_key}="
                        + ",".join([*earlier.labels[:2], *vary.labels[:2]]),
                    )
                ]
            )
        first[vary.key] = vary


def _labels(varies: Sequence[Any]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(v.labels) for v in varies)


def _max_cells() -> int:
    from ..report.sweep import MAX_CELLS

    return MAX_CELLS


def _typed_values(vary: Any, clinic: Any, settings: Settings) -> tuple[Any, ...]:
    """Return the flag's values as the engine takes them: loan terms, the response model."""
    if vary.key == "response":
        from ..engine.response import DEFAULT_STOP_AFTER, ResponseTerms

        if vary.shown_key.replace("_", "-") == "stop-after":
            if settings.response is None:
                raise InputError([vary.problem("needs --response-rate", "add --response-rate 50%")])
            rate = settings.response.rate
            return tuple(ResponseTerms(rate=rate, stop_after=stop) for stop in vary.values)
        stop = DEFAULT_STOP_AFTER if settings.response is None else settings.response.stop_after
        return tuple(ResponseTerms(rate=rate, stop_after=stop) for rate in vary.values)
    if vary.key != "finance":
        return tuple(vary.values)
    from .financing import finance_terms

    values = []
    for index, text in enumerate(vary.values):
        try:
            values.append(finance_terms(text, clinic))
        except InputError as error:
            first = error.problems[0]
            raise InputError([vary.problem(first.message, first.hint, index)]) from None
    return tuple(values)


def _named(error: Any, varies: Sequence[Any]) -> InputError:
    """Return an engine error about a field and a point as one about the ``--vary`` flag."""
    from ..engine.sweep import value_text

    vary = next((v for v in varies if v.key == error.key), None)
    if vary is None:
        flags = " ".join(v.flag for v in varies)
        return InputError(
            [Problem(path=flags, message=p.message, hint=p.hint) for p in error.problems]
        )
    index = None
    if error.value is not None:
        shown = value_text(error.value)
        index = next(
            (i for i, v in enumerate(vary.values) if value_text(v) == shown),
            None,
        )
    problems = []
    for problem in error.problems:
        message = problem.message
        about_key = error.value in (None, "") or message.startswith("unknown key")
        if not about_key:
            message = f"at the point {problem.path}: {message}"
        if about_key:
            key_at = len("--vary ") + 1
            problems.append(
                Problem(
                    path=vary.flag,
                    message=message,
                    line=1,
                    column=key_at,
                    source_line=vary.flag,
                    width=len(vary.shown_key),
                    hint=problem.hint,
                )
            )
        else:
            problems.append(vary.problem(message, problem.hint, index))
    return InputError(problems)


def _checked(rows: Iterable[Any], varies: Sequence[Any]) -> Iterator[Any]:
    """Yield the rows; an error found while evaluating still names the flags."""
    from ..engine.sweep import SweepError

    try:
        yield from rows
    except SweepError as error:
        raise _named(error, varies) from None


def with_progress(rows: Iterator[Any], total: int) -> Iterator[Any]:
    """Yield the rows, with a progress bar on a terminal's stderr when the grid is slow.

    After ``PROGRESS_AFTER`` seconds of work the pace so far tells whether the
    whole grid would take over ``PROGRESS_OVER`` seconds; only then is a bar drawn.
    """
    if not sys.stderr.isatty():
        yield from rows
        return
    began = time.monotonic()
    for done, row in enumerate(rows, 1):
        yield row
        elapsed = time.monotonic() - began
        if elapsed >= PROGRESS_AFTER:
            if elapsed / done * total > PROGRESS_OVER and done < total:
                yield from _bar(rows, total, done)
            else:
                yield from rows
            return


def _bar(rows: Iterator[Any], total: int, done: int) -> Iterator[Any]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "sweep",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("sweep", total=total, completed=done)
        for row in rows:
            yield row
            progress.advance(task)


def _stream(
    points: _Points, currency: str, assumed: Sequence[Assumption], said: Sequence[str] = ()
) -> None:
    """Write CSV or JSON a row at a time; name the best point on stderr at the end, and
    with CSV what the rows assumed (``said``: what the person file and --set gave)."""
    from ..engine.sweep import Extremes
    from ..files.atomic import replace_atomically
    from ..report.deliver import write_stream
    from ..report.sweep import SweepContext, csv_header, csv_row, json_row, summary

    extremes = Extremes(points.metric)

    context = SweepContext("", points.keys, _labels(points.varies), points.metric, currency, ())

    first = next(points.rows)  # a point that fails at once leaves nothing half-written
    rows = itertools.chain([first], points.rows)

    def write(stream: IO[str]) -> None:
        if points.format == "csv":
            stream.write(csv_header(points.keys))
            for row in rows:
                extremes.add(row)
                stream.write(csv_row(context, row))
        else:
            header = {"header": True, "assumptions": [a.to_dict() for a in assumed]}
            stream.write("[\n  " + json.dumps(header, ensure_ascii=False))
            separator = ",\n  "
            for row in rows:
                extremes.add(row)
                stream.write(separator + json_row(context, row))
                separator = ",\n  "
            stream.write("\n]\n")

    if points.output is None or str(points.output) == "-":
        write_stream(write)
    else:

        def fill(temporary: str) -> None:
            with open(temporary, "w", encoding="utf-8", newline="") as stream:
                write(stream)

        replace_atomically(points.output, fill)
    for line in summary(context, extremes):
        typer.echo(line, err=True)
    if points.format == "csv":
        from .assumptions import assumed_lines

        for line in [*said, *assumed_lines(assumed)]:
            typer.echo(line, err=True)


def _draw(
    points: _Points,
    clinic: Any,
    plan: Any,
    grid: Any,
    width: int | None,
    assumed: Sequence[Assumption],
    choice: ScenarioChoice,
    said: Sequence[str] = (),
) -> None:
    """Draw the grid (two keys) or one row per point as a table, Markdown or HTML;
    ``said``: the lines naming what the person file and --set gave."""
    from ..report.deliver import emit
    from ..report.sweep import SweepContext, metric_meaning, sweep_report
    from ..report.words import plural

    held = list(points.rows)
    fixed = " ".join(v.flag for v in points.varies)
    from .assumptions import assumed_lines

    made = grid.first_plan
    first = made.terms()[0].name if made is not None else "Self-pay"
    if choice.index is not None and made is not None:
        first = made.terms()[choice.index].name
    elif choice.expected:
        first = "the expected value"
    shown_plan = "No plan: self-pay"
    if plan is not None:
        shown_plan = f"Plan: {plan.name}"
    elif made is not None:
        shown_plan = "Plan: made of the varied plan keys alone (no plan file)"
    details = [
        shown_plan,
        f"Start {grid.start.isoformat()}, {plural(grid.months, 'month')}, unless varied",
        f"Varied: {fixed} ({len(grid):,} points); everything else as in the files"
        + (" and --set" if any(line.startswith("Set over") for line in said) else ""),
        metric_meaning(points.metric, first),
        *said,
        *assumed_lines(assumed),
    ]
    if (
        plan is not None
        and plan.already_met.anything
        and ("start" in points.keys or plan.already_met.as_of is not None)
    ):
        read = plan.already_met.as_of or grid.start
        details.append(
            f"What the plan says is already met counts for starts in the plan year of"
            f" {read.isoformat()}; a start in another plan year begins it with nothing met"
        )
    context = SweepContext(
        clinic.name,
        points.keys,
        _labels(points.varies),
        points.metric,
        clinic.currency,
        tuple(details),
    )
    report = sweep_report(context, held)
    if points.format == "md":
        from ..report.markdown import to_markdown

        emit(to_markdown([report]), points.output)
    elif points.format == "html":
        from ..report.html import to_html

        emit(to_html([report]), points.output)
    else:
        from ..report.terminal import to_rich
        from .options import terminal_width, use_color

        emit(
            to_rich([report], color=use_color(points.output), width=terminal_width(width)),
            points.output,
        )
