"""CSV text that a spreadsheet opens as data, never as formulas.

A clinic named ``=HYPERLINK("http://…")`` would run as a formula when the CSV
is opened in Excel, LibreOffice or Google Sheets. Following the OWASP advice on
CSV injection, a text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return gets a leading single quote; numbers (``-12.50``) stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def safe_cell(value: object) -> object:
    """Return ``value`` as it may go into a CSV cell: formula-like text is quoted with ``'``."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Return ``rows`` (the header first) as CSV text, every cell through ``safe_cell``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()
