"""Properties of adjudication over random clinics and plans (docs/adjudication.md).

What the rules guarantee, exactly, for every claim of a covered scenario
out of network (the in-network model has its own file)::

    allowed  = min(billed, rule(billed))
    ded      = min(allowed, deductible_left)
    coins    = round_half_up(coinsurance × (allowed − ded))   (no copay here)
    with a cap: ded, then coins, borne up to oop_left
    reimbursed = min(allowed − share, paid)
    balance_billed = min(billed − allowed, max(0, paid − allowed))

so 0 <= reimbursed <= allowed, reimbursed <= paid, and while the plan pays less
than was paid (reimbursed < paid) the share is exactly allowed − reimbursed.
Shares taken from the cap add up to at most the cap left in each plan year.
When the superbill bills more than was paid (billing codes), ``min(…, paid)``
hides part of the share, so only the claims with reimbursed < paid reveal it.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketacost import Clinic, Plan, estimate

D = Decimal
ZERO = Decimal(0)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def cents(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Money in whole cents from ``low`` to ``high`` cents, as an exact Decimal."""
    return st.integers(low, high).map(lambda c: Decimal(c).scaleb(-2))


def percent_text(basis_points: int) -> str:
    """1234 basis points → "12.34%"."""
    return f"{Decimal(basis_points).scaleb(-2):f}%"


PRICE = cents(0, 200_000)  # 0 to 2000 dollars
CODES = ("96365", "99214", "J3490", "99417")


# --- strategies -----------------------------------------------------------------------


@st.composite
def clinic_data(draw: Any, *, codes: bool | None = None, claims: bool = True) -> dict:
    sessions = draw(st.integers(1, 12))
    cadence = draw(
        st.one_of(
            st.sampled_from([1, 2, 3, 7]).map(lambda n: {"per_week": n}),
            st.sampled_from([1, 2, 4]).map(lambda n: {"every_weeks": n}),
        )
    )
    if draw(st.booleans()):
        pricing: dict = {"price": draw(PRICE)}
    else:
        pricing = {
            "first_price": draw(PRICE),
            "first_sessions": draw(st.integers(1, sessions)),
            "later_price": draw(PRICE),
        }
    fees = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "name": st.sampled_from(["Intake", "Monitoring", "Membership"]),
                    "amount": cents(0, 50_000),
                    "per": st.sampled_from(["once", "session", "month"]),
                    "claimable": st.booleans(),
                }
            ),
            max_size=2,
        )
    )
    maintenance = []
    if draw(st.booleans()):
        maintenance.append(
            {
                "kind": "booster",
                "price": draw(PRICE),
                "every_weeks": draw(st.integers(4, 12)),
                "count": draw(st.integers(1, 3)),
            }
        )
    if draw(st.booleans()):
        maintenance.append(
            {
                "kind": "lozenge",
                "fill_price": draw(cents(0, 30_000)),
                "count": draw(st.integers(1, 3)),
                "claimable": draw(st.booleans()),
            }
        )
    use_codes = draw(st.booleans()) if codes is None else codes
    lines = []
    if use_codes:
        chosen = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True))
        lines = [{"code": code, "amount": draw(cents(0, 150_000))} for code in chosen]
    network = "out-of-network" if claims else "self-pay-only"
    return {
        "name": "Random clinic",
        "series": {"sessions": sessions, **cadence, **pricing},
        "fees": fees,
        "maintenance": maintenance,
        "billing": {"network": network, "superbill": True, "codes": lines},
    }


@st.composite
def allowed_rule(draw: Any, *, by_code: bool = True) -> object:
    kinds = ["percent", "fixed"] + (["by_code"] if by_code else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "percent":
        return percent_text(draw(st.integers(0, 10_000)))
    if kind == "fixed":
        return f"${draw(st.one_of(st.just(D(0)), cents(100, 300_000)))}"
    table = {
        code: draw(cents(0, 150_000))
        for code in draw(st.lists(st.sampled_from(CODES), max_size=3, unique=True))
    }
    rule: dict = {"by_code": table}
    if draw(st.booleans()):
        rule["other"] = percent_text(draw(st.integers(0, 10_000)))
    return rule


@st.composite
def plan_data(draw: Any, *, cap: bool | None = None, by_code: bool = True) -> dict:
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    network: dict = {
        "deductible": draw(cents(0, 500_000)),
        "coinsurance": percent_text(draw(st.integers(0, 10_000))),
        "allowed": draw(allowed_rule(by_code=by_code)),
    }
    with_cap = draw(st.booleans()) if cap is None else cap
    if with_cap:
        network["out_of_pocket_max"] = draw(cents(0, 800_000))
    return {
        "name": "Random plan",
        "plan_year_starts": f"{month:02d}-{day:02d}",
        "out_of_network": network,
        "already_met": {
            "deductible": draw(cents(0, 300_000)),
            "out_of_pocket": draw(cents(0, 300_000)),
        },
        "claims": {"paid_after_days": draw(st.integers(0, 120))},
    }


STARTS = st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31))
MONTHS = st.integers(1, 24)


def run(clinic: dict, plan: dict | None, start: dt.date, months: int):
    return estimate(
        Clinic(**clinic), None if plan is None else Plan(**plan), start=start, months=months
    )


def year_of(day: dt.date, month_day: str) -> dt.date:
    """The first day of the plan year ``day`` falls in (independent of the product)."""
    month, mday = (int(p) for p in month_day.split("-"))
    begins = dt.date(day.year, month, mday)
    return begins if begins <= day else dt.date(day.year - 1, month, mday)


def by_plan_year(claims, month_day: str) -> dict[dt.date, list]:
    years: dict[dt.date, list] = defaultdict(list)
    for claim in claims:
        years[year_of(claim.charge.date, month_day)].append(claim)
    return years


def half_up(amount: Decimal) -> Decimal:
    return amount.quantize(D("0.01"), rounding=ROUND_HALF_UP)


# --- per-claim bounds -----------------------------------------------------------------


@SETTINGS
@given(clinic_data(), plan_data(), STARTS, MONTHS)
def test_claim_bounds(clinic, plan, start, months):
    result = run(clinic, plan, start, months)
    (scenario,) = result.scenarios
    for claim in scenario.claims:
        assert claim.charge.claimable
        assert ZERO <= claim.reimbursed <= claim.allowed
        assert claim.reimbursed <= claim.paid
        assert ZERO <= claim.allowed <= claim.billed
        # what the patient paid above the allowed amount, never more than the plan refused
        assert claim.balance_billed == min(
            claim.billed - claim.allowed, max(ZERO, claim.paid - claim.allowed)
        )
        assert claim.not_allowed == claim.billed - claim.allowed
        assert ZERO <= claim.deductible <= claim.allowed
        assert claim.deductible_left >= 0
        assert claim.coinsurance >= 0
        assert claim.coinsurance == claim.coinsurance.quantize(D("0.01"))
        if "out_of_pocket_max" in plan["out_of_network"]:
            assert claim.out_of_pocket_left is not None
            assert claim.out_of_pocket_left >= 0
        else:
            assert claim.out_of_pocket_left is None
        assert claim.reimbursed_on == claim.charge.date + dt.timedelta(
            days=plan["claims"]["paid_after_days"]
        )


@SETTINGS
@given(clinic_data(), plan_data(), STARTS, MONTHS)
def test_scenario_totals(clinic, plan, start, months):
    result = run(clinic, plan, start, months)
    (scenario,) = result.scenarios
    claims = scenario.claims
    assert scenario.paid == result.total == sum((e.amount for e in result.events), ZERO)
    assert scenario.net == scenario.paid - scenario.reimbursed
    assert scenario.reimbursed == sum((c.reimbursed for c in claims), ZERO)
    assert scenario.allowed == sum((c.allowed for c in claims), ZERO)
    assert scenario.billed == sum((c.billed for c in claims), ZERO)
    assert scenario.balance_billed <= scenario.billed - scenario.allowed
    assert scenario.not_allowed == scenario.billed - scenario.allowed
    assert 0 <= scenario.net <= scenario.paid
    # every claimable charge gets exactly one claim, none of the others do
    assert [c.charge for c in claims] == [e for e in result.events if e.claimable]
    # the last month of the cash flow holds the net outlay
    assert scenario.cashflow[-1].cumulative == scenario.net
    assert sum((m.reimbursed for m in scenario.cashflow), ZERO) == scenario.reimbursed
    assert scenario.net <= scenario.peak_outlay <= scenario.paid


@SETTINGS
@given(clinic_data(), plan_data(), STARTS, MONTHS)
def test_share_follows_the_rules(clinic, plan, start, months):
    """Below the cap, allowed − reimbursed is exactly deductible + coinsurance."""
    result = run(clinic, plan, start, months)
    coinsurance = D(plan["out_of_network"]["coinsurance"].rstrip("%")) / 100
    for claim in result.scenarios[0].claims:
        if claim.out_of_pocket_left is None:
            assert claim.coinsurance == half_up(coinsurance * (claim.allowed - claim.deductible))
        else:  # what was borne under the cap
            assert claim.coinsurance <= half_up(coinsurance * (claim.allowed - claim.deductible))
        share = claim.deductible + claim.coinsurance
        if claim.reimbursed < claim.paid:
            if claim.out_of_pocket_left is None:
                assert claim.allowed - claim.reimbursed == share
            else:
                assert claim.allowed - claim.reimbursed <= share
        elif claim.out_of_pocket_left is None:
            # paid back in full: the share fits in what the plan allowed above the price
            assert share <= claim.allowed - claim.paid


# --- accumulators per plan year -------------------------------------------------------


@SETTINGS
@given(clinic_data(), plan_data(), STARTS, MONTHS)
def test_deductible_per_plan_year(clinic, plan, start, months):
    result = run(clinic, plan, start, months)
    deductible = plan["out_of_network"]["deductible"]
    met = plan["already_met"]["deductible"]
    first_year = year_of(start, plan["plan_year_starts"])
    for year, claims in by_plan_year(result.scenarios[0].claims, plan["plan_year_starts"]).items():
        left = max(deductible - met, ZERO) if year == first_year else deductible
        applied = sum((c.deductible for c in claims), ZERO)
        assert applied <= left
        assert claims[-1].deductible_left == left - applied
        # the deductible is used up before anything is left of the allowed amounts; with a
        # cap, only what the patient bore below the cap counts
        if "out_of_pocket_max" in plan["out_of_network"]:
            assert applied <= min(left, sum((c.allowed for c in claims), ZERO))
        else:
            assert applied == min(left, sum((c.allowed for c in claims), ZERO))


@SETTINGS
@given(clinic_data(), plan_data(cap=True), STARTS, MONTHS)
def test_cap_per_plan_year(clinic, plan, start, months):
    result = run(clinic, plan, start, months)
    cap = plan["out_of_network"]["out_of_pocket_max"]
    # what was met toward the deductible has filled the cap as much (docs/insurance-rules.md)
    met = max(plan["already_met"]["out_of_pocket"], plan["already_met"]["deductible"])
    first_year = year_of(start, plan["plan_year_starts"])
    for year, claims in by_plan_year(result.scenarios[0].claims, plan["plan_year_starts"]).items():
        left = max(cap - met, ZERO) if year == first_year else cap
        # the shares visible through reimbursed < paid are exactly allowed − reimbursed
        visible = sum((c.allowed - c.reimbursed for c in claims if c.reimbursed < c.paid), ZERO)
        assert visible <= left
        assert all(c.out_of_pocket_left >= 0 for c in claims)
        assert claims[-1].out_of_pocket_left <= left
        # a claim made once the cap is used up pays the whole allowed amount (up to paid)
        before = left
        for claim in claims:
            if before == 0:
                assert claim.reimbursed == min(claim.allowed, claim.paid)
            before = claim.out_of_pocket_left


@SETTINGS
@given(clinic_data(codes=False), plan_data(cap=True, by_code=False), STARTS, MONTHS)
def test_cap_without_billing_codes_is_exact(clinic, plan, start, months):
    """Billed = paid: the patient's share of the allowed amounts never passes the cap."""
    result = run(clinic, plan, start, months)
    cap = plan["out_of_network"]["out_of_pocket_max"]
    # what was met toward the deductible has filled the cap as much (docs/insurance-rules.md)
    met = max(plan["already_met"]["out_of_pocket"], plan["already_met"]["deductible"])
    first_year = year_of(start, plan["plan_year_starts"])
    for year, claims in by_plan_year(result.scenarios[0].claims, plan["plan_year_starts"]).items():
        left = max(cap - met, ZERO) if year == first_year else cap
        share = sum((c.allowed - c.reimbursed for c in claims), ZERO)
        assert share <= left
        assert claims[-1].out_of_pocket_left == left - share
        # the balance bills are on top of the capped share, never inside it
        outlay = sum((c.paid - c.reimbursed for c in claims), ZERO)
        assert outlay == share + sum((c.balance_billed for c in claims), ZERO)


# --- monotonicity ---------------------------------------------------------------------


def _price_paths(clinic: dict) -> list[tuple]:
    series = clinic["series"]
    paths: list[tuple] = [
        ("series", key) for key in ("price", "first_price", "later_price") if key in series
    ]
    paths += [("fees", i, "amount") for i in range(len(clinic["fees"]))]
    for i, item in enumerate(clinic["maintenance"]):
        paths.append(("maintenance", i, "price" if item["kind"] == "booster" else "fill_price"))
    return paths


def _raised(data: dict, path: tuple, by: Decimal) -> dict:
    new = copy.deepcopy(data)
    node = new
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = node[path[-1]] + by
    return new


@SETTINGS
@given(clinic_data(), plan_data(), STARTS, MONTHS, st.data())
def test_raising_a_price_never_lowers_the_net(clinic, plan, start, months, data):
    path = data.draw(st.sampled_from(_price_paths(clinic)))
    by = data.draw(cents(1, 100_000))
    before = run(clinic, plan, start, months).scenarios[0]
    after = run(_raised(clinic, path, by), plan, start, months).scenarios[0]
    assert after.paid >= before.paid
    assert after.net >= before.net


@SETTINGS
@given(clinic_data(), plan_data(), STARTS, MONTHS, st.data())
def test_raising_a_price_never_lowers_the_self_pay_net(clinic, plan, start, months, data):
    path = data.draw(st.sampled_from(_price_paths(clinic)))
    by = data.draw(cents(1, 100_000))
    before = run(clinic, None, start, months).scenarios[0]
    after = run(_raised(clinic, path, by), None, start, months).scenarios[0]
    assert after.net >= before.net
    assert after.net == after.paid


@st.composite
def clinic_and_plan_for_monotonicity(draw: Any) -> tuple[dict, dict]:
    """With a cap and a superbill above the price, min(allowed − share, paid) can hide
    part of a share and move the cap onto another claim (see the example test below), so
    the monotonicity in deductible and coinsurance holds for billed = paid or no cap."""
    codes = draw(st.booleans())
    clinic = draw(clinic_data(codes=codes))
    plan = draw(plan_data(cap=False if codes else None, by_code=codes))
    return clinic, plan


@SETTINGS
@given(clinic_and_plan_for_monotonicity(), STARTS, MONTHS, cents(1, 300_000))
def test_raising_the_deductible_never_raises_the_reimbursement(pair, start, months, by):
    clinic, plan = pair
    before = run(clinic, plan, start, months).scenarios[0]
    after = run(clinic, _raised(plan, ("out_of_network", "deductible"), by), start, months)
    assert after.scenarios[0].reimbursed <= before.reimbursed


@SETTINGS
@given(clinic_and_plan_for_monotonicity(), STARTS, MONTHS, st.data())
def test_raising_the_coinsurance_never_raises_the_reimbursement(pair, start, months, data):
    clinic, plan = pair
    low = int(D(plan["out_of_network"]["coinsurance"].rstrip("%")) * 100)
    high = data.draw(st.integers(low, 10_000))
    raised = {
        **plan,
        "out_of_network": {**plan["out_of_network"], "coinsurance": percent_text(high)},
    }
    before = run(clinic, plan, start, months).scenarios[0]
    after = run(clinic, raised, start, months).scenarios[0]
    assert after.reimbursed <= before.reimbursed


@SETTINGS
@given(clinic_and_plan_for_monotonicity(), STARTS, MONTHS, st.data())
def test_raising_both_never_raises_any_claim_without_a_cap(pair, start, months, data):
    clinic, plan = pair
    network = {k: v for k, v in plan["out_of_network"].items() if k != "out_of_pocket_max"}
    plan = {**plan, "out_of_network": network}
    low = int(D(network["coinsurance"].rstrip("%")) * 100)
    raised = {
        **plan,
        "out_of_network": {
            **network,
            "coinsurance": percent_text(data.draw(st.integers(low, 10_000))),
            "deductible": network["deductible"] + data.draw(cents(0, 300_000)),
        },
    }
    before = run(clinic, plan, start, months).scenarios[0].claims
    after = run(clinic, raised, start, months).scenarios[0].claims
    assert len(before) == len(after)
    for old, new in zip(before, after, strict=True):
        assert new.reimbursed <= old.reimbursed


def test_with_a_cap_and_codes_a_higher_deductible_can_pay_more():
    """A consequence of the contract's formulas, pinned so it stays a known case.

    Two sessions billed 500 each by code (allowed 100%), paid 100 then 1000; 30%
    coinsurance, cap 300.
    Deductible 0:   shares 150, 150 → reimbursed min(350, 100) + min(350, 1000) = 450.
    Deductible 300: share 300 + 60 capped at 300, then 0 → min(200, 100) + min(500, 1000) = 600.
    """
    clinic = {
        "name": "Codes above the price",
        "series": {"sessions": 2, "first_price": 100, "later_price": 1000},
        "billing": {"codes": [{"code": "96365", "amount": 500}]},
    }
    plan = {
        "name": "Capped",
        "out_of_network": {
            "deductible": 0,
            "coinsurance": "30%",
            "allowed": "100%",
            "out_of_pocket_max": 300,
        },
    }
    start = dt.date(2027, 1, 4)
    low = run(clinic, plan, start, 12).scenarios[0]
    high = run(clinic, _raised(plan, ("out_of_network", "deductible"), D(300)), start, 12)
    assert low.reimbursed == D(100 + 350)
    assert high.scenarios[0].reimbursed == D(100 + 500)


# --- scenarios ------------------------------------------------------------------------


@st.composite
def scenarios(draw: Any) -> list[dict]:
    count = draw(st.integers(1, 4))
    # probabilities in hundredths that add up to exactly 1
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=count - 1, max_size=count - 1)))
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    result = [{"name": "Denied", "covered": False, "probability": Decimal(shares[0]).scaleb(-2)}]
    for i, share in enumerate(shares[1:], start=1):
        scenario: dict = {"name": f"Scenario {i}", "probability": Decimal(share).scaleb(-2)}
        if draw(st.booleans()):
            scenario["allowed"] = draw(allowed_rule())
        if draw(st.booleans()):
            scenario["deductible"] = draw(cents(0, 500_000))
        if draw(st.booleans()):
            scenario["coinsurance"] = percent_text(draw(st.integers(0, 10_000)))
        result.append(scenario)
    return result


@SETTINGS
@given(clinic_data(), plan_data(), scenarios(), STARTS, MONTHS)
def test_scenarios_and_expected_net(clinic, plan, scenario_list, start, months):
    result = run(clinic, {**plan, "scenarios": scenario_list}, start, months)
    assert [s.name for s in result.scenarios] == [s["name"] for s in scenario_list]
    denied = result.scenarios[0]
    assert denied.reimbursed == 0
    assert all(c.reimbursed == 0 for c in denied.claims)
    assert denied.net == denied.paid == result.total
    for scenario in result.scenarios:
        assert scenario.net == scenario.paid - scenario.reimbursed
    nets = [s.net for s in result.scenarios]
    assert result.expected_net is not None
    assert min(nets) <= result.expected_net <= max(nets)
    exact = sum((D(s["probability"]) * n for s, n in zip(scenario_list, nets, strict=True)), ZERO)
    assert result.expected_net == half_up(exact)


@SETTINGS
@given(clinic_data(claims=False), plan_data(), STARTS, MONTHS)
def test_self_pay_only_clinic_never_claims(clinic, plan, start, months):
    (scenario,) = run(clinic, plan, start, months).scenarios
    assert scenario.claims == ()
    assert scenario.net == scenario.paid


@pytest.mark.parametrize("bad", ["40", 40, D("1.5")])
def test_coinsurance_bare_number_above_one_is_refused(bad):
    with pytest.raises(ValueError, match="%"):
        Plan(name="Bad", out_of_network={"coinsurance": bad})
