"""Properties of adjudication in both networks, with copays (docs/adjudication.md).

For every claim and every scenario: allowed = deductible + copay + coinsurance +
the plan's part, with the patient's figures those borne after the cap. In network the
patient pays only their share (never above the allowed total) and is never balance
billed; the share never passes the cap in a plan year; a higher copay never lowers
what the patient pays.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketacost import Clinic, Plan, estimate

ZERO = Decimal(0)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STARTS = st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31))
MONTHS = st.integers(1, 24)


def cents(low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda c: Decimal(c).scaleb(-2))


def percent(draw: Any) -> str:
    return f"{Decimal(draw(st.integers(0, 10_000))).scaleb(-2):f}%"


@st.composite
def clinic_data(draw: Any, network: str) -> dict:
    return {
        "name": "Random clinic",
        "series": {
            "sessions": draw(st.integers(1, 12)),
            "per_week": draw(st.sampled_from([1, 2])),
            "first_price": draw(cents(0, 200_000)),
            "later_price": draw(cents(0, 200_000)),
        },
        "maintenance": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "kind": st.just("booster"),
                        "price": cents(0, 200_000),
                        "every_weeks": st.sampled_from([2, 4, 12]),
                    }
                ),
                max_size=1,
            )
        ),
        "billing": {"network": network, "superbill": True},
    }


@st.composite
def terms_data(draw: Any, cap: bool | None = None) -> dict:
    terms: dict = {
        "deductible": draw(cents(0, 300_000)),
        "copay": draw(cents(0, 30_000)),
        "coinsurance": percent(draw),
        "allowed": draw(
            st.one_of(
                st.integers(0, 10_000).map(lambda b: f"{Decimal(b).scaleb(-2):f}%"),
                cents(0, 200_000).map(lambda a: f"${a}"),
            )
        ),
    }
    if draw(st.booleans()) if cap is None else cap:
        terms["out_of_pocket_max"] = draw(cents(0, 800_000))
    return terms


@st.composite
def case(draw: Any, *, network: str | None = None, cap: bool | None = None) -> tuple:
    chosen = network or draw(st.sampled_from(["in-network", "out-of-network"]))
    block = "in_network" if chosen == "in-network" else "out_of_network"
    plan = {
        "name": "Random plan",
        "plan_year_starts": f"{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}",
        block: draw(terms_data(cap)),
        "already_met": {
            "deductible": draw(cents(0, 200_000)),
            "out_of_pocket": draw(cents(0, 200_000)),
        },
    }
    return draw(clinic_data(chosen)), plan, draw(STARTS), draw(MONTHS)


def run(clinic: dict, plan: dict, start: dt.date, months: int):
    return estimate(Clinic(**clinic), Plan(**plan), start=start, months=months).scenarios[0]


def plan_year(day: dt.date, month_day: str) -> dt.date:
    month, mday = (int(p) for p in month_day.split("-"))
    begins = dt.date(day.year, month, mday)
    return begins if begins <= day else dt.date(day.year - 1, month, mday)


@SETTINGS
@given(case())
def test_allowed_is_deductible_copay_coinsurance_and_plan_part(data):
    """The issue's identity, on the figures shown: after the cap, every line adds up."""
    scenario = run(*data)
    for claim in scenario.claims:
        assert claim.allowed == claim.deductible + claim.copay + claim.coinsurance + claim.plan_part
        assert min(claim.deductible, claim.copay, claim.coinsurance, claim.plan_part) >= 0
    assert scenario.allowed == (
        scenario.deductible + scenario.copay + scenario.coinsurance + scenario.plan_part
    )


@SETTINGS
@given(case(network="in-network"))
def test_in_network_net_within_allowed_and_no_balance_bill(data):
    scenario = run(*data)
    assert scenario.balance_billed == 0
    assert scenario.reimbursed == 0
    assert scenario.net == scenario.paid  # nothing comes back later
    assert scenario.net <= scenario.allowed  # every charge here is a claim
    assert scenario.peak_outlay == scenario.net  # paid as it goes, never fronted
    for claim in scenario.claims:
        assert claim.paid == claim.share
        assert claim.plan_paid == claim.allowed - claim.share


@SETTINGS
@given(case(cap=True))
def test_share_never_exceeds_the_cap_in_any_plan_year(data):
    clinic, plan, start, months = data
    scenario = run(clinic, plan, start, months)
    block = "in_network" if "in_network" in plan else "out_of_network"
    cap = plan[block]["out_of_pocket_max"]
    first = plan_year(start, plan["plan_year_starts"])
    years: dict[dt.date, Decimal] = defaultdict(Decimal)
    for claim in scenario.claims:
        years[plan_year(claim.charge.date, plan["plan_year_starts"])] += claim.share
    for year, share in years.items():
        met = max(plan["already_met"]["out_of_pocket"], plan["already_met"]["deductible"])
        left = max(cap - met, ZERO) if year == first else cap
        assert share <= left


@SETTINGS
@given(case(), cents(1, 50_000))
def test_raising_the_copay_never_lowers_the_net(data, more):
    clinic, plan, start, months = data
    block = "in_network" if "in_network" in plan else "out_of_network"
    raised = {**plan, block: {**plan[block], "copay": plan[block]["copay"] + more}}
    assert run(clinic, raised, start, months).net >= run(clinic, plan, start, months).net
