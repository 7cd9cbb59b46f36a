"""``ketacost log`` on a ledger near the 1 MiB limit.

Writes a ledger of about ``--kib`` KiB (visits, claims, EOBs, money received
and charges, cycling over the bundled ``los-angeles-iv`` schedule, against
examples/plans/acme-ppo.yaml) to a temporary folder, then times one
``python -m ketacost log LEDGER charge "Lab work" --amount 120`` in a fresh
process, on a fresh copy of the ledger each run. Prints wall and CPU time per
run and the median.

    python benchmarks/ledger_log.py [--kib 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG = [sys.executable, "-m", "ketacost", "log"]
HEADER = """\
# yaml-language-server: $schema=ledger.schema.json
kind: ledger
clinic: los-angeles-iv
plan: acme-ppo.yaml
start: 2027-01-04
months: 12
entries:
"""


def entries(count: int) -> list[str]:
    """Return ``count`` entries in block style, five kinds in turn, one day apart."""
    start = dt.date(2027, 1, 4)
    out = []
    for index in range(count):
        day = (start + dt.timedelta(days=index % 360)).isoformat()
        session = f"Session {index % 6 + 1}"
        kind = index % 5
        if kind == 0:
            out.append(f"  - date: {day}\n    visit: {session}\n    paid: 600\n")
        elif kind == 1:
            out.append(f"  - date: {day}\n    claim: [{session}]\n")
        elif kind == 2:
            out.append(
                f"  - date: {day}\n    eob: {session}\n    billed: 600\n    allowed: 420\n"
                "    deductible: 420\n    coinsurance: 0\n    plan_pays: 0\n    denied: null\n"
            )
        elif kind == 3:
            out.append(f"  - date: {day}\n    received: 12.50\n    for: {session}\n")
        else:
            out.append(
                f"  - date: {day}\n    charge: Lab work  # a comment kept\n    amount: 120\n"
            )
    return out


def write_ledger(folder: Path, kib: int) -> Path:
    """Write the plan and a ledger of at most ``kib`` KiB into ``folder``; return the ledger."""
    shutil.copy(ROOT / "examples" / "plans" / "acme-ppo.yaml", folder / "acme-ppo.yaml")
    text = HEADER
    limit = kib * 1024
    count = 0
    while True:
        batch = "".join(entries(count + 500)[count:])
        if len(text) + len(batch) > limit:
            break
        text += batch
        count += 500
    path = folder / "ledger.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run_once(ledger: Path, original: bytes) -> tuple[float, float]:
    """Return (wall seconds, CPU seconds) of one ``log`` run on a fresh copy of the ledger."""
    ledger.write_bytes(original)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [*LOG, str(ledger), "charge", "Lab work", "--amount", "120", "--date", "2027-06-01"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"log failed ({result.returncode}):\n{result.stderr}")
    grown = ledger.read_bytes()
    if not grown.startswith(original) or len(grown) <= len(original):
        raise SystemExit("the ledger did not keep its bytes and gain the entry")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kib", type=int, default=1000, help="ledger size in KiB (under 1024)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        ledger = write_ledger(Path(temporary), args.kib)
        original = ledger.read_bytes()
        print(f"ledger: {len(original):,} bytes, {original.count(b'  - date:'):,} entries")
        walls = []
        for run in range(1, args.runs + 1):
            wall, cpu = run_once(ledger, original)
            walls.append(wall)
            print(f"run {run}: {wall:.2f} s wall, {cpu:.2f} s CPU")
        print(f"median: {statistics.median(walls):.2f} s wall")


if __name__ == "__main__":
    main()
