"""Refusals that must be exact: read-only targets, looping links, escapes, counts, messages.

Each test names what it pins; docs/errors.md says the same in words.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketacost.cli import app
from ketacost.errors import Problem, printable
from ketacost.files import atomic
from ketacost.files.yaml_source import MAX_BYTES

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "plans" / "acme-ppo.yaml"
LEDGER = ROOT / "examples" / "ledger.yaml"
OSC_52 = "\x1b]52;c;aGk=\x07"  # sets the terminal's clipboard, were it printed raw
RAW = ("\x1b", "\x07", "\u202e", "\x9b")

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files")


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    return result.exit_code, result.stdout, result.stderr


def ledger_in(folder: Path) -> Path:
    """Return a copy of the example ledger in ``folder``, naming the plan by its full path."""
    text = LEDGER.read_text(encoding="utf-8").replace("plans/acme-ppo.yaml", str(PLAN))
    path = folder / "ledger.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- -o refuses a read-only file, as log refuses a read-only ledger -------------------------


@posix_only
def test_o_refuses_a_read_only_file_and_leaves_it(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("kept\n")
    report.chmod(0o444)  # no write bit: refused even for root, who could write it anyway
    code, _, err = run("estimate", "-o", report)
    assert code == 2
    assert f"{report}: error: the file is read-only, so it was not replaced" in err
    assert f"chmod u+w {report}" in err
    assert report.read_text() == "kept\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


@posix_only
def test_o_refuses_a_file_this_user_may_not_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another user's 0644 file in a folder this user may write: the rename would replace it.
    report = tmp_path / "theirs.md"
    report.write_text("theirs\n")
    real_access = os.access
    monkeypatch.setattr(
        atomic.os,
        "access",
        lambda path, mode: (
            False if Path(path) == report and mode & os.W_OK else real_access(path, mode)
        ),
    )
    code, _, err = run("estimate", "-o", report)
    assert code == 2
    assert "the file is not writable by this user, so it was not replaced" in err
    assert report.read_text() == "theirs\n"


def test_o_still_replaces_a_writable_file(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("old\n")
    assert run("estimate", "-o", report)[0] == 0
    assert report.read_text().startswith("{")


# --- a symbolic link that loops is bad input: exit 2 ------------------------------------------


@posix_only
def test_log_into_a_looping_link_is_bad_input(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    code, _, err = run("log", loop, "visit", "Session 1", "--paid", "750")
    assert code == 2
    assert f"{loop}: error: cannot reach the ledger: Too many levels of symbolic links" in err


@posix_only
def test_check_says_a_looping_link_loops(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    code, _, err = run("check", loop)
    assert code == 2
    assert f"{loop}: error: cannot read the file: Too many levels of symbolic links" in err
    assert "no such file" not in err
    assert "leads back to itself" in err


# --- every control and bidi character is escaped where a path or value is echoed ----------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b", "\\u001b"),
        ("\x07", "\\u0007"),
        ("\n", "\\u000a"),
        ("\x7f", "\\u007f"),
        ("\x9b", "\\u009b"),  # C1 CSI: an escape sequence in one character
        ("\u202e", "\\u202e"),  # right-to-left override
        ("\u2067", "\\u2067"),  # right-to-left isolate
        ("\u200f", "\\u200f"),  # right-to-left mark
        ("\u2028", "\\u2028"),  # line separator
    ],
)
def test_printable_escapes_controls_and_bidi(raw: str, shown: str) -> None:
    assert printable(f"a{raw}b") == f"a{shown}b"


def test_printable_keeps_ordinary_text() -> None:
    text = "Clínica São Paulo — 東京 ✓ $1,200.50 (50%)"
    assert printable(text) == text
    assert printable("a\tb") == "a\\u0009b"
    assert printable("a\tb", keep_tabs=True) == "a\tb"


def test_a_problem_escapes_its_path_message_hint_and_line() -> None:
    problem = Problem(
        path=f"evil{OSC_52}\u202e.yaml",
        message=f"bad value {OSC_52}",
        line=3,
        column=len(f"a{OSC_52}: ") + 1,  # at x; the caret stays under it once escaped
        source_line=f"a{OSC_52}: x",
        hint=f"chmod u+w evil{OSC_52}",
    )
    text = problem.render()
    assert not any(c in text for c in RAW)
    lines = text.splitlines()
    assert lines[0].startswith("evil\\u001b]52;c;aGk=\\u0007\\u202e.yaml:3:16: error: bad value")
    source, caret = lines[1], lines[2]
    assert source.index("x") == caret.index("^")


@posix_only
def test_a_file_name_with_an_osc_sequence_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / f"clinic{OSC_52}\u202e.yaml"
    path.write_text("name: [unclosed\n")
    code, _, err = run("check", path)
    assert code == 2
    assert not any(c in err for c in RAW)
    assert "clinic\\u001b]52;c;aGk=\\u0007\\u202e.yaml" in err


@pytest.mark.parametrize(
    "args",
    [
        ("estimate", "--set", f"series.later_price={OSC_52}5"),
        ("sweep", "--vary", "series.later_price=\u202e5,6"),
        ("sweep", "--vary", f"months{OSC_52}=1,2"),
        ("log", f"ledger{OSC_52}.yaml", "visit", "Session 1", "--paid", "600"),
        ("estimate", "-o", f"out{OSC_52}\u202e.txt/x.txt"),
    ],
    ids=["set", "vary-value", "vary-key", "log-path", "o-path"],
)
def test_flag_values_and_paths_are_escaped(args: tuple[str, ...]) -> None:
    code, _, err = run(*args)
    assert code == 2
    assert err
    assert not any(c in err for c in RAW)


@posix_only
@pytest.mark.parametrize("format", ["table", "md", "html"])
def test_a_ledger_path_in_a_status_report_is_escaped(tmp_path: Path, format: str) -> None:
    path = ledger_in(tmp_path).rename(tmp_path / f"ledger{OSC_52}\u202e.yaml")
    code, out, err = run("status", path, "--as-of", "2027-03-01", "-f", format)
    assert code == 0, err
    assert not any(c in out for c in RAW)


@posix_only
def test_the_lines_that_name_a_file_on_success_are_escaped(tmp_path: Path) -> None:
    path = ledger_in(tmp_path).rename(tmp_path / f"ledger{OSC_52}\u202e.yaml")
    code, _, err = run("log", path, "visit", "Booster 1", "--paid", "600", "--date", "2027-04-15")
    assert code == 0, err
    assert "logged in " in err and not any(c in err for c in RAW)
    code, _, err = run("status", path, "--as-of", "2027-12-31", "--fail-on", "overdue")
    assert code == 1, err
    assert "overdue" in err and not any(c in err for c in RAW)
    new = tmp_path / f"new{OSC_52}.yaml"
    code, _, err = run("init", "--ledger", "--clinic", "los-angeles-iv", new)
    assert code == 0, err
    assert "Wrote " in err and not any(c in err for c in RAW)


# --- a sweep counts its points before computing any -------------------------------------------


def test_a_table_sweep_of_40000_points_is_refused_before_any_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ketacost.engine.sweep as engine_sweep

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the grid was built before it was counted")

    monkeypatch.setattr(engine_sweep, "Sweep", never)
    code, _, err = run(
        "sweep",
        "--vary",
        "series.later_price=400..599:1",  # 200 values
        "--vary",
        "series.first_price=600..799:1",  # × 200 = 40,000 points
    )
    assert code == 2
    assert f"the grid has {200 * 200:,} points; a table holds at most 10,000" in err


def test_a_csv_sweep_may_pass_the_table_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import ketacost.engine.sweep as engine_sweep

    built: list[int] = []

    class Counting(engine_sweep.Sweep):
        def __init__(self, *args: object, **kwargs: object) -> None:
            built.append(1)
            raise engine_sweep.SweepError([Problem(path="x", message="stop here")], None)

    monkeypatch.setattr(engine_sweep, "Sweep", Counting)
    run("sweep", "--vary", "series.later_price=400..599:1", "--vary",
        "series.first_price=600..799:1", "-f", "csv")  # fmt: skip
    assert built == [1]  # counted, found within the streaming limit, then built


# --- messages -----------------------------------------------------------------------------------


def test_check_calls_a_big_plan_a_file_not_a_ledger(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("kind: plan\n# " + "x" * MAX_BYTES + "\n")
    code, _, err = run("check", plan)
    assert code == 2
    assert "the file is" in err and "over the 1 MiB" in err
    assert "ledger" not in err


def test_check_calls_a_big_ledger_a_ledger(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.yaml"
    ledger.write_text("kind: ledger\n# " + "x" * MAX_BYTES + "\n")
    code, _, err = run("check", ledger)
    assert code == 2
    assert "the ledger is" in err and "over the 1 MiB" in err


@posix_only
def test_a_ledger_naming_a_device_says_it_is_not_a_regular_file(tmp_path: Path) -> None:
    path = ledger_in(tmp_path)
    path.write_text(path.read_text().replace("clinic: los-angeles-iv", "clinic: /dev/zero"))
    code, _, err = run("status", path)
    assert code == 2
    assert "the clinic file '/dev/zero' is not a regular file" in err
    assert "does not exist" not in err


@posix_only
def test_a_ledger_naming_a_system_file_does_not_quote_it(tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    path = ledger_in(tmp_path)
    path.write_text(path.read_text().replace("clinic: los-angeles-iv", "clinic: elsewhere/passwd"))
    code, _, err = run("status", path)
    assert code == 2
    assert "root:x" not in err
    assert "is not a clinic profile" in err
    # the person's own file, named on the command line, is quoted as always
    code, _, err = run("check", secret)
    assert code == 2
    assert "root:x:0:0" in err


def test_a_key_varied_twice_names_both_flags_not_an_empty_point() -> None:
    code, _, err = run("sweep", "--vary", "months=1,2", "--vary", "months=3,4")
    assert code == 2
    assert "--vary months=3,4:1:15: error: months is varied twice (also by --vary months=1,2)" in (
        err
    )
    assert "at the point :" not in err
    assert "--vary months=1,2,3,4" in err


# --- sweep --vary allowed=… works as --allowed does ------------------------------------------


def test_vary_allowed_is_the_allowed_flag_in_the_clinic_network() -> None:
    varied = run("sweep", "--vary", "allowed=60%,80%", "--plan", PLAN, "-f", "csv")
    assert varied[0] == 0, varied[2]
    for share in ("60%", "80%"):
        flagged = run("estimate", "--plan", PLAN, "--allowed", share, "-f", "json")
        assert flagged[0] == 0
        net = flagged[1].split('"expected_net": "')[1].split('"')[0]
        row = next(r for r in varied[1].splitlines() if r.startswith(share))
        assert net in row


def test_vary_allowed_in_network_sets_the_in_network_terms() -> None:
    plan = ROOT / "examples" / "plans" / "in-network-ppo.yaml"
    varied = run(
        "sweep", "--vary", "allowed=60%,80%", "--plan", plan, "--network", "in", "-f", "csv"
    )
    assert varied[0] == 0, varied[2]
    rows = {r.split(",")[0]: r.split(",")[1] for r in varied[1].splitlines()[1:]}
    for share in ("60%", "80%"):
        flagged = run(
            "estimate", "--plan", plan, "--network", "in", "--allowed", share, "-f", "json"
        )
        assert f'"net": "{rows[share]}"' in flagged[1]
    assert rows["60%"] != rows["80%"]  # the varied key reached the terms the clinic uses


def test_vary_allowed_and_its_plan_path_together_are_one_key_twice() -> None:
    code, _, err = run(
        "sweep", "--vary", "allowed=60%", "--vary", "plan.out_of_network.allowed=80%",
        "--plan", PLAN,
    )  # fmt: skip
    assert code == 2
    assert "is varied twice (also by --vary allowed=60%)" in err


def test_an_unknown_vary_key_has_a_readable_hint() -> None:
    code, _, err = run("sweep", "--vary", "xyz=1")
    assert code == 2
    assert "or plan. and" not in err
    assert "a plan key after plan., such as plan.out_of_network.allowed" in err


# --- log with the ledger last --------------------------------------------------------------


def test_log_with_the_ledger_last_shows_the_right_order(tmp_path: Path) -> None:
    path = ledger_in(tmp_path)
    before = path.read_bytes()
    code, _, err = run("log", "visit", "Booster 2", "--paid", "600", path)
    assert code == 2
    assert "No such command" not in err
    flat = " ".join(err.replace("│", " ").split())
    assert f"ketacost log {path} visit 'Booster 2' --paid 600" in flat
    assert path.read_bytes() == before


def test_the_order_hint_copes_without_a_ledger_named() -> None:
    code, _, err = run("log", "visit", "Booster 2", "--paid", "600")
    assert code == 2
    flat = " ".join(err.replace("│", " ").split())
    assert "ketacost log LEDGER visit 'Booster 2' --paid 600" in flat


# --- an output never replaces an input ------------------------------------------------------------


def test_o_refuses_the_clinic_file_it_reads_and_leaves_it(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text((ROOT / "pricing" / "los-angeles-iv.yaml").read_text("utf-8"), "utf-8")
    before = clinic.read_bytes()
    code, out, err = run("estimate", clinic, "-f", "json", "-o", clinic, "--no-config")
    assert (code, out) == (2, "")
    assert "this command reads this file" in err
    assert clinic.read_bytes() == before
    # the next command reads the bundled profile, not this file: it may replace it
    code, _, err = run("estimate", "los-angeles-iv", "-f", "json", "-o", clinic, "--no-config")
    assert code == 0, err
    assert clinic.read_text("utf-8").startswith("{")


def test_o_refuses_the_ledger_under_another_name_while_log_still_appends(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "acme-ppo.yaml").write_bytes(PLAN.read_bytes())
    ledger = tmp_path / "ledger.yaml"
    ledger.write_bytes(LEDGER.read_bytes())
    (tmp_path / "alias.yaml").symlink_to(ledger)
    before = ledger.read_bytes()
    for source, target in (
        (ledger, ledger),
        (tmp_path / "alias.yaml", tmp_path / "." / "ledger.yaml"),
    ):
        code, _, err = run("status", source, "--as-of", "2027-03-15", "-f", "md", "-o", target)
        assert code == 2 and "this command reads this file" in err
        assert ledger.read_bytes() == before
    code, _, err = run("log", ledger, "bill", "4320", "--date", "2027-03-20", "--no-config")
    assert code == 0, err
    assert ledger.read_bytes().startswith(before)


@pytest.mark.parametrize(
    "args",
    [["estimate", "-"], ["check", "-"], ["estimate", "--plan", "-"], ["init", "x.yaml"]],
    ids=["estimate", "check", "plan", "init"],
)
def test_a_closed_standard_input_is_bad_input_not_an_internal_error(
    tmp_path: Path, args: list[str]
) -> None:
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "ketacost", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        preexec_fn=lambda: os.close(0),  # as `<&-` leaves it
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "internal error" not in done.stderr
    assert "standard input" in done.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_a_path_in_a_folder_you_may_not_enter_is_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Path.is_dir() and .exists() raise PermissionError there (root never sees it, so the
    # refusal is made here as the file system would make it for anyone else)
    from pathlib import Path as RealPath

    real_is_file = RealPath.is_file

    def is_file(self: RealPath) -> bool:
        if "locked" in self.parts:
            raise PermissionError(13, "Permission denied", str(self))
        return real_is_file(self)

    monkeypatch.setattr(RealPath, "is_file", is_file)
    result = CliRunner().invoke(app, ["calendar", str(tmp_path / "locked" / "ledger.yaml")])
    assert result.exit_code == 2, result.stderr
    assert "locked/ledger.yaml: error: cannot reach it: Permission denied" in result.stderr
    assert "internal error" not in result.stderr


def test_a_folder_you_may_not_list_is_not_called_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "clinics").mkdir()
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    result = CliRunner().invoke(app, ["compare", str(tmp_path / "clinics")])
    assert result.exit_code == 2
    assert "cannot list the folder: permission denied" in result.stderr
    assert "has no .yaml files" not in result.stderr


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["estimate", "{file}"], "start from `ketacost init` or a profile in pricing/"),
        (["estimate", "--plan", "{file}"], "start from a plan in examples/plans/"),
        (["status", "{file}"], "start one with `ketacost init --ledger`"),
        (["log", "{file}", "visit", "X", "--paid", "5"], "start one with `ketacost init --ledger`"),
        (["estimate", "--config", "{file}"], "start one with `ketacost init --person`"),
        (["check", "{file}"], "a clinic starts from `ketacost init`, a ledger from"),
    ],
    ids=["clinic", "plan", "status", "log", "person", "check"],
)
def test_an_empty_file_is_told_what_to_start_from_by_its_kind(
    tmp_path: Path, args: list[str], hint: str
) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    result = CliRunner().invoke(app, [a.format(file=empty) for a in args])
    assert result.exit_code == 2
    assert f"{empty}: error: file is empty" in result.stderr
    assert f"hint: {hint}" in result.stderr


def test_a_loan_the_series_cannot_take_is_reported_at_the_flag() -> None:
    # the bundled default's series is 750 × 2 + 600 × 4 = 3,900: a 99,999 down payment
    result = CliRunner().invoke(app, ["estimate", "--finance", "12@9.99%+99999"])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "--finance 12@9.99%+99999: error: the down payment 99,999.00 is more than the"
        " 3,900.00 being financed"
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            [
                "sweep",
                "--vary",
                "series.later_price=400..500:100",
                "--set",
                "series.later_price=300",
            ],
            "series.later_price is both set (--set) and varied (--vary)",
        ),
        (
            ["compare", "median-iv", "high-end-iv", "--rank-by", "total", "--sort", "net"],
            "--rank-by total and --sort net ask for two rankings",
        ),
        (
            ["calendar", "{ledger}", "--start", "2027-01-04", "--as-of", "2027-03-01"],
            "--start set a clinic's calendar; the ledger ledger.yaml has its own",
        ),
    ],
    ids=["sweep", "compare", "calendar"],
)
def test_flags_that_ask_two_things_at_once_are_refused_not_one_ignored(
    args: list[str], said: str
) -> None:
    ledger = str(Path(__file__).resolve().parent.parent / "examples" / "ledger.yaml")
    result = CliRunner().invoke(app, [a.format(ledger=ledger) for a in args])
    assert result.exit_code == 2
    assert said in result.stderr


def test_set_cannot_change_what_kind_of_file_it_is() -> None:
    result = CliRunner().invoke(app, ["estimate", "--set", "kind=plan"])
    assert result.exit_code == 2
    assert result.stderr.startswith("--set kind=plan: error: kind says what the file is")


@pytest.mark.parametrize(
    "args", [["estimate", ""], ["compare", "", "median-iv"]], ids=["estimate", "compare"]
)
def test_an_empty_argument_is_no_clinic_not_the_current_folder(args: list[str]) -> None:
    # `ketacost compare "$F"` with F unset would otherwise compare every file in the folder
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "an empty argument names no clinic" in result.stderr


def test_check_refuses_an_empty_argument_rather_than_check_the_current_folder() -> None:
    # `ketacost check "$F"` with F unset checked every profile under the current folder
    result = CliRunner().invoke(app, ["check", "", "examples/ledger.yaml"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert "an empty argument names no file to check" in result.stderr


# --- text that is not UTF-8, and terminals that cannot show every character -------------------


@posix_only
def test_an_argument_that_is_not_utf8_is_refused_naming_it(tmp_path: Path) -> None:
    # "Séance" typed in a Latin-1 terminal: the byte 0xE9 alone. It had ended in an
    # internal error (exit 3), or been written into a ledger no YAML reader accepts.
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "ketacost", "estimate", "--set", b"name=S\xe9ance"],
        capture_output=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    said = done.stderr.decode("utf-8")
    assert "argument 3 (name=S\\xe9ance) is not UTF-8 text" in said
    assert "LANG=C.UTF-8" in said
    assert done.stdout == b""


def test_log_never_writes_a_label_it_cannot_read_back_nor_the_last_one_in_its_place(
    tmp_path: Path,
) -> None:
    # The entry's text did not parse; the check of the ledger as found then took its last
    # entry ('Booster 1' here) for the new one, and logged the payment under that label.
    path = ledger_in(tmp_path)
    CliRunner().invoke(
        app, ["log", str(path), "visit", "Booster 1", "--paid", "600", "--date", "2027-04-15"]
    )
    before = path.read_bytes()
    result = CliRunner().invoke(
        app, ["log", str(path), "visit", "S\udce9ance 2", "--paid", "450", "--date", "2027-07-08"]
    )
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "internal error" not in result.stderr
    assert path.read_bytes() == before


@posix_only
def test_a_terminal_that_cannot_show_a_character_gets_a_stand_in_not_an_error(
    tmp_path: Path,
) -> None:
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "ketacost", "estimate", "--start", "2027-01-04", "--no-config"],
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"Net: $6,300.00." in done.stdout  # 750 * 2 + 600 * 4 + 600 * 4
    # JSON on such a terminal escapes what it cannot show: read back, it is the text
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ketacost",
            "estimate",
            "--plan",
            PLAN,
            "--scenario",
            "As written",
            "--start",
            "2027-01-04",
            "--no-config",
            "--format",
            "json",
        ],
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONIOENCODING": "latin-1"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.decode("latin-1"))["plan"]["name"] == (
        "Acme PPO — out-of-network benefits"
    )


# --- import eob reads a bounded regular file, as every input is -----------------------------


@posix_only
@pytest.mark.parametrize("kind", ["device", "fifo", "folder"])
def test_import_eob_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    # /dev/zero had been read without end (gigabytes, then exit 3); a FIFO blocked
    path = ledger_in(tmp_path)
    if kind == "device":
        source, said = "/dev/zero", "is a device or socket, not a regular file"
    elif kind == "fifo":
        os.mkfifo(tmp_path / "eob.json")
        source, said = str(tmp_path / "eob.json"), "is a named pipe (FIFO), not a regular file"
    else:
        source, said = str(tmp_path), "is a folder, not a FHIR JSON file"
    code, _, stderr = run("import", "eob", source, path, "--no-config")
    assert code == 2, stderr
    assert said in stderr
    assert "hint:" in stderr


# --- YAML mistakes a person makes, pointed at where they are --------------------------------


def test_a_stray_line_without_a_colon_is_pointed_at_itself(tmp_path: Path) -> None:
    # the scanner finds the missing ':' on the next line (6): the fault is line 5's
    path = tmp_path / "clinic.yaml"
    path.write_text(
        "name: X\nseries:\n  sessions: 6\n  first_price: 5\ngarbage\nfoo: 1\n", encoding="utf-8"
    )
    code, _, stderr = run("check", path, "--no-config")
    assert code == 2
    assert f"{path}:5:1: error: this line is neither `key: value` nor a list item" in stderr
    assert "   5 | garbage" in stderr
    assert "hint: write it as `key: value`, or delete it" in stderr


def test_a_tab_used_to_indent_is_named(tmp_path: Path) -> None:
    path = tmp_path / "clinic.yaml"
    path.write_text("name: X\nseries:\n\tsessions: 6\n", encoding="utf-8")
    code, _, stderr = run("check", path, "--no-config")
    assert code == 2
    assert f"{path}:3:1: error: a tab here: YAML indents with spaces only" in stderr
    assert "hint: indent with spaces, not tabs" in stderr
