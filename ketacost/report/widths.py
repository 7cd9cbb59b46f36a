"""How a table fits a width: which columns stay, how wide each is, or one field per line.

The rules are docs/output.md's, in order: a figure (money, a count, a date) is
never cut; text columns give way first, folding onto more lines and then
ellipsizing words; then the columns a table marks droppable go, lowest
``drop`` rank first; when even the columns that never drop do not fit, the
table is stacked, one field per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len

from .document import Column, Table
from .words import BAR_WIDTH

# A web address as the reports write a source's: between angle brackets.
ADDRESS = re.compile(r"<https?://[^\s<>]+>")
GAP = 2  # spaces between two columns
TEXT_MIN = 8  # the narrowest a text column folds to, unless the column says otherwise
BAR_MIN = 8  # the narrowest a bar column is drawn


@dataclass(frozen=True)
class Fit:
    """The layout chosen for one table at one width."""

    kept: tuple[int, ...]  # indexes of the columns shown, in order
    widths: tuple[int, ...]  # the width of each kept column
    dropped: tuple[str, ...]  # names of the columns left out
    stacked: bool  # one field per line instead of columns


def _words(text: str) -> list[str]:
    return text.split()


def natural_width(table: Table, index: int) -> int:
    """Return the width column ``index`` takes with nothing folded."""
    cells = [row.cells[index] for row in table.rows if index < len(row.cells)]
    widest = max([cell_len(table.columns[index].name), *(cell_len(c) for c in cells)], default=0)
    # Bars are drawn to one scale (BAR_WIDTH for the largest figure), whatever the rows hold.
    return max(widest, BAR_WIDTH) if table.columns[index].bar and widest else widest


def least_width(table: Table, index: int) -> int:
    """Return the narrowest column ``index`` may be: figures whole, headers folded by word."""
    column = table.columns[index]
    cells = [row.cells[index] for row in table.rows if index < len(row.cells)]
    header = max((cell_len(w) for w in _words(column.name)), default=0)
    if column.intact:
        return max([header, *(cell_len(c) for c in cells)], default=0)
    if is_bar(column):
        return min(natural_width(table, index), BAR_MIN)
    floor = column.min_width if column.min_width is not None else TEXT_MIN
    # A word holding a figure ("$750.00", "2027-01-04", "Session 12") is never cut either,
    # nor a web address: cut, it leads nowhere.
    figures = [
        cell_len(word)
        for cell in cells
        for word in _words(cell)
        if any(ch.isdigit() for ch in word) or ADDRESS.fullmatch(word)
    ]
    return max(min(natural_width(table, index), max(floor, 1)), *figures, header)


def is_bar(column: Column) -> bool:
    """Whether the column holds bars: shortened, never folded."""
    return column.bar


def fit(table: Table, width: int) -> Fit:
    """Return how ``table`` is drawn in ``width`` columns (docs/output.md)."""
    kept = list(range(len(table.columns)))
    droppable = sorted(
        (i for i, c in enumerate(table.columns) if c.drop is not None),
        key=lambda i: (table.columns[i].drop or 0, -i),
    )
    while True:
        widths = _shrink(table, kept, width)
        if widths is not None:
            dropped = tuple(
                table.columns[i].name for i in range(len(table.columns)) if i not in kept
            )
            return Fit(tuple(kept), tuple(widths), dropped, stacked=False)
        if not droppable:
            return Fit(tuple(range(len(table.columns))), (), (), stacked=True)
        kept.remove(droppable.pop(0))


def _shrink(table: Table, kept: list[int], width: int) -> list[int] | None:
    """Return widths for ``kept`` within ``width``, narrowing text first; None if impossible."""
    natural = [natural_width(table, i) for i in kept]
    least = [least_width(table, i) for i in kept]
    room = width - GAP * (len(kept) - 1)
    if sum(least) > room:
        return None
    widths = natural[:]
    excess = sum(widths) - room
    # The headers of figure columns fold onto a second line first (nothing is lost);
    # then text gives way, the widest text column one character at a time.
    for figures in (True, False):
        while excess > 0:
            candidates = [
                k
                for k, i in enumerate(kept)
                if table.columns[i].intact == figures and widths[k] > least[k]
            ]
            if not candidates:
                break
            widest = max(candidates, key=lambda k: widths[k] - least[k])
            widths[widest] -= 1
            excess -= 1
    return widths
