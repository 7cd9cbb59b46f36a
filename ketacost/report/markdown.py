"""Draw reports as Markdown: a heading, details, then pipe tables (width does not apply)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .document import SUB_ITEM, Report

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|"})


# A web address as the reports write a source's, between angle brackets: an autolink.
# A bare address in a name stays text, like any other markup-looking text there.
_URL = re.compile(r"<(https?://[^\s<>|`\\]+)>")


def _md_cell(text: str) -> str:
    """Return text as Markdown shows it literally, a source's web address as a link.

    No emphasis, HTML or cell breaks come from the text: everything else is escaped.
    """
    out, last = [], 0
    for match in _URL.finditer(text):
        out.append(_literal(text[last : match.start()]))
        out.append(f"<{match.group(1)}>")
        last = match.end()
    out.append(_literal(text[last:]))
    return "".join(out)


def _literal(text: str) -> str:
    return text.translate(_MD_SPECIAL).replace("\n", " ")


def to_markdown(reports: Sequence[Report]) -> str:
    """Return the reports as Markdown: a heading, details, then pipe tables."""
    out: list[str] = []
    for report in reports:
        out.append(f"# {_md_cell(report.heading)}\n")
        out.extend(
            f"  - {_md_cell(line.removeprefix(SUB_ITEM))}"
            if line.startswith(SUB_ITEM)
            else f"- {_md_cell(line)}"
            for line in report.details
        )
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
