"""Where a report goes: stdout, or a file written atomically."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

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


def replace_atomically(path: Path, write: Callable[[str], None]) -> None:
    """Have ``write`` fill a temporary file beside ``path``, then rename it into place.

    An interrupted or failed write leaves ``path`` as it was. Only a regular
    file is ever replaced: a symlink, device, FIFO, socket or folder at ``path``
    is refused. A replaced file keeps its permission bits (a private 0600 report
    stays private); a new file gets the usual 0666 less the umask.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError.single(
            str(path),
            f"the folder {str(folder)!r} does not exist",
            "create it first, or write somewhere else",
        )
    mode = _existing_mode(path)
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=path.suffix, dir=folder
        )
    except OSError as error:
        raise _unwritable(path, error) from None
    os.close(handle)
    try:
        write(temporary)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise _unwritable(path, error) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


_NOT_A_FILE = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _existing_mode(path: Path) -> int | None:
    """Return the permission bits of the regular file at ``path``; None when nothing is there.

    Anything else at the path is refused: replacing a symlink would leave its
    target stale, and replacing ``/dev/null`` as root would break the system.
    """
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _unwritable(path, error) from None
    if stat.S_ISREG(found.st_mode):
        return stat.S_IMODE(found.st_mode)
    what = next((name for test, name in _NOT_A_FILE if test(found.st_mode)), "not a regular file")
    if stat.S_ISLNK(found.st_mode):
        what += f" to {os.readlink(path)!r}"
    raise InputError.single(
        str(path),
        f"is {what}; only a regular file is written or replaced",
        "name a new or ordinary file, or leave out -o to print to standard output",
    )


def _unwritable(path: Path, error: OSError) -> InputError:
    return InputError.single(
        str(path),
        f"cannot write the file: {error.strerror or error}",
        "check the folder's permissions and free space, or write somewhere else",
    )


def emit(text: str, output: Path | None) -> None:
    """Send ``text`` to ``output`` (atomically) or to stdout."""
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomically(output, text)
