"""Help that teaches: examples that run, plain placeholders, did-you-mean, completion."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest
from conftest import complete
from typer.testing import CliRunner

from ketacost.cli import COMMANDS, app
from ketacost.cli.examples import EXAMPLES
from ketacost.files.bundled import profile_names

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_FILES = ROOT / "examples"


def help_text(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("command", list(COMMANDS))
def test_help_shows_no_parser_labels(command: str) -> None:
    text = help_text(command) if command != "log" else help_text("log")
    for label in ("<bool>", "<str>", "<int>", "<path>", "[x>=", "<=x<=", "{", "[default:"):
        assert label not in text, (command, label)


@pytest.mark.parametrize("command", list(EXAMPLES))
def test_help_ends_with_examples(command: str) -> None:
    text = help_text(command)
    examples = text[text.index("Examples:") :]
    first, what = EXAMPLES[command][0]
    assert first in examples and what in examples


def test_each_log_entry_shows_its_own_example() -> None:
    ledger = str(EXAMPLE_FILES / "ledger.yaml")
    for entry in ("visit", "claim", "eob", "received", "charge"):
        text = help_text("log", ledger, entry)
        examples = text[text.index("Examples:") :]
        assert f"ketacost log ledger.yaml {entry} " in examples, entry
        others = {"visit", "claim", "eob", "received", "charge"} - {entry}
        assert not any(f"ledger.yaml {other} " in examples for other in others), entry


def test_the_commands_people_run_most_have_examples() -> None:
    assert {"estimate", "compare", "sweep", "status", "log", "catalog", "check", "init"} <= set(
        EXAMPLES
    )


@pytest.fixture
def example_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding the files the examples name: clinic.yaml, plan.yaml, ledger.yaml."""
    shutil.copy(EXAMPLE_FILES / "clinics" / "westside.yaml", tmp_path / "clinic.yaml")
    shutil.copy(EXAMPLE_FILES / "plans" / "acme-ppo.yaml", tmp_path / "plan.yaml")
    shutil.copy(EXAMPLE_FILES / "ledger.yaml", tmp_path / "ledger.yaml")
    (tmp_path / "plans").mkdir()
    shutil.copy(EXAMPLE_FILES / "plans" / "acme-ppo.yaml", tmp_path / "plans" / "acme-ppo.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.slow
@pytest.mark.parametrize("line", [line for examples in EXAMPLES.values() for line, _ in examples])
def test_every_example_runs(
    example_folder: Path, monkeypatch: pytest.MonkeyPatch, line: str
) -> None:
    words = shlex.split(line.split(" > ")[0])
    assert words[0] == "ketacost"
    answers = None
    if words == ["ketacost", "init"]:  # a name and a price; Enter keeps every other default
        (example_folder / "new").mkdir()
        monkeypatch.chdir(example_folder / "new")
        answers = "Test clinic\n\n\n\n\n750\n" + "\n" * 20
    result = CliRunner().invoke(app, words[1:], input=answers)
    # 1: --fail-on found an overdue claim, as the example says it may.
    assert result.exit_code in (0, 1), (line, result.output)
    assert "Traceback" not in result.output


def test_a_mistyped_command_gets_did_you_mean(runner: CliRunner) -> None:
    result = runner.invoke(app, ["estimat"])
    assert result.exit_code == 2
    assert "No such command 'estimat'. Did you mean 'estimate'?" in result.stderr
    result = runner.invoke(app, ["frobnicate"])
    assert "The commands are: estimate, compare" in " ".join(result.stderr.split())


def test_choices_are_listed_for_hsa_and_filing() -> None:
    lines = help_text("estimate").splitlines()
    hsa = next(line for line in lines if " --hsa " in line)
    filing = next(line for line in lines if " --filing " in line)
    assert "self|family" in hsa.split()
    assert "single|joint|head" in filing.split()


def test_defaults_and_ranges_are_said_in_one_style() -> None:
    text = help_text("estimate")
    assert "Horizon in calendar months (1 to 120; default: 12)." in text
    assert "else 100; from 20 to 1000)." in text
    # Every default in the help is written one way, "default: X".
    for command in ("estimate", "compare", "sweep", "status", "catalog", "init", "calendar"):
        flat = " ".join(help_text(command).replace("│", " ").split())
        assert not re.search(r"[(;] ?default [^:]", flat), command
    assert re.search(r"Which profile format \(default: clinic\)", help_text("schema"))


def test_completion_offers_bundled_profile_names(runner: CliRunner) -> None:
    assert complete(runner, "ketacost estimate med") == ["median-iv"]
    offered = complete(runner, "ketacost compare median-iv ")
    assert offered == profile_names() and "los-angeles-iv" in offered


def test_completion_offers_the_ledgers_visit_labels_for_log(
    runner: CliRunner, example_folder: Path
) -> None:
    # The example ledger logs Sessions 1 to 6; a claim or an EOB is for one of them.
    sessions = [f"Session {n}" for n in range(1, 7)]
    assert complete(runner, "ketacost log ledger.yaml claim Ses") == sessions
    assert complete(runner, "ketacost log ledger.yaml received 5 --for ") == sessions
    # A new visit is one the estimate expects and the ledger lacks: the first booster
    # (six months from 2027-01-04 hold the six sessions and one booster twelve weeks on).
    assert complete(runner, "ketacost log ledger.yaml visit ") == ["Booster 1"]
    assert complete(runner, "ketacost log missing.yaml claim ") == []


def waiting_for_input(pid: int) -> None:
    """Return once process ``pid`` sleeps (waiting to read its terminal), at most 10 s later.

    A SIGINT that lands between the prompt being written and the read starting is
    taken only when the next key comes (the interpreter's line reader checks for
    signals when its wait is interrupted, not before it starts), so the test waits
    as a person does. Where /proc is missing, half a second stands in.
    """
    import time

    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        time.sleep(0.5)
        return
    asleep = 0
    deadline = time.monotonic() + 10
    while asleep < 3 and time.monotonic() < deadline:
        state = stat.read_text().rsplit(")", 1)[1].split()[0]
        asleep = asleep + 1 if state == "S" else 0
        time.sleep(0.05)


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
@pytest.mark.parametrize(
    ("key", "code", "said_then"),
    [
        (b"\x03", 130, b""),  # Ctrl-C: the terminal sends SIGINT; the shell's 130, quietly
        (b"\x04", 2, b"nothing was written"),  # Ctrl-D: the input ended (docs/errors.md)
    ],
    ids=["ctrl-c", "ctrl-d"],
)
def test_ctrl_c_in_init_exits_130_quietly_and_writes_nothing(
    tmp_path: Path, key: bytes, code: int, said_then: bytes
) -> None:
    import pty
    import select
    import signal
    import time

    pid, terminal = pty.fork()
    if pid == 0:  # the child: ketacost init, asking on the pseudo-terminal
        os.chdir(tmp_path)
        # A test run started in the background inherits SIGINT ignored; Ctrl-C must reach init.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.execv(sys.executable, [sys.executable, "-m", "ketacost", "init"])
    said = b""
    deadline = time.monotonic() + 60

    def read() -> bytes | None:
        """Return what the child wrote next, or None once it is gone; never wait forever."""
        while time.monotonic() < deadline:
            if select.select([terminal], [], [], 1)[0]:
                try:
                    return os.read(terminal, 1024) or None
                except OSError:  # the child is gone
                    return None
        os.kill(pid, signal.SIGKILL)
        raise AssertionError(f"init did not answer within 60 s: {said!r}")

    while b"Clinic name" not in said:
        chunk = read()
        assert chunk is not None, said
        said += chunk
    waiting_for_input(pid)  # as a person would: the key once the prompt waits for an answer
    os.write(terminal, key)
    while (chunk := read()) is not None:
        said += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == code, said
    assert b"Aborted" not in said and b"Traceback" not in said
    assert said_then in said
    assert not (tmp_path / "clinic.yaml").exists()
