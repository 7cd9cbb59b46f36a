"""Hostile output paths and spreadsheet formulas (README: the `-o FILE` row and CSV).

`-o` replaces only a regular file, keeps its permission bits, and refuses a
symlink, device, FIFO or folder at the path (exit 2, saying what is there).
CSV text cells that a spreadsheet would run as a formula get a leading `'`.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketacost.cli import app
from ketacost.errors import InputError
from ketacost.files.atomic import _existing, _unwritable
from ketacost.report.spreadsheet import csv_text, safe_cell

START = ("--start", "2027-01-04")
CLINIC = """\
name: "=1+2"
series:
  sessions: 2
  price: 400
fees:
  - name: '=HYPERLINK("http://example.org","x")'
    amount: 100
  - name: "+SUM(A1:A2)"
    amount: 10
  - name: "-2+3"
    amount: 10
  - name: "@cmd"
    amount: 10
  - name: "Plain - not a formula"
    amount: 10
"""


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    return result.exit_code, result.stdout, result.stderr


# --- -o: only regular files -----------------------------------------------------------------

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types")


@posix_only
def test_symlink_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    target = tmp_path / "target.json"
    target.write_text("keep me")
    link = tmp_path / "report.json"
    link.symlink_to(target)
    code, _, err = run("estimate", *START, "-o", link)
    assert code == 2, err
    assert "symbolic link" in err and str(link) in err
    assert link.is_symlink() and target.read_text() == "keep me"
    assert {p.name for p in tmp_path.iterdir()} == {"target.json", "report.json"}  # no temp file


@posix_only
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "report.csv"
    os.mkfifo(fifo)
    code, _, err = run("estimate", *START, "-o", fifo)
    assert code == 2 and "named pipe" in err, err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@posix_only
def test_device_is_refused(tmp_path: Path) -> None:
    # A device node of our own in tmp_path, never /dev/null itself: were the check ever
    # lost, a test run as root would replace the system's /dev/null with a file.
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    code, _, err = run("estimate", *START, "-f", "json", "-o", device)
    assert code == 2 and "character device" in err, err
    assert stat.S_ISCHR(os.lstat(device).st_mode)


@posix_only
@pytest.mark.parametrize(
    ("path", "what"), [("/dev/null", "character device"), ("/dev/stdout", "symbolic link")]
)
def test_system_paths_are_refused_before_any_write(path: str, what: str) -> None:
    # The check alone (it writes nothing), so the system's own nodes are never at risk.
    if not os.path.lexists(path):
        pytest.skip(f"no {path} here")
    if what == "symbolic link" and not os.path.islink(path):
        pytest.skip(f"{path} is not a symlink here")
    with pytest.raises(InputError) as caught:
        _existing(Path(path), _unwritable)
    assert what in str(caught.value)


def test_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "out.json"
    folder.mkdir()
    code, _, err = run("estimate", *START, "-o", folder)
    assert code == 2 and "out.json" in err, err
    assert folder.is_dir()


@posix_only
def test_private_file_stays_private(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text("old")
    path.chmod(0o600)
    code, _, err = run("estimate", *START, "-o", path)
    assert code == 0, err
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("{")


@posix_only
def test_new_file_follows_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        code, _, err = run("estimate", *START, "-o", tmp_path / "new.json")
    finally:
        os.umask(previous)
    assert code == 0, err
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o666 & ~0o027  # 0o640


# --- CSV formulas ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-12.50", "-12.50"),  # a negative number stays a number
        ("+3", "+3"),
        ("600.00", "600.00"),
        ("Plain - text", "Plain - text"),
        ("", ""),
        (7, 7),
    ],
)
def test_safe_cell(cell: object, written: object) -> None:
    assert safe_cell(cell) == written


def test_csv_text_quotes_formulas_in_every_cell() -> None:
    text = csv_text([["name", "net [=evil]"], ["=1+2", "-5.00"]])
    assert list(csv.reader(io.StringIO(text))) == [["name", "net [=evil]"], ["'=1+2", "-5.00"]]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_estimate_csv_neutralises_names(tmp_path: Path) -> None:
    path = tmp_path / "clinic.yaml"
    path.write_text(CLINIC, encoding="utf-8")
    code, out, err = run("estimate", path, *START, "-f", "csv")
    assert code == 0, err
    cells = _cells(out)
    for dangerous in ("=1+2", '=HYPERLINK("http://example.org","x")', "+SUM(A1:A2)", "-2+3"):
        assert dangerous not in cells
        assert "'" + dangerous in cells
    assert "'@cmd" in cells
    assert "Plain - not a formula" in cells
    assert "400.00" in cells  # money untouched


def test_compare_csv_neutralises_names(tmp_path: Path) -> None:
    path = tmp_path / "clinic.yaml"
    path.write_text(CLINIC, encoding="utf-8")
    code, out, err = run("compare", path, *START, "-f", "csv")
    assert code == 0, err
    cells = _cells(out)
    assert "'=1+2" in cells and "=1+2" not in cells
