"""Rules pinned where a mutation survived: which sweep point wins a tie, and the savings
program's refusals and denied claims. Figures by hand.

The bundled default clinic (los-angeles-iv) over 12 months from 2027-01-04: series
750 × 2 + 600 × 4, then four $600 boosters; with the later price at $500 instead,
the four series sessions after the first two and the boosters cost 100 less each:
750 × 2 + 500 × 4 + 600 × 4 = 5,900 against 750 × 2 + 600 × 4 + 600 × 4 = 6,300.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import ketacost
from ketacost import InputError, SavingsTerms, load_clinic, load_plan
from ketacost.engine.sweep import Extremes

D = Decimal
START = dt.date(2027, 1, 4)
ROOT = Path(__file__).resolve().parent.parent


def test_the_earliest_point_wins_a_tie_for_best_and_worst() -> None:
    rows = list(
        ketacost.sweep(
            load_clinic(),
            vary={"series.later_price": ["600", "500", "600", "500"]},
            start=START,
            months=12,
        )
    )
    assert [row.net for row in rows] == [D(6300), D(5900), D(6300), D(5900)]
    extremes = Extremes("net")
    for row in rows:
        extremes.add(row)
    assert extremes.first is rows[0]
    assert extremes.best is rows[1]  # not rows[3], which costs the same
    assert extremes.worst is rows[0]  # not rows[2]


def test_for_reimbursed_higher_is_better_and_the_earliest_wins_a_tie() -> None:
    rows = list(
        ketacost.sweep(
            load_clinic(),
            load_plan(ROOT / "examples" / "plans" / "acme-ppo.yaml"),
            vary={"series.later_price": ["500", "600", "500", "600"]},
            start=START,
            months=12,
        )
    )
    assert rows[1].reimbursed > rows[0].reimbursed  # a higher price, more of it back
    assert (rows[0].reimbursed, rows[1].reimbursed) == (rows[2].reimbursed, rows[3].reimbursed)
    extremes = Extremes("reimbursed")
    for row in rows:
        extremes.add(row)
    assert (extremes.best, extremes.worst) == (rows[1], rows[0])
    assert extremes.best is rows[1] and extremes.worst is rows[0]


# --- the savings program ---------------------------------------------------------------------

ESKETAMINE = "esketamine-cash"


@pytest.mark.parametrize(
    ("clinic", "plan", "says"),
    [
        (ESKETAMINE, None, "needs commercial insurance, and no plan was given"),
        (ESKETAMINE, "medicare-part-b", "is for commercial insurance only"),
        ("los-angeles-iv", "acme-ppo", "has no esketamine (Spravato) sessions"),
    ],
)
def test_the_savings_program_is_refused_where_it_cannot_apply(
    clinic: str, plan: str | None, says: str
) -> None:
    insurance = None if plan is None else load_plan(ROOT / "examples" / "plans" / f"{plan}.yaml")
    with pytest.raises(InputError) as raised:
        ketacost.estimate(
            load_clinic(clinic), insurance, start=START, months=6, savings=SavingsTerms()
        )
    assert says in raised.value.problems[0].message


def test_the_savings_program_pays_nothing_on_a_denied_claim() -> None:
    # a commercial plan that covers no ketamine: every claim denied, nothing for the program
    plan = load_plan(ROOT / "examples" / "plans" / "excludes-ketamine.yaml")
    assert plan.coverage == "commercial" and not plan.covered
    result = ketacost.estimate(
        load_clinic(ESKETAMINE), plan, start=START, months=6, savings=SavingsTerms()
    )
    assert all(s.savings_program == D(0) for s in result.scenarios)
    assert all(s.reimbursed == D(0) for s in result.scenarios)
    # the same clinic under a plan that pays: the program pays in each scenario that pays
    paying = load_plan(ROOT / "examples" / "plans" / "acme-ppo.yaml")
    result = ketacost.estimate(
        load_clinic(ESKETAMINE), paying, start=START, months=6, savings=SavingsTerms()
    )
    paid = {s.name: s.savings_program for s in result.scenarios}
    assert paid["Denied"] == D(0)
    assert paid["As written"] > D(0) and paid["Generous"] > D(0)
    for scenario in result.scenarios:  # and nothing in a scenario whose claims are denied
        if scenario.reimbursed == D(0):
            assert scenario.savings_program == D(0)
