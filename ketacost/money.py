"""Exact money and percentage values.

Floating point never touches an amount: YAML numbers reach this module as the
text the user wrote (or as ``int``/``Decimal``), and every figure stays a
``Decimal`` until it is printed. Rounding happens in one place, ``round_cents``.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import Invalid, quoted

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(100_000_000)  # far above any treatment; keeps arithmetic exact
ZERO = Decimal("0.00")

_MONEY_TEXT = re.compile(
    r"^\s*(?:[A-Z]{3}\s*)?\$?\s*(?P<number>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)\s*$"
)
MAX_DIGITS = 30  # digits in one number as written; money needs 11, a fine percentage 15
MAX_EXPONENT = 30  # the largest |exponent| in 1.5e3-style numbers
_NUMBER_PARTS = re.compile(r"[^0-9]*(?P<digits>[0-9][0-9,._]*)?(?:[eE][-+]?(?P<exponent>[0-9]+))?")
_PERCENT_TEXT = re.compile(r"^\s*(?P<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*%\s*$")


def number_size_problem(text: str) -> Invalid | None:
    """Return why a number written as ``text`` is too long to read, or None when it is fine.

    Checked on the text itself, before any ``Decimal`` or ``Fraction`` is made:
    ``1e-99999999`` would be an exact fraction with a hundred-million-digit
    denominator, and a 500,000-digit integer takes seconds to convert.
    The message never repeats the number itself.
    """
    digits = sum(character.isdigit() for character in text)
    written = _NUMBER_PARTS.match(text.strip())
    assert written is not None  # every part of the pattern is optional
    exponent = written.group("exponent")
    if exponent is not None:
        digits -= len(exponent)
        exponent = exponent.lstrip("0") or "0"
        # The length first: int() of a huge digit string is itself slow (or refused).
        if len(exponent) > 3 or int(exponent) > MAX_EXPONENT:
            shown = (
                f"an exponent of {exponent}"
                if len(exponent) <= 3
                else f"an exponent {len(exponent):,} digits long"
            )
            return Invalid(
                f"a number with {shown} is far outside any real figure",
                f"write it out in full, e.g. 0.5 or 600 (exponents up to {MAX_EXPONENT})",
            )
    if digits > MAX_DIGITS:
        return Invalid(
            f"a number with {digits:,} digits is too long to be a real figure",
            f"numbers have at most {MAX_DIGITS} digits",
        )
    return None


def check_size(value: object) -> None:
    """Raise ``Invalid`` when a number (text, ``int`` or ``Decimal``) is too long to use."""
    problem = None
    if isinstance(value, str):
        problem = number_size_problem(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        if abs(value) >= 10**MAX_DIGITS:
            problem = Invalid(
                "a whole number this large is not a real figure", f"at most {MAX_DIGITS} digits"
            )
    elif isinstance(value, Decimal) and value.is_finite():
        _, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)  # finite
        if len(digits) > MAX_DIGITS or abs(exponent) > MAX_DIGITS + MAX_EXPONENT:
            problem = Invalid(
                "a number this long is not a real figure", f"at most {MAX_DIGITS} digits"
            )
    if problem is not None:
        raise problem


def round_cents(amount: Decimal) -> Decimal:
    """Return ``amount`` rounded half-up to whole cents (the one rounding rule)."""
    return amount.quantize(CENT, ROUND_HALF_UP)  # by position: a keyword doubles the call's cost


# Amounts written as text, by value: a report repeats few amounts many times (a
# thousand-clinic comparison writes some 400,000 of them, most of them alike). Equal
# amounts write the same text, except zero and minus zero, which are never kept.
_WRITTEN: dict[Decimal, str] = {}
_WRITTEN_MOST = 4_096


def format_money(amount: Decimal) -> str:
    """Return the two-place decimal string used in JSON and CSV (``"3900.00"``)."""
    text = _WRITTEN.get(amount)
    if text is not None:
        return text
    if not amount:
        return "-0.00" if amount.is_signed() else "0.00"
    text = str(amount.quantize(CENT, ROUND_HALF_UP))  # by position, as in round_cents
    if len(_WRITTEN) >= _WRITTEN_MOST:
        _WRITTEN.clear()
    _WRITTEN[amount] = text
    return text


def money_words(amount: Decimal, currency: str) -> str:
    """Return an amount for people to read, the one way: ``$3,900.00``, ``-$12.50``.

    The sign comes first. US dollars take the dollar sign; any other currency
    is named by its code, which no reader can mistake: ``EUR 1,200.00``,
    ``-EUR 12.50``.
    """
    rounded = round_cents(amount)
    sign, text = ("-" if rounded < 0 else ""), f"{abs(rounded):,.2f}"
    return f"{sign}${text}" if currency == "USD" else f"{sign}{currency} {text}"


def _decimal_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite number
    return -exponent  # below zero for 1E+2: never "more than two places"


def _reject_special(value: object, what: str) -> None:
    if isinstance(value, float):
        raise Invalid(
            f"expected {what} as an exact number, got the float {quoted(value)}",
            f'pass Decimal("{quoted(value)}") or the text "{quoted(value)}";'
            " floats are never used for money",
        )
    if isinstance(value, bool):
        raise Invalid(
            f"expected {what}, got the yes/no value {str(value).lower()}",
            "write a number such as 600",
        )


def parse_money(value: object) -> Decimal:
    """Return ``value`` as a non-negative ``Decimal`` with at most two decimals.

    Accepts ints, ``Decimal`` and text such as ``"$1,200.50"``. Raises ``Invalid``
    with a hint for the user.
    """
    _reject_special(value, "an amount of money")
    check_size(value)
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.startswith("-"):
            raise Invalid(f"amount {quoted(text)} is negative", "amounts are never below 0")
        match = _MONEY_TEXT.match(text)
        if not match:
            raise Invalid(
                f"expected an amount of money, got {quoted(value)}",
                'write a number such as 600 or "$1,200.50"',
            )
        amount = Decimal(match.group("number").replace(",", ""))
    else:
        raise Invalid(
            f"expected an amount of money, got {type(value).__name__}", "write a number such as 600"
        )
    if not amount.is_finite():
        raise Invalid("amount is not a finite number", "write a number such as 600")
    if amount < 0:
        raise Invalid(f"amount {amount} is negative", "amounts are never below 0")
    if amount > MAX_AMOUNT:
        raise Invalid(
            f"amount {amount:,} is implausibly large", f"amounts are at most {MAX_AMOUNT:,}"
        )
    if _decimal_places(amount) > 2:
        raise Invalid(
            f"amount {amount} has more than two decimal places",
            f"round it to cents, e.g. {round_cents(amount)}",
        )
    return amount


def parse_percent(value: object) -> Decimal:
    """Return a percentage as a fraction ``Decimal`` between 0 and 1.

    ``"40%"`` and ``0.40`` both give ``Decimal("0.4")``-valued results; a bare
    number above 1 is refused, since ``40`` most likely meant ``40%``.
    """
    _reject_special(value, "a percentage")
    check_size(value)
    if isinstance(value, str) and "%" not in value:
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            raise Invalid(
                f"expected a percentage, got {quoted(value)}",
                'write it as "40%" or as a fraction 0.40',
            ) from None
    if isinstance(value, str):
        match = _PERCENT_TEXT.match(value)
        if not match:
            raise Invalid(
                f"expected a percentage, got {quoted(value)}",
                'write it as "40%" or as a fraction 0.40',
            )
        fraction = Decimal(match.group("number")) / 100
        if fraction > 1:
            raise Invalid(f"percentage {value.strip()} is above 100%", "use a value up to 100%")
        return fraction
    if isinstance(value, int):
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise Invalid(f"expected a percentage, got {type(value).__name__}", 'write it as "40%"')
    if not value.is_finite():
        raise Invalid("percentage is not a finite number", 'write it as "40%"')
    if value < 0:
        raise Invalid(f"percentage {value} is negative", "use a value from 0% to 100%")
    if value > 1:
        raise Invalid(
            f"bare number {value} is above 1 where a percentage is expected",
            f"write {value}% with the % sign, or the fraction {value / 100}",
        )
    return value


def parse_decimal(value: object) -> Decimal:
    """Return a plain non-negative number (weeks, sessions per week) as ``Decimal``."""
    _reject_special(value, "a number")
    check_size(value)
    try:
        number = Decimal(value) if isinstance(value, (int, str, Decimal)) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise Invalid(f"expected a number, got {quoted(value)}", "write a number such as 2")
    if number < 0:
        raise Invalid(f"{number} is negative", "use a number above 0")
    return number
