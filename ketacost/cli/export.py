"""``ketacost export LEDGER --to hledger|beancount|csv``: the money moved, for the books."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from ..errors import InputError
from .options import (
    ConfigOption,
    NoConfigOption,
    OptionalLedgerArgument,
    OutputOption,
    guarded,
    option,
    read_flag,
)
from .taxyear import check_year


class Target(str, Enum):
    hledger = "hledger"
    beancount = "beancount"
    csv = "csv"


ACCOUNT_HELP = (
    "Rename one kind of account: medical, cash, card, loan, hsa, fsa, plan or program"
    " (repeatable), e.g. --account cash=Assets:Checking."
)


@guarded
def export_command(
    to: Annotated[Target, option("--to", metavar="FORMAT", help="hledger, beancount or csv.")],
    ledger: OptionalLedgerArgument = None,
    year: Annotated[
        int | None,
        option(
            "--year",
            metavar="YYYY",
            help="Only the money moved in this calendar year.",
        ),
    ] = None,
    account: Annotated[
        list[str] | None, option("--account", metavar="KIND=NAME", help=ACCOUNT_HELP)
    ] = None,
    output: OutputOption = None,
    config: ConfigOption = None,
    no_config: NoConfigOption = False,
) -> None:
    """Write the money a ledger records as journal entries (hledger, beancount) or CSV."""
    from ..engine.movements import movements
    from ..files.ledger import load_ledger
    from ..report.deliver import emit
    from ..report.journal import ACCOUNTS, RENDER, Journal

    check_year(year)
    accounts = dict(ACCOUNTS)
    for given in account or ():
        kind, name = _account(given, to.value)
        accounts[kind] = name
    from ..files.person import ledger_file, read_person

    person = read_person(config, no_config)
    ledger, who = ledger_file(ledger, person)
    if who == "person file" and person is not None:
        from .situation import say_taken

        say_taken(person, [f"ledger {person.person.ledger}"])
    loaded = load_ledger(ledger)
    lines = {
        index: loaded.document.values[("entries", index)].line
        for index in range(len(loaded.ledger.entries))
    }
    journal = Journal(
        movements=movements(loaded.ledger, year),
        accounts=accounts,
        currency=loaded.clinic.currency,
        clinic=loaded.clinic.name,
        plan=None if loaded.plan is None else loaded.plan.name,
        source=str(ledger),
        year=year,
        lines=lines,
    )
    emit(RENDER[to.value](journal), output)


def _account(given: str, target: str) -> tuple[str, str]:
    """Return ``(kind, name)`` from ``KIND=NAME``, the name one the format accepts."""
    from ..engine.movements import KINDS
    from ..report.journal import check_account

    flag = f"--account {given}"
    kind, equals, name = given.partition("=")
    kind = kind.strip().lower()
    kind = "program" if kind == "programme" else kind
    if not equals or kind not in KINDS:
        raise InputError.single(
            flag,
            f"{kind!r} is not a kind of account" if equals else "expected KIND=NAME",
            "one of " + ", ".join(KINDS) + ", e.g. --account cash=Assets:Checking",
        )
    return kind, read_flag(flag, name.strip(), lambda text: check_account(target, text))
