"""``ketacost export``: every movement of money in a ledger as a balanced journal entry that
beancount and hledger accept, or a CSV row; the accounts are named in the header and can
be renamed."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

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
"""


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples" / "plans", tmp_path / "plans")
    path = tmp_path / "ledger.yaml"
    path.write_text(MIXED, encoding="utf-8")
    return path


def bean_errors(text: str) -> list[object]:
    from beancount import loader

    _, errors, _ = loader.load_string(text)
    return list(errors)


def test_the_example_ledger_as_beancount_passes_bean_check() -> None:
    code, out, err = run("export", EXAMPLE, "--to", "beancount")
    assert code == 0, err
    assert bean_errors(out) == []
    # six visits and two charges paid, one reimbursement: nine transactions
    assert out.count(" * ") == 6 + 2 + 1
    assert '2027-01-04 * "Los Angeles IV ketamine clinic (Allure reference)" "Session 1"' in out
    assert "  Expenses:Medical  750.00 USD\n  Assets:Checking  -750.00 USD" in out


def test_every_way_of_paying_and_of_being_paid_back_passes_bean_check(mixed: Path) -> None:
    code, out, _ = run("export", mixed, "--to", "beancount")
    assert code == 0
    assert bean_errors(out) == []
    for posting in (
        "Liabilities:CreditCard  -750.00 USD",
        "Assets:HSA  -750.00 USD",
        "Liabilities:MedicalLoan  -600.00 USD",
        "Assets:FSA  -600.00 USD",
        "Assets:Checking  -120.00 USD",
        "Income:Reimbursements:Plan  -210.50 USD",
        "Income:Reimbursements:Program  -40.00 USD",
    ):
        assert posting in out


def test_a_journal_that_does_not_balance_fails_bean_check() -> None:
    """The check above can fail: an unbalanced entry is an error to beancount."""
    _, out, _ = run("export", EXAMPLE, "--to", "beancount")
    broken = out.replace("Assets:Checking  -750.00 USD", "Assets:Checking  -700.00 USD", 1)
    assert bean_errors(broken) != []


def test_the_year_keeps_only_that_years_movements(mixed: Path) -> None:
    code, out, _ = run("export", mixed, "--to", "csv", "--year", "2026")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["date"], r["what"], r["amount"], r["from_account"]) for r in rows] == [
        ("2026-12-28", "Session 1", "750.00", "Liabilities:CreditCard"),
        ("2026-12-31", "Session 2", "750.00", "Assets:HSA"),
    ]
    assert [r["line"] for r in rows] == ["6", "10"]  # where each entry starts in the ledger


def test_the_csv_sums_to_what_was_paid_less_what_came_back(mixed: Path) -> None:
    _, out, _ = run("export", mixed, "--to", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    spent = sum(Decimal(r["amount"]) for r in rows if r["to_account"] == "Expenses:Medical")
    back = sum(Decimal(r["amount"]) for r in rows if r["to_account"] == "Assets:Checking")
    assert spent == 750 + 750 + 600 + 600 + 120
    assert back == Decimal("210.50") + 40


def test_accounts_are_named_in_the_header_and_renamed_by_kind(mixed: Path) -> None:
    code, out, _ = run(
        "export",
        mixed,
        "--to",
        "beancount",
        "--account",
        "cash=Assets:Bank:Checking",
        "--account",
        "plan=Expenses:Medical",
    )
    assert code == 0
    assert ";   cash     Assets:Bank:Checking" in out
    assert ";   plan     Expenses:Medical" in out
    assert "  Expenses:Medical  -210.50 USD" in out  # a reimbursement nets the expense
    assert bean_errors(out) == []


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--to", "beancount", "--account", "cash=assets:bank"], "not a beancount account name"),
        (["--to", "hledger", "--account", "cash=Assets  Bank"], "not an account name"),
        (["--to", "hledger", "--account", "wallet=Assets:Cash"], "'wallet' is not a kind"),
        (["--to", "hledger", "--account", "Assets:Cash"], "expected KIND=NAME"),
        (["--to", "ledger"], "'ledger' is not one of"),
        (["--to", "csv", "--year", "99"], "--year: error: 99 is not a year from 1900 to 9999"),
    ],
)
def test_bad_flags_are_exit_2(args: list[str], said: str) -> None:
    code, out, err = run("export", EXAMPLE, *args)
    assert code == 2
    assert out == ""
    assert said in err


def test_unsafe_labels_cannot_break_a_journal(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text(
        "kind: ledger\nclinic: los-angeles-iv\nstart: 2027-01-04\nentries:\n"
        '  - date: 2027-01-04\n    visit: "Session 1\\"; 2027-01-05 * \\\\ x"\n    paid: 750\n',
        encoding="utf-8",
    )
    _, out, _ = run("export", path, "--to", "beancount")
    assert bean_errors(out) == []
    assert len(re.findall(r"^\d{4}-\d\d-\d\d \*", out, re.MULTILINE)) == 1


HLEDGER = shutil.which("hledger")


@pytest.mark.skipif(HLEDGER is None, reason="hledger is not installed")
@pytest.mark.parametrize("ledger", ["example", "mixed"])
def test_hledger_reads_the_journal_and_it_balances(
    ledger: str, mixed: Path, tmp_path: Path
) -> None:
    source = EXAMPLE if ledger == "example" else mixed
    code, out, _ = run("export", source, "--to", "hledger")
    assert code == 0
    journal = tmp_path / "medical.journal"
    journal.write_text(out, encoding="utf-8")
    assert HLEDGER is not None
    checked = subprocess.run(
        [HLEDGER, "-f", str(journal), "check", "--strict"], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    total = subprocess.run(
        [HLEDGER, "-f", str(journal), "balance", "Expenses:Medical", "--flat", "-N"],
        capture_output=True,
        text=True,
        check=True,
    )
    paid = {"example": 750 * 2 + 600 * 4 + 120 + 300, "mixed": 750 + 750 + 600 + 600 + 120}
    assert f"{paid[ledger]}.00 USD" in total.stdout


@pytest.mark.skipif(HLEDGER is None, reason="hledger is not installed")
def test_hledger_refuses_an_unbalanced_journal(tmp_path: Path) -> None:
    """The hledger check above can fail."""
    _, out, _ = run("export", EXAMPLE, "--to", "hledger")
    journal = tmp_path / "medical.journal"
    journal.write_text(out.replace("-750.00 USD", "-700.00 USD", 1), encoding="utf-8")
    assert HLEDGER is not None
    checked = subprocess.run([HLEDGER, "-f", str(journal), "check"], capture_output=True)
    assert checked.returncode != 0
