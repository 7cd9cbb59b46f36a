"""``ketacost init``: the questions to ask a clinic on the phone, written as a profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ..errors import InputError
from ..money import parse_decimal, parse_money, parse_percent
from .options import guarded

T = TypeVar("T")
MODALITIES = ("iv-infusion", "im-injection", "esketamine", "oral", "at-home")
NETWORKS = ("out-of-network", "in-network", "self-pay-only")


def _whole(text: str) -> int:
    number = parse_decimal(text)
    if number != number.to_integral_value() or number < 1:
        raise ValueError("expected a whole number of at least 1")
    return int(number)


def _per_week(text: str) -> Decimal:
    from ..model.common import MAX_PER_WEEK

    number = parse_decimal(text)
    if not 0 < number <= MAX_PER_WEEK:
        raise ValueError(f"expected a number above 0 and at most {MAX_PER_WEEK}")
    return number


def _weeks(text: str) -> Decimal:
    from ..model.common import MAX_EVERY_WEEKS

    number = parse_decimal(text)
    if not 0 < number <= MAX_EVERY_WEEKS:
        raise ValueError(f"expected a number of weeks above 0 and at most {MAX_EVERY_WEEKS}")
    return number


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text.strip() not in options:
            raise ValueError("use one of " + ", ".join(options))
        return text.strip()

    return parse


def _yes_no(text: str) -> bool:
    answer = text.strip().lower()
    if answer in ("y", "yes", "true"):
        return True
    if answer in ("n", "no", "false"):
        return False
    raise ValueError("answer yes or no")


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text.strip())


class Interview:
    """Asks each question not already answered by a flag; re-asks until the answer is valid."""

    def __init__(self, interactive: bool) -> None:
        self.interactive = interactive

    def ask(
        self, flag: str, given: Any, question: str, parse: Callable[[str], T], default: str | None
    ) -> T:
        if given is not None:
            try:
                return parse(str(given))
            except ValueError as error:
                raise InputError.single(
                    flag,
                    f"{given!r}: {str(error).split(' | ')[0]}",
                    f"see `ketacost init --help` for {flag}",
                ) from None
        if not self.interactive:
            if default is None:
                raise InputError.single(
                    flag,
                    "is required with --no-input",
                    f"pass {flag} VALUE, or answer the questions",
                )
            return parse(default)
        while True:
            answer = typer.prompt(question, default=default, show_default=default is not None)
            try:
                return parse(str(answer))
            except ValueError as error:
                typer.echo(f"  {str(error).split(' | ')[0]}; please try again.", err=True)


def _money_text(amount: Decimal) -> str:
    return f"{amount:f}"


def render_profile(answers: dict[str, Any]) -> str:
    """Return the commented clinic profile YAML for the interview's answers."""
    from ..schema import schema_file

    a = answers
    lines = [
        f"# yaml-language-server: $schema={schema_file('clinic').resolve().as_uri()}",
        "# Written by `ketacost init`. Check it with `ketacost check FILE`;",
        "# estimate with `ketacost estimate FILE --plan your-plan.yaml`.",
        "kind: clinic",
        f"name: {_quote(a['name'])}",
    ]
    if a["location"]:
        lines.append(f"location: {_quote(a['location'])}")
    lines += [
        "currency: USD",
        "source:                         # where these prices came from",
        f"  title: {_quote(a['source'])}",
        f"  checked: {a['checked'].isoformat()}       # the day the clinic confirmed them",
        f"modality: {a['modality']}",
        "series:                         # the initial (induction) series",
        f"  sessions: {a['sessions']}",
        f"  per_week: {_money_text(a['per_week'])}",
    ]
    if a["later_price"] == a["first_price"]:
        lines.append(f"  price: {_money_text(a['first_price'])}      # every session")
    else:
        lines += [
            f"  first_price: {_money_text(a['first_price'])}",
            f"  first_sessions: {a['first_sessions']}       # sessions at the first price",
            f"  later_price: {_money_text(a['later_price'])}",
        ]
    fees = []
    if a["intake_fee"]:
        fees += [
            "  - name: Intake / consultation",
            f"    amount: {_money_text(a['intake_fee'])}",
            "    per: once",
        ]
    if a["monthly_fee"]:
        fees += [
            "  - name: Membership",
            f"    amount: {_money_text(a['monthly_fee'])}",
            "    per: month",
        ]
    if fees:
        lines += ["fees:", *fees]
    if a["booster_price"]:
        lines += [
            "maintenance:                    # after the series, when the effect fades",
            "  - kind: booster",
            f"    price: {_money_text(a['booster_price'])}",
            f"    every_weeks: {_money_text(a['booster_every_weeks'])}",
        ]
    lines += [
        "billing:",
        f"  network: {a['network']}",
        f"  superbill: {'true' if a['superbill'] else 'false'}   # an itemized bill for insurance",
    ]
    if a["plan_months"]:
        lines += [
            "payment_plans:",
            f"  - name: {a['plan_months']} months",
            f"    months: {a['plan_months']}",
            f"    apr: {(a['plan_apr'] * 100).normalize():f}%",
        ]
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _optional_money(text: str) -> Decimal:
    return parse_money(text or "0")


@guarded
def init_command(
    file: Annotated[Path, typer.Argument(help="Where to write the profile.")] = Path("clinic.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Ask nothing: use flags and defaults.")
    ] = False,
    name: Annotated[str | None, typer.Option(help="Clinic name.")] = None,
    location: Annotated[str | None, typer.Option(help="City, state.")] = None,
    modality: Annotated[
        str | None, typer.Option(help="iv-infusion, im-injection, esketamine, oral or at-home.")
    ] = None,
    sessions: Annotated[str | None, typer.Option(help="Sessions in the series.")] = None,
    per_week: Annotated[str | None, typer.Option(help="Sessions a week.")] = None,
    first_price: Annotated[str | None, typer.Option(help="Price of a first session.")] = None,
    first_sessions: Annotated[str | None, typer.Option(help="Sessions at the first price.")] = None,
    later_price: Annotated[str | None, typer.Option(help="Price of each later session.")] = None,
    intake_fee: Annotated[str | None, typer.Option(help="One-time intake fee (0: none).")] = None,
    monthly_fee: Annotated[str | None, typer.Option(help="Monthly membership (0: none).")] = None,
    booster_price: Annotated[str | None, typer.Option(help="Booster price (0: none).")] = None,
    booster_every_weeks: Annotated[str | None, typer.Option(help="Weeks between boosters.")] = None,
    network: Annotated[
        str | None, typer.Option(help="out-of-network, in-network or self-pay-only.")
    ] = None,
    superbill: Annotated[
        str | None, typer.Option(help="Does the clinic give superbills? yes/no.")
    ] = None,
    payment_months: Annotated[
        str | None, typer.Option(metavar="N", help="Payment plan length in months (0: none).")
    ] = None,
    payment_apr: Annotated[
        str | None, typer.Option(metavar="P%", help="Payment plan APR, e.g. 0% or 9.99%.")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Where the prices came from.")] = None,
    checked: Annotated[str | None, typer.Option(help="Date the prices were confirmed.")] = None,
) -> None:
    """Ask what one asks a clinic on the phone, and write a commented clinic profile."""
    from ..document import parse
    from ..load import load_document
    from ..report.output import write_atomically

    if file.exists() and not force:
        raise InputError.single(
            str(file), "already exists", "pass --force to overwrite it, or name another file"
        )
    q = Interview(interactive=not no_input)
    answers: dict[str, Any] = {}
    answers["name"] = q.ask("--name", name, "Clinic name", _text, None)
    answers["location"] = q.ask(
        "--location", location, "City, state (blank to skip)", lambda t: t.strip(), ""
    )
    answers["modality"] = q.ask(
        "--modality",
        modality,
        "Treatment (" + ", ".join(MODALITIES) + ")",
        _choice(MODALITIES),
        "iv-infusion",
    )
    answers["sessions"] = q.ask(
        "--sessions", sessions, "How many sessions in the first series", _whole, "6"
    )
    answers["per_week"] = q.ask("--per-week", per_week, "How many sessions a week", _per_week, "2")
    answers["first_price"] = q.ask(
        "--first-price", first_price, "Price of the first session", parse_money, None
    )
    answers["first_sessions"] = q.ask(
        "--first-sessions", first_sessions, "How many sessions are at that first price", _whole, "1"
    )
    answers["later_price"] = q.ask(
        "--later-price",
        later_price,
        "Price of each later session",
        parse_money,
        str(answers["first_price"]),
    )
    answers["intake_fee"] = q.ask(
        "--intake-fee",
        intake_fee,
        "One-time intake or consultation fee (0 if none)",
        _optional_money,
        "0",
    )
    answers["monthly_fee"] = q.ask(
        "--monthly-fee", monthly_fee, "Monthly membership fee (0 if none)", _optional_money, "0"
    )
    answers["booster_price"] = q.ask(
        "--booster-price",
        booster_price,
        "Price of a booster session later on (0 if none)",
        _optional_money,
        "0",
    )
    answers["booster_every_weeks"] = (
        q.ask(
            "--booster-every-weeks",
            booster_every_weeks,
            "Weeks between boosters",
            _weeks,
            "12",
        )
        if answers["booster_price"]
        else None
    )
    answers["network"] = q.ask(
        "--network",
        network,
        "Billing (" + ", ".join(NETWORKS) + ")",
        _choice(NETWORKS),
        "out-of-network",
    )
    answers["superbill"] = q.ask(
        "--superbill", superbill, "Do they give a superbill for insurance (yes/no)", _yes_no, "yes"
    )
    answers["plan_months"] = q.ask(
        "--payment-months",
        payment_months,
        "Payment plan length in months (0 if none)",
        lambda t: int(parse_decimal(t or "0")),
        "0",
    )
    answers["plan_apr"] = (
        q.ask(
            "--payment-apr", payment_apr, "Payment plan APR, e.g. 0% or 9.99%", parse_percent, "0%"
        )
        if answers["plan_months"]
        else Decimal(0)
    )
    answers["source"] = q.ask(
        "--source", source, "Where did these prices come from", _text, "Phone call with the clinic"
    )
    answers["checked"] = q.ask(
        "--checked", checked, "Date the prices were confirmed", _date, dt.date.today().isoformat()
    )
    text = render_profile(answers)
    load_document(parse(str(file), text), "clinic")
    write_atomically(file, text)
    typer.echo(f"Wrote {file}. Next: ketacost estimate {file}", err=True)


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("please give an answer")
    return value.strip()
