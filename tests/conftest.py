"""Shared fixtures: write a YAML profile to a temporary file; run the CLI in-process."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner


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
