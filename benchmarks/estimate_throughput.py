"""In-process ``ketacost.estimate()`` calls per second.

A six-session series ($750 × 2, then $600) under a two-scenario plan, the
case the performance target names. Target: at least 15,000 estimates a second.
Rates are per second of this process's CPU time, so other work on a busy
machine does not count against it; the wall-clock rate is printed beside it.

    python benchmarks/estimate_throughput.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import ketacost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to run each round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    clinic = ketacost.Clinic(
        name="Six sessions",
        series={
            "sessions": 6,
            "per_week": 2,
            "first_price": 750,
            "first_sessions": 2,
            "later_price": 600,
        },
    )
    plan = ketacost.Plan(
        name="Two scenarios",
        out_of_network={
            "deductible": 2000,
            "coinsurance": "40%",
            "allowed": "70%",
            "out_of_pocket_max": 8000,
        },
        scenarios=[
            {"name": "As written", "probability": "0.6"},
            {"name": "Denied", "covered": False, "probability": "0.4"},
        ],
    )
    start = dt.date(2027, 1, 4)
    ketacost.estimate(clinic, plan, start=start)
    rates = []
    walls = []
    for _ in range(args.rounds):
        count = 0
        began, wall = time.process_time(), time.perf_counter()
        deadline = began + args.seconds
        while time.process_time() < deadline:
            for _ in range(100):
                ketacost.estimate(clinic, plan, start=start)
            count += 100
        rates.append(count / (time.process_time() - began))
        walls.append(count / (time.perf_counter() - wall))
    print(
        f"estimates per CPU second: best {max(rates):,.0f}, rounds "
        + ", ".join(f"{r:,.0f}" for r in rates)
        + f" (target >= 15,000); per wall-clock second: best {max(walls):,.0f}"
    )


if __name__ == "__main__":
    main()
