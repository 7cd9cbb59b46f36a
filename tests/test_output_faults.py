"""Output that could not be written: exit 4 with a message; a closed pipe: 141, quietly.

Run as a user would, in a subprocess of the installed console script, with the
fault made by the operating system: a file-size limit (``ulimit -f``), ``/dev/full``,
a standard output closed at start (``>&-``) and a pipe whose reader has gone.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "plans" / "acme-ppo.yaml"
LEDGER = ROOT / "examples" / "ledger.yaml"
LIMIT = 1024  # bytes a file may grow to under the size limit (`ulimit -f 1`)

pytestmark = pytest.mark.slow


def console_script() -> str:
    beside = Path(sys.executable).parent / "ketacost"
    if beside.is_file():
        return str(beside)
    found = shutil.which("ketacost")
    if found is None:
        pytest.fail("the `ketacost` console script is not installed")
    return found


def run(
    args: list[str],
    cwd: Path,
    stdout: int | None,
    before: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8", "COLUMNS": "100"}
    return subprocess.run(
        [console_script(), *args],
        cwd=cwd,
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        timeout=120,
        preexec_fn=before,
    )


def size_limit() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def close_stdout() -> None:
    os.close(1)


@pytest.mark.parametrize(
    "args",
    [
        ["estimate", "--plan", str(PLAN), "-f", "json"],
        ["status", str(LEDGER), "--as-of", "2027-03-01", "-f", "html"],
        ["sweep", "--vary", "series.later_price=400..700:1", "-f", "csv"],
    ],
    ids=["estimate-json", "status-html", "sweep-csv"],
)
def test_a_report_cut_by_a_file_size_limit_exits_4(args: list[str], tmp_path: Path) -> None:
    target = tmp_path / "out"
    with target.open("w") as stream:
        done = run(args, tmp_path, stream.fileno(), before=size_limit)
    assert target.stat().st_size == LIMIT  # the report is longer: it was cut
    assert done.returncode == 4, done.stderr
    assert "(standard output): error: the output could not be written: File too large" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["sweep", "--vary", "series.later_price=400..700:1", "-f", "csv"],
        ["estimate", "-f", "json"],
        ["check", str(PLAN)],
        ["--help"],
    ],
    ids=["sweep-csv", "estimate-json", "check", "help"],
)
def test_writing_into_a_full_device_exits_4(args: list[str], tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        done = run(args, tmp_path, full.fileno())
    assert done.returncode == 4, done.stderr
    assert "the output could not be written: No space left on device" in done.stderr


@pytest.mark.parametrize(
    "args", [["estimate"], ["check", str(PLAN)], ["--version"]], ids=["estimate", "check", "ver"]
)
def test_a_closed_standard_output_exits_4(args: list[str], tmp_path: Path) -> None:
    done = run(args, tmp_path, None, before=close_stdout)
    assert done.returncode == 4, done.stderr
    assert "the output could not be written: standard output is closed" in done.stderr
    assert "internal error" not in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["estimate"],
        ["estimate", "-f", "json"],
        ["compare", "los-angeles-iv", "--plan", str(PLAN)],
        ["sweep", "--vary", "series.later_price=400..700:50"],
        ["sweep", "--vary", "series.later_price=400..700:1", "-f", "csv"],
        ["status", str(LEDGER), "--as-of", "2027-03-01"],
        ["check", str(PLAN)],
        ["schema", "ledger"],
        ["catalog"],
        ["export", str(LEDGER), "--to", "hledger"],
        ["--help"],
        ["--version"],
    ],
    ids=lambda args: "-".join(a for a in args if not a.startswith("/"))[:40],
)
def test_a_closed_pipe_ends_quietly_with_141(args: list[str], tmp_path: Path) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # the reader has gone before anything is written: every write fails
    try:
        done = run(args, tmp_path, writer)
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr) == (141, "")


def test_o_into_a_file_over_the_size_limit_exits_4_and_keeps_the_file(tmp_path: Path) -> None:
    report = tmp_path / "e.json"
    report.write_text("the old report\n")
    done = run(["estimate", "--plan", str(PLAN), "-o", str(report)], tmp_path, None, size_limit)
    assert done.returncode == 4, done.stderr
    assert f"{report}: error: the file could not be written: File too large" in done.stderr
    assert report.read_text() == "the old report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["e.json"]  # no temporary file left
