"""``--vary KEY=SPEC`` text into typed grid axes: lists ``a,b,c`` and ranges ``from..to:step``.

Ranges step in money (``400..700:50``, ``$400..$700:$50``), percent
(``50%..100%:10%``), whole or decimal numbers, or dates (``2027-01-04..2027-12-27:1m``,
with steps ``Nd``, ``Nw``, ``Nm``; a month step is start + k months, clamped to
the month's end). ``to`` is included only when a step lands on it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from ..engine.horizon import add_months
from ..engine.sweep import MAX_POINTS, PLAN_PREFIX, value_text
from ..errors import InputError, Problem

# Whole-picture keys and the estimate term each sets: a rate and a stop rule make one
# response model.
TERM_KEYS = {"response-rate": "response", "stop-after": "response", "finance": "finance"}
TIMELINE_KEYS = ("start", "months")
# What-if plan keys, as the flags of the same names set them: a key of the plan's terms for
# the network the clinic is estimated in (`allowed` is plan.out_of_network.allowed for a
# clinic billed out of network). The command fills in the network once the clinic is read.
NETWORK_KEYS = {
    "allowed": "allowed",
    "deductible": "deductible",
    "coinsurance": "coinsurance",
    "copay": "copay",
    "oop-max": "out_of_pocket_max",
}
# A plan path's last key, as the what-if flag of the same term is named.
_TERM_FLAGS = {"out_of_pocket_max": "oop_max"}
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATE_STEP = re.compile(r"^([0-9]+)\s*([dwm])$")
_NUMBER = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_RANGE_HINT = (
    "write a range as FROM..TO:STEP, e.g. 400..700:50, 50%..100%:10% or 2027-01-04..2027-12-27:1m"
)


@dataclass(frozen=True)
class Vary:
    """One ``--vary`` flag: the engine's key, its values, and where each value was written."""

    flag: str  # the whole flag as typed: "--vary series.later_price=400..700:50"
    key: str  # the engine's key: "series.later_price", "finance"
    shown_key: str  # the key as the user wrote it
    values: tuple[Any, ...]
    labels: tuple[str, ...]  # each value as written, or as a range step gave it
    spans: tuple[tuple[int, int], ...]  # (1-based column, width) of each value in ``flag``
    terms_key: str | None = None  # a what-if plan key: set in the clinic's network's terms

    def in_network(self, network: str) -> Vary:
        """Return this axis with a what-if plan key placed in ``network``'s terms block."""
        if self.terms_key is None:
            return self
        block = "in_network" if network == "in-network" else "out_of_network"
        return replace(self, key=f"{PLAN_PREFIX}{block}.{self.terms_key}")

    def problem(self, message: str, hint: str | None, index: int | None = None) -> Problem:
        """Return a problem pointing into this flag: at one value, or at the whole SPEC."""
        spec_at = self.flag.index("=") + 2
        column, width = (
            self.spans[index] if index is not None else (spec_at, len(self.flag) - spec_at + 1)
        )
        return Problem(
            path=self.flag,
            message=message,
            line=1,
            column=column,
            source_line=self.flag,
            width=max(width, 1),
            hint=hint,
        )


def _error(flag: str, message: str, hint: str | None = None, at: int | None = None) -> InputError:
    spec_at = flag.find("=") + 2 if "=" in flag else len("--vary ") + 1
    column = at if at is not None else spec_at
    return InputError(
        [
            Problem(
                path=flag,
                message=message,
                line=1,
                column=column,
                source_line=flag,
                width=max(len(flag) - column + 1, 1),
                hint=hint,
            )
        ]
    )


def varied_terms(texts: Sequence[str]) -> dict[str, str]:
    """Return the plan terms ``--vary`` flags vary, each as its what-if flag is named
    (``oop_max``; ``in_network:oop_max`` when a plan path names its network's block), with
    the flag that varies it; a plan key that is no term keeps its path.

    A sweep with no plan file builds its plan from these and the what-if flags, so
    they count as stated (see settings._plan_flags_complete). Bad flags are left
    to ``parse_vary``.
    """
    found: dict[str, str] = {}
    for text in texts:
        key = text.partition("=")[0].strip()
        word = key.replace("_", "-") if "." not in key else key
        term = NETWORK_KEYS.get(word)
        block = ""
        if term is None and key.startswith(PLAN_PREFIX):
            parts = key.split(".")
            in_terms = len(parts) == 3 and parts[1] in ("out_of_network", "in_network")
            term, block = (parts[2], parts[1]) if in_terms else (key, "")
        if term is not None:
            name = _TERM_FLAGS.get(term, term)
            found.setdefault(f"{block}:{name}" if block else name, f"--vary {text}")
    return found


def parse_vary(text: str) -> Vary:
    """Return the axis one ``--vary KEY=SPEC`` describes; raise ``InputError`` naming the flag."""
    flag = f"--vary {text}"
    key_text, sep, spec = text.partition("=")
    shown_key = key_text.strip()
    if not sep or not shown_key or not spec.strip():
        raise _error(
            flag,
            "expected KEY=SPEC",
            "e.g. --vary series.later_price=400..700:50 or --vary start=2027-01-04,2027-07-01",
            at=len("--vary ") + 1,
        )
    # What the values are typed by: the key as written, whole-picture terms with dashes.
    word = shown_key.replace("_", "-") if "." not in shown_key else shown_key
    key = TERM_KEYS.get(word, shown_key)
    terms_key = NETWORK_KEYS.get(word)
    if terms_key is not None:  # placed in the network's block by the command
        key = f"{PLAN_PREFIX}out_of_network.{terms_key}"
    elif "." not in word and word not in (*TIMELINE_KEYS, *TERM_KEYS):
        _check_top_key(flag, shown_key)
    if key.startswith(PLAN_PREFIX) and len(key) == len(PLAN_PREFIX):
        raise _error(flag, "plan. needs a plan path after it", "e.g. plan.out_of_network.allowed")
    offset = len("--vary ") + len(key_text) + 1  # 0-based index where SPEC starts in flag
    if ".." in spec:
        values = _range(flag, word, spec, offset)
        labels = tuple(value_text(v) for v in values)
        if word == "response-rate":  # the only key that takes percent steps as a fraction
            values = [_item(flag, word, v, None) for v in values]
        spans = tuple((offset + 1, len(spec)) for _ in values)
    else:
        values, spans = _list(flag, word, spec, offset)
        labels = tuple(flag[c - 1 : c - 1 + w] for c, w in spans)
    if key.split(".")[-1] == "allowed":
        for value, (column, _) in zip(values, spans, strict=True):
            if not (isinstance(value, str) and ("%" in value or "$" in value)):
                raise _error(
                    flag,
                    f"the allowed value {value!r} needs its % or $",
                    "write a share of the bill as 70% or an amount per claim as $400",
                    at=column,
                )
    return Vary(flag, key, shown_key, tuple(values), labels, spans, terms_key)


def _check_top_key(flag: str, key: str) -> None:
    """Refuse a one-word key that is neither a timeline or terms key nor a clinic section."""
    from ..model.clinic import Clinic

    if key in Clinic.model_fields:
        return
    known = [*TIMELINE_KEYS, *TERM_KEYS, *NETWORK_KEYS, *Clinic.model_fields]
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = (
        f"did you mean {close[0]!r}?"
        if close
        else "vary start, months, response-rate, stop-after, finance, allowed, deductible,"
        " coinsurance, copay, oop-max, a clinic key such as series.later_price, or a plan key"
        " after plan., such as plan.out_of_network.allowed"
    )
    raise InputError(
        [
            Problem(
                path=flag,
                message=f"unknown key {key!r}",
                line=1,
                column=len("--vary ") + 1,
                source_line=flag,
                width=max(len(key), 1),
                hint=hint,
            )
        ]
    )


def _list(
    flag: str, key: str, spec: str, offset: int
) -> tuple[list[Any], tuple[tuple[int, int], ...]]:
    values: list[Any] = []
    spans: list[tuple[int, int]] = []
    position = 0
    for item in spec.split(","):
        lead = len(item) - len(item.lstrip())
        column = offset + position + lead + 1
        position += len(item) + 1
        text = item.strip()
        if not text:
            raise _error(
                flag,
                "an empty item in the list",
                "separate values with single commas; money in a list takes no thousands"
                " separators (1200, not 1,200)",
                at=column,
            )
        values.append(_item(flag, key, text, column))
        spans.append((column, len(text)))
    return values, tuple(spans)


def _item(flag: str, key: str, text: str, column: int | None) -> Any:
    """Return one list item (or a range's percent step) as the key, as written, takes it."""
    if key == "start":
        return _date(flag, text, column)
    if key in ("months", "stop-after"):
        if not text.isascii() or not text.isdigit():
            raise _error(flag, f"{key} takes whole numbers, not {text!r}", "e.g. 12,24", at=column)
        return int(text)
    if key == "response-rate":
        from ..errors import Invalid
        from ..money import parse_percent

        try:
            return parse_percent(text)
        except Invalid as error:
            raise _error(flag, error.message, error.hint or "e.g. 50%", at=column) from None
    if key == "finance":
        return text  # read against the clinic's payment plans by the command
    from ..files.yaml_source import parse

    return parse(flag, text).data


def _date(flag: str, text: str, column: int | None = None) -> dt.date:
    try:
        if not _DATE.match(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _error(
            flag, f"{text!r} is not a date", "write dates as YYYY-MM-DD, e.g. 2027-01-04", at=column
        ) from None


_EXPONENT = re.compile(r"^\$?[0-9.]+[eE][-+]?[0-9]+%?$")


def _unsigned(flag: str, text: str) -> None:
    """Refuse, saying what is wrong, a range's end or step that is negative or written
    with an exponent (the unit check would call it a unit mismatch)."""
    if text.startswith("-") or text.startswith("$-"):
        raise _error(
            flag,
            f"{text!r} is negative; a range's ends and step are 0 or more",
            "write the range upward with a positive step, e.g. 400..700:100",
        )
    if _EXPONENT.match(text):
        raise _error(
            flag, f"{text!r} has an exponent", "write the number out in full: 1000, not 1e3"
        )


def _unit(text: str) -> str:
    if _DATE.match(text):
        return "date"
    if text.endswith("%"):
        return "percent"
    if text.startswith("$"):
        return "money"
    if _NUMBER.match(text):
        return "number"
    if _DATE_STEP.match(text):
        return "date step"
    return "unknown"


def _number(flag: str, text: str) -> Decimal:
    body = text.removeprefix("$").removesuffix("%").strip()
    if "," in body:
        raise _error(
            flag,
            f"{text!r} has a thousands separator",
            "write money in a SPEC without commas: 1200, not 1,200",
        )
    if not _NUMBER.match(body):
        raise _error(flag, f"{text!r} is not a number", _RANGE_HINT)
    try:
        return Decimal(body)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise _error(flag, f"{text!r} is not a number", _RANGE_HINT) from None


def _range(flag: str, key: str, spec: str, offset: int) -> list[Any]:
    bounds, colon, step_text = spec.partition(":")
    low_text, _, high_text = bounds.partition("..")
    low_text, high_text, step_text = low_text.strip(), high_text.strip(), step_text.strip()
    if not colon or not low_text or not high_text or not step_text or ".." in high_text:
        raise _error(flag, f"cannot read the range {spec.strip()!r}", _RANGE_HINT)
    for part in (low_text, high_text, step_text):
        _unsigned(flag, part)
    low_unit, high_unit, step_unit = _unit(low_text), _unit(high_text), _unit(step_text)
    if low_unit != high_unit or "unknown" in (low_unit, high_unit):
        raise _error(
            flag,
            f"the range's ends {low_text!r} and {high_text!r} are not in the same unit",
            _RANGE_HINT,
        )
    if low_unit == "date":
        if step_unit != "date step":
            raise _error(
                flag,
                f"a date range steps in days, weeks or months, not {step_text!r}",
                "write the step as 7d, 2w or 1m",
            )
        return _date_range(flag, key, low_text, high_text, step_text)
    if key == "start":
        raise _error(
            flag,
            f"start takes dates, not a {low_unit} range",
            "e.g. start=2027-01-04..2027-12-27:1m",
        )
    allowed_steps = {"percent": ("percent",), "money": ("money", "number"), "number": ("number",)}
    if step_unit not in allowed_steps[low_unit]:
        example = {"percent": "10%", "money": "$50", "number": "50"}[low_unit]
        raise _error(
            flag,
            f"the step {step_text!r} is not in the range's unit ({low_unit})",
            f"write the step like its ends, e.g. {example}",
        )
    low, high, step = _number(flag, low_text), _number(flag, high_text), _number(flag, step_text)
    if step == 0:
        raise _error(flag, "the step is zero", "use a step above zero, e.g. 400..700:50")
    count = int(abs(high - low) // step) + 1
    if count > MAX_POINTS:
        raise _error(
            flag,
            f"the range has {count:,} values, over the limit of {MAX_POINTS:,} points",
            "use a wider step",
        )
    direction = 1 if high >= low else -1
    numbers = [low + direction * k * step for k in range(count)]
    if low_unit == "percent":
        return [f"{_plain(n)}%" for n in numbers]
    if low_unit == "money":
        return [f"${int(n)}" if n == n.to_integral_value() else f"${n:.2f}" for n in numbers]
    if all(n == n.to_integral_value() for n in numbers):
        return [int(n) for n in numbers]
    if key in ("months", "stop-after"):
        raise _error(flag, f"{key} takes whole numbers", "use a whole step, e.g. 12..36:6")
    return numbers


def _plain(number: Decimal) -> str:
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _date_range(flag: str, key: str, low_text: str, high_text: str, step_text: str) -> list[Any]:
    low, high = _date(flag, low_text), _date(flag, high_text)
    match = _DATE_STEP.match(step_text)
    assert match is not None
    size, unit = int(match.group(1)), match.group(2)
    if size == 0:
        raise _error(flag, "the step is zero", "use a step above zero, e.g. 1m, 2w or 7d")
    direction = 1 if high >= low else -1
    if unit == "m":
        months = (high.year - low.year) * 12 + high.month - low.month
        count = abs(months) // size + 1
        if count > MAX_POINTS:
            raise _error(flag, f"the range has over {MAX_POINTS:,} dates", "use a wider step")
        days = [add_months(low, direction * k * size) for k in range(count)]
        days = [d for d in days if (d <= high if direction > 0 else d >= high)]
    else:
        length = size * (7 if unit == "w" else 1)
        count = abs((high - low).days) // length + 1
        if count > MAX_POINTS:
            raise _error(flag, f"the range has over {MAX_POINTS:,} dates", "use a wider step")
        days = [low + dt.timedelta(days=direction * k * length) for k in range(count)]
    return days
