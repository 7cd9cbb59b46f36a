"""``ketacost letter``: drafts filled from the ledger, with visible placeholders for the rest.

examples/ledger-denied.yaml: six sessions (750 × 2 + 600 × 4 = 3,900 charged) against a
Good Faith Estimate of 3,000; Session 1 denied as experimental or investigational on
2027-02-20; the clinic's bill of 2027-03-01 says 3,900. examples/ledger-self-pay.yaml: the
same sessions, estimate and bill, with no plan and no claims.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketacost.cli import app

EXAMPLES = Path(__file__).parent.parent / "examples"
PRICING = Path(__file__).parent.parent / "pricing"
DENIED = str(EXAMPLES / "ledger-denied.yaml")
LEDGER = str(EXAMPLES / "ledger.yaml")
SELF_PAY = str(EXAMPLES / "ledger-self-pay.yaml")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["letter", *args])
    return result.exit_code, result.stdout, result.stderr


def flat(text: str) -> str:
    return " ".join(text.split())


def own_clinic(folder: Path, bundled: str) -> Path:
    """Copy the bundled profile ``bundled`` into ``folder``: a clinic file of the patient's
    own, whose name, prices and codes a letter may give."""
    path = folder / "my-clinic.yaml"
    path.write_text((PRICING / f"{bundled}.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_a_bill_of_3900_against_3000_is_900_over_with_120_days(tmp_path: Path) -> None:
    code, out, err = run("gfe-dispute", SELF_PAY, "--as-of", "2027-03-15")
    assert code == 0, err
    text = flat(out)
    assert "$" + f"{3900 - 3000:,.2f}" == "$900.00"
    assert "Your bill of 2027-03-01 took the charges $400.00 or more over it" in text
    assert "you have charged $3,900.00, $900.00 over the estimate" in text
    # Mar 1 + 120 days: 30 to Mar 31, 30 in April, 31 in May = 91, 29 into June
    assert "within 120 days of the bill: by 2027-06-29" in text
    assert "Good Faith Estimate of 2027-01-02: $3,000.00" in text


def test_an_experimental_denial_lists_the_points_to_make() -> None:
    code, out, err = run("appeal", DENIED, "--as-of", "2027-03-15")
    assert code == 0, err
    text = flat(out)
    assert text.startswith("DRAFT to edit before you send it.")
    assert "This is not legal advice." in text
    assert '"experimental or investigational"' in text
    assert "by 2027-08-19" in text  # Feb 20 + 180 days
    headings = [
        line
        for line, under in zip(out.splitlines(), out.splitlines()[1:], strict=False)
        if under and set(under) == {"-"}
    ]
    assert headings[:3] == ["Medical necessity", "Treatments tried before", "Mental-health parity"]
    # what the files do not hold is a placeholder, never a made-up value
    for placeholder in (
        "[member ID]",
        "[your name]",
        "[claim number, from the EOB]",
        "[The prescriber's letter of medical necessity]",
    ):
        assert placeholder in out
    assert "billed $750.00" in text and "Session 1" in text


def test_another_denial_gets_no_experimental_headings(tmp_path: Path) -> None:
    text = Path(DENIED).read_text(encoding="utf-8")
    ledger = tmp_path / "ledger.yaml"
    ledger.write_text(
        text.replace("experimental or investigational", "not medically necessary").replace(
            "plans/acme-ppo.yaml", str(EXAMPLES / "plans" / "acme-ppo.yaml")
        ),
        encoding="utf-8",
    )
    code, out, err = run("appeal", str(ledger), "--as-of", "2027-03-15")
    assert code == 0, err
    assert "Mental-health parity" not in out and "Why the decision should change" in out


def test_each_kind_in_each_format() -> None:
    for kind, ledger in (
        ("appeal", DENIED),
        ("gfe-dispute", SELF_PAY),
        ("superbill-request", LEDGER),
        ("claim-status", LEDGER),
    ):
        for format in ("md", "txt", "html"):
            code, out, err = run(kind, ledger, "--as-of", "2027-03-15", "--format", format)
            assert code == 0, (kind, format, err)
            assert "not legal advice" in flat(out)
            assert "[your name]" in out
    code, out, _ = run("claim-status", LEDGER, "--as-of", "2027-03-15", "--format", "html")
    assert out.startswith("<!DOCTYPE html>")
    assert "<mark>[member ID]</mark>" in out
    assert "Acme PPO — out-of-network benefits" in out
    code, out, _ = run("claim-status", LEDGER, "--as-of", "2027-03-15", "--format", "md")
    # Session 2: filed Jan 8, nothing by Mar 15; a decision was due Jan 8 + 30 = Feb 7. The
    # ledger's clinic is a bundled reference profile: its price is not the patient's clinic's
    assert (
        "Session 2, care on 2027-01-07, billed [the amount billed, from the superbill],"
        " filed on 2027-01-08" in flat(out)
    )
    assert "a decision was due by 2027-02-07" in out
    code, out, _ = run("superbill-request", LEDGER, "--as-of", "2027-03-15")
    visits = re.findall(r"^- (2027-\S+): (Session \d)", out, re.MULTILINE)
    assert visits == [("2027-01-18", "Session 5"), ("2027-01-21", "Session 6")]
    assert "the first by 2027-04-18" in flat(out)  # Jan 18 + 90 days


def test_the_format_follows_the_file_name(tmp_path: Path) -> None:
    out = tmp_path / "appeal.html"
    code, stdout, err = run("appeal", DENIED, "--as-of", "2027-03-15", "-o", str(out))
    assert (code, stdout) == (0, "")
    assert err.startswith("Note: the ledger's clinic is the bundled reference profile")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    code, _, err = run("appeal", DENIED, "-o", str(tmp_path / "appeal.pdf"))
    assert code == 2 and "--format md|txt|html" in err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["appeal", LEDGER, "--as-of", "2027-03-15"], "no denied claim"),
        (["appeal", DENIED, "--visit", "Session 9"], "no claim for the visit 'Session 9'"),
        (["appeal", DENIED, "--as-of", "2027-03-15", "--visit", "Session 2"], "no denial"),
        (["gfe-dispute", SELF_PAY, "--as-of", "2027-01-10"], "under the $400.00 margin"),
        (
            ["gfe-dispute", DENIED, "--as-of", "2027-03-15"],
            "you sent claims for this treatment to your plan (the first on 2027-01-25)",
        ),
    ],
)
def test_a_letter_with_nothing_to_say_is_refused(args: list[str], said: str) -> None:
    code, out, err = run(*args)
    assert (code, out) == (2, "")
    assert said in err


# --- claim-status asks only about claims with no answer ------------------------------------------


@pytest.mark.parametrize(
    ("ledger", "visit", "said", "hint"),
    [
        # examples/ledger.yaml: Session 1's EOB of 2027-02-20 put all 525 to the deductible
        (
            LEDGER,
            "Session 1",
            "an EOB for Session 1 dated 2027-02-20: applied to deductible, the plan pays $0.00",
            "ketacost status",
        ),
        # examples/ledger-denied.yaml: Session 1 denied on 2027-02-20
        (
            DENIED,
            "Session 1",
            "an EOB for Session 1 dated 2027-02-20: the plan denied it",
            'ketacost letter appeal LEDGER --visit "Session 1"',
        ),
        # examples/ledger.yaml: $198 received for Session 4, no EOB logged
        (LEDGER, "Session 4", "$198.00 received for Session 4", "log its EOB"),
    ],
)
def test_claim_status_refuses_a_visit_the_plan_answered(
    ledger: str, visit: str, said: str, hint: str
) -> None:
    code, out, err = run("claim-status", ledger, "--visit", visit, "--as-of", "2027-03-15")
    assert (code, out) == (2, "")
    assert said in flat(err)
    assert hint in flat(err)
    assert "Traceback" not in err


def test_claim_status_refuses_a_visit_not_filed() -> None:
    # examples/ledger.yaml: Session 5 (2027-01-18) is logged, but no claim names it
    code, out, err = run("claim-status", LEDGER, "--visit", "Session 5", "--as-of", "2027-03-15")
    assert (code, out) == (2, "")
    assert "Session 5 is not filed" in flat(err)
    assert 'ketacost letter superbill-request LEDGER --visit "Session 5"' in flat(err)
    assert 'ketacost log LEDGER claim "Session 5"' in flat(err)


def in_network_ledger(tmp_path: Path, clinic: str = "esketamine-medicare-56mg") -> str:
    """Write a ledger of one visit on 2027-02-01 to a clinic in the plan's network."""
    ledger = tmp_path / "ledger.yaml"
    ledger.write_text(
        f"kind: ledger\nclinic: {own_clinic(tmp_path, clinic)}\n"
        f"plan: {EXAMPLES / 'plans' / 'in-network-ppo.yaml'}\n"
        "start: 2027-02-01\nmonths: 3\nentries:\n"
        "  - date: 2027-02-01\n    visit: Session 1\n    paid: 100\n",
        encoding="utf-8",
    )
    return str(ledger)


def test_in_network_the_claim_was_filed_by_the_clinic(tmp_path: Path) -> None:
    ledger = in_network_ledger(tmp_path)
    code, out, err = run("claim-status", ledger, "--visit", "Session 1", "--as-of", "2027-04-10")
    assert code == 0, err
    # the clinic files in network: the plan's 30 days run from its receipt of the clinic's
    # claim (29 CFR 2560.503-1(f)(2)(iii)(B)), a day the patient does not know, so the
    # letter states no due date of its own and leaves a placeholder
    text = flat(out)
    assert "filed by the clinic; the clinic's filing date is not known to me:" in text
    assert "a decision was due by 2027-03-03" not in text
    assert "I have received no EOB for the claims below, which the clinic filed." in text
    assert "filed on" not in out


# --- what was billed: the EOB's figure, else the clinic's, never what was paid -------------------


def edited(tmp_path: Path, source: str, *changes: tuple[str, str], more: str = "") -> str:
    """Copy an example ledger with ``changes`` made and ``more`` entries added at the end, its
    plan path made absolute and its bundled clinic a file of the patient's own."""
    text = Path(source).read_text(encoding="utf-8") + more
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    text = text.replace("plan: plans/", f"plan: {EXAMPLES / 'plans'}/")
    clinic = own_clinic(tmp_path, "los-angeles-iv")
    text = text.replace("clinic: los-angeles-iv", f"clinic: {clinic}")
    ledger = tmp_path / "ledger.yaml"
    ledger.write_text(text, encoding="utf-8")
    return str(ledger)


def test_claim_status_gives_the_clinics_price_not_what_was_paid(tmp_path: Path) -> None:
    # Session 2 paid 750 - 50 = 700 after a discount; the clinic's price for it is still 750
    # (los-angeles-iv: first_price 750 for the first 2 sessions)
    ledger = edited(
        tmp_path, LEDGER, ("visit: Session 2\n    paid: 750", "visit: Session 2\n    paid: 700")
    )
    code, out, err = run("claim-status", ledger, "--as-of", "2027-03-15")
    assert code == 0, err
    assert "Session 2, care on 2027-01-07, billed $750.00 (the clinic's price)" in flat(out)
    assert "$700.00" not in out


def test_claim_status_gives_the_superbills_code_lines(tmp_path: Path) -> None:
    # esketamine-medicare-56mg bills one line, G2082 at 952.59; the patient paid 100
    ledger = in_network_ledger(tmp_path)
    code, out, err = run("claim-status", ledger, "--visit", "Session 1", "--as-of", "2027-04-10")
    assert code == 0, err
    assert "billed $952.59 (the superbill's code lines)" in flat(out)
    assert "$100.00" not in out


def test_an_appeal_without_the_eobs_billed_gives_the_clinics_price(tmp_path: Path) -> None:
    # Session 1 paid 750 - 50 = 700; its EOB states no billed amount; the clinic's price is 750
    ledger = edited(
        tmp_path,
        DENIED,
        ("visit: Session 1\n    paid: 750", "visit: Session 1\n    paid: 700"),
        ("eob: Session 1\n    billed: 750\n", "eob: Session 1\n"),
    )
    code, out, err = run("appeal", ledger, "--as-of", "2027-03-15")
    assert code == 0, err
    assert "(Session 1, billed $750.00, the clinic's price; codes" in flat(out)
    assert "$700.00" not in out


# --- after an appeal: the letter follows the step the ledger has reached ------------------------

INTERNAL = "  - date: 2027-03-20\n    appeal: Session 1\n"
FINAL = "  - date: 2027-05-02\n    appeal: Session 1\n    level: final-denial\n"
EXTERNAL = "  - date: 2027-05-10\n    appeal: Session 1\n    level: external\n"


def test_after_the_final_denial_the_appeal_asks_for_external_review(tmp_path: Path) -> None:
    ledger = edited(tmp_path, DENIED, more=INTERNAL + FINAL)
    code, out, err = run("appeal", ledger, "--as-of", "2027-05-03")
    assert code == 0, err
    text = flat(out)
    assert (
        "Re: request for external review of the denial of the claim for care on 2027-01-04" in text
    )
    assert "[who takes external review requests: see the final denial]" in out
    assert "appeals department" not in out
    assert "I appealed on 2027-03-20, and the plan's final internal decision of 2027-05-02" in text
    # 4 calendar months after the final denial: 2027-05-02 -> 2027-09-02
    assert "by 2027-09-02 (commercial plan, external review: final denial 2027-05-02" in text
    # not the first appeal's 180 days: 2027-02-20 + 180 = 2027-08-19
    assert "2027-08-19" not in text and "180 days" not in text
    assert "- The plan's final denial of 2027-05-02" in out
    assert "- My appeal of 2027-03-20" in out


def test_once_external_review_is_asked_the_appeal_is_refused(tmp_path: Path) -> None:
    ledger = edited(tmp_path, DENIED, more=INTERNAL + FINAL + EXTERNAL)
    code, out, err = run("appeal", ledger, "--as-of", "2027-05-11")
    assert (code, out) == (2, "")
    assert "external review of the denial of Session 1 was asked on 2027-05-10" in flat(err)
    assert "hint: wait for the review's decision" in err


def test_after_a_final_denial_with_no_known_rule_the_appeal_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "medicaid.yaml"
    plan.write_text(
        (EXAMPLES / "plans" / "acme-ppo.yaml")
        .read_text(encoding="utf-8")
        .replace("coverage: commercial", "coverage: medicaid"),
        encoding="utf-8",
    )
    ledger = edited(tmp_path, DENIED, ("plans/acme-ppo.yaml", str(plan)), more=INTERNAL + FINAL)
    code, out, err = run("appeal", ledger, "--as-of", "2027-05-03")
    assert (code, out) == (2, "")
    assert "the next step for medicaid coverage is the one its decision letter names" in flat(err)
    assert "ketacost status LEDGER" in err


def test_after_an_internal_appeal_the_letter_says_it_follows_that_appeal(tmp_path: Path) -> None:
    ledger = edited(tmp_path, DENIED, more=INTERNAL)
    code, out, err = run("appeal", ledger, "--as-of", "2027-04-10")
    assert code == 0, err
    text = flat(out)
    assert "Further to my appeal of 2027-03-20" in out
    # the appeal went within 2027-02-20 + 180 days = 2027-08-19
    assert "I first appealed this denial on 2027-03-20, within the time your plan allows" in text
    assert "(by 2027-08-19: commercial plan, internal appeal" in text
    assert "I send this appeal within" not in text
    assert "- My appeal of 2027-03-20" in out


def test_a_late_appeal_neither_claims_nor_concedes_its_timing(tmp_path: Path) -> None:
    # 2027-02-20 + 180 days = 2027-08-19, before the letter's date of 2027-09-01. The rule
    # counts from the day the notice was received (29 CFR 2560.503-1(h)(3)(i)), which only
    # the person knows: the letter asks for that date, and never tells the plan that the
    # time ended; a bracketed note to the person gives the date counted from the notice.
    code, out, err = run("appeal", DENIED, "--as-of", "2027-09-01")
    assert code == 0, err
    text = flat(out)
    assert "which runs from the day the notice reached me: [the date it reached you]" in text
    assert "[A note for you, to delete: counted from the notice's own date the time ended on" in (
        text
    )
    assert "2027-08-19" in text and "allows for an appeal ended" not in text
    # 2027-05-02 + 4 calendar months = 2027-09-02, before 2027-09-10
    ledger = edited(tmp_path, DENIED, more=INTERNAL + FINAL)
    code, out, err = run("appeal", ledger, "--as-of", "2027-09-10")
    assert code == 0, err
    text = flat(out)
    assert "I send this request for external review within the time allowed, which runs" in text
    assert "the time ended on 2027-09-02" in text


# --- a superbill request only where the patient files the claims ---------------------------------


def test_in_network_the_superbill_request_is_refused(tmp_path: Path) -> None:
    ledger = in_network_ledger(tmp_path)
    code, out, err = run("superbill-request", ledger, "--as-of", "2027-02-10")
    assert (code, out) == (2, "")
    assert "is in network for Example PPO — in network with a copay: it files the claims" in err
    assert "ketacost letter claim-status" in err


@pytest.mark.parametrize(
    ("billing", "plan", "said"),
    [
        ("  superbill: false\n", "acme-ppo.yaml", "gives no superbills (billing.superbill: false)"),
        (
            "  network: self-pay-only\n",
            "acme-ppo.yaml",
            "is self-pay only (billing.network: self-pay-only)",
        ),
        (
            "  network: out-of-network\n",
            "medicare-part-b.yaml",
            "the clinic is out of network for Medicare: it has opted out",
        ),
        (
            "  network: out-of-network\n  medicare: enrolled\n",
            "medicare-advantage-ppo.yaml",
            "is enrolled in Medicare, and bills Example Medicare Advantage PPO: it files the claims",
        ),
    ],
)
def test_a_superbill_request_with_no_claim_to_file_is_refused(
    tmp_path: Path, billing: str, plan: str, said: str
) -> None:
    profile = (EXAMPLES.parent / "pricing" / "los-angeles-iv.yaml").read_text(encoding="utf-8")
    profile = profile.replace(
        "billing:\n  network: out-of-network\n  superbill: true\n", "billing:\n" + billing
    )
    (tmp_path / "clinic.yaml").write_text(profile, encoding="utf-8")
    ledger = edited(
        tmp_path,
        LEDGER,
        ("clinic: los-angeles-iv", "clinic: clinic.yaml"),
        ("plan: plans/acme-ppo.yaml", f"plan: {EXAMPLES / 'plans' / plan}"),
        ("scenario: As written", "# scenario"),
    )
    code, out, err = run("superbill-request", ledger, "--as-of", "2027-03-15")
    assert (code, out) == (2, "")
    assert said in flat(err)


# --- Original Medicare: a Medicare Summary Notice, a Medicare number, no group number ------------


def medicare_ledger(tmp_path: Path, *entries: str) -> str:
    """Write a ledger of one visit on 2027-02-01 to a clinic that bills Original Medicare."""
    ledger = tmp_path / "ledger.yaml"
    ledger.write_text(
        "kind: ledger\nclinic: esketamine-medicare-56mg\n"
        f"plan: {EXAMPLES / 'plans' / 'medicare-part-b.yaml'}\n"
        "start: 2027-02-01\nmonths: 3\nentries:\n"
        "  - date: 2027-02-01\n    visit: Session 1\n    paid: 0\n" + "".join(entries),
        encoding="utf-8",
    )
    return str(ledger)


def test_a_medicare_appeal_cites_the_summary_notice(tmp_path: Path) -> None:
    ledger = medicare_ledger(
        tmp_path,
        "  - date: 2027-03-01\n    eob: Session 1\n    denied: not reasonable and necessary\n",
    )
    code, out, err = run("appeal", ledger, "--as-of", "2027-03-10")
    assert code == 0, err
    text = flat(out)
    assert "group number" not in text
    assert "explanation of benefits" not in text and "EOB]" not in text
    assert "Medicare number: [Medicare number, from your Medicare card]" in text
    assert (
        "Re: request for redetermination of the denial of the claim for care on 2027-02-01" in text
    )
    assert "Your Medicare Summary Notice dated 2027-03-01 gives the reason" in text
    # Original Medicare: 120 days from the notice, 2027-03-01 + 120 = 2027-06-29
    assert "within the time Medicare allows: by 2027-06-29" in text
    assert "- The Medicare Summary Notice dated 2027-03-01" in out


def test_a_medicare_claim_status_asks_for_the_summary_notice(tmp_path: Path) -> None:
    ledger = medicare_ledger(tmp_path)
    code, out, err = run("claim-status", ledger, "--visit", "Session 1", "--as-of", "2027-04-10")
    assert code == 0, err
    text = flat(out)
    assert "group number" not in text
    # in network (the clinic bills Medicare) payment goes to the clinic: only the notice
    assert "I have received no MSN for the claims below, which the clinic filed." in text


@pytest.mark.parametrize(
    ("eob", "said"),
    [
        (
            "    denied: not reasonable and necessary\n",
            ["dated 2027-03-01: Medicare denied it"],
        ),
        (
            "    allowed: 900\n    plan_pays: 720\n",
            ["Medicare pays $720.00", "compare it with Medicare's terms", "ask Medicare why"],
        ),
    ],
)
def test_a_medicare_claim_status_refusal_speaks_of_the_summary_notice(
    tmp_path: Path, eob: str, said: list[str]
) -> None:
    """Original Medicare answers with a Medicare Summary Notice (MSN), not an EOB, and its
    terms are Medicare's, not a plan's."""
    ledger = medicare_ledger(tmp_path, "  - date: 2027-03-01\n    eob: Session 1\n" + eob)
    code, out, err = run("claim-status", ledger, "--visit", "Session 1", "--as-of", "2027-03-10")
    assert (code, out) == (2, "")
    text = flat(err)
    assert "the ledger holds an MSN for Session 1 dated 2027-03-01" in text
    assert all(part in text for part in said), text
    assert "EOB" not in text.replace("ketacost log LEDGER eob", "")
    assert "the plan" not in text


def test_a_medicare_appeal_makes_no_parity_point(tmp_path: Path) -> None:
    ledger = medicare_ledger(
        tmp_path,
        "  - date: 2027-03-01\n    eob: Session 1\n    denied: experimental or investigational\n",
    )
    code, out, err = run("appeal", ledger, "--as-of", "2027-03-10")
    assert code == 0, err
    headings = [
        line
        for line, under in zip(out.splitlines(), out.splitlines()[1:], strict=False)
        if under and set(under) == {"-"}
    ]
    assert headings == [
        "Medical necessity",
        "Treatments tried before",
        "Published evidence and guidelines",
        "What I ask",
    ]


# --- claim-status asks after money an EOB announced and that never came --------------------

SESSION_5 = (
    "  - {date: 2027-01-25, claim: Session 5}\n"
    # by the terms: 600 × 70% = 420 allowed, 40% = 168 coinsurance, the plan 420 − 168 = 252
    "  - {date: 2027-03-01, eob: Session 5, allowed: 420, coinsurance: 168, plan_pays: 252}\n"
)


def str_ledger(write: Callable[..., Path], folder: Path, *entries: str) -> str:
    """Return the path of examples/ledger.yaml with ``entries`` added (conftest), as text."""
    return str(write(folder, *entries))


def test_claim_status_asks_after_a_payment_the_eob_announced(
    tmp_path: Path, example_ledger: Callable[..., Path]
) -> None:
    """docs/letters.md: an EOB says the plan pays $252 for Session 5; filed 2027-01-25, the
    plan's habit is 45 days (2027-03-11, after the EOB of 03-01), late 15 days after that:
    from 2027-03-26. On 2027-04-10 nothing has come."""
    ledger = str_ledger(example_ledger, tmp_path, SESSION_5)
    code, out, err = run("claim-status", ledger, "--as-of", "2027-04-10")
    assert code == 0, err
    text = flat(out)
    # examples/ledger.yaml's Session 2 is overdue as well: the letter asks after both
    assert "Re: 1 claim with no decision; 1 claim decided and not paid" in text
    assert "Payments not received" in out
    assert (
        "Session 5, care on 2027-01-18: the EOB dated 2027-03-01 says the plan pays $252.00;"
        " not received by 2027-04-10: $252.00" in text
    )
    assert "whether it was sent, when, to whom and how" in text
    # half of it came: 252 − 100 = 152 still to come
    part = str_ledger(
        example_ledger,
        tmp_path / "part",
        SESSION_5,
        "  - {date: 2027-04-01, received: 100, for: Session 5}\n",
    )
    code, out, err = run("claim-status", part, "--visit", "Session 5", "--as-of", "2027-04-10")
    assert code == 0, err
    assert "received so far: $100.00; not received by 2027-04-10: $152.00" in flat(out)


def test_claim_status_waits_for_a_payment_not_yet_late(
    tmp_path: Path, example_ledger: Callable[..., Path]
) -> None:
    ledger = str_ledger(example_ledger, tmp_path, SESSION_5)
    code, out, err = run("claim-status", ledger, "--visit", "Session 5", "--as-of", "2027-03-20")
    assert (code, out) == (2, "")
    said = flat(err)
    assert "its money counts as late only from 2027-03-26" in said
    assert "wait until 2027-03-26" in said
    code, out, err = run("claim-status", ledger, "--as-of", "2027-03-20")
    assert code == 0, err  # Session 2 is overdue: its claim alone
    assert "Payments not received" not in out and "Session 5" not in out


def test_claim_status_refuses_a_payment_received_in_full(
    tmp_path: Path, example_ledger: Callable[..., Path]
) -> None:
    paid = "  - {date: 2027-03-20, received: 252, for: Session 5}\n"
    ledger = str_ledger(example_ledger, tmp_path, SESSION_5, paid)
    code, out, err = run("claim-status", ledger, "--visit", "Session 5", "--as-of", "2027-04-10")
    assert (code, out) == (2, "")
    assert "paid, the plan pays $252.00, so the claim has its answer" in flat(err)


def test_a_late_payment_with_no_claim_logged_is_still_asked_after(
    tmp_path: Path, example_ledger: Callable[..., Path]
) -> None:
    """An EOB imported without a claim entry: the plan decided the claim, so the letter asks
    after its money (late from the EOB of 2027-03-01 + 15 days = 2027-03-16)."""
    eob_only = SESSION_5.splitlines(keepends=True)[1]
    ledger = str_ledger(example_ledger, tmp_path, eob_only)
    code, out, err = run("claim-status", ledger, "--as-of", "2027-04-10")
    assert code == 0, err
    text = flat(out)
    assert "Re: 1 claim with no decision; 1 claim decided and not paid" in text
    assert "not received by 2027-04-10: $252.00" in text


def test_with_only_payments_not_late_yet_the_refusal_names_them(
    tmp_path: Path, example_ledger: Callable[..., Path]
) -> None:
    # Session 2, overdue in examples/ledger.yaml, answered and paid: 315 of 315
    settled = (
        "  - {date: 2027-02-20, eob: Session 2, allowed: 525, coinsurance: 210, plan_pays: 315}\n"
        "  - {date: 2027-03-01, received: 315, for: Session 2}\n"
    )
    ledger = str_ledger(example_ledger, tmp_path, settled, SESSION_5)
    code, out, err = run("claim-status", ledger, "--as-of", "2027-03-20")
    assert (code, out) == (2, "")
    said = flat(err)
    assert "no claim is overdue or unpaid on 2027-03-20" in said
    assert "Session 5: $252.00, late from 2027-03-26" in said
    assert "wait until 2027-03-26" in said


GFE_LEDGER = """\
kind: ledger
clinic: los-angeles-iv
plan: {plan}
start: 2027-01-04
months: 6
scenario: As written
good_faith_estimate: {{date: 2027-01-02, total: 3000}}
entries:
  - {{date: 2027-01-04, visit: Session 1, paid: 750}}
  - {{date: 2027-01-07, visit: Session 2, paid: 750}}
  - {{date: 2027-01-11, visit: Session 3, paid: 600}}
  - {{date: 2027-01-14, visit: Session 4, paid: 600}}
  - {{date: 2027-01-18, visit: Session 5, paid: 600}}
  - {{date: 2027-01-21, visit: Session 6, paid: 600}}
"""


def test_asking_for_superbills_while_a_dispute_is_open_says_a_claim_ends_it(
    tmp_path: Path,
) -> None:
    # Charged by date: 750, 1,500, 2,100, 2,700, 3,300 (300 over the 3,000 estimate), then
    # 3,900 on 01-21, the first $400 or more over: 01-21 + 120 days (10 + 28 + 31 + 30 + 21)
    # = 05-21. A patient with a plan counts as self-pay only while no claim is sought
    # (45 CFR 149.610).
    ledger = tmp_path / "ledger.yaml"
    plan = EXAMPLES / "plans" / "acme-ppo.yaml"
    ledger.write_text(GFE_LEDGER.format(plan=plan), encoding="utf-8")
    code, out, err = run("superbill-request", str(ledger), "--as-of", "2027-02-01")
    assert code == 0, err
    assert "dispute these charges over the Good Faith Estimate until 2027-05-21" in flat(err)
    assert "filing the claims these superbills are for ends that right" in flat(err)
    assert "Good Faith" not in out  # the letter to the clinic says nothing of it


def test_only_a_plan_appeal_asks_for_copies_free_of_charge(tmp_path: Path) -> None:
    # 29 CFR 2560.503-1(h)(2)(iii) gives an employer plan's claimant free copies; a
    # Medicare redetermination asks for them without citing a right it does not have
    code, out, err = run("appeal", DENIED, "--as-of", "2027-03-01")
    assert code == 0, err
    assert "Please send me, free of charge, copies" in flat(out)
    ledger = medicare_ledger(tmp_path)
    denied = Path(ledger).read_text(encoding="utf-8") + (
        "  - date: 2027-03-01\n    eob: Session 1\n    denied: not reasonable and necessary\n"
    )
    Path(ledger).write_text(denied, encoding="utf-8")
    code, out, err = run("appeal", ledger, "--as-of", "2027-03-10")
    assert code == 0, err
    assert "Please send me copies of all documents" in flat(out)


def test_a_bundled_reference_clinic_is_left_for_the_patient_to_name(tmp_path: Path) -> None:
    # examples/ledger-denied.yaml names the bundled los-angeles-iv, priced from another
    # clinic's page: the letter must not send its name or city to the plan as the provider
    code, out, err = run("appeal", DENIED, "--as-of", "2027-03-15")
    assert code == 0, err
    assert "Provider: [clinic's name]" in out
    assert "Allure" not in out
    code, out, err = run("superbill-request", LEDGER, "--as-of", "2027-03-15")
    assert code == 0, err
    assert "[clinic's name], billing office\n[clinic's street address]\n[clinic's city" in out
    assert "Los Angeles, CA" not in out
    # the same profile as a file of the patient's own is their clinic: named, with its city
    own = edited(tmp_path, LEDGER)
    code, out, err = run("superbill-request", own, "--as-of", "2027-03-15")
    assert code == 0, err
    assert "Los Angeles IV ketamine clinic (Allure reference), billing office" in out
    assert "Los Angeles, CA" in out
    assert "bundled reference profile" not in err
