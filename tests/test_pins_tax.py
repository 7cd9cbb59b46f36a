"""US tax per calendar year, rule by rule, with the figures by hand (docs/tax.md).

2027 figures (Rev. Proc. 2026-24): HSA limit $4,500 self-only, $9,000 family, +$1,000 at
55 or older; high-deductible plan: in-network deductible at least $1,750 / $3,500,
out-of-pocket maximum at most $8,700 / $17,400. The others are 2026's until 2027's are
known: FSA $3,400; single standard deduction $16,100. The floor is 7.5% of AGI. With other itemized deductions of $16,100 (the single standard deduction)
the whole medical deduction cuts tax: max(16,100, 16,100 + d) − 16,100 = d.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from ketacost.engine.response import ResponseTerms
from ketacost.engine.tax import (
    HsaReturn,
    Refund,
    TaxEstimate,
    TaxTerms,
    TaxYear,
    check_hsa,
    hdhp_problem,
    tax_estimate,
    tax_notes,
    tax_years,
)
from ketacost.engine.taxfigures import FIGURES
from ketacost.errors import InputError
from ketacost.model.plan import Plan

D = Decimal
RATE = D("0.22")
DECEMBER = dt.date(2027, 12, 1)
# agi 20,000: the floor is 20,000 × 7.5% = 1,500; other deductions at the standard one
ITEMIZES: dict[str, object] = {"agi": D(20000), "filing": "single", "other_itemized": D(16100)}


def hsa_notes(terms: TaxTerms, *args: object) -> list[str]:
    years = tax_years(terms, *args)  # type: ignore[arg-type]
    return [note for note in tax_notes(terms, years) if note.startswith("HSA: ")]


# --- the HSA limit --------------------------------------------------------------------------


def test_the_catch_up_adds_to_either_hsa_limit() -> None:
    # docs/tax.md: --hsa-catch-up (55 or older) adds $1,000 to the limit
    figures = FIGURES[2026]
    self_only = TaxTerms(RATE, hsa="self", hsa_catch_up=True)
    family = TaxTerms(RATE, hsa="family", hsa_catch_up=True)
    assert self_only.contribution_limit(figures) == D(4400) + D(1000)
    assert family.contribution_limit(figures) == D(8750) + D(1000)
    (year,) = tax_years(self_only, [(DECEMBER, D(9000))], [], [])
    assert year.hsa_fsa == D(5500)  # 2027: min(9,000, 4,500 + 1,000)


def test_the_catch_up_needs_an_hsa() -> None:
    with pytest.raises(InputError) as raised:
        TaxTerms(RATE, hsa_catch_up=True)
    assert raised.value.problems[0].path == "tax hsa_catch_up"
    assert TaxTerms(RATE, hsa="self", hsa_catch_up=True).hsa_catch_up  # with one it holds


# --- HSA money reimbursed later goes back into the HSA ------------------------------------


def test_the_worked_example_of_hsa_money_reimbursed_later() -> None:
    # docs/tax.md: $3,000 paid from the HSA in December 2027; $1,000 reimbursed in
    # February 2028 goes back by 2029-04-15; the HSA saving counts 3,000 − 1,000 = 2,000:
    # at 22%, $440.
    terms = TaxTerms(RATE, hsa="self")
    refund = Refund(DECEMBER, dt.date(2028, 2, 1), D(1000))
    first, second = tax_years(terms, [(DECEMBER, D(3000))], [refund], [])
    assert (first.year, first.hsa_fsa, first.hsa_fsa_saving) == (2027, D(2000), D("440.00"))
    assert first.hsa_returns == (HsaReturn(2027, dt.date(2028, 2, 1), D(1000)),)
    assert first.hsa_returns[0].due == dt.date(2029, 4, 15)
    assert first.hsa_returns[0].to_dict() == {
        "expense_year": 2027,
        "received": "2028-02-01",
        "amount": "1000.00",
        "return_by": "2029-04-15",
    }
    # all of it went back into the HSA: none of it is income in 2028
    assert (second.year, second.recovered, second.saving) == (2028, D(0), D(0))


def test_money_to_put_back_is_a_frozen_value_like_the_year_holding_it() -> None:
    terms = TaxTerms(RATE, hsa="self")
    refund = Refund(DECEMBER, dt.date(2028, 2, 1), D(1000))
    first = tax_years(terms, [(DECEMBER, D(3000))], [refund], [])[0]
    (back,) = first.hsa_returns
    with pytest.raises(dataclasses.FrozenInstanceError):
        back.amount = D(0)  # type: ignore[misc]
    assert hash(first) == hash(dataclasses.replace(first))  # the year, returns and all


def test_reimbursements_go_back_in_the_order_received_up_to_what_the_hsa_paid() -> None:
    # The HSA paid min(6,000, 4,500) = 4,500 of the year. Back in January: 3,000 (1,500
    # left); back in February: min(2,000, 1,500) = 1,500.
    terms = TaxTerms(RATE, hsa="self")
    february = Refund(DECEMBER, dt.date(2028, 2, 10), D(2000))
    january = Refund(DECEMBER, dt.date(2028, 1, 10), D(3000))
    first = tax_years(terms, [(DECEMBER, D(6000))], [february, january], [])[0]
    assert first.hsa_returns == (
        HsaReturn(2027, dt.date(2028, 1, 10), D(3000)),
        HsaReturn(2027, dt.date(2028, 2, 10), D(4500 - 3000)),
    )
    assert [r.due for r in first.hsa_returns] == [dt.date(2029, 4, 15)] * 2
    (note,) = hsa_notes(terms, [(DECEMBER, D(6000))], [february, january], [])
    assert (
        "($3,000.00 received 2028-01-10, by 2029-04-15; $1,500.00 received 2028-02-10,"
        " by 2029-04-15)" in note
    )


@pytest.mark.parametrize(
    ("other", "fare", "back"),
    [
        # the HSA paid 4,000 + 300 other medical = 4,300: all 4,000 goes back
        (D(300), D(0), D(4000)),
        # the HSA paid 3,900 + a 200 fare = 4,100: all 4,000 goes back
        (D(0), D(200), D(4000)),
        # the HSA paid 3,900 alone: only 3,900 goes back
        (D(0), D(0), D(3900)),
    ],
)
def test_what_the_hsa_paid_counts_other_medical_and_travel(
    other: Decimal, fare: Decimal, back: Decimal
) -> None:
    # docs/tax.md: other medical costs and travel add to each year's expenses, and the HSA
    # pays the year's expenses first, up to its limit (4,400 here, never reached).
    terms = TaxTerms(RATE, hsa="self", other_medical=other)
    paid = D(4000) if other else D(3900)
    refund = Refund(DECEMBER, dt.date(2028, 2, 1), D(4000))
    first = tax_years(terms, [(DECEMBER, paid)], [refund], [DECEMBER], fare)[0]
    assert [r.amount for r in first.hsa_returns] == [back]


def test_the_hsa_saving_is_what_the_treatment_adds_to_other_medical_costs() -> None:
    # docs/tax.md: a $1,000 session, $4,000 of other medical costs, a 2027 self-only HSA
    # (limit 4,500). With the treatment the HSA pays min(5,000, 4,500) = 4,500; without
    # it, 4,000. The treatment saves 22% × (4,500 − 4,000) = 110, not 22% × 4,500 = 990.
    terms = TaxTerms(RATE, hsa="self", other_medical=D(4000))
    (year,) = tax_years(terms, [(DECEMBER, D(1000))], [], [])
    assert (year.expenses, year.hsa_fsa) == (D(5000), D(4500))
    assert year.other_medical_saving == D(4000) * RATE  # 880, saved without the treatment
    assert year.hsa_fsa_saving == year.saving == D(4500) * RATE - D(4000) * RATE  # 110


def test_the_deduction_saving_is_what_the_treatment_adds_to_other_medical_costs() -> None:
    # agi 40,000: floor 3,000. Other itemized 20,000 beat the 16,100 standard deduction.
    # With the session: 1,000 + 5,000 − 3,000 = 3,000 above the floor, deducted
    # max(16,100, 23,000) − max(16,100, 20,000) = 3,000. Without: 5,000 − 3,000 = 2,000.
    # The treatment deducts 3,000 − 2,000 = 1,000 more: 220 saved, not 660.
    terms = TaxTerms(
        RATE, agi=D(40000), filing="single", other_itemized=D(20000), other_medical=D(5000)
    )
    (year,) = tax_years(terms, [(DECEMBER, D(1000))], [], [])
    assert (year.floor, year.deductible) == (D(3000), D(3000))
    assert year.deducted == D(3000) - D(2000)
    assert year.saving == year.deduction_saving == D(3000) * RATE - D(2000) * RATE  # 220
    assert year.other_medical_saving == D(2000) * RATE  # 440


def test_without_a_filing_status_the_conditional_saving_is_the_treatments_too() -> None:
    # agi 40,000 (floor 3,000), other medical 5,000, a $1,000 session: if itemizing beat
    # the standard deduction, the treatment would add 1,000 above the floor: 220.
    terms = TaxTerms(RATE, agi=D(40000), other_medical=D(5000))
    (year,) = tax_years(terms, [(DECEMBER, D(1000))], [], [])
    assert year.if_itemizing == D(3000) * RATE - D(2000) * RATE
    assert year.saving == D(0)


def test_what_goes_back_into_the_hsa_is_not_deducted_and_the_rest_is_income() -> None:
    # 20,000 paid in 2027, 6,000 reimbursed in February 2028. The HSA counts
    # min(20,000 − 6,000, 4,500) = 4,500; of the 6,000, 4,500 goes back into the HSA and is
    # not deducted: 20,000 − 4,500 − 4,500 − 1,500 floor = 9,500 deducted in 2027. The
    # other 6,000 − 4,500 = 1,500 is 2028 income (below the 9,500 that cut tax).
    terms = TaxTerms(RATE, hsa="self", **ITEMIZES)  # type: ignore[arg-type]
    refund = Refund(DECEMBER, dt.date(2028, 2, 1), D(6000))
    first, second = tax_years(terms, [(DECEMBER, D(20000))], [refund], [])
    assert (first.hsa_fsa, first.deductible, first.deducted) == (D(4500), D(9500), D(9500))
    assert first.saving == D(4500) * RATE + D(9500) * RATE  # 990 + 2,090
    assert (second.recovered, second.recovery_tax) == (D(1500), D(1500) * RATE)  # 330
    assert second.saving == -D("330.00")


def test_hsa_money_reimbursed_later_is_left_out_of_the_deduction() -> None:
    # 9,000 paid, 2,000 back later: the HSA counts min(9,000 − 2,000, 4,500) = 4,500, the
    # 2,000 goes back into it; 9,000 − 4,500 − 2,000 − 1,500 = 1,000 is deducted.
    terms = TaxTerms(RATE, hsa="self", **ITEMIZES)  # type: ignore[arg-type]
    refund = Refund(DECEMBER, dt.date(2028, 2, 1), D(2000))
    first, second = tax_years(terms, [(DECEMBER, D(9000))], [refund], [])
    assert (first.hsa_fsa, first.deductible) == (D(4500), D(9000 - 4500 - 2000 - 1500))
    assert second.recovered == D(0)  # 2,000 − 2,000 that went back


def test_fsa_money_does_not_go_back_and_a_later_reimbursement_is_income() -> None:
    # docs/tax.md: the going back is the HSA's rule. With an FSA of 3,400: 9,000 paid,
    # 9,000 − 3,400 − 1,500 = 4,100 deducted in 2027; the 2,000 back in 2028 is income.
    terms = TaxTerms(RATE, fsa=True, **ITEMIZES)  # type: ignore[arg-type]
    refund = Refund(DECEMBER, dt.date(2028, 2, 1), D(2000))
    first, second = tax_years(terms, [(DECEMBER, D(9000))], [refund], [])
    assert (first.hsa_fsa, first.deductible, first.hsa_returns) == (D(3400), D(4100), ())
    assert (second.recovered, second.recovery_tax) == (D(2000), D("440.00"))
    assert hsa_notes(terms, [(DECEMBER, D(9000))], [refund], []) == []


def test_the_fsa_pays_only_what_the_plan_does_not_pay_back() -> None:
    # IRS Pub 969: a health FSA may not pay what other coverage pays. 3,000 paid, 1,000 of
    # it back from the plan later: the FSA pays min(3,000 − 1,000, 3,400) = 2,000.
    terms = TaxTerms(RATE, fsa=True)
    refund = Refund(DECEMBER, dt.date(2028, 2, 1), D(1000))
    first = tax_years(terms, [(DECEMBER, D(3000))], [refund], [])[0]
    assert (first.hsa_fsa, first.hsa_fsa_saving) == (D(2000), D(2000) * RATE)

    def says_so(years: tuple[TaxYear, ...]) -> bool:
        return any(
            n.startswith("FSA: it may pay only what no plan pays") for n in tax_notes(terms, years)
        )

    assert says_so((first,))
    assert not says_so(tax_years(terms, [(DECEMBER, D(3000))], [], []))  # nothing comes back


# --- notes ----------------------------------------------------------------------------------


def test_the_itemizing_note_lists_the_years_only_when_there_are_several() -> None:
    # agi 20,000, no filing status: 2,500 − 1,500 = 1,000 above the floor in 2027 (220 if
    # itemizing), 3,500 − 1,500 = 2,000 in 2028 (440)
    terms = TaxTerms(RATE, agi=D(20000))
    one = tax_years(terms, [(DECEMBER, D(2500))], [], [])
    (note, *_) = tax_notes(terms, one)
    assert "joint, 2026): up to $220.00. For the real figure" in note
    two = tax_years(terms, [(DECEMBER, D(2500)), (dt.date(2028, 3, 1), D(3500))], [], [])
    (note, *_) = tax_notes(terms, two)
    assert "up to $660.00 (2027: $220.00; 2028: $440.00). For the real figure" in note


def test_no_note_when_the_whole_medical_deduction_saves_tax() -> None:
    # 9,000 − 1,500 = 7,500 deducted in full over the standard deduction: nothing to explain
    terms = TaxTerms(RATE, **ITEMIZES)  # type: ignore[arg-type]
    years = tax_years(terms, [(DECEMBER, D(9000))], [], [])
    assert years[0].deducted == years[0].deductible == D(7500)
    assert not [note for note in tax_notes(terms, years) if "itemizing" in note]


# --- response odds --------------------------------------------------------------------------


def test_without_both_the_stopped_years_and_the_odds_there_is_one_branch() -> None:
    terms = TaxTerms(RATE, **ITEMIZES)  # type: ignore[arg-type]
    years = tax_years(terms, [(DECEMBER, D(9000))], [], [])
    odds = ResponseTerms(D("0.5"))
    for stopped, response in (([years], None), (None, odds)):
        estimate = tax_estimate(terms, [years], None, stopped, response)
        assert (estimate.if_it_does_not, estimate.response_rate) == (None, None)
        assert estimate.expected_saving is None
        assert not estimate.notes[0].startswith("With a")


def test_no_expected_saving_without_a_response_rate() -> None:
    terms = TaxTerms(RATE)
    assert TaxEstimate(terms, (), False, (), if_it_does_not=()).expected_saving is None


def test_the_odds_note_gives_the_weighed_saving() -> None:
    # 9,000 − 1,500 = 7,500 × 22% = 1,650 if it helps; 2,500 − 1,500 = 1,000 × 22% = 220
    # if not; at 50%: 0.5 × 1,650 + 0.5 × 220 = 935
    terms = TaxTerms(RATE, **ITEMIZES)  # type: ignore[arg-type]
    works = tax_years(terms, [(DECEMBER, D(9000))], [], [])
    fails = tax_years(terms, [(DECEMBER, D(2500))], [], [])
    estimate = tax_estimate(terms, [works], None, [fails], ResponseTerms(D("0.5")))
    assert estimate.notes[0].endswith(
        "when it does not, saves $220.00; weighed by the odds, $935.00."
    )


# --- an HSA needs a high-deductible plan -----------------------------------------------------


def test_a_plan_without_in_network_terms_names_the_hsa_kind_in_its_hint() -> None:
    # 2027 self-only: deductible at least $1,750, out-of-pocket at most $8,700
    plan = Plan(name="Acme", out_of_network={"deductible": 5000})
    for hsa, kind, least, most in (
        ("self", "self-only", "$1,750.00", "$8,700.00"),
        ("family", "family", "$3,500.00", "$17,400.00"),
    ):
        problem = hdhp_problem(TaxTerms(RATE, hsa=hsa), plan, 2027)  # type: ignore[arg-type]
        assert problem is not None
        assert problem[1] == (
            "add its in_network: block, or hdhp: true if it qualifies (2027, "
            f"{kind}: in-network deductible at least {least}, out-of-pocket maximum at most"
            f" {most})"
        )


def test_an_out_of_pocket_maximum_above_the_limit_is_refused_with_its_amount() -> None:
    # self-only 2027: at most $8,700; $9,000 is above it
    plan = Plan(name="Acme", in_network={"deductible": 2000, "out_of_pocket_max": 9000})
    with pytest.raises(InputError) as raised:
        check_hsa(TaxTerms(RATE, hsa="self"), plan, 2027)
    assert raised.value.problems[0].message.startswith(
        "an HSA needs a high-deductible plan: the in-network out-of-pocket maximum $9,000.00"
        " is above the $8,700.00 limit"
    )
    at_limit = Plan(name="Acme", in_network={"deductible": 2000, "out_of_pocket_max": 8700})
    assert hdhp_problem(TaxTerms(RATE, hsa="self"), at_limit, 2027) is None


def test_a_plan_without_an_out_of_pocket_maximum_is_refused_saying_so() -> None:
    plan = Plan(name="Acme", in_network={"deductible": 2000})
    problem = hdhp_problem(TaxTerms(RATE, hsa="self"), plan, 2027)
    assert problem is not None
    assert problem[0].startswith(
        "an HSA needs a high-deductible plan: the in-network terms give no out-of-pocket"
        " maximum, and it must be at most $8,700.00 (2027, self-only"
    )
