"""Profiles are values: equal data gives equal, equally hashed models, and a plan's
scenarios are its terms as written with each scenario's own in their place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal

import pytest

from ketacost.model.allowed import ByCode, PercentOfBilled
from ketacost.model.clinic import Billing, Clinic, Fee, Series
from ketacost.model.common import StrictModel, _may_hold_container
from ketacost.model.ledger import ClaimFiled
from ketacost.model.plan import NetworkTerms, Plan, Scenario, Terms

D = Decimal
CLINIC: dict[str, Any] = {
    "name": "Two fees",
    "series": {"sessions": 6, "per_week": 2, "price": 500},
    "fees": [
        {"name": "Intake", "amount": 250, "per": "once"},
        {"name": "Monitoring", "amount": 25, "per": "session"},
    ],
    "billing": {"codes": [{"code": "96365", "amount": 300}]},
}


def test_fields_that_may_hold_a_list_or_a_mapping_are_told_by_their_type() -> None:
    class Codes(dict[str, int]):
        pass

    for container in (
        list,
        dict,
        list[int],
        dict[str, int],
        list[Fee] | None,
        Sequence[int],
        Sequence,
        Codes,
        Codes | None,
        Any,
        object,
    ):
        assert _may_hold_container(container), container
    for plain in (
        str,
        int,
        bytes,
        Decimal,
        dt.date,
        Fee,
        Literal["a"],
        tuple[int, int],
        type(None),
    ):
        assert not _may_hold_container(plain), plain
    assert _may_hold_container(Annotated[list[Fee], "limit"])
    assert not _may_hold_container(Annotated[Decimal, "money"])
    assert _may_hold_container(tuple[list[int], ...])  # a tuple holding lists is not hashable
    assert _may_hold_container("Fee")  # an unresolved name: assumed to


def test_each_model_class_names_its_list_fields_once() -> None:
    assert Clinic._containers == ("fees", "maintenance", "payment_plans")
    assert Series._containers == ("first_codes", "codes")
    assert Billing._containers == ("codes",)
    assert Plan._containers == ("scenarios",)
    assert Fee._containers == () and NetworkTerms._containers == ()


def test_equal_data_gives_equal_models_with_equal_hashes() -> None:
    one, again = Clinic.model_validate(CLINIC), Clinic.model_validate(CLINIC)
    assert one is not again and one.fees is not again.fees
    assert one == again and hash(one) == hash(again)
    assert {one: "kept"}[again] == "kept"


@pytest.mark.parametrize(
    "change",
    [
        {"fees": [{"name": "Intake", "amount": 250, "per": "once"}]},  # a fee fewer
        {"fees": list(reversed(CLINIC["fees"]))},  # the same fees in another order
        {"billing": {"codes": [{"code": "96365", "amount": 301}]}},  # a list inside a section
        {"series": {"sessions": 6, "per_week": 2, "price": "500.01"}},
        {"name": "Three fees"},
    ],
)
def test_a_change_anywhere_makes_another_model(change: dict[str, Any]) -> None:
    one, other = Clinic.model_validate(CLINIC), Clinic.model_validate({**CLINIC, **change})
    assert one != other
    assert hash(one) != hash(other)


def test_a_model_is_never_equal_to_another_kind_of_value() -> None:
    fee = Fee(name="Intake", amount=D(250), per="once")
    assert fee == Fee(name="Intake", amount=D(250), per="once")
    assert fee != Billing()
    assert fee != {"name": "Intake", "amount": D(250), "per": "once"}
    assert fee.__eq__("Intake") is NotImplemented  # as pydantic answers for a non-model


def test_a_copy_made_without_validation_hashes_and_compares_by_its_fields() -> None:
    clinic = Clinic.model_validate(CLINIC)
    copy = clinic.model_copy(update={"fees": [clinic.fees[0]]})
    fewer = Clinic.model_validate({**CLINIC, "fees": CLINIC["fees"][:1]})
    assert copy == fewer and hash(copy) == hash(fewer)
    assert isinstance(clinic, StrictModel) and copy != clinic


def test_a_mapping_hashes_alike_in_any_order_as_it_compares() -> None:
    codes = {"96365": D(300), "96366": D(150)}
    one = ByCode(by_code=codes)
    other = ByCode(by_code=dict(reversed(codes.items())))
    assert list(one.by_code) != list(other.by_code)
    assert one == other and hash(one) == hash(other)
    assert {one: "kept"}[other] == "kept"
    assert hash(one) != hash(ByCode(by_code={**codes, "96365": D(301)}))


def test_a_list_where_the_type_has_a_tuple_still_hashes_as_the_tuple() -> None:
    """A copy is not validated: given a list for a tuple field it hashes (and compares)
    as a model validated from the same data does."""
    filed = ClaimFiled(date=dt.date(2027, 1, 20), claim=("Session 1", "Session 2"))
    assert "claim" not in ClaimFiled._containers
    copy = filed.model_copy(update={"claim": ["Session 1", "Session 2"]})
    assert hash(copy) == hash(filed)
    assert hash(filed.model_copy(update={"claim": ["Session 1"]})) != hash(filed)


def test_every_scenario_key_is_a_term() -> None:
    """A scenario's keys replace the terms of the same names (Plan._resolve)."""
    assert set(Scenario.model_fields) <= set(Terms._fields)


def _plan(**given: Any) -> Plan:
    return Plan.model_validate(
        {
            "name": "PPO",
            "out_of_network": {
                "deductible": 1000,
                "copay": 20,
                "coinsurance": "40%",
                "allowed": "70%",
                "out_of_pocket_max": 5000,
            },
            **given,
        }
    )


def test_without_scenarios_the_plan_is_its_one_scenario_as_written() -> None:
    (terms,) = _plan(claims={"paid_after_days": 30}).terms("out-of-network")
    assert isinstance(terms, Terms) and isinstance(terms, tuple)
    assert (terms.name, terms.probability, terms.covered) == ("PPO", None, True)
    assert (terms.deductible, terms.copay, terms.coinsurance) == (D(1000), D(20), D("0.4"))
    assert (terms.out_of_pocket_max, terms.paid_after_days) == (D(5000), 30)
    assert terms.allowed == PercentOfBilled(percent=D("0.7"))


def test_each_scenario_gives_its_own_terms_and_keeps_the_rest_as_written() -> None:
    plan = _plan(
        scenarios=[
            {"name": "As written", "probability": "0.5"},
            {"name": "Lower", "probability": "0.3", "deductible": 250, "allowed": "50%"},
            {"name": "Denied", "probability": "0.2", "covered": False},
        ]
    )
    written, lower, denied = plan.terms("out-of-network")
    assert written == lower._replace(
        name="As written", probability=D("0.5"), deductible=D(1000), allowed=written.allowed
    )
    assert (lower.deductible, lower.copay, lower.out_of_pocket_max) == (D(250), D(20), D(5000))
    assert lower.allowed == PercentOfBilled(percent=D("0.5"))
    assert (denied.covered, denied.deductible, denied.probability) == (False, D(1000), D("0.2"))
    assert Scenario(name="Lower", deductible=D(250)).overrides() == {
        "name": "Lower",
        "deductible": D(250),
    }


def test_a_scenario_that_says_covered_cannot_make_an_opted_out_clinic_claimable() -> None:
    plan = Plan.model_validate(
        {
            "name": "Medicare",
            "coverage": "medicare",
            "out_of_network": {"deductible": 257},
            "scenarios": [{"name": "Hoped", "covered": True}, {"name": "Plain"}],
        }
    )
    hoped, plain = plan.terms("out-of-network", "opted-out")
    for terms in (hoped, plain):
        assert (terms.covered, terms.claimable) == (False, False)
        assert terms.note is not None and "opted out" in terms.note
