"""Builders of frozen dataclasses: what they make is the class's own instance, frozen."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import pickle
from decimal import Decimal

import pytest

from ketacost import Charge, Claim, estimate
from ketacost.frozen import builder
from ketacost.model.clinic import Clinic

DAY = dt.date(2027, 1, 4)
PRICE = Decimal("750")


def a_charge() -> Charge:
    return Charge(DAY, "series", "Session 1", PRICE, True, "Series", "First sessions")


def claim_values() -> list[object]:
    zero = Decimal("0.00")
    back = Decimal("210.00")
    return [
        *(a_charge(), PRICE, Decimal("525.00"), zero, Decimal("315.00"), back, Decimal("225.00")),
        *(DAY + dt.timedelta(days=45), Decimal("2000"), Decimal("7685.00"), zero, back, zero),
        *(Decimal("225.00"), PRICE, False, True),
    ]


def test_a_built_object_is_the_class_own_instance_equal_to_one_made_the_usual_way() -> None:
    built = builder(Claim)(*claim_values())
    usual = Claim(*claim_values())
    assert type(built) is Claim
    assert built == usual
    assert hash(built) == hash(usual)
    assert repr(built) == repr(usual)
    assert pickle.loads(pickle.dumps(built)) == usual
    assert copy.deepcopy(built) == usual


def test_fields_can_be_given_by_name() -> None:
    names = [field.name for field in dataclasses.fields(Claim)]
    built = builder(Claim)(**dict(zip(names, claim_values(), strict=True)))
    assert built == Claim(*claim_values())


def test_a_built_object_stays_frozen_and_replace_still_works() -> None:
    built = builder(Charge)(
        DAY, "series", "Session 1", PRICE, True, "Series", "Sessions", (), 0, None, 1, None
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.amount = Decimal("1")
    assert dataclasses.replace(built, amount=Decimal("600")).amount == Decimal("600")
    assert built.amount == PRICE


def test_a_builder_fills_no_defaults() -> None:
    # Charge(...) accepts the seven fields without defaults; the builder wants all twelve.
    with pytest.raises(TypeError):
        builder(Charge)(DAY, "series", "Session 1", PRICE, True, "Series", "Sessions")


def test_only_frozen_dataclasses_with_their_fields_in_slots_have_builders() -> None:
    @dataclasses.dataclass(slots=True)
    class Mutable:
        amount: Decimal

    @dataclasses.dataclass(frozen=True)
    class WithoutSlots:
        amount: Decimal

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        amount: Decimal

        def __post_init__(self) -> None:
            raise ValueError("never skipped")

    for cls in (Mutable, WithoutSlots, Checked, Clinic):
        with pytest.raises(TypeError):
            builder(cls)


def test_an_estimate_is_made_of_the_public_classes() -> None:
    clinic = Clinic(name="Test clinic", series={"sessions": 2, "price": 600})
    result = estimate(clinic, start=DAY)
    assert [type(e) for e in result.events] == [Charge, Charge]
    assert [e.amount for e in result.events] == [Decimal("600"), Decimal("600")]


def test_fields_named_as_the_builders_own_names_are_safe_or_refused() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Local:  # the names a generated builder used to take for itself
        made: int
        cls: str
        new: str
        twin: int

    built = builder(Local)(1, "a", "b", 2)
    assert built == Local(1, "a", "b", 2) and type(built) is Local

    @dataclasses.dataclass(frozen=True, slots=True)
    class Clash:
        _frozen_made: int

    with pytest.raises(TypeError, match="named like the builder's own"):
        builder(Clash)
