"""Append one entry to a ledger file without ever losing what it holds (DESIGN §9).

Under a lock on a file beside the ledger, the ledger is read, checked, given
the new entry at the end of its ``entries`` list (every byte before the entry
kept), checked again, written to a temporary file beside it and renamed into
place. A failure at any step leaves the old file as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import glob
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .document import MAX_BYTES, Document, decode, parse
from .errors import InputError

T = TypeVar("T")
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # LibYAML's, when PyYAML has it
Value = str | Decimal | dt.date | Sequence[str] | None
_PLAIN = re.compile(r"^[A-Za-z./][A-Za-z0-9 _.()/'&+-]*$")
_YAML_11_WORDS = {"yes", "no", "on", "off", "y", "n"}  # booleans to older YAML readers


_PRINTABLE = re.compile("[\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _double_quoted(text: str) -> str:
    """Return ``text`` as a YAML double-quoted scalar, escaping what YAML cannot hold raw."""
    out = []
    for character in text:
        if character in '"\\':
            out.append("\\" + character)
        elif _PRINTABLE.match(character):
            out.append(character)
        else:
            code = ord(character)
            out.append(
                f"\\x{code:02x}"
                if code <= 0xFF
                else f"\\u{code:04x}"
                if code <= 0xFFFF
                else f"\\U{code:08x}"
            )
    return '"' + "".join(out) + '"'


def _reads_back(text: str) -> bool:
    """Whether ``text`` written plain reads back as the same text (not a number or null)."""
    if text.lower() in _YAML_11_WORDS:
        return False
    try:
        return bool(parse("(entry)", f"value: {text}\n").data == {"value": text})
    except InputError:
        return False


def scalar(value: Value) -> str:
    """Return ``value`` as YAML text that reads back as exactly this value."""
    if value is None:
        return "null"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, str):
        plain = _PLAIN.match(value) and value == value.strip()
        return value if plain and _reads_back(value) else _double_quoted(value)
    return "[" + ", ".join(scalar(item) for item in value) + "]"


def entry_text(entry: Sequence[tuple[str, Value]], indent: int, newline: str) -> str:
    """Return one block-style list item: ``- date: ...`` then its keys, indented."""
    lines = []
    for position, (key, value) in enumerate(entry):
        lead = " " * indent + "- " if position == 0 else " " * (indent + 2)
        lines.append(f"{lead}{key}: {scalar(value)}{newline}")
    return "".join(lines)


def with_entry(document: Document, text: str, entry: Sequence[tuple[str, Value]]) -> str:
    """Return ``text`` with ``entry`` added at the end of its ``entries`` list.

    ``text`` is unchanged up to the insertion point; nothing is removed.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    root = yaml.compose(text.removeprefix("\ufeff"), Loader=_COMPOSER)
    if not isinstance(root, MappingNode) or root.flow_style:
        raise _refuse(document, (), "the ledger is not a block-style mapping of keys")
    keys = [key.value for key, _ in root.value if isinstance(key, ScalarNode)]
    if "entries" not in keys:
        return (
            _ends_with_newline(text, newline) + "entries:" + newline + entry_text(entry, 2, newline)
        )
    position = keys.index("entries")
    key_node, value = root.value[position]
    lines = text.splitlines(keepends=True)
    if isinstance(value, ScalarNode) and value.value == "" and not value.style:  # `entries:`
        line = key_node.start_mark.line
        return _insert(lines, line + 1, entry_text(entry, 2, newline), newline)
    if not isinstance(value, SequenceNode) or value.flow_style:
        raise _refuse(
            document,
            ("entries",),
            "entries is not a block-style list, so an entry cannot be appended to it",
        )
    indent = value.start_mark.column if value.value else 2
    if position == len(keys) - 1:
        return _ends_with_newline(text, newline) + entry_text(entry, indent, newline)
    return _insert(lines, _last_line(value) + 1, entry_text(entry, indent, newline), newline)


def _refuse(document: Document, where: tuple[str, ...], message: str) -> InputError:
    hint = (
        "write entries in block style, one `- date: ...` item per line (as in `ketacost init"
        " --ledger`); `entries:` with nothing after it starts an empty list"
    )
    return InputError([document.problem(where, message, hint)])


def _ends_with_newline(text: str, newline: str) -> str:
    return text if not text or text.endswith(("\n", "\r")) else text + newline


def _insert(lines: list[str], at: int, item: str, newline: str) -> str:
    before = "".join(lines[:at])
    return _ends_with_newline(before, newline) + item + "".join(lines[at:])


def _last_line(node: Node) -> int:
    """Return the last 0-based line holding part of ``node`` (not its trailing comments)."""
    if isinstance(node, ScalarNode) or getattr(node, "flow_style", False):
        end = node.end_mark
        return end.line if end.column > 0 else end.line - 1
    children: list[Node] = []
    if isinstance(node, SequenceNode):
        children = list(node.value)
    elif isinstance(node, MappingNode):
        children = [part for pair in node.value for part in pair]
    return max((_last_line(child) for child in children), default=node.start_mark.line)


def check_writable(path: Path) -> None:
    """Raise unless ``path`` is a file this user may replace (write bits set, folder writable)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError.single(
            str(path),
            "no such ledger",
            "start one with `ketacost init --ledger --clinic CLINIC [--plan PLAN]`",
        ) from None
    if not stat.S_ISREG(mode):
        raise InputError.single(str(path), "is not a regular file", "name the ledger's .yaml file")
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise InputError.single(
            str(path),
            "the ledger is read-only, so nothing was logged",
            f"make it writable (chmod u+w {path}) if you mean to add to it",
        )
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError.single(
            str(path),
            f"the folder {str(folder)!r} is not writable, so the ledger cannot be replaced safely",
            "ketacost writes a new version beside the ledger and renames it into place",
        )


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``.NAME.lock`` beside ``path`` (waits for other writers)."""
    lock_path = path.with_name(f".{path.name}.lock")
    try:
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        raise InputError.single(
            str(path),
            f"cannot create the lock file {lock_path.name}: {error.strerror}",
            "the ledger's folder must be writable",
        ) from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def append_entry(
    path: str | Path,
    entry: Sequence[tuple[str, Value]],
    validate: Callable[[Document], T],
) -> T:
    """Append ``entry`` to the ledger at ``path``; return ``validate``'s result on the new file.

    The file as found must be a valid ledger; ``validate`` checks the whole
    result (structure, clinic and plan) and raises ``InputError`` before
    anything replaces the file.
    """
    from .load import load_document

    real = Path(os.path.realpath(path))
    shown = str(path)
    check_writable(real)
    with locked(real):
        raw = real.read_bytes()
        _check_size(shown, len(raw))
        document = parse(shown, decode(shown, raw))
        load_document(document, "ledger")
        new_text = with_entry(document, raw.decode("utf-8"), entry)  # keeps a byte-order mark
        data = new_text.encode("utf-8")
        _check_size(shown, len(data), after=True)
        result = validate(parse(shown, new_text.removeprefix("\ufeff")))
        _remove_leftovers(real)
        _replace(real, data)
    return result


def _remove_leftovers(path: Path) -> None:
    """Delete temporary copies a killed ``log`` left beside the ledger.

    Temporary files are only written under the lock, which the caller holds:
    any found now belong to a writer that is gone.
    """
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _check_size(shown: str, size: int, *, after: bool = False) -> None:
    if size > MAX_BYTES:
        grown = "would grow" if after else "is"
        raise InputError.single(
            shown,
            f"the ledger {grown} over the 1 MiB ({MAX_BYTES:,} bytes) limit, so nothing was logged",
            "keep one ledger per treatment or plan year: start a new one with"
            " `ketacost init --ledger`",
        )


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file beside ``path`` and rename it over ``path``."""
    status = os.stat(path)
    folder = path.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise _unwritable(path, error) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(status.st_mode))
        if (status.st_uid, status.st_gid) != (os.getuid(), os.getgid()):
            with contextlib.suppress(PermissionError):  # only root may give a file away
                os.chown(temporary, status.st_uid, status.st_gid)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise _unwritable(path, error) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename is still atomic
    finally:
        os.close(handle)


def _unwritable(path: Path, error: OSError) -> InputError:
    return InputError.single(
        str(path),
        f"cannot write the ledger: {error.strerror or error}; nothing was logged",
        "check the folder's permissions and free space",
    )
