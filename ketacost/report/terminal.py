"""Draw reports for a terminal (or a text file) with Rich, at any width (docs/output.md)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len

from .document import Report, Row, Table
from .widths import GAP, Fit, fit, is_bar

if TYPE_CHECKING:
    from rich.console import Console, JustifyMethod, OverflowMethod

STYLES = {
    "normal": "",
    "subtotal": "bold",
    "total": "bold cyan",
    "best": "bold green",
    "flag": "yellow",
}
_TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


def to_rich(reports: Sequence[Report], *, color: bool, width: int) -> str:
    """Return the reports drawn as text ``width`` columns wide (ANSI colour when ``color``)."""
    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=width,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    for report in reports:
        console.print(Text(report.heading, style="bold underline"))
        for line in report.details:
            say(console, line, "", width)
        for table in report.tables:
            console.print()
            _table(console, table, width)
        for note in report.notes:
            say(console, note, "italic", width)
        console.print()
    # Rich pads cells to their width; a line never ends in spaces.
    return _TRAILING.sub(r"\1", buffer.getvalue())


def _table(console: Console, table: Table, width: int) -> None:
    from rich.text import Text

    if table.title:
        console.print(Text(table.title, style="bold"))
    layout = fit(table, width)
    if layout.stacked:
        _stacked(console, table, width)
    else:
        _columns(console, table, layout)
    if table.caption:
        say(console, table.caption, "dim", width)
    if layout.dropped:
        console.print(
            Text(
                f"Not shown at {width} columns: {', '.join(layout.dropped)}"
                " (a wider terminal or --width shows them; so do --format md and csv).",
                style="dim",
            )
        )


# A web address as the reports write a source's, between angle brackets.
_URL = re.compile(r"<https?://[^\s<>]+>")


def say(console: Console, text: str, style: str, width: int, indent: int = 0) -> None:
    """Print ``text`` wrapped to ``width``; a web address is never split across lines.

    An address that fits moves whole to the next line as any word does; one longer
    than the width stands on a line of its own, uncut, so it can still be copied
    (or clicked: on a terminal it is a hyperlink). The other lines are indented by
    ``indent`` spaces.
    """
    from rich.padding import Padding
    from rich.text import Text

    def link(address: str) -> str:
        target = address.strip("<>")
        return f"{style} link {target}".strip() if console.is_terminal else style

    pieces: list[tuple[str, bool]] = []  # (text, whether it is a long address)
    last = 0
    for match in _URL.finditer(text):
        if cell_len(match.group()) > width - indent:
            pieces += [(text[last : match.start()].rstrip(), False), (match.group(), True)]
            last = match.end()
    # A line's own indent stays; the words after an address start their own line.
    pieces.append((text[last:].lstrip() if last else text, False))
    for piece, long in pieces:
        if long:
            console.print(
                Text(piece, style=link(piece)), no_wrap=True, overflow="ignore", crop=False
            )
        elif piece.strip():
            line = Text(piece, style=style)
            if console.is_terminal:
                for match in _URL.finditer(piece):
                    line.stylize(link(match.group()), match.start(), match.end())
            console.print(Padding(line, (0, 0, 0, indent)) if indent else line)


def _columns(console: Console, table: Table, layout: Fit) -> None:
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    show_header = any(table.columns[i].name for i in layout.kept)
    grid = RichTable(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        show_header=show_header,
        padding=(0, GAP - 1, 0, 0),
        pad_edge=False,
        collapse_padding=False,
    )
    for index, width in zip(layout.kept, layout.widths, strict=True):
        column = table.columns[index]
        grid.add_column(
            Text(column.name, no_wrap=False, overflow="fold"),
            justify="right" if column.numeric else "left",
            width=width,
            no_wrap=column.intact,
        )
    longest = {
        index: max(
            (cell_len(word) for row in table.rows for word in _cell(row, index).split()),
            default=0,
        )
        for index in layout.kept
    }
    for row in table.rows:
        cells = []
        for index, width in zip(layout.kept, layout.widths, strict=True):
            column = table.columns[index]
            text = _cell(row, index)
            if column.intact:
                justify: JustifyMethod = "right" if column.numeric else "left"
                cells.append(Text(text, no_wrap=True, justify=justify))
            elif is_bar(column):
                cells.append(Text(_shorten_bar(text, width), no_wrap=True, overflow="crop"))
            else:
                overflow: OverflowMethod = "fold" if width >= longest[index] else "ellipsis"
                cells.append(Text(text, no_wrap=False, overflow=overflow, justify="left"))
        grid.add_row(*cells, style=STYLES[row.style], end_section=row.style == "subtotal")
    console.print(grid)


def _stacked(console: Console, table: Table, width: int) -> None:
    """Draw each row as a block: a heading, then one ``header: value`` line per field.

    The heading is the row's leading cells up to its first text cell ("1  Westside
    Ketamine", "2027-01-04  Session 1"); long values hang under their header.
    """
    from rich.padding import Padding
    from rich.text import Text

    lead = next((i for i, c in enumerate(table.columns) if not c.intact), 0) + 1
    spaced = len(table.columns) - lead > 2
    for number, row in enumerate(table.rows):
        if spaced and number:
            console.print()
        style = STYLES[row.style]
        heading = "  ".join(c for c in (_cell(row, i) for i in range(lead)) if c)
        if heading:
            console.print(Text(heading, style=style or "bold"), overflow="fold")
        for index in range(lead, len(table.columns)):
            column, value = table.columns[index], _cell(row, index)
            if not value:
                continue
            if is_bar(column):
                value = _shorten_bar(value, max(width - 2, 1))
            line = f"{column.name}: {value}" if column.name and not row.named else value
            if cell_len(line) + 2 <= width or not column.name:
                console.print(Padding(Text(line, style=style), (0, 0, 0, 2)))
            else:
                console.print(Padding(Text(f"{column.name}:", style=style), (0, 0, 0, 2)))
                if _URL.search(value):  # an address is never split across lines
                    say(console, value, style, width, indent=4)
                else:
                    console.print(Padding(Text(value, style=style), (0, 0, 0, 4)))


def _cell(row: Row, index: int) -> str:
    return row.cells[index] if index < len(row.cells) else ""


def _shorten_bar(text: str, width: int) -> str:
    """Return a bar drawn to scale in ``width`` columns instead of its full length."""
    from .words import BAR_WIDTH, bar_eighths, bar_of_eighths

    if width >= BAR_WIDTH or not text:
        return text
    return bar_of_eighths(bar_eighths(text) * width // BAR_WIDTH)
