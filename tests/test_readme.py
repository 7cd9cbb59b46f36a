"""The README's example output is what the commands print today (tools/readme.py)."""

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


def test_readme_output_matches_the_commands() -> None:
    tool = _tool()
    current = tool.README.read_text(encoding="utf-8")
    assert current.count("<!-- tools/readme.py") >= 5
    wanted = tool.regenerate(current)
    assert wanted == current, "README.md output is out of date: run python tools/readme.py"


def test_drift_is_caught() -> None:
    tool = _tool()
    current = tool.README.read_text(encoding="utf-8")
    stale = current.replace("$6,300.00", "$6,299.00", 1)
    assert stale != current
    assert tool.regenerate(stale) == current


def test_excerpt_runs_from_start_to_stop() -> None:
    tool = _tool()
    output = "A\n\nB\nb1\n\nC\nc1\n"
    assert tool.excerpt(output, [("B", "C")]) == ["...", "B", "b1", "..."]
    assert tool.excerpt(output, [("A", ""), ("C", None)]) == ["...", "A", "...", "C", "c1"]
    assert tool.excerpt(output, []) == ["A", "", "B", "b1", "", "C", "c1"]
    with pytest.raises(SystemExit):
        tool.excerpt(output, [("Z", None)])
