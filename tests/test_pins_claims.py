"""Adjudication pinned at its edges: which charges are claimed, plan years, the superbill
warning's trigger (docs/insurance-rules.md, docs/adjudication.md).

Claims are made from hand-built charges and terms, so each rule is seen on its own.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ketacost import Clinic, Plan, estimate
from ketacost.engine.claims import adjudicate, tally
from ketacost.engine.schedule import Charge
from ketacost.model.allowed import PercentOfBilled
from ketacost.model.plan import Terms

D = Decimal
START = dt.date(2026, 12, 21)


def charge(day: dt.date, amount: int, *, claimable: bool = True, label: str = "Session") -> Charge:
    return Charge(
        date=day,
        item="series",
        label=label,
        amount=D(amount),
        claimable=claimable,
        phase="Series",
        line="Sessions",
    )


def terms(*, covered: bool = True, network: str = "out-of-network", **given: object) -> Terms:
    values: dict[str, object] = {
        "name": "Plan",
        "probability": None,
        "covered": covered,
        "deductible": D(1000),
        "coinsurance": D("0.4"),
        "out_of_pocket_max": D(5000),
        "allowed": PercentOfBilled(percent=D("0.7")),
        "paid_after_days": 45,
        "plan_year_starts": (1, 1),
        "met_deductible": D(0),
        "met_out_of_pocket": D(0),
        "network": network,
    }
    values.update(given)
    return Terms(**values)  # type: ignore[arg-type]


def test_a_denied_scenario_claims_only_the_claimable_charges() -> None:
    """A charge the clinic does not bill to a plan makes no claim, denied or not."""
    charges = [
        charge(START, 600, label="Session 1"),
        charge(START + dt.timedelta(days=1), 300, claimable=False, label="Lozenges"),
        charge(START + dt.timedelta(days=2), 600, label="Session 2"),
    ]
    claims = adjudicate(charges, terms(covered=False), START)
    assert [c.charge.label for c in claims] == ["Session 1", "Session 2"]
    assert [c.not_allowed for c in claims] == [D(600), D(600)]  # billed, nothing allowed


def test_a_denied_scenario_resets_its_counters_on_the_next_plan_years_first_day() -> None:
    """Denied claims apply nothing, but each records where the counters stand: what was met
    before the treatment in its first plan year, the whole deductible and cap from the first
    day of the next (a session on January 1 is in the new year)."""
    charges = [
        charge(dt.date(2026, 12, 28), 600, label="Session 1"),
        charge(dt.date(2026, 12, 31), 600, label="Session 2"),
        charge(dt.date(2027, 1, 1), 600, label="Session 3"),
        charge(dt.date(2027, 1, 4), 600, label="Session 4"),
    ]
    denied = terms(covered=False, met_deductible=D(200), met_out_of_pocket=D(700))
    claims = adjudicate(charges, denied, dt.date(2026, 12, 28))
    # 1000 − 200 met = 800 left; the cap: 5000 − max(700, 200) = 4300 left
    assert [c.deductible_left for c in claims] == [D(1000 - 200)] * 2 + [D(1000)] * 2
    assert [c.out_of_pocket_left for c in claims] == [D(5000 - 700)] * 2 + [D(5000)] * 2


def test_a_covered_claim_on_the_plan_years_first_day_starts_the_new_deductible() -> None:
    """A session on January 1 meets the new year's deductible from the start."""
    charges = [charge(dt.date(2026, 12, 31), 1000), charge(dt.date(2027, 1, 1), 1000)]
    claims = adjudicate(charges, terms(), dt.date(2026, 12, 31))
    # allowed 70% × 1000 = 700 each, all of it toward the $1,000 deductible in its own year
    assert [c.deductible for c in claims] == [D(700), D(700)]
    assert [c.deductible_left for c in claims] == [D(1000 - 700), D(1000 - 700)]


def test_the_cap_binds_inside_the_coinsurance_after_a_copay() -> None:
    """Under the cap the copay comes first, then the coinsurance up to what is left."""
    # allowed 70% × 1000 = 700: deductible 0, copay 50, coinsurance 40% × 650 = 260,
    # but only 100 − 50 = 50 of the cap is left for it
    one = [charge(START, 1000)]
    (claim,) = adjudicate(one, terms(deductible=D(0), copay=D(50), out_of_pocket_max=D(100)), START)
    assert (claim.deductible, claim.copay, claim.coinsurance) == (D(0), D(50), D(100 - 50))
    assert claim.plan_part == D(700 - 100)
    assert claim.out_of_pocket_left == D(0)


def test_only_a_superbill_above_the_price_paid_sets_the_warning_flag() -> None:
    """Out of network the totals say a claim may warn only when the plan's part is more
    than was paid, so the superbill warning is worked out exactly then."""
    plain = [charge(START, 600)]
    _, totals = tally(plain, terms(deductible=D(0)), START, keep=False)
    assert totals.warns is False  # 70% × 600 = 420, 60% of it = 252 < 600 paid
    clinic = Clinic(
        name="Superbill above the price",
        series={"sessions": 1, "first_price": 200, "later_price": 200},
        billing={"network": "out-of-network", "codes": [{"code": "99215", "amount": 900}]},
    )
    result = estimate(clinic, Plan(name="OON", out_of_network={"allowed": "70%"}), start=START)
    # allowed 70% × 900 = 630, all of it the plan's part (no deductible): more than 200 paid
    assert any(w.startswith("The superbill asks more than was paid") for w in result.warnings)
    assert result.scenarios[0].reimbursed == D(200)


def test_the_deductible_fills_the_cap_before_the_copay_and_coinsurance() -> None:
    """What the deductible takes of the cap leaves less room for the rest of the share."""
    # allowed 700: deductible 100; copay 50; coinsurance 40% × (700 − 100 − 50) = 220;
    # cap 150: 150 − 100 = 50 left, all of it the copay, none for the coinsurance
    (claim,) = adjudicate(
        [charge(START, 1000)],
        terms(deductible=D(100), copay=D(50), out_of_pocket_max=D(150)),
        START,
    )
    assert (claim.deductible, claim.copay, claim.coinsurance) == (D(100), D(150 - 100), D(0))
    assert claim.plan_part == D(700 - 150)
