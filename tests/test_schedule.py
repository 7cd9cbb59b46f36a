"""The timeline contract (docs/clinic-format.md): which charges fall on which days, and what they cost."""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from decimal import Decimal

import pytest

import ketacost
from ketacost.files.load import load_document
from ketacost.files.yaml_source import parse

START = date(2027, 1, 4)  # a Monday

LA_SERIES = """
    name: Two-price Clinic
    series:
      sessions: 6
      per_week: 2
      first_price: 750
      first_sessions: 2
      later_price: 600
"""


def run(clinic: ketacost.Clinic, start: date = START, months: int = 12) -> ketacost.Estimate:
    return ketacost.estimate(clinic, None, start=start, months=months)


def load(text: str) -> ketacost.Clinic:
    """Return the clinic in ``text``, read as a file would be but never written to disk."""
    clinic = load_document(parse("clinic.yaml", textwrap.dedent(text).lstrip("\n")), "clinic")
    assert isinstance(clinic, ketacost.Clinic)
    return clinic


def dates_of(result: ketacost.Estimate, *items: str) -> list[date]:
    return [e.date for e in result.events if not items or e.item in items]


def amounts_of(result: ketacost.Estimate, *items: str) -> list[Decimal]:
    return [e.amount for e in result.events if not items or e.item in items]


def offsets(*days: int, start: date = START) -> list[date]:
    return [start + timedelta(days=d) for d in days]


# --- the series ------------------------------------------------------------------


def test_six_sessions_twice_a_week_fall_on_the_contract_days() -> None:
    result = run(load(LA_SERIES))
    # interval 7/2 days: floor(k × 3.5) = 0, 3, 7, 10, 14, 17
    assert dates_of(result, "series") == [
        date(2027, 1, 4),
        date(2027, 1, 7),
        date(2027, 1, 11),
        date(2027, 1, 14),
        date(2027, 1, 18),
        date(2027, 1, 21),
    ]
    assert dates_of(result, "series") == offsets(0, 3, 7, 10, 14, 17)


def test_series_total_two_first_sessions_then_later_price() -> None:
    result = run(load(LA_SERIES))
    assert amounts_of(result, "series") == [Decimal(750)] * 2 + [Decimal(600)] * 4
    assert result.total == Decimal(750 * 2 + 600 * 4)
    assert result.total == Decimal("3900.00")
    assert result.series_total == Decimal(750 * 2 + 600 * 4)
    assert [e.label for e in result.events] == [f"Session {k}" for k in range(1, 7)]
    assert all(e.claimable for e in result.events)


def test_clinic_built_in_python_gives_the_same_series() -> None:
    clinic = ketacost.Clinic(
        name="Westside Ketamine",
        series={"sessions": 6, "per_week": 2, "first_price": 750, "first_sessions": 2,
                "later_price": 600},
    )  # fmt: skip
    result = run(clinic)
    assert dates_of(result) == offsets(0, 3, 7, 10, 14, 17)
    assert result.total == Decimal(750 * 2 + 600 * 4)


def test_default_cadence_is_twice_a_week() -> None:
    result = run(
        load(
            """
            name: No Cadence
            series:
              sessions: 4
              price: 500
            """,
        )
    )
    assert dates_of(result) == offsets(0, 3, 7, 10)  # floor(k × 3.5)
    assert result.total == Decimal(500 * 4)


def test_three_a_week_floors_k_times_seven_thirds() -> None:
    result = run(
        load(
            """
            name: Three A Week
            series:
              sessions: 6
              per_week: 3
              price: 400
            """,
        )
    )
    # floor(k × 7/3) for k = 0..5: 0, 2.33→2, 4.67→4, 7, 9.33→9, 11.67→11
    assert dates_of(result) == offsets(0, 2, 4, 7, 9, 11)
    assert dates_of(result) == [
        date(2027, 1, 4),
        date(2027, 1, 6),
        date(2027, 1, 8),
        date(2027, 1, 11),
        date(2027, 1, 13),
        date(2027, 1, 15),
    ]


@pytest.mark.parametrize(
    ("every_weeks", "expected_offsets"),
    [(1, (0, 7, 14, 21)), (2, (0, 14, 28, 42))],
)
def test_series_every_weeks_cadence(every_weeks, expected_offsets) -> None:
    result = run(
        load(
            f"""
            name: Weekly
            series:
              sessions: 4
              every_weeks: {every_weeks}
              price: 450
            """,
        )
    )
    assert dates_of(result) == offsets(*expected_offsets)
    assert result.total == Decimal(450 * 4)


def test_first_sessions_defaults_to_one() -> None:
    result = run(
        load(
            """
            name: One First
            series:
              sessions: 3
              first_price: 750
              later_price: 600
            """,
        )
    )
    assert amounts_of(result) == [Decimal(750), Decimal(600), Decimal(600)]
    assert result.total == Decimal(750 + 600 * 2)


def test_later_price_defaults_to_first_price() -> None:
    result = run(
        load(
            """
            name: Only First Price
            series:
              sessions: 4
              first_price: 700
            """,
        )
    )
    assert amounts_of(result) == [Decimal(700)] * 4
    assert result.total == Decimal(700 * 4)


def test_flat_price() -> None:
    result = run(
        load(
            """
            name: Flat
            series:
              sessions: 6
              price: 590
            """,
        )
    )
    assert amounts_of(result) == [Decimal(590)] * 6
    assert result.total == Decimal(590 * 6)


# --- boosters --------------------------------------------------------------------


def test_booster_every_eight_weeks_adds_six_in_the_first_year() -> None:
    result = run(
        load(
            LA_SERIES
            + """
    maintenance:
      - kind: booster
        every_weeks: 8
    """,
        )
    )
    # Last series session 2027-01-21; no after_weeks, so the first booster is one
    # interval (8 weeks = 56 days) later, then every 56 days, while before 2028-01-04:
    #   01-21 + 56 = 03-18 (10 + 28 + 18), 03-18 + 56 = 05-13 (13 + 30 + 13),
    #   05-13 + 56 = 07-08 (18 + 30 + 8), 07-08 + 56 = 09-02 (23 + 31 + 2),
    #   09-02 + 56 = 10-28 (28 + 28), 10-28 + 56 = 12-23 (3 + 30 + 23);
    #   the next, 2028-02-17, is past the horizon.
    boosters = dates_of(result, "booster")
    assert boosters == [
        date(2027, 3, 18),
        date(2027, 5, 13),
        date(2027, 7, 8),
        date(2027, 9, 2),
        date(2027, 10, 28),
        date(2027, 12, 23),
    ]
    assert boosters[0] == date(2027, 1, 21) + timedelta(weeks=8)
    assert [boosters[k + 1] - boosters[k] for k in range(5)] == [timedelta(days=56)] * 5
    # booster price defaults to series.later_price
    assert amounts_of(result, "booster") == [Decimal(600)] * 6
    assert all(e.claimable for e in result.events if e.item == "booster")
    assert result.total == Decimal(750 * 2 + 600 * 4 + 600 * 6)


def test_booster_after_weeks_sets_the_first_event() -> None:
    result = run(
        load(
            LA_SERIES
            + """
    maintenance:
      - kind: booster
        price: 650
        every_weeks: 12
        after_weeks: 2
    """,
        )
    )
    # 2027-01-21 + 14 days = 02-04; then every 84 days: 04-29 (24 + 31 + 29),
    # 07-22 (1 + 31 + 30 + 22), 10-14 (9 + 31 + 30 + 14); 2028-01-06 is past 2028-01-03.
    assert dates_of(result, "booster") == [
        date(2027, 2, 4),
        date(2027, 4, 29),
        date(2027, 7, 22),
        date(2027, 10, 14),
    ]
    assert result.total == Decimal(750 * 2 + 600 * 4 + 650 * 4)


def test_booster_count_caps_the_number_of_events() -> None:
    result = run(
        load(
            LA_SERIES
            + """
    maintenance:
      - kind: booster
        every_weeks: 4
        count: 3
    """,
        )
    )
    # first at 01-21 + 28 days = 02-18; three only, though the year has room for more
    assert dates_of(result, "booster") == offsets(0, 28, 56, start=date(2027, 2, 18))
    assert result.total == Decimal(750 * 2 + 600 * 4 + 600 * 3)


def test_booster_for_weeks_limits_the_duration() -> None:
    result = run(
        load(
            LA_SERIES
            + """
    maintenance:
      - kind: booster
        every_weeks: 2
        after_weeks: 1
        for_weeks: 5
    """,
        )
    )
    # first at 01-21 + 7 = 01-28; every 14 days for 5 weeks (35 days): offsets 0, 14, 28
    assert dates_of(result, "booster") == offsets(0, 14, 28, start=date(2027, 1, 28))
    assert result.total == Decimal(750 * 2 + 600 * 4 + 600 * 3)


def test_la_default_profile_has_four_boosters_in_the_first_year() -> None:
    result = run(ketacost.load_clinic("los-angeles-iv"))
    # after_weeks 12 and every_weeks 12 (84 days) from the last series day 2027-01-21
    assert dates_of(result, "booster") == [
        date(2027, 4, 15),
        date(2027, 7, 8),
        date(2027, 9, 30),
        date(2027, 12, 23),
    ]
    assert result.total == Decimal(750 * 2 + 600 * 4 + 600 * 4)


# --- esketamine ------------------------------------------------------------------

ESKETAMINE_LABEL_DATES = [
    # series: twice a week for 4 weeks, floor(k × 3.5) = 0, 3, 7, 10, 14, 17, 21, 24
    date(2027, 1, 4),
    date(2027, 1, 7),
    date(2027, 1, 11),
    date(2027, 1, 14),
    date(2027, 1, 18),
    date(2027, 1, 21),
    date(2027, 1, 25),
    date(2027, 1, 28),
    # weekly, 4 sessions, from 01-28 + 1 week
    date(2027, 2, 4),
    date(2027, 2, 11),
    date(2027, 2, 18),
    date(2027, 2, 25),
    # every 2 weeks from 01-28 + 6 weeks = 03-11, before 2027-07-04 (start + 6 months)
    date(2027, 3, 11),
    date(2027, 3, 25),
    date(2027, 4, 8),
    date(2027, 4, 22),
    date(2027, 5, 6),
    date(2027, 5, 20),
    date(2027, 6, 3),
    date(2027, 6, 17),
    date(2027, 7, 1),
]

ESKETAMINE_YAML = """
    name: Label Schedule
    modality: esketamine
    series:
      sessions: 8
      per_week: 2
      price: 1050
    maintenance:
      - kind: esketamine
        price: 1050
        per_week: 1
        after_weeks: 1
        count: 4
        label: Weekly session
      - kind: esketamine
        price: 1050
        every_weeks: 2
        after_weeks: 6
        label: Every-other-week session
"""


def test_esketamine_label_schedule_is_21_sessions_in_six_months() -> None:
    result = run(load(ESKETAMINE_YAML), months=6)
    assert len(ESKETAMINE_LABEL_DATES) == 8 + 4 + 9
    assert dates_of(result) == ESKETAMINE_LABEL_DATES
    assert len(dates_of(result, "series")) == 8
    assert len(dates_of(result, "esketamine")) == 4 + 9
    assert result.sessions == 8 + 4 + 9
    assert result.total == Decimal(1050 * (8 + 4 + 9))


def test_bundled_esketamine_cash_profile_is_21_sessions_in_six_months() -> None:
    result = run(ketacost.load_clinic("esketamine-cash"), months=6)
    assert dates_of(result) == ESKETAMINE_LABEL_DATES
    assert result.total == Decimal(1050 * 21)
    assert result.total == Decimal("22050.00")


def test_esketamine_price_from_devices_and_session_fee() -> None:
    result = run(
        load(
            """
            name: Spravato Itemised
            series:
              sessions: 2
              per_week: 2
              price: 1000
            maintenance:
              - kind: esketamine
                device_price: 300
                devices: 3
                session_fee: 150
                every_weeks: 1
                count: 2
            """,
        )
    )
    assert amounts_of(result, "esketamine") == [Decimal(300 * 3 + 150)] * 2
    assert all(e.claimable for e in result.events if e.item == "esketamine")
    assert result.total == Decimal(1000 * 2 + (300 * 3 + 150) * 2)


# --- lozenges --------------------------------------------------------------------

SIX_AT_600 = """
    name: Lozenge Clinic
    series:
      sessions: 6
      per_week: 2
      price: 600
"""


def test_lozenge_fill_price_every_four_weeks_by_default_not_claimable() -> None:
    result = run(
        load(
            SIX_AT_600
            + """
    maintenance:
      - kind: lozenge
        fill_price: 120
    """,
        ),
        months=3,
    )
    # last series 01-21; fills every 28 days from 01-21 + 28 = 02-18, before 2027-04-04
    assert dates_of(result, "lozenge") == [date(2027, 2, 18), date(2027, 3, 18)]
    assert amounts_of(result, "lozenge") == [Decimal(120)] * 2
    assert not any(e.claimable for e in result.events if e.item == "lozenge")
    assert result.total == Decimal(600 * 6 + 120 * 2)


def test_lozenge_price_times_per_fill() -> None:
    result = run(
        load(
            SIX_AT_600
            + """
    maintenance:
      - kind: lozenge
        price: 4.50
        per_fill: 30
        count: 2
    """,
        )
    )
    per_fill = Decimal(450 * 30) / 100  # $4.50 × 30 = $135.00
    assert amounts_of(result, "lozenge") == [per_fill, per_fill]
    assert result.total == Decimal(600 * 6) + 2 * per_fill
    assert result.total == Decimal("3870.00")


def test_lozenge_claimable_when_marked() -> None:
    result = run(
        load(
            SIX_AT_600
            + """
    maintenance:
      - kind: lozenge
        fill_price: 120
        claimable: true
        count: 1
    """,
        )
    )
    assert [e.claimable for e in result.events if e.item == "lozenge"] == [True]


# --- fees ------------------------------------------------------------------------


def test_once_fee_on_the_start_date_not_claimable_by_default() -> None:
    result = run(
        load(
            SIX_AT_600
            + """
    fees:
      - name: Psychiatric intake
        amount: 300
        per: once
    """,
        )
    )
    fees = [e for e in result.events if e.item == "fee"]
    assert [(f.date, f.amount, f.label, f.claimable) for f in fees] == [
        (START, Decimal(300), "Psychiatric intake", False)
    ]
    assert result.total == Decimal(600 * 6 + 300)


def test_fee_default_per_is_once() -> None:
    result = run(
        load(
            SIX_AT_600
            + """
    fees:
      - name: Intake
        amount: 250
    """,
        )
    )
    assert [(e.date, e.amount) for e in result.events if e.item == "fee"] == [(START, Decimal(250))]


def test_claimable_fee() -> None:
    result = run(
        load(
            SIX_AT_600
            + """
    fees:
      - name: Intake
        amount: 250
        claimable: true
    """,
        )
    )
    assert [e.claimable for e in result.events if e.item == "fee"] == [True]


def test_session_fee_with_series_booster_esketamine_but_not_lozenge() -> None:
    result = run(
        load(
            SIX_AT_600
            + """
    fees:
      - name: Monitoring
        amount: 25
        per: session
    maintenance:
      - kind: booster
        every_weeks: 8
        count: 2
      - kind: esketamine
        price: 900
        every_weeks: 4
        after_weeks: 1
        count: 2
      - kind: lozenge
        fill_price: 120
        count: 2
    """,
        )
    )
    sessions = dates_of(result, "series", "booster", "esketamine")
    assert len(sessions) == 6 + 2 + 2
    assert len(dates_of(result, "lozenge")) == 2
    fee_dates = dates_of(result, "fee")
    assert fee_dates == sorted(sessions)
    # lozenge fill days (02-18, 03-18): 03-18 is also a booster day, 02-18 has no session
    assert date(2027, 2, 18) in dates_of(result, "lozenge")
    assert date(2027, 2, 18) not in fee_dates
    assert result.total == Decimal(600 * 6 + 600 * 2 + 900 * 2 + 120 * 2 + 25 * (6 + 2 + 2))


def test_monthly_fee_on_start_date_and_each_calendar_month() -> None:
    result = run(
        load(
            SIX_AT_600
            + """
    fees:
      - name: Membership
        amount: 99
        per: month
    """,
        )
    )
    assert dates_of(result, "fee") == [date(2027, month, 4) for month in range(1, 13)]
    assert result.total == Decimal(600 * 6 + 99 * 12)


def test_monthly_fee_from_january_31_clamps_to_month_end() -> None:
    result = run(
        load(
            """
            name: Month End
            series:
              sessions: 1
              price: 600
            fees:
              - name: Membership
                amount: 99
                per: month
            """,
        ),
        start=date(2027, 1, 31),
        months=3,
    )
    assert dates_of(result, "fee") == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]
    assert result.total == Decimal(600 + 99 * 3)


# --- the horizon -----------------------------------------------------------------

WEEKLY_SIX = """
    name: Weekly Six
    series:
      sessions: 6
      every_weeks: 1
      price: 500
"""


def test_event_on_start_plus_n_months_is_excluded() -> None:
    clinic = load(WEEKLY_SIX)
    start = date(2027, 2, 1)  # + 1 calendar month = 2027-03-01, exactly 28 days later
    result = run(clinic, start=start, months=1)
    assert dates_of(result) == [date(2027, 2, 1), date(2027, 2, 8), date(2027, 2, 15),
                                date(2027, 2, 22)]  # fmt: skip
    assert result.total == Decimal(500 * 4)


def test_longer_horizon_includes_that_day() -> None:
    clinic = load(WEEKLY_SIX)
    result = run(clinic, start=date(2027, 2, 1), months=2)
    assert dates_of(result) == offsets(0, 7, 14, 21, 28, 35, start=date(2027, 2, 1))
    assert date(2027, 3, 1) in dates_of(result)
    assert result.total == Decimal(500 * 6)


def test_maintenance_event_on_the_horizon_end_is_excluded() -> None:
    clinic = load(
        """
        name: Boundary Booster
        series:
          sessions: 1
          price: 700
        maintenance:
          - kind: booster
            price: 500
            every_weeks: 4
        """,
    )
    start = date(2027, 2, 1)  # boosters 03-01 (= start + 1 month), 03-29, 04-26 ...
    assert dates_of(run(clinic, start=start, months=1), "booster") == []
    assert dates_of(run(clinic, start=start, months=2), "booster") == [
        date(2027, 3, 1),
        date(2027, 3, 29),
    ]


def test_events_are_in_date_order_and_inside_the_horizon() -> None:
    result = run(ketacost.load_clinic("los-angeles-iv"))
    days = dates_of(result)
    assert days == sorted(days)
    assert days[0] >= START
    assert days[-1] < date(2028, 1, 4)


@pytest.mark.parametrize("months", [0, -1])
def test_months_must_be_positive(months: int) -> None:
    with pytest.raises(ketacost.InputError):
        run(load(SIX_AT_600), months=months)
