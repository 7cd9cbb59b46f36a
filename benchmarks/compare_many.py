"""``ketacost compare`` over many generated clinic files with a plan, against libyaml.

Writes N clinic profiles (prices and cadences varied, so each is new work) and
a two-scenario plan to a temporary folder, then measures the CPU time of one
``ketacost compare FOLDER --plan PLAN --format json`` run in a fresh process,
and, in alternating rounds, of a fresh process loading the same files with
libyaml (``yaml.CSafeLoader``). Target: compare at most 4.5× the libyaml load.

    python benchmarks/compare_many.py [--files 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from timing import best_ratio, cpu_of, libyaml_cpu

CLINIC = """\
# yaml-language-server: $schema=clinic.schema.json
kind: clinic
name: Generated clinic {index}
location: Somewhere, ST
source:
  title: Generated for a benchmark
  checked: 2026-11-01
modality: iv-infusion
series:
  sessions: {sessions}
  per_week: 2
  first_price: {first}
  first_sessions: 2
  later_price: {later}
fees:
  - name: Intake
    amount: {intake}
    per: once
maintenance:
  - kind: booster
    price: {later}
    every_weeks: {every}
billing:
  network: out-of-network
  superbill: true
"""

PLAN = """\
kind: plan
name: Benchmark PPO
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


def write_files(folder: Path, count: int) -> Path:
    clinics = folder / "clinics"
    clinics.mkdir()
    for index in range(count):
        text = CLINIC.format(
            index=index,
            sessions=4 + index % 5,
            first=500 + index % 500,
            later=400 + index % 300,
            intake=index % 400,
            every=6 + index % 10,
        )
        (clinics / f"clinic-{index:04d}.yaml").write_text(text)
    (folder / "plan.yaml").write_text(PLAN)
    return clinics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        clinics = write_files(folder, args.files)
        command = [
            sys.executable,
            "-m",
            "ketacost",
            "compare",
            str(clinics),
            "--plan",
            str(folder / "plan.yaml"),
            "--format",
            "json",
            "--start",
            "2027-01-04",
        ]
        files = [*sorted(clinics.glob("*.yaml")), folder / "plan.yaml"]
        rounds = []
        for _ in range(args.runs):
            cpu, output = cpu_of(command)
            rounds.append((cpu, libyaml_cpu(files)))
        ranked = json.loads(output)
        assert len(ranked) == args.files, len(ranked)
    ours, reference, ratio = best_ratio(rounds)
    print(
        f"compare over {args.files} files with a plan: {ours:.2f} s CPU; libyaml load of the"
        f" same files {reference:.2f} s CPU; ratio {ratio:.2f}× (target <= 4.5×)"
    )


if __name__ == "__main__":
    main()
