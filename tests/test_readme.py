"""The example output in README.md and docs/ is what the commands print today (tools/readme.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("readme_tool", ROOT / "tools" / "readme.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _generated_files() -> list[Path]:
    return _tool().files()  # type: ignore[no-any-return]


def test_the_readme_and_the_docs_are_generated() -> None:
    names = [path.relative_to(ROOT).as_posix() for path in _generated_files()]
    assert names[0] == "README.md"
    assert "docs/commands.md" in names and "docs/adjudication.md" in names


@pytest.mark.parametrize("path", _generated_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_example_output_matches_the_commands(path: Path) -> None:
    tool = _tool()
    current = path.read_text(encoding="utf-8")
    wanted = tool.regenerate(current, path.name)
    assert wanted == current, f"{path.name}: example output is out of date: run tools/readme.py"


def test_every_console_block_of_the_readme_is_generated() -> None:
    # A console block on the front page shows what a command prints; only the tool writes that.
    # (A page in docs/ may also show a plain example; a marked one is checked like these.)
    for path in [ROOT / "README.md"]:
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if line == "```console":
                assert lines[number - 1].startswith("<!-- tools/readme.py"), (
                    f"{path.name}:{number + 1}: a console block without the tools/readme.py mark"
                )


def test_the_readme_shows_the_help_and_a_worked_estimate() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "<!-- tools/readme.py -->\n```console\n$ ketacost --help\n" in readme
    assert "Usage: ketacost [OPTIONS] COMMAND [ARGS]..." in readme
    # The worked example: 750 × 2 + 600 × 4 = 3,900 for the series, plus 4 boosters × 600.
    assert f"${750 * 2 + 600 * 4 + 4 * 600:,}.00" in readme
    assert len(readme.splitlines()) < 400


def test_the_readme_keeps_the_install_and_test_command_ci_runs() -> None:
    command = (
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    )
    assert command in (ROOT / "README.md").read_text(encoding="utf-8")
    # CI runs the same command, pip told to be quiet.
    ci = (
        (ROOT / ".ci" / "run")
        .read_text(encoding="utf-8")
        .replace("pip install -q ", "pip install ")
    )
    assert command in ci


def test_drift_is_caught() -> None:
    tool = _tool()
    current = tool.README.read_text(encoding="utf-8")
    stale = current.replace("$6,300.00", "$6,299.00", 1)
    assert stale != current
    assert tool.regenerate(stale) == current


def test_a_block_of_several_commands_shows_each_output_after_its_command() -> None:
    tool = _tool()
    text = (
        "<!-- tools/readme.py exit 2 -->\n```console\n"
        "$ ketacost estimate --months 0\nstale\n"
        "$ ketacost estimate --allowed 70\n```\n"
    )
    lines = tool.regenerate(text).splitlines()
    first, second = (
        lines.index("$ ketacost estimate --months 0"),
        lines.index("$ ketacost estimate --allowed 70"),
    )
    assert first < second
    assert "stale" not in lines
    assert any("--months" in line and "error" in line for line in lines[first + 1 : second])
    assert any("70 is ambiguous" in line for line in lines[second + 1 :])


def test_an_unexpected_exit_code_stops_the_tool() -> None:
    tool = _tool()
    # The mark says nothing of exit 2, so an error example must not pass for output.
    with pytest.raises(SystemExit, match="exited 2"):
        tool.regenerate(
            "<!-- tools/readme.py -->\n```console\n$ ketacost estimate --allowed 70\n```\n"
        )
    # And an example said to fail must fail.
    with pytest.raises(SystemExit, match="exited 0"):
        tool.regenerate("<!-- tools/readme.py exit 2 -->\n```console\n$ ketacost catalog\n```\n")


def test_trailing_spaces_are_not_written() -> None:
    tool = _tool()
    assert tool.excerpt("a  \n  \nb\n", []) == ["a", "", "b"]


def test_excerpt_runs_from_start_to_stop() -> None:
    tool = _tool()
    output = "A\n\nB\nb1\n\nC\nc1\n"
    assert tool.excerpt(output, [("B", "C")]) == ["...", "B", "b1", "..."]
    assert tool.excerpt(output, [("A", ""), ("C", None)]) == ["...", "A", "...", "C", "c1"]
    assert tool.excerpt(output, []) == ["A", "", "B", "b1", "", "C", "c1"]
    with pytest.raises(SystemExit):
        tool.excerpt(output, [("Z", None)])
