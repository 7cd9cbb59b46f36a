"""Draw reports as one self-contained, printable HTML page: no scripts, nothing fetched."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from .document import Chart, Report, Table
from .svg import colour, to_svg
from .words import BAR_WIDTH, bar_eighths

STYLE = """
@page { size: auto; margin: 14mm; }
* { box-sizing: border-box; }
body { font: 11pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111;
       margin: 0 auto; padding: 16px; max-width: 960px; background: #fff; }
h1 { font-size: 18pt; margin: 0 0 4px; }
h2 { font-size: 13pt; margin: 20px 0 6px; break-after: avoid; }
ul.details { margin: 0 0 8px; padding-left: 18px; color: #333; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 4px 0;
        break-inside: auto; }
th, td { padding: 3px 6px; border-bottom: 1px solid #ddd; vertical-align: top;
         text-align: left; overflow-wrap: normal; }
th { border-bottom: 2px solid #555; font-weight: 600; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.rigid { white-space: nowrap; }
th.num, th.rigid { white-space: normal; }
table.wide { font-size: 7pt; }
table.wide th, table.wide td { padding: 2px 2px; }
table.wide th { overflow-wrap: anywhere; }
tr.subtotal td { font-weight: 600; border-bottom: 1px solid #888; }
tr.total td, tr.best td { font-weight: 700; }
tr.best td { background: #eaf6ec; }
tr.flag td { background: #fff5d6; }
td.bar { width: 30%; }
td.bar span { display: inline-block; height: 0.8em; background: #4a6fa5; }
p.caption { font-size: 9.5pt; color: #444; margin: 4px 0 0; }
p.note { font-style: italic; color: #333; }
figure { margin: 8px 0; break-inside: avoid; }
svg.chart { width: 100%; height: auto; max-width: 720px; display: block; }
ul.legend { list-style: none; padding: 0; margin: 4px 0; font-size: 9.5pt; }
ul.legend li { display: inline-block; margin-right: 16px; }
ul.legend span { display: inline-block; width: 14px; height: 4px; vertical-align: middle;
                 margin-right: 4px; }
@media print { body { max-width: none; padding: 0; } tr { break-inside: avoid; } }
"""


def to_html(reports: Sequence[Report]) -> str:
    """Return the reports as one HTML page with inline CSS and inline SVG charts."""
    title = " · ".join(report.heading for report in reports) or "ketacost report"
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
        out.append(f"<h1>{escape(report.heading)}</h1>")
        if report.details:
            out.append('<ul class="details">')
            out.extend(f"<li>{escape(line)}</li>" for line in report.details)
            out.append("</ul>")
        for table in report.tables:
            out.append(_table(table))
        for chart in report.charts:
            out.append(_chart(chart))
        out.extend(f'<p class="note">{escape(note)}</p>' for note in report.notes)
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _table(table: Table) -> str:
    def kind(index: int) -> str:
        column = table.columns[index]
        return ' class="num"' if column.numeric else (' class="rigid"' if column.rigid else "")

    # Many columns: a smaller type, so the table still fits a printed page.
    wide = ' class="wide"' if len(table.columns) > 8 else ""
    out = [f"<h2>{escape(table.title)}</h2>", f"<table{wide}>"]
    if any(column.name for column in table.columns):
        out.append("<thead><tr>")
        out.extend(
            f'<th{kind(i)} scope="col">{escape(c.name)}</th>' for i, c in enumerate(table.columns)
        )
        out.append("</tr></thead>")

    def cell(index: int, text: str) -> str:
        if index < len(table.columns) and table.columns[index].bar:
            # A bar is drawn by the page, to the same scale as the terminal's glyphs.
            share = f"{100 * bar_eighths(text) / (8 * BAR_WIDTH):.1f}"
            return f'<td class="bar"><span style="width:{share}%"></span></td>'
        return f"<td{kind(index)}>{escape(text)}</td>"

    out.append("<tbody>")
    for row in table.rows:
        out.append(f'<tr class="{row.style}">')
        out.extend(cell(i, text) for i, text in enumerate(row.cells))
        out.append("</tr>")
    out.append("</tbody></table>")
    if table.caption:
        out.append(f'<p class="caption">{escape(table.caption)}</p>')
    return "\n".join(out)


def _chart(chart: Chart) -> str:
    legend = "".join(
        f'<li><span style="background:{colour(number)}"></span>{escape(line.name)}</li>'
        for number, line in enumerate(chart.lines)
    )
    return (
        f"<figure><h2>{escape(chart.title)}</h2>\n{to_svg(chart)}\n"
        f'<figcaption><ul class="legend">{legend}</ul>'
        f'<p class="caption">{escape(chart.axis)}</p></figcaption></figure>'
    )
