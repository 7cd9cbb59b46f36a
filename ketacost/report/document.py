"""What a report shows, independent of how it is drawn: headings, tables, rows, notes.

Every renderer (terminal, Markdown, HTML) draws these, so each format carries
the same information. A column says what kind of figure it holds, which tells
the terminal renderer what may give way when the width runs short (docs/output.md):
money, counts and dates are never cut; text folds, then ellipsizes; then the
columns with a ``drop`` rank go, lowest rank first; below that each row is
stacked, one field per line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

RowStyle = Literal["normal", "subtotal", "total", "best", "flag"]


@dataclass
class Column:
    """One column: its header, whether it holds figures, and when it may be dropped.

    ``numeric`` columns (money, counts) are right-aligned and never cut;
    ``rigid`` text columns (dates, ages) are never cut either. ``drop`` ranks the
    columns that may be left out at a narrow width: 1 goes first; ``None``
    never goes (the table is stacked instead). ``min_width`` is the narrowest a
    text column folds to before its words are ellipsized. A ``bar`` column holds
    block-character bars, drawn shorter (to scale) when room runs short.
    """

    name: str
    numeric: bool = False
    min_width: int | None = None
    drop: int | None = None
    rigid: bool = False
    bar: bool = False

    @property
    def intact(self) -> bool:
        """Whether every cell of this column must be shown whole."""
        return self.numeric or self.rigid


@dataclass
class Row:
    cells: list[str]
    style: RowStyle = "normal"
    # The row's first cell names its figure (a total under another column's header):
    # stacked one field per line, the figure is shown under that name alone.
    named: bool = False


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    caption: str | None = None

    def add(self, *cells: str, style: RowStyle = "normal", named: bool = False) -> None:
        self.rows.append(Row(list(cells), style, named))


@dataclass
class ChartLine:
    """One line of a chart: a name and its value at each step (month)."""

    name: str
    values: list[Decimal]


@dataclass
class Chart:
    """A step chart of money over time; drawn in HTML (the terminal shows the table)."""

    title: str
    currency: str
    steps: list[str]  # the label of each step along the bottom, e.g. "2027-01"
    lines: list[ChartLine]
    axis: str  # what the vertical axis measures, in words


# A detail line that belongs to the line above it (the inputs under "Assumed"): the
# terminal shows it indented as it is; Markdown and HTML nest it under that line.
SUB_ITEM = "  – "


@dataclass
class Report:
    heading: str
    details: list[str]
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
