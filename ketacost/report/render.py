"""Draw reports as text: a Rich table, Markdown, CSV or JSON. One function per format."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..money import format_money

if TYPE_CHECKING:  # JSON output needs neither
    from ..engine.result import Estimate
    from .layout import Report

FORMATS = ("table", "json", "csv", "md")
EXTENSIONS = {".json": "json", ".csv": "csv", ".md": "md", ".markdown": "md", ".txt": "table"}


def to_rich(reports: Sequence[Report], *, color: bool, width: int | None = None) -> str:
    """Return the reports drawn as Rich tables (with ANSI colour when ``color``)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=width or 110,
        highlight=False,
        emoji=False,
    )
    styles = {
        "normal": "",
        "subtotal": "bold",
        "total": "bold cyan",
        "best": "bold green",
        "flag": "yellow",
    }
    for report in reports:
        console.print(Text(report.heading, style="bold underline"))
        for line in report.details:
            console.print(Text(line))
        for table in report.tables:
            console.print()
            rich_table = RichTable(
                title=table.title,
                title_justify="left",
                title_style="bold",
                caption=table.caption,
                caption_justify="left",
                box=box.SIMPLE_HEAD,
                show_header=any(column.name for column in table.columns),
            )
            for index, column in enumerate(table.columns):
                rich_table.add_column(
                    column.name,
                    justify="right" if column.numeric else "left",
                    overflow="fold",
                    no_wrap=index == 0 or column.numeric,
                    min_width=column.min_width,
                )
            for row in table.rows:
                rich_table.add_row(
                    *row.cells, style=styles[row.style], end_section=row.style == "subtotal"
                )
            console.print(rich_table)
        for note in report.notes:
            console.print(Text(note, style="italic"))
        console.print()
    return buffer.getvalue()


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(reports: Sequence[Report]) -> str:
    """Return the reports as Markdown: a heading, details, then pipe tables."""
    out: list[str] = []
    for report in reports:
        out.append(f"# {_md_cell(report.heading)}\n")
        out.extend(f"- {_md_cell(line)}" for line in report.details)
        out.append("")
        for table in report.tables:
            out.append(f"## {_md_cell(table.title)}\n")
            out.append("| " + " | ".join(_md_cell(c.name) for c in table.columns) + " |")
            out.append("|" + "|".join("---:" if c.numeric else "---" for c in table.columns) + "|")
            for row in table.rows:
                cells = [_md_cell(c) for c in row.cells]
                if row.style in ("total", "best") and cells:
                    cells = [f"**{c}**" if c else c for c in cells]
                out.append("| " + " | ".join(cells) + " |")
            if table.caption:
                out.append(f"\n{_md_cell(table.caption)}")
            out.append("")
        out.extend(f"_{_md_cell(note)}_\n" for note in report.notes)
    return "\n".join(out).rstrip() + "\n"


CSV_COLUMNS = ["date", "item", "label", "amount", "claimable", "phase", "clinic"]


def to_csv(estimates: Sequence[Estimate]) -> str:
    """Return one CSV row per charge event, with each scenario's reimbursement beside it."""
    names: list[str] = []
    for estimate in estimates:
        names.extend(s.name for s in estimate.scenarios if s.name not in names)
    header = CSV_COLUMNS + [
        f"{kind} [{name}]" for name in names for kind in ("reimbursed", "reimbursed_on")
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for estimate in estimates:
        paid_back: dict[str, dict[int, Any]] = {
            s.name: {id(c.charge): c for c in s.claims} for s in estimate.scenarios
        }
        for event in estimate.events:
            row = [
                event.date.isoformat(),
                event.item,
                event.label,
                format_money(event.amount),
                str(event.claimable).lower(),
                event.phase,
                estimate.clinic.name,
            ]
            for name in names:
                claim = paid_back.get(name, {}).get(id(event))
                if claim is None or not claim.reimbursed:
                    row += ["0.00", ""]
                else:
                    row += [format_money(claim.reimbursed), claim.reimbursed_on.isoformat()]
            writer.writerow(row)
    return buffer.getvalue()


def to_json(data: Any) -> str:
    """Return data as indented JSON with a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
