"""The scenario kernel by hand (docs/architecture.md): the timeline's sums and lines, what
one scenario makes of it, the claims' totals, and the memories that keep both.

Expected figures are worked out by hand in the test text, in exact Decimal cents.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
from collections.abc import Iterator
from decimal import Decimal

import pytest

import ketacost
from ketacost.engine import scenario as kernel
from ketacost.engine.savings import SavingsTerms
from ketacost.engine.scenario import Bounded, Totals, scenario, timeline, timeline_of
from ketacost.engine.tax import TaxTerms

D = Decimal
START = dt.date(2027, 1, 4)  # a Monday
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def forgotten() -> Iterator[None]:
    """Each test starts and ends with empty memories, so none finds another's work."""
    kernel._SCENARIOS.clear()
    kernel._TIMELINES.clear()
    yield
    kernel._SCENARIOS.clear()
    kernel._TIMELINES.clear()


def mixed() -> ketacost.Clinic:
    """Three weekly sessions (400, then 300 twice), one booster, and three kinds of fee.

    Over 2 months from Monday 2027-01-04: sessions Jan 4, 11, 18; the booster 4 weeks after
    the last session, Feb 15; the $50 facility fee at each of the 4 sessions; the $100
    intake once; the $20 membership on Jan 4 and Feb 4.
    """
    return ketacost.Clinic(
        name="Mixed",
        series={
            "sessions": 3,
            "per_week": 1,
            "first_price": 400,
            "first_sessions": 1,
            "later_price": 300,
        },
        fees=[
            {"name": "Facility", "amount": 50, "per": "session"},
            {"name": "Intake", "amount": 100, "per": "once"},
            {"name": "Membership", "amount": 20, "per": "month"},
        ],
        maintenance=[{"kind": "booster", "price": 250, "every_weeks": 4, "count": 1}],
    )


def two_at_300() -> ketacost.Clinic:
    # Two $300 sessions: Monday 2027-01-04 and Thursday 2027-01-07.
    return ketacost.Clinic(name="Two at 300", series={"sessions": 2, "per_week": 2, "price": 300})


def out_of_network(**block: object) -> ketacost.Plan:
    return ketacost.Plan.model_validate({"name": "Plan", "out_of_network": block})


# --- the timeline ----------------------------------------------------------------------------


def test_the_timeline_counts_sessions_and_their_fees_apart_from_other_charges() -> None:
    """docs/output.md: sessions counted; the average per session with its per-session fees."""
    result = ketacost.estimate(mixed(), start=START, months=2)
    series = 400 + 300 + 300
    assert result.series_total == series == D(1000)
    assert result.total == series + 250 + 4 * 50 + 100 + 2 * 20 == D(1590)
    assert result.sessions == 3 + 1  # the booster is a session, the fees are not
    # (sessions + booster + the four facility fees) / 4 sessions; not the intake, nor membership
    assert result.average_per_session == D(series + 250 + 4 * 50) / 4 == D("362.50")
    line = timeline(mixed(), START, 2)
    assert line.billed == series + 250  # only the sessions and the booster are claimable
    assert line.peak == line.paid.total == D(1590)  # nothing comes back: all of it at the end


def test_without_sessions_the_average_per_session_is_zero() -> None:
    """docs/output.md: the average per session; none without sessions."""
    line = timeline_of((), START, START + 30 * DAY)
    assert (line.sessions, line.average_per_session, line.total) == (0, 0, 0)


def test_the_lines_are_grouped_by_phase_in_the_clinics_order() -> None:
    """docs/output.md: the charges table's line items and subtotals, phase by phase."""
    phases = ketacost.estimate(mixed(), start=START, months=2).phases
    described = [
        (
            p.name,
            p.subtotal,
            [(li.description, li.quantity, li.first_date, li.last_date) for li in p.lines],
        )
        for p in phases
    ]
    jan, feb = dt.date(2027, 1, 1), dt.date(2027, 2, 1)
    assert described == [
        (
            "Series",
            D(400 + 2 * 300),
            [
                ("First sessions 1", 1, jan + 3 * DAY, jan + 3 * DAY),
                ("Later sessions 2–3", 2, jan + 10 * DAY, jan + 17 * DAY),
            ],
        ),
        (
            "Booster every 4 weeks",
            D(250),
            [("Booster every 4 weeks", 1, feb + 14 * DAY, feb + 14 * DAY)],
        ),
        (
            "Fees",
            D(4 * 50 + 100 + 2 * 20),
            [
                ("Facility", 4, jan + 3 * DAY, feb + 14 * DAY),
                ("Intake", 1, jan + 3 * DAY, jan + 3 * DAY),
                ("Membership", 2, jan + 3 * DAY, feb + 3 * DAY),
            ],
        ),
    ]


def test_two_phases_are_both_listed() -> None:
    """docs/output.md: every phase has its lines and subtotal."""
    clinic = ketacost.Clinic(
        name="Sessions and an intake",
        series={"sessions": 2, "per_week": 2, "price": 300},
        fees=[{"name": "Intake", "amount": 100, "per": "once"}],
    )
    phases = ketacost.estimate(clinic, start=START).phases
    assert [(p.name, p.subtotal) for p in phases] == [("Series", 2 * D(300)), ("Fees", D(100))]


def test_a_financed_series_is_paid_by_the_loan_beside_the_other_charges() -> None:
    """docs/financing.md: the payments start a month after the first session and replace
    the series charges in what you pay; the fees are still paid on their dates."""
    terms = ketacost.FinanceTerms("Plain", 2, D(0))
    result = ketacost.estimate(mixed(), start=START, months=2, finance=terms)
    assert result.financing is not None
    # the series' 1,000 at 0% over 2 months: 500 on Feb 4 and on Mar 4
    assert result.financing.payments == (
        (dt.date(2027, 2, 4), D(500)),
        (dt.date(2027, 3, 4), D(500)),
    )
    months = [(m.month, m.paid) for m in result.scenarios[0].cashflow]
    assert months == [
        ("2027-01", D(50 + 100 + 20 + 50 + 50)),  # the fees of January; no session charge
        ("2027-02", D(20 + 500 + 250 + 50)),  # Feb 4: the membership and a payment, same day
        ("2027-03", D(500)),
    ]
    assert result.scenarios[0].paid == 590 + 1000


def test_timelines_are_equal_by_their_dates_charges_and_loan() -> None:
    """Two timelines are equal when their dates, charges and loan are (docs/architecture.md)."""
    end = START + 40 * DAY
    charges = ketacost.estimate(two_at_300(), start=START).events
    one = timeline_of(charges, START, end)
    again = timeline_of(charges, START, end)
    assert one is not again
    assert one == again and hash(one) == hash(again)
    assert operator.eq(one, one)
    assert one != timeline_of(charges, START, end + DAY)
    assert one != timeline_of(charges[:1], START, end)
    assert one != "a timeline"
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.total = D(0)  # type: ignore[misc]


# --- the memories ----------------------------------------------------------------------------


def test_a_memory_forgets_the_least_recently_used_entry_beyond_its_size() -> None:
    """A memory of size 2 keeps two entries; recalling one makes it the most recently used."""
    memory: Bounded[str, int] = Bounded(2)
    memory.keep("a", 1)
    memory.keep("b", 2)
    assert (memory.recall("a"), memory.recall("b")) == (1, 2)  # both kept at its size
    assert memory.recall("a") == 1  # now b is the least recently used
    assert memory.keep("c", 3) == 3
    assert memory.recall("b") is None
    assert (memory.recall("a"), memory.recall("c")) == (1, 3)
    memory.keep("d", 4)  # a was recalled before c: a goes
    assert list(memory) == ["c", "d"]


def test_keys_whose_hashes_collide_still_find_their_own_work() -> None:
    """A memory keyed by value answers by value, not by hash: -1 and -2 hash alike."""
    assert hash((-1,)) == hash((-2,))
    first, second = kernel._Key((-1,)), kernel._Key((-2,))
    assert first != second and first == kernel._Key((-1,))
    assert first != (-1,)  # only a key equals a key
    memory: Bounded[kernel._Key, str] = Bounded(2)
    memory.keep(first, "minus one")
    memory.keep(second, "minus two")
    assert memory.recall(kernel._Key((-1,))) == "minus one"
    assert memory.recall(kernel._Key((-2,))) == "minus two"


def test_uncovered_scenarios_that_differ_only_in_name_and_odds_keep_their_own() -> None:
    """Uncovered scenarios that differ only in what they do not read have the same
    figures, and each comes back with its own name, probability and terms."""
    line = timeline(two_at_300(), START, 12)
    (terms,) = out_of_network(deductible=0, coinsurance="50%", allowed="100%").terms(
        "out-of-network"
    )
    denied = terms._replace(covered=False, name="Denied", probability=D("0.3"))
    refused = denied._replace(name="Refused", probability=D("0.7"))
    first = scenario(denied, line)
    second = scenario(refused, line)
    assert (first.name, first.probability, first.terms) == ("Denied", D("0.3"), denied)
    assert (second.name, second.probability, second.terms) == ("Refused", D("0.7"), refused)
    assert first.net == second.net == 2 * D(300)  # nothing comes back: the price, twice
    again = scenario(denied._replace(), line)  # equal terms made anew
    assert again == first and again is not first  # worked out again: never remembered
    assert (scenario(denied, line).name, scenario(refused, line).name) == ("Denied", "Refused")
    # covered terms are never shared with other covered terms
    generous = terms._replace(coinsurance=D(0))
    assert scenario(terms, line).reimbursed == 2 * D(150)  # 50% of 300, twice
    assert scenario(generous, line).reimbursed == 2 * D(300)


def test_a_denied_scenario_is_never_read_for_warnings() -> None:
    """Only covered claims warn: a scenario that covers nothing says its claims cannot."""
    line = timeline(two_at_300(), START, 12)
    (terms,) = out_of_network(deductible=0, allowed="100%").terms("out-of-network")
    denied = scenario(terms._replace(covered=False), line)
    assert denied.may_warn is False
    assert denied.billed == denied.not_allowed == 2 * D(300)
    assert denied.deductible == denied.allowed == denied.reimbursed == 0


# --- what a scenario makes of the timeline -----------------------------------------------------


def test_in_network_the_patient_pays_only_their_share_on_the_day() -> None:
    """docs/adjudication.md: in network you pay your share on the session date."""
    clinic = ketacost.Clinic(
        name="In network",
        series={"sessions": 2, "per_week": 2, "price": 300},
        billing={"network": "in-network"},
    )
    plan = ketacost.Plan(
        name="PPO", in_network={"deductible": 0, "coinsurance": "20%", "allowed": "100%"}
    )
    (s,) = ketacost.estimate(clinic, plan, start=START).scenarios
    # 20% of 300 = 60 on each day; the plan pays the clinic the other 240
    assert s.paid == s.net == 2 * D(60)
    assert s.peak_outlay == 2 * D(60)
    assert s.plan_paid == 2 * D(240)
    assert s.reimbursed == 0


def test_money_back_between_sessions_lowers_the_peak_outlay() -> None:
    """docs/output.md: the peak outlay is the most you are out at once."""
    clinic = ketacost.Clinic(name="Weekly", series={"sessions": 3, "per_week": 1, "price": 100})
    plan = ketacost.Plan.model_validate(
        {
            "name": "Quick",
            "out_of_network": {"deductible": 0, "coinsurance": "50%", "allowed": "100%"},
            "claims": {"paid_after_days": 3},
        }
    )
    (s,) = ketacost.estimate(clinic, plan, start=START).scenarios
    # 100 out on Jan 4, 50 back on Jan 7; 100 out on Jan 11, 50 back; the last 100 on Jan 18
    assert s.peak_outlay == 100 - 50 + 100 - 50 + 100 == D(200)
    assert s.net == 3 * D(100) - 3 * D(50)
    assert s.last_reimbursement == dt.date(2027, 1, 21)


def test_a_denied_scenarios_tax_counts_every_charge_as_paid() -> None:
    """docs/tax.md: what the plan does not pay back is a medical expense of the year."""
    plan = ketacost.Plan.model_validate(
        {
            "name": "Half back or nothing",
            "out_of_network": {"deductible": 0, "coinsurance": "50%", "allowed": "100%"},
            "scenarios": [{"name": "As written"}, {"name": "Denied", "covered": False}],
        }
    )
    terms = TaxTerms(D("0.22"), fsa=True)
    written, denied = ketacost.estimate(two_at_300(), plan, start=START, tax=terms).scenarios
    assert written.tax is not None and denied.tax is not None
    # as written: 600 − 300 back = 300 of expenses; denied: all 600; × 22%
    assert [y.saving for y in written.tax] == [D(300) * D("0.22")] == [D("66.00")]
    assert [y.saving for y in denied.tax] == [D(600) * D("0.22")] == [D("132.00")]
    assert denied.reimbursed == 0 and denied.net == 600


def test_the_savings_program_pays_nothing_on_a_denied_claim() -> None:
    """docs/tax.md (the esketamine savings program): the program's drug benefit pays
    nothing on a denied claim; the patient pays the whole price."""
    clinic = ketacost.Clinic(
        name="Esketamine clinic",
        modality="esketamine",
        series={"sessions": 1, "device_price": 300, "devices": 2, "session_fee": 300},
        billing={"network": "out-of-network", "superbill": True},
    )
    plan = ketacost.Plan.model_validate(
        {
            "name": "Commercial",
            "out_of_network": {"deductible": 100_000, "allowed": "100%"},
            "scenarios": [{"name": "Denied", "covered": False}],
        }
    )
    (s,) = ketacost.estimate(clinic, plan, start=START, savings=SavingsTerms(floor=D(10))).scenarios
    assert s.savings_program == 0
    assert s.net == s.peak_outlay == 2 * 300 + 300
    assert [c.covered for c in s.claims] == [False]


def test_what_the_savings_program_pays_comes_off_the_net() -> None:
    """docs/tax.md (the esketamine savings program): the program pays the drug's part of
    what the plan leaves you, less the floor; your net is what is left."""
    clinic = ketacost.Clinic(
        name="Esketamine clinic",
        modality="esketamine",
        series={"sessions": 1, "device_price": 300, "devices": 2, "session_fee": 300},
        billing={"network": "out-of-network", "superbill": True},
    )
    plan = out_of_network(deductible=100_000, allowed="100%")  # the deductible takes it all
    (s,) = ketacost.estimate(clinic, plan, start=START, savings=SavingsTerms(floor=D(10))).scenarios
    assert s.savings_program == 2 * D(300) - 10
    assert s.net == 900 - 0 - (600 - 10) == D(310)


# --- the claims' totals ------------------------------------------------------------------------


def test_totals_add_up_claim_records_covered_or_not() -> None:
    """docs/adjudication.md: a scenario's figures are the sums of its claims; a denied
    claim adds only what was billed, all of it not allowed."""
    clinic = ketacost.Clinic(
        name="Two at 1000", series={"sessions": 2, "per_week": 2, "price": 1000}
    )
    plan = ketacost.Plan.model_validate(
        {
            "name": "Plan",
            "out_of_network": {"deductible": 500, "coinsurance": "20%", "allowed": "80%"},
            "claims": {"paid_after_days": 30},
            "scenarios": [{"name": "As written"}, {"name": "Denied", "covered": False}],
        }
    )
    written, denied = ketacost.estimate(clinic, plan, start=START).scenarios
    sums = Totals(written.claims + denied.claims)
    # each claim: billed 1,000, allowed 80% = 800, so 200 not allowed and balance billed.
    # Jan 4: 500 to the deductible, 20% × 300 = 60 coinsurance, 240 back on Feb 3
    # Jan 7: 20% × 800 = 160 coinsurance, 640 back on Feb 6
    assert sums.billed == 4 * D(1000)
    assert sums.not_allowed == 2 * D(200) + 2 * D(1000)
    assert (sums.allowed, sums.deductible, sums.coinsurance) == (2 * D(800), D(500), D(60 + 160))
    assert (sums.reimbursed, sums.balance_billed) == (D(240 + 640), 2 * D(200))
    assert sums.plan_part == (800 - 560) + (800 - 160)  # allowed less your share
    assert (sums.copay, sums.plan_paid) == (0, 0)
    assert sums.returns == [(dt.date(2027, 2, 3), D(240)), (dt.date(2027, 2, 6), D(640))]
    assert sums.last_back == dt.date(2027, 2, 6)
    assert sums.less == []  # out of network the patient pays the price
    assert sums.warns


def test_totals_in_network_say_what_was_not_paid_on_the_day() -> None:
    """docs/adjudication.md: in network you pay your share on the session date; the plan
    pays the clinic the rest."""
    clinic = ketacost.Clinic(
        name="In network",
        series={"sessions": 2, "per_week": 2, "price": 300},
        billing={"network": "in-network"},
    )
    plan = ketacost.Plan(
        name="PPO",
        in_network={"deductible": 300, "copay": 20, "coinsurance": "20%", "allowed": "100%"},
    )
    (s,) = ketacost.estimate(clinic, plan, start=START).scenarios
    sums = Totals(s.claims)
    # Jan 4: all 300 to the deductible, paid in full that day: nothing not paid
    # Jan 7: the copay 20, then 20% × 280 = 56: 76 paid, the plan pays the clinic 224
    assert (sums.deductible, sums.copay, sums.coinsurance) == (D(300), D(20), D(56))
    assert sums.plan_paid == sums.plan_part == 300 - 76
    assert sums.less == [(dt.date(2027, 1, 7), 300 - D(76))]
    assert sums.reimbursed == 0 and sums.returns == [] and sums.last_back is None
    assert Totals().warns is False  # no records, nothing to read


# --- the expected net ----------------------------------------------------------------------------


def test_values_are_weighed_by_probability_in_cents() -> None:
    """docs/output.md: the probability-weighted net cost, or null without probabilities."""
    weights, values = [D("0.6"), D("0.4")], [D("1000.05"), D(500)]
    # 0.6 × 1,000.05 = 600.03; 0.4 × 500 = 200
    assert kernel.weighted(weights, values) == D("600.03") + D(200) == D("800.03")
    assert kernel.weighted([D("0.333")], [D(1)]) == D("0.33")  # rounded to cents
    assert kernel.weighted([], []) is None
    assert kernel.weighted([D("0.6"), None], values) is None
    with pytest.raises(ValueError):  # every value needs its weight
        kernel.weighted([D(1)], values)
