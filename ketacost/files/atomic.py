"""Replacing a file so that it is never half-written: a temporary file beside it, then a rename."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError, OutputError

# Errors of a write under way, not of the target: the disk or quota is full, the file
# would pass a size limit, the device failed. They are output faults (exit 4); the rest
# (permissions, a missing folder, a read-only file system) are about the target named.
FAULTS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


# The files this run reads as inputs (profiles, plans, ledgers, person files), by device
# and inode: a report written over one would destroy what it was made from.
_INPUTS: set[tuple[int, int]] = set()


def note_input(found: os.stat_result) -> None:
    """Remember a file read as an input, so that no output replaces it."""
    _INPUTS.add((found.st_dev, found.st_ino))


def forget_inputs() -> None:
    """Start a new run: the files an earlier command read are inputs no more (and their
    inodes may since belong to other files)."""
    _INPUTS.clear()


def is_fault(error: OSError) -> bool:
    """Whether ``error`` is an output fault (a full disk ...) rather than a bad target."""
    return error.errno in FAULTS


def replace_atomically(
    path: Path,
    write: Callable[[str], None],
    *,
    durable: bool = False,
    suffix: str | None = None,
    unwritable: Callable[[Path, OSError], InputError | OutputError] | None = None,
    updates_input: bool = False,
) -> None:
    """Have ``write`` fill a temporary file beside ``path``, then rename it into place.

    An interrupted or failed write leaves ``path`` as it was. Only a regular
    file is ever replaced: a symlink, device, FIFO, socket or folder at ``path``
    is refused, and so is a read-only file (no write bit set, or one this user may
    not write): the rename would replace it all the same, so its mode is honoured
    here. A replaced file keeps its permission bits (a private 0600 report stays
    private) and, where the process may, its owner; a new file gets the usual
    0666 less the umask.

    ``durable`` flushes the new file and the folder to disk before returning (a
    ledger must survive a power cut); ``suffix`` names the temporary file (the
    target's own suffix by default); ``unwritable`` words an operating-system
    error for the user: an ``OutputError`` for a fault of the write (``is_fault``),
    an ``InputError`` for one of the target.

    A file this run read as an input (``note_input``) is refused, under any name
    (a link, ``./``), unless ``updates_input``: the ledger ``log`` appends to.
    """
    unwritable = unwritable or _unwritable
    folder = existing_folder(path)
    found = _existing(path, unwritable)
    if found is not None and not updates_input and (found.st_dev, found.st_ino) in _INPUTS:
        raise InputError.single(
            str(path),
            "this command reads this file: writing the output there would replace it",
            "name another file for the output, e.g. report.md",
        )
    if found is not None:
        mode = stat.S_IMODE(found.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=path.suffix if suffix is None else suffix, dir=folder
        )
    except OSError as error:
        raise unwritable(path, error) from None
    os.close(handle)
    try:
        write(temporary)
        if durable:
            _sync(temporary)
        os.chmod(temporary, mode)
        if found is not None and (found.st_uid, found.st_gid) != (os.getuid(), os.getgid()):
            with contextlib.suppress(PermissionError):  # only root may give a file away
                os.chown(temporary, found.st_uid, found.st_gid)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise unwritable(path, error) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if durable:
        with contextlib.suppress(OSError):  # not every system syncs a folder
            _sync(str(folder))


def existing_folder(path: Path) -> Path:
    """Return the folder ``path`` would be written in; an input error when there is none."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError.single(
            str(path),
            f"the folder {str(folder)!r} does not exist",
            "create it first, or write somewhere else",
        )
    return folder


def _sync(name: str) -> None:
    """Flush a file's (or a folder's) data to disk."""
    handle = os.open(name, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


_NOT_A_FILE = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _existing(
    path: Path, unwritable: Callable[[Path, OSError], InputError | OutputError]
) -> os.stat_result | None:
    """Return the status of the regular file at ``path``; None when nothing is there.

    Anything else at the path is refused: replacing a symlink would leave its
    target stale, and replacing ``/dev/null`` as root would break the system.
    """
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise unwritable(path, error) from None
    if stat.S_ISREG(found.st_mode):
        refusal = read_only(path, found.st_mode)
        if refusal is not None:
            raise InputError.single(
                str(path),
                f"{refusal}, so it was not replaced",
                f"make it writable (chmod u+w {path}) if you mean to replace it,"
                " or write somewhere else",
            )
        return found
    what = next((name for test, name in _NOT_A_FILE if test(found.st_mode)), "not a regular file")
    if stat.S_ISLNK(found.st_mode):
        what += f" to {os.readlink(path)!r}"
    raise InputError.single(
        str(path),
        f"is {what}; only a regular file is written or replaced",
        "name a new or ordinary file, or leave out -o to print to standard output",
    )


def read_only(path: Path, mode: int) -> str | None:
    """Say why the regular file at ``path`` (of ``mode``) is read-only; None when writable.

    A file with no write bit is read-only even to root, who may write anything:
    the bits say what its owner meant.
    """
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return "the file is read-only"
    if not os.access(path, os.W_OK):
        return "the file is not writable by this user"
    return None


def _unwritable(path: Path, error: OSError) -> InputError | OutputError:
    if is_fault(error):
        return OutputError(
            str(path),
            f"the file could not be written: {error.strerror or error}; it is as it was",
            "free some space (or raise the file-size limit) and run the command again",
        )
    return InputError.single(
        str(path),
        f"cannot write the file: {error.strerror or error}",
        "check the folder's permissions and free space, or write somewhere else",
    )
