"""Wall time and peak memory of ``ketacost sweep`` as a whole command, start-up included.

Two measurements, each in a fresh process:

- a 10,000-point grid (100 later-session prices × 100 allowed shares) on the
  bundled six-session clinic under a two-scenario plan, ``--format csv``.
  Target: at most 1.5 s wall.
- a 200,000-point grid (400 prices × 500 allowed amounts), ``--format csv``:
  rows stream to the output, so peak memory stays flat. Target: under 100 MB RSS.

Peak RSS and CPU time are the child's own (``os.wait4``). The 10,000-point grid
is also swept in this process through ``ketacost.sweep``, so the CPU time of the
sweep itself is printed beside the command's (target: at most 0.8 s CPU), the best of
``--rounds`` fresh processes, so no run finds what an earlier one worked out. The
machine may be shared: each case runs ``--rounds`` times and the best is reported,
with the load average beside it.

    python benchmarks/sweep.py [--rounds 3] [--skip-large]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLAN = """\
kind: plan
name: Two scenarios
out_of_network:
  deductible: 2000
  coinsurance: 40%
  out_of_pocket_max: 8000
  allowed: 70%
scenarios:
  - name: As written
    probability: 0.6
  - name: Denied
    covered: false
    probability: 0.4
"""
CASES = {
    "10,000 points": [
        "--vary",
        "series.later_price=400..895:5",
        "--vary",
        "plan.out_of_network.allowed=1%..100%:1%",
    ],
    "200,000 points": [
        "--vary",
        "series.later_price=400..799:1",
        "--vary",
        "plan.out_of_network.allowed=$1..$500:$1",
    ],
}


def run(plan: Path, grid: list[str]) -> tuple[float, float, int, float]:
    """Return (wall s, peak RSS MB, CSV lines, CPU s) of one sweep in a fresh process."""
    command = [
        sys.executable,
        "-m",
        "ketacost",
        "sweep",
        "los-angeles-iv",
        "--plan",
        str(plan),
        "--start",
        "2027-01-04",
        "--format",
        "csv",
        *grid,
    ]
    with tempfile.TemporaryFile() as sink:
        began = time.perf_counter()
        child = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"sweep failed with exit {child.returncode}: {' '.join(command)}")
        sink.seek(0)
        lines = sum(1 for _ in sink)
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return wall, usage.ru_maxrss * scale / 1e6, lines, usage.ru_utime + usage.ru_stime


def in_process(plan: Path) -> tuple[float, int]:
    """Return the CPU seconds of the 10,000-point grid swept through the API, and its rows."""
    import datetime as dt
    from decimal import Decimal

    import ketacost

    clinic = ketacost.load_clinic("los-angeles-iv")
    insurance = ketacost.load_plan(plan)
    vary = {
        "series.later_price": [Decimal(400 + 5 * i) for i in range(100)],
        "plan.out_of_network.allowed": [f"{i}%" for i in range(1, 101)],
    }
    began = time.process_time()
    rows = sum(1 for _ in ketacost.sweep(clinic, insurance, vary, start=dt.date(2027, 1, 4)))
    return time.process_time() - began, rows


def in_child(plan: Path) -> tuple[float, int]:
    """Return ``in_process``'s CPU seconds and rows, measured in a fresh process."""
    done = subprocess.run(
        [sys.executable, __file__, "--in-process", str(plan)],
        capture_output=True,
        text=True,
        check=True,
    )
    cpu, rows = done.stdout.split()
    return float(cpu), int(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in-process", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=3, help="runs per case; the best counts")
    parser.add_argument("--skip-large", action="store_true", help="only the 10,000-point grid")
    args = parser.parse_args()
    if args.in_process:
        cpu, rows = in_process(args.in_process)
        print(cpu, rows)
        return
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "two-scenarios.yaml"
        plan.write_text(PLAN, encoding="utf-8")
        # each in a fresh process: a second run in one would find the first one's answers
        swept = [in_child(plan) for _ in range(args.rounds)]
        cpu, rows = min(swept)
        print(
            f"10,000 points through ketacost.sweep: best {cpu:.2f} s CPU"
            f" (runs: {', '.join(f'{c:.2f}' for c, _ in swept)}), {rows:,} rows (target <= 0.8 s)"
        )
        for name, grid in CASES.items():
            if args.skip_large and name != "10,000 points":
                continue
            runs = [run(plan, grid) for _ in range(args.rounds)]
            walls = sorted(r[0] for r in runs)
            rss = min(r[1] for r in runs)
            cpu = min(r[3] for r in runs)
            load = os.getloadavg()[0]
            print(
                f"{name}: best {walls[0]:.2f} s wall (runs: {', '.join(f'{w:.2f}' for w in walls)}),"
                f" {cpu:.2f} s CPU, peak RSS {rss:.1f} MB, {runs[0][2] - 1:,} rows, load average {load:.2f}"
            )


if __name__ == "__main__":
    main()
