"""The esketamine savings program, rule by rule, with the figures by hand
(docs/insurance-rules.md, "The esketamine savings program").

The program is for commercial insurance and Spravato only; it pays the patient's share
of the drug above the $10 floor, up to a yearly cap, nothing on a denied claim; the
observation rebate is modelled only with a stated yearly limit, not for residents of
MA, MI, MN or RI, and arrives some days after the visit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

import ketacost
from ketacost import Clinic, InputError, Plan
from ketacost.engine.savings import (
    LATEST,
    PROGRAM,
    SavingsLine,
    SavingsTerms,
    apply_savings,
    drug_costs,
    observation_rebates,
    program_lines,
    savings_problem,
)
from ketacost.engine.schedule import Charge

D = Decimal
DAY = dt.date(2027, 3, 1)


def clinic(
    modality: str = "esketamine", maintenance: list[dict[str, object]] | None = None
) -> Clinic:
    series: dict[str, object] = (
        {"sessions": 2, "device_price": 300, "devices": 2, "session_fee": 300}
        if modality == "esketamine"
        else {"sessions": 2, "price": 500}
    )
    return Clinic(
        name="Test clinic",
        modality=modality,
        series=series,
        maintenance=maintenance or [],
        billing={"network": "out-of-network", "superbill": True},
    )


def plan(coverage: str = "commercial") -> Plan:
    return Plan(
        name="Test plan",
        coverage=coverage,
        in_network={"coinsurance": "20%"},
        out_of_network={"coinsurance": "40%"},
    )


def session(day: dt.date, label: str, amount: str, drug: str | None) -> Charge:
    return Charge(
        date=day,
        item="esketamine",
        label=label,
        amount=D(amount),
        claimable=True,
        phase="Series",
        line="Sessions",
        drug=None if drug is None else D(drug),
    )


@dataclass(frozen=True)
class Claimed:
    charge: Charge
    covered: bool
    net: Decimal

    @property
    def share(self) -> Decimal:  # in network, the share is what the claim costs
        return self.net


# --- the published figures -------------------------------------------------------------------


def test_the_table_holds_the_2026_figures_as_frozen_values() -> None:
    # docs/insurance-rules.md: 2026, $10 the least per treatment, $7,150 a calendar year
    assert list(PROGRAM) == [2026]
    assert (LATEST.year, LATEST.floor, LATEST.annual_cap) == (2026, D(10), D(7150))
    assert LATEST.rebate_excluded_states == {"MA", "MI", "MN", "RI"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        LATEST.floor = D(0)  # type: ignore[misc]


# --- who qualifies ----------------------------------------------------------------------------


def test_no_plan_is_refused_saying_who_qualifies() -> None:
    problem = savings_problem(clinic(), None)
    assert problem is not None
    why, what = problem
    assert "needs commercial insurance, and no plan was given" in why
    assert "not for cash patients, Medicare" in what
    assert what.endswith("give your commercial plan, or leave the program out")


@pytest.mark.parametrize("coverage", ["medicare", "medicare-advantage", "medicaid", "tricare"])
def test_a_government_plan_is_refused_naming_its_coverage(coverage: str) -> None:
    # docs/insurance-rules.md: the program is for commercial insurance only
    problem = savings_problem(clinic(), plan(coverage))
    assert problem is not None
    why, what = problem
    assert why == (
        "the Spravato savings program is for commercial insurance only; the plan"
        f" 'Test plan' is coverage: {coverage}"
    )
    assert what.endswith("; leave the program out")


def test_a_commercial_plan_with_an_esketamine_clinic_qualifies() -> None:
    assert savings_problem(clinic(), plan()) is None


def test_an_iv_clinic_with_esketamine_maintenance_qualifies() -> None:
    # the program pays for Spravato, here given as maintenance after an IV series
    maintenance = [
        {
            "kind": "esketamine",
            "device_price": 300,
            "devices": 2,
            "session_fee": 300,
            "per_week": 1,
            "count": 2,
        }
    ]
    assert savings_problem(clinic("iv-infusion", maintenance), plan()) is None


def test_an_iv_clinic_without_esketamine_is_refused() -> None:
    boosters = [{"kind": "booster", "price": 500, "every_weeks": 4, "count": 2}]
    problem = savings_problem(clinic("iv-infusion", boosters), plan())
    assert problem == (
        "the clinic 'Test clinic' has no esketamine (Spravato) sessions, and the savings"
        " program pays only for Spravato",
        "leave the program out, or estimate an esketamine clinic",
    )


def test_an_estimate_refuses_the_program_under_the_savings_heading() -> None:
    # docs/insurance-rules.md: with Medicare the program is refused, saying who qualifies
    with pytest.raises(InputError) as raised:
        ketacost.estimate(clinic(), plan("medicare"), start=DAY, months=2, savings=SavingsTerms())
    (problem,) = raised.value.problems
    assert problem.path == "savings"
    assert "is for commercial insurance only" in problem.message
    assert problem.hint is not None and "not for cash patients, Medicare" in problem.hint


# --- the observation rebate: when it is modelled, and what is said ---------------------------


def test_the_rebate_is_modelled_only_with_a_stated_limit_and_an_allowed_state() -> None:
    assert not SavingsTerms().rebate_applies  # no limit stated: none is published
    # state unknown: left out, since it may not apply (never the cheaper guess)
    assert not SavingsTerms(observation_rebate_cap=D(200)).rebate_applies
    assert SavingsTerms(observation_rebate_cap=D(200), state="CA").rebate_applies
    assert not SavingsTerms(observation_rebate_cap=D(200), state="MA").rebate_applies
    assert not SavingsTerms(observation_rebate_cap=D(200), state="ri").rebate_applies


def test_the_rebate_note_for_each_case() -> None:
    assert SavingsTerms().rebate_note() is None
    unknown = SavingsTerms(observation_rebate_cap=D(200)).rebate_note()
    assert unknown is not None
    assert "not valid for residents of MA, MI, MN, RI" in unknown
    assert unknown.startswith("No observation rebate:")
    assert "your state was not given" in unknown
    excluded = SavingsTerms(observation_rebate_cap=D(200), state="mn").rebate_note()
    assert excluded == (
        "No observation rebate: the program's rebate is not valid for residents of"
        " MA, MI, MN, RI, and your state is MN."
    )
    allowed = SavingsTerms(observation_rebate_cap=D(200), state="CA").rebate_note()
    assert allowed == (
        "The observation rebate is modelled with your stated yearly limit, paid after the"
        " EOB is sent."
    )


# --- the drug's part of each claim ------------------------------------------------------------


def test_the_share_is_split_in_proportion_to_the_prices() -> None:
    # $900 session, drug $600: a $450 share is drug 450 × 600 / 900 = 300, visit 150
    charge = session(DAY, "Session 1", "900", "600")
    assert drug_costs([charge], [Claimed(charge, True, D(450))]) == [(DAY, D(300))]


def test_the_drug_part_is_rounded_to_cents() -> None:
    # 100 × 200 / 300 = 66.666…: 66.67
    charge = session(DAY, "Session 1", "300", "200")
    assert drug_costs([charge], [Claimed(charge, True, D(100))]) == [(DAY, D("66.67"))]


def test_nothing_is_counted_for_a_denied_claim() -> None:
    # docs/insurance-rules.md: nothing is paid on a denied claim
    denied = session(DAY, "Session 1", "900", "600")
    paid = session(DAY + dt.timedelta(days=7), "Session 2", "900", "600")
    claims = [Claimed(denied, False, D(900)), Claimed(paid, True, D(900))]
    assert drug_costs([denied, paid], claims) == [(paid.date, D(600))]  # 900 × 600 / 900
    lines = program_lines([denied, paid], claims, SavingsTerms())
    assert [(line.date, line.paid_by_program) for line in lines] == [(paid.date, D(600) - 10)]


def test_a_denied_claim_gets_no_observation_rebate_either() -> None:
    denied = session(DAY, "Session 1", "900", "600")
    terms = SavingsTerms(observation_rebate_cap=D(1000), state="CA")
    assert program_lines([denied], [Claimed(denied, False, D(900))], terms) == []


def test_nothing_is_counted_without_a_claim_a_drug_or_a_price() -> None:
    unclaimed = session(DAY, "Session 1", "900", "600")
    no_drug = session(DAY, "Session 2", "500", None)  # an IV session: no drug part
    free = session(DAY, "Session 3", "0", "0")
    claims = [Claimed(no_drug, True, D(500)), Claimed(free, True, D(0))]
    assert drug_costs([unclaimed, no_drug, free], claims) == []


def test_claims_are_matched_by_date_and_label() -> None:
    first = session(DAY, "Session 1", "900", "600")
    second = session(DAY, "Session 2", "900", "300")
    later = session(DAY + dt.timedelta(days=1), "Session 1", "900", "900")
    claims = [
        Claimed(later, True, D(90)),  # 90 × 900 / 900 = 90
        Claimed(second, True, D(450)),  # 450 × 300 / 900 = 150
        Claimed(first, True, D(450)),  # 450 × 600 / 900 = 300
    ]
    assert drug_costs([first, second, later], claims) == [
        (DAY, D(300)),
        (DAY, D(150)),
        (later.date, D(90)),
    ]


def test_a_negative_net_leaves_nothing_to_pay() -> None:
    # more came back than was paid: neither the drug nor the visit has a share
    charge = session(DAY, "Session 1", "900", "600")
    terms = SavingsTerms(floor=D(0), observation_rebate_cap=D(1000), state="CA")
    lines = program_lines([charge], [Claimed(charge, True, D(-90))], terms, 30)
    assert [(line.part, line.cost, line.paid_by_program) for line in lines] == [
        ("drug", D(0), D(0)),
        ("observation", D(0), D(0)),
    ]


# --- the drug benefit -------------------------------------------------------------------------


def test_the_default_terms_are_the_published_floor_and_cap() -> None:
    # $10 floor, $7,150 cap: a $1,050 cost pays 1,050 − 10 = 1,040, leaving 7,150 − 1,040
    (line,) = apply_savings([(DAY, D(1050))])
    assert (line.paid_by_program, line.patient_pays, line.cap_left) == (
        D(1050 - 10),
        D(10),
        D(7150 - 1040),
    )
    assert (line.part, line.received) == ("drug", DAY)  # paid at the treatment


def test_the_cap_left_is_never_below_zero() -> None:
    # a $0 cap pays nothing and leaves 0, not a negative amount
    (line,) = apply_savings([(DAY, D(500))], SavingsTerms(annual_cap=D(0)))
    assert (line.paid_by_program, line.cap_left) == (D(0), D(0))


# --- the observation rebate -------------------------------------------------------------------


def test_the_worked_example_of_the_docs() -> None:
    # docs/insurance-rules.md: $900 sessions (devices $600 + visit $300) at 50%: share 450 =
    # drug 300 + visit 150. The drug benefit pays 300 − 10 = 290 a session; with a $200
    # rebate limit the rebate pays 150 for the first visit and the last 200 − 150 = 50.
    first = session(DAY, "Session 1", "900", "600")
    second = session(DAY + dt.timedelta(days=7), "Session 2", "900", "600")
    claims = [Claimed(first, True, D(450)), Claimed(second, True, D(450))]
    terms = SavingsTerms(observation_rebate_cap=D(200), state="CA")
    lines = program_lines([first, second], claims, terms, 30)
    assert [(x.part, x.date, x.paid_by_program, x.patient_pays, x.cap_left) for x in lines] == [
        ("drug", first.date, D(290), D(10), D(7150 - 290)),
        ("drug", second.date, D(290), D(10), D(7150 - 290 - 290)),
        ("observation", first.date, D(150), D(0), D(200 - 150)),
        ("observation", second.date, D(50), D(150 - 50), D(0)),
    ]
    assert sum(x.paid_by_program for x in lines) == 2 * 290 + 150 + 50  # $780
    # the rebate arrives paid_after_days after each visit
    assert [x.received for x in lines] == [
        first.date,
        second.date,
        first.date + dt.timedelta(days=30),
        second.date + dt.timedelta(days=30),
    ]


def test_out_of_network_the_program_pays_toward_the_share_not_the_balance_bill() -> None:
    # The bundled cash profile: $1,050 a session, $590 of it the drug (docs/insurance-rules.md),
    # 21 sessions in 6 months. A commercial plan out of network: 70% allowed, no deductible,
    # 40% coinsurance. Per session: allowed 735, coinsurance 0.40 * 735 = 294, back 441,
    # and 1050 - 735 = 315 billed above the allowed amount, which is no cost sharing.
    profile = ketacost.load_clinic("esketamine-cash")
    oon = Plan(
        name="Test plan",
        coverage="commercial",
        out_of_network={"coinsurance": "40%", "allowed": "70%"},
    )
    result = ketacost.estimate(
        profile, oon, start=dt.date(2027, 1, 4), months=6, savings=SavingsTerms()
    )
    (scenario,) = result.scenarios
    assert len(scenario.claims) == 21
    # drug part of the share: 294 * 590 / 1050 = 165.20; the program pays it less $10
    assert scenario.savings_program == D("155.20") * 21  # 3,259.20, under the $7,150 cap
    assert scenario.net == D(1050 * 21 - 441 * 21) - D("155.20") * 21  # 9,529.80


def test_without_a_delay_the_rebate_arrives_63_days_after_the_visit() -> None:
    # docs/plan-format.md: the plan's claims.paid_after_days is 63 by default (45 business days)
    charge = session(DAY, "Session 1", "900", "600")
    terms = SavingsTerms(observation_rebate_cap=D(200), state="CA")
    lines = program_lines([charge], [Claimed(charge, True, D(450))], terms)
    assert [(x.part, x.received) for x in lines] == [
        ("drug", DAY),
        ("observation", DAY + dt.timedelta(days=63)),
    ]


def test_no_rebate_for_an_excluded_state_even_with_a_limit() -> None:
    charge = session(DAY, "Session 1", "900", "600")
    terms = SavingsTerms(observation_rebate_cap=D(200), state="MI")
    lines = program_lines([charge], [Claimed(charge, True, D(450))], terms, 30)
    assert [line.part for line in lines] == ["drug"]


def test_the_rebate_limit_resets_on_january_first() -> None:
    # a $100 limit: 80 in December, then only 100 − 80 = 20 of the next 80; a fresh 100 in January
    december, later = dt.date(2027, 12, 1), dt.date(2027, 12, 8)
    january = dt.date(2028, 1, 5)
    lines = observation_rebates([(december, D(80)), (later, D(80)), (january, D(80))], D(100), 0)
    assert [(x.paid_by_program, x.cap_left) for x in lines] == [
        (D(80), D(100 - 80)),
        (D(20), D(0)),
        (D(80), D(100 - 80)),
    ]
    assert lines[1] == SavingsLine(later, D(80), D(20), D(80 - 20), D(0), "observation", later)
