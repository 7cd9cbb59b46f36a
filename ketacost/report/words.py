"""Figures and names in words, as every report writes them: money, percentages, bars."""

from __future__ import annotations

from decimal import Decimal

from ..model.clinic import Series
from ..money import round_cents

BAR_WIDTH = 24
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$", "JPY": "¥"}
_MODALITIES = {
    "iv-infusion": "IV infusion",
    "im-injection": "IM injection",
    "esketamine": "esketamine (Spravato)",
    "oral": "oral / lozenges",
    "at-home": "at-home program",
}


def money(amount: Decimal, currency: str) -> str:
    """Return an amount for people to read: ``$3,900.00``, ``-$12.50``, ``EUR 1,200.00``."""
    rounded = round_cents(amount)
    sign, text = ("-" if rounded < 0 else ""), f"{abs(rounded):,.2f}"
    symbol = _SYMBOLS.get(currency)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{currency} {text}"


def series_price_text(series: Series, currency: str) -> str:
    """Return a series price in words: ``$750.00 × 2, then $600.00``, or one price."""
    first, later = series.opening_price, series.continuing_price
    if first == later:
        return money(first, currency)
    return f"{money(first, currency)} × {series.first_count}, then {money(later, currency)}"


def modality_text(modality: str) -> str:
    """Return the modality in words."""
    return _MODALITIES.get(modality, modality)


def bar(value: Decimal, largest: Decimal, width: int = BAR_WIDTH) -> str:
    """Return a bar of block characters, ``value / largest`` of ``width`` long."""
    if largest <= 0 or value <= 0:
        return ""
    eighths = int(round_cents(value / largest * width * 8))
    return bar_of_eighths(eighths)


_PARTS = "▏▎▍▌▋▊▉"


def bar_of_eighths(eighths: int) -> str:
    """Return a bar ``eighths`` / 8 characters long."""
    full, part = divmod(eighths, 8)
    return "█" * full + (_PARTS[part - 1] if part else "")


def bar_eighths(text: str) -> int:
    """Return the length of a bar drawn by ``bar``, in eighths of a character."""
    return 8 * text.count("█") + sum(_PARTS.index(c) + 1 for c in text if c in _PARTS)


def percent(value: Decimal | None) -> str:
    """Return a fraction as a percentage, ``0.4`` → ``40%``; a dash when unknown."""
    if value is None:
        return "—"
    return f"{(value * 100).normalize():f}%"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Return ``1 clinic``, ``2 clinics``: the count with the noun in the right number."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"
