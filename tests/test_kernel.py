"""One scenario kernel: estimate, sweep, compare and status get their figures from it alike.

The same inputs give the same figures whichever command asks, and each of them
reaches ``ketacost.engine.scenario``'s one computing function.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ketacost
from ketacost.cli import app
from ketacost.engine import scenario as kernel
from ketacost.engine.result import ScenarioResult
from ketacost.engine.scenario import Timeline
from ketacost.engine.status import ledger_status
from ketacost.errors import Invalid
from ketacost.model.ledger import Ledger
from ketacost.model.plan import Terms

D = Decimal
EXAMPLES = Path(__file__).parent.parent / "examples"
START = dt.date(2027, 1, 4)
CLINIC = {
    "name": "Six sessions",
    "series": {
        "sessions": 6,
        "per_week": 2,
        "first_price": 750,
        "first_sessions": 2,
        "later_price": 600,
    },
}
PLAN = {
    "name": "Two scenarios",
    "out_of_network": {
        "deductible": 2000,
        "coinsurance": "40%",
        "allowed": "70%",
        "out_of_pocket_max": 8000,
    },
    "scenarios": [
        {"name": "As written", "probability": "0.6"},
        {"name": "Denied", "covered": False, "probability": "0.4"},
    ],
}


def clinic() -> ketacost.Clinic:
    return ketacost.Clinic.model_validate(CLINIC)


def plan() -> ketacost.Plan:
    return ketacost.Plan.model_validate(PLAN)


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Record the name of every scenario the kernel works out, with its memories emptied."""
    names: list[str] = []
    compute = kernel._scenario

    def counted(terms: Terms | None, line: Timeline, *rest: object) -> ScenarioResult:
        result = compute(terms, line, *rest)  # type: ignore[arg-type]
        names.append(result.name)
        return result

    monkeypatch.setattr(kernel, "_scenario", counted)
    kernel._SCENARIOS.clear()
    kernel._TIMELINES.clear()
    yield names
    kernel._SCENARIOS.clear()
    kernel._TIMELINES.clear()


def test_sweep_rows_equal_estimates_of_the_same_points() -> None:
    prices = [D(500), D(550)]
    grid = ketacost.sweep(
        clinic(),
        plan(),
        {"series.later_price": prices, "start": [START, dt.date(2027, 12, 20)]},
        start=START,
    )
    rows = list(grid)
    assert len(rows) == 2 * 2
    for row in rows:
        price, start = row.values
        varied = clinic().model_copy(
            update={"series": clinic().series.model_copy(update={"later_price": price})}
        )
        whole = ketacost.estimate(varied, plan(), start=start)
        assert row.total == whole.total
        # the scenarios carry probabilities: the net standing for the person is the expected
        assert row.net == row.expected_net == whole.expected_net
        assert row.peak_outlay == max(s.peak_outlay for s in whole.scenarios)
        # reimbursed weighs the scenarios: 0.6 × what comes back as written, 0.4 × nothing
        assert row.reimbursed == D("0.6") * whole.scenarios[0].reimbursed


def test_a_swept_point_is_worked_out_by_hand_as_the_estimate_has_it() -> None:
    vary = {"series.later_price": [D(600)]}
    (row,) = ketacost.sweep(clinic(), plan(), vary, start=START, scenario="As written")
    # Allowed 70%: 525, 525, 420 × 4 = 2,730, all under the 2,000 deductible until session 4:
    # 525 + 525 + 420 + 420 = 1,890, then 110 of session 5's 420; the rest at 60% plan part.
    back = (D(420) - D(110)) * D("0.6") + D(420) * D("0.6")
    paid = 750 * 2 + 600 * 4
    assert row.net == paid - back
    assert row.expected_net == D("0.6") * (paid - back) + D("0.4") * paid
    (expected,) = ketacost.sweep(clinic(), plan(), vary, start=START)  # no scenario named
    assert expected.net == row.expected_net


def test_compare_items_equal_the_estimates_of_their_files() -> None:
    files = [EXAMPLES / "clinics" / name for name in ("promo.yaml", "westside.yaml")]
    plan_file = EXAMPLES / "plans" / "acme-ppo.yaml"
    done = CliRunner().invoke(
        app,
        [
            "compare",
            *map(str, files),
            "--plan",
            str(plan_file),
            "--start",
            START.isoformat(),
            "--format",
            "json",
        ],
    )
    assert done.exit_code == 0, done.output
    items = json.loads(done.stdout)
    assert len(items) == len(files)
    the_plan = ketacost.load_plan(plan_file)
    for item in items:
        path = Path(item["clinic"]["file"])
        whole = ketacost.estimate(
            ketacost.load_clinic(path), the_plan, start=START, clinic_file=item["clinic"]["file"]
        )
        assert item["scenarios"] == whole.to_dict()["scenarios"]
        assert item["expected_net"] == whole.to_dict()["expected_net"]
        assert item["total"] == whole.to_dict()["total"]


def medicare_ledger(start: dt.date) -> tuple[Ledger, ketacost.Clinic, ketacost.Plan]:
    """Six $600 sessions billed to Original Medicare Part B: $283 deductible, then 20%."""
    billed = ketacost.Clinic.model_validate(
        {
            "name": "Medicare clinic",
            "billing": {"network": "in-network"},
            "series": {"sessions": 6, "per_week": 2, "price": 600},
        }
    )
    part_b = ketacost.load_plan(EXAMPLES / "plans" / "medicare-part-b.yaml")
    ledger = Ledger.model_validate(
        {"kind": "ledger", "clinic": "medicare", "start": start, "months": 3}
    )
    return ledger, billed, part_b


def test_status_with_nothing_logged_expects_exactly_the_estimate() -> None:
    ledger, billed, part_b = medicare_ledger(START)
    status = ledger_status(ledger, billed, part_b, START - dt.timedelta(days=1))
    whole = ketacost.estimate(billed, part_b, start=START, months=3)
    assert status.rest.paid == whole.scenarios[0].paid
    assert status.rest.reimbursed == whole.scenarios[0].reimbursed
    assert status.total_expected.paid == whole.scenarios[0].paid


def test_visits_not_logged_keep_their_dates_and_plan_years() -> None:
    # Sessions twice a week from Monday 2026-12-21: Dec 21, 24, 28, 31, then Jan 4, 7.
    # In network the patient pays their share at each visit: per calendar year the
    # Part B deductible, then 20% of the $600 approved.
    #   2026: 283 + 20% × (600 − 283) = 346.40, then 3 × 120 = 360
    #   2027: the deductible starts again: 346.40, then 120
    ledger, billed, part_b = medicare_ledger(dt.date(2026, 12, 21))
    status = ledger_status(ledger, billed, part_b, dt.date(2027, 1, 5))
    first_visit = D(283) + D("0.2") * (600 - 283)
    assert first_visit == D("346.40")
    expected = (first_visit + 3 * D(120)) + (first_visit + D(120))
    assert status.rest.paid == expected == D("1172.80")
    assert status.rest_charges == 6
    assert [c.date for c in status.not_logged] == [
        dt.date(2026, 12, 21),
        dt.date(2026, 12, 24),
        dt.date(2026, 12, 28),
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 4),
    ]
    # Moving the five to Jan 6 would have put all six in 2027, one deductible:
    # 346.40 + 5 × 120 = 946.40, short by the second year's 283 × 80% = 226.40.
    assert expected - (first_visit + 5 * D(120)) == D(283) * D("0.8") == D("226.40")
    whole = ketacost.estimate(billed, part_b, start=dt.date(2026, 12, 21), months=3)
    assert status.rest.paid == whole.scenarios[0].paid


def test_estimate_sweep_compare_and_status_reach_the_same_kernel_function(
    computed: list[str],
) -> None:
    ketacost.estimate(clinic(), plan(), start=START)
    assert computed == ["As written", "Denied"]
    computed.clear()
    list(ketacost.sweep(clinic(), plan(), {"series.later_price": [D(610)]}, start=START))
    assert computed[-2:] == ["As written", "Denied"]
    computed.clear()
    done = CliRunner().invoke(
        app,
        ["compare", str(EXAMPLES / "clinics" / "westside.yaml"), "--format", "json"],
    )
    assert done.exit_code == 0, done.output
    assert computed == ["Self-pay"]
    computed.clear()
    ledger, billed, part_b = medicare_ledger(dt.date(2026, 12, 21))
    ledger_status(ledger, billed, part_b, dt.date(2027, 1, 5))
    # the estimate's one scenario, then the rest of the treatment in each of its plan years
    assert computed == [part_b.name] * 3


def test_equal_inputs_made_anew_find_the_remembered_scenario(computed: list[str]) -> None:
    first = ketacost.estimate(clinic(), plan(), start=START)
    again = ketacost.estimate(clinic(), plan(), start=START)
    assert computed == ["As written", "Denied", "Denied"]  # the denied one: never remembered
    assert again.scenarios[0] is first.scenarios[0]
    other = ketacost.estimate(clinic(), plan(), start=START + dt.timedelta(days=1))
    assert other.scenarios[0] is not first.scenarios[0]
    assert computed[3:] == ["As written", "Denied"]


def test_uncovered_scenarios_are_read_off_the_timeline_each_time(computed: list[str]) -> None:
    """A scenario that covers nothing is worked out anew each time, never remembered:
    its figures are the timeline's, which costs less than a memory's key."""

    def with_allowed(share: str) -> ketacost.Plan:
        return ketacost.Plan.model_validate(
            {**PLAN, "out_of_network": {**PLAN["out_of_network"], "allowed": share}}
        )

    first = ketacost.estimate(clinic(), with_allowed("70%"), start=START)
    second = ketacost.estimate(clinic(), with_allowed("50%"), start=START)
    again = ketacost.estimate(clinic(), with_allowed("50%"), start=START)
    # the covered scenario is remembered; the denied one worked out on every call
    assert computed == ["As written", "Denied", "As written", "Denied", "Denied"]
    assert again.scenarios[0] is second.scenarios[0]
    denied, other = first.scenarios[1], second.scenarios[1]
    assert other.terms is not None and other.terms.allowed != denied.terms.allowed  # type: ignore[union-attr]
    assert (other.name, other.probability) == ("Denied", D("0.4"))
    assert other.net == denied.net == 750 * 2 + 600 * 4
    assert other.reimbursed == 0 and other.claims == denied.claims
    assert list(other.cashflow) == list(denied.cashflow)
    assert again.scenarios[1] == other and again.scenarios[1] is not other


def test_a_plans_terms_are_kept_with_it_and_a_changed_copy_has_its_own() -> None:
    """A plan resolves each network's terms once and keeps them (docs/architecture.md);
    a copy with another deductible, and a list the caller changes, do not disturb them."""
    plan = ketacost.Plan.model_validate(
        {
            "name": "Kept",
            "out_of_network": {"deductible": 100, "coinsurance": "40%", "allowed": "70%"},
        }
    )
    first = plan.terms("out-of-network")
    first.clear()  # the caller's own list
    again = plan.terms("out-of-network")
    assert [t.deductible for t in again] == [D(100)]
    assert again[0] is plan.terms("out-of-network")[0]  # worked out once
    changed = plan.model_copy(
        update={"out_of_network": plan.out_of_network.model_copy(update={"deductible": D(500)})}
    )
    assert [t.deductible for t in changed.terms("out-of-network")] == [D(500)]
    assert [t.deductible for t in plan.terms("out-of-network")] == [D(100)]
    with pytest.raises(Invalid):  # no in-network block: refused, and not kept
        plan.terms("in-network")
    with pytest.raises(Invalid):
        plan.terms("in-network")
