"""Append one entry to a ledger file without ever losing what it holds (docs/ledger-format.md).

Under a lock on a file beside the ledger, the place for the new entry (the end
of its ``entries`` list) is found from YAML's event stream, the entry is
inserted there (every byte before it kept), the whole result is parsed and
checked once, written to a temporary file beside the ledger and renamed into
place. Only when the result fails is the file as found parsed too, to report
a problem it already had at its own line. A failure at any step leaves the old
file as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import glob
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import yaml
from yaml.events import (
    CollectionEndEvent,
    CollectionStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceStartEvent,
)

from ..errors import InputError, OutputError
from .atomic import is_fault, read_only, replace_atomically
from .yaml_source import MAX_BYTES, Document, decode, parse

T = TypeVar("T")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # LibYAML's parser, when PyYAML has it
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


class _Unappendable(Exception):
    """The ledger's layout leaves no place to append an entry: where, and why."""

    def __init__(self, where: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


@dataclass(frozen=True)
class _TopLevel:
    """One top-level key of the ledger and what its value looks like."""

    key: str | None  # None when the key is not a plain scalar
    key_line: int  # 0-based
    kind: type[Event]  # the event its value starts with
    flow: bool  # the value is written in flow style ([...] or {...})
    empty: bool  # the value is a plain scalar with nothing in it: `entries:` alone
    column: int  # 0-based column where the value starts
    items: int  # for a list: how many items it holds
    last_line: int  # the last 0-based line holding part of the value (not trailing comments)


def with_entry(text: str, entry: Sequence[tuple[str, Value]]) -> str:
    """Return ``text`` with ``entry`` added at the end of its ``entries`` list.

    ``text`` is unchanged up to the insertion point; nothing is removed. Only
    YAML's event stream is read, to find that point (the caller parses and
    checks the whole result). Raises ``_Unappendable`` when the layout leaves
    no place for the entry, and ``yaml.YAMLError`` when ``text`` is not YAML.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    pairs = _top_level(text.removeprefix("\ufeff"))
    keys = [pair.key for pair in pairs]
    if "entries" not in keys:
        return (
            _ends_with_newline(text, newline) + "entries:" + newline + entry_text(entry, 2, newline)
        )
    position = keys.index("entries")
    entries = pairs[position]
    lines = text.splitlines(keepends=True)
    if entries.empty:  # `entries:`
        return _insert(lines, entries.key_line + 1, entry_text(entry, 2, newline), newline)
    if entries.kind is not SequenceStartEvent or entries.flow:
        raise _Unappendable(
            ("entries",), "entries is not a block-style list, so an entry cannot be appended to it"
        )
    indent = entries.column if entries.items else 2
    if position == len(pairs) - 1:
        return _ends_with_newline(text, newline) + entry_text(entry, indent, newline)
    return _insert(lines, entries.last_line + 1, entry_text(entry, indent, newline), newline)


def _top_level(text: str) -> list[_TopLevel]:
    """Return the top-level keys of the block mapping in ``text``, read from its events."""
    events = iter(yaml.parse(text, Loader=_LOADER))
    root = next((event for event in events if isinstance(event, NodeEvent)), None)
    if not isinstance(root, MappingStartEvent) or root.flow_style:
        raise _Unappendable((), "the ledger is not a block-style mapping of keys")
    pairs = []
    for key in events:
        if isinstance(key, MappingEndEvent):
            break
        _extent(key, events)
        value = next(events)
        last_line, items = _extent(value, events)
        pairs.append(
            _TopLevel(
                key=key.value if isinstance(key, ScalarEvent) else None,
                key_line=_start(key)[0],
                kind=type(value),
                flow=bool(getattr(value, "flow_style", False)),
                empty=isinstance(value, ScalarEvent) and value.value == "" and not value.style,
                column=_start(value)[1],
                items=items,
                last_line=last_line,
            )
        )
    return pairs


def _extent(first: Event, events: Iterator[Event]) -> tuple[int, int]:
    """Read the node ``first`` starts to its end; return its last 0-based line and child count.

    A node ends on the line of its last scalar, or where a flow collection
    closes; an empty block collection ends on its first line.
    """
    if not isinstance(first, CollectionStartEvent):
        return _end_line(first), 0
    # One pass over the events, without a call per node (a 10,000-entry ledger has some
    # 90,000): ``open`` holds, for each collection not yet closed, whether it is flow style.
    last, children, open_ = _start(first)[0], 0, [bool(first.flow_style)]
    for event in events:
        if isinstance(event, CollectionEndEvent):
            if open_.pop():  # a flow collection ends where it closes
                last = max(last, _end_line(event))
            if not open_:
                break
            if len(open_) == 1:
                children += 1
        elif isinstance(event, CollectionStartEvent):
            last = max(last, _start(event)[0])  # an empty block collection: its first line
            open_.append(bool(event.flow_style))
        else:  # a scalar or an alias
            last = max(last, _end_line(event))
            if len(open_) == 1:
                children += 1
    return last, children


def _start(event: Event) -> tuple[int, int]:
    """Return the 0-based line and column where ``event`` starts."""
    mark = event.start_mark
    return (mark.line, mark.column) if mark is not None else (0, 0)  # the parser marks each


def _end_line(event: Event) -> int:
    """Return the line a node ending with ``event`` ends on (at column 0: the line before)."""
    mark = event.end_mark
    if mark is None:
        return 0
    return mark.line if mark.column > 0 else mark.line - 1


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


def check_writable(path: Path, shown: str | None = None) -> None:
    """Raise unless ``path`` is a file this user may replace (write bits set, folder writable).

    ``shown`` is the path as the person gave it (``path`` may be where a link leads).
    """
    shown = str(path) if shown is None else shown
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError.single(
            str(path),
            "no such ledger",
            "start one with `ketacost init --ledger --clinic CLINIC [--plan PLAN]`",
        ) from None
    except OSError as error:  # a symbolic link that loops, a path through a file ...
        raise InputError.single(
            shown,
            f"cannot reach the ledger: {error.strerror or error}; nothing was logged",
            "name the ledger's own .yaml file (a symbolic link must lead to one)",
        ) from None
    if not stat.S_ISREG(mode):
        raise InputError.single(str(path), "is not a regular file", "name the ledger's .yaml file")
    refusal = read_only(path, mode)
    if refusal is not None:
        raise InputError.single(
            str(path),
            refusal.replace("the file", "the ledger") + ", so nothing was logged",
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
    as_found: Callable[[Document], object] | None = None,
) -> T:
    """Append ``entry`` to the ledger at ``path``; return ``validate``'s result on the new file.

    ``validate`` checks the whole result (structure, clinic and plan) and
    raises ``InputError`` before anything replaces the file. The file is
    parsed once, as it will be written; only when that fails is the file as
    found checked too (by ``as_found``, default ``validate``: a check that reads the
    new entry in the result must not read the last one found in its place), so that a
    problem already in it is reported at its own line rather than at the line it would
    move to.
    """
    found_check = validate if as_found is None else as_found
    real = Path(os.path.realpath(path))
    shown = str(path)
    check_writable(real, shown)
    with locked(real):
        raw = real.read_bytes()
        _check_size(shown, len(raw))
        text = decode(shown, raw)  # without a byte-order mark
        try:
            new_text = with_entry(raw.decode("utf-8"), entry)  # keeps a byte-order mark
            data = new_text.encode("utf-8")
            _check_size(shown, len(data), after=True)
            result = validate(parse(shown, new_text.removeprefix("\ufeff")))
        except _Unappendable as refusal:
            raise _refuse(
                _as_found(shown, text, found_check), refusal.where, refusal.message
            ) from None
        except (InputError, yaml.YAMLError, RecursionError) as error:
            _as_found(shown, text, found_check)  # raises when the file itself is at fault
            if isinstance(error, InputError):
                raise
            raise InputError.single(shown, f"this is not valid YAML: {error}") from None
        _remove_leftovers(real)
        _replace(real, data)
    return result


def _as_found(shown: str, text: str, validate: Callable[[Document], object]) -> Document:
    """Return the ledger as found, parsed, after ``validate`` passes it; raise what it finds."""
    document = parse(shown, text, "ledger")
    validate(document)
    return document


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
    """Write ``data`` to a new file beside ``path``, flushed to disk, and rename it over ``path``.

    The temporary file ends in ``.tmp``: ``_remove_leftovers`` finds those a killed
    ``log`` left.
    """

    def write(temporary: str) -> None:
        with open(temporary, "wb") as stream:
            stream.write(data)

    replace_atomically(
        path, write, durable=True, suffix=".tmp", unwritable=_unwritable, updates_input=True
    )


def _unwritable(path: Path, error: OSError) -> InputError | OutputError:
    if is_fault(error):
        return OutputError(
            str(path),
            f"cannot write the ledger: {error.strerror or error}; nothing was logged",
            "the ledger is as it was; free some space and log the entry again",
        )
    return InputError.single(
        str(path),
        f"cannot write the ledger: {error.strerror or error}; nothing was logged",
        "check the folder's permissions and free space",
    )


def append_entries(
    path: str | Path,
    choose: Callable[[Document], Sequence[Sequence[tuple[str, Value]]]],
    validate: Callable[[Document], T],
) -> Sequence[Sequence[tuple[str, Value]]]:
    """Append the entries ``choose`` picks, all or none, as ``append_entry`` appends one.

    Under the lock, ``choose`` reads the ledger as found (``validate`` has passed
    it) and returns the entries to add, so two imports at once never add the
    same ones; with none, the file is not touched. Returns the entries added.
    """
    real = Path(os.path.realpath(path))
    shown = str(path)
    check_writable(real)
    with locked(real):
        raw = real.read_bytes()
        _check_size(shown, len(raw))
        text = decode(shown, raw)
        entries = choose(_as_found(shown, text, validate))
        if not entries:
            return entries
        new_text = raw.decode("utf-8")
        try:
            for entry in entries:
                new_text = with_entry(new_text, entry)
        except _Unappendable as refusal:
            raise _refuse(parse(shown, text), refusal.where, refusal.message) from None
        data = new_text.encode("utf-8")
        _check_size(shown, len(data), after=True)
        validate(parse(shown, new_text.removeprefix("\ufeff")))
        _remove_leftovers(real)
        _replace(real, data)
    return entries
