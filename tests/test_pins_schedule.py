"""The schedule by hand: which session bills the first codes and carries the first devices,
which charges are visits to the clinic, maintenance items merged in date order, and a
horizon that holds no day at all (docs/clinic-format.md, "The timeline")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import ketacost
from ketacost.engine.schedule import billed_amount, clinic_visits, schedule

D = Decimal
START = dt.date(2027, 1, 4)  # a Monday


def clinic(**data: object) -> ketacost.Clinic:
    return ketacost.Clinic.model_validate({"name": "Pins Clinic", **data})


def on(day: int) -> dt.date:
    return START + dt.timedelta(days=day)


FLAT_WITH_FIRST_CODES = {
    "sessions": 3,
    "every_weeks": 1,
    "price": 700,
    "first_codes": [{"code": "G2082", "amount": 600}],
    "codes": [{"code": "G2083", "amount": 800}],
}


def test_flat_price_first_codes_bill_session_1_only_by_default() -> None:
    """docs/insurance-rules.md, "Billing codes": first_codes cover the first first_sessions
    sessions (default 1) whether or not the series has a flat price; codes the later ones."""
    charges = schedule(clinic(series=FLAT_WITH_FIRST_CODES), START, 12)
    assert [(c.label, [line.code for line in c.codes]) for c in charges] == [
        ("Session 1", ["G2082"]),
        ("Session 2", ["G2083"]),
        ("Session 3", ["G2083"]),
    ]
    # the superbill asks for the code lines' sum, not the $700 paid
    assert [billed_amount(c) for c in charges] == [600, 800, 800]
    assert [c.amount for c in charges] == [700, 700, 700]


def test_flat_price_first_sessions_says_how_many_bill_first_codes() -> None:
    """With a flat price, first_sessions counts the sessions billing first_codes: 2 of 3."""
    series = {**FLAT_WITH_FIRST_CODES, "first_sessions": 2}
    charges = schedule(clinic(series=series), START, 12)
    assert [[line.code for line in c.codes] for c in charges] == [["G2082"], ["G2082"], ["G2083"]]
    assert {c.line for c in charges} == {"Sessions"}  # one price: one line item


def test_first_devices_are_the_drug_of_session_1_only() -> None:
    """docs/clinic-format.md: first_devices price the first sessions (default 1), devices the
    rest; the drug's part is the devices alone, without the observation fee."""
    series = {
        "sessions": 3,
        "every_weeks": 1,
        "device_price": 300,
        "first_devices": 3,  # 84 mg
        "devices": 2,  # 56 mg
        "session_fee": 150,
    }
    charges = schedule(clinic(modality="esketamine", series=series), START, 12)
    assert [c.drug for c in charges] == [300 * 3, 300 * 2, 300 * 2]
    assert [c.amount for c in charges] == [300 * 3 + 150, 300 * 2 + 150, 300 * 2 + 150]


def test_each_price_holds_its_own_drug_part_when_priced_per_session() -> None:
    """An esketamine series priced per session holds the 56 mg list price of drug, $590,
    or its whole price when less (docs/insurance-rules.md), the first price and the later."""
    series = {"sessions": 2, "every_weeks": 1, "first_price": 900, "later_price": 500}
    charges = schedule(clinic(modality="esketamine", series=series), START, 12)
    assert [(c.drug, c.line) for c in charges] == [
        (590, "First sessions"),  # min(900, 590)
        (500, "Later sessions"),  # min(500, 590)
    ]


VISITS_AND_NOT = {
    "series": {"sessions": 2, "every_weeks": 1, "price": 500},
    "fees": [{"name": "Intake", "amount": 250}],
    "maintenance": [
        {"kind": "booster", "every_weeks": 2, "count": 1},
        {"kind": "lozenge", "fill_price": 120, "count": 1},
    ],
}


def test_clinic_visits_are_sessions_and_boosters_not_fees_or_fills() -> None:
    """docs/clinic-format.md: series sessions, boosters and esketamine sessions are visits;
    a fee or a pharmacy fill is not. Session 2 on day 7; the booster 14 days later."""
    charges = schedule(clinic(**VISITS_AND_NOT), START, 12)
    assert [c.is_session for c in charges if c.item in ("fee", "lozenge")] == [False, False]
    assert clinic_visits(charges, "iv-infusion") == [on(0), on(7), on(7 + 14)]
    assert clinic_visits(charges, "oral") == [on(0), on(7), on(7 + 14)]


def test_treatment_at_home_has_no_clinic_visits() -> None:
    """An at-home programme takes no trips to the clinic, sessions or not."""
    charges = schedule(clinic(modality="at-home", **VISITS_AND_NOT), START, 12)
    assert [c.is_session for c in charges if c.item == "series"] == [True, True]
    assert clinic_visits(charges, "at-home") == []


def test_two_maintenance_items_side_by_side_come_out_in_date_order() -> None:
    """Items run side by side (docs/clinic-format.md), and every charge is listed in date
    order, even with no fees. The last session is day 7; boosters every 4 weeks from
    7 + 28 = 35, lozenge fills every 2 weeks from 7 + 14 = 21."""
    data = {
        "series": {"sessions": 2, "every_weeks": 1, "price": 500},
        "maintenance": [
            {"kind": "booster", "every_weeks": 4, "count": 2},
            {"kind": "lozenge", "fill_price": 120, "every_weeks": 2, "count": 3},
        ],
    }
    charges = schedule(clinic(**data), START, 12)
    assert [(c.label, (c.date - START).days) for c in charges] == [
        ("Session 1", 0),
        ("Session 2", 7),
        ("Lozenge fill 1", 7 + 14),
        ("Booster 1", 7 + 28),
        ("Lozenge fill 2", 7 + 14 + 14),
        ("Lozenge fill 3", 7 + 14 + 28),
        ("Booster 2", 7 + 28 + 28),
    ]


def test_a_horizon_of_no_months_holds_no_charge_not_even_a_one_time_fee() -> None:
    """docs/clinic-format.md: a charge counts when start <= date < start + months; with no
    months there is no such day, so the fee due on the start date falls outside too."""
    data = {
        "series": {"sessions": 2, "every_weeks": 1, "price": 500},
        "fees": [{"name": "Intake", "amount": 250, "per": "once"}],
    }
    assert schedule(clinic(**data), START, 0) == []
    assert [c.label for c in schedule(clinic(**data), START, 1)] == [
        "Session 1",
        "Intake",
        "Session 2",
    ]
