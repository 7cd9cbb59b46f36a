"""The flags every estimating command shares, declared once, and the typed settings they make.

``estimate_options`` adds the shared flags to a command (as sqlite-utils'
``output_options`` does) and hands it one ``Settings``: every flag parsed and
checked at this edge, so the engine only ever sees typed values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from ..engine.horizon import MAX_MONTHS
from ..errors import InputError
from .coverage import PlanInput, plan_from_options
from .options import Format, FormatOption, OutputOption, WidthOption, read_flag, with_flags
from .tax import FilingStatus, HsaKind, tax_terms

if TYPE_CHECKING:
    from ..document import Document
    from ..engine.financing import FinanceTerms
    from ..engine.response import ResponseTerms
    from ..engine.result import Estimate
    from ..engine.savings import SavingsTerms
    from ..engine.tax import TaxTerms
    from ..model.clinic import Clinic
    from ..model.personal import PersonalCosts

F = TypeVar("F", bound=Callable[..., Any])

# The flags every estimating command shares: name(s), placeholder, help panel, help.
# A help text may go on over indented lines. Flags not taking text are typed below.
FLAGS = f"""
--start              DATE        Options        First day of treatment, YYYY-MM-DD (default: today).
--months             N           Options        Horizon in calendar months (1 to {MAX_MONTHS}).
--plan -p            FILE        Plan           Insurance plan YAML (in- and/or out-of-network
                                                terms).
--set                KEY=VALUE   What-if        Override a profile value by dotted path:
                                                --set series.later_price=550 (repeatable).
--network            in|out      What-if        The clinic bills in network or out of network
                                                (overrides its billing.network).
--deductible         AMOUNT      What-if        Deductible (of the network in effect).
--copay              AMOUNT      What-if        Copay per claim, after the deductible.
--coinsurance        P%          What-if        Your coinsurance, e.g. 40%.
--allowed            P%|$AMOUNT  What-if        Allowed amount: 70% of billed, or "$400" per claim.
--oop-max            AMOUNT      What-if        Out-of-pocket maximum.
--met-deductible     AMOUNT      What-if        Deductible already met this plan year.
--met-oop            AMOUNT      What-if        Out of pocket already spent this plan year.
--paid-after-days    DAYS        What-if        Days from session to reimbursement.
--response-rate      P%          Whole picture  Chance the treatment helps, e.g. 50%: weigh a
                                                branch where it does not.
--stop-after         N           Whole picture  Without a response, stop after N series sessions
                                                (default 3 with a rate).
--personal           FILE        Whole picture  Personal-costs YAML (kind: personal).
--ride               AMOUNT      Whole picture  A paid ride per visit, there and back (nobody
                                                drives after a session); with tax flags, a
                                                medical expense.
--hourly-wage        AMOUNT      Whole picture  Pay lost per hour off work.
--hours-off          HOURS       Whole picture  Hours off work per visit (default: session,
                                                recovery and travel).
--childcare          AMOUNT      Whole picture  Childcare per visit.
--finance            TERMS       Whole picture  Finance the series: MONTHS@APR[+DOWN] (12@9.99%),
                                                'clinic' for the clinic's first payment plan, or
                                                its name.
--savings-program    -           Whole picture  Esketamine savings programme (commercial plans
                                                only): you pay a floor per treatment until an
                                                annual cap is used.
--savings-cap        AMOUNT      Whole picture  The programme's cap per calendar year (default
                                                $7,150).
--savings-floor      AMOUNT      Whole picture  The least you pay per treatment (default $10).
--observation-rebate-cap  AMOUNT  Whole picture  The program's yearly limit on rebates of your share
                                                of each observation visit (not published: give
                                                it to model the rebate).
--marginal-rate      P%          Tax            Your marginal income-tax rate, e.g. 22%: the tax
                                                saved, by calendar year (an estimate).
--agi                AMOUNT      Tax            Adjusted gross income: medical expenses above 7.5%
                                                of it are deductible.
--hsa                KIND        Tax            self or family: pay from an HSA first, up to the
                                                year's limit.
--hsa-catch-up       -           Tax            55 or older: the HSA limit is higher by the
                                                catch-up contribution.
--fsa                -           Tax            Pay from a health FSA first, up to the year's limit.
--filing             STATUS      Tax            single, joint or head: compare itemizing with the
                                                standard deduction.
--other-itemized     AMOUNT      Tax            Your other itemized deductions each year (mortgage
                                                interest, state tax, gifts).
--over-65            -           Tax            You are 65 or older (give it twice when both
                                                spouses are, filing jointly).
--other-medical      AMOUNT      Tax            Your other medical expenses in each calendar year
                                                of treatment.
--miles              MILES       Tax            Round-trip miles per visit, at the IRS medical
                                                mileage rate.
--fail-over          AMOUNT      Output         Exit 1 when a net cost is above AMOUNT (a budget
                                                check for scripts).
"""
# name → (type, default) where a flag is not optional text.
TYPED: dict[str, tuple[Any, Any]] = {
    "months": (int, 12),
    "plan": (Path | None, None),
    "set_": (list[str] | None, None),
    "stop_after": (int | None, None),
    "personal": (Path | None, None),
    "savings_program": (bool, False),
    "hsa": (HsaKind | None, None),
    "hsa_catch_up": (bool, False),
    "fsa": (bool, False),
    "filing": (FilingStatus | None, None),
    "over_65": (int, 0),
}
# Extra Typer settings for a flag: --over-65 counts how often it is given.
EXTRA: dict[str, dict[str, Any]] = {"over_65": {"count": True}}
OUTPUT = "Output"
# What-if flags: the personal-costs key each one sets (plan flags: cli/coverage.py).
PERSONAL_KEYS = {name: name for name in ("ride", "hourly_wage", "hours_off", "childcare")}
# The flags each edge reader takes, by the name of its parameter.
PLAN_FLAGS = tuple(
    [
        "plan",
        "deductible",
        "coinsurance",
        "allowed",
        "oop_max",
        "paid_after_days",
        "copay",
        "network",
        "met_deductible",
        "met_oop",
    ]
)
TAX_FLAGS = tuple(
    [
        "marginal_rate",
        "agi",
        "hsa",
        "hsa_catch_up",
        "fsa",
        "filing",
        "other_itemized",
        "over_65",
        "other_medical",
        "miles",
    ]
)


def _pick(flags: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """Return the flags ``names`` lists, as keyword arguments."""
    return {name: flags[name] for name in names}


def _declare(table: str) -> dict[str, tuple[Any, Any]]:
    """Return ``name → (annotation, default)`` for each row of ``table``, as Typer reads them."""
    rows: list[list[str]] = []
    for line in table.strip("\n").splitlines():
        if line.startswith(" "):
            rows[-1][-1] += " " + line.strip()
        else:
            rows.append(re.split(r"\s{2,}", line.strip()))
    declared = {}
    for names, metavar, panel, text in rows:
        flags = names.split()
        name = flags[0].removeprefix("--").replace("-", "_")
        name = "set_" if name == "set" else name
        kind, default = TYPED.get(name, (str | None, None))
        option = typer.Option(
            *flags,
            help=text,
            metavar="" if metavar == "-" else metavar,
            rich_help_panel=None if panel == "Options" else panel,
            show_default=default not in (None, False),
            **EXTRA.get(name, {}),
        )
        declared[name] = (Annotated[kind, option], default)
    return declared


SHARED = {
    **_declare(FLAGS),
    "format": (FormatOption, None),
    "output": (OutputOption, None),
    "width": (WidthOption, None),
}


@dataclass(frozen=True)
class Settings:
    """Everything but the clinic that an estimate takes, read from the command line once."""

    start: dt.date
    months: int
    overrides: tuple[str, ...]
    plan: PlanInput | None  # the plan file and what-if flags, read per clinic (its network)
    personal: PersonalCosts | None
    finance: str | None
    savings: SavingsTerms | None
    response: ResponseTerms | None
    tax: TaxTerms | None
    format: Format | None
    output: Path | None
    width: int | None  # --width: tables drawn this many columns wide
    fail_over: Decimal | None

    def run(self, clinic_path: Path) -> Estimate:
        """Return the estimate for one clinic file under these settings."""
        return self.estimate(clinic_path, *self.read(clinic_path))

    def read(self, clinic_path: Path) -> tuple[Clinic, Document]:
        """Return the clinic at ``clinic_path`` with ``--set`` applied, and its document."""
        from ..load import read_clinic

        return read_clinic(clinic_path, overrides=self.overrides)

    def estimate(self, clinic_path: Path, profile: Clinic, document: Document) -> Estimate:
        """Return the estimate for a clinic read by ``read`` under these settings."""
        from ..engine.estimate import estimate
        from ..engine.limits import too_much_work
        from .coverage import coverage_for

        profile, insurance = coverage_for(profile, document, self.plan, self.savings)
        refused = too_much_work(profile, self.start, self.months, insurance)
        if refused is not None:  # refused here too, to point into the file
            at = document
            if refused.profile == "plan" and self.plan is not None:
                at = self.plan.read(profile.billing.network)[1]  # only on the way to an error
            raise InputError([at.problem(refused.where, refused.message, refused.hint)])
        return estimate(
            profile,
            insurance,
            start=self.start,
            months=self.months,
            clinic_file=shown_path(clinic_path),
            response=self.response,
            personal=self.personal,
            finance=None if self.finance is None else _finance(self.finance, profile),
            savings=self.savings,
            tax=self.tax,
        )


def _finance(text: str, clinic: Clinic) -> FinanceTerms | None:
    from .financing import finance_terms  # the loan code loads only with --finance

    return finance_terms(text, clinic)


def estimate_options(command: F) -> F:
    """Add the shared flags to ``command``, which receives them as one ``settings``."""
    return with_flags(SHARED, "settings", settings_from)(command)


def settings_from(given: dict[str, Any]) -> Settings:
    """Return the typed settings from the shared flags' values, every flag checked."""
    flags: dict[str, Any] = {
        name: given.get(name, default) for name, (_, default) in SHARED.items()
    }
    months = flags["months"]
    limit = _money("--fail-over", flags["fail_over"], "give an amount such as --fail-over 5000")
    if not 1 <= months <= MAX_MONTHS:
        raise InputError.single(
            "--months",
            f"months must be from 1 to {MAX_MONTHS}, not {months}",
            "use a horizon of at most ten years, e.g. --months 24",
        )
    return Settings(
        start=start_date(flags["start"]),
        months=months,
        overrides=tuple(flags["set_"] or ()),
        plan=plan_from_options(**_pick(flags, PLAN_FLAGS)),
        personal=_personal(flags["personal"], _given(flags, PERSONAL_KEYS)),
        finance=flags["finance"],
        savings=savings_terms(
            flags["savings_program"],
            flags["savings_cap"],
            flags["savings_floor"],
            flags["observation_rebate_cap"],
        ),
        response=response_terms(flags["response_rate"], flags["stop_after"]),
        tax=tax_terms(**_pick(flags, TAX_FLAGS)),
        format=flags["format"],
        output=flags["output"],
        width=flags["width"],
        fail_over=limit,
    )


def start_date(text: str | None) -> dt.date:
    """Return the start date from ``--start``, today when absent."""
    return date_flag("--start", text, example="2027-01-04")


def date_flag(flag: str, text: str | None, *, example: str) -> dt.date:
    """Return the date a flag such as ``--as-of`` gives, today when absent."""
    from ..errors import quoted
    from ..model.common import check_date

    if text is None:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError.single(
            flag,
            f"{quoted(text)} is not a date",
            f"write it as YYYY-MM-DD, e.g. {flag} {example}",
        ) from None
    read_flag(flag, text, lambda _: check_date(day))
    return day


def _given(flags: dict[str, Any], keys: dict[str, str]) -> list[tuple[str, str, str]]:
    """Return ``(dotted key, value, origin)`` for each flag given, e.g. ``--ride 40``."""
    return [
        (key, flags[name], f"--{name.replace('_', '-')} {flags[name]}")
        for name, key in keys.items()
        if flags[name] is not None
    ]


def _personal(path: Path | None, what_if: list[tuple[str, str, str]]) -> PersonalCosts | None:
    """Return personal costs from a file and/or flags, or None when neither is given."""
    if path is None and not what_if:
        return None
    from ..load import load_personal

    return load_personal(path, what_if)


def _parsed(
    flag: str, text: str | None, parse: Callable[[str], Decimal], example: str
) -> Decimal | None:
    return None if text is None else read_flag(flag, text, parse, example)


def _money(flag: str, text: str | None, example: str) -> Decimal | None:
    from ..money import parse_money

    return _parsed(flag, text, parse_money, example)


def _percent(flag: str, text: str | None, example: str) -> Decimal | None:
    from ..money import parse_percent

    return _parsed(flag, text, parse_percent, example)


def _needs(flag: str, value: Any, needed: str, given: object) -> Any:
    """Return ``value``, refusing it when the flag it depends on is absent."""
    if value is not None and given is None:
        raise InputError.single(flag, f"needs {needed}", f"add {needed}")
    return value


def response_terms(rate: str | None, stop_after: int | None) -> ResponseTerms | None:
    """Return the response model asked for with ``--response-rate`` and ``--stop-after``."""
    _needs("--stop-after", stop_after, "--response-rate", rate)
    fraction = _percent("--response-rate", rate, "e.g. 50%")
    if fraction is None:
        return None
    from ..engine.response import DEFAULT_STOP_AFTER, ResponseTerms

    stop = DEFAULT_STOP_AFTER if stop_after is None else stop_after
    if stop < 1:
        raise InputError.single(
            "--stop-after",
            f"must be at least 1, not {stop}",
            "the number of series sessions before stopping, e.g. 3",
        )
    return ResponseTerms(rate=fraction, stop_after=stop)


def savings_terms(
    enabled: bool, cap: str | None, floor: str | None, rebate_cap: str | None = None
) -> SavingsTerms | None:
    """Return the savings program's terms when asked for, defaults where not given."""
    if not enabled:
        for flag, text in (
            ("--savings-cap", cap),
            ("--savings-floor", floor),
            ("--observation-rebate-cap", rebate_cap),
        ):
            _needs(flag, text, "--savings-program", None)
        return None
    from ..engine.savings import DEFAULT_ANNUAL_CAP, DEFAULT_FLOOR, SavingsTerms

    annual_cap = _money("--savings-cap", cap, "give an amount")
    least = _money("--savings-floor", floor, "give an amount")
    return SavingsTerms(
        floor=DEFAULT_FLOOR if least is None else least,
        annual_cap=DEFAULT_ANNUAL_CAP if annual_cap is None else annual_cap,
        observation_rebate_cap=_money("--observation-rebate-cap", rebate_cap, "e.g. 1000"),
    )


def shown_path(path: Path) -> str:
    """Return a clinic file as users should see it: relative to here, or pricing/NAME."""
    from ..bundled import pricing_dir

    resolved = path.resolve()
    if resolved.parent == pricing_dir().resolve():
        return f"pricing/{path.name}"
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
