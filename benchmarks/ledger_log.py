"""``ketacost log`` and ``ketacost status`` on a large ledger, against a libyaml load of it.

Writes a ledger of ``--entries`` entries (visits, claims, EOBs, money received
and charges, cycling over the bundled ``los-angeles-iv`` schedule, against
examples/plans/acme-ppo.yaml) to a temporary folder, then measures the CPU time
of one ``python -m ketacost log LEDGER charge "Lab work" --amount 120`` (on a
fresh copy of the ledger each run), one ``python -m ketacost status LEDGER
--format json``, and a fresh Python process loading the ledger with libyaml
(``yaml.CSafeLoader``), in alternating rounds. Targets: log and status each at
most 2× the libyaml load.

    python benchmarks/ledger_log.py [--entries 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
from pathlib import Path

from timing import best_ratio, cpu_of, libyaml_cpu

ROOT = Path(__file__).resolve().parent.parent
LOG = [sys.executable, "-m", "ketacost", "log"]
STATUS = [sys.executable, "-m", "ketacost", "status"]
HEADER = """\
# yaml-language-server: $schema=ledger.schema.json
kind: ledger
clinic: los-angeles-iv
plan: acme-ppo.yaml
scenario: As written
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


def write_ledger(folder: Path, count: int) -> Path:
    """Write the plan and a ledger of ``count`` entries into ``folder``; return the ledger."""
    shutil.copy(ROOT / "examples" / "plans" / "acme-ppo.yaml", folder / "acme-ppo.yaml")
    path = folder / "ledger.yaml"
    path.write_text(HEADER + "".join(entries(count)), encoding="utf-8")
    return path


def log_cpu(ledger: Path, original: bytes) -> float:
    """Return the CPU seconds of one ``log`` run on a fresh copy of the ledger."""
    ledger.write_bytes(original)
    command = [*LOG, str(ledger), "charge", "Lab work", "--amount", "120", "--date", "2027-06-01"]
    cpu, _ = cpu_of(command)
    grown = ledger.read_bytes()
    if not grown.startswith(original) or len(grown) <= len(original):
        raise SystemExit("the ledger did not keep its bytes and gain the entry")
    return cpu


def status_cpu(ledger: Path) -> float:
    """Return the CPU seconds of one ``status --format json`` run."""
    command = [*STATUS, str(ledger), "--as-of", "2027-12-31", "--format", "json"]
    cpu, output = cpu_of(command)
    json.loads(output)
    return cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        ledger = write_ledger(Path(temporary), args.entries)
        original = ledger.read_bytes()
        print(f"ledger: {len(original):,} bytes, {original.count(b'  - date:'):,} entries")
        logs, statuses = [], []
        for _ in range(args.runs):
            ledger.write_bytes(original)
            reference = libyaml_cpu([ledger])
            logs.append((log_cpu(ledger, original), reference))
            ledger.write_bytes(original)
            statuses.append((status_cpu(ledger), reference))
    for name, rounds in (("log", logs), ("status", statuses)):
        ours, reference, ratio = best_ratio(rounds)
        print(
            f"{name}: {ours:.2f} s CPU; libyaml load of the ledger {reference:.2f} s CPU;"
            f" ratio {ratio:.2f}× (target <= 2×)"
        )


if __name__ == "__main__":
    main()
