"""``ketacost init``: the questions to ask a clinic on the phone, written as a profile."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ..engine.horizon import MAX_MONTHS
from ..errors import InputError, Problem, message_and_hint, printable
from ..money import parse_decimal, parse_money, parse_percent
from .options import ConfigOption, NoConfigOption, guarded, option, with_flags

T = TypeVar("T")
MODALITIES = ("iv-infusion", "im-injection", "esketamine", "oral", "at-home")
NETWORKS = ("out-of-network", "in-network", "self-pay-only")


_FILLER = re.compile(
    r"\b(dollars?|usd|each|per session|a session|sessions?|per week|a week|weekly|weeks?)\b", re.I
)
_WORD_NUMBERS = {"once": "1", "twice": "2", "one": "1", "two": "2", "three": "3", "four": "4"}
_MODALITY_WORDS = (
    (("esketamine", "spravato", "nasal", "spray"), "esketamine"),
    (("home", "mail", "telehealth", "online"), "at-home"),
    (("im", "intramuscular", "injection", "shot", "injections"), "im-injection"),
    (("oral", "lozenge", "lozenges", "troche", "troches", "tablet", "rdt"), "oral"),
    (("iv", "infusion", "infusions", "intravenous", "drip"), "iv-infusion"),
)
WEEKS_A_MONTH = Decimal(52) / 12
_COMMON_CODES = frozenset({"CAD", "EUR", "GBP", "AUD", "MXN", "CHF", "JPY", "INR", "NZD"})


def _number_in(text: str) -> str:
    """Return the answer with words around the figure dropped: ``2 per week`` → ``2``."""
    words = [_WORD_NUMBERS.get(w, w) for w in text.strip().lower().split()]
    return _FILLER.sub(" ", " ".join(words)).strip()


def _whole(text: str) -> int:
    """Return a count from ``6`` or ``6 sessions``: whole, at least 1, as the profile allows."""
    from ..model.common import MAX_COUNT

    number = parse_decimal(_number_in(text))
    if number != number.to_integral_value() or not 1 <= number <= MAX_COUNT:
        raise ValueError(f"expected a whole number from 1 to {MAX_COUNT}")
    return int(number)


def _per_week(text: str) -> Decimal:
    """Return sessions a week from ``2``, ``2 per week``, ``twice a week`` or ``weekly``."""
    from ..model.common import MAX_PER_WEEK

    answer = text.strip().lower()
    if re.search(r"\bweeks\b", answer):  # "every 2 weeks" is 0.5 a week, not 2
        raise ValueError("sessions a week: for every 2 weeks answer 0.5, for twice a week answer 2")
    number = Decimal(1) if answer in ("weekly", "once a week", "every week") else None
    if number is None:
        number = parse_decimal(_number_in(answer.replace("times", "")))
    if not 0 < number <= MAX_PER_WEEK:
        raise ValueError(f"expected a number above 0 and at most {MAX_PER_WEEK}")
    return number


def _weeks(text: str) -> Decimal:
    """Return weeks between visits from ``12``, ``every 12 weeks`` or ``every 3 months``.

    A month is 52 / 12 weeks, rounded to whole weeks: every 3 months is every 13 weeks.
    """
    from ..model.common import MAX_EVERY_WEEKS
    from ..money import round_cents

    answer = text.strip().lower().replace("every", " ")
    answer = {"monthly": "1 month", "quarterly": "3 months", "yearly": "12 months"}.get(
        answer.strip(), answer
    )
    months = re.fullmatch(r"\s*(\S+)\s*months?\s*", answer)
    if months:
        count = parse_decimal(_WORD_NUMBERS.get(months.group(1), months.group(1)))
        number = round_cents(count * WEEKS_A_MONTH).to_integral_value()
    else:
        number = parse_decimal(_number_in(answer) or answer)
    if not 0 < number <= MAX_EVERY_WEEKS:
        raise ValueError(f"expected a number of weeks above 0 and at most {MAX_EVERY_WEEKS}")
    return number


def _modality(text: str) -> str:
    """Return the modality from ``IV``, ``iv infusion``, ``Spravato``, ``at home`` and so on."""
    answer = text.strip().lower()
    if answer in MODALITIES:
        return answer
    words = set(re.split(r"[^a-z]+", answer))
    for keys, modality in _MODALITY_WORDS:
        if words & set(keys):
            return modality
    raise ValueError("use one of " + ", ".join(MODALITIES) + " (or say IV, IM, Spravato)")


def _money(text: str) -> Decimal:
    """Return an amount from ``750``, ``$750`` or ``750 dollars each`` (US dollars: a profile
    written by ``init`` is priced in USD, so another currency's code is refused)."""
    from ..model.currency import ISO_4217

    for word in re.findall(r"\b([A-Za-z]{3})\s*\$?\d", text):  # a code before the figure
        code = word.upper()
        # as written ("CAD 750"), or a common one in lower case ("eur 750"); "$350 ALL IN" is
        # words after the figure
        if code != "USD" and code in ISO_4217 and (word.isupper() or code in _COMMON_CODES):
            raise ValueError(
                f"{code}? the profile init writes is priced in US dollars: give the amount in"
                " dollars, or set currency: in the file afterwards"
            )
    return parse_money(_FILLER.sub(" ", text).strip() or text)


def _apr(text: str) -> Decimal:
    """Return an APR: a bare number is percent (``9.99`` is 9.99%), as a lender says it.
    A bare number between 0 and 1 (``0.0999``) could be either, and is asked again."""
    answer = text.strip()
    if "%" not in answer:
        number = parse_decimal(answer)
        if 0 < number < 1:
            raise ValueError(
                f"{answer} is ambiguous: {answer}% or {(number * 100).normalize():f}%? write it"
                " with a % sign"
            )
        answer = f"{answer}%"
    return parse_percent(answer)


def _months(text: str) -> int:
    """Return a payment plan's length from ``12`` or ``12 months``: a whole number, months."""
    answer = re.sub(r"\b(months?|mos?)\b", " ", text.strip().lower()).strip() or "0"
    if re.search(r"[a-z]", answer):
        raise ValueError("give the length in months, e.g. 12 (0 if there is no payment plan)")
    number = parse_decimal(answer)
    if number != number.to_integral_value() or number < 0:
        raise ValueError("expected a whole number of months, e.g. 12 (0 if there is none)")
    return int(number)


def _choice(options: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        answer = "-".join(text.strip().lower().split())
        if answer not in options:
            raise ValueError("use one of " + ", ".join(options))
        return answer

    return parse


def _yes_no(text: str) -> bool:
    answer = text.strip().lower()
    if answer in ("y", "yes", "true", "yep", "yeah", "sure"):
        return True
    if answer in ("n", "no", "false", "nope"):
        return False
    raise ValueError("answer yes or no")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a date: write it as YYYY-MM-DD") from None


def _past_date(text: str) -> dt.date:
    """Return a date that has come: prices cannot be read on a day still to come."""
    day = _date(text)
    if day > dt.date.today():
        raise ValueError(f"{day} is after today: check the year")
    return day


def _published(text: str) -> dt.date | None:
    """Return the prices' own date, or None for ``unknown`` (their age is then at least
    the time since they were read)."""
    if text.strip().lower() in ("", "unknown", "not known", "?"):
        return None
    return _past_date(text)


class Interview:
    """Asks each question not already answered by a flag; re-asks until the answer is valid.

    With ``--no-input`` nothing is asked: every missing or bad flag is collected,
    so one run names them all (``problems``), and the caller stops before writing.
    """

    def __init__(self, interactive: bool) -> None:
        self.interactive = interactive
        self.problems: list[Problem] = []

    def ask(
        self, flag: str, given: Any, question: str, parse: Callable[[str], T], default: str | None
    ) -> T:
        if given is not None:
            try:
                return parse(str(given))
            except ValueError as error:
                problem = InputError.single(
                    flag,
                    f"{given!r}: {message_and_hint(error)[0]}",
                    f"see `ketacost init --help` for {flag}",
                )
                if self.interactive:
                    raise problem from None
                self.problems.extend(problem.problems)
                return None  # type: ignore[return-value]  # the run stops before any use
        if not self.interactive:
            if default is None:
                self.problems.append(
                    Problem(
                        flag,
                        "is required with --no-input",
                        hint=f"pass {flag} VALUE, or answer the questions",
                    )
                )
                return None  # type: ignore[return-value]  # the run stops before any use
            return parse(default)
        while True:
            answer = self._prompt(flag, question, default)
            try:
                return parse(str(answer))
            except ValueError as error:
                typer.echo(f"  {message_and_hint(error)[0]}; please try again.", err=True)

    @staticmethod
    def _prompt(flag: str, question: str, default: str | None) -> str:
        """Ask ``question`` (see ``answered``)."""
        return answered(
            flag,
            lambda: str(typer.prompt(question, default=default, show_default=default is not None)),
        )


def answered(flag: str, ask: Callable[[], T]) -> T:
    """Return ``ask()``'s answer; refuse, with nothing written, when standard input is closed
    or ends (a pipe or file that runs out) before the question is answered."""
    ended = InputError.single(
        flag,
        "standard input ended before this question was answered; nothing was written",
        "answer every question, or give the answers as flags with --no-input"
        + (f" ({flag} ...)" if flag.startswith("--") else ""),
    )
    if sys.stdin is None or sys.stdin.closed:
        raise ended
    try:
        return ask()
    except typer.Abort as stop:
        if isinstance(stop.__context__, KeyboardInterrupt):
            raise  # Ctrl-C: the person stopped (exit 130)
        raise ended from None  # the input ended: a pipe that ran out, or Ctrl-D at a keyboard


def _money_text(amount: Decimal) -> str:
    return f"{amount:f}"


SCHEMA_NAME = "clinic.schema.json"  # written beside the profile, so the reference travels with it


def render_profile(answers: dict[str, Any]) -> str:
    """Return the commented clinic profile YAML for the interview's answers."""
    a = answers
    published = "unknown" if a.get("published") is None else a["published"].isoformat()
    lines = [
        f"# yaml-language-server: $schema={SCHEMA_NAME}",
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
        f"  published: {published}        # the prices' own date: their age runs from it",
        f"  checked: {a['checked'].isoformat()}       # the day you read or heard them",
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
    if a["modality"] == "esketamine":
        price = _money_text(a["later_price"])
        lines += [
            "maintenance:                    # the label schedule after the first 4 weeks",
            "  - kind: esketamine            # weeks 5-8: weekly",
            "    label: Weekly session       # visits: Weekly session 1, 2, …",
            f"    price: {price}",
            "    per_week: 1",
            "    after_weeks: 1",
            "    count: 4",
            "  - kind: esketamine            # week 9 on: every 2 weeks",
            "    label: Every-other-week session",
            f"    price: {price}",
            "    every_weeks: 2",
            "    after_weeks: 6",
        ]
    elif a["booster_price"]:
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


# init's questions, each answered by a flag when given: the name, its placeholder, its help.
# Those for --ledger (its help says so) are listed in the ledger's panel.
PROFILE, LEDGER = "The clinic's answers", "Treatment ledger"
QUESTIONS = (
    ("name", "NAME", "Clinic name."),
    ("location", "PLACE", "City, state."),
    ("modality", "MODALITY", "iv-infusion, im-injection, esketamine, oral or at-home."),
    ("sessions", "N", "Sessions in the series."),
    ("per_week", "N", "Sessions a week."),
    ("first_price", "AMOUNT", "Price of a first session."),
    ("first_sessions", "N", "Sessions at the first price."),
    ("later_price", "AMOUNT", "Price of each later session."),
    ("intake_fee", "AMOUNT", "One-time intake fee (0: none)."),
    ("monthly_fee", "AMOUNT", "Monthly membership (0: none)."),
    ("booster_price", "AMOUNT", "Booster price (0: none)."),
    ("booster_every_weeks", "WEEKS", "Weeks between boosters."),
    ("network", "NETWORK", "out-of-network, in-network or self-pay-only."),
    ("superbill", "yes|no", "Does the clinic give superbills? yes/no."),
    ("payment_months", "N", "Payment plan length in months (0: none)."),
    ("payment_apr", "P%", "Payment plan APR, e.g. 0% or 9.99%."),
    ("source", "TEXT", "Where the prices came from."),
    ("published", "DATE", "Date the prices were published, or unknown."),
    ("checked", "DATE", "Date you read or were told the prices."),
    ("clinic", "CLINIC", "--ledger: the clinic profile or bundled name."),
    ("plan", "FILE", "--ledger, --person: the insurance plan file."),
    ("start", "DATE", "--ledger: first day of treatment."),
    ("scenario", "NAME", "--ledger, --person: the plan's scenario that stands for you."),
    ("ledger_file", "FILE", "--person: your treatment ledger."),
    ("state", "XX", "--person: your state's two-letter code, e.g. NJ."),
    ("filing", "STATUS", "--person: single, joint or head."),
    ("agi", "AMOUNT", "--person: adjusted gross income."),
    ("marginal_rate", "P%", "--person: your marginal income-tax rate, e.g. 22%."),
    ("hsa", "KIND", "--person: self, family or none."),
)
PERSON = "Person file"


def _panel(text: str) -> str:
    if text.startswith("--person"):
        return PERSON
    return LEDGER if text.startswith("--ledger") else PROFILE


ANSWERS = {
    name: (Annotated[str | None, option(metavar=metavar, help=text, panel=_panel(text))], None)
    for name, metavar, text in QUESTIONS
}


@guarded
@with_flags(ANSWERS, "given", dict)
def init_command(
    given: dict[str, str | None],
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Where to write it (default: clinic.yaml; with --ledger, your person file's"
            " ledger:, else ledger.yaml).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Ask nothing: use flags and defaults.")
    ] = False,
    ledger: Annotated[
        bool,
        option("--ledger", help="Start a treatment ledger instead (with --clinic).", panel=LEDGER),
    ] = False,
    person: Annotated[
        bool,
        option(
            "--person",
            help="Write your person file instead (ketacost.yaml): your plan, scenario, ledger"
            " and tax situation, asked once.",
            panel=PERSON,
        ),
    ] = False,
    config: ConfigOption = None,
    no_config: NoConfigOption = False,
    months: Annotated[
        int,
        option(
            min=1,
            max=MAX_MONTHS,
            metavar="N",
            help="--ledger: months to follow.",
            panel=LEDGER,
            show_default=True,
        ),
    ] = 12,
) -> None:
    """Ask what one asks a clinic on the phone, and write a commented clinic profile."""
    if ledger and person:
        raise InputError.single(
            "--person", "--ledger and --person write different files", "give one of them"
        )
    if person:
        from .person_init import init_person

        return init_person(file, given, Interview(interactive=not no_input), force)
    if ledger:
        from ..files.person import read_person
        from .ledger_init import init_ledger

        found = read_person(config, no_config)
        if file is None and found is not None and found.person.ledger is not None:
            file = Path(found.relative(found.person.ledger))  # where log and status look
        return init_ledger(
            file or Path("ledger.yaml"),
            given["clinic"],
            given["plan"],
            given["start"],
            months,
            force,
            scenario=given["scenario"],
            person=found,
        )
    file = file or Path("clinic.yaml")
    from ..files.load import load_document
    from ..files.yaml_source import parse
    from ..report.deliver import write_atomically

    if file.exists() and not force:
        raise InputError.single(
            str(file), "already exists", "pass --force to overwrite it, or name another file"
        )
    q = Interview(interactive=not no_input)
    if q.interactive:
        typer.echo(
            "Answer as the clinic tells you. Enter keeps the [default]; Ctrl-C quits"
            " without writing anything.",
            err=True,
        )
    answers: dict[str, Any] = {}
    answers["name"] = q.ask("--name", given["name"], "Clinic name", _text, None)
    answers["location"] = q.ask(
        "--location", given["location"], "City, state (blank to skip)", lambda t: t.strip(), ""
    )
    answers["modality"] = q.ask(
        "--modality",
        given["modality"],
        "Treatment (IV, IM, esketamine/Spravato, oral, at-home)",
        _modality,
        "iv-infusion",
    )
    esketamine = answers["modality"] == "esketamine"
    if esketamine and q.interactive:
        typer.echo(
            "  Esketamine follows the label: twice a week for 4 weeks, weekly for 4 weeks,"
            " then every 2 weeks.",
            err=True,
        )
    answers["sessions"] = q.ask(
        "--sessions",
        given["sessions"],
        "How many sessions in the first series",
        _whole,
        "8" if esketamine else "6",
    )
    answers["per_week"] = q.ask(
        "--per-week",
        given["per_week"],
        "How many sessions a week (e.g. 2 per week)",
        _per_week,
        "2",
    )
    answers["first_price"] = q.ask(
        "--first-price",
        given["first_price"],
        "Price of a session, all in (drug and observation)"
        if esketamine
        else "Price of the first session",
        _money,
        None,
    )
    if esketamine:
        answers["first_sessions"] = 1
        answers["later_price"] = answers["first_price"]
    else:
        answers["first_sessions"] = q.ask(
            "--first-sessions",
            given["first_sessions"],
            "How many sessions are at that first price",
            _whole,
            "1",
        )
        answers["later_price"] = q.ask(
            "--later-price",
            given["later_price"],
            "Price of each later session",
            _money,
            "0" if answers["first_price"] is None else str(answers["first_price"]),
        )
    answers["intake_fee"] = q.ask(
        "--intake-fee",
        given["intake_fee"],
        "One-time intake or consultation fee (0 if none)",
        _optional_money,
        "0",
    )
    answers["monthly_fee"] = q.ask(
        "--monthly-fee",
        given["monthly_fee"],
        "Monthly membership fee (0 if none)",
        _optional_money,
        "0",
    )
    answers["booster_price"] = (
        Decimal(0)
        if esketamine
        else q.ask(
            "--booster-price",
            given["booster_price"],
            "Price of a booster session later on (0 if none)",
            _optional_money,
            "0",
        )
    )
    answers["booster_every_weeks"] = (
        q.ask(
            "--booster-every-weeks",
            given["booster_every_weeks"],
            "How often are boosters (e.g. every 12 weeks, every 3 months)",
            _weeks,
            "12",
        )
        if answers["booster_price"]
        else None
    )
    answers["network"] = q.ask(
        "--network",
        given["network"],
        "Billing (" + ", ".join(NETWORKS) + ")",
        _choice(NETWORKS),
        "out-of-network",
    )
    answers["superbill"] = q.ask(
        "--superbill",
        given["superbill"],
        "Do they give a superbill for insurance (yes/no)",
        _yes_no,
        "yes",
    )
    answers["plan_months"] = q.ask(
        "--payment-months",
        given["payment_months"],
        "Payment plan length in months (0 if none)",
        _months,
        "0",
    )
    answers["plan_apr"] = (
        q.ask(
            "--payment-apr",
            given["payment_apr"],
            "Payment plan APR in percent, e.g. 9.99 or 0 (from the plan's terms)",
            _apr,
            None,  # a 0% default would make the loan look free
        )
        if answers["plan_months"]
        else Decimal(0)
    )
    answers["source"] = q.ask(
        "--source",
        given["source"],
        "Where did these prices come from (a call, a price sheet, a web page)",
        _text,
        "not given",
    )
    answers["published"] = q.ask(
        "--published",
        given["published"],
        "When were they published or dated (YYYY-MM-DD, or unknown)",
        _published,
        "unknown",
    )
    answers["checked"] = q.ask(
        "--checked",
        given["checked"],
        "When did you read or hear them (YYYY-MM-DD)",
        _past_date,
        dt.date.today().isoformat(),
    )
    if q.problems:
        raise InputError(q.problems)
    text = render_profile(answers)
    load_document(parse(str(file), text), "clinic")
    if q.interactive:
        typer.echo(summary(answers), err=True)
        if not answered("init", lambda: typer.confirm(f"Write {file}?", default=True, err=True)):
            typer.echo("Nothing written.", err=True)
            return
    write_atomically(file, text)
    schema = file.parent / SCHEMA_NAME
    if not schema.exists():
        from ..files.schema import schema_text

        write_atomically(schema, schema_text("clinic"))
    typer.echo(
        f"Wrote {printable(str(file))}. Next: ketacost estimate {printable(str(file))}", err=True
    )


def summary(answers: dict[str, Any]) -> str:
    """Return the answers read back in words, as one would before hanging up."""
    from ..model.clinic import Series
    from ..report.words import modality_text, money, percent, plural, series_price_text

    a = answers
    series = Series.model_validate(
        {
            "sessions": a["sessions"],
            "first_price": a["first_price"],
            "first_sessions": a["first_sessions"],
            "later_price": a["later_price"],
        }
    )
    where = f", {a['location']}" if a["location"] else ""
    lines = [
        "",
        "Summary",
        f"  {a['name']}{where}: {modality_text(a['modality'])}",
        f"  Series: {plural(a['sessions'], 'session')}, {a['per_week']:f} a week,"
        f" {series_price_text(series, 'USD')}",
    ]
    if a["modality"] == "esketamine":
        lines.append("  Then weekly for 4 weeks, then every 2 weeks, at the same price")
    fees = []
    if a["intake_fee"]:
        fees.append(f"intake {money(a['intake_fee'], 'USD')}")
    if a["monthly_fee"]:
        fees.append(f"membership {money(a['monthly_fee'], 'USD')} a month")
    lines.append("  Fees: " + ("; ".join(fees) if fees else "none"))
    if a["booster_price"]:
        weeks = a["booster_every_weeks"]
        lines.append(
            f"  Boosters: {money(a['booster_price'], 'USD')} every {weeks.normalize():f} weeks"
        )
    lines.append(f"  Billing: {a['network']}, superbill {'yes' if a['superbill'] else 'no'}")
    if a["plan_months"]:
        lines.append(
            f"  Payment plan: {plural(a['plan_months'], 'month')} at {percent(a['plan_apr'])} APR"
        )
    published = "unknown" if a.get("published") is None else a["published"].isoformat()
    lines.append(
        f"  Prices from: {a['source']}, published {published}, read {a['checked'].isoformat()}"
    )
    return "\n".join(lines)


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("please give an answer")
    return value.strip()
