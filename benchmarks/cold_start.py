"""Cold start: ``ketacost`` against a do-nothing Typer command declaring the same options.

Typer converts every declared option through pydantic when a command runs, so
the floor any Typer CLI pays is a Typer app whose command declares the options
of ``ketacost estimate`` (same names and types, generated from its signature)
and does nothing. This script runs, in fresh
processes and alternating so machine load falls on all alike:

- ``ketacost estimate --format json`` on the bundled default, against the floor
  running its command (target: at most 1.3 ×);
- ``ketacost --help`` against the floor's ``--help`` (target: at most 1.2 ×).

The measure is each process's CPU time (user + system), which other work on a
busy machine disturbs far less than wall time; the wall-time ratio is printed
beside it. Bytecode caching is switched on for these runs (``PYTHONDONTWRITEBYTECODE`` is
removed from their environment) and every command runs once before timing, so
neither side pays for compiling its source.

``ketacost`` freezes what is alive when it exits (``gc.freeze`` from atexit), so
the interpreter's last garbage collections skip it; the floor exits as any Typer
app does. ``--floor-freezes`` gives the floor the same exit, so that the ratio
counts only what ``ketacost`` itself adds: its imports, models and estimate.

    python benchmarks/cold_start.py [--runs 20] [--floor-freezes]
"""

from __future__ import annotations

import argparse
import inspect
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

FLOOR_APP = """\
import enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

EXIT
app = typer.Typer()
CHOICES


@app.command()
def run(PARAMETERS) -> None:
    print("{}")


@app.command()
def other() -> None:
    pass


app()
"""
KETACOST = [sys.executable, "-m", "ketacost"]


def floor_source(freezes: bool = False) -> str:
    """Return the floor app: ``run`` declares estimate's parameters and does nothing.

    ``freezes``: the app exits as ``ketacost`` does, its objects frozen at exit.
    """
    import enum
    import typing
    from pathlib import Path

    from ketacost.cli import command_function

    choices = []
    parameters = []
    for name, parameter in inspect.signature(command_function("estimate")).parameters.items():
        kind, info = typing.get_args(parameter.annotation)[:2]
        optional = type(None) in typing.get_args(kind)
        (bare,) = [t for t in typing.get_args(kind) if t is not type(None)] or [kind]
        if isinstance(bare, type) and issubclass(bare, enum.Enum):
            values = ", ".join(f"{m.name!r}: {m.value!r}" for m in bare)
            choices.append(f"{bare.__name__} = enum.Enum({bare.__name__!r}, {{{values}}})")
            text = bare.__name__
        elif bare is Path:
            text = "Path"
        elif typing.get_origin(bare) is list:
            text = "List[str]"
        else:
            text = bare.__name__
        text = f"Optional[{text}]" if optional else text
        if type(info).__name__ == "ArgumentInfo":
            declared = "typer.Argument()"
        else:
            flags = [f"--{name.rstrip('_').replace('_', '-')}", *(info.param_decls or ())]
            declared = "typer.Option(" + ", ".join(repr(flag) for flag in flags) + ")"
        default = parameter.default
        shown = repr(default.name if isinstance(default, enum.Enum) else default)
        parameters.append(f"{name}: Annotated[{text}, {declared}] = {shown}")
    exit_line = "import atexit, gc\natexit.register(gc.freeze)\n" if freezes else ""
    return (
        FLOOR_APP.replace("EXIT\n", exit_line)
        .replace("CHOICES", "\n".join(choices))
        .replace("PARAMETERS", ", ".join(parameters))
    )


def timed(command: list[str], folder: str, env: dict[str, str]) -> tuple[float, float]:
    """Return the wall time and the CPU time (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=folder, env=env)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--floor-freezes",
        action="store_true",
        help="the floor app, too, leaves what is alive at exit out of the last collections",
    )
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as folder:
        floor_app = os.path.join(folder, "floor.py")
        with open(floor_app, "w", encoding="utf-8") as stream:
            stream.write(floor_source(args.floor_freezes))
        floor = [sys.executable, floor_app]
        pairs = {
            "estimate --format json": (
                [*KETACOST, "estimate", "--format", "json", "--start", "2027-01-04"],
                [*floor, "run", "--format", "json", "--start", "2027-01-04"],
                1.3,
            ),
            "--help": ([*KETACOST, "--help"], [*floor, "--help"], 1.2),
        }
        times: dict[str, list[tuple[float, float]]] = {}
        for name, (ours, theirs, _) in pairs.items():
            for label, command in ((name, ours), (f"floor {name}", theirs)):
                timed(command, folder, env)  # warm the disk cache and write the bytecode
                times[label] = []
        for _ in range(args.runs):
            for name, (ours, theirs, _) in pairs.items():
                times[name].append(timed(ours, folder, env))
                times[f"floor {name}"].append(timed(theirs, folder, env))
    print(
        f"median of {args.runs} runs each, alternating; load average {os.getloadavg()[0]:.1f};"
        " CPU time (user + system) is the measure, wall time beside it"
        + ("; the floor, too, frozen at exit" if args.floor_freezes else "")
    )
    for name, (_, _, target) in pairs.items():
        ours, theirs = times[name], times[f"floor {name}"]
        cpu = statistics.median(c for _, c in ours), statistics.median(c for _, c in theirs)
        wall = statistics.median(w for w, _ in ours), statistics.median(w for w, _ in theirs)
        ratio = cpu[0] / cpu[1]
        print(
            f"  ketacost {name:<24} CPU {cpu[0] * 1000:6.1f} ms  floor {cpu[1] * 1000:6.1f} ms"
            f"  ratio {ratio:.2f} (target <= {target}: {'ok' if ratio <= target else 'over'})"
            f"   wall {wall[0] * 1000:6.1f} / {wall[1] * 1000:6.1f} ms = {wall[0] / wall[1]:.2f}"
        )


if __name__ == "__main__":
    main()
