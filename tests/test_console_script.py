"""The installed entry points, run as a user would: in a subprocess, outside the checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import ketacost
from ketacost.files.bundled import pricing_dir


def console_script() -> str:
    beside = Path(sys.executable).parent / ("ketacost.exe" if os.name == "nt" else "ketacost")
    if beside.is_file():
        return str(beside)
    found = shutil.which("ketacost")
    if found is None:
        pytest.fail("the `ketacost` console script is not installed")
    return found


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120
    )


def test_default_profile_premise() -> None:
    # The hand-computed total below assumes this shape of the bundled default.
    data = yaml.safe_load((pricing_dir() / "los-angeles-iv.yaml").read_text(encoding="utf-8"))
    series = data["series"]
    assert (series["sessions"], series["per_week"]) == (6, 2)
    assert (series["first_price"], series["first_sessions"], series["later_price"]) == (750, 2, 600)
    [booster] = data["maintenance"]
    assert booster == {**booster, "kind": "booster", "price": 600, "every_weeks": 12,
                       "after_weeks": 12}  # fmt: skip


def test_console_script_estimate_json(tmp_path: Path) -> None:
    result = run(
        [console_script(), "estimate", "--format", "json", "--start", "2027-01-04"], tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    # series 750 × 2 + 600 × 4; boosters on 04-15, 07-08, 09-30, 12-23 at $600
    assert data["total"] == f"{Decimal(750 * 2 + 600 * 4 + 600 * 4):.2f}"
    assert data["total"] == "6300.00"
    assert data["start"] == "2027-01-04"
    assert data["months"] == 12


def test_console_script_bad_input_exit_2(tmp_path: Path) -> None:
    result = run([console_script(), "estimate", "--start", "notadate"], tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "notadate" in result.stderr
    assert "Traceback" not in result.stderr


def test_python_dash_m_version(tmp_path: Path) -> None:
    result = run([sys.executable, "-m", "ketacost", "--version"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ketacost {ketacost.__version__}"
