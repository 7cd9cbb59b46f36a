"""A clinic and its plan share one currency: the same refusal from the library and the CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import assert_input_error
from typer.testing import CliRunner

import ketacost
from ketacost.cli import app

START = dt.date(2027, 1, 4)
CLINIC = "name: Euro Clinic\ncurrency: EUR\nseries:\n  sessions: 6\n  price: 400\n"
PLAN = "kind: plan\nname: Dollar Plan\ncurrency: USD\nout_of_network:\n  coinsurance: 40%\n"
MESSAGE = "the plan 'Dollar Plan' is in USD but the clinic 'Euro Clinic' prices in EUR"
HINT = "use a plan and a clinic in the same currency (currency: defaults to USD)"


@pytest.fixture
def files(write_yaml: Callable[..., Path]) -> tuple[Path, Path]:
    return write_yaml(CLINIC, "euro.yaml"), write_yaml(PLAN, "plan.yaml")


def test_estimate_names_the_plan_currency_field(files: tuple[Path, Path]) -> None:
    clinic, plan = (ketacost.load_clinic(files[0]), ketacost.load_plan(files[1]))
    with pytest.raises(ketacost.InputError) as caught:
        ketacost.estimate(clinic, plan, start=START)
    (problem,) = caught.value.problems
    assert (problem.path, problem.message, problem.hint) == ("plan.currency", MESSAGE, HINT)


def test_sweep_gives_the_same_message(files: tuple[Path, Path]) -> None:
    clinic, plan = (ketacost.load_clinic(files[0]), ketacost.load_plan(files[1]))
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(clinic, plan, vary={"months": [6, 12]}, start=START)
    (problem,) = caught.value.problems
    assert (problem.path, problem.message, problem.hint) == ("plan.currency", MESSAGE, HINT)


@pytest.mark.parametrize("command", ["estimate", "sweep"])
def test_the_command_line_points_at_the_plan_currency_line(
    runner: CliRunner, files: tuple[Path, Path], command: str
) -> None:
    clinic, plan = files
    extra = ["--vary", "months=6,12"] if command == "sweep" else []
    result = runner.invoke(
        app, [command, str(clinic), "--plan", str(plan), "--start", "2027-01-04", *extra]
    )
    assert_input_error(result)
    assert result.stderr.splitlines() == [
        f"{plan}:3:11: error: {MESSAGE}",
        "   3 | currency: USD",
        "                 ^^^",
        f"  hint: {HINT}",
    ]


def test_a_varied_currency_is_held_to_the_rule(files: tuple[Path, Path]) -> None:
    clinic, plan = (ketacost.load_clinic(files[0]), ketacost.load_plan(files[1]))
    # The clinic priced in USD at the first point matches; EUR at the second does not.
    with pytest.raises(ketacost.SweepError) as caught:
        ketacost.sweep(clinic, plan, vary={"currency": ["USD", "EUR"]}, start=START)
    (problem,) = caught.value.problems
    assert problem.path == "currency=EUR"
    assert problem.message == MESSAGE
    assert (caught.value.key, caught.value.value) == ("currency", "EUR")
    rows = list(ketacost.sweep(clinic, plan, vary={"currency": ["USD"]}, start=START))
    assert len(rows) == 1


def test_profiles_checked_together_share_one_currency(
    runner: CliRunner, files: tuple[Path, Path]
) -> None:
    clinic, plan = files
    result = runner.invoke(app, ["check", str(clinic), str(plan)])
    assert_input_error(result)
    mixed = "profiles used together price in different currencies (EUR, USD)"
    assert f"{clinic}:2:11: error: {mixed}; this one is EUR" in result.stderr
    assert f"{plan}:3:11: error: {mixed}; this one is USD" in result.stderr
