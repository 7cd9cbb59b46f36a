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


FLOOR = "a Typer command with estimate's options that does nothing"
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


def option_count() -> int:
    """Return how many parameters ``ketacost estimate`` takes."""
    import inspect

    from ketacost.cli.estimate import estimate_command

    return len(inspect.signature(estimate_command).parameters)


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
        floor_app = f"{folder}/floor.py"
        with open(floor_app, "w") as stream:
            stream.write(FLOOR_APP.replace("COUNT", str(option_count())))
        commands[FLOOR] = [sys.executable, floor_app, "run", "--o1", "x"]
        times[FLOOR] = []
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
    floor = medians[FLOOR] / baseline
    print(f"ratio of a do-nothing Typer command with as many options / baseline: {floor:.2f}")


if __name__ == "__main__":
    main()
