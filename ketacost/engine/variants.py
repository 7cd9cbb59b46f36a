"""The values a sweep varies, and the clinic and plan variants they make, each validated once.

A value is set into the base model's data by its dotted path and the data is
validated whole, so checks across fields still run; a bad value becomes a
``SweepError`` naming the key and the value, with "did you mean" for unknown keys.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import InputError, Problem
from ..files.diagnose import problems_from
from ..files.yaml_source import Document, Span
from ..model.plan import Plan
from .financing import FinanceTerms
from .scenario import Bounded

PLAN_PREFIX = "plan."
TERMS_BLOCKS = ("in_network", "out_of_network")  # a plan's terms, one block a network
TIMELINE = ("start", "months")
GRID_KEPT = 1_024  # variants built, and timelines and terms a sweep keeps, per sweep


@dataclass(frozen=True, slots=True)
class Axis:
    """One varied key and the values it takes, in order.

    ``key`` is a clinic path (``series.later_price``), ``plan.`` and a plan path
    (``plan.out_of_network.allowed``), ``start``, ``months``, or a term the
    estimate takes (``finance``, ...). Clinic and plan values are what a profile
    would hold (``Decimal``, ``int``, ``"50%"``, ``"$400"``); ``start`` takes
    dates, ``months`` whole numbers, and a term what ``estimate`` takes for it.
    """

    key: str
    values: tuple[Any, ...]


class SweepError(InputError):
    """A grid that cannot be evaluated: a bad key, a bad value, or too many points.

    ``key`` names the field (the axis key) and ``value`` the offending value, when
    one value is to blame; each problem's ``path`` is ``key=value``.
    """

    def __init__(self, problems: list[Problem], key: str | None, value: Any = None) -> None:
        super().__init__(problems)
        self.key = key
        self.value = value


def value_text(value: Any) -> str:
    """Return a grid value as a person would type it: ``450``, ``50%``, ``2027-01-04``."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, FinanceTerms):
        return value.name
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def point_error(key: str, value: Any, message: str, hint: str | None = None) -> SweepError:
    return SweepError(
        [Problem(path=f"{key}={value_text(value)}", message=message, hint=hint)], key, value
    )


def key_path(dotted: str) -> list[str | int]:
    """Return a dotted key's parts, digits as list indexes: ``maintenance.0.price``."""
    return [int(p) if p.isascii() and p.isdigit() else p for p in dotted.split(".")]


class Variants:
    """The distinct clinics (or plans) a grid needs, each validated once.

    Values of this model's axes are set into the base model's data by path, and
    the data validated as a whole, so checks across fields still run; errors
    name the point and come with "did you mean" for unknown keys.
    """

    def __init__(
        self,
        model: type[BaseModel],
        base: BaseModel | None,
        axes: Sequence[tuple[int, Axis, list[str | int]]],
    ) -> None:
        self.model = model
        self.axes = axes
        self.create = model is Plan  # a plan key may add a section, as the what-if flags do
        self.base: dict[str, Any] = (
            base.model_dump(mode="json", exclude_unset=True)
            if base is not None
            else {"kind": "plan", "name": "What-if plan"}
        )
        self.base_model = base
        self.kept: Bounded[tuple[int, ...], Any] = Bounded(GRID_KEPT)

    def check(self) -> None:
        """Validate every variant (raise ``SweepError`` at the first bad one); keep the first few."""
        for combo in itertools.product(*(range(len(a.values)) for _, a, _ in self.axes)):
            built = self._build(combo)
            if len(self.kept) < GRID_KEPT:
                self.kept.keep(combo, built)

    def get(self, combo: tuple[int, ...]) -> Any:
        """Return the variant for these value indexes of this model's axes."""
        if not self.axes:
            return self.base_model
        found = self.kept.get(combo)
        return found if found is not None else self.kept.keep(combo, self._build(combo))

    def by_value(self, key: str) -> list[tuple[tuple[str, Any] | None, Any]]:
        """Return ``((key, value), variant)`` for each value of the axis ``key``, others first.

        When ``key`` is not varied: the first variant alone, with None for the pair.
        """
        keys = [axis.key for _, axis, _ in self.axes]
        if key not in keys:
            return [(None, self.get((0,) * len(keys)))]
        at = keys.index(key)
        return [
            ((key, value), self.get(tuple(index if n == at else 0 for n in range(len(keys)))))
            for index, value in enumerate(self.axes[at][1].values)
        ]

    def _build(self, combo: tuple[int, ...]) -> Any:
        data = self.base
        overrides: dict[tuple[str | int, ...], tuple[str, Span]] = {}
        labels = []
        for (_, axis, parts), index in zip(self.axes, combo, strict=True):
            value = axis.values[index]
            label = f"{axis.key}={value_text(value)}"
            labels.append(label)
            data = self._set(data, parts, value, axis, label)
            overrides[tuple(parts)] = (label, Span(line=1, column=1, width=len(label)))
        try:
            return self.model.model_validate(data)
        except ValidationError as error:
            document = Document(path=", ".join(labels), lines=[], data=data, overrides=overrides)
            problems = problems_from(error, document, self.model)
            if not self.axes:  # the model as given, read back: no value to blame
                raise SweepError(problems, None, None) from None
            blamed = next(
                (
                    (axis, axis.values[index])
                    for (_, axis, _), index, label in zip(self.axes, combo, labels, strict=True)
                    if any(p.path == label for p in problems)
                ),
                (self.axes[0][1], self.axes[0][1].values[combo[0]]),
            )
            raise SweepError(problems, blamed[0].key, blamed[1]) from None

    def _set(
        self, data: dict[str, Any], parts: list[str | int], value: Any, axis: Axis, label: str
    ) -> dict[str, Any]:
        """Return a copy of ``data`` with ``value`` at ``parts``; only that path is copied."""
        root: dict[str, Any] = dict(data)
        node: Any = root
        for depth, part in enumerate(parts[:-1]):
            if isinstance(node, dict) and isinstance(part, int) and str(part) in node:
                part = str(part)  # a mapping keyed by digits, such as a billing code
            child = node.get(part) if isinstance(node, dict) else None
            if isinstance(node, list) and isinstance(part, int) and part < len(node):
                child = node[part]
            if child is None and self.create and isinstance(node, dict):
                if depth == 0 and part in TERMS_BLOCKS and self.base_model is not None:
                    raise self._no_block(axis, str(part), label)
                child = {}
            if isinstance(child, dict):
                child = dict(child)
            elif isinstance(child, list):
                child = list(child)
            else:
                raise self._missing(axis, parts[: depth + 1], label)
            node[part] = child
            node = child
        last = parts[-1]
        if isinstance(node, dict) and isinstance(last, int):
            last = str(last)  # a list index only in a list
        if isinstance(node, list):
            if not isinstance(last, int) or last >= len(node):
                raise self._missing(axis, parts, label)
        elif not isinstance(node, dict):
            raise self._missing(axis, parts, label)
        node[last] = value
        return root

    def _no_block(self, axis: Axis, block: str, label: str) -> SweepError:
        """Refuse a varied key that would give a plan a terms block it does not have: every
        term but the one varied would take the most generous default."""
        return SweepError(
            [
                Problem(
                    path=label,
                    message=f"the plan has no {block} terms: varying one of them would make"
                    " up the rest (100% allowed, no deductible, 0% coinsurance)",
                    hint=f"add an {block}: block to the plan (deductible, coinsurance,"
                    " allowed), or vary a term of a block it has",
                )
            ],
            axis.key,
        )

    def _missing(self, axis: Axis, parts: Sequence[str | int], label: str) -> SweepError:
        dotted = ".".join(str(p) for p in parts)
        what = "plan" if self.model is Plan else "profile"
        example = "out_of_network.allowed" if self.model is Plan else "series.later_price"
        return SweepError(
            [
                Problem(
                    path=label,
                    message=f"the {what} has no {dotted!r} to vary",
                    hint=f"vary a key under a section the {what} has, e.g. {example}",
                )
            ],
            axis.key,
        )
