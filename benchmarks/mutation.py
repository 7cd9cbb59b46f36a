"""Mutation score: do the tests notice when the arithmetic is changed?

Each mutant changes one thing in one module (an operator, a comparison, a
constant, min/max, floor/ceil, and/or, a boolean) and runs the given test files
against it, stopping at the first failure. A mutant that no test notices
"survives": either a test is missing, or the change makes no difference (an
equivalent mutant, to be judged by reading it). Dependency-free: the standard
library's ``ast`` only.

    python benchmarks/mutation.py ketacost/engine/schedule.py \\
        tests/test_schedule.py tests/test_schedule_rules.py --timeout 60

``-m "not slow"`` passes pytest a marker expression (the subprocess and
property tests are marked slow); ``--only 3 7`` reruns chosen mutants.

The repository is copied to a temporary folder first, so the checkout is never
touched; mutants run one at a time (the machine is shared).
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BINARY_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv,
}
COMPARE_SWAPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
NAME_SWAPS = {"min": "max", "max": "min", "floor": "ceil", "ceil": "floor"}


@dataclass(frozen=True)
class Mutant:
    """One change: where it is and what it does, e.g. ``line 92: < → <=``."""

    index: int
    line: int
    description: str


def _is_docstring(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents.get(node)
    return isinstance(parent, ast.Expr) and isinstance(node, ast.Constant)


def _sites(tree: ast.Module) -> Iterator[tuple[ast.AST, str, str]]:
    """Yield every node that can be mutated, with what it is and what it becomes."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in BINARY_SWAPS:
            yield node, "op", f"{_op(node.op)} → {_op(BINARY_SWAPS[type(node.op)]())}"
        elif isinstance(node, ast.Compare):
            for position, operator in enumerate(node.ops):
                if type(operator) in COMPARE_SWAPS:
                    after = COMPARE_SWAPS[type(operator)]()
                    yield node, f"cmp{position}", f"{_op(operator)} → {_op(after)}"
        elif isinstance(node, ast.BoolOp):
            yield node, "bool", "and → or" if isinstance(node.op, ast.And) else "or → and"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "not", "not x → x"
        elif isinstance(node, ast.Constant) and not _is_docstring(node, parents):
            value = node.value
            if isinstance(value, bool):
                yield node, "const", f"{value} → {not value}"
            elif isinstance(value, int):
                yield node, "const", f"{value} → {value + 1}"
                if value != 0:
                    yield node, "const-", f"{value} → {value - 1}"
        elif isinstance(node, ast.Name) and node.id in NAME_SWAPS:
            yield node, "name", f"{node.id} → {NAME_SWAPS[node.id]}"
        elif isinstance(node, ast.Attribute) and node.attr in NAME_SWAPS:
            yield node, "attr", f".{node.attr} → .{NAME_SWAPS[node.attr]}"


def _op(operator: ast.AST) -> str:
    return {
        ast.Add: "+",
        ast.Sub: "-",
        ast.Mult: "*",
        ast.Div: "/",
        ast.FloorDiv: "//",
        ast.Mod: "%",
        ast.Lt: "<",
        ast.LtE: "<=",
        ast.Gt: ">",
        ast.GtE: ">=",
        ast.Eq: "==",
        ast.NotEq: "!=",
        ast.In: "in",
        ast.NotIn: "not in",
        ast.Is: "is",
        ast.IsNot: "is not",
    }[type(operator)]


def _apply(node: ast.AST, kind: str) -> ast.AST | None:
    """Change ``node`` in place; return a replacement node when it must be swapped out."""
    if kind == "op":
        assert isinstance(node, (ast.BinOp, ast.AugAssign))
        node.op = BINARY_SWAPS[type(node.op)]()
    elif kind.startswith("cmp"):
        assert isinstance(node, ast.Compare)
        position = int(kind[3:])
        node.ops[position] = COMPARE_SWAPS[type(node.ops[position])]()
    elif kind == "bool":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == "not":
        assert isinstance(node, ast.UnaryOp)
        return node.operand
    elif kind in ("const", "const-"):
        assert isinstance(node, ast.Constant)
        if isinstance(node.value, bool):
            node.value = not node.value
        else:
            node.value = node.value + (1 if kind == "const" else -1)
    elif kind == "name":
        assert isinstance(node, ast.Name)
        node.id = NAME_SWAPS[node.id]
    elif kind == "attr":
        assert isinstance(node, ast.Attribute)
        node.attr = NAME_SWAPS[node.attr]
    return None


class _Replace(ast.NodeTransformer):
    def __init__(self, target: ast.AST, replacement: ast.AST) -> None:
        self.target, self.replacement = target, replacement

    def visit(self, node: ast.AST) -> ast.AST:
        if node is self.target:
            return self.replacement
        return super().visit(node)


def mutants(source: str) -> list[tuple[Mutant, str]]:
    """Return every mutant of ``source`` with its full mutated text."""
    tree = ast.parse(source)
    found = list(_sites(tree))
    result = []
    for index, (node, kind, description) in enumerate(found):
        mutated = copy.deepcopy(tree)
        target = list(_sites(mutated))[index][0]
        replacement = _apply(target, kind)
        if replacement is not None:
            mutated = _Replace(target, replacement).visit(mutated)
        line = getattr(node, "lineno", 0)
        result.append((Mutant(index, line, description), ast.unparse(mutated)))
    return result


def _copy_repository(into: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".venv", ".git", ".hypothesis")
    for name in ("ketacost", "tests", "pricing", "schema", "examples", "docs", "tools"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, into / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, into / name)


def _run_tests(work: Path, tests: list[str], timeout: float, marks: str | None = None) -> str:
    """Return "passed", "failed" or "timeout" for the tests against the copy in ``work``."""
    env = {**os.environ, "PYTHONPATH": str(work), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    if marks is not None:
        command += ["-m", marks]
    try:
        done = subprocess.run(
            command, cwd=work, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return "timeout"
    return "passed" if done.returncode == 0 else "failed"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", help="the module to mutate, e.g. ketacost/money.py")
    parser.add_argument("tests", nargs="+", help="test files to run against each mutant")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per mutant")
    parser.add_argument("--only", type=int, nargs="*", help="run only these mutant numbers")
    parser.add_argument("-m", dest="marks", help='a pytest marker expression, e.g. "not slow"')
    arguments = parser.parse_args()

    module = Path(arguments.module)
    source = (ROOT / module).read_text(encoding="utf-8")
    every = mutants(source)
    chosen = [m for m in every if arguments.only is None or m[0].index in arguments.only]
    with tempfile.TemporaryDirectory(prefix="mutation-") as folder:
        work = Path(folder)
        _copy_repository(work)
        target = work / module
        target.write_text(ast.unparse(ast.parse(source)), encoding="utf-8")
        if _run_tests(work, arguments.tests, arguments.timeout * 3, arguments.marks) != "passed":
            print("the tests fail without any mutant: fix them first", file=sys.stderr)
            return 2
        survivors = []
        killed = 0
        began = time.perf_counter()
        for mutant, text in chosen:
            target.write_text(text, encoding="utf-8")
            outcome = _run_tests(work, arguments.tests, arguments.timeout, arguments.marks)
            if outcome == "passed":
                survivors.append(mutant)
            else:
                killed += 1
            print(f"  #{mutant.index:<3} line {mutant.line:<4} {mutant.description:<22} {outcome}")
        target.write_text(source, encoding="utf-8")
    total = len(chosen)
    took = time.perf_counter() - began
    print(
        f"\n{module}: {killed} of {total} mutants killed ({killed / max(total, 1):.0%}), {took:.0f} s"
    )
    for mutant in survivors:
        print(f"survived: #{mutant.index} line {mutant.line}: {mutant.description}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
