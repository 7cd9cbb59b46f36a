"""Response odds by hand: a share of people the treatment helps pays for the whole
treatment, the rest stop after a few series sessions (docs/financing.md)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from ketacost.engine.response import ResponseTerms, odds, weigh
from ketacost.errors import InputError

D = Decimal


def test_the_expected_cost_weighs_both_branches_by_the_rate() -> None:
    # 60% are helped and pay 1,000; 40% stop early and pay 400
    assert weigh(D("0.6"), D(1000), D(400)) == D("0.6") * 1000 + D("0.4") * 400 == 760


def test_the_spending_per_person_helped_is_rounded_once() -> None:
    # six $100.01 sessions if it works, three if not, a 10% rate: the expectation is
    # 0.1 × 600.06 + 0.9 × 300.03 = 330.033, and 330.033 / 0.1 = 3,300.33; dividing the
    # rounded 330.03 would give 3,300.30
    found = odds(D("0.1"), 3, D("600.06"), D("300.03"), [], [])
    assert found.expected_total == D("330.03")
    assert found.per_responder == D("3300.33")


def test_odds_by_hand_with_the_spending_for_each_person_helped() -> None:
    found = odds(D("0.6"), 3, D(6000), D(2100), [("Acme PPO", D(4000))], [D(1500)])
    expected = D("0.6") * 6000 + D("0.4") * 2100  # 3,600 + 840
    assert found.expected_total == expected == 4440
    # everyone's spending, shared among the 60% it helps: 4,440 / 0.6
    assert found.per_responder == 7400
    (plan,) = found.scenarios
    assert (plan.name, plan.if_works, plan.if_fails) == ("Acme PPO", 4000, 1500)
    assert plan.expected == D("0.6") * 4000 + D("0.4") * 1500 == 3000
    data = found.to_dict()
    assert (data["per_responder"], data["expected_total"]) == ("7400.00", "4440.00")
    assert data["scenarios"][0]["expected_net"] == "3000.00"


def test_when_it_helps_nobody_there_is_no_cost_per_person_helped() -> None:
    found = odds(D(0), 3, D(6000), D(2100), [], [])
    assert found.expected_total == 2100  # everyone stops early
    assert found.per_responder is None
    assert found.to_dict()["per_responder"] is None


def test_when_it_helps_everyone_the_expected_cost_is_the_whole_treatment() -> None:
    found = odds(D(1), 3, D(6000), D(2100), [], [])
    assert (found.expected_total, found.per_responder) == (6000, 6000)


def test_every_scenario_needs_both_branches() -> None:
    with pytest.raises(ValueError):
        odds(D("0.5"), 3, D(6000), D(2100), [("A", D(1)), ("B", D(2))], [D(1)])


def test_a_non_responder_stops_after_three_sessions_unless_told() -> None:
    assert ResponseTerms(D("0.5")).stop_after == 3
    assert ResponseTerms(D("0.5"), stop_after=1).stop_after == 1
    assert ResponseTerms(D(0)).rate == 0 and ResponseTerms(D(1)).rate == 1


@pytest.mark.parametrize(
    ("rate", "stop_after", "said"),
    [
        (D("1.5"), 3, "expected a Decimal fraction from 0 to 1, got Decimal('1.5')"),
        (D("1.01"), 3, "got Decimal('1.01')"),
        (D("-0.01"), 3, "got Decimal('-0.01')"),
        (0.5, 3, "got 0.5 (a float: never used for money or rates)"),
        (D("0.5"), 0, "must be at least 1, not 0"),
    ],
)
def test_a_rate_outside_0_to_1_a_float_or_no_session_is_refused(
    rate: Decimal, stop_after: int, said: str
) -> None:
    with pytest.raises(InputError) as raised:
        ResponseTerms(rate, stop_after=stop_after)
    (problem,) = raised.value.problems
    assert said in problem.message
    assert "(a float" not in problem.message or isinstance(rate, float)


def test_the_odds_cannot_be_changed_afterwards() -> None:
    found = odds(D("0.6"), 3, D(6000), D(2100), [("Acme PPO", D(4000))], [D(1500)])
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.expected_total = D(0)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.scenarios[0].expected = D(0)  # type: ignore[misc]
    terms = ResponseTerms(D("0.5"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        terms.rate = D(1)  # type: ignore[misc]
    assert {terms, ResponseTerms(D("0.5"))} == {terms}  # a value: equal terms are one
