"""Shared test helpers: YAML profiles in temporary files, the CLI in-process, exact cents.

Hypothesis properties and fuzzers are marked ``slow`` here (and the mypy runs in
their own files), so ``pytest -m "not slow"`` is a quick run; plain ``pytest``
(as CI runs it) runs everything.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

# A person file that states nothing: every test reads it instead of whatever
# ketacost.yaml the machine running the tests has, so none can change their figures.
NO_SITUATION = Path(__file__).parent / "fixtures" / "person" / "states-nothing.yaml"


@pytest.fixture(autouse=True)
def no_stray_person_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point ``$KETACOST_CONFIG`` at a person file that states nothing, for every test."""
    monkeypatch.setenv("KETACOST_CONFIG", str(NO_SITUATION))


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[..., Path]:
    """Return ``write(text, name="clinic.yaml") -> Path``: dedent ``text`` into ``tmp_path/name``."""

    def write(text: str, name: str = "clinic.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def runner() -> CliRunner:
    """Return a Typer CliRunner (stdout and stderr are captured separately)."""
    return CliRunner()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every Hypothesis test ``slow``: each runs dozens to hundreds of examples."""
    for item in items:
        function = getattr(item, "function", None)
        if getattr(function, "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)


def cents(amount: Decimal) -> Decimal:
    """Return ``amount`` rounded half-up to cents, as a hand calculation would."""
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def assert_input_error(result: Any) -> None:
    """Exit 2, a message on stderr, nothing on stdout, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.strip() != ""
    assert "Traceback" not in result.stderr


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def example_ledger() -> Callable[..., Path]:
    """Return ``write(folder, *entries) -> Path``: examples/ledger.yaml and its plans copied
    into ``folder``, with ``entries`` (YAML lines of the entries list) added at its end."""

    def write(folder: Path, *entries: str) -> Path:
        shutil.copytree(EXAMPLES / "plans", folder / "plans")
        text = (EXAMPLES / "ledger.yaml").read_text(encoding="utf-8")
        path = folder / "ledger.yaml"
        path.write_text(text + "".join(entries), encoding="utf-8")
        return path

    return write


def complete(runner: CliRunner, words: str) -> list[str]:
    """Return what bash completion offers after ``words`` (the last one being typed)."""
    import shlex

    from ketacost.cli import app

    parts = shlex.split(words) + ([""] if words.endswith(" ") else [])
    result = runner.invoke(
        app,
        [],
        env={
            "_KETACOST_COMPLETE": "complete_bash",
            "COMP_WORDS": " ".join(parts),
            "COMP_CWORD": str(len(parts) - 1),
        },
        prog_name="ketacost",
    )
    return [line for line in result.stdout.splitlines() if line]
