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

Best rates from separate processes swing with the machine: on a shared virtual
machine a round can run 30% slower than the next. ``--together`` measures
both installs in this one process instead, in alternating batches of 100
estimates, so both meet the same machine at the same moments, and prints the
ratio of their mean rates. The other install's package is copied from where
its interpreter imports it into a temporary folder, as ``ketacost_baseline``,
and imported beside this one (its modules import each other relatively); it
runs on this interpreter's pydantic.

    python benchmarks/estimate_throughput.py [--seconds 2] [--rounds 3] [--baseline PYTHON]
    python benchmarks/estimate_throughput.py --together --baseline PYTHON [--seconds 6]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
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


class Install:
    """One install's estimate function and models, and a clinic and plans made with them."""

    def __init__(self, package: str) -> None:
        self.estimate = importlib.import_module(f"{package}.engine.estimate").estimate
        self.clinic_model = importlib.import_module(f"{package}.model.clinic").Clinic
        self.plan_model = importlib.import_module(f"{package}.model.plan").Plan
        self.clinic = self.clinic_model.model_validate(CLINIC)
        self.plans = [self.plan_model.model_validate(plan_data(n)) for n in range(PLANS)]
        self.estimate(self.clinic, self.plans[0], start=START)  # first use, untimed
        self.count = 0
        self.cpu = 0.0

    def batch(self, kind: str) -> None:
        """Time one batch of estimates (models made fresh, with the clocks stopped)."""
        numbers = range(self.count, self.count + BATCH)
        if kind == "fresh":
            pairs = [
                (
                    self.clinic_model.model_validate(CLINIC),
                    self.plan_model.model_validate(plan_data(n)),
                )
                for n in numbers
            ]
        else:
            pairs = [(self.clinic, self.plans[n % PLANS]) for n in numbers]
        began = time.process_time()
        for clinic, plan in pairs:
            self.estimate(clinic, plan, start=START)
        self.cpu += time.process_time() - began
        self.count += BATCH


def together(baseline: str, seconds: float) -> None:
    """Measure this install and ``baseline``'s in this process, in alternating batches."""
    with tempfile.TemporaryDirectory() as folder:
        found = subprocess.run(  # from the empty folder, so no package there is found first
            [
                baseline,
                "-c",
                "import ketacost, pathlib; print(pathlib.Path(ketacost.__file__).parent)",
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=folder,
        )
        shutil.copytree(
            found.stdout.strip(),
            Path(folder) / "ketacost_baseline",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        sys.path.insert(0, folder)
        for kind in KINDS:
            installs = {"this": Install("ketacost"), "baseline": Install("ketacost_baseline")}
            while min(i.cpu for i in installs.values()) < seconds:
                for install in installs.values():
                    install.batch(kind)
            rates = {name: i.count / i.cpu for name, i in installs.items()}
            print(
                f"{kind} models, in one process: {rates['this']:,.0f} estimates per CPU second;"
                f" baseline {rates['baseline']:,.0f}/s; ratio {rates['this'] / rates['baseline']:.2f}×"
                f" (target >= {TARGETS[kind]}×)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="CPU time of each round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", help="the python of another ketacost install to compare")
    parser.add_argument(
        "--together", action="store_true", help="measure both installs in this one process"
    )
    parser.add_argument("--measure", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps({"rate": measure(args.measure, args.seconds)}))
        return
    if args.together:
        if not args.baseline:
            parser.error("--together needs --baseline PYTHON")
        together(args.baseline, args.seconds)
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
