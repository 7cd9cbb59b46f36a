"""The engine speaks no command line: no imports of the CLI or presentation, no flag names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parent.parent / "ketacost" / "engine"
MODEL = ENGINE.parent / "model"
FORBIDDEN = ("ketacost.cli", "ketacost.report", "typer", "rich", "click")


def engine_modules() -> list[Path]:
    return sorted(ENGINE.glob("*.py"))


def imported(path: Path) -> set[str]:
    """Return every module ``path`` imports, relative imports made absolute."""
    package = "ketacost.engine"
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_there_are_engine_modules_to_check() -> None:
    assert len(engine_modules()) >= 8


@pytest.mark.parametrize("path", engine_modules(), ids=lambda p: p.name)
def test_engine_imports_neither_cli_nor_report(path: Path) -> None:
    bad = sorted(
        name
        for name in imported(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    )
    assert bad == [], f"{path.name} imports {bad}"


def test_the_import_check_can_fail(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from ..report.layout import money\nimport rich.console\n")
    assert {"ketacost.report.layout", "rich.console"} <= imported(module)


@pytest.mark.parametrize(
    "path", [*engine_modules(), *sorted(MODEL.glob("*.py"))], ids=lambda p: p.name
)
def test_engine_and_model_strings_name_no_flag(path: Path) -> None:
    """What the engine raises comes from it or from the models it validates with."""
    flags = [
        node.value
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and any(word.startswith("--") and word[2:3].isalpha() for word in node.value.split())
    ]
    assert flags == [], f"{path.name} names command-line flags: {flags}"
