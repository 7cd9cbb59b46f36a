"""CPU time of a command in a fresh process, and of a libyaml load of the same files.

The benchmarks compare ketacost's work with a reference measured in the same
run, on the same machine, so the ratio holds however busy the machine is.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

# Load every file named on the command line with libyaml, as a plain script would.
LIBYAML = """\
import sys, yaml
for name in sys.argv[1:]:
    with open(name, encoding="utf-8") as f:
        yaml.load(f.read(), Loader=yaml.CSafeLoader)
"""


def cpu_of(command: Sequence[str]) -> tuple[float, bytes]:
    """Return the CPU seconds (user + system) of ``command`` in a child process, and its output."""
    # An installed package runs from its compiled bytecode: a setting that keeps Python
    # from writing it would time the compiler on every run instead.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryFile() as sink:
        child = subprocess.Popen(list(command), stdout=sink, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        sink.seek(0)
        output = sink.read()
    if code != 0:
        raise SystemExit(f"exit {code}: {' '.join(command)}")
    return usage.ru_utime + usage.ru_stime, output


def libyaml_cpu(paths: Sequence[Path]) -> float:
    """Return the CPU seconds of a fresh Python process loading ``paths`` with libyaml."""
    cpu, _ = cpu_of([sys.executable, "-c", LIBYAML, *map(str, paths)])
    return cpu


def best_ratio(pairs: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    """Return the best (lowest) of each side and their ratio, from (ours, reference) rounds."""
    ours = min(p[0] for p in pairs)
    reference = min(p[1] for p in pairs)
    return ours, reference, ours / reference
