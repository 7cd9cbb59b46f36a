"""Where a report goes: stdout, or a file written atomically."""

from __future__ import annotations

import sys
from pathlib import Path

from ..atomic import replace_atomically
from ..errors import InputError

FORMATS = ("table", "json", "csv", "md", "html")
EXTENSIONS = {
    ".json": "json",
    ".csv": "csv",
    ".md": "md",
    ".markdown": "md",
    ".txt": "table",
    ".html": "html",
    ".htm": "html",
}


def choose_format(requested: str | None, output: Path | None) -> str:
    """Return the output format: as asked, else from the output file's extension, else table."""
    if requested is not None:
        if requested not in FORMATS:
            raise InputError.single(
                "--format", f"unknown format {requested!r}", "use one of " + ", ".join(FORMATS)
            )
        return requested
    if output is not None:
        suffix = output.suffix.lower()
        if suffix in EXTENSIONS:
            return EXTENSIONS[suffix]
        raise InputError.single(
            str(output),
            f"cannot tell the format from the extension {suffix or '(none)'!r}",
            "add --format table|json|csv|md|html, or name the file .json, .csv, .md, .html or .txt",
        )
    return "table"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never half-written."""

    def write(temporary: str) -> None:
        with open(temporary, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)

    replace_atomically(path, write)


def emit(text: str, output: Path | None) -> None:
    """Send ``text`` to ``output`` (atomically) or to stdout."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomically(output, text)
