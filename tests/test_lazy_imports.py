"""A run loads only what it needs: no plan model without a plan, no Rich for JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

RUN = """
import contextlib, io, json, sys
from ketacost.cli import main
sys.argv = ["ketacost", *ARGS]
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit:
        pass
print(json.dumps(sorted(sys.modules)))
"""


def modules_after(*args: str) -> set[str]:
    """Return the modules loaded by one ``ketacost`` run in a fresh interpreter."""
    code = RUN.replace("ARGS", repr(list(args)))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.slow
def test_json_without_a_plan_loads_no_plan_model_no_claims_and_no_rich() -> None:
    loaded = modules_after("estimate", "--format", "json", "--start", "2027-01-04")
    assert "ketacost.engine.estimate" in loaded  # the run did happen
    unwanted = {
        "ketacost.model.plan",
        "ketacost.engine.claims",
        "ketacost.engine.savings",
        "ketacost.engine.tax",
        "ketacost.report.layout",
        "ketacost.files.diagnose",
        "rich",
    }
    assert loaded & unwanted == set()


@pytest.mark.slow
def test_a_plan_loads_the_plan_model() -> None:
    loaded = modules_after(
        "estimate",
        "--format",
        "json",
        "--start",
        "2027-01-04",
        "--deductible",
        "2000",
        "--allowed",
        "70%",
        "--coinsurance",
        "40%",
    )
    assert {"ketacost.model.plan", "ketacost.engine.claims"} <= loaded


@pytest.mark.slow
def test_help_builds_no_command() -> None:
    loaded = modules_after("--help")
    shared = {"ketacost.cli.options", "ketacost.cli.placeholders"}  # what every command uses
    assert not any(name.startswith("ketacost.cli.") for name in loaded - shared)
