"""Rewrite the output shown in README.md by running the commands shown above it.

A ```console block preceded by a comment line ``<!-- tools/readme.py -->`` is
regenerated: its first line is ``$ ketacost ...``; the command runs in-process
at the width a pipe gets (100 columns, no colour) from the repository root,
and its output replaces the rest of the block. The comment may name excerpts,
``<!-- tools/readme.py from "Insurance scenarios" to "Cash flow" -->``: the
block then shows ``...`` and the lines from the first line beginning with the
``from`` text up to (not including) the next line beginning with ``to`` (``to
""``: the next blank line); several ``from ... to ...`` pairs show several
excerpts, and ``...`` closes the block when more output follows.

    python tools/readme.py          rewrite README.md
    python tools/readme.py --check  exit 1 when README.md differs from what it would write
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MARK = re.compile(
    r"^<!-- tools/readme\.py(?P<ranges>(?: from \"[^\"]*\"(?: to \"[^\"]*\")?)*) -->$"
)
RANGE = re.compile(r' from "(?P<start>[^"]*)"(?: to "(?P<stop>[^"]*)")?')
WIDTH = "100"


def run(command: str) -> str:
    """Return what ``command`` (``ketacost ...``) prints, as a pipe would receive it."""
    import os

    from typer.testing import CliRunner

    from ketacost.cli import app

    words = shlex.split(command)
    if not words or words[0] != "ketacost":
        raise SystemExit(f"README command does not start with 'ketacost': {command}")
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(app, words[1:], env={"COLUMNS": WIDTH, "NO_COLOR": "1"})
    finally:
        os.chdir(here)
    if result.exit_code not in (0, 1):
        raise SystemExit(f"README command failed ({result.exit_code}): {command}\n{result.output}")
    return result.stdout


def excerpt(output: str, ranges: list[tuple[str, str | None]]) -> list[str]:
    """Return the lines of ``output`` to show: all, or each range with ``...`` between.

    A range starts at the first line beginning with its ``from`` text (after the
    previous range) and stops before the next line beginning with its ``to``
    text (an empty ``to``: the next blank line), or at the end.
    """
    lines = output.rstrip("\n").splitlines()
    if not ranges:
        return lines
    shown: list[str] = []
    position = 0
    for start, stop in ranges:
        first = next((i for i in range(position, len(lines)) if lines[i].startswith(start)), None)
        if first is None:
            raise SystemExit(f"README excerpt start {start!r} is not in the output")
        last = len(lines)
        if stop is not None:
            last = next(
                (
                    i
                    for i in range(first + 1, len(lines))
                    if (lines[i] == stop if stop == "" else lines[i].startswith(stop))
                ),
                last,
            )
        chosen = lines[first:last]
        while chosen and not chosen[-1].strip():
            chosen.pop()
        shown += ["...", *chosen]
        position = last
    if position < len(lines):
        shown.append("...")
    return shown


def regenerate(text: str) -> str:
    """Return the README ``text`` with every marked console block's output rewritten."""
    lines = text.splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        out.append(line)
        mark = MARK.match(line)
        index += 1
        if not mark:
            continue
        if index + 1 >= len(lines) or lines[index] != "```console":
            raise SystemExit(f"README line {index}: the mark must precede a ```console block")
        command = lines[index + 1]
        if not command.startswith("$ "):
            raise SystemExit(f"README line {index + 2}: a block starts with '$ ketacost ...'")
        end = lines.index("```", index + 2)
        ranges = [(r["start"], r["stop"]) for r in RANGE.finditer(mark["ranges"])]
        shown = excerpt(run(command[2:]), ranges)
        out += ["```console", command, *shown, "```"]
        index = end + 1
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    wanted = regenerate(current)
    if "--check" in argv:
        if wanted != current:
            print("README.md output is out of date: run python tools/readme.py", file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
