"""Rules that hold for every ledger: a journal always balances and beancount accepts it; the
tax year's figures split the year's money with nothing lost or counted twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ketacost.engine.movements import movements
from ketacost.engine.tax import TaxTerms
from ketacost.engine.taxyear import ledger_tax_year
from ketacost.model.ledger import ExtraCharge, Ledger, Received, Visit
from ketacost.report.journal import ACCOUNTS, Journal, beancount

LABELS = ["Session 1", "Session 2", "Session 3", "Lab work"]
amounts = st.integers(min_value=0, max_value=500_000).map(lambda cents: Decimal(cents) / 100)
days = st.dates(min_value=dt.date(2026, 11, 1), max_value=dt.date(2028, 2, 28))
paid_with = st.sampled_from(["cash", "card", "loan", "hsa", "fsa"])
spending = st.fixed_dictionaries(
    {"date": days, "visit": st.sampled_from(LABELS[:3]), "paid": amounts, "paid_with": paid_with}
) | st.fixed_dictionaries(
    {"date": days, "charge": st.just("Lab work"), "amount": amounts, "paid_with": paid_with}
)
money_back = st.fixed_dictionaries(
    {
        "date": days,
        "received": amounts,
        "for": st.lists(st.sampled_from(LABELS), min_size=1, max_size=2),
        "from": st.sampled_from(["plan", "program"]),
    }
)
ledgers = st.lists(spending | money_back, max_size=12).map(
    lambda entries: Ledger.model_validate(
        {"clinic": "los-angeles-iv", "start": "2026-11-01", "entries": entries}
    )
)


def journal(ledger: Ledger, year: int | None = None) -> Journal:
    return Journal(movements(ledger, year), ACCOUNTS, "USD", "Clinic", "Plan", "l.yaml", year, {})


@settings(max_examples=40, deadline=None)
@given(ledgers)
def test_every_journal_balances_and_passes_bean_check(ledger: Ledger) -> None:
    from beancount import loader

    entries, errors, _ = loader.load_string(beancount(journal(ledger)))
    assert errors == []
    transactions = [e for e in entries if type(e).__name__ == "Transaction"]
    assert len(transactions) == len(movements(ledger))
    for transaction in transactions:
        assert sum(p.units.number for p in transaction.postings) == 0
    spent = sum(
        (e.paid if isinstance(e, Visit) else e.amount)
        for e in ledger.entries
        if isinstance(e, (Visit, ExtraCharge))
    )
    medical = sum(
        p.units.number for t in transactions for p in t.postings if p.account == ACCOUNTS["medical"]
    )
    assert medical == spent


@settings(max_examples=60, deadline=None)
@given(ledgers, st.sampled_from([2026, 2027, 2028]))
def test_the_years_figures_split_its_money(ledger: Ledger, year: int) -> None:
    found = ledger_tax_year(ledger, year, TaxTerms(marginal_rate=Decimal(0)))
    in_year: list[Any] = [e for e in ledger.entries if e.date.year == year]
    spent = [e for e in in_year if isinstance(e, (Visit, ExtraCharge))]
    total = sum((e.paid if isinstance(e, Visit) else e.amount) for e in spent)
    assert found.paid.amount + found.tax_free.amount == total
    back = sum(e.received for e in in_year if isinstance(e, Received))
    returned = sum(r.amount for r in found.to_return)
    assert found.reimbursed.amount == back
    assert found.same_year.amount + found.earlier.amount + returned == back
    assert found.figures.expenses == max(found.paid.amount - found.same_year.amount, 0)
