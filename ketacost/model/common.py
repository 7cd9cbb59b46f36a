"""Field types shared by clinic and plan profiles: money, percentages, counts, dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from decimal import Decimal
from fractions import Fraction
from types import UnionType
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import CoreSchema, core_schema

from ..errors import Invalid, quoted
from ..money import check_size, parse_decimal, parse_money, parse_percent
from .currency import ISO_4217

MONEY_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": r"^\s*\$?\s*[0-9][0-9,]*(\.[0-9]{1,2})?\s*$"},
    ],
    "description": 'An amount of money: 600, 600.10 or "$1,200.50"; at most two decimals.',
}
PERCENT_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": 1},
        {"type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*%\s*$"},
    ],
    "description": 'A percentage: "40%" or the fraction 0.40.',
}


class Scalar:
    """How a profile value is read, written out and described, in one ``Annotated`` marker.

    ``Annotated[Decimal, Scalar(parse_money, MONEY_SCHEMA, write=str)]`` says what
    pydantic's ``PlainValidator``, ``PlainSerializer`` and ``WithJsonSchema`` would
    say together, but hands pydantic the finished core schema instead of three
    markers it inspects (signatures included) for every field: building the clinic
    model, which each run of the command line does once, costs about a third less.
    """

    __slots__ = ("json_schema", "parse", "write")

    def __init__(
        self,
        parse: Callable[[Any], Any],
        json_schema: dict[str, Any],
        *,
        write: Callable[[Any], str] | None = None,
    ) -> None:
        self.parse = parse
        self.json_schema = json_schema
        self.write = write

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        written = (
            None
            if self.write is None
            else core_schema.plain_serializer_function_ser_schema(
                self.write, return_schema=core_schema.str_schema()
            )
        )
        return core_schema.no_info_plain_validator_function(self.parse, serialization=written)

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return dict(self.json_schema)


def _serialize_decimal(value: Decimal) -> str:
    return str(value)


Money = Annotated[Decimal, Scalar(parse_money, MONEY_SCHEMA, write=_serialize_decimal)]
Percent = Annotated[Decimal, Scalar(parse_percent, PERCENT_SCHEMA, write=_serialize_decimal)]


def _positive_number(value: object) -> Decimal:
    number = parse_decimal(value)
    if number == 0:
        raise Invalid("must be above 0", "use a number such as 2")
    return number


PositiveNumber = Annotated[
    Decimal,
    Scalar(_positive_number, {"type": "number", "exclusiveMinimum": 0}, write=_serialize_decimal),
]
MAX_WEEKS = 520  # ten years: longer than any horizon (--months is at most 120)


def _weeks(value: object) -> Decimal:
    weeks = parse_decimal(value)
    if weeks > MAX_WEEKS:
        raise Invalid(
            f"{weeks} weeks is more than ten years",
            f"use at most {MAX_WEEKS} weeks; the longest estimate covers 120 months",
        )
    return weeks


Weeks = Annotated[
    Decimal,
    Scalar(
        _weeks, {"type": "number", "minimum": 0, "maximum": MAX_WEEKS}, write=_serialize_decimal
    ),
]


MAX_COUNT = 10_000  # the most sessions (or of any count) a profile may give


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise Invalid(f"expected a whole number, got {quoted(value)}", "write a number such as 6")
    check_size(value)
    try:
        number = Decimal(value)
    except ArithmeticError:
        raise Invalid(
            f"expected a whole number, got {quoted(value)}", "write a number such as 6"
        ) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise Invalid(f"expected a whole number, got {value}", "write a number such as 6")
    if number < 1:
        raise Invalid(f"{number} is not allowed here; at least 1 is needed", "use 1 or more")
    if number > MAX_COUNT:
        raise Invalid(f"{number} is implausibly large", f"use a number up to {MAX_COUNT}")
    return int(number)


Count = Annotated[int, Scalar(_count, {"type": "integer", "minimum": 1, "maximum": 10000})]


def _currency(value: object) -> str:
    if not isinstance(value, str) or value.strip().upper() not in ISO_4217:
        raise Invalid(
            f"unknown currency code {quoted(value)}",
            "use a three-letter ISO 4217 code such as USD",
        )
    return value.strip().upper()


Currency = Annotated[
    str, Scalar(_currency, {"type": "string", "pattern": "^[A-Za-z]{3}$", "default": "USD"})
]


def _text(value: object) -> str:
    if not isinstance(value, str):
        shown = str(value).lower() if isinstance(value, bool) else value
        raise Invalid(f"expected text, got {shown!r}", "put the text in quotes")
    text = value.strip()
    if not text:
        raise Invalid("must not be empty", "write a short name")
    check_characters(text)
    return text


# C0 and C1 control characters (ESC starts terminal escape sequences) and the Unicode
# bidirectional embeddings, overrides and isolates, which make a name display reversed.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def check_characters(text: str) -> None:
    """Raise ``Invalid`` when ``text`` holds a control or bidirectional-override character."""
    found = _HIDDEN.search(text)
    if found is None:
        return
    code = ord(found.group())
    kind = (
        "the bidirectional control"
        if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069
        else "the control character"
    )
    raise Invalid(
        f"{kind} U+{code:04X} at character {found.start() + 1} is not allowed in text",
        "delete it (retype the text): such characters can recolour a terminal, hide"
        " text or show it reversed",
    )


Text = Annotated[
    str,
    Scalar(
        _text,
        {
            "type": "string",
            "minLength": 1,
            "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]*$",
        },
    ),
]


def _date(value: object) -> dt.date:
    if isinstance(value, dt.date):
        check_date(value)
        return value
    if not isinstance(value, str):
        raise Invalid(f"expected a date, got {quoted(value)}", "write it as YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(
            f"{quoted(value)} is not a real date", "write it as YYYY-MM-DD, e.g. 2026-11-20"
        ) from None
    check_date(day)
    return day


EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)


def check_date(day: dt.date) -> None:
    """Raise ``Invalid`` for a date outside 1900–2200: a typo such as 9999 or 0202."""
    if not EARLIEST <= day <= LATEST:
        raise Invalid(
            f"{day.isoformat()} is outside the years {EARLIEST.year}–{LATEST.year}",
            "check the year; dates are written YYYY-MM-DD",
        )


Date = Annotated[
    dt.date,
    Scalar(_date, {"type": "string", "format": "date"}, write=lambda value: value.isoformat()),
]


class StrictModel(BaseModel):
    """Base for every profile section: unknown keys are errors; values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    # A frozen model's hash never changes: it is worked out once and kept beside the
    # fields (as str keeps its own), outside what equality, copies and dumps look at.
    __slots__ = ("_value_hash",)

    # The fields whose type admits a list or a mapping, which are made tuples to be
    # hashed; every other field's value hashes as it is. Set for each model class.
    _containers: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Note which fields may hold a list or a mapping (see ``__hash__``)."""
        super().__pydantic_init_subclass__(**kwargs)
        cls._containers = tuple(
            name
            for name, field in cls.__pydantic_fields__.items()
            if _may_hold_container(field.annotation)
        )

    def model_post_init(self, context: Any, /) -> None:
        """Leave room for the hash, so the first look finds it not yet worked out."""
        object.__setattr__(self, "_value_hash", None)

    def __hash__(self) -> int:
        """Hash by value, lists and mappings included: equal profiles are the same key."""
        try:
            kept: int | None = object.__getattribute__(self, "_value_hash")
        except AttributeError:  # a copy: made without validation
            kept = None
        if kept is None:
            values = self.__dict__
            if self._containers:
                values = values.copy()
                for name in self._containers:
                    values[name] = _hashable(values[name])
            try:
                kept = hash(tuple(values.values()))
            except TypeError:  # a list where the type has none (a copy given one, say)
                kept = hash(tuple(map(_hashable, values.values())))
            object.__setattr__(self, "_value_hash", kept)
        return kept

    def __eq__(self, other: object) -> bool:
        """Equal when of the same model with equal fields (as pydantic has it, quicker)."""
        if self is other:
            return True
        if other.__class__ is not self.__class__:
            return super().__eq__(other)
        # no extra keys (extra="forbid"), no private attributes: the fields are the dict
        return self.__dict__ == other.__dict__


def _may_hold_container(annotation: object) -> bool:
    """Whether a field of this type may hold a list or a mapping (an unknown type: yes)."""
    origin = get_origin(annotation)
    if origin is None:  # a class: a collection other than text or a tuple may hold one
        if not isinstance(annotation, type):
            return True
        return annotation in (Any, object) or (
            issubclass(annotation, Collection) and not issubclass(annotation, (str, bytes, tuple))
        )
    if origin is Literal:
        return False
    args = get_args(annotation)
    if origin is Annotated:
        args = args[:1]
    elif origin not in (tuple, Union, UnionType):
        return True  # list, dict, or any other collection
    return any(_may_hold_container(arg) for arg in args if arg is not Ellipsis)


def _hashable(value: object) -> object:
    """Return ``value`` with its lists made tuples and its mappings sets of pairs (equal in
    any order, as the mappings are), so it can be hashed."""
    if isinstance(value, list | tuple):
        return tuple(map(_hashable, value))
    if isinstance(value, dict):
        return frozenset((key, _hashable(item)) for key, item in value.items())
    return value  # models hash themselves


def _published(value: object) -> dt.date | str:
    if isinstance(value, str) and value.strip().lower() == "unknown":
        return "unknown"
    try:
        return _date(value)
    except ValueError:
        raise Invalid(
            f"{value!r} is not a date",
            "write the source's publication date as YYYY-MM-DD, or unknown when it cannot be told",
        ) from None


Published = Annotated[
    dt.date | str,
    Scalar(
        _published,
        {"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "const": "unknown"}]},
        write=lambda value: value.isoformat() if isinstance(value, dt.date) else value,
    ),
]


class Source(StrictModel):
    """Where a profile's prices came from, when it said so, and when that was confirmed."""

    title: Text
    url: Text | None = None
    published: Published | None = None  # the source's own date, or "unknown"
    checked: Date | None = None
    note: Text | None = None

    @property
    def price_date(self) -> dt.date | None:
        """The date the prices are from: the publication date if known, else ``checked``."""
        if isinstance(self.published, dt.date):
            return self.published
        return self.checked


def dates_text(source: Source | None) -> str:
    """Return both dates of a source in words: ``published 2019-06-01, checked 2026-11-20``."""
    if source is None:
        return "no source"
    published = source.published
    shown = published.isoformat() if isinstance(published, dt.date) else published or "not given"
    checked = source.checked.isoformat() if source.checked else "never"
    return f"published {shown}, checked {checked}"


def price_age_days(source: Source | None, as_of: dt.date) -> int | None:
    """Return how old the prices are on ``as_of``, in days: from publication, else checking.

    A 2019 article re-read today is still a 2019 price. None when no date is known.
    """
    day = None if source is None else source.price_date
    return None if day is None else (as_of - day).days


STALE_AFTER_DAYS = 180  # prices older than this are flagged: phone the clinic


def prices_stale(source: Source | None, as_of: dt.date, stale_after: int) -> bool:
    """Whether prices are more than ``stale_after`` days old on ``as_of``, or of no known date."""
    age = price_age_days(source, as_of)
    return age is None or age > stale_after


MAX_PER_WEEK = 7
MAX_EVERY_WEEKS = 520


class Cadenced(StrictModel):
    """Something that repeats: ``per_week`` sessions a week, or one every ``every_weeks``."""

    per_week: PositiveNumber | None = None
    every_weeks: PositiveNumber | None = None

    def check_cadence(self) -> None:
        """Raise when both ways of giving the cadence are used, or either is absurd."""
        if self.per_week is not None and self.every_weeks is not None:
            raise Invalid(
                "both per_week and every_weeks are given",
                "keep one: per_week: 2 means twice a week, every_weeks: 4 once a month",
                key="every_weeks",
            )
        if self.per_week is not None and self.per_week > MAX_PER_WEEK:
            raise Invalid(
                f"per_week: {self.per_week} is more than one a day",
                f"use at most {MAX_PER_WEEK}, or every_weeks for longer gaps",
                key="per_week",
            )
        if self.per_week is not None and Fraction(self.per_week) * MAX_EVERY_WEEKS < 1:
            raise Invalid(
                f"per_week: {self.per_week} is less than once in ten years",
                "use every_weeks for long gaps, e.g. every_weeks: 12",
                key="per_week",
            )
        if self.every_weeks is not None and Fraction(self.every_weeks) * MAX_PER_WEEK < 1:
            raise Invalid(
                f"every_weeks: {self.every_weeks} is more than one a day",
                f"use per_week (at most {MAX_PER_WEEK}) for frequent sessions",
                key="every_weeks",
            )
        if self.every_weeks is not None and self.every_weeks > MAX_EVERY_WEEKS:
            raise Invalid(
                f"every_weeks: {self.every_weeks} is more than ten years",
                f"use at most {MAX_EVERY_WEEKS}",
                key="every_weeks",
            )

    def interval_days(self, default: Fraction) -> Fraction:
        """Return the days between events, exactly (``7 / per_week`` or ``7 × every_weeks``)."""
        if self.per_week is not None:
            top, bottom = self.per_week.as_integer_ratio()  # exact, and cheaper than Fraction(d)
            return Fraction(7 * bottom, top)
        if self.every_weeks is not None:
            top, bottom = self.every_weeks.as_integer_ratio()
            return Fraction(7 * top, bottom)
        return default
