"""Draw reports as text: a Rich table, Markdown, CSV or JSON. One function per format."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..money import format_money

if TYPE_CHECKING:  # JSON output needs neither
    from ..engine.result import Estimate
    from ..model.plan import Terms
    from .layout import Report

FORMATS = ("table", "json", "csv", "md")
EXTENSIONS = {".json": "json", ".csv": "csv", ".md": "md", ".markdown": "md", ".txt": "table"}


def to_rich(reports: Sequence[Report], *, color: bool, width: int | None = None) -> str:
    """Return the reports drawn as Rich tables (with ANSI colour when ``color``).

    Every piece of text reaches Rich as a ``Text`` object, never as a markup
    string: a clinic named ``Intake [v2]`` or ``[link=...]`` prints as written.
    """
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
                title=Text(table.title),
                title_justify="left",
                title_style="bold",
                caption=None if table.caption is None else Text(table.caption),
                caption_justify="left",
                box=box.SIMPLE_HEAD,
                show_header=any(column.name for column in table.columns),
            )
            for index, column in enumerate(table.columns):
                rich_table.add_column(
                    Text(column.name),
                    justify="right" if column.numeric else "left",
                    overflow="fold",
                    no_wrap=index == 0 or column.numeric,
                    min_width=column.min_width,
                )
            for row in table.rows:
                rich_table.add_row(
                    *(Text(cell) for cell in row.cells),
                    style=styles[row.style],
                    end_section=row.style == "subtotal",
                )
            console.print(rich_table)
        for note in report.notes:
            console.print(Text(note, style="italic"))
        console.print()
    return buffer.getvalue()


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|"})


def _md_cell(text: str) -> str:
    """Return text as Markdown shows it literally: no links, emphasis, HTML or cell breaks."""
    return text.translate(_MD_SPECIAL).replace("\n", " ")


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
    """Return one CSV row per charge event, with each scenario's claim beside it.

    Per scenario: what the patient paid for the charge, what was reimbursed and
    when, what the plan paid the clinic (in network), and the terms used.
    """
    names: list[str] = []
    for estimate in estimates:
        names.extend(s.name for s in estimate.scenarios if s.name not in names)
    kinds = ("paid", "reimbursed", "reimbursed_on", "plan_paid", "terms")
    header = CSV_COLUMNS + [f"{kind} [{name}]" for name in names for kind in kinds]
    from .spreadsheet import csv_text

    rows: list[list[str]] = [header]
    for estimate in estimates:
        scenarios = {s.name: s for s in estimate.scenarios}
        claims: dict[str, dict[tuple[Any, str], Any]] = {
            s.name: {(c.charge.date, c.charge.label): c for c in s.claims}
            for s in estimate.scenarios
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
                scenario = scenarios.get(name)
                if scenario is None:
                    row += ["", "", "", "", ""]
                    continue
                claim = claims[name].get((event.date, event.label))
                terms = "" if scenario.terms is None else terms_text(scenario.terms)
                if claim is None:
                    row += [format_money(event.amount), "0.00", "", "0.00", terms]
                    continue
                row += [
                    format_money(claim.paid),
                    format_money(claim.reimbursed),
                    claim.reimbursed_on.isoformat() if claim.reimbursed else "",
                    format_money(claim.plan_paid),
                    terms,
                ]
            rows.append(row)
    return csv_text(rows)


def terms_text(terms: Terms) -> str:
    """Return a scenario's terms on one line, for CSV cells."""
    data = terms.to_dict()
    met = data["already_met"]
    parts = [
        f"{data['coverage']}",
        f"{data['network']}",
        "covered" if data["covered"] else "denied",
        f"deductible {data['deductible']}",
        f"copay {data['copay']}",
        f"coinsurance {data['coinsurance']}",
        f"cap {data['out_of_pocket_max'] or 'none'}",
        f"allowed {data['allowed'] if isinstance(data['allowed'], str) else 'by code'}",
        f"met {met['deductible']}/{met['out_of_pocket']}",
    ]
    if not data["claimable"]:
        parts.append("nothing claimable")
    return "; ".join(parts)


def to_json(data: Any) -> str:
    """Return data as indented JSON with a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
