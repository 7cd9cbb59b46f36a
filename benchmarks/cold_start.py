"""Cold start: ``ketacost estimate --format json`` against importing its stack.

Runs, alternately and in fresh processes, ``python -c "import typer, rich,
pydantic, yaml"`` (the floor any Typer/pydantic CLI pays) and ``python -m
ketacost estimate --format json`` on the bundled default, and prints the median
wall times and their ratio. Target: ratio at most 1.3.

    python benchmarks/cold_start.py [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time

BASELINE = [sys.executable, "-c", "import typer, rich, pydantic, yaml"]
ESTIMATE = [
    sys.executable,
    "-m",
    "ketacost",
    "estimate",
    "--format",
    "json",
    "--start",
    "2027-01-04",
]
EXTRA_FLOORS = {
    "+ from pydantic import BaseModel": [
        sys.executable,
        "-c",
        "import typer, rich, yaml; from pydantic import BaseModel",
    ],
}


def timed(command: list[str], folder: str) -> float:
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=folder)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    commands = {
        "baseline (import typer, rich, pydantic, yaml)": BASELINE,
        **EXTRA_FLOORS,
        "ketacost estimate --format json": ESTIMATE,
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as folder:
        for command in commands.values():
            timed(command, folder)  # warm the disk cache and the bytecode
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command, folder))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        print(f"{value * 1000:7.1f} ms  median of {args.runs}  {name}")
    baseline = medians["baseline (import typer, rich, pydantic, yaml)"]
    ratio = medians["ketacost estimate --format json"] / baseline
    print(f"ratio estimate / baseline: {ratio:.2f} (target <= 1.30)")


if __name__ == "__main__":
    main()
