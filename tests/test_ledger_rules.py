"""Ledger rules pinned at their edges: warnings, claims, EOBs, payments shared out, counters.

Clinic: N sessions of $500 a week apart from Monday 2027-01-04 (Jan 4, 11, 18, 25, ...).
Plan (where one is used): allowed 100%, deductible $600 with nothing met, 20% coinsurance,
no cap, paid 30 days after the claim, claims due 60 days after the visit.
Every figure below is worked by hand in the test that uses it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketacost import load_ledger
from ketacost.cli import app
from ketacost.engine.ledger import Finding, Matching, _label_hint, _natural
from ketacost.files.ledger import LoadedLedger

D = Decimal
PLAN = """\
kind: plan
name: Plain plan
out_of_network: {deductible: 600, coinsurance: 20%, allowed: 100%}
claims: {paid_after_days: 30, filing_deadline_days: 60}
"""


def clinic(sessions: int) -> str:
    return (
        f"name: Weekly clinic\nseries: {{sessions: {sessions}, every_weeks: 1, price: 500}}\n"
        "billing: {network: out-of-network, superbill: true}\n"
    )


def ledger(
    folder: Path,
    entries: list[str],
    *,
    sessions: int = 4,
    plan: bool = True,
    extra: str = "",
) -> LoadedLedger:
    (folder / "clinic.yaml").write_text(clinic(sessions), encoding="utf-8")
    (folder / "plan.yaml").write_text(PLAN, encoding="utf-8")
    text = (
        "kind: ledger\nclinic: clinic.yaml\n"
        + ("plan: plan.yaml\n" if plan else "")
        + "start: 2027-01-04\n"
        + extra
        + "entries:\n"
        + "".join(f"  - {entry}\n" for entry in entries)
    )
    path = folder / "ledger.yaml"
    path.write_text(text, encoding="utf-8")
    return load_ledger(path)


def visit(day: int, label: str, paid: int = 500) -> str:
    return f"{{date: 2027-01-{day:02d}, visit: {label}, paid: {paid}}}"


# --- visits that match nothing: a guess for the first twenty, then the list --------------------


def test_the_first_twenty_unmatched_visits_get_a_guess_the_rest_the_list(tmp_path: Path) -> None:
    # 21 visits spelt "Sesion N": each is close to "Session N"
    entries = [visit(4, f"Sesion {n}") for n in range(1, 22)]
    loaded = ledger(tmp_path, entries, sessions=25, plan=False)
    hints = [w.hint for w in loaded.warnings]
    assert len(hints) == 21
    assert hints[0] == "did you mean 'Session 1'? (kept as logged)"
    assert hints[19] == "did you mean 'Session 20'? (kept as logged)"  # the 20th still guessed
    # the 21st: the list, in natural order (Session 2 before Session 10), first three and last
    assert hints[20] == (
        "the estimate's visits are Session 1, Session 2, Session 3, ... Session 25 (kept as logged)"
    )


def test_a_visit_close_to_nothing_gets_the_list(tmp_path: Path) -> None:
    loaded = ledger(tmp_path, [visit(4, "Consultation")], sessions=5, plan=False)
    [warning] = loaded.warnings
    assert warning.message == "visit 'Consultation' matches no visit of the estimate"
    assert warning.hint == (
        "the estimate's visits are Session 1, Session 2, Session 3, ... Session 5 (kept as logged)"
    )


def test_three_labels_are_listed_whole() -> None:
    labels = ["Session 1", "Session 2", "Session 3"]
    assert _label_hint("Zzz", labels, guess=True) == (
        "the estimate's visits are Session 1, Session 2, Session 3 (kept as logged)"
    )
    four = [*labels, "Session 4"]
    assert _label_hint("Zzz", four, guess=False) == (
        "the estimate's visits are Session 1, Session 2, Session 3, ... Session 4 (kept as logged)"
    )


def test_a_label_without_a_number_sorts_before_its_numbered_kin() -> None:
    assert sorted(["Booster 2", "Booster 1", "Booster", "Booster 10"], key=_natural) == [
        "Booster",
        "Booster 1",
        "Booster 2",
        "Booster 10",
    ]


def test_a_finding_and_a_matching_cannot_be_changed() -> None:
    finding = Finding(0, "visit", "message", "hint")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.entry = 1  # type: ignore[misc]
    matching = Matching({}, ())
    with pytest.raises(dataclasses.FrozenInstanceError):
        matching.unlogged = ()  # type: ignore[misc]


# --- claims, by the plan's terms ------------------------------------------------------------
# Allowed 100% of $500, deductible $600 from nothing met, 20% coinsurance:
#   S1: 500 to the deductible (100 left), plan 0
#   S2: 100 deductible, coinsurance 20% × 400 = 80, plan 500 − 180 = 320
#   S3, S4: coinsurance 20% × 500 = 100, plan 400

FOUR_VISITS = [visit(4, "Session 1"), visit(11, "Session 2"), visit(18, "Session 3"),
               visit(25, "Session 4")]  # fmt: skip


def claims_of(loaded: LoadedLedger, day: dt.date) -> dict[str, object]:
    return {c.label: c for c in loaded.status(as_of=day).claims}


def test_what_each_claim_should_bring_back_by_the_terms(tmp_path: Path) -> None:
    claims = claims_of(ledger(tmp_path, FOUR_VISITS), dt.date(2027, 2, 1))
    back = {label: c.expected_back for label, c in claims.items()}  # type: ignore[attr-defined]
    assert back == {"Session 1": D(0), "Session 2": D(500 - 100 - 80), "Session 3": D(400),
                    "Session 4": D(400)}  # fmt: skip


def test_one_payment_for_several_visits_is_shared_in_the_order_named(tmp_path: Path) -> None:
    # $1,000 for [Session 2, Session 3]: Session 2 takes the 320 due on it, Session 3 the rest
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: [Session 2, Session 3]}",
               "{date: 2027-03-01, received: 1000, for: [Session 2, Session 3]}"]  # fmt: skip
    claims = claims_of(ledger(tmp_path, entries), dt.date(2027, 3, 2))
    assert claims["Session 2"].received == D(320)  # type: ignore[attr-defined]
    assert claims["Session 3"].received == D(1000 - 320)  # type: ignore[attr-defined]


def test_a_payment_short_of_the_first_visit_leaves_nothing_for_the_next(tmp_path: Path) -> None:
    # $300 for [Session 2, Session 3], 320 due on Session 2: all 300 to it; but the last
    # named takes what is left, which is nothing
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: [Session 2, Session 3]}",
               "{date: 2027-03-01, received: 300, for: [Session 2, Session 3]}"]  # fmt: skip
    claims = claims_of(ledger(tmp_path, entries), dt.date(2027, 3, 2))
    assert claims["Session 2"].received == D(300)  # type: ignore[attr-defined]
    assert claims["Session 3"].received == D(0)  # type: ignore[attr-defined]
    assert claims["Session 3"].state == "waiting"  # type: ignore[attr-defined]


def test_a_second_payment_tops_up_what_is_still_due(tmp_path: Path) -> None:
    # 100 for Session 2 first; then 500 for [Session 2, Session 3]: Session 2 takes 320 − 100
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: [Session 2, Session 3]}",
               "{date: 2027-02-20, received: 100, for: Session 2}",
               "{date: 2027-03-01, received: 500, for: [Session 2, Session 3]}"]  # fmt: skip
    claims = claims_of(ledger(tmp_path, entries), dt.date(2027, 3, 2))
    assert claims["Session 2"].received == D(100 + 220)  # type: ignore[attr-defined]
    assert claims["Session 3"].received == D(500 - 220)  # type: ignore[attr-defined]


def test_a_denied_claim_is_owed_nothing(tmp_path: Path) -> None:
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: Session 3}",
               "{date: 2027-02-20, eob: Session 3, denied: not medically necessary}"]  # fmt: skip
    claims = claims_of(ledger(tmp_path, entries), dt.date(2027, 3, 1))
    denied = claims["Session 3"]
    assert denied.state == "denied"  # type: ignore[attr-defined]
    assert denied.expected_back == D(0)  # type: ignore[attr-defined]  # the terms said 400
    assert denied.check.advice.startswith("denied (not medically necessary): appeal")  # type: ignore[attr-defined]


def test_a_sub_dollar_plan_payment_is_due_not_applied_to_the_deductible(tmp_path: Path) -> None:
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: Session 1}",
               "{date: 2027-02-20, eob: Session 1, allowed: 500, deductible: 499.50,"
               " plan_pays: 0.50}"]  # fmt: skip
    claims = claims_of(ledger(tmp_path, entries), dt.date(2027, 3, 1))
    assert claims["Session 1"].state == "payment due"  # type: ignore[attr-defined]
    assert claims["Session 1"].expected_back == D("0.50")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("eob", "state"),
    [
        ("allowed: 500, deductible: 500, plan_pays: 0", "applied to deductible"),
        ("allowed: 500, coinsurance: 500, plan_pays: 0", "paid"),  # nothing to the deductible
        ("allowed: 500, deductible: 499, plan_pays: 1", "payment due"),  # the $1 not received
    ],
)
def test_an_answered_claims_state(tmp_path: Path, eob: str, state: str) -> None:
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: Session 1}",
               f"{{date: 2027-02-20, eob: Session 1, {eob}}}"]  # fmt: skip
    assert claims_of(ledger(tmp_path, entries), dt.date(2027, 3, 1))["Session 1"].state == state  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("eob", "advice"),
    [
        ("allowed: 500, deductible: 500", "as the plan's terms predict"),
        ("allowed: 400, deductible: 400", "ask the plan why it allowed less; appeal if it used"
         " the wrong rate or code"),
        ("allowed: 500, deductible: 450, plan_pays: 50", "more than the terms give: nothing to do"),
    ],
)  # fmt: skip
def test_an_eob_against_the_terms(tmp_path: Path, eob: str, advice: str) -> None:
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: Session 1}",
               f"{{date: 2027-02-20, eob: Session 1, {eob}}}"]  # fmt: skip
    check = claims_of(ledger(tmp_path, entries), dt.date(2027, 3, 1))["Session 1"].check  # type: ignore[attr-defined]
    assert check.advice == advice
    assert check.matches == (advice == "as the plan's terms predict")


def test_an_eob_that_allows_as_predicted_but_pays_less(tmp_path: Path) -> None:
    # Session 3 by the terms: allowed 500, coinsurance 100, the plan 400; the EOB takes 200
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: Session 3}",
               "{date: 2027-02-20, eob: Session 3, allowed: 500, coinsurance: 200,"
               " plan_pays: 300}"]  # fmt: skip
    check = claims_of(ledger(tmp_path, entries), dt.date(2027, 3, 1))["Session 3"].check  # type: ignore[attr-defined]
    assert check.advice == "ask the plan why it pays less (which deductible or coinsurance it used)"
    assert [(d.field, d.on_eob, d.predicted) for d in check.differences] == [
        ("coinsurance", D(200), D(100)),
        ("plan_pays", D(300), D(400)),
    ]


def test_a_later_eob_for_the_same_visit_corrects_the_earlier(tmp_path: Path) -> None:
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: Session 2}",
               "{date: 2027-02-20, eob: Session 2, denied: missing code}",
               "{date: 2027-03-20, eob: Session 2, allowed: 500, deductible: 100,"
               " coinsurance: 80, plan_pays: 320}"]  # fmt: skip
    claims = claims_of(ledger(tmp_path, entries), dt.date(2027, 3, 21))
    assert claims["Session 2"].state == "payment due"  # type: ignore[attr-defined]
    assert claims["Session 2"].expected_back == D(320)  # type: ignore[attr-defined]


def test_overdue_from_the_day_the_grace_ends(tmp_path: Path) -> None:
    # claimed Jan 26; paid after 30 days, 15 more of grace: overdue from Jan 26 + 45 = Mar 12
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: Session 1}"]
    loaded = ledger(tmp_path, entries)
    assert claims_of(loaded, dt.date(2027, 3, 11))["Session 1"].state == "waiting"  # type: ignore[attr-defined]
    on = claims_of(loaded, dt.date(2027, 3, 12))["Session 1"]
    assert (on.state, on.age_days) == ("overdue", 31 - 26 + 28 + 12)  # type: ignore[attr-defined]
    assert on.overdue_from == dt.date(2027, 3, 12)  # type: ignore[attr-defined]


def test_the_first_claim_for_a_visit_dates_it(tmp_path: Path) -> None:
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: Session 1}",
               "{date: 2027-02-10, claim: Session 1}"]  # fmt: skip
    claim = claims_of(ledger(tmp_path, entries), dt.date(2027, 2, 11))["Session 1"]
    assert claim.filed == dt.date(2027, 1, 26)  # type: ignore[attr-defined]


def test_an_unfiled_claims_deadline(tmp_path: Path) -> None:
    claim = claims_of(ledger(tmp_path, FOUR_VISITS), dt.date(2027, 2, 1))["Session 1"]
    # visit Jan 4, claims due 60 days after: Mar 5; from Feb 1 that is 32 days
    assert claim.filing_deadline == dt.date(2027, 3, 5)  # type: ignore[attr-defined]
    assert claim.days_left == 32  # type: ignore[attr-defined]


def test_money_received_without_an_eob_marks_the_claim_paid(tmp_path: Path) -> None:
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: Session 3}",
               "{date: 2027-02-20, received: 400, for: Session 3}"]  # fmt: skip
    claim = claims_of(ledger(tmp_path, entries), dt.date(2027, 3, 1))["Session 3"]
    assert (claim.state, claim.expected_back) == ("paid", D(0))  # type: ignore[attr-defined]


def test_predicted_claims_stop_at_the_out_of_pocket_cap(tmp_path: Path) -> None:
    # no deductible, 50% coinsurance, out-of-pocket cap $300:
    #   S1: share 250 (50 of the cap left), plan 250; S2: share 50, plan 450; S3: share 0, plan 500
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    loaded = ledger(tmp_path, FOUR_VISITS[:3])
    capped = PLAN.replace(
        "{deductible: 600, coinsurance: 20%, allowed: 100%}",
        "{deductible: 0, coinsurance: 50%, allowed: 100%, out_of_pocket_max: 300}",
    )
    (tmp_path / "plan.yaml").write_text(capped, encoding="utf-8")
    loaded = load_ledger(loaded.path)
    back = [c.expected_back for c in loaded.status(as_of=dt.date(2027, 2, 1)).claims]
    assert back == [D(500 - 250), D(500 - 50), D(500)]


# --- the counters and the Good Faith Estimate ------------------------------------------------


def test_the_counters_count_this_plan_years_eobs(tmp_path: Path) -> None:
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: [Session 1, Session 2]}",
               "{date: 2027-02-20, eob: Session 1, allowed: 500, deductible: 500}",
               "{date: 2027-02-21, eob: Session 2, allowed: 500, deductible: 100,"
               " coinsurance: 80, plan_pays: 320}"]  # fmt: skip
    counters = ledger(tmp_path, entries).status(as_of=dt.date(2027, 3, 1)).counters
    assert counters is not None
    assert counters.eobs == 2
    assert counters.deductible_met == D(500 + 100)
    assert counters.out_of_pocket_met == D(500 + 100 + 80)


@pytest.mark.parametrize(
    ("charged", "disputable"),
    [("1900", True), ("1899.99", False)],  # the estimate 1,500 + 400 exactly: the process opens
)
def test_the_good_faith_estimate_is_disputable_from_400_over(
    tmp_path: Path, charged: str, disputable: bool
) -> None:
    # three visits of 500 as estimated, then a charge taking the total to `charged`
    extra = D(charged) - 3 * 500
    entries = [*FOUR_VISITS[:3], f"{{date: 2027-01-19, charge: Lab work, amount: {extra}}}"]
    loaded = ledger(
        tmp_path,
        entries,
        plan=False,
        extra="good_faith_estimate: {date: 2027-01-01, total: 1500}\n",
    )
    check = loaded.status(as_of=dt.date(2027, 1, 20)).good_faith
    assert check is not None
    assert check.over_by == D(charged) - 1500
    assert check.disputable is disputable
    assert check.crossed_on == (dt.date(2027, 1, 19) if disputable else None)


def test_a_claims_status_its_check_and_differences_cannot_be_changed(tmp_path: Path) -> None:
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: Session 1}",
               "{date: 2027-02-20, eob: Session 1, allowed: 400, deductible: 400}"]  # fmt: skip
    claim = ledger(tmp_path, entries).status(as_of=dt.date(2027, 3, 1)).claims[0]
    assert claim.check is not None and claim.check.differences
    for value, name in [(claim, "state"), (claim.check, "advice"),
                        (claim.check.differences[0], "field")]:  # fmt: skip
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, name, "changed")


# --- more claim rules: EOBs feed the next predictions, unplanned and unclaimable visits -------


def test_an_eobs_figures_carry_into_the_next_claims_prediction(tmp_path: Path) -> None:
    # out-of-pocket cap 700. S1's EOB: 500 to the deductible (out of pocket 500);
    # S2 by the terms: 100 deductible + 80 coinsurance (out of pocket 680), the plan 320;
    # S3: 20 of the cap left: the patient 20, the plan 500 − 20 = 480; S4: the plan 500
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    loaded = ledger(tmp_path, [*FOUR_VISITS, "{date: 2027-01-26, claim: Session 1}",
                               "{date: 2027-02-20, eob: Session 1, allowed: 500, deductible: 500}"])  # fmt: skip
    capped = PLAN.replace("allowed: 100%}", "allowed: 100%, out_of_pocket_max: 700}")
    (tmp_path / "plan.yaml").write_text(capped, encoding="utf-8")
    back = [c.expected_back for c in load_ledger(loaded.path).status(dt.date(2027, 3, 1)).claims]
    assert back == [D(0), D(500 - 100 - 80), D(500 - 20), D(500)]


def test_a_visit_the_estimate_does_not_have_is_claimed_at_what_was_paid(tmp_path: Path) -> None:
    # two unplanned visits of 500 and 300: the first to the deductible (100 left); the
    # second: 100 deductible, 20% × 200 = 40 coinsurance, the plan 300 − 140 = 160
    entries = [visit(5, "Extra visit", 500), visit(6, "Second extra", 300)]
    loaded = ledger(tmp_path, entries)
    claims = {c.label: c for c in loaded.status(dt.date(2027, 1, 7)).claims}
    assert claims["Extra visit"].expected_back == D(0)
    assert claims["Second extra"].expected_back == D(300 - 100 - 40)
    assert [w.message for w in loaded.warnings] == [
        "visit 'Extra visit' matches no visit of the estimate",
        "visit 'Second extra' matches no visit of the estimate",
    ]


def test_a_visit_for_an_unclaimable_charge_has_no_claim(tmp_path: Path) -> None:
    loaded = ledger(tmp_path, [visit(4, "Session 1")], sessions=1)
    clinic_text = clinic(1) + (
        "maintenance:\n  - {kind: booster, price: 600, every_weeks: 4, after_weeks: 1,"
        " claimable: false}\n"
    )
    (tmp_path / "clinic.yaml").write_text(clinic_text, encoding="utf-8")
    # the booster is due 1 week after the one session: Jan 11
    path = loaded.path
    path.write_text(
        path.read_text().replace(
            "entries:\n", "entries:\n  - {date: 2027-01-11, visit: Booster 1, paid: 600}\n"
        )
    )
    reloaded = load_ledger(path)
    assert reloaded.warnings == ()
    labels = [c.label for c in reloaded.status(dt.date(2027, 1, 12)).claims]
    assert labels == ["Session 1"]


def test_in_network_the_claim_is_filed_on_the_day_of_the_visit(tmp_path: Path) -> None:
    (tmp_path / "clinic.yaml").write_text(
        clinic(2).replace("{network: out-of-network, superbill: true}", "{network: in-network}"),
        encoding="utf-8",
    )
    (tmp_path / "plan.yaml").write_text(PLAN.replace("out_of_network", "in_network"))
    text = (
        "kind: ledger\nclinic: clinic.yaml\nplan: plan.yaml\nstart: 2027-01-04\nentries:\n"
        "  - {date: 2027-01-05, visit: Session 1, paid: 500}\n"  # planned Jan 4, seen Jan 5
    )
    (tmp_path / "ledger.yaml").write_text(text)
    [claim] = load_ledger(tmp_path / "ledger.yaml").status(dt.date(2027, 1, 6)).claims
    assert claim.filed == dt.date(2027, 1, 5)


def test_what_the_eob_says_less_what_came_is_still_to_come(tmp_path: Path) -> None:
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: Session 2}",
               "{date: 2027-02-20, eob: Session 2, allowed: 500, deductible: 100,"
               " coinsurance: 80, plan_pays: 320}",
               "{date: 2027-02-25, received: 100, for: Session 2}"]  # fmt: skip
    claim = claims_of(ledger(tmp_path, entries), dt.date(2027, 3, 1))["Session 2"]
    assert (claim.state, claim.expected_back) == ("payment due", D(320 - 100))  # type: ignore[attr-defined]


def test_a_sub_dollar_payment_without_an_eob_marks_the_claim_paid(tmp_path: Path) -> None:
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: Session 3}",
               "{date: 2027-02-20, received: 0.75, for: Session 3}"]  # fmt: skip
    claim = claims_of(ledger(tmp_path, entries), dt.date(2027, 3, 1))["Session 3"]
    assert (claim.state, claim.received) == ("paid", D("0.75"))  # type: ignore[attr-defined]


def test_a_denial_under_a_covering_plan_is_not_what_the_terms_predict(tmp_path: Path) -> None:
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: Session 3}",
               "{date: 2027-02-20, eob: Session 3, denied: no prior authorization}"]  # fmt: skip
    check = claims_of(ledger(tmp_path, entries), dt.date(2027, 3, 1))["Session 3"].check  # type: ignore[attr-defined]
    assert (check.predicted_denied, check.matches) == (False, False)


def test_an_eob_paying_as_predicted_with_other_splits_needs_nothing(tmp_path: Path) -> None:
    # Session 1 by the terms: 500 to the deductible, the plan 0. The EOB: 400 deductible and
    # a 100 copay, the plan 0: it differs, allows the same and pays the same
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: Session 1}",
               "{date: 2027-02-20, eob: Session 1, allowed: 500, deductible: 400, copay: 100}"]  # fmt: skip
    check = claims_of(ledger(tmp_path, entries), dt.date(2027, 3, 1))["Session 1"].check  # type: ignore[attr-defined]
    assert check.advice == "more than the terms give: nothing to do"
    assert not check.matches


def test_a_ledger_spelt_as_estimated_is_returned_as_it_is(tmp_path: Path) -> None:
    from ketacost.engine.ledger import spelled_as_estimated
    from ketacost.engine.schedule import schedule

    loaded = ledger(tmp_path, FOUR_VISITS[:2])
    events = schedule(loaded.clinic, loaded.ledger.start, loaded.ledger.months)
    assert spelled_as_estimated(loaded.ledger, events) is loaded.ledger  # nothing to respell
    from ketacost.model.ledger import Ledger

    as_written = ledger(tmp_path, [visit(4, "session  1")]).document.data
    respelt = Ledger.model_validate(as_written)  # as the file has it, before loading respells
    assert respelt.entries[0].visit == "session  1"  # type: ignore[union-attr]
    fixed = spelled_as_estimated(respelt, events)
    assert fixed is not respelt
    assert fixed.entries[0].visit == "Session 1"  # type: ignore[union-attr]


def test_an_appeal_needs_a_denial_logged_before_it(tmp_path: Path) -> None:
    # S1 denied then appealed: fine. S2 denied, then paid on a later EOB, then appealed:
    # its last EOB is no denial. S3 appealed with no EOB at all.
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: [Session 1, Session 2, Session 3]}",
               "{date: 2027-02-20, eob: Session 1, denied: not medically necessary}",
               "{date: 2027-02-21, eob: Session 2, denied: missing code}",
               "{date: 2027-03-01, eob: Session 2, allowed: 500, deductible: 100,"
               " coinsurance: 80, plan_pays: 320}",
               "{date: 2027-03-05, appeal: Session 1}",
               "{date: 2027-03-05, appeal: Session 2}",
               "{date: 2027-03-05, appeal: Session 3}"]  # fmt: skip
    loaded = ledger(tmp_path, entries)
    assert [w.message for w in loaded.warnings] == [
        "an appeal for 'Session 2', which has no denied EOB logged before it",
        "an appeal for 'Session 3', which has no denied EOB logged before it",
    ]


# --- entries the status does not count, visits outside the treatment ---------------------------


def test_entries_after_the_as_of_date_are_counted_aloud(tmp_path: Path) -> None:
    # four weekly visits from Jan 4 (Jan 4, 11, 18, 25) and a claim on Feb 1
    loaded = ledger(tmp_path, [*FOUR_VISITS, "{date: 2027-02-01, claim: [Session 1]}"])
    status = loaded.status(as_of=dt.date(2027, 1, 15))
    # Jan 18 and 25 and the claim of Feb 1: three entries wait for a later as-of date
    assert status.later == (dt.date(2027, 1, 18), dt.date(2027, 1, 25), dt.date(2027, 2, 1))
    assert status.so_far.paid == D(500 * 2)  # Jan 4 and 11 only
    result = CliRunner().invoke(
        app, ["status", str(tmp_path / "ledger.yaml"), "--as-of", "2027-01-15", "--no-config"]
    )
    assert result.exit_code == 0, result.stderr
    said = " ".join(result.stdout.split())
    assert (
        "⚠ 3 entries dated after 2027-01-15 are not counted (the latest on 2027-02-01):"
        " add --as-of 2027-02-01 to count them"
    ) in said
    result = CliRunner().invoke(
        app,
        ["status", str(tmp_path / "ledger.yaml"), "--as-of", "2027-02-01", "-f", "json"],
    )
    data = json.loads(result.stdout)
    assert (data["entries_after_as_of"], data["latest_entry"]) == (0, None)


def test_a_visit_after_the_treatment_ends_is_a_warning(tmp_path: Path) -> None:
    # 12 months from 2027-01-04: the last day is 2028-01-03; a visit typed 2028-01-25
    entries = [*FOUR_VISITS[:3], "{date: 2028-01-25, visit: Session 4, paid: 500}"]
    later = ["{date: 2028-02-01, claim: [Session 1]}", "{date: 2028-03-01, eob: Session 1}"]
    loaded = ledger(tmp_path, [*entries, *later])  # a claim and an EOB may come later
    said = [w.message for w in loaded.warnings]
    assert said == ["dated 2028-01-25, after the treatment ends (2027-01-04 to 2028-01-03)"]


def test_the_out_of_pocket_counter_starts_from_the_deductible_already_met(
    tmp_path: Path,
) -> None:
    # docs/plan-format.md: the deductible is part of the cap, so with only $800 of the
    # deductible met the cap's counter starts at max(0, 800) = 800, as the estimate's does
    entries = [*FOUR_VISITS]
    loaded = ledger(tmp_path, entries)
    met = loaded.plan.model_copy(
        update={"already_met": loaded.plan.already_met.model_copy(update={"deductible": D(800)})}
    )
    status = dataclasses.replace(loaded, plan=met).status(as_of=dt.date(2027, 3, 1))
    assert status.counters is not None
    assert status.counters.deductible_met == D(800)
    assert status.counters.out_of_pocket_met == max(D(0), D(800))


def test_an_eob_that_denies_a_line_and_pays_the_rest_is_owed_what_it_pays(
    tmp_path: Path,
) -> None:
    # CARIN Blue Button adjudicates item by item: a drug line denied, the infusion paid
    # 213.50. The visit's money is due, and once received it is paid, with no warning
    # that it was logged under the wrong visit.
    entries = [*FOUR_VISITS, "{date: 2027-01-26, claim: [Session 1]}",
               "{date: 2027-02-20, eob: Session 1, allowed: 500, deductible: 0,"
               " coinsurance: 286.50, plan_pays: 213.50, denied: drug line not covered}"]  # fmt: skip
    claim = claims_of(ledger(tmp_path, entries), dt.date(2027, 3, 1))["Session 1"]
    assert (claim.state, claim.expected_back) == ("payment due", D("213.50"))
    received = [*entries, "{date: 2027-03-05, received: 213.50, for: Session 1}"]
    loaded = ledger(tmp_path, received)
    status = loaded.status(as_of=dt.date(2027, 3, 10))
    paid = {c.label: c for c in status.claims}["Session 1"]
    assert (paid.state, paid.expected_back) == ("paid", D(0))
    assert not [w for w in status.warnings if "says the plan pays nothing" in w]
    # the denied line can still be appealed: its deadline is open
    assert any(d.kind == "appeal" and d.is_open for d in status.deadlines)


def test_an_entry_years_after_the_treatment_is_told_to_check_its_year(tmp_path: Path) -> None:
    # 2062 for 2026: adding --as-of 2062-02-18 would count it, which is not the fix
    ledger(tmp_path, [*FOUR_VISITS, "{date: 2062-02-18, claim: [Session 1]}"])
    result = CliRunner().invoke(
        app, ["status", str(tmp_path / "ledger.yaml"), "--as-of", "2027-03-01", "--no-config"]
    )
    assert result.exit_code == 0, result.stderr
    said = " ".join(result.stdout.split())
    assert "(the latest on 2062-02-18): 2062-02-18 is more than a year after the" in said
    assert "check its year" in said and "--as-of 2062" not in said
    # 12 months from 2027-01-04 end on 2028-01-03, the last day, as the header says
    assert "after the treatment ends (2028-01-03)" in said

    # an entry just after the as-of date keeps its hint beside the mistyped one
    result = CliRunner().invoke(
        app, ["status", str(tmp_path / "ledger.yaml"), "--as-of", "2027-01-20", "--no-config"]
    )
    said = " ".join(result.stdout.split())
    assert "add --as-of 2027-01-25 to count them; 2062-02-18 is more than a year" in said


# --- an entry logged twice ------------------------------------------------------------------


def test_the_same_payment_logged_twice_is_warned_of_and_status_says_so(tmp_path: Path) -> None:
    # $100 "received" twice on one day for Session 1 counts $200: a slip more often than
    # two cheques; said by check and by status (on stderr), not by silence
    loaded = ledger(
        tmp_path,
        [
            visit(4, "Session 1"),
            "{date: 2027-01-05, claim: [Session 1]}",
            "{date: 2027-02-10, received: 100, for: Session 1}",
            "{date: 2027-02-10, received: 100, for: Session 1}",
            "{date: 2027-02-11, received: 100, for: Session 1}",  # another day: not the same
            "{date: 2027-02-12, received: 50, for: [Session 1, Session 2], from: program}",
            # the same visits in another order, the program spelled the other way
            "{date: 2027-02-12, received: 50, for: [Session 2, Session 1], from: programme}",
        ],
    )
    repeated = [w for w in loaded.warnings if "logged twice?" in w.message]
    assert [(w.line, w.message) for w in repeated] == [
        (
            9,  # the second of the two: the 4th entry, as entries start on line 6
            "the same payment as an earlier entry of 2027-02-10, in every field: logged twice?",
        ),
        (
            12,  # the 7th entry
            "the same payment as an earlier entry of 2027-02-12, in every field: logged twice?",
        ),
    ]
    result = CliRunner().invoke(
        app, ["status", str(tmp_path / "ledger.yaml"), "--as-of", "2027-03-01", "--no-config"]
    )
    assert result.exit_code == 0, result.stderr
    assert "logged twice?" in result.stderr


def test_status_names_at_most_three_of_the_ledgers_warnings_then_check(tmp_path: Path) -> None:
    # five claims for visits never logged: three said, then where to see the rest
    ledger(tmp_path, [f"{{date: 2027-01-0{d}, claim: [Session {d}]}}" for d in range(5, 10)])
    result = CliRunner().invoke(
        app, ["status", str(tmp_path / "ledger.yaml"), "--as-of", "2027-03-01", "--no-config"]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("a visit not logged before it") == 3
    assert "… and 2 more warnings: `ketacost check" in result.stderr


def test_an_entry_a_year_and_a_day_after_the_last_day_is_told_to_check_its_year(
    tmp_path: Path,
) -> None:
    # the last day is 2028-01-03: a year on is 2029-01-03 (not 365 days, which 2028's
    # 29 February makes 2029-01-02); the day after it is more than a year after
    for day, told in (("2029-01-03", False), ("2029-01-04", True)):
        ledger(tmp_path, [*FOUR_VISITS, f"{{date: {day}, claim: [Session 1]}}"])
        result = CliRunner().invoke(
            app, ["status", str(tmp_path / "ledger.yaml"), "--as-of", "2027-03-01", "--no-config"]
        )
        assert result.exit_code == 0, result.stderr
        assert ("check its year" in " ".join(result.stdout.split())) is told, day
