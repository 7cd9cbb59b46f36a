"""Draw reports as one self-contained HTML page: no scripts, nothing fetched (docs/reports.md).

The page is read on a phone as often as on a desk, and printed: tables that
do not fit a narrow screen are stacked below 600 px, one field per line under
the row's own heading, by the style sheet alone; the printed A4 page keeps
the columns. Figures and dates never break inside a word, links are links,
and the page says when and by which version it was prepared.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace
from html import escape

from rich.cells import cell_len

from .document import SUB_ITEM, Chart, Report, Row, Table
from .svg import colour, to_svg
from .widths import fit
from .words import BAR_WIDTH, bar_eighths

# Below this width (CSS pixels) a table marked "stack" is drawn one field per line.
NARROW = 600
# The characters a table may need, side by side, to keep its columns on a 390 px phone:
# 9.5 pt type is about 7 px a character, less the page's padding and the cells' gaps.
PHONE_CHARACTERS = 46
# The characters side by side on a printed A4 page (688 px less the page's margins): in
# the body's 9.5 pt type, and in the 7 pt type of a table of more than eight columns.
PRINT_CHARACTERS = 96
PRINT_CHARACTERS_WIDE = 124
# Below this width a table of more than eight columns (set small for the printed page) is
# stacked too: its columns need the whole of an A4 page.
TABLET = 800


def _stacked(table: str) -> str:
    """Return the style rules that draw ``table`` one field per line, under its row's heading."""
    rules = (
        "{t}, {t} tbody, {t} tr {{ display: block; width: 100%; }}",
        "{t} thead {{ display: none; }}",
        "{t} tr {{ padding: 4px 0; border-bottom: 1px solid #bbb; }}",
        "{t} td {{ display: grid; grid-template-columns: minmax(0, 45%) minmax(0, 1fr);"
        " column-gap: 8px; border: 0; padding: 1px 0 1px 10px; text-align: left;"
        " white-space: normal; }}",
        "{t} td::before {{ content: attr(data-label); color: #444; font-weight: 400; }}",
        "{t} td.num {{ text-align: right; }}",
        "{t} td.num::before {{ text-align: left; }}",
        "{t} td.lead {{ display: inline; padding: 0 10px 0 0; font-weight: 600; }}",
        "{t} tr.best {{ background: #eaf6ec; }}",
        "{t} tr.flag {{ background: #fff5d6; }}",
        "{t} td.lead::before {{ content: none; }}",
        "{t} td:empty {{ display: none; }}",
        "{t} td.bar {{ width: auto; }}",
    )
    return "\n".join("  " + rule.format(t=table) for rule in rules)


STYLE = f"""
@page {{ size: A4; margin: 14mm; }}
* {{ box-sizing: border-box; }}
body {{ font: 11pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111;
       margin: 0 auto; padding: 16px; max-width: 960px; background: #fff; }}
h1 {{ font-size: 18pt; margin: 0 0 4px; overflow-wrap: break-word; }}
h2 {{ font-size: 13pt; margin: 20px 0 6px; break-after: avoid; }}
ul.details {{ margin: 0 0 8px; padding-left: 18px; color: #333; }}
a {{ color: #1a4f8b; overflow-wrap: anywhere; }}
.nw {{ white-space: nowrap; }}
table {{ border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 4px 0;
        break-inside: auto; }}
th, td {{ padding: 3px 6px; border-bottom: 1px solid #ddd; vertical-align: top;
         text-align: left; overflow-wrap: normal; }}
th {{ border-bottom: 2px solid #555; font-weight: 600; }}
.num {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }}
.rigid {{ white-space: nowrap; }}
th.num, th.rigid {{ white-space: normal; }}
table.wide {{ font-size: 7pt; }}
table.wide th, table.wide td {{ padding: 2px 2px; }}
tr.subtotal td {{ font-weight: 600; border-bottom: 1px solid #888; }}
tr.total td, tr.best td {{ font-weight: 700; }}
tr.best td {{ background: #eaf6ec; }}
tr.flag td {{ background: #fff5d6; }}
td.bar {{ width: 30%; }}
td.bar span {{ display: inline-block; height: 0.8em; background: #4a6fa5; }}
p.caption {{ font-size: 9.5pt; color: #444; margin: 4px 0 0; }}
p.note {{ font-style: italic; color: #333; }}
footer {{ margin-top: 16px; border-top: 1px solid #ddd; font-size: 9pt; color: #444; }}
figure {{ margin: 8px 0; break-inside: avoid; }}
svg.chart {{ width: 100%; height: auto; max-width: 720px; display: block; }}
ul.legend {{ list-style: none; padding: 0; margin: 4px 0; font-size: 9.5pt; }}
ul.legend li {{ display: inline-block; margin-right: 16px; }}
ul.legend span {{ display: inline-block; width: 14px; height: 4px; vertical-align: middle;
                 margin-right: 4px; }}
@media screen and (max-width: {NARROW - 0.02:.2f}px) {{
  body {{ padding: 12px; font-size: 10.5pt; }}
  h1 {{ font-size: 15pt; }}
{_stacked("table.stack")}
}}
@media screen and (max-width: {TABLET - 0.02:.2f}px) {{
  table.wide {{ font-size: 9.5pt; }}
{_stacked("table.wide")}
}}
.print-only {{ display: none; }}
@media print {{ body {{ max-width: none; padding: 0; }} tr {{ break-inside: avoid; }}
               a {{ color: inherit; }} .np {{ display: none; }} p.print-only {{ display: block; }} }}
"""

# A web address as the reports write a source's: between angle brackets (dropped on the
# page). A bare address in a name stays text, like any other markup-looking text there.
_URL = re.compile(r"<(https?://[^\s<>\"]+)>")
# A word holding a figure that a browser would otherwise break at a hyphen or slash.
_FIGURE = re.compile(r"\S*\d[\d,.]*[-/–]\S*")


def to_html(reports: Sequence[Report], *, prepared: dt.date | None = None) -> str:
    """Return the reports as one HTML page with inline CSS and inline SVG charts.

    ``prepared`` is the date the page says it was prepared (default: today).
    """
    from .. import __version__

    title = " · ".join(report.heading for report in reports) or "ketacost report"
    day = prepared or dt.date.today()
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
    ]
    for report in reports:
        out.append("<section>")
        out.append(f"<h1>{_inline(report.heading)}</h1>")
        if report.details:
            out.append('<ul class="details">')
            out.extend(_details(report.details))
            out.append("</ul>")
        for table in report.tables:
            out.append(_table(table))
        for chart in report.charts:
            out.append(_chart(chart))
        out.extend(f'<p class="note">{_inline(note)}</p>' for note in report.notes)
        out.append("</section>")
    out += [
        f"<footer><p>Prepared {day.isoformat()} with ketacost {escape(__version__)}, from"
        " the files named above, on the preparer's own computer: nothing was sent"
        " anywhere.</p></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


def _inline(text: str) -> str:
    """Return ``text`` escaped, its web addresses as links and its figures kept whole."""
    out: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        out.append(_words(text[last : match.start()]))
        address = escape(match.group(1), quote=True)
        out.append(f'<a href="{address}">{address}</a>')
        last = match.end()
    out.append(_words(text[last:]))
    return "".join(out)


def _words(text: str) -> str:
    """Return ``text`` escaped, each figure with a hyphen ("2027-01-04") kept on one line."""
    out: list[str] = []
    last = 0
    for match in _FIGURE.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f'<span class="nw">{escape(match.group())}</span>')
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def fits_a_phone(table: Table) -> bool:
    """Whether the table keeps its columns on a phone, as the terminal would at that width.

    A bar is drawn by the page at a share of what room is left, so it is not counted.
    """
    kept = [i for i, column in enumerate(table.columns) if not column.bar]
    narrowed = Table(
        table.title,
        [table.columns[i] for i in kept],
        [Row([row.cells[i] for i in kept if i < len(row.cells)]) for row in table.rows],
    )
    layout = fit(as_a_page_draws(narrowed), PHONE_CHARACTERS)
    return not layout.stacked and not layout.dropped


def as_a_page_draws(table: Table) -> Table:
    """Return ``table`` as a browser lays it out: a text column narrows to its longest word.

    The terminal ellipsizes a word that does not fit; a page wraps between words
    only, so its narrowest text column is as wide as its longest word. A web
    address is the exception: the page wraps a link anywhere, so it is not counted.
    """
    rows = [
        Row([_URL.sub("", cell) for cell in row.cells], row.style, row.named) for row in table.rows
    ]
    columns = []
    for index, column in enumerate(table.columns):
        if column.intact or column.bar:
            columns.append(column)
            continue
        words = [w for row in rows if index < len(row.cells) for w in row.cells[index].split()]
        longest = max((cell_len(word) for word in words), default=0)
        columns.append(replace(column, min_width=max(longest, column.min_width or 0)))
    return Table(table.title, columns, rows, table.caption)


def _table(table: Table) -> str:
    def kind(index: int) -> str:
        column = table.columns[index]
        return "num" if column.numeric else ("rigid" if column.rigid else "")

    classes = []
    # Many columns: a smaller type, so the table still fits a printed page.
    if len(table.columns) > 8:
        classes.append("wide")
    # Too many for a phone: one field per line below NARROW pixels.
    if not fits_a_phone(table):
        classes.append("stack")
    named = any(column.name for column in table.columns)
    # On paper the columns stay; those that do not fit the page go, as at a terminal.
    unprinted = not_printed(table)
    shown = f' class="{" ".join(classes)}"' if classes else ""
    out = [f"<h2>{_inline(table.title)}</h2>", f"<table{shown}>"]
    if named:
        out.append("<thead><tr>")
        for i, column in enumerate(table.columns):
            names = " ".join(n for n in (kind(i), "np" if i in unprinted else "") if n)
            attribute = f' class="{names}"' if names else ""
            out.append(f'<th{attribute} scope="col">{_inline(column.name)}</th>')
        out.append("</tr></thead>")
    # Stacked, a row is headed by its leading cells up to its first text cell, as the
    # terminal's stacked layout is ("Session 1  2027-01-04", "1  Westside Ketamine").
    lead = next((i for i, c in enumerate(table.columns) if not c.intact and not c.bar), 0) + 1

    def cell(row: Row, index: int, text: str) -> str:
        column = table.columns[index] if index < len(table.columns) else None
        names = [kind(index)] if column is not None and kind(index) else []
        if index < lead:
            names.append("lead")
        if index in unprinted:
            names.append("np")
        label = ""
        if column is not None and column.name and index >= lead and not row.named:
            label = f' data-label="{escape(column.name, quote=True)}"'
        if column is not None and column.bar:
            # A bar is drawn by the page, to the same scale as the terminal's glyphs.
            share = f"{100 * bar_eighths(text) / (8 * BAR_WIDTH):.1f}"
            bar = " ".join(["bar", *(["np"] if index in unprinted else [])])
            return f'<td class="{bar}"{label}><span style="width:{share}%"></span></td>'
        attribute = f' class="{" ".join(names)}"' if names else ""
        content = _inline(text)
        if "<" in content:  # one box beside the label when the row is stacked, not several
            content = f"<span>{content}</span>"
        return f"<td{attribute}{label}>{content}</td>"

    out.append("<tbody>")
    for row in table.rows:
        out.append(f'<tr class="{row.style}">')
        out.extend(cell(row, i, text) for i, text in enumerate(row.cells))
        out.append("</tr>")
    out.append("</tbody></table>")
    if table.caption:
        out.append(f'<p class="caption">{_inline(table.caption)}</p>')
    if unprinted:
        names = ", ".join(table.columns[i].name for i in sorted(unprinted))
        out.append(
            f'<p class="caption print-only">Not printed, for want of room: {escape(names)}'
            " (the page on a screen shows them; so do --format md and csv).</p>"
        )
    return "\n".join(out)


def not_printed(table: Table) -> set[int]:
    """Return the columns left off an A4 page: those the terminal drops at that width."""
    room = PRINT_CHARACTERS_WIDE if len(table.columns) > 8 else PRINT_CHARACTERS
    layout = fit(as_a_page_draws(table), room)
    if layout.stacked:
        return set()
    return set(range(len(table.columns))) - set(layout.kept)


def _chart(chart: Chart) -> str:
    legend = "".join(
        f'<li><span style="background:{colour(number)}"></span>{_inline(line.name)}</li>'
        for number, line in enumerate(chart.lines)
    )
    return (
        f"<figure><h2>{_inline(chart.title)}</h2>\n{to_svg(chart)}\n"
        f'<figcaption><ul class="legend">{legend}</ul>'
        f'<p class="caption">{_inline(chart.axis)}</p></figcaption></figure>'
    )


def _details(lines: list[str]) -> list[str]:
    """Return the details as list items, each run of sub-items nested in the item above."""
    out: list[str] = []
    nested = False
    for line in lines:
        if line.startswith(SUB_ITEM) and out:
            if not nested:
                out[-1] = out[-1].removesuffix("</li>") + "<ul>"
                nested = True
            out.append(f"<li>{_inline(line.removeprefix(SUB_ITEM))}</li>")
            continue
        if nested:
            out.append("</ul></li>")
            nested = False
        out.append(f"<li>{_inline(line)}</li>")
    if nested:
        out.append("</ul></li>")
    return out
