"""Draw reports as Markdown: a heading, details, then pipe tables (width does not apply)."""

from __future__ import annotations

from collections.abc import Sequence

from .document import Report

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
