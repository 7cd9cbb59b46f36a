"""``ketacost status LEDGER --year YYYY --tax``: the year's medical expenses for the return,
worked out by hand here, with the entries behind each figure."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ketacost.cli import app

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "ledger.yaml"

MIXED = """\
kind: ledger
clinic: los-angeles-iv
plan: plans/acme-ppo.yaml
start: 2026-12-28
entries:
  - date: 2026-12-28
    visit: Session 1
    paid: 750
    paid_with: card
  - date: 2026-12-31
    visit: Session 2
    paid: 750
    paid_with: hsa
  - date: 2027-01-04
    visit: Session 3
    paid: 600
    paid_with: loan
  - date: 2027-01-07
    visit: Session 4
    paid: 600
    paid_with: fsa
  - date: 2027-01-08
    charge: Lab work
    amount: 120
  - date: 2027-01-09
    claim: [Session 1, Session 2, Session 3, Session 4]
  - date: 2027-02-10
    received: 210.50
    for: Session 1
  - date: 2027-02-11
    received: 40
    for: Session 3
    from: program
  - date: 2027-02-12
    received: 300
    for: Session 2
"""


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "120"})
    return result.exit_code, result.stdout, result.stderr


def year_json(ledger: Path, year: int, *flags: str) -> dict[str, Any]:
    code, out, err = run("status", ledger, "--year", str(year), "--tax", "-f", "json", *flags)
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def amounts(data: dict[str, Any]) -> dict[str, Decimal]:
    return {key: Decimal(figure["amount"]) for key, figure in data["figures"].items()}


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples" / "plans", tmp_path / "plans")
    path = tmp_path / "ledger.yaml"
    path.write_text(MIXED, encoding="utf-8")
    return path


def test_the_example_ledgers_year_by_hand() -> None:
    data = year_json(EXAMPLE, 2027, "--miles", "30")
    figures = amounts(data)
    paid = 750 * 2 + 600 * 4 + 120 + 300  # six visits, lab work, extended monitoring
    mileage = Decimal(6 * 30) * Decimal("0.205")  # six round trips at 20.5 cents a mile
    assert figures["paid"] == paid == 4320
    assert figures["reimbursed_same_year"] == 198
    assert figures["mileage"] == mileage == Decimal("36.90")
    assert figures["expenses"] == paid - 198 + mileage
    assert figures["hsa_fsa"] == 0 and figures["reimbursed_earlier"] == 0
    assert figures["reimbursed"] == 198
    behind = data["figures"]["paid"]["entries"]
    assert [(e["date"], e["entry"], e["amount"], e["line"]) for e in behind[:2]] == [
        ("2027-01-04", "visit Session 1 (cash)", "750.00", 15),
        ("2027-01-07", "visit Session 2 (cash)", "750.00", 18),
    ]
    assert len(behind) == 8
    assert [e["line"] for e in data["figures"]["reimbursed_same_year"]["entries"]] == [58]
    assert "needs your adjusted gross income and filing status" in data["itemizing"]


def test_itemizing_against_the_standard_deduction_by_hand() -> None:
    flags = ["--miles", "30", "--agi", "40000", "--filing", "single", "--marginal-rate", "22%"]
    data = year_json(EXAMPLE, 2027, *flags)
    expenses = Decimal(4320 - 198) + Decimal("36.90")
    floor = Decimal(40000) * Decimal("0.075")  # 3,000
    above = expenses - floor  # 1,158.90
    tax = data["tax"]
    assert (Decimal(tax["floor"]), Decimal(tax["deductible"])) == (floor, above)
    assert Decimal(tax["standard_deduction"]) == 16100
    assert Decimal(tax["deducted"]) == 0  # 1,158.90 is far below 16,100
    assert data["itemizing"].startswith("Itemizing does not help: $1,158.90 of itemized")
    helped = year_json(EXAMPLE, 2027, *flags, "--other-itemized", "15500")
    adds = 15500 + above - 16100  # 558.90 over the standard deduction
    assert Decimal(helped["tax"]["deducted"]) == adds == Decimal("558.90")
    assert Decimal(helped["tax"]["saving"]) == Decimal("122.96")  # 22% of 558.90 = 122.958
    assert helped["itemizing"].startswith("Itemizing helps")


def test_other_medical_expenses_are_a_line_of_their_own_that_the_total_adds() -> None:
    data = year_json(EXAMPLE, 2027, "--other-medical", "1200")
    figures = amounts(data)
    assert figures["other_medical"] == 1200
    assert data["figures"]["other_medical"]["entries"] == []  # not in the ledger
    assert Decimal(data["tax"]["other_medical"]) == 1200
    # paid, less reimbursed the same year, plus no mileage (no miles given), plus other
    assert figures["expenses"] == 4320 - 198 + 0 + 1200 == 5322
    lines = ["paid", "reimbursed_same_year", "mileage", "other_medical", "expenses"]
    assert [figures[key] for key in lines] == [4320, 198, 0, 1200, 5322]


def test_every_format_shows_other_medical_expenses_as_a_line() -> None:
    flags = ["--year", "2027", "--tax", "--other-medical", "1200"]
    code, out, _ = run("status", EXAMPLE, *flags, "-f", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    totals = {r["figure"]: Decimal(r["amount"]) for r in rows if not r["date"]}
    assert totals["other_medical"] == 1200
    assert totals["expenses"] == 4320 - 198 + 0 + 1200
    for format in ["table", "md", "html"]:
        code, out, _ = run("status", EXAMPLE, *flags, "-f", format)
        assert code == 0
        assert "Other medical expenses (not in the ledger)" in out, format
        assert "1,200.00" in out and "5,322.00" in out, format


def test_the_entries_behind_mileage_are_the_trips_with_the_mileage_each_adds() -> None:
    data = year_json(EXAMPLE, 2027, "--miles", "30")
    trips = data["figures"]["mileage"]["entries"]
    assert [e["line"] for e in trips] == [15, 18, 23, 26, 29, 35]  # the six visits
    assert {(e["miles"], e["amount"]) for e in trips} == {("30", "6.15")}  # 30 × 0.205
    assert sum(Decimal(e["amount"]) for e in trips) == 6 * Decimal("6.15") == Decimal("36.90")
    code, out, _ = run("status", EXAMPLE, "--year", "2027", "--tax", "--miles", "30", "-f", "csv")
    assert code == 0
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["figure"] == "mileage"]
    assert [r["amount"] for r in rows] == ["36.90"] + ["6.15"] * 6


def test_odd_miles_split_the_mileage_so_the_trips_add_up_to_it() -> None:
    data = year_json(EXAMPLE, 2027, "--miles", "25")
    mileage = data["figures"]["mileage"]
    # 25 × 0.205 = 5.125 a trip; six trips 30.75. Running totals rounded to cents:
    # 5.13, 10.25, 15.38, 20.50, 25.63, 30.75, so the trips add 5.13, 5.12, 5.13, ...
    assert mileage["amount"] == "30.75"
    added = [e["amount"] for e in mileage["entries"]]
    assert added == ["5.13", "5.12", "5.13", "5.12", "5.13", "5.12"]
    assert sum(Decimal(a) for a in added) == Decimal("30.75")


def test_without_miles_nothing_is_behind_the_mileage() -> None:
    data = year_json(EXAMPLE, 2027)
    assert data["figures"]["mileage"] == {"amount": "0.00", "entries": []}
    code, out, _ = run("status", EXAMPLE, "--year", "2027", "--tax")
    assert code == 0
    assert re.search(r"^Mileage: trips to the clinic\s+\$0\.00\s+0$", out, re.MULTILINE)
    assert "Trip " not in out


def test_with_an_income_but_no_filing_status_it_says_what_is_needed() -> None:
    data = year_json(EXAMPLE, 2027, "--agi", "40000")
    assert "$1,122.00 of the $4,122.00 is above the floor of $3,000.00" in data["itemizing"]
    assert "needs your filing status" in data["itemizing"]


def test_cards_loans_hsa_fsa_and_money_back_in_a_later_year(mixed: Path) -> None:
    first = amounts(year_json(mixed, 2026))
    assert first["paid"] == 750  # the card paid the clinic on the day
    assert first["hsa_fsa"] == 750
    second = year_json(mixed, 2027)
    figures = amounts(second)
    assert figures["paid"] == 600 + 120  # the loan paid the clinic on the day; lab work
    assert figures["hsa_fsa"] == 600  # the FSA
    assert figures["reimbursed_same_year"] == 40  # for the 2027 visit, from the program
    assert figures["reimbursed_earlier"] == Decimal("210.50")  # for the 2026 visit
    assert figures["to_return"] == 300  # for the visit the HSA paid
    assert figures["reimbursed"] == Decimal("210.50") + 40 + 300
    assert figures["expenses"] == 600 + 120 - 40
    (back,) = second["figures"]["to_return"]["entries"]
    assert (back["account"], back["by"]) == ("hsa", "2028-04-15")
    assert any("put it back into the HSA by 2028-04-15" in note for note in second["notes"])


def test_an_earlier_deduction_comes_back_as_income(mixed: Path) -> None:
    flags = ["--agi", "5000", "--filing", "single", "--other-itemized", "16000"]
    flags += ["--marginal-rate", "22%"]
    earlier = year_json(mixed, 2026, *flags)["tax"]
    # 2026: 750 paid by card, above the 375 floor (7.5% of 5,000): 375; itemizing gives
    # 16,000 + 375 = 16,375, over the 16,100 standard deduction by 275
    assert Decimal(earlier["deducted"]) == 16000 + 375 - 16100
    later = year_json(mixed, 2027, *flags)["tax"]
    # 2027: the 210.50 back for the 2026 visit is income, up to the 275 that cut tax
    assert Decimal(later["reimbursement_income"]) == Decimal("210.50")
    # 2027 expenses 680 less the 375 floor = 305; 16,305 beats 16,100 by 205
    assert Decimal(later["deducted"]) == 600 + 120 - 40 - 375 + 16000 - 16100
    saving = round(Decimal(205) * Decimal("0.22"), 2) - round(
        Decimal("210.50") * Decimal("0.22"), 2
    )
    assert Decimal(later["saving"]) == saving


def test_csv_lists_the_figures_then_the_entries_behind_them() -> None:
    code, out, _ = run("status", EXAMPLE, "--year", "2027", "--tax", "-f", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0] == {"figure": "paid", "amount": "4320.00", "date": "", "entry": "", "line": ""}
    paid = [r for r in rows if r["figure"] == "paid" and r["date"]]
    assert sum(Decimal(r["amount"]) for r in paid) == 4320
    assert paid[-1]["entry"] == "charge Extended monitoring (cash)"


@pytest.mark.parametrize("format", ["table", "html", "md"])
def test_every_format_shows_the_figures_and_their_entries(format: str) -> None:
    code, out, _ = run("status", EXAMPLE, "--year", "2027", "--tax", "-f", format)
    assert code == 0
    assert "Medical expenses, 2027" in out
    assert "4,122.00" in out and "4,320.00" in out
    assert "Extended monitoring" in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--tax"], "--tax: error: needs --year"),
        (["--year", "2027"], "--year: error: counts only with --tax"),
        (["--agi", "40000"], "--agi: error: counts only with --tax"),
        (["--year", "2027", "--tax", "--filing", "single"], "needs --agi"),
        (["--year", "2027", "--tax", "--miles", "far"], "--miles"),
        (["--year", "10000", "--tax"], "--year: error: 10000 is not a year from 1900 to 9999"),
    ],
)
def test_tax_flags_misused_are_exit_2(args: list[str], said: str) -> None:
    code, out, err = run("status", EXAMPLE, *args)
    assert code == 2
    assert out == ""
    assert said in err


def test_a_year_with_nothing_in_it_is_all_zero() -> None:
    figures = amounts(year_json(EXAMPLE, 2030, "--miles", "30"))
    assert set(figures.values()) == {Decimal(0)}


def test_status_without_tax_is_unchanged() -> None:
    code, out, _ = run("status", EXAMPLE, "--as-of", "2027-03-15", "-f", "json")
    assert code == 0
    assert "figures" not in json.loads(out)


def test_a_year_with_no_published_figures_says_whose_it_uses() -> None:
    args = ("--year", "2027", "--tax", "--filing", "single", "--no-config")
    code, out, err = run("status", EXAMPLE, *args, "--agi", "60000")
    assert code == 0, err
    assert (
        "2027: the standard deduction, the 65-or-older addition, the health FSA limit and the"
        " medical mileage rate are 2026's, the latest published"
    ) in " ".join(out.split())
    code, out, _ = run("status", EXAMPLE, *args)  # no AGI: no floor, no deduction worked out
    assert "no published figures yet" not in out


def test_money_back_for_an_earlier_year_says_what_it_costs_this_year(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "plans", tmp_path / "plans")
    ledger = tmp_path / "ledger.yaml"
    ledger.write_text(
        EXAMPLE.read_text(encoding="utf-8")
        + "  - date: 2028-01-10\n    received: 500\n    for: Session 4\n",
        encoding="utf-8",
    )
    args = ("--year", "2028", "--tax", "--filing", "single", "--marginal-rate", "22%")
    # 2027: 4,320 paid − 198 back = 4,122; the floor 7.5% × 20,000 = 1,500 leaves 2,622;
    # with 15,000 of other deductions, 17,622 beats the 16,100 standard by 1,522. Had the
    # 500 come in 2027 it would beat it by 1,022: all 500 cut tax, so 22% × 500 = 110 now.
    code, out, err = run("status", ledger, *args, "--agi", "20000", "--other-itemized", "15000")
    assert code == 0, err
    said = " ".join(out.split())
    assert f"about ${Decimal('0.22') * 500:.2f} more tax at 22%" in said  # $110.00
    assert "Tax saved at 22% -$110.00" in said
    # with an AGI of 90,000 the floor, 6,750, is above 4,122: nothing was deducted in 2027
    code, out, err = run("status", ledger, *args, "--agi", "90000")
    assert code == 0, err
    assert "not income this year, since deducting them did not cut that year's tax" in (
        " ".join(out.split())
    )


def test_the_years_record_counts_other_medical_expenses_as_the_return_does() -> None:
    # The record of a tax year is the return's: its deduction and saving count every
    # medical expense, not the treatment's share alone. The self-pay example pays
    # 750 × 2 + 600 × 4 = 3,900 in 2027; with 8,000 other: 11,900, less the 1,500 floor
    # (7.5% of 20,000) = 10,400 above it; beside 20,000 of other deductions, itemizing
    # adds max(16,100, 30,400) − max(16,100, 20,000) = 10,400, and saves 22% of it.
    data = year_json(
        ROOT / "examples" / "ledger-self-pay.yaml",
        2027,
        "--as-of",
        "2027-12-31",
        "--agi",
        "20000",
        "--filing",
        "single",
        "--other-itemized",
        "20000",
        "--other-medical",
        "8000",
        "--marginal-rate",
        "22%",
    )
    assert amounts(data)["expenses"] == 750 * 2 + 600 * 4 + 8000
    assert Decimal(data["tax"]["deducted"]) == 11900 - 1500 == 10400
    assert Decimal(data["tax"]["saving"]) == Decimal("0.22") * 10400 == Decimal("2288.00")
    assert data["itemizing"].startswith("Itemizing helps")


def test_the_years_record_says_the_ledgers_warnings(tmp_path: Path) -> None:
    # a payment logged twice is in the year's reimbursed figure: said on stderr, as by status
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "plans/acme-ppo.yaml", str(ROOT / "examples" / "plans" / "acme-ppo.yaml")
    )
    twice = "  - {date: 2027-03-09, received: 198, for: Session 4}\n"
    path = tmp_path / "ledger.yaml"
    path.write_text(text.rstrip("\n") + "\n" + twice + twice, encoding="utf-8")
    code, _, err = run("status", path, "--year", "2027", "--tax", "--no-config")
    assert code == 0, err
    assert "logged twice?" in err
