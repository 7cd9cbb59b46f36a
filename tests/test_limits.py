"""Resource bombs and hidden characters: refused before any work, exit 2 with file:line:col.

Each case is a small file that once made hundreds of thousands of charges, hung
on an exact fraction of 10^(10^8), blocked on a FIFO, overflowed the calendar
(exit 3), or smuggled terminal escapes into a report. Each must now be exit 2,
quickly, naming the place responsible; `check` must say the same.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketacost import estimate, load_clinic
from ketacost.cli import app
from ketacost.engine.limits import MAX_EVENTS, event_counts
from ketacost.errors import MAX_SHOWN, InputError, Problem, quoted, render_all

START = ("--start", "2027-01-04")
HEAD = "name: Bomb Clinic\nseries:\n  sessions: 6\n  price: 400\n"


def run(*args: str | Path) -> tuple[int, str, str, float]:
    """Run a command in-process; ``took`` is CPU seconds, so a loaded machine cannot fail it
    (the bounds guard against runaway work, which costs CPU, not against a slow clock)."""
    began = time.process_time()
    result = CliRunner().invoke(app, [str(a) for a in args])
    took = time.process_time() - began
    both = result.stdout + result.stderr
    assert "Traceback" not in both and "internal error" not in both, both
    return result.exit_code, result.stdout, result.stderr, took


def refused(path: Path, where: str, *texts: str, months: str = "12") -> str:
    """Assert `estimate` and `check` both refuse ``path`` at ``where`` (path:line:col)."""
    code, out, err, took = run("estimate", path, *START, "--months", months, "-f", "json")
    assert code == 2, err
    assert out == ""
    assert f"{path}:{where}:" in err, err
    for text in texts:
        assert text in err, err
    assert took < 5, took
    return err


def boosters(count: int, cadence: str = "per_week: 7") -> str:
    return (
        HEAD
        + "maintenance:\n"
        + "".join(
            f"  - kind: booster\n    {cadence}\n    price: 100\n    label: Booster set {i}\n"
            for i in range(count)
        )
    )


# --- events and items ------------------------------------------------------------------------


def test_event_bomb_is_refused_before_scheduling(tmp_path: Path) -> None:
    # 15 daily boosters over 120 months (2027-01-04 to 2037-01-04: 3,653 days). The six
    # sessions end on day floor(5 × 3.5) = 17, boosters start a day later: 3,653 − 18 =
    # 3,635 each, 15 × 3,635 + 6 = 54,531 charges, above the 20,000 limit.
    path = tmp_path / "bomb.yaml"
    path.write_text(boosters(15))
    refused(
        path, "6:5", f"{15 * 3_635 + 6:,} charges", "maintenance.0 alone makes 3,635", months="120"
    )
    # The same file over 12 months is 15 × (365 − 18) + 6 = 5,211 charges: fine.
    code, _, err, _ = run("estimate", path, *START, "-f", "json")
    assert code == 0, err


def test_event_counts_are_exact(tmp_path: Path) -> None:
    # Counted from the cadences, without scheduling; equal to what the schedule makes.
    path = tmp_path / "mixed.yaml"
    path.write_text(
        HEAD
        + "fees:\n  - {name: Visit fee, amount: 10, per: session}\n"
        + "  - {name: Membership, amount: 20, per: month}\n"
        + "maintenance:\n  - {kind: booster, every_weeks: 3, after_weeks: 1.5, for_weeks: 20}\n"
        + "  - {kind: lozenge, fill_price: 120, every_weeks: 4}\n"
    )
    clinic = load_clinic(path)
    start = dt.date(2027, 1, 4)
    counts = dict(event_counts(clinic, start, 12))
    result = estimate(clinic, start=start, months=12)
    made: dict[str, int] = {}
    for event in result.events:
        made[event.phase if event.item != "fee" else event.label] = (
            made.get(event.phase if event.item != "fee" else event.label, 0) + 1
        )
    # Series: 6 sessions at 3.5-day steps (days 0..17). Booster: first on 17 + 10 = day 27,
    # then every 21 days while before day 27 + 140 = 167: days 27, 48, ..., 153 → 7 boosters.
    # Lozenges: first on 17 + 28 = day 45, every 28 days before day 365: (365 − 45) / 28 → 12.
    assert counts[("series",)] == 6
    assert counts[("maintenance", 0)] == 7
    assert counts[("maintenance", 1)] == 12
    assert counts[("fees", 0)] == 6 + 7  # every series session and booster, not lozenge fills
    assert counts[("fees", 1)] == 12
    assert sum(counts.values()) == len(result.events)


def test_api_refuses_the_bomb_too(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(boosters(15))
    with pytest.raises(InputError) as caught:
        estimate(load_clinic(path), start=dt.date(2027, 1, 4), months=120)
    assert f"more than {MAX_EVENTS:,}" in str(caught.value)
    assert "clinic maintenance.0" in str(caught.value)


def test_too_many_maintenance_items(tmp_path: Path) -> None:
    # 400 items (18 KB) once took 23.6 GB; now the list itself is refused.
    path = tmp_path / "items.yaml"
    path.write_text(boosters(400, "every_weeks: 12"))
    err = refused(path, "6:3", "400 items, more than the 20")
    code, _, check_err, _ = run("check", path)
    assert code == 2 and f"{path}:6:3:" in check_err, check_err
    assert err.count("error:") == 1


def test_check_reports_an_event_bomb_at_the_default_horizon(tmp_path: Path) -> None:
    # `check` counts as `estimate FILE` would run: from today over 12 months (365 or 366
    # days). 20 daily boosters make 20 × 347 (or 348) + 6 ≥ 6,946 sessions; with two
    # per-session fees that is 3 × 6,946 = 20,838 charges or more, above 20,000.
    path = tmp_path / "fees.yaml"
    text = (
        boosters(20)
        + "fees:\n"
        + "".join(f"  - {{name: Fee {i}, amount: 1, per: session}}\n" for i in range(2))
    )
    path.write_text(text)
    code, _, err, _ = run("check", path)
    assert code == 2 and "charges over 12 months" in err, err


def test_too_many_scenarios(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text(HEAD)
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "kind: plan\nname: Many\nout_of_network: {coinsurance: 40%, allowed: 70%}\nscenarios:\n"
        + "".join(f"  - name: S{i}\n" for i in range(21))
    )
    code, _, err, _ = run("estimate", clinic, "--plan", plan, *START)
    assert code == 2 and f"{plan}:5:3:" in err and "21 scenarios" in err, err


# --- cadences, weeks, numbers and dates ------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "column", "text"),
    [
        ("after_weeks: 1000000", 18, "more than ten years"),
        ("for_weeks: 10000000", 16, "more than ten years"),
        ("after_weeks: 521", 18, "more than ten years"),
        ("after_weeks: 1e-99999999", 18, "exponent"),
        ("for_weeks: 1e99999999", 16, "exponent"),
        ('after_weeks: "1e-99999999"', 18, "exponent"),
        ("after_weeks: 0." + "0" * 40 + "1", 18, "digits"),
    ],
)
def test_weeks_and_number_bombs(tmp_path: Path, line: str, column: int, text: str) -> None:
    path = tmp_path / "weeks.yaml"
    path.write_text(HEAD + f"maintenance:\n  - kind: booster\n    every_weeks: 12\n    {line}\n")
    refused(path, f"8:{column}", text)
    code, _, err, took = run("check", path)
    assert code == 2 and f"{path}:8:{column}:" in err and took < 5, err


def test_ten_years_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "weeks.yaml"
    path.write_text(
        HEAD + "maintenance:\n  - kind: booster\n    every_weeks: 520\n    after_weeks: 520\n"
    )
    code, _, err, _ = run("estimate", path, *START, "-f", "json")
    assert code == 0, err


@pytest.mark.parametrize(
    ("cadence", "text"),
    [
        ("per_week: 0.000001", "less than once in ten years"),
        ("per_week: 0.001", "less than once in ten years"),  # 7 / 0.001 = 7,000 days
        ("every_weeks: 0.01", "more than one a day"),
        ("every_weeks: 0.1", "more than one a day"),  # 0.7 days
        ("per_week: 8", "more than one a day"),
        ("every_weeks: 521", "more than ten years"),
    ],
)
def test_cadence_ranges(tmp_path: Path, cadence: str, text: str) -> None:
    path = tmp_path / "cadence.yaml"
    path.write_text(HEAD + f"maintenance:\n  - kind: booster\n    {cadence}\n")
    refused(path, "7:5", text)


def test_cadence_edges_are_allowed(tmp_path: Path) -> None:
    # per_week: 1/520 (0.00192307...) rounds below the edge, so write the edges exactly.
    path = tmp_path / "cadence.yaml"
    path.write_text(
        HEAD
        + "maintenance:\n  - kind: booster\n    per_week: 7\n    count: 2\n"
        + "  - kind: booster\n    every_weeks: 520\n    label: Rare booster\n"
        + "  - kind: lozenge\n    fill_price: 100\n    per_week: 0.002\n"
    )
    code, _, err, _ = run("estimate", path, *START, "-f", "json")
    assert code == 0, err


def test_half_million_digit_number_is_not_echoed(tmp_path: Path) -> None:
    for quote in ("", '"'):
        path = tmp_path / "digits.yaml"
        path.write_text(
            f"name: X\nseries:\n  sessions: 2\n  price: {quote}{'9' * 500_000}{quote}\n"
        )
        err = refused(path, "4:10", "500,000 digits")
        assert len(err) < 2_000, len(err)


def test_long_text_values_are_shortened_in_messages(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(f"name: X\nseries:\n  sessions: 2\n  price: {'x' * 100_000}\n")
    err = refused(path, "4:10", "100,") + ""
    assert len(err) < 2_000, len(err)


@pytest.mark.parametrize("start", ["9999-06-01", "2201-01-01", "1899-12-31", "0001-01-01"])
def test_far_start_dates(start: str) -> None:
    code, out, err, _ = run("estimate", "--start", start)
    assert code == 2 and out == "" and "--start" in err and "1900–2200" in err, err


def test_far_start_date_in_the_api() -> None:
    with pytest.raises(InputError, match="outside the years"):
        estimate(load_clinic(), start=dt.date(9999, 6, 1))


def test_far_dates_in_a_profile(tmp_path: Path) -> None:
    path = tmp_path / "dates.yaml"
    path.write_text(HEAD + "source:\n  title: Phone call\n  checked: 9999-12-31\n")
    refused(path, "7:12", "outside the years")


def test_edge_start_dates_work() -> None:
    # The last start allowed, over the longest horizon, with maintenance and a late
    # reimbursement: no date beyond the calendar.
    code, _, err, _ = run("estimate", "--start", "2200-12-31", "--months", "120", "-f", "json")
    assert code == 0, err


def test_long_series_with_maintenance_does_not_overflow(tmp_path: Path) -> None:
    # 10,000 sessions every 520 weeks would put the last session ~99,700 years out.
    path = tmp_path / "long.yaml"
    path.write_text(
        "name: Long\nseries:\n  sessions: 10000\n  every_weeks: 520\n  price: 400\n"
        "maintenance:\n  - kind: booster\n    every_weeks: 12\n"
    )
    code, _, err, _ = run("estimate", path, "--start", "2200-01-01", "-f", "json")
    assert code == 0, err


# --- only regular files are read -------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX FIFOs")
@pytest.mark.parametrize("role", ["clinic", "plan", "check"])
def test_fifo_input_is_refused_without_blocking(tmp_path: Path, role: str) -> None:
    fifo = tmp_path / "profile.yaml"
    os.mkfifo(fifo)
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text(HEAD)
    args = {
        "clinic": ("estimate", fifo, *START),
        "plan": ("estimate", clinic, "--plan", fifo, *START),
        "check": ("check", fifo),
    }[role]
    code, _, err, took = run(*args)
    assert code == 2 and "named pipe" in err and str(fifo) in err, err
    assert took < 5


# --- hidden characters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("escaped", "code"),
    [
        ("\\e[31mred", "U+001B"),
        ("\\x1b]8;;http://example.org\\x07click", "U+001B"),
        ("tab\\there", "U+0009"),
        ("two\\nlines", "U+000A"),
        ("\\x9b31m", "U+009B"),
        ("evil\\u202Etxt.exe", "U+202E"),
        ("\\u202Aembedded", "U+202A"),
        ("\\u2066isolate\\u2069", "U+2066"),
        ("\\u2069", "U+2069"),
    ],
)
def test_control_and_bidi_characters_are_refused(tmp_path: Path, escaped: str, code: str) -> None:
    path = tmp_path / "hidden.yaml"
    path.write_text(HEAD + f'fees:\n  - name: "Intake {escaped}"\n    amount: 100\n')
    refused(path, "6:11", code, "delete it")


def test_hidden_characters_in_every_name(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text('name: "A\\u202EB"\nlocation: "\\e[2J"\n' + HEAD.split("\n", 1)[1])
    code, _, err, _ = run("check", clinic)
    assert code == 2 and f"{clinic}:1:7:" in err and f"{clinic}:2:11:" in err, err
    plan = tmp_path / "plan.yaml"
    plan.write_text('kind: plan\nname: P\nscenarios:\n  - name: "x\\u2067y"\n')
    code, _, err, _ = run("check", plan)
    assert code == 2 and f"{plan}:4:11:" in err and "U+2067" in err, err


def test_ordinary_unicode_names_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "unicode.yaml"
    path.write_text(
        'name: "Clínica Ñandú — עברית 日本語 ☺"\n' + HEAD.split("\n", 1)[1], encoding="utf-8"
    )
    code, out, err, _ = run("estimate", path, *START)
    assert code == 0 and "Clínica Ñandú — עברית 日本語 ☺" in out, err


# --- error floods ----------------------------------------------------------------------------


def test_error_flood_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "flood.yaml"
    path.write_text(HEAD + "".join(f"  key{i}: 1\n" for i in range(60_000)))
    for args in (("check", path), ("estimate", path, *START)):
        code, out, err, took = run(*args)
        assert code == 2 and out == ""
        assert err.count(": error: ") == MAX_SHOWN, err[-500:]
        assert err.rstrip().endswith(f"and {60_000 - MAX_SHOWN:,} more problems (fix these first)")
        assert len(err) < 50_000, len(err)  # was 12.7 MB
        assert took < 10, took


def test_render_all_counts_the_rest() -> None:
    problems = [Problem("f.yaml", f"problem {i}") for i in range(53)]
    lines = render_all(problems)
    assert len(lines) == MAX_SHOWN + 1
    assert lines[-1] == "… and 3 more problems (fix these first)"
    assert render_all(problems[:50]) == [p.render() for p in problems[:50]]
    assert render_all(problems[:51])[-1] == "… and 1 more problem (fix these first)"


def test_quoted_shortens_in_the_middle() -> None:
    assert quoted("short") == "'short'"
    long = quoted("a" * 1000 + "z")
    assert long.startswith("'aaaa") and "z'" in long and "1,003 characters" in long
    assert len(long) < 80


def test_a_long_source_line_is_windowed_around_the_caret() -> None:
    line = "price: " + "9" * 10_000 + " # the end"
    text = Problem("f.yaml", "bad", line=1, column=10_008, source_line=line).render()
    excerpt, caret = text.splitlines()[1:3]
    assert len(excerpt) < 140 and excerpt.endswith("# the end")
    assert caret.index("^") == excerpt.index("#") - 1  # still under the character it marks


# --- the number-size rule at its edges -------------------------------------------------------


def test_number_size_edges() -> None:
    from decimal import Decimal

    from ketacost.money import MAX_DIGITS, MAX_EXPONENT, check_size, number_size_problem

    assert (MAX_DIGITS, MAX_EXPONENT) == (30, 30)
    assert number_size_problem("9" * 30) is None
    assert "31 digits" in str(number_size_problem("9" * 31))
    assert number_size_problem("0." + "0" * 28 + "1") is None  # 30 digits
    assert "31 digits" in str(number_size_problem("0." + "0" * 29 + "1"))
    assert number_size_problem("$1,200.50") is None
    assert number_size_problem("1e30") is None and number_size_problem("1E-30") is None
    assert "exponent of 31" in str(number_size_problem("1e31"))
    assert "exponent of 31" in str(number_size_problem("1e-031"))  # zeros do not count
    assert number_size_problem("1e-0000000000030") is None
    assert "an exponent 8 digits long" in str(number_size_problem("1e-99999999"))
    assert "an exponent 4 digits long" in str(number_size_problem("1e1000"))
    assert "an exponent of 100 " in str(number_size_problem("1e-100"))
    assert "an exponent 20 digits long" in str(number_size_problem("1e" + "9" * 20))
    assert "31 digits" in str(number_size_problem("9" * 31 + "e3"))
    assert number_size_problem("9" * 30 + "e-0030") is None
    # The digits of the exponent are not digits of the number: 28 + "e30" is fine.
    assert number_size_problem("9" * 28 + "e30") is None
    assert number_size_problem("text without digits") is None
    check_size(10**29)
    check_size(-(10**29))
    for too_big in (10**30, -(10**30), Decimal("1e-61"), Decimal("1e61"), Decimal("9" * 31)):
        with pytest.raises(ValueError, match="at most 30 digits"):
            check_size(too_big)
    check_size(Decimal("1e-60"))
    check_size(Decimal("9" * 30))
    check_size(True)  # not a number here; the callers refuse booleans themselves
    check_size(Decimal("NaN"))  # not finite: refused by the callers with their own words


def test_api_refuses_a_decimal_exponent_bomb() -> None:
    from decimal import Decimal

    with pytest.raises(ValueError, match="at most 30 digits"):
        ketacost_clinic(after_weeks=Decimal("1e-99999999"))


def ketacost_clinic(**item: object) -> object:
    from ketacost import Clinic

    booster = {"kind": "booster", "every_weeks": 12, **item}
    return Clinic.model_validate(
        {"name": "X", "series": {"sessions": 2, "price": 400}, "maintenance": [booster]}
    )


def test_quoted_source_lines_cannot_act_on_the_terminal() -> None:
    line = 'name: "abc\u202edef\x1b[31m"'
    text = Problem("f.yaml", "bad", line=1, column=7, source_line=line).render()
    assert "\u202e" not in text and "\x1b" not in text
    assert "\\u202e" in text and "\\u001b" in text


# --- in a child process with a memory limit --------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="needs rlimits")
def test_bombs_stay_under_500_mb_and_a_few_seconds(tmp_path: Path) -> None:
    # Run as a user would, in a child limited to 500 MB of address space and a timeout,
    # so a regression fails the test instead of exhausting the machine.
    import resource
    import subprocess

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (500 << 20, 500 << 20))

    (tmp_path / "items.yaml").write_text(boosters(400))
    (tmp_path / "daily.yaml").write_text(boosters(15))
    (tmp_path / "exponent.yaml").write_text(
        HEAD
        + "maintenance:\n  - kind: booster\n    every_weeks: 12\n    after_weeks: 1e-99999999\n"
    )
    for name, months in (("items.yaml", "120"), ("daily.yaml", "120"), ("exponent.yaml", "12")):
        for command in (
            ["estimate", name, *START, "--months", months, "-f", "json"],
            ["check", name],
        ):
            began = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "ketacost", *command],
                capture_output=True,
                text=True,
                timeout=60,
                preexec_fn=limit,
                cwd=tmp_path,
                env={**os.environ, "NO_COLOR": "1"},
            )
            took = time.perf_counter() - began
            assert "Traceback" not in done.stderr and "internal error" not in done.stderr
            expected = 0 if (name, command[0]) == ("daily.yaml", "check") else 2
            assert done.returncode == expected, (name, command, done.stderr)
            assert took < 10, (name, command, took)
