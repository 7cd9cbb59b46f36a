"""Cold start: ``ketacost`` against a do-nothing Typer command declaring the same options.

Typer converts every declared option through pydantic when a command runs, so
the floor any Typer CLI pays is a Typer app whose command declares as many
options as ``ketacost estimate`` and does nothing. This script runs, in fresh
processes and alternating so machine load falls on all alike:

- ``ketacost estimate --format json`` on the bundled default, against the floor
  running its command (target: at most 1.3 ×);
- ``ketacost --help`` against the floor's ``--help`` (target: at most 1.2 ×).

Bytecode caching is switched on for these runs (``PYTHONDONTWRITEBYTECODE`` is
removed from their environment) and every command runs once before timing, so
neither side pays for compiling its source.

    python benchmarks/cold_start.py [--runs 20]
"""

from __future__ import annotations

import argparse
import inspect
import os
import statistics
import subprocess
import sys
import tempfile
import time

FLOOR_APP = """\
import typer
from typing import Annotated, Optional

app = typer.Typer()
names = [f"o{i}" for i in range(COUNT)]
options = ", ".join(f"{n}: Annotated[Optional[str], typer.Option('--{n}')] = None" for n in names)
namespace = {"typer": typer, "Annotated": Annotated, "Optional": Optional}
exec("def run(" + options + "):\\n    print('{}')", namespace)
app.command()(namespace["run"])
app.command("other")(lambda: None)
app()
"""
KETACOST = [sys.executable, "-m", "ketacost"]


def option_count() -> int:
    """Return how many parameters ``ketacost estimate`` takes."""
    from ketacost.cli import command_function

    return len(inspect.signature(command_function("estimate")).parameters)


def timed(command: list[str], folder: str, env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=folder, env=env)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as folder:
        floor_app = os.path.join(folder, "floor.py")
        with open(floor_app, "w", encoding="utf-8") as stream:
            stream.write(FLOOR_APP.replace("COUNT", str(option_count())))
        floor = [sys.executable, floor_app]
        pairs = {
            "estimate --format json": (
                [*KETACOST, "estimate", "--format", "json", "--start", "2027-01-04"],
                [*floor, "run", "--o1", "x"],
                1.3,
            ),
            "--help": ([*KETACOST, "--help"], [*floor, "--help"], 1.2),
        }
        times: dict[str, list[float]] = {}
        for name, (ours, theirs, _) in pairs.items():
            for label, command in ((name, ours), (f"floor {name}", theirs)):
                timed(command, folder, env)  # warm the disk cache and write the bytecode
                times[label] = []
        for _ in range(args.runs):
            for name, (ours, theirs, _) in pairs.items():
                times[name].append(timed(ours, folder, env))
                times[f"floor {name}"].append(timed(theirs, folder, env))
    print(f"median of {args.runs} runs each, alternating; load average {os.getloadavg()[0]:.1f}")
    for name, (_, _, target) in pairs.items():
        ours, theirs = statistics.median(times[name]), statistics.median(times[f"floor {name}"])
        verdict = "ok" if ours / theirs <= target else "over"
        print(
            f"  ketacost {name:<24} {ours * 1000:6.1f} ms   floor {theirs * 1000:6.1f} ms"
            f"   ratio {ours / theirs:.2f} (target <= {target}: {verdict})"
        )


if __name__ == "__main__":
    main()
