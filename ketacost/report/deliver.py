"""Where a report goes: stdout, or a file written atomically."""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, cast

from ..errors import InputError, OutputError
from ..files.atomic import replace_atomically

STDOUT = "(standard output)"

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
        write_stdout(text)
    else:
        write_atomically(output, text)


def write_stdout(text: str) -> None:
    """Write ``text`` to standard output, all of it, or raise.

    A closed pipe raises ``BrokenPipeError`` (the command line ends quietly with
    141); any other failure raises ``OutputError`` (exit 4). Where standard output
    is a file, the bytes are written to it directly and counted: a write cut short
    by a file-size limit is otherwise dropped without an error.
    """
    stream = sys.stdout
    try:
        if stream is None:
            raise OSError(errno.EBADF, "standard output is closed")
        stream.flush()
        fileno = _fileno(stream)
        if fileno is None:  # not a file (a test's capture): its own write must do
            stream.write(text)
            stream.flush()
            return
        data = memoryview(text.encode(stream.encoding or "utf-8", stream.errors or "strict"))
        while data:
            written = os.write(fileno, data)
            if written == 0:  # nothing taken and no error: never loop on it
                raise OSError(errno.EIO, "nothing more could be written")
            data = data[written:]
    except BrokenPipeError:
        raise
    except OSError as error:
        raise stdout_fault(error) from None


def write_stream(write: Callable[[IO[str]], None], chunk: int = 1 << 16) -> None:
    """Have ``write`` fill standard output piece by piece (a sweep streams its rows).

    What it writes goes out in chunks of about ``chunk`` characters, each through
    ``write_stdout``: checked as a whole report is.
    """
    pieces: list[str] = []
    held = 0

    class Pieces(io.TextIOBase):
        def write(self, text: str) -> int:
            nonlocal held
            pieces.append(text)
            held += len(text)
            if held >= chunk:
                self.flush()
            return len(text)

        def flush(self) -> None:
            nonlocal held
            if pieces:
                write_stdout("".join(pieces))
                pieces.clear()
                held = 0

    stream = Pieces()
    write(cast("IO[str]", stream))
    stream.flush()


def stdout_fault(error: OSError) -> OutputError:
    """Return the output error for a failed write to standard output."""
    if error.errno == errno.EBADF:
        return OutputError(
            STDOUT,
            "the output could not be written: standard output is closed",
            "run the command with its output going somewhere (a file, a pipe), or use -o FILE",
        )
    return OutputError(
        STDOUT,
        f"the output could not be written: {error.strerror or error}; what went out is cut short",
        "check the disk's free space and any file-size limit (ulimit -f), or write with -o FILE,"
        " which leaves the file as it was when a write fails",
    )


class CheckedStdout(io.TextIOBase):
    """Standard output whose every write is checked: a failure is an ``OutputError``.

    The command line puts it in place of ``sys.stdout`` for the whole run, so that
    what the parser prints (help, the version) and any short line a command echoes
    fail as a report does: exit 4 with a message, or quietly with 141 for a closed
    pipe (``pipe_closed`` then says so). ``stream`` None is a standard output the
    process was started without (``>&-``).
    """

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, stream: IO[str] | None) -> None:
        super().__init__()
        self.stream = stream
        self.pipe_closed = False
        if stream is not None:
            self.encoding = getattr(stream, "encoding", None) or "utf-8"
            self.errors = getattr(stream, "errors", None) or "strict"

    def write(self, text: str) -> int:
        return int(self._checked(lambda stream: stream.write(text)) or 0)

    def flush(self) -> None:
        if self.stream is not None:  # a closed standard output has nothing waiting
            self._checked(lambda stream: stream.flush())

    def isatty(self) -> bool:
        return self.stream is not None and self.stream.isatty()

    def fileno(self) -> int:
        if self.stream is None:
            raise io.UnsupportedOperation("standard output is closed")
        return self.stream.fileno()

    def writable(self) -> bool:
        return True

    def _checked(self, action: Callable[[IO[str]], Any]) -> Any:
        try:
            if self.stream is None:
                raise OSError(errno.EBADF, "standard output is closed")
            return action(self.stream)
        except BrokenPipeError:
            self.pipe_closed = True
            raise
        except OSError as error:
            raise stdout_fault(error) from None


def _fileno(stream: Any) -> int | None:
    try:
        fileno = stream.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):
        return None
    return fileno if isinstance(fileno, int) else None
