"""In-process ``ketacost.estimate()`` calls per CPU second, against another install of ketacost.

A six-session series ($750 × 2, then $600) under a two-scenario plan. Every
call estimates a plan unlike the last 2,000 (the deductible runs from $1,000 to
$2,999 a dollar at a time), so every scenario is worked out anew: the figures
measure work, not the kernel's memory of earlier answers.

- reused models: one clinic object and a pool of plan objects, validated once,
  as a script that loads its profiles once and tries plans or terms does;
- fresh models: every call gets a clinic and a plan of its own, validated from
  the same data while the clocks are stopped, equal to earlier ones but new.

Rates are per second of the measuring process's CPU time, so other work on a
busy machine does not count against them. With ``--baseline PYTHON`` (the
interpreter of a second install, e.g. one made from ``git archive`` of an older
commit into /tmp), the same measurement runs there too, in alternating rounds,
and the ratio of the best rates is printed: targets 3× (reused) and 2.4× (fresh).

    python benchmarks/estimate_throughput.py [--seconds 2] [--rounds 3] [--baseline PYTHON]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from typing import Any

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
PLANS = 2_000  # distinct plans, more than the kernel remembers
START = dt.date(2027, 1, 4)
BATCH = 100  # estimates between looks at the clock; fresh models are made a batch at a time
KINDS = ("reused", "fresh")
TARGETS = {"reused": 3.0, "fresh": 2.4}


def plan_data(number: int) -> dict[str, Any]:
    """Return the data of plan ``number``: its deductible is $1,000 + ``number``."""
    return {
        "name": "Two scenarios",
        "out_of_network": {
            "deductible": 1000 + number % PLANS,
            "coinsurance": "40%",
            "allowed": "70%",
            "out_of_pocket_max": 8000,
        },
        "scenarios": [
            {"name": "As written", "probability": "0.6"},
            {"name": "Denied", "covered": False, "probability": "0.4"},
        ],
    }


def measure(kind: str, seconds: float) -> float:
    """Return estimates per CPU second over ``seconds`` of CPU time (only estimates are timed)."""
    import ketacost

    clinic = ketacost.Clinic.model_validate(CLINIC)
    plans = [ketacost.Plan.model_validate(plan_data(n)) for n in range(PLANS)]
    ketacost.estimate(clinic, plans[0], start=START)  # imports and first use, untimed
    count = 0
    cpu = 0.0
    while cpu < seconds:
        numbers = range(count, count + BATCH)
        if kind == "fresh":
            pairs = [
                (
                    ketacost.Clinic.model_validate(CLINIC),
                    ketacost.Plan.model_validate(plan_data(n)),
                )
                for n in numbers
            ]
        else:
            pairs = [(clinic, plans[n % PLANS]) for n in numbers]
        began = time.process_time()
        for one_clinic, plan in pairs:
            ketacost.estimate(one_clinic, plan, start=START)
        cpu += time.process_time() - began
        count += BATCH
    return count / cpu


def child(python: str, kind: str, seconds: float) -> float:
    """Return the rate ``python`` measures, in a process of its own."""
    done = subprocess.run(
        [python, __file__, "--measure", kind, "--seconds", str(seconds)],
        capture_output=True,
        text=True,
        check=True,
    )
    rate: float = json.loads(done.stdout)["rate"]
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="CPU time of each round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", help="the python of another ketacost install to compare")
    parser.add_argument("--measure", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps({"rate": measure(args.measure, args.seconds)}))
        return
    pythons = {"this": sys.executable}
    if args.baseline:
        pythons["baseline"] = args.baseline
    best: dict[tuple[str, str], float] = {}
    for _ in range(args.rounds):
        for kind in KINDS:
            for name, python in pythons.items():  # alternating, so machine load falls on both
                rate = child(python, kind, args.seconds)
                best[name, kind] = max(best.get((name, kind), 0.0), rate)
    for kind in KINDS:
        line = f"{kind} models: {best['this', kind]:,.0f} estimates per CPU second"
        if args.baseline:
            ratio = best["this", kind] / best["baseline", kind]
            line += (
                f"; baseline {best['baseline', kind]:,.0f}/s; ratio {ratio:.2f}×"
                f" (target >= {TARGETS[kind]}×)"
            )
        print(line)


if __name__ == "__main__":
    main()
