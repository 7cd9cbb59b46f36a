"""A grid of estimates: every combination of varied clinic, plan, timeline and terms values.

The grid is checked whole before anything is computed: every clinic and plan
the grid needs is validated (one invalid point fails the sweep, naming it), and
then the points are evaluated lazily, one row at a time, so a caller can stream
a grid of any size in flat memory. Each point's figures come from the scenario
kernel, as an estimate's do (docs/architecture.md): each clinic and plan variant
is validated once, and a timeline is made once for every point that shares its
clinic, start and horizon.
"""

from __future__ import annotations

import datetime as dt
import inspect
import itertools
import operator
from collections.abc import Callable, Collection, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from ..errors import InputError, Problem
from ..model.clinic import Clinic
from ..model.currency import plan_currency_problem
from ..model.plan import Plan, Terms
from .claims import plan_terms, plan_year_start
from .estimate import estimate
from .horizon import months_problem
from .limits import too_many_scenarios, too_much_work
from .result import Estimate, ScenarioResult
from .scenario import Bounded, Timeline, expected_net, scenario, timeline, weighted
from .schedule import Charge
from .variants import (
    GRID_KEPT,
    PLAN_PREFIX,
    TIMELINE,
    Axis,
    SweepError,
    Variants,
    key_path,
    point_error,
    value_text,
)

MAX_POINTS = 1_000_000
CUT_SHORT_KEPT = 3  # the points cut short a summary names
# The keyword arguments of ``estimate`` a sweep may vary or fix, besides the timeline.
ESTIMATE_TERMS = tuple(
    name
    for name, parameter in inspect.signature(estimate).parameters.items()
    if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    and name not in ("start", "months", "clinic_file")
)
_TERMS_TRIED = 1_000  # combinations of varied terms tried before the first row
_WORK_TRIED = 10_000  # clinic variants × starts whose schedule size is checked up front
METRICS = ("net", "expected_net", "total", "peak_outlay", "reimbursed")
HIGHER_IS_BETTER = frozenset({"reimbursed"})


def kind(key: str) -> str:
    """Return which part of an estimate a key changes: timeline, terms, plan or clinic."""
    if key in TIMELINE:
        return "timeline"
    if key in ESTIMATE_TERMS:
        return "terms"
    if key.startswith(PLAN_PREFIX):
        return "plan"
    return "clinic"


__all__ = [
    "MAX_POINTS",
    "METRICS",
    "PLAN_PREFIX",
    "Axis",
    "Extremes",
    "Sweep",
    "SweepError",
    "SweepRow",
    "better",
    "sweep",
    "value_text",
]


@dataclass(frozen=True, slots=True)
class SweepRow:
    """One point of the grid: its values (one per axis) and every metric there.

    ``net`` is the net cost of the scenario that stands for the person (the
    sweep's ``scenario``, the first by default; the expected net when it is None); ``expected_net`` the
    probability-weighted net (None when the plan gives no probabilities);
    ``total`` what the clinic charges; ``peak_outlay`` the most you are out at
    once in the worst scenario; ``reimbursed`` what the plan pays back, weighted
    by probability where the plan gives them, else in the first scenario. With a
    response rate, ``total``, ``net`` and ``expected_net`` weigh in the branch
    where the treatment does not help.
    """

    index: int
    values: tuple[Any, ...]
    positions: tuple[int, ...]  # the index of each value in its axis
    total: Decimal
    net: Decimal
    expected_net: Decimal | None
    peak_outlay: Decimal
    reimbursed: Decimal
    cut_short: bool = False  # the horizon ends before the series does: part of it is left out

    def metric(self, name: str) -> Decimal | None:
        """Return the value of one metric by its name (one of ``METRICS``)."""
        if name not in METRICS:
            raise ValueError(f"unknown metric {name!r}; one of {', '.join(METRICS)}")
        value: Decimal | None = getattr(self, name)
        return value


def better(metric: str, candidate: Decimal, incumbent: Decimal) -> bool:
    """Return whether ``candidate`` beats ``incumbent``: lower is better, higher for reimbursed."""
    return candidate > incumbent if metric in HIGHER_IS_BETTER else candidate < incumbent


class Extremes:
    """The first, best and worst rows seen for one metric, kept as rows stream past, and
    how many points share the best figure."""

    def __init__(self, metric: str) -> None:
        if metric not in METRICS:
            raise ValueError(f"unknown metric {metric!r}; one of {', '.join(METRICS)}")
        self.metric = metric
        self.first: SweepRow | None = None
        self.best: SweepRow | None = None
        self.worst: SweepRow | None = None
        self.best_count = 0  # the points whose figure equals the best's
        self.cut_short: list[SweepRow] = []  # the points whose horizon cuts the series short

    def add(self, row: SweepRow) -> None:
        """Take one more row into account (the earliest row wins a tie)."""
        if row.cut_short and len(self.cut_short) < CUT_SHORT_KEPT:
            self.cut_short.append(row)
        value = row.metric(self.metric)
        if value is None:
            return
        if self.first is None:
            self.first = self.best = self.worst = row
            self.best_count = 1
            return
        best = self.best.metric(self.metric) if self.best is not None else None
        worst = self.worst.metric(self.metric) if self.worst is not None else None
        if best is None or better(self.metric, value, best):
            self.best, self.best_count = row, 1
        elif value == best:
            self.best_count += 1
        if worst is None or better(self.metric, worst, value):
            self.worst = row


class Sweep:
    """A checked grid: iterate it for one ``SweepRow`` per point, first axis outermost.

    The plan's ``already_met`` counters are as of ``start``, the sweep's own start:
    a point whose start (when ``start`` is varied) falls in another plan year begins
    that plan year with nothing met, as the counters reset when the plan year does.
    """

    def __init__(
        self,
        clinic: Clinic,
        plan: Plan | None,
        axes: Sequence[Axis],
        *,
        start: dt.date,
        months: int,
        terms: Mapping[str, Any] | None = None,
        scenario: int | None = 0,
        stated: Collection[str] | None = None,
    ) -> None:
        self.clinic = clinic
        # with a plan file: the terms its varied keys state, as ``block:term``; the grid is
        # then refused where a point's network or coverage leaves a term to its most
        # generous default
        self._stated = stated
        # the place of the scenario whose net is ``net``; None: the expected net
        self.scenario = scenario
        self.plan = plan
        self.axes = tuple(axes)
        self.start = start
        self.months = months
        self.terms = {k: v for k, v in (terms or {}).items() if v is not None}
        for key in self.terms:
            if key not in ESTIMATE_TERMS:
                raise point_error(
                    key, "", f"estimate takes no {key!r}", "one of " + ", ".join(ESTIMATE_TERMS)
                )
        self._check_axes()
        indexed = [(i, a, key_path(a.key)) for i, a in enumerate(self.axes)]
        self._clinics = Variants(
            Clinic, clinic, [(i, a, p) for i, a, p in indexed if kind(a.key) == "clinic"]
        )
        self._plans = Variants(
            Plan, plan, [(i, a, p[1:]) for i, a, p in indexed if kind(a.key) == "plan"]
        )
        self._clinics.check()
        self._plans.check()
        self._check_currencies()
        self._check_pairs()
        self._plain = not self.terms and not any(kind(a.key) == "terms" for a in self.axes)
        self._check_terms()
        self._check_work()
        self._start_varied = any(a.key == "start" for a in self.axes)
        self._reset: Bounded[tuple[int, ...], Plan] = Bounded(GRID_KEPT)  # plans with nothing met

    def __len__(self) -> int:
        count = 1
        for axis in self.axes:
            count *= len(axis.values)
        return count

    @property
    def first_plan(self) -> Plan | None:
        """The plan at the grid's first point: the given plan, or the one plan keys made."""
        plan: Plan | None = self._plans.get((0,) * len(self._plans.axes))
        return plan

    @property
    def has_probabilities(self) -> bool:
        """Whether the plan (every variant of it) weighs its scenarios by probability."""
        plan = self.first_plan
        return (
            plan is not None and bool(plan.scenarios) and plan.scenarios[0].probability is not None
        )

    def _check_currencies(self) -> None:
        """Refuse a grid with a point whose plan is in another currency than its clinic."""
        for clinic_value, clinic in self._clinics.by_value("currency"):
            for plan_value, plan in self._plans.by_value(PLAN_PREFIX + "currency"):
                mixed = plan_currency_problem(clinic, plan)
                if mixed is None:
                    continue
                given = [pair for pair in (clinic_value, plan_value) if pair is not None]
                path = ", ".join(f"{k}={value_text(v)}" for k, v in given) or "plan.currency"
                key, value = given[-1] if given else (None, None)
                problem = Problem(path=path, message=mixed.message, hint=mixed.hint)
                raise SweepError([problem], key, value)

    def _check_pairs(self) -> None:
        """Refuse up front a point whose clinic and plan cannot go together.

        The network billed, the modality and the plan's coverage decide whether
        the plan has terms for the clinic and who may use the savings program:
        each value of those keys is estimated once, with the first values of the
        others, so an error never follows rows already written.
        """
        keys = ("billing.network", "billing", "modality")
        clinics = [pair for key in keys for pair in self._clinics.by_value(key) if pair[0]]
        plan_keys = [PLAN_PREFIX + "coverage"] + [
            a.key for a in self.axes if a.key.endswith(".copay_only")
        ]
        plans = [pair for key in plan_keys for pair in self._plans.by_value(key) if pair[0]]
        if self._stated is not None:
            self._check_stated(clinics, plans)
        if not clinics and not plans:
            return
        first_clinic = self._clinics.get((0,) * len(self._clinics.axes))
        for clinic_value, clinic in clinics or [(None, first_clinic)]:
            for plan_value, plan in plans or [(None, self.first_plan)]:
                try:
                    estimate(clinic, plan, start=self.start, months=self.months, **self.terms)
                except InputError as error:
                    given = [pair for pair in (clinic_value, plan_value) if pair is not None]
                    path = ", ".join(f"{k}={value_text(v)}" for k, v in given)
                    key, value = given[-1]
                    problems = [replace(p, path=path) for p in error.problems]
                    raise SweepError(problems, key, value) from None

    def _check_stated(
        self,
        clinics: Sequence[tuple[tuple[str, Any] | None, Clinic]],
        plans: Sequence[tuple[tuple[str, Any] | None, Plan | None]],
    ) -> None:
        """Refuse a point whose plan leaves a term to its most generous default there: the
        rule a plan file meets in estimate (docs/plan-format.md), here for every network,
        coverage and copay-only value the grid reaches."""
        first_clinic = self._clinics.get((0,) * len(self._clinics.axes))
        assert self._stated is not None
        for clinic_value, clinic in clinics or [(None, first_clinic)]:
            for plan_value, plan in plans or [(None, self.first_plan)]:
                if plan is None:
                    continue
                billing = clinic.billing
                block = "in_network" if billing.network == "in-network" else "out_of_network"
                here = [n.partition(":")[2] for n in self._stated if n.startswith(f"{block}:")]
                missing = plan.unstated_terms(billing.network, billing.medicare, here)
                if not missing:
                    continue
                given = [pair for pair in (clinic_value, plan_value) if pair is not None]
                path = ", ".join(f"{k}={value_text(v)}" for k, v in given) or "plan"
                problem = Problem(
                    path=path,
                    message=f"the plan's {block} terms leave out"
                    f" {' and '.join(missing)}, which would take the defaults most generous"
                    " to you",
                    hint=f"state them in the plan's {block} block, or vary them too",
                )
                key, value = given[-1] if given else (None, None)
                raise SweepError([problem], key, value)

    def _check_axes(self) -> None:
        seen: set[str] = set()
        for axis in self.axes:
            if axis.key in seen:
                raise point_error(axis.key, "", f"{axis.key} is varied twice", "vary each key once")
            seen.add(axis.key)
            if not axis.values:
                raise SweepError(
                    [Problem(path=axis.key, message="no values to try", hint="give one or more")],
                    axis.key,
                )
            for value in axis.values:
                self._check_value(axis.key, value)
        if len(self) > MAX_POINTS:
            sizes = " × ".join(f"{len(a.values):,} ({a.key})" for a in self.axes)
            raise SweepError(
                [
                    Problem(
                        path=", ".join(a.key for a in self.axes),
                        message=f"the grid has {len(self):,} points ({sizes}),"
                        f" over the limit of {MAX_POINTS:,}",
                        hint="use wider steps or fewer values",
                    )
                ],
                None,
            )

    @staticmethod
    def _check_value(key: str, value: Any) -> None:
        if key == "start" and not isinstance(value, dt.date):
            raise point_error(key, value, "expected a date", "give dates such as 2027-01-04")
        if key == "months" and (isinstance(value, bool) or not isinstance(value, int)):
            raise point_error(key, value, "expected a whole number", "give numbers such as 12")
        wrong = months_problem(value) if key == "months" else None
        if wrong is not None:
            raise point_error(key, value, wrong.message, wrong.hint)

    def _check_terms(self) -> None:
        """Try the estimate's terms (each combination of varied ones, up to a limit) up front."""
        varied = [a for a in self.axes if kind(a.key) == "terms"]
        if not varied and not self.terms:
            return
        combos = itertools.product(*(range(len(a.values)) for a in varied))
        for combo in itertools.islice(combos, _TERMS_TRIED):
            given = {a.key: a.values[i] for a, i in zip(varied, combo, strict=True)}
            try:
                estimate(
                    self.clinic,
                    self.plan,
                    start=self.start,
                    months=self.months,
                    **{**self.terms, **given},
                )
            except InputError as error:
                blamed = varied[0] if varied else None
                value = given[blamed.key] if blamed is not None else None
                raise SweepError(
                    [
                        replace(p, path=", ".join(f"{k}={value_text(v)}" for k, v in given.items()))
                        if given
                        else p
                        for p in error.problems
                    ],
                    blamed.key if blamed is not None else None,
                    value,
                ) from None

    def __iter__(self) -> Iterator[SweepRow]:
        position = {a.key: i for i, a in enumerate(self.axes)}
        # which axes make a point's clinic and which its plan: read once, not per point
        kinds = [kind(a.key) for a in self.axes]
        of_clinic = [i for i, k in enumerate(kinds) if k == "clinic"]
        of_plan = [i for i, k in enumerate(kinds) if k == "plan"]
        at_start, at_months = position.get("start"), position.get("months")
        lines: Bounded[tuple[Any, ...], tuple[Timeline, bool]] = Bounded(GRID_KEPT)  # and cut short
        terms_of: Bounded[Hashable, list[Terms | None]] = Bounded(GRID_KEPT)
        billing_varied = any(a.key.split(".")[0] == "billing" for a in self.axes)
        ranges = [range(len(a.values)) for a in self.axes]
        axis_values = [a.values for a in self.axes]
        for index, combo in enumerate(itertools.product(*ranges)):
            values = tuple(map(operator.getitem, axis_values, combo))
            clinic_combo = tuple([combo[i] for i in of_clinic])
            plan_combo = tuple([combo[i] for i in of_plan])
            clinic: Clinic = self._clinics.get(clinic_combo)
            start = self.start if at_start is None else values[at_start]
            months = self.months if at_months is None else values[at_months]
            plan, fresh = self._plan(plan_combo, start)
            if not self._plain:

                def pick(key: str, default: Any, values: tuple[Any, ...] = values) -> Any:
                    return values[position[key]] if key in position else default

                result = self._estimate(clinic, plan, start, months, pick)
                odds = result.response
                nets = None if odds is None else [s.expected for s in odds.scenarios]
                total = result.total if odds is None else odds.expected_total
                short = _cut_short(clinic, result.events)
                yield _row(
                    index, values, combo, total, result.scenarios, nets, self.scenario, short
                )
                continue
            line_key = (clinic_combo, start, months)
            kept = lines.recall(line_key)
            if kept is None:
                refused = too_much_work(clinic, start, months, plan)
                if refused is not None:  # as estimate refuses it, naming the point
                    raise self._too_big(values, refused.message, refused.hint)
                made = timeline(clinic, start, months)
                kept = lines.keep(line_key, (made, _cut_short(clinic, made.charges)))
            line, short = kept
            # the terms depend on the clinic only through its billing (its network)
            terms_key = (clinic_combo if billing_varied else (), plan_combo, fresh)
            all_terms = terms_of.recall(terms_key)
            if all_terms is None:
                all_terms = terms_of.keep(terms_key, plan_terms(clinic, plan))
            results = [scenario(terms, line) for terms in all_terms]
            yield _row(index, values, combo, line.total, results, None, self.scenario, short)

    def _plan(self, plan_combo: tuple[int, ...], start: dt.date) -> tuple[Plan | None, bool]:
        """Return a point's plan, with nothing met when its start is in another plan year."""
        plan: Plan | None = self._plans.get(plan_combo)
        if plan is None or not self._new_plan_year(plan, start):
            return plan, False
        if not self._start_varied and plan.already_met.as_of is None:
            return plan, False
        reset = self._reset.recall(plan_combo)
        if reset is None:
            reset = self._reset.keep(plan_combo, _counters_reset(plan))
        return reset, True

    def _check_work(self) -> None:
        """Refuse up front a point whose schedule would be too big to make (as estimate does).

        Each clinic variant is tried at the longest horizon and at each start (the
        first and last when there are many); the same check runs again per point.
        Each plan the ``plan.scenarios`` key makes is held to the limit of scenarios.
        """
        by_key = {a.key: a for a in self.axes}
        longest = max(by_key["months"].values) if "months" in by_key else self.months
        starts = list(by_key["start"].values) if "start" in by_key else [self.start]
        clinic_axes = [a for a in self.axes if kind(a.key) == "clinic"]
        combos = list(itertools.product(*(range(len(a.values)) for a in clinic_axes)))
        if len(combos) * len(starts) > _WORK_TRIED:
            starts = [starts[0], starts[-1]]
        for plan_value, varied in self._plans.by_value(PLAN_PREFIX + "scenarios"):
            crowded = too_many_scenarios(varied)
            if crowded is not None and plan_value is not None:  # the first plan: below
                point = f"{plan_value[0]}={value_text(plan_value[1])}"
                problem = Problem(path=point, message=crowded.message, hint=crowded.hint)
                raise SweepError([problem], *plan_value)
        plan = self.first_plan
        for combo in combos[:_WORK_TRIED]:
            clinic: Clinic = self._clinics.get(combo)
            for start in starts:
                refused = too_much_work(clinic, start, longest, plan)
                if refused is not None:
                    shown = [(a.key, a.values[i]) for a, i in zip(clinic_axes, combo, strict=True)]
                    shown += [("start", start)] if "start" in by_key else []
                    shown += [("months", longest)]
                    point = ", ".join(f"{k}={value_text(v)}" for k, v in shown)
                    blamed, value = None, None
                    if clinic_axes:
                        blamed, value = clinic_axes[0].key, clinic_axes[0].values[combo[0]]
                    elif "months" in by_key:
                        blamed, value = "months", longest
                    raise SweepError(
                        [Problem(path=point, message=refused.message, hint=refused.hint)],
                        blamed,
                        value,
                    )

    def _too_big(self, values: tuple[Any, ...], message: str, hint: str) -> SweepError:
        point = ", ".join(
            f"{a.key}={value_text(v)}" for a, v in zip(self.axes, values, strict=True)
        )
        problem = Problem(path=point, message=message, hint=hint)
        return SweepError([problem], self.axes[0].key, values[0])

    def _new_plan_year(self, plan: Plan, start: dt.date) -> bool:
        """Whether ``start`` falls in another plan year than the one the plan's counters were
        read in: ``already_met.as_of``, else the sweep's own start."""
        month_day = plan.plan_year_starts
        read = plan.already_met.as_of or self.start
        return plan_year_start(start, month_day) != plan_year_start(read, month_day)

    def _estimate(
        self,
        clinic: Clinic,
        plan: Plan | None,
        start: dt.date,
        months: int,
        pick: Callable[[str, Any], Any],
    ) -> Estimate:
        given = {a.key: pick(a.key, None) for a in self.axes if kind(a.key) == "terms"}
        return estimate(clinic, plan, start=start, months=months, **{**self.terms, **given})


def _counters_reset(plan: Plan) -> Plan:
    """Return ``plan`` with nothing met yet: what was met counts only in its own plan year."""
    return plan.model_copy(update={"already_met": type(plan.already_met)()})


def _cut_short(clinic: Clinic, charges: Sequence[Charge]) -> bool:
    """Whether a horizon's charges hold fewer series sessions than the series has (as
    estimate warns: the figures leave the rest of the series out)."""
    return sum(1 for charge in charges if charge.item == "series") < clinic.series.sessions


def _row(
    index: int,
    values: tuple[Any, ...],
    positions: tuple[int, ...],
    total: Decimal,
    scenarios: Sequence[ScenarioResult],
    nets: Sequence[Decimal] | None,
    scenario: int | None,
    cut_short: bool = False,
) -> SweepRow:
    """Return the metrics of one point from its scenarios (``net``: ``scenario``'s, or the
    expected net when ``scenario`` is None).

    ``nets`` are the response-weighed nets, when the point weighs a response rate.
    """
    weights = [s.probability for s in scenarios]
    reimbursed = weighted(weights, [s.reimbursed for s in scenarios])
    if nets is None:
        nets, expected = [s.net for s in scenarios], expected_net(scenarios)
    else:
        expected = weighted(weights, nets)
    net = (nets[0] if expected is None else expected) if scenario is None else nets[scenario]
    return SweepRow(
        index=index,
        values=values,
        positions=positions,
        total=total,
        net=net,
        expected_net=expected,
        peak_outlay=max(s.peak_outlay for s in scenarios),
        reimbursed=scenarios[scenario or 0].reimbursed if reimbursed is None else reimbursed,
        cut_short=cut_short,
    )


def sweep(
    clinic: Clinic,
    plan: Plan | None = None,
    vary: Mapping[str, Sequence[Any]] | None = None,
    *,
    start: dt.date | None = None,
    months: int = 12,
    scenario: str | None = None,
    **terms: Any,
) -> Sweep:
    """Return the grid of ``vary``'s values over ``clinic`` and ``plan``, checked and ready.

    Each row's ``net`` is the net of the plan's scenario named ``scenario``; left out, the
    expected net where the scenarios carry probabilities, or the plan's only scenario's.
    A plan with several scenarios and no probabilities needs ``scenario``: the first is
    never taken for being first (a "Denied" scenario listed first would stand for you).

    ``vary`` maps each key to its values, e.g. ``{"series.later_price": ["500",
    "550"], "plan.out_of_network.allowed": ["50%", "70%"]}``; the first key is
    the outer loop. Keys are clinic paths, ``plan.`` and a plan path, ``start``,
    ``months``, or any term ``estimate`` takes (``finance``, ...); ``terms``
    gives such terms for every point. Iterate the result for one ``SweepRow``
    per point. Every variant is validated here, so a bad value raises
    ``SweepError`` (an ``InputError``) before any row is computed.
    """
    axes = [Axis(key, tuple(values)) for key, values in (vary or {}).items()]
    return Sweep(
        clinic,
        plan,
        axes,
        start=start or dt.date.today(),
        months=months,
        terms=terms,
        scenario=_standing(plan, scenario),
    )


def _standing(plan: Plan | None, name: str | None) -> int | None:
    """Return the place of the scenario named ``name``, or None for the expected net (or
    the only scenario); raise ``InputError`` when several scenarios leave it unknown."""
    scenarios = plan.scenarios if plan is not None else []
    names = [s.name for s in scenarios]
    if name is not None:
        wanted = " ".join(name.split()).casefold()
        found = [i for i, n in enumerate(names) if " ".join(n.split()).casefold() == wanted]
        only = "self-pay" if plan is None else " ".join(plan.name.split()).casefold()
        if not found and not names and wanted in (only, "self-pay"):
            return None  # the one scenario, named as the plan (or self-pay without one)
        if not found:
            raise InputError.single(
                "scenario",
                f"the plan has no scenario {name!r}",
                "one of " + ", ".join(repr(n) for n in names) if names else "the plan has one",
            )
        return found[0]
    if len(scenarios) > 1 and any(s.probability is None for s in scenarios):
        raise InputError.single(
            "scenario",
            "the plan's scenarios carry no probabilities, so none stands for you by itself",
            "pass scenario= one of " + ", ".join(repr(n) for n in names),
        )
    return None
