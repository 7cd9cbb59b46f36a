"""``ketacost compare`` over many generated clinic files with a plan.

Writes N clinic profiles (prices and cadences varied) and a two-scenario plan
to a temporary folder, then times one ``ketacost compare FOLDER --plan PLAN
--format json`` run in a fresh process. Target: 1,000 files in under 3 s.

    python benchmarks/compare_many.py [--files 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
        times = []
        for _ in range(args.runs):
            began = time.perf_counter()
            done = subprocess.run(command, check=True, capture_output=True, text=True)
            times.append(time.perf_counter() - began)
        ranked = json.loads(done.stdout)
        assert len(ranked) == args.files, len(ranked)
    print(
        f"compare over {args.files} files with a plan: median {statistics.median(times):.2f} s,"
        f" runs " + ", ".join(f"{t:.2f}" for t in times) + " (target < 3 s for 1,000)"
    )


if __name__ == "__main__":
    main()
