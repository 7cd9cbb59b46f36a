"""The ledger writer at its edges: how values are written, where an entry lands, the limits.

``scalar`` must write a value so that it reads back as exactly that value: the words
older YAML readers take for booleans (yes, on, Y ...) and labels with spaces around
them are quoted. ``with_entry`` keeps every byte before the new entry. A ledger may
be exactly 1 MiB (1,048,576 bytes), not a byte more, before or after the entry.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from ketacost.errors import InputError, OutputError
from ketacost.files import ledger_append as ledger_file
from ketacost.files.ledger_append import (
    _remove_leftovers,
    _Unappendable,
    append_entries,
    append_entry,
    check_writable,
    entry_text,
    locked,
    scalar,
    with_entry,
)
from ketacost.files.yaml_source import MAX_BYTES, Document, parse

ENTRY = [("date", dt.date(2027, 2, 1)), ("charge", "Lab work"), ("amount", Decimal("120"))]
ITEM = "- date: 2027-02-01\n    charge: Lab work\n    amount: 120\n"


# --- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (None, "null"),
        (dt.date(2027, 1, 4), "2027-01-04"),
        (Decimal("600.50"), "600.50"),
        (Decimal("1E+3"), "1000"),  # never an exponent
        ("Session 1", "Session 1"),
        (("Session 1", "Session 2"), "[Session 1, Session 2]"),
        # YAML 1.1 booleans: a reader of the older YAML would take these for true or false
        ("yes", '"yes"'),
        ("Yes", '"Yes"'),
        ("on", '"on"'),
        ("ON", '"ON"'),
        ("Y", '"Y"'),
        ("n", '"n"'),
        ("off", '"off"'),
        # words that read back as something else in YAML 1.2
        ("true", '"true"'),
        ("null", '"null"'),
        ("600", '"600"'),
        ("1.5", '"1.5"'),
        # spaces around a label would be lost written plain
        (" Session 1", '" Session 1"'),
        ("Session 1 ", '"Session 1 "'),
        # characters a plain scalar cannot start with or hold
        ("- dash", '"- dash"'),
        ("a: b", '"a: b"'),
        ("# note", '"# note"'),
        ('say "hi" \\ there', '"say \\"hi\\" \\\\ there"'),
        ("tab\there", '"tab\\x09here"'),
        ("bell\x07", '"bell\\x07"'),
        ("next\x85line", '"next\\x85line"'),
        ("non\ufffecharacter", '"non\\ufffecharacter"'),
        ("last\uffff", '"last\\uffff"'),
        ("Clínica 東京 😀", '"Clínica 東京 😀"'),  # printable, kept as written, quoted
    ],
)
def test_a_value_is_written_to_read_back_as_itself(value: object, written: str) -> None:
    assert scalar(value) == written  # type: ignore[arg-type]
    if isinstance(value, str):
        assert parse("entry", f"visit: {written}\n").data == {"visit": value}


def test_an_entry_is_a_block_item_at_its_indent() -> None:
    assert entry_text(ENTRY, 2, "\n") == "  " + ITEM.replace("\n    ", "\n    ")
    assert entry_text(ENTRY, 4, "\r\n") == (
        "    - date: 2027-02-01\r\n      charge: Lab work\r\n      amount: 120\r\n"
    )


# --- where the entry lands --------------------------------------------------------------------


def test_a_ledger_without_entries_gets_the_key_at_its_end() -> None:
    text = "kind: ledger\nclinic: x"  # no newline at the end
    assert with_entry(text, ENTRY) == text + "\nentries:\n  " + ITEM


def test_an_empty_entries_key_gets_the_item_under_it() -> None:
    text = "kind: ledger\nentries:\nclinic: x\n"
    assert with_entry(text, ENTRY) == "kind: ledger\nentries:\n  " + ITEM + "clinic: x\n"


def test_entries_last_get_the_item_after_any_comment_that_follows() -> None:
    text = "kind: ledger\nentries:\n    - {date: 2027-01-04, visit: S, paid: 1}\n# the end\n"
    assert with_entry(text, ENTRY) == text + "    " + ITEM.replace("\n    ", "\n      ")


def test_entries_before_another_key_get_the_item_after_their_last_line() -> None:
    text = "entries:\n  - date: 2027-01-04\n    visit: S\n    paid: 1\n# between\nclinic: x\n"
    lines = text.splitlines(keepends=True)
    assert with_entry(text, ENTRY) == "".join(lines[:4]) + "  " + ITEM + "".join(lines[4:])


def test_a_short_list_indented_four_before_another_key() -> None:
    # the list starts on line 1 at column 4 and ends on line 1: the item goes on line 2
    text = "entries:\n    - {date: 2027-01-04, visit: S, paid: 1}\nclinic: x\n"
    lines = text.splitlines(keepends=True)
    item = "    " + ITEM.replace("\n    ", "\n      ")
    assert with_entry(text, ENTRY) == "".join(lines[:2]) + item + "".join(lines[2:])


def test_an_item_after_a_block_text_lands_after_the_text_not_the_comment() -> None:
    # a literal block ends where the next line starts (column 0): the text is on line 4
    text = (
        "entries:\n"
        "  - date: 2027-01-04\n"
        "    amount: 1\n"
        "    charge: |\n"
        "      Lab work\n"
        "# between\n"
        "clinic: x\n"
    )
    lines = text.splitlines(keepends=True)
    assert with_entry(text, ENTRY) == "".join(lines[:5]) + "  " + ITEM + "".join(lines[5:])


def test_an_item_after_a_flow_mapping_closed_at_the_margin() -> None:
    # the closing brace at column 0 ends the item on its own line (its end is at column 1)
    text = "entries:\n  - {date: 2027-01-04, visit: S, paid: 1\n}\nclinic: x\n"
    lines = text.splitlines(keepends=True)
    assert with_entry(text, ENTRY) == "".join(lines[:3]) + "  " + ITEM + "".join(lines[3:])


def test_an_item_after_a_flow_mapping_item_lands_after_its_closing_line() -> None:
    text = "entries:\n  - {date: 2027-01-04,\n     visit: S, paid: 1}\nclinic: x\n"
    lines = text.splitlines(keepends=True)
    assert with_entry(text, ENTRY) == "".join(lines[:3]) + "  " + ITEM + "".join(lines[3:])


def test_crlf_and_a_byte_order_mark_are_kept() -> None:
    text = "\ufeffkind: ledger\r\nentries:\r\n  - {date: 2027-01-04, visit: S, paid: 1}\r\n"
    assert with_entry(text, ENTRY) == text + "  " + ITEM.replace("\n    ", "\r\n    ").replace(
        "120\n", "120\r\n"
    )


@pytest.mark.parametrize(
    "text",
    [
        "entries: []\n",
        "entries: [{date: 2027-01-04, visit: S, paid: 1}]\n",
        'entries: ""\n',  # a quoted empty text is not an empty list
        "entries: none\n",
        "{kind: ledger, entries: []}\n",
        "{kind: ledger}\n",  # a flow mapping at the top: no place for a block list
        "- a list\n",
    ],
)
def test_a_layout_with_no_place_for_an_entry_is_refused(text: str) -> None:
    with pytest.raises(_Unappendable):
        with_entry(text, ENTRY)


# --- the file: writable, locked, at most 1 MiB -------------------------------------------------


def test_a_read_only_ledger_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.yaml"
    path.write_text("entries:\n")
    for mode in (0o444, 0o400, 0o000):
        path.chmod(mode)
        with pytest.raises(InputError, match="the ledger is read-only, so nothing was logged"):
            check_writable(path)
    for mode in (0o200, 0o020, 0o002, 0o644):  # any write bit will do
        path.chmod(mode)
        check_writable(path)


def test_a_looping_link_is_named_as_given(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    with pytest.raises(InputError) as raised:
        check_writable(loop)
    [problem] = raised.value.problems
    assert (problem.path, problem.message) == (
        str(loop),
        "cannot reach the ledger: Too many levels of symbolic links; nothing was logged",
    )
    with pytest.raises(InputError) as raised:
        check_writable(loop, "as typed.yaml")
    assert raised.value.problems[0].path == "as typed.yaml"


def test_a_full_disk_is_an_output_fault_and_a_permission_a_refusal() -> None:
    fault = ledger_file._unwritable(
        Path("l.yaml"), OSError(errno.ENOSPC, "No space left on device")
    )
    assert isinstance(fault, OutputError)
    assert (fault.where, fault.message) == (
        "l.yaml",
        "cannot write the ledger: No space left on device; nothing was logged",
    )
    refusal = ledger_file._unwritable(Path("l.yaml"), OSError(errno.EACCES, "Permission denied"))
    assert isinstance(refusal, InputError)
    assert refusal.problems[0].message == (
        "cannot write the ledger: Permission denied; nothing was logged"
    )
    odd = ledger_file._unwritable(Path("l.yaml"), OSError("no reason given"))
    assert isinstance(odd, InputError)
    assert odd.problems[0].message == "cannot write the ledger: no reason given; nothing was logged"


def test_a_folder_is_not_a_ledger(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is not a regular file"):
        check_writable(tmp_path)


def test_a_ledger_in_a_folder_this_user_may_not_write_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "l.yaml"
    path.write_text("entries:\n")
    real = os.access
    monkeypatch.setattr(
        ledger_file.os, "access", lambda p, mode: False if Path(p) == tmp_path else real(p, mode)
    )
    with pytest.raises(InputError, match="is not writable, so the ledger cannot be replaced"):
        check_writable(path)


def test_the_lock_is_a_private_file_beside_the_ledger(tmp_path: Path) -> None:
    path = tmp_path / "l.yaml"
    path.write_text("entries:\n")
    with locked(path):
        lock = tmp_path / ".l.yaml.lock"
        assert stat.S_IMODE(lock.stat().st_mode) == 0o600


def test_the_new_ledger_and_its_folder_reach_the_disk_before_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ketacost.files import atomic

    synced: list[str] = []
    monkeypatch.setattr(atomic, "_sync", synced.append)
    path = tmp_path / "l.yaml"
    path.write_text("kind: ledger\nentries:\n")
    _append(path)
    assert len(synced) == 2
    assert Path(synced[0]).name.startswith(".l.yaml.") and synced[0].endswith(".tmp")
    assert synced[1] == str(tmp_path)  # the folder, so that the rename itself is kept


def test_only_the_ledgers_own_leftovers_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "l.yaml"
    names = [".l.yaml.abc123.tmp", ".l.yaml.lock", ".other.yaml.x.tmp", "l.yaml.tmp", "l.yaml"]
    for name in names:
        (tmp_path / name).write_text("x")
    _remove_leftovers(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[1:])


def _sized(size: int) -> str:
    """Return a ledger of ``size`` bytes: an empty entries list and a padding comment."""
    head = "kind: ledger\nentries:\n#"
    return head + "x" * (size - len(head) - 1) + "\n"


def _append(path: Path) -> Document:
    return append_entry(path, ENTRY, lambda document: document)


def test_a_ledger_may_grow_to_exactly_one_mib(tmp_path: Path) -> None:
    added = len(("  " + ITEM).encode())
    path = tmp_path / "l.yaml"
    path.write_text(_sized(MAX_BYTES - added))
    _append(path)
    assert path.stat().st_size == MAX_BYTES == 1024 * 1024


def test_a_ledger_may_not_grow_a_byte_over_one_mib(tmp_path: Path) -> None:
    added = len(("  " + ITEM).encode())
    path = tmp_path / "l.yaml"
    text = _sized(MAX_BYTES - added + 1)
    path.write_text(text)
    with pytest.raises(InputError, match="the ledger would grow over the 1 MiB"):
        _append(path)
    assert path.read_text() == text


def test_a_ledger_of_exactly_one_mib_is_read_and_a_byte_more_is_not(tmp_path: Path) -> None:
    from ketacost.files.ledger import check_size

    path = tmp_path / "l.yaml"
    path.write_text(_sized(MAX_BYTES))
    check_size(path)
    with pytest.raises(InputError, match="the ledger would grow"):  # any entry is too much
        _append(path)
    path.write_text(_sized(MAX_BYTES + 1))
    with pytest.raises(InputError, match=f"the ledger is over the 1 MiB \\({MAX_BYTES:,} bytes"):
        _append(path)
    with pytest.raises(InputError, match=f"the ledger is {MAX_BYTES + 1:,} bytes"):
        check_size(path)


def test_entries_appended_together_may_not_take_a_ledger_over_one_mib(tmp_path: Path) -> None:
    added = len(("  " + ITEM).encode())
    path = tmp_path / "l.yaml"
    text = _sized(MAX_BYTES - 2 * added + 1)  # one entry fits, two do not
    path.write_text(text)
    with pytest.raises(InputError, match="the ledger would grow over the 1 MiB"):
        append_entries(path, lambda document: [ENTRY, ENTRY], lambda document: document)
    assert path.read_text() == text
    path.write_text(_sized(MAX_BYTES - 2 * added))
    assert append_entries(path, lambda document: [ENTRY, ENTRY], lambda document: document)
    assert path.stat().st_size == MAX_BYTES


def test_a_profile_of_exactly_one_mib_is_read(tmp_path: Path) -> None:
    from ketacost.files.load import read_document

    path = tmp_path / "p.yaml"
    head = "name: x\n#"
    path.write_text(head + "x" * (MAX_BYTES - len(head) - 1) + "\n")
    assert read_document(path).data == {"name": "x"}
    path.write_text(head + "x" * (MAX_BYTES - len(head)) + "\n")
    with pytest.raises(InputError, match="over 1,048,576 bytes"):
        read_document(path)
