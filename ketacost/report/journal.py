"""A ledger's movements of money as an hledger or beancount journal, or a CSV (docs/records.md).

Each movement is one balanced transaction of two postings with explicit
amounts. The accounts are listed in a header comment, each with the kind it
stands for, so a reader sees what to rename (``--account KIND=NAME``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..engine.movements import KINDS, Movement
from ..errors import Invalid
from ..money import format_money
from .spreadsheet import csv_text

ACCOUNTS = {
    "medical": "Expenses:Medical",
    "cash": "Assets:Checking",
    "card": "Liabilities:CreditCard",
    "loan": "Liabilities:MedicalLoan",
    "hsa": "Assets:HSA",
    "fsa": "Assets:FSA",
    "plan": "Income:Reimbursements:Plan",
    "program": "Income:Reimbursements:Program",
}
MEANING = {
    "medical": "what the clinic charged: visits and other charges",
    "cash": "paid in cash, by check or debit card; money received lands here",
    "card": "paid by credit card, a medical card such as CareCredit too",
    "loan": "paid by a lender on your behalf: what you owe it",
    "hsa": "paid from a health savings account",
    "fsa": "paid from a health flexible spending account",
    "plan": "money back from the insurance plan",
    "program": "money back from a manufacturer's savings program",
}
FORMATS = ("hledger", "beancount", "csv")
_BEANCOUNT_ACCOUNT = re.compile(
    r"^(Assets|Liabilities|Equity|Income|Expenses)(:[A-Z0-9][A-Za-z0-9-]*)+$"
)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f;|\"\\]")


@dataclass(frozen=True, slots=True)
class Journal:
    """What a journal says besides its movements: whose money, in what, from which file."""

    movements: Sequence[Movement]
    accounts: Mapping[str, str]  # kind → account name
    currency: str
    clinic: str
    plan: str | None
    source: str  # the ledger file, as given
    year: int | None
    lines: Mapping[int, int]  # entry index → its line in the ledger file


def check_account(target: str, name: str) -> str:
    """Return ``name`` if ``target``'s journal format accepts it as an account name."""
    if target == "beancount" and not _BEANCOUNT_ACCOUNT.match(name):
        raise Invalid(
            f"{name!r} is not a beancount account name",
            "start with Assets, Liabilities, Equity, Income or Expenses, then :Parts that"
            " begin with a capital letter or a digit, e.g. Assets:Bank:Checking",
        )
    if not name.strip() or name != name.strip() or "  " in name or _UNSAFE.search(name):
        raise Invalid(
            f"{name!r} is not an account name",
            "use words joined by colons, with no two spaces in a row and no semicolon, bar or quote,"
            " e.g. Assets:Checking",
        )
    return name


def _words(text: str) -> str:
    """Return ``text`` safe in a description: one line, no comment or quote characters."""
    return " ".join(_UNSAFE.sub(" ", text).split())


def _header(journal: Journal, comment: str) -> list[str]:
    year = f", {journal.year}" if journal.year is not None else ""
    lines = [
        f"{comment} Money moved for treatment, from the ketacost ledger"
        f" {_words(journal.source)}{year}; amounts in {journal.currency}.",
        f"{comment} Accounts (rename with --account KIND=NAME):",
    ]
    width = max(len(kind) for kind in KINDS)
    names = max(len(journal.accounts[kind]) for kind in KINDS)
    for kind in KINDS:
        lines.append(
            f"{comment}   {kind:<{width}}  {journal.accounts[kind]:<{names}}  {MEANING[kind]}"
        )
    lines.append(
        f"{comment} Not recorded in the ledger, so not here: paying back a card or a loan,"
        " and money put into an HSA or FSA."
    )
    return lines


def _parties(journal: Journal, move: Movement) -> tuple[str, str]:
    """Return a movement's payee and what it was for, in words."""
    if move.kind == "received":
        payee = (journal.plan or "the plan") if move.source == "plan" else "savings program"
        return _words(payee), _words(f"received for {move.what}")
    return _words(journal.clinic), _words(move.what)


def _used(journal: Journal) -> list[str]:
    """Return the names of the accounts the movements use, sorted."""
    return sorted(
        {journal.accounts[m.target] for m in journal.movements}
        | {journal.accounts[m.source] for m in journal.movements}
    )


def hledger(journal: Journal) -> str:
    """Return the movements as an hledger journal, its accounts and currency declared."""
    lines = _header(journal, ";")
    if journal.movements:
        lines += ["", f"commodity 1000.00 {journal.currency}"]
        lines += [f"account {account}" for account in _used(journal)]
    for move in journal.movements:
        payee, what = _parties(journal, move)
        amount = format_money(move.amount)
        lines += [
            "",
            f"{move.date.isoformat()} {payee} | {what}",
            f"    {journal.accounts[move.target]}  {amount} {journal.currency}",
            f"    {journal.accounts[move.source]}  -{amount} {journal.currency}",
        ]
    return "\n".join(lines) + "\n"


def beancount(journal: Journal) -> str:
    """Return the movements as a beancount file: each account opened, then the transactions."""
    lines = _header(journal, ";")
    used = _used(journal)
    if used:
        opened = min(m.date for m in journal.movements).isoformat()
        lines.append("")
        lines += [f"{opened} open {account} {journal.currency}" for account in used]
    for move in journal.movements:
        payee, what = _parties(journal, move)
        amount = format_money(move.amount)
        lines += [
            "",
            f'{move.date.isoformat()} * "{payee}" "{what}"',
            f"  {journal.accounts[move.target]}  {amount} {journal.currency}",
            f"  {journal.accounts[move.source]}  -{amount} {journal.currency}",
        ]
    return "\n".join(lines) + "\n"


def journal_csv(journal: Journal) -> str:
    """Return the movements as CSV: one row each, with both accounts and the ledger line."""
    header = ["date", "kind", "what", "amount", "currency", "to_account", "from_account", "line"]
    rows = [
        [
            move.date.isoformat(),
            move.kind,
            move.what,
            format_money(move.amount),
            journal.currency,
            journal.accounts[move.target],
            journal.accounts[move.source],
            journal.lines.get(move.entry, ""),
        ]
        for move in journal.movements
    ]
    return csv_text([header, *rows])


RENDER = {"hledger": hledger, "beancount": beancount, "csv": journal_csv}
