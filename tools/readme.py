"""Rewrite the example output in README.md and docs/*.md by running the commands shown.

A ```console block preceded by a comment line ``<!-- tools/readme.py -->`` is
regenerated. Each of its lines that begins ``$ ketacost `` is a command; the
command runs in-process at the width a pipe gets (100 columns, no colour) from
the repository root, and what it prints (standard output and standard error,
in the order written, as a terminal shows them) replaces the lines up to the
next command or the end of the block.

A command must exit 0 or 1, unless the comment says which code it exits with:
``<!-- tools/readme.py exit 2 -->`` (every command of the block must then exit
2: an example of an error message).

The comment may name excerpts, ``<!-- tools/readme.py from "Insurance
scenarios" to "Cash flow" -->``: the block then shows ``...`` and the lines
from the first line beginning with the ``from`` text up to (not including) the
next line beginning with ``to`` (``to ""``: the next blank line); several
``from ... to ...`` pairs show several excerpts, and ``...`` closes the block
when more output follows.

Trailing spaces are removed from every line written.

    python tools/readme.py          rewrite README.md and docs/*.md
    python tools/readme.py --check  exit 1 when a file differs from what it would write
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
MARK = re.compile(
    r"^<!-- tools/readme\.py(?: exit (?P<exit>\d+))?"
    r"(?P<ranges>(?: from \"[^\"]*\"(?: to \"[^\"]*\")?)*) -->$"
)
RANGE = re.compile(r' from "(?P<start>[^"]*)"(?: to "(?P<stop>[^"]*)")?')
PROMPT = "$ ketacost "
WIDTH = "100"


def files() -> list[Path]:
    """Return the files whose console blocks are generated: the README, then docs/*.md."""
    return [README, *sorted(DOCS.glob("*.md"))]


def run(command: str, exit_code: int | None = None) -> str:
    """Return what ``command`` (``ketacost ...``) prints, as a terminal fed by a pipe shows it.

    ``exit_code`` is the code the command must exit with; None: 0 or 1.
    """
    import os

    from typer.testing import CliRunner

    from ketacost.cli import app

    words = shlex.split(command)
    if not words or words[0] != "ketacost":
        raise SystemExit(f"example command does not start with 'ketacost': {command}")
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(app, words[1:], env={"COLUMNS": WIDTH, "NO_COLOR": "1"})
    finally:
        os.chdir(here)
    allowed = (0, 1) if exit_code is None else (exit_code,)
    if result.exit_code not in allowed:
        raise SystemExit(
            f"example command exited {result.exit_code}, not {' or '.join(map(str, allowed))}:"
            f" {command}\n{result.output}"
        )
    return result.output


def excerpt(output: str, ranges: list[tuple[str, str | None]]) -> list[str]:
    """Return the lines of ``output`` to show: all, or each range with ``...`` between.

    A range starts at the first line beginning with its ``from`` text (after the
    previous range) and stops before the next line beginning with its ``to``
    text (an empty ``to``: the next blank line), or at the end.
    """
    lines = [line.rstrip() for line in output.rstrip("\n").splitlines()]
    if not ranges:
        return lines
    shown: list[str] = []
    position = 0
    for start, stop in ranges:
        first = next((i for i in range(position, len(lines)) if lines[i].startswith(start)), None)
        if first is None:
            raise SystemExit(f"example excerpt start {start!r} is not in the output")
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


def regenerate(text: str, name: str = "README.md") -> str:
    """Return ``text`` with every marked console block's output rewritten."""
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
            raise SystemExit(f"{name} line {index}: the mark must precede a ```console block")
        try:
            end = lines.index("```", index + 1)
        except ValueError:
            raise SystemExit(f"{name} line {index + 1}: the console block is not closed") from None
        commands = [row for row in lines[index + 1 : end] if row.startswith(PROMPT)]
        if not lines[index + 1].startswith(PROMPT):
            raise SystemExit(f"{name} line {index + 2}: a block starts with '{PROMPT}...'")
        ranges = [(r["start"], r["stop"]) for r in RANGE.finditer(mark["ranges"])]
        exit_code = int(mark["exit"]) if mark["exit"] else None
        out.append("```console")
        for command in commands:
            out += [command, *excerpt(run(command[2:], exit_code), ranges)]
        out.append("```")
        index = end + 1
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    stale = []
    for path in files():
        current = path.read_text(encoding="utf-8")
        wanted = regenerate(current, str(path.relative_to(ROOT)))
        if wanted == current:
            continue
        stale.append(str(path.relative_to(ROOT)))
        if "--check" not in argv:
            path.write_text(wanted, encoding="utf-8")
    if stale and "--check" in argv:
        print(
            f"example output is out of date in {', '.join(stale)}: run python tools/readme.py",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
