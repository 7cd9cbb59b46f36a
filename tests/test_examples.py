"""The example scripts in examples/ run as a user would run them, from any directory."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import ketacost

D = Decimal
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
BUDGET = EXAMPLES / "budget_projection.py"
SWEEP = EXAMPLES / "sweep_prices.sh"
WESTSIDE = EXAMPLES / "clinics" / "westside.yaml"
ACME = EXAMPLES / "plans" / "acme-ppo.yaml"
START = dt.date(2027, 1, 4)
COLUMNS = ["later_price", "allowed", "total", "expected_net", "peak_outlay"]

# examples/clinics/westside.yaml from 2027-01-04 over 12 months, with later price P:
#   series 750 × 2 + P × 4, intake 300, esketamine 900 × 4, boosters 600 × 4, lozenges 120 × 12.
OTHER_CHARGES = 750 * 2 + 300 + 900 * 4 + 600 * 4 + 120 * 12


def westside_total(later_price: int) -> Decimal:
    return D(OTHER_CHARGES + 4 * later_price)


# Under examples/plans/acme-ppo.yaml every claimable session is billed 500 + 250 = 750 (the
# superbill codes), whatever its price; 1500 of the deductible is left, coinsurance is 40%,
# and 14 sessions are claimable (6 series, 4 esketamine, 4 boosters). Scenarios weigh
# Denied 0.5 (nothing back), As written 0.4 (the swept allowed share), Generous 0.1 (100%).
#
# Generous, allowed 750: sessions 1–2 fill the deductible (2 × 750 = 1500); each of the other
# 12 pays back 750 − 0.4 × 750 = 450 (no session costs less than 450 in these sweeps).
GENEROUS_BACK = 12 * (D(750) - D("0.4") * 750)
# As written at 50% (allowed 375): sessions 1–4 fill the deductible (4 × 375 = 1500); each of
# the other 10 pays back 375 − 0.4 × 375 = 225.
AS_WRITTEN_50_BACK = 10 * (D(375) - D("0.4") * 375)
# As written at 70% (allowed 525): 525 + 525 to the deductible, then 450 of the third
# (525 − 450 − 0.4 × 75 = 45 back), and 525 − 0.4 × 525 = 315 back for each of the other 11.
AS_WRITTEN_70_BACK = (D(525) - 450 - D("0.4") * 75) + 11 * (D(525) - D("0.4") * 525)
# As written at 90% (allowed 675): 675 + 675 to the deductible, then 150 of the third
# (675 − 150 − 0.4 × 525 = 315 back), and 675 − 0.4 × 675 = 405 back for each of the other 11.
AS_WRITTEN_90_BACK = (D(675) - 150 - D("0.4") * 525) + 11 * (D(675) - D("0.4") * 675)


def expected_net(total: Decimal, as_written_back: Decimal) -> Decimal:
    return (
        D("0.5") * total + D("0.4") * (total - as_written_back) + D("0.1") * (total - GENEROUS_BACK)
    )


def run_budget(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BUDGET), *args],
        cwd=tmp_path,  # not the checkout: the defaults are found next to the script
        capture_output=True,
        text=True,
        timeout=300,
    )


def read_rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == COLUMNS
    return list(reader)


# --- examples/budget_projection.py ----------------------------------------------------------------


def test_budget_projection_writes_the_csv(tmp_path) -> None:
    out = tmp_path / "budget.csv"
    done = run_budget(tmp_path, "--start", "2027-01-04", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    rows = read_rows(out.read_text(encoding="utf-8"))
    assert len(rows) == 4 * 3  # four later prices × three allowed shares
    assert [(r["later_price"], r["allowed"]) for r in rows] == [
        (price, share)
        for price in ("450.00", "500.00", "550.00", "600.00")
        for share in ("50%", "70%", "90%")
    ]
    for row in rows:
        for key in ("later_price", "total", "expected_net", "peak_outlay"):
            whole, _, cents = row[key].partition(".")
            assert whole.isdigit() and len(cents) == 2, (key, row[key])


def test_budget_projection_figures_by_hand(tmp_path) -> None:
    done = run_budget(tmp_path, "--start", "2027-01-04")
    assert done.returncode == 0, done.stderr
    rows = {(r["later_price"], r["allowed"]): r for r in read_rows(done.stdout)}
    # 500 at 50%: total 9240 + 4 × 500 = 11240; expected 0.5 × 11240 + 0.4 × (11240 − 2250)
    # + 0.1 × (11240 − 5400) = 5620 + 3596 + 584 = 9800.
    row = rows["500.00", "50%"]
    assert row["total"] == f"{westside_total(500)}.00" == "11240.00"
    assert D(row["expected_net"]) == expected_net(westside_total(500), AS_WRITTEN_50_BACK)
    assert row["expected_net"] == "9800.00"
    # 450 at 90%: 11040 total; 0.5 × 11040 + 0.4 × (11040 − 4770) + 0.1 × (11040 − 5400) = 8592.
    row = rows["450.00", "90%"]
    assert row["total"] == "11040.00"
    assert D(4770) == AS_WRITTEN_90_BACK
    assert D(row["expected_net"]) == expected_net(westside_total(450), AS_WRITTEN_90_BACK)
    assert row["expected_net"] == "8592.00"
    # 600 at 70% is the example clinic and plan unchanged.
    row = rows["600.00", "70%"]
    assert D(3510) == AS_WRITTEN_70_BACK
    assert D(row["expected_net"]) == expected_net(westside_total(600), AS_WRITTEN_70_BACK)
    # The total does not depend on the allowed share.
    for price in (450, 500, 550, 600):
        totals = {rows[f"{price}.00", share]["total"] for share in ("50%", "70%", "90%")}
        assert totals == {f"{westside_total(price)}.00"}


def test_budget_projection_row_matches_the_api(tmp_path) -> None:
    done = run_budget(tmp_path, "--start", "2027-01-04")
    assert done.returncode == 0, done.stderr
    row = next(
        r for r in read_rows(done.stdout) if (r["later_price"], r["allowed"]) == ("550.00", "90%")
    )
    clinic = ketacost.load_clinic(WESTSIDE)
    clinic = clinic.model_copy(
        update={"series": clinic.series.model_copy(update={"later_price": D(550)})}
    )
    data = ketacost.load_plan(ACME).model_dump(mode="json")
    data["out_of_network"]["allowed"] = "90%"
    plan = ketacost.Plan.model_validate(data)
    result = ketacost.estimate(clinic, plan, start=START, months=12)
    assert result.expected_net is not None
    assert row["total"] == f"{result.total:.2f}"
    assert row["expected_net"] == f"{result.expected_net:.2f}"
    assert row["peak_outlay"] == f"{max(s.peak_outlay for s in result.scenarios):.2f}"
    assert D(row["expected_net"]) == expected_net(westside_total(550), AS_WRITTEN_90_BACK)


def test_budget_projection_takes_clinic_plan_and_sweeps_from_argv(tmp_path) -> None:
    clinic = tmp_path / "quote.yaml"
    clinic.write_text(
        "name: Quote\nseries:\n  sessions: 6\n  first_price: 700\n  later_price: 600\n",
        encoding="utf-8",
    )
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "kind: plan\nname: Simple\nout_of_network:\n  deductible: 0\n  coinsurance: 20%\n",
        encoding="utf-8",
    )
    sweep = ["--prices", "500,400", "--allowed", "50%"]
    done = run_budget(tmp_path, str(clinic), str(plan), "--start", "2027-01-04", *sweep)
    assert done.returncode == 0, done.stderr
    rows = read_rows(done.stdout)
    # One scenario, no probabilities: the net is that scenario's. Billed = paid; allowed 50%;
    # no deductible; back per session 0.8 × 0.5 × price.
    # 500: total 700 + 5 × 500 = 3200; back 0.4 × 3200 = 1280; net 1920.
    # 400: total 700 + 5 × 400 = 2700; back 0.4 × 2700 = 1080; net 1620.
    assert rows == [
        {
            "later_price": "500.00",
            "allowed": "50%",
            "total": "3200.00",
            "expected_net": f"{D(3200) - D('0.4') * 3200:.2f}",
            "peak_outlay": "3200.00",
        },
        {
            "later_price": "400.00",
            "allowed": "50%",
            "total": "2700.00",
            "expected_net": f"{D(2700) - D('0.4') * 2700:.2f}",
            "peak_outlay": "2700.00",
        },
    ]


def test_budget_projection_bad_clinic_exits_2(tmp_path) -> None:
    done = run_budget(tmp_path, str(tmp_path / "nowhere.yaml"), "--start", "2027-01-04")
    assert done.returncode == 2
    assert "nowhere.yaml" in done.stderr
    assert done.stdout == ""


# --- examples/sweep_prices.sh ------------------------------------------------------------------------


def ketacost_script() -> Path:
    name = "ketacost.exe" if os.name == "nt" else "ketacost"
    return Path(sys.executable).parent / name


def run_sweep(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("sh") is None or shutil.which("awk") is None:
        pytest.skip("no POSIX sh and awk")
    return subprocess.run(
        ["sh", str(SWEEP), *args],
        cwd=tmp_path,
        env={**os.environ, "KETACOST": str(ketacost_script()), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_sweep_prices_prints_price_and_net(tmp_path) -> None:
    done = run_sweep(tmp_path)
    assert done.returncode == 0, done.stderr
    # At 70% allowed, As written pays back 3510 and Generous 5400 whatever the later price
    # (no price goes below 450), so the expected net is total − 0.4 × 3510 − 0.1 × 5400
    # = total − 1944, with total = 9240 + 4 × price.
    nets = {p: expected_net(westside_total(p), AS_WRITTEN_70_BACK) for p in (450, 500, 550, 600)}
    assert nets == {p: westside_total(p) - 1944 for p in nets}
    assert done.stdout.splitlines() == ["price,net"] + [f"{p},{nets[p]:.2f}" for p in nets]
    assert done.stdout.splitlines()[1:] == [
        "450,9096.00",
        "500,9296.00",
        "550,9496.00",
        "600,9696.00",
    ]


def test_sweep_prices_first_scenario_net_without_probabilities(tmp_path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("kind: plan\nname: Denied\ncovered: false\n", encoding="utf-8")
    done = run_sweep(tmp_path, str(WESTSIDE), str(plan), PRICES="500")
    assert done.returncode == 0, done.stderr
    # Denied: the net is the whole total, 9240 + 4 × 500 = 11240.
    assert done.stdout.splitlines() == ["price,net", f"500,{westside_total(500)}.00"]


def test_sweep_prices_stops_when_ketacost_fails(tmp_path) -> None:
    done = run_sweep(tmp_path, PRICES="500 -5 600")
    assert done.returncode != 0
    assert done.stdout == ""  # every price is checked before any row is computed
    assert "--vary series.later_price=500,-5,600" in done.stderr
    assert "at the point series.later_price=-5" in done.stderr


def test_sweep_prices_takes_a_range(tmp_path) -> None:
    done = run_sweep(tmp_path, PRICES="450..600:50")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == [
        f"{p},{westside_total(p) - 1944:.2f}" for p in (450, 500, 550, 600)
    ]
    assert "Best point: series.later_price=450" in done.stderr


def test_budget_projection_sweeps_a_flat_priced_clinic_after_its_first_session(tmp_path) -> None:
    done = run_budget(tmp_path, "median-iv", "--prices", "400", "--start", "2027-01-04")
    assert done.returncode == 0, done.stderr
    rows = read_rows(done.stdout)
    # the first session keeps the flat $590, the five later ones cost $400, plus the $350 consult
    assert {r["total"] for r in rows} == {f"{590 + 5 * 400 + 350}.00"}
