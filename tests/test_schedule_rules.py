"""Schedule, cash-flow and money rules that a changed operator would break unnoticed.

Each test pins one rule of docs/clinic-format.md and docs/plan-format.md with a hand-computed expectation whose
arithmetic is written out, chosen so that the nearby wrong rule (ceil for
floor, < for <=, the default for the given value) gives a different answer.
`benchmarks/mutation.py` measures how many such changes the tests catch.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from pydantic import ValidationError

import ketacost
from ketacost.engine.cashflow import cashflow, outlay, paid_by_day, peak_outlay
from ketacost.engine.horizon import add_months
from ketacost.engine.schedule import schedule, weeks_to_days
from ketacost.money import MAX_AMOUNT, format_money, parse_money, parse_percent, round_cents

START = date(2027, 1, 4)  # a Monday


def clinic(**extra: object) -> ketacost.Clinic:
    """Six sessions twice a week at $600: sessions on days 0, 3, 7, 10, 14, 17 (floor(k × 3.5))."""
    data: dict[str, object] = {
        "name": "Rules Clinic",
        "series": {"sessions": 6, "per_week": 2, "price": 600},
    }
    data.update(extra)
    return ketacost.Clinic.model_validate(data)


def days(events: list[ketacost.engine.schedule.Charge], item: str) -> list[int]:
    return [(e.date - START).days for e in events if e.item == item]


LAST_SERIES = 17  # floor(5 × 3.5)


# --- maintenance timing ------------------------------------------------------------------------


def test_maintenance_event_k_is_on_floor_of_k_times_interval() -> None:
    # per_week: 3 → 7/3 days. First event one interval after the last session, floored:
    # 17 + floor(7/3) = 17 + 2 = 19; then 19 + floor(k × 7/3) for k = 1..4:
    # floor(2.33) = 2, floor(4.67) = 4, floor(7) = 7, floor(9.33) = 9 → 21, 23, 26, 28.
    # (ceil would give 17 + 3 = 20, then +3, +5, +7, +10.)
    events = schedule(
        clinic(maintenance=[{"kind": "booster", "per_week": 3, "count": 5}]), START, 12
    )
    assert days(events, "booster") == [19, 19 + 2, 19 + 4, 19 + 7, 19 + 9]


def test_fractional_after_weeks_rounds_down_to_whole_days() -> None:
    # after_weeks 1.5 = 10.5 days → 10 (floor), not 11; then every 12 weeks (84 days).
    events = schedule(
        clinic(
            maintenance=[{"kind": "booster", "every_weeks": 12, "after_weeks": "1.5", "count": 2}]
        ),
        START,
        12,
    )
    assert days(events, "booster") == [LAST_SERIES + 10, LAST_SERIES + 10 + 84]


def test_after_weeks_zero_is_the_day_of_the_last_session() -> None:
    events = schedule(
        clinic(maintenance=[{"kind": "booster", "every_weeks": 4, "after_weeks": 0, "count": 1}]),
        START,
        12,
    )
    assert days(events, "booster") == [LAST_SERIES]


def test_default_first_interval_is_one_cadence_floored() -> None:
    # every_weeks 1.5 = 10.5 days; no after_weeks → the first is 10 days after the last
    # session (floor of one interval), then at floor(k × 10.5): 10, 21, 31.
    events = schedule(
        clinic(maintenance=[{"kind": "booster", "every_weeks": "1.5", "count": 3}]), START, 12
    )
    first = LAST_SERIES + 10
    assert days(events, "booster") == [first, first + 10, first + 21]


def test_fractional_for_weeks_ends_on_whole_days() -> None:
    # for_weeks 2.5 = 17.5 days → 17: events while before first + 17. Weekly (7 days):
    # first + 0, + 7, + 14 are inside; + 21 is not. for_weeks 3 (21 days) would still stop
    # before + 21, and for_weeks 3.1 (21.7 → 21) too; 3.15 (22.05 → 22) lets + 21 in.
    def boosters(for_weeks: str) -> list[int]:
        item = {"kind": "booster", "per_week": 1, "after_weeks": 0, "for_weeks": for_weeks}
        return days(schedule(clinic(maintenance=[item]), START, 12), "booster")

    assert boosters("2.5") == [17, 17 + 7, 17 + 14]
    assert boosters("3") == [17, 17 + 7, 17 + 14]
    assert boosters("3.15") == [17, 17 + 7, 17 + 14, 17 + 21]


def test_weeks_to_days_floors() -> None:
    assert weeks_to_days(Decimal("1.5")) == 10  # 10.5
    assert weeks_to_days(Decimal("2")) == 14
    assert weeks_to_days(Decimal("0.1")) == 0  # 0.7
    assert weeks_to_days(Decimal("0.15")) == 1  # 1.05


def test_count_and_horizon_both_stop_maintenance() -> None:
    # every 4 weeks from day 17 + 28 = 45: 45, 73, ..., while < 365 (2027-01-04 to
    # 2028-01-04): 45 + 28k < 365 → k ≤ 11 → 12 events; count: 12 keeps 12, count: 11 keeps 11.
    def fills(**extra: object) -> list[int]:
        item = {"kind": "lozenge", "fill_price": 100, **extra}
        return days(schedule(clinic(maintenance=[item]), START, 12), "lozenge")

    assert fills() == [45 + 28 * k for k in range(12)]
    assert fills(count=12) == fills()
    assert fills(count=11) == [45 + 28 * k for k in range(11)]
    assert fills(count=1) == [45]


def test_event_on_the_horizon_end_is_outside() -> None:
    # 2027-01-04 + 12 months = 2028-01-04 (day 365) is the first day *after* the horizon.
    # Weekly boosters from day 17 + 4 = 21 (after_weeks 4/7 → 4 days): 21 + 7 × 49 = 364 is
    # in, 371 out. Shift by a day (after_weeks 5/7 → 5): 22 + 7 × 49 = 365 is out.
    def last(after_weeks: str) -> int:
        item = {"kind": "booster", "per_week": 1, "after_weeks": after_weeks}
        return days(schedule(clinic(maintenance=[item]), START, 12), "booster")[-1]

    assert add_months(START, 12) == START + timedelta(days=365)  # the horizon's end
    assert last("0.5714285714285714285714285715") == 21 + 7 * 49  # 4/7 weeks, 4.0000…1 days
    assert last("0.7142857142857142857142857143") == 22 + 7 * 48


def test_series_cut_by_the_horizon_and_no_maintenance_after_it() -> None:
    # 20 sessions every 4 weeks (28 days) over 3 months (90 days: 2027-01-04 to 04-04):
    # days 0, 28, 56, 84 only; the series ends after the horizon, so no booster.
    events = schedule(
        clinic(
            series={"sessions": 20, "every_weeks": 4, "price": 500},
            maintenance=[{"kind": "booster", "every_weeks": 1, "after_weeks": 0}],
        ),
        START,
        3,
    )
    assert days(events, "series") == [0, 28, 56, 84]
    assert days(events, "booster") == []


def test_series_ending_on_the_last_day_still_gets_maintenance() -> None:
    # Sessions on days 0 and 84 (every_weeks 12) inside a 3-month horizon (90 days, to
    # 2027-04-04): daily boosters with after_weeks 0 start on day 84 and run to day 89.
    events = schedule(
        clinic(
            series={"sessions": 2, "every_weeks": 12, "price": 500},
            maintenance=[{"kind": "booster", "per_week": 7, "after_weeks": 0}],
        ),
        START,
        3,
    )
    assert days(events, "booster") == [84, 85, 86, 87, 88, 89]


# --- what is claimable, and what carries codes -----------------------------------------------

CODES = {"network": "out-of-network", "codes": [{"code": "96365", "amount": 500}]}


@pytest.mark.parametrize("kind", ["booster", "esketamine"])
def test_claimable_false_on_sessions_is_kept(kind: str) -> None:
    item = {"kind": kind, "every_weeks": 4, "count": 2, "claimable": False, "price": 700}
    events = schedule(clinic(maintenance=[item], billing=CODES), START, 12)
    sessions = [e for e in events if e.item == kind]
    assert len(sessions) == 2
    assert [(e.claimable, e.codes) for e in sessions] == [(False, ())] * 2
    # the series itself stays claimable, with its codes
    assert all(e.claimable and len(e.codes) == 1 for e in events if e.item == "series")
    plan = ketacost.Plan.model_validate(
        {"name": "P", "out_of_network": {"deductible": 0, "coinsurance": "0%"}}
    )
    result = ketacost.estimate(clinic(maintenance=[item], billing=CODES), plan, start=START)
    assert [c.charge.item for c in result.scenarios[0].claims] == ["series"] * 6


@pytest.mark.parametrize("kind", ["booster", "esketamine"])
def test_sessions_are_claimable_by_default_with_codes(kind: str) -> None:
    item = {"kind": kind, "every_weeks": 4, "count": 1, "price": 700}
    events = schedule(clinic(maintenance=[item], billing=CODES), START, 12)
    (session,) = [e for e in events if e.item == kind]
    assert session.claimable and [c.code for c in session.codes] == ["96365"]


def test_lozenge_fills_never_carry_superbill_codes() -> None:
    item = {"kind": "lozenge", "fill_price": 120, "count": 2, "claimable": True}
    events = schedule(clinic(maintenance=[item], billing=CODES), START, 12)
    fills = [e for e in events if e.item == "lozenge"]
    assert [(e.claimable, e.codes) for e in fills] == [(True, ())] * 2


def test_self_pay_only_clinic_claims_nothing_and_lists_no_codes() -> None:
    billing = {"network": "self-pay-only", "codes": [{"code": "96365", "amount": 500}]}
    item = {"kind": "booster", "every_weeks": 4, "count": 1}
    events = schedule(
        clinic(maintenance=[item], billing=billing, fees=[{"name": "F", "amount": 1}]), START, 12
    )
    assert [(e.claimable, e.codes) for e in events] == [(False, ())] * len(events)


# --- esketamine: the drug's share ------------------------------------------------------------


def test_esketamine_drug_share_from_devices() -> None:
    # 3 devices × $290 = $870 of drug; $150 for the observation visit: $1,020 a session.
    item = {
        "kind": "esketamine",
        "per_week": 1,
        "count": 2,
        "device_price": 290,
        "devices": 3,
        "session_fee": 150,
    }
    events = schedule(clinic(maintenance=[item]), START, 12)
    sessions = [e for e in events if e.item == "esketamine"]
    assert [(e.amount, e.drug) for e in sessions] == [
        (Decimal(290 * 3 + 150), Decimal(290 * 3))
    ] * 2
    assert all(e.drug is None for e in events if e.item == "series")  # an IV clinic's series


def test_esketamine_all_in_price_holds_the_56_mg_list_price_of_drug_at_most() -> None:
    """An all-in price does not say its drug part: the 56 mg list price, $590, or the whole
    price when less (the savings program pays only the drug; docs/insurance-rules.md)."""
    item = {"kind": "esketamine", "per_week": 1, "count": 1, "price": 900}
    events = schedule(clinic(modality="esketamine", maintenance=[item]), START, 12)
    assert [(e.item, e.drug) for e in events] == [("series", Decimal(590))] * 6 + [
        ("esketamine", Decimal(590))  # min(600, 590) for the series, min(900, 590) here
    ]
    cheap = {"kind": "esketamine", "per_week": 1, "count": 1, "price": 400}
    events = schedule(clinic(modality="esketamine", maintenance=[cheap]), START, 12)
    assert events[-1].drug == Decimal(400)  # below the list price: all of it


def test_esketamine_with_no_price_uses_the_later_series_price() -> None:
    # at an esketamine clinic, where the series' sessions are Spravato sessions too
    item = {"kind": "esketamine", "per_week": 1, "count": 1}
    series = {"sessions": 2, "per_week": 2, "first_price": 800, "later_price": 650}
    profile = clinic(series=series, maintenance=[item], modality="esketamine")
    events = schedule(profile, START, 12)
    (session,) = [e for e in events if e.item == "esketamine"]
    assert (session.amount, session.drug) == (Decimal(650), Decimal(590))  # min(650, 590)


def test_esketamine_with_no_price_after_an_iv_series_is_refused() -> None:
    # an IV series' price says nothing of a Spravato session's ($250 infusions would have
    # priced each esketamine session at $250, against a $1,050 cash median)
    item = {"kind": "esketamine", "per_week": 1, "count": 1}
    with pytest.raises(ValidationError, match="item 1 \\(esketamine\\) has no price"):
        clinic(maintenance=[item])


@pytest.mark.parametrize("where", ["series", "maintenance"])
def test_devices_without_the_visit_fee_are_refused(where: str) -> None:
    # the observation visit is billed beside the devices: no fee stated is not a $0 fee
    devices = {"device_price": 300, "devices": 2}
    if where == "series":
        extra: dict[str, object] = {"series": {"sessions": 2, "per_week": 2, **devices}}
    else:
        extra = {"maintenance": [{"kind": "esketamine", "per_week": 1, "count": 1, **devices}]}
    with pytest.raises(ValidationError, match="device_price needs session_fee"):
        clinic(modality="esketamine", **extra)
    zero = {**devices, "session_fee": 0}  # stated: the clinic charges nothing beside them
    if where == "series":
        extra = {"series": {"sessions": 2, "per_week": 2, **zero}}
    else:
        extra = {"maintenance": [{"kind": "esketamine", "per_week": 1, "count": 1, **zero}]}
    assert clinic(modality="esketamine", **extra).name == "Rules Clinic"


# --- fees and the stop rule ------------------------------------------------------------------


def test_stop_rule_keeps_the_monthly_fee_on_the_last_session_day() -> None:
    # Start 2027-02-01, sessions every 4 weeks (28 days): 02-01, 03-01, 03-29. Stopping after
    # two sessions, the last is 03-01, the very day the second monthly fee falls due: that
    # fee is charged (fees run until the last session, inclusive); 04-01's is not.
    start = date(2027, 2, 1)
    item = {"name": "Membership", "amount": 99, "per": "month"}
    stopped = schedule(
        clinic(series={"sessions": 3, "every_weeks": 4, "price": 500}, fees=[item]),
        start,
        12,
        stop_after=2,
    )
    assert [e.date for e in stopped if e.item == "fee"] == [date(2027, 2, 1), date(2027, 3, 1)]
    assert [e.date for e in stopped if e.item == "series"] == [date(2027, 2, 1), date(2027, 3, 1)]
    assert sum(e.amount for e in stopped) == Decimal(500 * 2 + 99 * 2)


def test_stop_rule_drops_maintenance_and_caps_series() -> None:
    item = {"kind": "booster", "every_weeks": 4}
    stopped = schedule(clinic(maintenance=[item]), START, 12, stop_after=3)
    assert [(e.item, (e.date - START).days) for e in stopped] == [
        ("series", 0),
        ("series", 3),
        ("series", 7),
    ]
    assert len(schedule(clinic(), START, 12, stop_after=10)) == 6  # never more than the series


def test_monthly_fee_every_month_of_the_horizon() -> None:
    # 2027-01-31 + k months clamps to the month's end: 02-28, 03-31, 04-30.
    events = schedule(
        clinic(fees=[{"name": "M", "amount": 10, "per": "month"}]), date(2027, 1, 31), 4
    )
    assert [e.date for e in events if e.item == "fee"] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]


def test_add_months_across_years_and_leap_days() -> None:
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)  # leap year
    assert add_months(date(2027, 12, 15), 1) == date(2028, 1, 15)
    assert add_months(date(2027, 12, 15), 12) == date(2028, 12, 15)
    assert add_months(date(2027, 1, 15), 11) == date(2027, 12, 15)
    assert add_months(date(2027, 1, 15), 0) == date(2027, 1, 15)


def test_charges_are_in_date_order_and_fees_listed_last() -> None:
    events = schedule(
        clinic(
            maintenance=[{"kind": "booster", "every_weeks": 4, "count": 1}],
            fees=[{"name": "Visit fee", "amount": 25, "per": "session"}],
        ),
        START,
        12,
    )
    assert [e.date for e in events] == sorted(e.date for e in events)
    result = ketacost.estimate(
        clinic(
            maintenance=[{"kind": "booster", "every_weeks": 4, "count": 1}],
            fees=[{"name": "Visit fee", "amount": 25, "per": "session"}],
        ),
        start=START,
    )
    assert [p.name for p in result.phases][-1] == "Fees"
    # 6 sessions + 1 booster = 7 visits with the $25 fee
    assert result.total == Decimal(600 * 6 + 600 + 25 * 7)


# --- the cash flow's months ------------------------------------------------------------------


def months_of(start: date, months: int) -> list[str]:
    result = ketacost.estimate(clinic(), start=start, months=months)
    return [m.month for m in result.scenarios[0].cashflow]


def test_last_cashflow_month_when_the_horizon_ends_on_the_2nd() -> None:
    # 2027-01-02 + 12 months = 2028-01-02: the last day inside is 2028-01-01, so January
    # 2028 is a month of the horizon: 13 calendar months are listed.
    assert months_of(date(2027, 1, 2), 12)[-1] == "2028-01"
    assert len(months_of(date(2027, 1, 2), 12)) == 13
    # From the 1st, the horizon ends on 2027-12-31: exactly 12 months.
    assert months_of(date(2027, 1, 1), 12) == [f"2027-{m:02d}" for m in range(1, 13)]


def test_cashflow_runs_to_the_last_reimbursement_and_sums_exactly() -> None:
    by_day = {date(2027, 1, 4): Decimal("600.00"), date(2027, 2, 1): Decimal("300.00")}
    paid = outlay(by_day, date(2027, 1, 4), date(2027, 2, 4))
    assert (paid.total, paid.first_month, paid.last_month) == (
        Decimal("900.00"),
        2027 * 12 + 0,
        2027 * 12 + 1,
    )
    months = cashflow(paid, [(date(2027, 4, 10), Decimal("250.00"))])
    assert [(m.month, m.paid, m.reimbursed, m.cumulative) for m in months] == [
        ("2027-01", Decimal("600.00"), Decimal("0.00"), Decimal("600.00")),
        ("2027-02", Decimal("300.00"), Decimal("0.00"), Decimal("900.00")),
        ("2027-03", Decimal("0.00"), Decimal("0.00"), Decimal("900.00")),
        ("2027-04", Decimal("0.00"), Decimal("250.00"), Decimal(900 - 250)),
    ]


def test_cashflow_covers_a_payment_after_the_horizon() -> None:
    # A loan instalment in 2027-05 after a horizon ending in 2027-02 extends the months.
    paid = outlay({date(2027, 5, 3): Decimal(100)}, date(2027, 1, 4), date(2027, 2, 4))
    assert paid.last_month == 2027 * 12 + 4
    assert [m.month for m in cashflow(paid, [])][-1] == "2027-05"
    december = outlay({date(2027, 12, 3): Decimal(1)}, date(2027, 12, 1), date(2028, 1, 1))
    assert [m.month for m in cashflow(december, [])] == ["2027-12"]


def test_paid_by_day_adds_charges_on_the_same_day() -> None:
    events = schedule(clinic(fees=[{"name": "Intake", "amount": 300}]), START, 12)
    assert paid_by_day(events)[START] == Decimal(600 + 300)
    assert paid_by_day(events)[START + timedelta(days=3)] == Decimal(600)


def test_peak_outlay_is_the_highest_running_balance() -> None:
    # +600 on day 0, +600 on day 3, −500 back on day 5, +600 on day 7:
    # running 600, 1200, 700, 1300 → peak 1,300; with 800 back on day 5: 600, 1200, 400,
    # 1000 → peak 1,200 (reached before the money came back).
    by_day = {
        START: Decimal(600),
        START + timedelta(days=3): Decimal(600),
        START + timedelta(days=7): Decimal(600),
    }
    paid = outlay(by_day, START, START + timedelta(days=30))
    back = START + timedelta(days=5)
    assert peak_outlay(paid, [(back, Decimal(500))]) == Decimal(600 + 600 - 500 + 600)
    assert peak_outlay(paid, [(back, Decimal(800))]) == Decimal(600 + 600)
    # money back on a day with a payment nets out within the day
    same = outlay({START: Decimal(600)}, START, START + timedelta(days=30))
    assert peak_outlay(same, [(START, Decimal(600))]) == Decimal(0)
    assert peak_outlay(same, [(START, Decimal(700))]) == Decimal(0)  # never below zero peak


# --- money: the limits and the one rounding rule ---------------------------------------------


def test_the_100_million_boundary() -> None:
    assert Decimal(100_000_000) == MAX_AMOUNT
    assert parse_money(100_000_000) == Decimal(100_000_000)
    assert parse_money("100000000.00") == Decimal(100_000_000)
    assert parse_money("$100,000,000") == Decimal(100_000_000)
    for above in ("100000000.01", 100_000_001, Decimal("100000000.01")):
        with pytest.raises(ValueError, match="implausibly large"):
            parse_money(above)


def test_money_edges() -> None:
    assert parse_money(0) == Decimal(0)
    assert parse_money("0.01") == Decimal("0.01")
    assert parse_money(".5") == Decimal("0.5")
    assert parse_money("USD 1,200.50") == Decimal("1200.50")
    for bad in ("-0.01", Decimal("-1"), -1, "1,20", "0.001", "12.345", "abc", "", True, 1.5):
        with pytest.raises(ValueError):
            parse_money(bad)


def test_round_cents_half_up_and_format() -> None:
    assert round_cents(Decimal("0.005")) == Decimal("0.01")
    assert round_cents(Decimal("0.0049")) == Decimal("0.00")
    assert round_cents(Decimal("2.675")) == Decimal("2.68")  # float would give 2.67
    assert round_cents(Decimal("-0.005")) == Decimal("-0.01")  # half away from zero
    assert format_money(Decimal(7)) == "7.00"
    assert format_money(Decimal("1234.5")) == "1234.50"


def test_percent_edges() -> None:
    assert parse_percent("40%") == Decimal("0.4")
    assert parse_percent("100%") == Decimal(1)
    assert parse_percent("0%") == Decimal(0)
    assert parse_percent(1) == Decimal(1)  # a bare 1 is 100%
    assert parse_percent(0) == Decimal(0)
    assert parse_percent("0.4") == Decimal("0.4")
    assert parse_percent(Decimal("0.25")) == Decimal("0.25")
    with pytest.raises(ValueError, match=r"write 40% with the % sign, or the fraction 0\.4$"):
        parse_percent(40)
    for bad in ("100.01%", "101%", 2, "40", Decimal("1.01"), "-5%", Decimal("-0.1"), "x%"):
        with pytest.raises(ValueError):
            parse_percent(bad)


def test_interval_arithmetic_is_exact() -> None:
    series = clinic(series={"sessions": 2, "per_week": 3, "price": 1}).series
    assert series.interval == Fraction(7, 3)
    series = clinic(series={"sessions": 2, "every_weeks": "1.5", "price": 1}).series
    assert series.interval == Fraction(21, 2)


def test_dates_are_plain_dates() -> None:
    assert isinstance(schedule(clinic(), START, 1)[0].date, dt.date)


# --- how charges are named and grouped -------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "phase"),
    [
        ({"every_weeks": 12}, "Booster every 12 weeks"),
        ({"every_weeks": 1}, "Booster every week"),
        ({"per_week": 1}, "Booster every week"),
        ({"per_week": 3}, "Booster 3× a week"),
        ({"per_week": 7}, "Booster 7× a week"),
        ({"every_weeks": "1.5"}, "Booster every 10.5 days"),
        ({"per_week": "0.5"}, "Booster every 2 weeks"),
        ({"per_week": "2.5"}, "Booster every 2.8 days"),  # 7 / 2.5
    ],
)
def test_phase_names_say_the_cadence(cadence: dict[str, object], phase: str) -> None:
    item = {"kind": "booster", "count": 1, **cadence}
    events = schedule(clinic(maintenance=[item]), START, 12)
    assert [e.phase for e in events if e.item == "booster"] == [phase]
    assert [(e.label, e.line) for e in events if e.item == "booster"] == [("Booster 1", "Booster")]


def test_several_items_are_numbered_and_ranked_in_order() -> None:
    items = [
        {"kind": "lozenge", "fill_price": 100, "count": 1},
        {"kind": "booster", "every_weeks": 8, "count": 2, "label": "Top-up"},
        {"kind": "esketamine", "per_week": 1, "count": 1, "price": 900},
    ]
    events = schedule(
        clinic(maintenance=items, fees=[{"name": "Intake", "amount": 300}]), START, 12
    )
    named = {(e.item, e.phase, e.rank) for e in events}
    assert named == {
        ("series", "Series", 0),
        ("lozenge", "1. Lozenge fill every 4 weeks", 1),
        ("booster", "Top-up", 2),
        ("esketamine", "3. Esketamine session every week", 3),
        ("fee", "Fees", 10_000),
    }
    # a labelled item's visits carry its label, so a ledger can tell them from others
    assert [e.label for e in events if e.item == "booster"] == ["Top-up 1", "Top-up 2"]
    two = schedule(clinic(maintenance=items[:2]), START, 12)
    assert {e.phase for e in two if e.item == "lozenge"} == {"1. Lozenge fill every 4 weeks"}
    single = schedule(clinic(maintenance=items[:1]), START, 12)
    assert {e.phase for e in single if e.item == "lozenge"} == {"Lozenge fill every 4 weeks"}


def test_series_lines_name_first_and_later_sessions() -> None:
    series = {"sessions": 4, "per_week": 2, "first_price": 750, "first_sessions": 2,
              "later_price": 600}  # fmt: skip
    events = schedule(clinic(series=series), START, 12)
    assert [(e.label, e.line, e.amount) for e in events] == [
        ("Session 1", "First sessions", Decimal(750)),
        ("Session 2", "First sessions", Decimal(750)),
        ("Session 3", "Later sessions", Decimal(600)),
        ("Session 4", "Later sessions", Decimal(600)),
    ]
    same = {"sessions": 2, "per_week": 2, "first_price": 600, "later_price": 600}
    assert {e.line for e in schedule(clinic(series=same), START, 12)} == {"Sessions"}
    assert {e.line for e in schedule(clinic(), START, 12)} == {"Sessions"}


def test_horizon_limits() -> None:
    first = date(2027, 1, 1)  # from the 1st, N months are N calendar months
    assert len(ketacost.estimate(clinic(), start=first, months=120).scenarios[0].cashflow) == 120
    with pytest.raises(ketacost.InputError, match="from 1 to 120"):
        ketacost.estimate(clinic(), start=START, months=121)
    with pytest.raises(ketacost.InputError, match="from 1 to 120"):
        ketacost.estimate(clinic(), start=START, months=0)
    assert len(ketacost.estimate(clinic(), start=first, months=1).scenarios[0].cashflow) == 1


def test_a_series_session_on_the_horizon_end_is_outside() -> None:
    # Twice a week from 2027-01-04 over one month (end 2027-02-04, day 31): sessions on
    # floor(k × 3.5) = 0, 3, 7, 10, 14, 17, 21, 24, 28 are in; k = 9 gives floor(31.5) = 31,
    # the end day itself, which is outside.
    events = schedule(clinic(series={"sessions": 12, "per_week": 2, "price": 100}), START, 1)
    assert days(events, "series") == [0, 3, 7, 10, 14, 17, 21, 24, 28]


def test_charges_cannot_be_changed_after_scheduling() -> None:
    # Claims refer to charges by identity in every scenario: a charge must not change.
    event = schedule(clinic(), START, 1)[0]
    with pytest.raises(AttributeError):
        event.amount = Decimal(1)  # type: ignore[misc]


def test_plain_numbers() -> None:
    from ketacost.money import parse_decimal

    assert parse_decimal("1.5") == Decimal("1.5")
    assert parse_decimal(0) == Decimal(0)
    assert parse_decimal(Decimal("2")) == Decimal(2)
    for bad in ("abc", "NaN", "Infinity", "-1", Decimal("-0.5"), -2, None, [1], 1.5, True):
        with pytest.raises(ValueError):
            parse_decimal(bad)


def test_cashflow_values_cannot_be_changed() -> None:
    # Every scenario shares one Outlay; a month once listed is final.
    paid = outlay({START: Decimal(1)}, START, START + timedelta(days=1))
    month = cashflow(paid, [])[0]
    with pytest.raises(AttributeError):
        paid.total = Decimal(2)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        month.paid = Decimal(2)  # type: ignore[misc]


def test_lowered_takes_a_scenarios_own_payments_off_the_days_and_months() -> None:
    # In network the patient pays only their share: $600 billed on 01-04 with $450 paid by
    # the plan leaves 600 − 450 = 150 that day; January 150 + 400 = 550; the total 550 too.
    from ketacost.engine.cashflow import lowered

    second = date(2027, 1, 20)
    paid = outlay({START: Decimal(600), second: Decimal(400)}, START, date(2027, 3, 4))
    low = lowered(paid, [(START, Decimal(450))])
    assert low.by_day == {START: Decimal(600 - 450), second: Decimal(400)}
    assert low.by_month == {2027 * 12: Decimal(600 - 450 + 400)}
    assert low.total == Decimal(600 - 450 + 400)
    assert (low.first_month, low.last_month) == (paid.first_month, paid.last_month)
    assert paid.total == Decimal(1000)  # the shared outlay itself is untouched
