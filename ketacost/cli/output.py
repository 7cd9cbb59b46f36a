"""Shared steps of the reporting commands: inputs from options, and output in any format."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import typer

from ..engine.financing import FinanceTerms
from ..engine.result import Estimate
from ..engine.savings import SavingsTerms
from ..errors import InputError
from ..model.clinic import Clinic
from ..model.personal import PersonalCosts
from ..model.plan import Plan
from ..report.layout import Report
from ..source import Document
from .options import EXIT_FINDING, Format, terminal_width, use_color


@dataclass(frozen=True)
class Setup:
    """Everything but the clinic that an estimate takes, read from the command line once."""

    start: dt.date
    months: int
    overrides: Sequence[str]
    plan: tuple[Plan, Document] | None
    personal: PersonalCosts | None
    finance: str | None
    savings: SavingsTerms | None
    response_rate: str | None
    stop_after: int | None
    marginal_rate: str | None
    agi: str | None

    def run(self, clinic_path: Path) -> Estimate:
        """Return the estimate for one clinic file under these settings."""
        from ..engine.estimate import estimate
        from ..load import check_currencies, read_clinic

        profile, document = read_clinic(clinic_path, overrides=self.overrides)
        insurance = None
        if self.plan is not None:
            insurance, plan_document = self.plan
            check_currencies(profile, document, insurance, plan_document)
        return estimate(
            profile,
            insurance,
            start=self.start,
            months=self.months,
            clinic_file=shown_path(clinic_path),
            response_rate=self.response_rate,
            stop_after=self.stop_after,
            personal=self.personal,
            finance=finance_terms(self.finance, profile),
            savings=self.savings,
            marginal_rate=self.marginal_rate,
            agi=self.agi,
        )


def setup(
    *,
    start: str | None,
    months: int,
    overrides: Sequence[str] | None,
    plan: Path | None,
    deductible: str | None,
    coinsurance: str | None,
    allowed: str | None,
    oop_max: str | None,
    paid_after_days: str | None,
    personal: Path | None,
    ride: str | None,
    hourly_wage: str | None,
    hours_off: str | None,
    childcare: str | None,
    finance: str | None,
    savings_program: bool,
    savings_cap: str | None,
    savings_floor: str | None,
    response_rate: str | None,
    stop_after: int | None,
    marginal_rate: str | None,
    agi: str | None,
) -> Setup:
    """Return the shared settings of ``estimate`` and ``compare``, every flag checked."""
    return Setup(
        start=start_date(start),
        months=months,
        overrides=tuple(overrides or ()),
        plan=plan_from_options(plan, deductible, coinsurance, allowed, oop_max, paid_after_days),
        personal=personal_from_options(personal, ride, hourly_wage, hours_off, childcare),
        finance=finance,
        savings=savings_terms(savings_program, savings_cap, savings_floor),
        response_rate=response_rate,
        stop_after=stop_after,
        marginal_rate=marginal_rate,
        agi=agi,
    )


def start_date(text: str | None) -> dt.date:
    """Return the start date from ``--start``, today when absent."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError.single(
            "--start", f"{text!r} is not a date", "write it as YYYY-MM-DD, e.g. --start 2027-01-04"
        ) from None


def plan_from_options(
    plan: Path | None,
    deductible: str | None,
    coinsurance: str | None,
    allowed: str | None,
    oop_max: str | None,
    paid_after_days: str | None,
) -> tuple[Plan, Document] | None:
    """Return the plan file with what-if flags over it, an ad-hoc plan, or None."""
    from ..load import read_plan

    flags = [
        ("out_of_network.deductible", "--deductible", deductible),
        ("out_of_network.coinsurance", "--coinsurance", coinsurance),
        ("out_of_network.allowed", "--allowed", allowed),
        ("out_of_network.out_of_pocket_max", "--oop-max", oop_max),
        ("claims.paid_after_days", "--paid-after-days", paid_after_days),
    ]
    what_if = _given(flags)
    if plan is None and not what_if:
        return None
    return read_plan(plan, what_if)


def _given(flags: list[tuple[str, str, str | None]]) -> list[tuple[str, str, str]]:
    """Return ``(dotted key, value, origin)`` for each flag given, e.g. ``--ride 40``."""
    return [(key, value, f"{flag} {value}") for key, flag, value in flags if value is not None]


def personal_from_options(
    personal: Path | None,
    ride: str | None,
    hourly_wage: str | None,
    hours_off: str | None,
    childcare: str | None,
) -> PersonalCosts | None:
    """Return personal costs from a file and/or flags, or None when neither is given."""
    from ..load import load_personal

    flags = [
        ("ride", "--ride", ride),
        ("hourly_wage", "--hourly-wage", hourly_wage),
        ("hours_off", "--hours-off", hours_off),
        ("childcare", "--childcare", childcare),
    ]
    what_if = _given(flags)
    if personal is None and not what_if:
        return None
    return load_personal(personal, what_if)


def finance_terms(text: str | None, clinic: Clinic) -> FinanceTerms | None:
    """Return the financing asked for: one of the clinic's payment plans, or MONTHS@APR."""
    from ..engine.financing import FinanceTerms, parse_finance

    if text is None:
        return None
    wanted = text.strip().lower()
    offered = clinic.payment_plans
    chosen = offered[0] if offered and wanted == "clinic" else None
    chosen = chosen or next((p for p in offered if p.name.lower() == wanted), None)
    if chosen is not None:
        return FinanceTerms(
            chosen.name, chosen.months, chosen.apr, chosen.down_payment, chosen.deferred_interest
        )
    if wanted == "clinic":
        raise InputError.single(
            "--finance",
            f"{clinic.name!r} lists no payment_plans",
            "give the terms instead, e.g. --finance 12@9.99%",
        )
    return parse_finance(text)


def savings_terms(enabled: bool, cap: str | None, floor: str | None) -> SavingsTerms | None:
    """Return the savings programme's terms when asked for, defaults where not given."""
    from ..engine.savings import DEFAULT_ANNUAL_CAP, DEFAULT_FLOOR, SavingsTerms
    from ..money import parse_money

    if not enabled:
        for flag, text in (("--savings-cap", cap), ("--savings-floor", floor)):
            if text is not None:
                raise InputError.single(flag, "needs --savings-program", "add --savings-program")
        return None
    values = []
    for flag, text, default in (
        ("--savings-cap", cap, DEFAULT_ANNUAL_CAP),
        ("--savings-floor", floor, DEFAULT_FLOOR),
    ):
        try:
            values.append(default if text is None else parse_money(text))
        except ValueError as error:
            message, _, hint = str(error).partition(" | ")
            raise InputError.single(flag, message, hint or "give an amount") from None
    return SavingsTerms(floor=values[1], annual_cap=values[0])


def shown_path(path: Path) -> str:
    """Return a clinic file as users should see it: relative to here, or pricing/NAME."""
    from ..catalog import pricing_dir

    resolved = path.resolve()
    if resolved.parent == pricing_dir().resolve():
        return f"pricing/{path.name}"
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def deliver(
    format: Format | str | None,
    output: Path | None,
    *,
    json: Callable[[], Any],
    csv: Callable[[], str],
    reports: Callable[[], Sequence[Report]],
) -> None:
    """Produce only the chosen format's text and send it to stdout or ``output``."""
    from ..report.output import choose_format, emit

    chosen = choose_format(format.value if isinstance(format, Format) else format, output)
    if chosen == "json":
        from ..report.render import to_json

        emit(to_json(json()), output)
    elif chosen == "csv":
        emit(csv(), output)
    elif chosen == "md":
        from ..report.render import to_markdown

        emit(to_markdown(reports()), output)
    else:
        from ..report.render import to_rich

        emit(to_rich(reports(), color=use_color(output), width=terminal_width()), output)


def budget(text: str | None) -> Decimal | None:
    """Return the ``--fail-over`` amount, checked before any work is done."""
    if text is None:
        return None
    from ..money import parse_money

    try:
        return parse_money(text)
    except ValueError as error:
        raise InputError.single(
            "--fail-over", str(error).split(" | ")[0], "give an amount such as --fail-over 5000"
        ) from None


def fail_over_budget(results: Sequence[Estimate], limit: Decimal | None) -> None:
    """Exit 1 when asked to and a net cost is above the budget."""
    if limit is None:
        return
    from ..report.layout import money

    over = [r for r in results if r.net > limit]
    for result in over:
        currency = result.clinic.currency
        typer.echo(
            f"over budget: {result.clinic.name}: net {money(result.net, currency)}"
            f" > {money(limit, currency)}",
            err=True,
        )
    if over:
        raise typer.Exit(EXIT_FINDING)
