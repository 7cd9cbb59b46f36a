"""``ketacost log LEDGER visit|claim|eob|received|charge|bill|appeal ...``: append one entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from ..errors import InputError, printable
from .options import (
    ConfigOption,
    NoConfigOption,
    OptionalLedgerArgument,
    guarded,
    option,
    read_flag,
    report_error,
)

if TYPE_CHECKING:
    from ..files.ledger_append import Value
    from ..files.yaml_source import Document


class LogGroup(TyperGroup):
    """``log``'s group: ``log visit ...`` (LEDGER left out) takes the person file's ledger.

    A first argument that names a subcommand is the subcommand, not a ledger; a
    ledger file so named is given as ``./visit`` (docs/person-file.md).
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        args = _person_options_first(args)
        first = _first_positional(args)
        if first is not None and first in self.commands:
            ctx.meta["ketacost.log.no_ledger"] = True
            ctx.meta["ketacost.log.args"] = list(args)
            rest = args[args.index(first) + 1 :]
            files = [a for a in rest if a.endswith((".yaml", ".yml")) or Path(a).is_file()]
            if files:  # the ledger given last: show the order it goes in
                import shlex

                rest.remove(files[-1])
                right = shlex.join(["ketacost", "log", files[-1], first, *rest])
                raise typer.BadParameter(
                    f"{first!r} is a kind of entry: the ledger comes first, as in {right}",
                    ctx,
                    param_hint="LEDGER",
                )
        return super().parse_args(ctx, args)

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)
        if ctx.meta.get("ketacost.log.no_ledger"):
            params = [p for p in params if p.name != "ledger"]
        return params


def _person_options_first(args: list[str]) -> list[str]:
    """Return ``args`` with ``--config FILE`` and ``--no-config`` moved to the front.

    They are options of ``log`` itself, which the command line reads only before
    the ledger and the kind of entry; written after the entry's own options, as
    every other command takes them, they are moved there. Nothing after ``--`` moves.
    """
    moved: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if arg == "--config" and index + 1 < len(args):
            moved += args[index : index + 2]
            index += 2
            continue
        (moved if arg == "--no-config" or arg.startswith("--config=") else rest).append(arg)
        index += 1
    return moved + rest


def _first_positional(args: list[str]) -> str | None:
    """Return the first argument that is not an option or an option's value."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--config":
            skip = True
        elif arg == "--":
            return None
        elif not arg.startswith("-") or arg == "-":
            return arg
    return None


app = typer.Typer(
    cls=LogGroup,
    help="Append one entry to a treatment ledger: a visit, a claim sent, an EOB, money"
    " received, another charge, the clinic's bill, or an appeal. The file keeps every byte it"
    " had; a bad entry is refused.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DateOption = Annotated[
    str | None,
    option("--date", metavar="DATE", help="Date of the entry, YYYY-MM-DD (default: today)."),
]


PaidWithOption = Annotated[
    str | None,
    option(
        "--paid-with",
        metavar="HOW",
        help="cash (the default), card, loan, hsa or fsa: what the tax year and journals read.",
    ),
]


def _choice(flag: str, text: str | None, kinds: object) -> str | None:
    """Return ``text`` when it is one of the ``Literal`` type ``kinds``' values, else refuse."""
    from typing import get_args

    allowed = get_args(kinds)
    if text is not None and text not in allowed:
        raise InputError.single(flag, f"unknown value {text!r}", "use one of " + ", ".join(allowed))
    return text


def _paid_with(text: str | None) -> list[tuple[str, Value]]:
    """Return the entry's ``paid_with`` key for ``--paid-with``; nothing for the default."""
    from ..model.ledger import PaidWith

    chosen = _choice("--paid-with", text, PaidWith)
    return [] if chosen is None or chosen == "cash" else [("paid_with", chosen)]


def _amount(flag: str, help: str, **extra: Any) -> Any:
    """Return an option taking an amount of money."""
    return option(flag, metavar="AMOUNT", help=help, **extra)


@app.callback()
def log_callback(
    context: typer.Context,
    ledger: OptionalLedgerArgument = None,
    config: ConfigOption = None,
    no_config: NoConfigOption = False,
) -> None:
    """Append one entry to a treatment ledger."""
    context.obj = (ledger, config, no_config)


def _ledger(context: typer.Context) -> Path:
    """Return the ledger to append to: the one named, else the person file's ``ledger:``."""
    from ..files.person import ledger_file, read_person

    given, config, no_config = context.obj
    if given is not None:
        return Path(given)
    person = read_person(config, no_config)
    if person is None or person.person.ledger is None:
        import shlex

        right = shlex.join(
            ["ketacost", "log", "LEDGER", *context.meta.get("ketacost.log.args", [])]
        )
        raise InputError.single(
            "LEDGER",
            "no ledger named, and no person file names one",
            f"name the ledger first, as in {right}, or add `ledger: ledger.yaml` to your"
            " person file",
        )
    return ledger_file(None, person)[0]


def _date(text: str | None) -> dt.date:
    from .settings import date_flag

    return date_flag("--date", text, example="2027-01-18")


def _money(flag: str, text: str) -> Decimal:
    from ..money import parse_money

    return read_flag(f"{flag} {text}", text, parse_money, "give an amount such as 600")


def _label(flag: str, text: str) -> str:
    """Return a label or reason as the ledger keeps it: on one line (line breaks and tabs
    become spaces); refused, naming ``flag``, when empty or holding a control character."""
    from ..errors import Invalid, message_and_hint
    from ..model.common import check_characters

    folded = " ".join(text.replace("\r", " ").replace("\n", " ").replace("\t", " ").split())
    if not folded:
        raise InputError.single(
            flag, "the label is empty", 'name the visit as the estimate does, e.g. "Session 3"'
        )
    try:
        check_characters(folded)
    except Invalid as error:  # here, not at the line of the ledger it would have been on
        message, hint = message_and_hint(error)
        raise InputError.single(flag, f"'{printable(folded)}': {message}", hint) from None
    return folded


class _Respell(Exception):
    """The entry names a visit in other than the estimate's spelling: write it again so."""

    def __init__(self, entry: list[tuple[str, Value]]) -> None:
        super().__init__()
        self.entry = entry


LABEL_KEYS = {"visit": "visit", "charge": "charge", "eob": "eob", "appeal": "appeal"}
LIST_KEYS = {"claim": "claim", "for": "for_"}


def _respelled(entry: Sequence[tuple[str, Value]], read: object) -> list[tuple[str, Value]]:
    """Return ``entry`` with its labels as the ledger, once read, spells them: the estimate's
    spelling ("session 5" is "Session 5"), else the spelling of the label's first use."""
    written: list[tuple[str, Value]] = []
    for key, value in entry:
        if key in LABEL_KEYS and isinstance(value, str):
            value = getattr(read, LABEL_KEYS[key], value)
        elif key in LIST_KEYS and isinstance(value, list):
            value = list(getattr(read, LIST_KEYS[key], value))
        written.append((key, value))
    return written


def _append(
    context: typer.Context,
    entry: Sequence[tuple[str, Value]],
    said: str,
    amount: Decimal | None = None,
) -> None:
    from ..files.ledger import LoadedLedger, read_ledger
    from ..files.ledger_append import append_entry

    path = _ledger(context)

    def spelled(document: Document) -> LoadedLedger:
        loaded = read_ledger(path, document)
        if not loaded.ledger.entries:  # the ledger as found, when the entry found no place
            return loaded
        respelled = _respelled(entry, loaded.ledger.entries[-1])
        if respelled != list(entry):
            raise _Respell(respelled)  # before anything is written
        return loaded

    try:
        loaded = append_entry(path, entry, spelled, lambda document: read_ledger(path, document))
    except _Respell as again:
        for (_, before), (_, after) in zip(entry, again.entry, strict=True):
            said = _respoken(said, before, after)
        loaded = append_entry(path, again.entry, lambda document: read_ledger(path, document))
    first_line = loaded.document.values[("entries", len(loaded.ledger.entries) - 1)].line
    new = [w for w in loaded.warnings if w.line is not None and w.line >= first_line]
    if new:
        report_error(InputError(new))
    if amount is not None:  # money is written as money, in the clinic's currency
        from ..report.words import money

        said = said.replace("{amount}", money(amount, loaded.clinic.currency))
    typer.echo(f"logged in {printable(str(path))}: {said}", err=True)


def _respoken(said: str, before: Value, after: Value) -> str:
    """Return the confirmation ``said`` with a value as typed (``before``) put as written
    (``after``): a label respelled ('session 5' → 'Session 5'), or a claim's labels, where
    a claimable fee's bare name stands for its charges ('Monitoring' → 'Monitoring 1,
    Monitoring 2')."""
    if isinstance(before, list) and isinstance(after, list):
        typed, written = ", ".join(map(str, before)), ", ".join(map(str, after))
        return said.replace(typed, written) if typed != written else said
    if isinstance(before, str) and isinstance(after, str) and before != after:
        if repr(before) in said:  # quoted: replaced as a whole, never inside the new label
            return said.replace(repr(before), repr(after))
        return said.replace(before, after)
    return said


@app.command("visit")
@guarded
def visit_command(
    context: typer.Context,
    label: Annotated[
        str, typer.Argument(help='The visit, as the estimate labels it: "Session 3".')
    ],
    paid: Annotated[str, _amount("--paid", "What you paid that day.")],
    paid_with: PaidWithOption = None,
    date: DateOption = None,
) -> None:
    """Log a visit and what you paid for it."""
    day, amount = _date(date), _money("--paid", paid)
    name = _label("visit", label)
    entry: list[tuple[str, Value]] = [
        ("date", day),
        ("visit", name),
        ("paid", amount),
        *_paid_with(paid_with),
    ]
    _append(context, entry, f"visit {name!r} on {day}")


@app.command("claim")
@guarded
def claim_command(
    context: typer.Context,
    labels: Annotated[list[str], typer.Argument(help="The visits the superbills are for.")],
    date: DateOption = None,
) -> None:
    """Log superbills sent to the plan for one or more visits."""
    day = _date(date)
    names = [_label("claim", label) for label in labels]
    _append(context, [("date", day), ("claim", names)], f"claim for {', '.join(names)} on {day}")


@app.command("eob")
@guarded
def eob_command(
    context: typer.Context,
    label: Annotated[str, typer.Argument(help="The visit the explanation of benefits is for.")],
    allowed: Annotated[str | None, _amount("--allowed", "Allowed amount.")] = None,
    deductible: Annotated[
        str, _amount("--deductible", "Applied to your deductible.", show_default=True)
    ] = "0",
    coinsurance: Annotated[
        str, _amount("--coinsurance", "Your coinsurance, in money.", show_default=True)
    ] = "0",
    plan_pays: Annotated[str | None, _amount("--plan-pays", "What the plan pays.")] = None,
    billed: Annotated[str | None, _amount("--billed", "Billed amount on the EOB.")] = None,
    copay: Annotated[str | None, _amount("--copay", "Your copay.")] = None,
    paid_to_clinic: Annotated[
        str | None,
        _amount("--paid-to-clinic", "Of what the plan pays, what it paid the clinic itself."),
    ] = None,
    denied: Annotated[
        str | None,
        option("--denied", metavar="REASON", help="The claim was denied, for this reason."),
    ] = None,
    date: DateOption = None,
) -> None:
    """Log the plan's explanation of benefits (EOB) for one visit."""
    day = _date(date)
    name = _label("eob", label)
    if denied is None and (allowed is None or plan_pays is None):
        raise InputError.single(
            "eob",
            "an EOB needs --allowed and --plan-pays",
            "copy them from the EOB (--plan-pays 0 when it all went to the deductible), or give"
            " --denied REASON",
        )
    entry: list[tuple[str, Value]] = [("date", day), ("eob", name)]
    if billed is not None:
        entry.append(("billed", _money("--billed", billed)))
    entry.append(("allowed", _money("--allowed", allowed or "0")))
    entry.append(("deductible", _money("--deductible", deductible)))
    if copay is not None:
        entry.append(("copay", _money("--copay", copay)))
    entry.append(("coinsurance", _money("--coinsurance", coinsurance)))
    entry.append(("plan_pays", _money("--plan-pays", plan_pays or "0")))
    if paid_to_clinic is not None:
        entry.append(("paid_to_clinic", _money("--paid-to-clinic", paid_to_clinic)))
    if denied is not None:
        entry.append(("denied", _label("--denied", denied)))
    _append(context, entry, f"EOB for {name!r} on {day}")


@app.command("received")
@guarded
def received_command(
    context: typer.Context,
    amount: Annotated[str, typer.Argument(help="The amount that reached you.", metavar="AMOUNT")],
    for_: Annotated[
        list[str],
        option("--for", metavar="VISIT", help="The visit it pays for (repeat for several)."),
    ],
    from_: Annotated[
        str | None,
        option(
            "--from",
            metavar="WHO",
            help="plan (the default) or program (a manufacturer's savings program).",
        ),
    ] = None,
    date: DateOption = None,
) -> None:
    """Log money from the plan (or a savings program) that reached you."""
    from ..model.ledger import ReceivedFrom

    day, money = _date(date), _money("received", amount)
    names = [_label("--for", label) for label in for_]
    value: Value = names[0] if len(names) == 1 else names
    sender = _choice("--from", from_, ReceivedFrom)
    said = f"{{amount}} received on {day}" + (f" from the {sender}" if sender else "")
    entry: list[tuple[str, Value]] = [("date", day), ("received", money), ("for", value)]
    if sender not in (None, "plan"):
        entry.append(("from", sender))
    _append(context, entry, said, money)


@app.command("charge")
@guarded
def charge_command(
    context: typer.Context,
    label: Annotated[str, typer.Argument(help='What the clinic charged for: "Lab work".')],
    amount: Annotated[str, _amount("--amount", "The amount charged (and paid).")],
    paid_with: PaidWithOption = None,
    date: DateOption = None,
) -> None:
    """Log anything else the clinic charged."""
    day, money = _date(date), _money("--amount", amount)
    name = _label("charge", label)
    entry: list[tuple[str, Value]] = [
        ("date", day),
        ("charge", name),
        ("amount", money),
        *_paid_with(paid_with),
    ]
    _append(context, entry, f"charge {name!r} on {day}")


@app.command("bill")
@guarded
def bill_command(
    context: typer.Context,
    amount: Annotated[
        str, typer.Argument(help="The total the bill says was charged so far.", metavar="AMOUNT")
    ],
    date: DateOption = None,
) -> None:
    """Log a bill from the clinic: the date on it and the total charged so far."""
    day, money = _date(date), _money("bill", amount)
    _append(context, [("date", day), ("bill", money)], f"bill of {{amount}} on {day}", money)


@app.command("appeal")
@guarded
def appeal_command(
    context: typer.Context,
    label: Annotated[str, typer.Argument(help="The denied visit.")],
    level: Annotated[
        str,
        option(
            "--level",
            metavar="LEVEL",
            help="internal (an appeal sent; the default), final-denial (the plan's final"
            " answer came) or external (an external review asked for).",
        ),
    ] = "internal",
    date: DateOption = None,
) -> None:
    """Log an appeal sent for a denied visit, or the plan's final denial of it."""
    from ..model.ledger import AppealLevel

    day, name = _date(date), _label("appeal", label)
    _choice("--level", level, AppealLevel)
    _append(
        context,
        [("date", day), ("appeal", name), ("level", level)],
        f"{level} appeal for {name!r} on {day}",
    )
