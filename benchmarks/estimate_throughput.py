"""In-process ``ketacost.estimate()`` calls per second.

A six-session series ($750 × 2, then $600) under a two-scenario plan, the
case the performance target names. Target: at least 15,000 estimates a second.
Rates are per second of this process's CPU time, so other work on a busy
machine does not count against it; the wall-clock rate is printed beside it.

Reused models: every call estimates the same clinic and plan objects, as a
script that loads its profiles once and varies the start or the terms does; the
estimate reuses what it made of those objects before. With ``--fresh``, fresh
models are measured too, in alternating rounds: every call gets a clinic and a
plan of its own, validated from the same data while the clocks are stopped, as
a script that builds its models anew each time does, so nothing is reused.

    python benchmarks/estimate_throughput.py [--seconds 3] [--rounds 3] [--fresh]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import ketacost

CLINIC: dict[str, Any] = {
    "name": "Six sessions",
    "series": {
        "sessions": 6,
        "per_week": 2,
        "first_price": 750,
        "first_sessions": 2,
        "later_price": 600,
    },
}
PLAN: dict[str, Any] = {
    "name": "Two scenarios",
    "out_of_network": {
        "deductible": 2000,
        "coinsurance": "40%",
        "allowed": "70%",
        "out_of_pocket_max": 8000,
    },
    "scenarios": [
        {"name": "As written", "probability": "0.6"},
        {"name": "Denied", "covered": False, "probability": "0.4"},
    ],
}
START = dt.date(2027, 1, 4)
BATCH = 100  # estimates between looks at the clock; fresh models are made a batch at a time


def models() -> tuple[ketacost.Clinic, ketacost.Plan]:
    """Return a new clinic and plan, validated from the benchmark's data."""
    return ketacost.Clinic.model_validate(CLINIC), ketacost.Plan.model_validate(PLAN)


def rate(seconds: float, fresh: bool) -> tuple[float, float]:
    """Return estimates per CPU second and per wall-clock second over one round.

    Only the estimates are timed: fresh models for the next batch are made with
    the clocks stopped.
    """
    reused = [models()] * BATCH
    count = 0
    cpu = wall = 0.0
    while cpu < seconds:
        pairs = [models() for _ in range(BATCH)] if fresh else reused
        began, began_wall = time.process_time(), time.perf_counter()
        for clinic, plan in pairs:
            ketacost.estimate(clinic, plan, start=START)
        cpu += time.process_time() - began
        wall += time.perf_counter() - began_wall
        count += BATCH
    return count / cpu, count / wall


def report(name: str, rounds: list[tuple[float, float]]) -> str:
    cpu = [r for r, _ in rounds]
    return (
        f"{name}: estimates per CPU second: best {max(cpu):,.0f}, rounds "
        + ", ".join(f"{r:,.0f}" for r in cpu)
        + f" (target >= 15,000); per wall-clock second: best {max(w for _, w in rounds):,.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="CPU time of each round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--fresh", action="store_true", help="also measure a new clinic and plan for every call"
    )
    args = parser.parse_args()
    kinds: dict[str, Callable[[], tuple[float, float]]] = {
        "reused models": lambda: rate(args.seconds, fresh=False)
    }
    if args.fresh:
        kinds["fresh models"] = lambda: rate(args.seconds, fresh=True)
    ketacost.estimate(*models(), start=START)  # imports and first-use work, untimed
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in kinds}
    for _ in range(args.rounds):
        for name, measure in kinds.items():  # alternating, so machine load falls on both
            results[name].append(measure())
    for name, rounds in results.items():
        print(report(name, rounds))


if __name__ == "__main__":
    main()
