"""Hostile input: every malformed profile is exit 2 with `FILE:LINE`, never a traceback.

Each case in ``tests/hostile/`` is one small YAML file named for what is wrong with
it. Cases too big or too odd to commit (a file over 1 MiB, 10,000 nested
brackets) are generated in ``tmp_path``. docs/clinic-format.md (rules), docs/commands.md (exit codes,
``path:line:col: message`` on stderr, data only on stdout).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketacost.cli import app

HOSTILE = Path(__file__).parent / "hostile"
ROOT = Path(__file__).parent.parent
START = ("--start", "2027-01-04")

VALID_CLINIC = """\
name: Plain Clinic
series:
  sessions: 6
  price: 400
"""


# (file in tests/hostile/, "clinic" or "plan", line of the offending text or None
#  when there is none, extra text stderr must contain)
CASES: list[tuple[str, str, int | None, tuple[str, ...]]] = [
    ("duplicate-keys.yaml", "clinic", 5, ("duplicate",)),
    ("anchor-alias.yaml", "clinic", 4, ("anchor",)),
    ("python-tag-os-system.yaml", "clinic", 4, ("tag",)),
    ("custom-tag.yaml", "clinic", 4, ("!foo",)),
    ("non-utf8.yaml", "clinic", 2, ("UTF-8",)),
    ("binary-nul.yaml", "clinic", None, ("binary",)),
    ("control-character.yaml", "clinic", 2, ()),
    ("control-character-with-ampersand.yaml", "clinic", 2, ()),
    ("empty.yaml", "clinic", None, ("empty",)),
    ("comments-only.yaml", "clinic", None, ()),
    ("top-level-list.yaml", "clinic", 2, ("mapping",)),
    ("top-level-scalar.yaml", "clinic", 2, ("mapping",)),
    ("nan-money.yaml", "clinic", 4, (".nan",)),
    ("inf-money.yaml", "clinic", 4, (".inf",)),
    ("negative-money.yaml", "clinic", 4, ("negative",)),
    ("three-decimals.yaml", "clinic", 4, ("600.123",)),
    ("price-yes.yaml", "clinic", 4, ("yes",)),
    ("name-true.yaml", "clinic", 2, ("name",)),
    ("checked-impossible-date.yaml", "clinic", 4, ("2026-13-45",)),
    ("currency-xyz.yaml", "clinic", 2, ("XYZ",)),
    ("per-week-and-every-weeks.yaml", "clinic", 5, ("per_week", "every_weeks")),
    ("price-and-first-price.yaml", "clinic", 5, ("price", "first_price")),
    ("sessions-zero.yaml", "clinic", 3, ("sessions",)),
    ("sessions-negative.yaml", "clinic", 3, ("sessions",)),
    ("unknown-key-later-prize.yaml", "clinic", 5, ("later_prize", "did you mean 'later_price'")),
    ("missing-series.yaml", "clinic", 2, ("series",)),
    ("unknown-maintenance-kind.yaml", "clinic", 6, ("massage",)),
    ("maintenance-both-cadences.yaml", "clinic", 8, ("per_week", "every_weeks")),
    ("esketamine-device-price-without-devices.yaml", "clinic", 8, ("devices",)),
    ("kind-is-a-list.yaml", "clinic", 1, ("kind",)),
    ("price-over-28-digits.yaml", "clinic", 4, ()),
    ("price-absurdly-large.yaml", "clinic", 4, ()),
    ("plan-coinsurance-bare-number.yaml", "plan", 5, ("coinsurance", "%")),
    ("plan-year-starts-feb-30.yaml", "plan", 3, ("02-30",)),
    ("plan-probabilities-not-one.yaml", "plan", 6, ("probabilit",)),
]
# Valid on their own; wrong only together (see test_currency_mismatch).
PAIRS = {"currency-mismatch-eur-clinic.yaml", "currency-mismatch-usd-plan.yaml"}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def valid_clinic(tmp_path: Path) -> Path:
    path = tmp_path / "valid-clinic.yaml"
    path.write_text(VALID_CLINIC, encoding="utf-8")
    return path


def invoke(runner: CliRunner, *args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def assert_no_traceback(result) -> None:
    both = result.stdout + result.stderr
    assert "Traceback" not in both, both
    assert "internal error" not in both, both
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )


def assert_rejected(result, path: Path | str, line: int | None, extra: tuple[str, ...] = ()):
    """Exit 2, nothing on stdout, `path:line:` (or `path:` when no line exists) on stderr."""
    assert_no_traceback(result)
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == "", result.stdout
    where = f"{path}:{line}:" if line is not None else f"{path}:"
    assert where in result.stderr, f"expected {where!r} in stderr:\n{result.stderr}"
    for text in extra:
        assert text in result.stderr, f"expected {text!r} in stderr:\n{result.stderr}"


def check_and_estimate(
    runner: CliRunner, path: Path, kind: str, clinic: Path
) -> list[tuple[str, object]]:
    """Run `check FILE` and the `estimate` that reads FILE; return (label, result) pairs."""
    check = invoke(runner, "check", path)
    if kind == "plan":
        estimate = invoke(runner, "estimate", clinic, "--plan", path, *START)
    else:
        estimate = invoke(runner, "estimate", path, *START)
    return [("check", check), ("estimate", estimate)]


# --- the committed corpus -------------------------------------------------------------------


def test_corpus_is_complete() -> None:
    on_disk = {p.name for p in HOSTILE.iterdir()}
    listed = {name for name, *_ in CASES} | PAIRS
    assert on_disk == listed, (
        f"unlisted: {sorted(on_disk - listed)}, missing: {sorted(listed - on_disk)}"
    )


@pytest.mark.parametrize(
    ("name", "kind", "line", "extra"), CASES, ids=[name.removesuffix(".yaml") for name, *_ in CASES]
)
@pytest.mark.parametrize("command", ["check", "estimate"])
def test_hostile_file(
    runner: CliRunner,
    valid_clinic: Path,
    command: str,
    name: str,
    kind: str,
    line: int | None,
    extra: tuple[str, ...],
) -> None:
    path = HOSTILE / name
    results = dict(check_and_estimate(runner, path, kind, valid_clinic))
    assert_rejected(results[command], path, line, extra)


def test_currency_mismatch(runner: CliRunner) -> None:
    clinic = HOSTILE / "currency-mismatch-eur-clinic.yaml"
    plan = HOSTILE / "currency-mismatch-usd-plan.yaml"
    # Each is valid alone.
    for path in (clinic, plan):
        alone = invoke(runner, "check", path)
        assert alone.exit_code == 0, alone.stderr
    together = invoke(runner, "check", clinic, plan)
    assert_rejected(together, clinic, 2, ("EUR", "USD"))
    assert f"{plan}:3:" in together.stderr
    estimate = invoke(runner, "estimate", clinic, "--plan", plan, *START)
    assert_no_traceback(estimate)
    assert estimate.exit_code == 2, estimate.stderr
    assert estimate.stdout == ""
    assert "EUR" in estimate.stderr and "USD" in estimate.stderr
    # The message should point at a currency line of one of the two files.
    assert f"{clinic}:2:" in estimate.stderr or f"{plan}:3:" in estimate.stderr, estimate.stderr


# --- generated cases ------------------------------------------------------------------------


def test_file_over_one_mib(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    filler = "# " + "x" * 98 + "\n"
    path.write_text(VALID_CLINIC + filler * (1024 * 1024 // len(filler) + 10), encoding="utf-8")
    assert path.stat().st_size > 1024 * 1024
    for _, result in check_and_estimate(runner, path, "clinic", path):
        assert_rejected(result, path, None, ("1 MiB",))


@pytest.mark.skipif(
    sys.platform != "linux" or not Path("/dev/zero").exists(), reason="needs /dev/zero and rlimits"
)
def test_endless_stream_is_not_read_whole(tmp_path: Path) -> None:
    # /dev/zero never ends: the reader must stop after 1 MiB, not exhaust memory. Run in a
    # child with a 1 GiB address-space limit and a timeout so a failure cannot hurt the host.
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    for args in (["check", "/dev/zero"], ["estimate", "/dev/zero", *START]):
        done = subprocess.run(
            [sys.executable, "-m", "ketacost", *args],
            capture_output=True,
            text=True,
            timeout=60,
            preexec_fn=limit,
            cwd=tmp_path,
            env={**os.environ, "NO_COLOR": "1"},
        )
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
        assert done.returncode == 2, (done.returncode, done.stderr)
        assert done.stdout == ""
        assert "/dev/zero" in done.stderr


def test_absurdly_deep_nesting(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("name: Deep Clinic\nseries: " + "[" * 10_000 + "]" * 10_000 + "\n")
    for _, result in check_and_estimate(runner, path, "clinic", path):
        assert_rejected(result, path, 2, ("deep",))


@pytest.mark.parametrize(
    "text",
    [
        "name: Deep Clinic\nseries: " + "[" * 10_000 + "\n",  # never closed
        # An `&` anywhere sends the text through the pure-Python loader: it must cope too.
        "name: Deep & Clinic\nseries: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "name: Deep Clinic\nseries: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n",
        "name: Deep Clinic\nseries:\n" + "".join(" " * i + "- \n" for i in range(0, 4000, 2)),
    ],
    ids=["unclosed", "pure-python-loader", "mappings", "block-lists"],
)
def test_deep_nesting_variants(runner: CliRunner, tmp_path: Path, text: str) -> None:
    # Robustness only: exit 2 naming the file, no traceback, no crash of the interpreter.
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    for _, result in check_and_estimate(runner, path, "clinic", path):
        assert_rejected(result, path, None)


def test_moderately_deep_nesting_has_a_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "deep40.yaml"
    path.write_text("name: Deep Clinic\nseries: " + "[" * 40 + "]" * 40 + "\n")
    for _, result in check_and_estimate(runner, path, "clinic", path):
        assert_rejected(result, path, 2, ("deep",))


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        (b"name: Caf\xe9 Clinic\nseries:\n  sessions: 6\n  price: 400\n", 1),
        (b"name: Ok\nseries:\n  sessions: 6\n  price: \xff\xfe400\n", 4),
        (b"\xff\xfen\x00a\x00m\x00e\x00", None),  # UTF-16 with NULs: binary
        (b"\x00" * 64, None),
        (bytes(range(256)), None),
    ],
    ids=["latin1-line1", "bad-bytes-line4", "utf16", "all-nul", "every-byte"],
)
def test_bytes(runner: CliRunner, tmp_path: Path, raw: bytes, line: int | None) -> None:
    path = tmp_path / "bytes.yaml"
    path.write_bytes(raw)
    for _, result in check_and_estimate(runner, path, "clinic", path):
        assert_rejected(result, path, line)


# --- tags run nothing -----------------------------------------------------------------------


def test_python_open_tag_creates_no_file(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "created-by-yaml.txt"
    path = tmp_path / "open-tag.yaml"
    path.write_text(
        "name: Open Tag Clinic\n"
        "series:\n"
        "  sessions: 6\n"
        f'  price: !!python/object/apply:builtins.open ["{target.as_posix()}", "w"]\n',
        encoding="utf-8",
    )
    for _, result in check_and_estimate(runner, path, "clinic", path):
        assert_rejected(result, path, 4, ("tag",))
    assert not target.exists()


def test_os_system_tag_runs_nothing(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "touched-by-yaml"
    path = tmp_path / "system-tag.yaml"
    path.write_text(
        "name: System Tag Clinic\n"
        "series:\n"
        "  sessions: 6\n"
        f'  price: !!python/object/apply:os.system ["touch {target.as_posix()}"]\n',
        encoding="utf-8",
    )
    for _, result in check_and_estimate(runner, path, "clinic", path):
        assert_rejected(result, path, 4)
    assert not target.exists()


def test_python_tag_as_top_level_runs_nothing(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "top-level-open.txt"
    path = tmp_path / "top-tag.yaml"
    path.write_text(
        f'# whole document\n!!python/object/apply:builtins.open ["{target.as_posix()}", "w"]\n',
        encoding="utf-8",
    )
    result = invoke(runner, "check", path)
    assert_rejected(result, path, 2)
    assert not target.exists()


# --- missing files and folders --------------------------------------------------------------


def assert_one_line_error(result) -> None:
    assert_no_traceback(result)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if not ln.lstrip().startswith("hint:")]
    assert len(errors) == 1, result.stderr


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-clinic.yaml"
    for args in (("check", missing), ("estimate", missing, *START)):
        result = invoke(runner, *args)
        assert_one_line_error(result)
        assert str(missing) in result.stderr


def test_missing_plan_file(runner: CliRunner, valid_clinic: Path, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-plan.yaml"
    result = invoke(runner, "estimate", valid_clinic, "--plan", missing, *START)
    assert_one_line_error(result)
    assert str(missing) in result.stderr


def test_folder_without_yaml(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "empty-folder"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a profile\n")
    for args in (("check", folder), ("estimate", folder, *START)):
        result = invoke(runner, *args)
        assert_one_line_error(result)
        assert str(folder) in result.stderr


# --- bad arguments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--months", "0"), ("--months",)),
        (("--months", "100000"), ("--months", "120")),
        (("--months", "-5"), ("--months",)),
        (("--months", "twelve"), ("--months",)),
        (("--start", "notadate"), ("--start", "notadate")),
        (("--start", "2027-02-30"), ("--start",)),
        (("--format", "xml"), ("--format", "xml")),
        (("--set", "nosuch.key=1"), ("nosuch",)),
        (("--set", "series.price"), ("--set",)),
        (("--set", "series.price=abc"), ("--set",)),
        (("--fail-over", "lots"), ("--fail-over",)),
        (("--coinsurance", "40"), ("--coinsurance", "%")),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_bad_arguments(
    runner: CliRunner, valid_clinic: Path, args: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    result = invoke(runner, "estimate", valid_clinic, "--start", "2027-01-04", *args)
    assert_no_traceback(result)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    for text in expected:
        assert text in result.stderr, f"expected {text!r} in stderr:\n{result.stderr}"


# --- clean profiles, and the stale-price finding ---------------------------------------------


def bundled_yaml() -> list[Path]:
    found = sorted(
        path
        for folder in ("pricing", "examples")
        for pattern in ("*.yaml", "*.yml")
        for path in (ROOT / folder).rglob(pattern)
    )
    assert found
    return found


def test_check_bundled_profiles_is_silent(runner: CliRunner) -> None:
    result = invoke(runner, "check", "-q", *bundled_yaml())
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    result = invoke(runner, "check", *bundled_yaml())
    count = len(bundled_yaml())
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        f"ok: {count} files checked, no problems\n",
        "",
    )


def test_check_bundled_folders_is_silent(runner: CliRunner) -> None:
    folders = sorted({path.parent for path in bundled_yaml()})
    result = invoke(runner, "check", "--quiet", *folders)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_stale_prices_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(
        "name: Old Prices Clinic\n"
        "source:\n"
        "  title: Phone call\n"
        "  checked: 2020-01-01\n"
        "series:\n"
        "  sessions: 6\n"
        "  price: 400\n",
        encoding="utf-8",
    )
    result = invoke(runner, "check", "--stale-after", "0", path)
    assert_no_traceback(result)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert f"{path}:4:" in result.stderr
    # Without --stale-after the same file is clean; with a generous limit it is not stale.
    assert invoke(runner, "check", path).exit_code == 0
    days = (dt.date.today() - dt.date(2020, 1, 1)).days
    assert invoke(runner, "check", "--stale", str(days + 1), path).exit_code == 0
