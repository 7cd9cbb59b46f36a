"""The command line leaves the last garbage collections out of its exit, and only its exit."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# An atexit handler registered before main() runs after main()'s own (last in, first out).
RUN = """
import atexit, contextlib, gc, io, sys
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0, file=sys.stderr))
from ketacost.cli import main
sys.argv = ["ketacost", "estimate", "--format", "json", "--start", "2027-01-04"]
with contextlib.redirect_stdout(io.StringIO()) as shown:
    try:
        main()
    except SystemExit:
        pass
print("frozen before exit:", gc.get_freeze_count() > 0, file=sys.stderr)
print(shown.getvalue())
"""


@pytest.mark.slow
def test_the_objects_alive_at_exit_are_frozen_and_not_before() -> None:
    done = subprocess.run(
        [sys.executable, "-c", RUN], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stderr.splitlines() == ["frozen before exit: False", "frozen at exit: True"]
    estimate = json.loads(done.stdout)  # the whole output was written
    assert estimate["clinic"]["file"] == "pricing/los-angeles-iv.yaml"


COLLECTOR = """
import gc, sys
import ketacost.cli as cli
seen = []
real_app = cli.app
def app(*args, **kwargs):
    seen.append(gc.isenabled())
    return real_app(*args, **kwargs)
cli.app = app
sys.argv = ["ketacost", "catalog", "--format", "json"]
try:
    cli.main()
except SystemExit:
    pass
print(seen, gc.isenabled(), file=sys.stderr)
"""


@pytest.mark.slow
def test_the_cycle_collector_is_paused_for_the_command_and_set_back_after() -> None:
    """A command runs without the cycle collector (docs/architecture.md), and a caller that
    goes on finds it as it was."""
    done = subprocess.run(
        [sys.executable, "-c", COLLECTOR], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stderr.strip() == "[False] True"
