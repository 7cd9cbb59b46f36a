"""The typed settings the shared flags (cli/flags.py) make, read once per command.

``estimate_options`` adds the shared flags to a command (as sqlite-utils'
``output_options`` does) and hands it one ``Settings``: every flag parsed and
checked at this edge, with the person file filling what no flag gave, so the
engine only ever sees typed values.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..engine.horizon import months_problem
from ..errors import InputError
from .coverage import PlanInput, plan_from_options
from .flags import (
    DEFAULT_MONTHS,
    PERSONAL_KEYS,
    PLAN_FLAGS,
    SHARED,
    TAX_FLAGS,
)
from .options import Format, read_flag, with_flags
from .situation import Situation, fill_from_person
from .tax import tax_terms

if TYPE_CHECKING:
    from ..engine.financing import FinanceTerms
    from ..engine.response import ResponseTerms
    from ..engine.result import Estimate
    from ..engine.savings import SavingsTerms
    from ..engine.tax import TaxTerms
    from ..files.yaml_source import Document
    from ..model.clinic import Clinic
    from ..model.personal import PersonalCosts
    from ..model.plan import Plan
    from .choice import Named, ScenarioChoice

F = TypeVar("F", bound=Callable[..., Any])


def _pick(flags: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """Return the flags ``names`` lists, as keyword arguments."""
    return {name: flags[name] for name in names}


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
    scenario: str | None = None  # --scenario: the plan's scenario that stands for the person
    situation: Situation = field(default_factory=Situation)  # who stated what
    # The plan as read for each network, for what it states (read once, however many clinics).
    _plan_documents: dict[str, Document] = field(default_factory=dict, compare=False, repr=False)

    def plan_document(self, network: str) -> Document:
        """Return the plan's document with the what-if flags set in ``network``'s terms."""
        assert self.plan is not None
        if network not in self._plan_documents:
            self._plan_documents[network] = self.plan.read(network)[1]
        return self._plan_documents[network]

    @property
    def plan_name(self) -> str:
        """The plan as errors name it: its file, else how it was made."""
        if self.plan is None or (self.plan.path is None and not self.plan.flags):
            return "(no plan: self-pay)"
        return "(built from flags)" if self.plan.path is None else str(self.plan.path)

    def choice(
        self, result: Estimate, *, required: bool, why: str | None = None
    ) -> ScenarioChoice | None:
        """Return the scenario that stands for the person in ``result`` (docs/assumptions.md).

        Not ``required`` (an estimate shows every scenario), several scenarios with
        nothing to choose by give None rather than an error; ``why`` words that error.
        """
        from .choice import choose_scenario

        names = [s.name for s in result.scenarios]
        given = self.named_scenarios(with_plan=result.plan is not None)
        weighted = result.expected_net is not None
        if not required and not given and not weighted and len(names) > 1:
            return None
        return choose_scenario(names, weighted=weighted, plan=self.plan_name, given=given, why=why)

    def named_scenarios(self, *, with_plan: bool) -> list[Named]:
        """Return the scenario names stated: ``--scenario``, then the person file's (with a
        plan: with none there is only self-pay)."""
        from .choice import Named

        given = [] if self.scenario is None else [Named(self.scenario, "flag")]
        person = self.situation.person
        if person is not None and person.person.scenario is not None and with_plan:
            given.append(Named(person.person.scenario, "person file", person.document))
        return given

    def run(self, clinic_path: Path, varied: Collection[str] = ()) -> Estimate:
        """Return the estimate for one clinic file under these settings (``varied``: the
        plan terms a sweep varies, which count as stated)."""
        return self.estimate(clinic_path, *self.read(clinic_path), varied=varied)

    def read(self, clinic_path: Path) -> tuple[Clinic, Document]:
        """Return the clinic at ``clinic_path`` with ``--set`` applied, and its document."""
        from ..files.load import read_clinic

        return read_clinic(clinic_path, overrides=self.overrides)

    def estimate(
        self, clinic_path: Path, profile: Clinic, document: Document, varied: Collection[str] = ()
    ) -> Estimate:
        """Return the estimate for a clinic read by ``read`` under these settings."""
        from ..engine.estimate import estimate
        from ..engine.limits import too_much_work
        from .coverage import coverage_for

        profile, insurance = coverage_for(profile, document, self.plan, self.savings, varied)
        refused = too_much_work(profile, self.start, self.months, insurance)
        if refused is not None:  # refused here too, to point into the file
            at = document
            if refused.profile == "plan" and self.plan is not None:
                at = self.plan.read(profile.billing.network)[1]  # only on the way to an error
            raise InputError([at.problem(refused.where, refused.message, refused.hint)])
        tax, notes = self._tax_for(insurance, profile.billing.network)
        try:
            result = estimate(
                profile,
                insurance,
                start=self.start,
                months=self.months,
                clinic_file=shown_path(clinic_path),
                response=self.response,
                personal=self.personal,
                finance=None if self.finance is None else _finance(self.finance, profile),
                savings=self.savings,
                tax=tax,
            )
        except InputError as error:  # the engine names its fields; here, the flag that gave it
            if self.finance is None:
                raise
            from dataclasses import replace

            flag = f"--finance {self.finance}"
            named = [
                replace(p, path=flag) if p.path.startswith("financing") else p
                for p in error.problems
            ]
            raise InputError(named) from None
        if not notes:
            return result
        return result._replace(warnings=(*result.warnings, *notes))

    def _tax_for(
        self, plan: Plan | None, network: str = "out-of-network"
    ) -> tuple[TaxTerms | None, tuple[str, ...]]:
        """Return the tax terms for ``plan``, and what the reader must know about them.

        A person file serves every command: its ``hsa:`` beside a plan that rules an
        HSA out is a warning and no HSA saving, where ``--hsa`` is refused, pointing at
        the plan's in-network terms (the ones an HSA is judged by).
        """
        notes = self.situation.notes
        tax = self.tax
        if (
            tax is not None
            and tax.hsa is not None
            and plan is not None
            and self.plan is not None
            and self.situation.source("hsa") != "person file"
        ):
            from ..engine.tax import hdhp_problem

            refused = hdhp_problem(tax, plan, self.start.year)
            if refused is not None:
                document = self.plan_document(network)
                where = ("in_network",) if plan.given("in_network") else ()
                raise InputError([document.problem(where, *refused, at_key=True)])
        if (
            tax is not None
            and tax.hsa is not None
            and self.situation.source("hsa") == "person file"
            and plan is not None
        ):
            from dataclasses import replace

            from ..engine.tax import hdhp_problem

            problem = hdhp_problem(tax, plan, self.start.year)
            if problem is not None:
                tax = replace(tax, hsa=None, hsa_catch_up=False)
                notes = (
                    *notes,
                    f"Your person file says you have an HSA, but {problem[0]}: no HSA saving"
                    " is counted.",
                )
        return tax, notes


def _finance(text: str, clinic: Clinic) -> FinanceTerms | None:
    from .financing import finance_terms  # the loan code loads only with --finance

    return finance_terms(text, clinic)


def estimate_options(command: F) -> F:
    """Add the shared flags to ``command``, which receives them as one ``settings``."""
    return with_flags(SHARED, "settings", settings_from)(command)


def sweep_options(command: F) -> F:
    """``estimate_options`` for ``sweep``: a plan term its ``--vary`` flags vary is stated, as
    the flag of the same name would state it."""

    def varied(own: dict[str, Any]) -> dict[str, Any]:
        from .vary import varied_terms

        return {VARIED: varied_terms(own.get("vary") or ())}

    return with_flags(SHARED, "settings", settings_from, also=varied)(command)


VARIED = "varied_terms"  # what sweep_options adds to the shared flags: what-if term → --vary flag


def settings_from(given: dict[str, Any]) -> Settings:
    """Return the typed settings from the shared flags' values, every flag checked."""
    flags: dict[str, Any] = {
        name: given.get(name, default) for name, (_, default) in SHARED.items()
    }
    months = DEFAULT_MONTHS if flags["months"] is None else flags["months"]
    start = start_date(flags["start"])
    from ..files.person import read_person

    situation = fill_from_person(flags, read_person(flags["config"], flags["no_config"]), start)
    plan = plan_from_options(**_pick(flags, PLAN_FLAGS))  # a bad flag is named first
    _plan_flags_complete(flags, given.get(VARIED, {}))
    limit = _money("--fail-over", flags["fail_over"], "give an amount such as --fail-over 5000")
    wrong = months_problem(months)  # the horizon's one rule
    if wrong is not None:
        raise InputError.single("--months", wrong.message, f"{wrong.hint}, e.g. --months 24")
    return Settings(
        start=start,
        months=months,
        overrides=tuple(flags["set_"] or ()),
        plan=plan,
        personal=_personal(flags["personal"], _given(flags, PERSONAL_KEYS)),
        finance=flags["finance"],
        savings=savings_terms(
            flags["savings_program"],
            flags["savings_cap"],
            flags["savings_floor"],
            flags["observation_rebate_cap"],
            None if situation.person is None else situation.person.person.state,
        ),
        response=response_terms(flags["response_rate"], flags["stop_after"]),
        tax=tax_terms(**_pick(flags, TAX_FLAGS), turns_65=flags.get("turns_65")),
        format=flags["format"],
        output=flags["output"],
        width=flags["width"],
        fail_over=limit,
        scenario=flags["scenario"],
        situation=situation,
    )


# The what-if flags for plan terms, and the pair a plan built from them alone must state:
# what, left out, would default to the terms most generous to you.
TERMS_FLAGS = tuple(name for name in PLAN_FLAGS if name not in ("plan", "network"))
REQUIRED_TERMS = {"allowed": "100% allowed", "coinsurance": "0% coinsurance"}
# With --copay-only the copay is all a claim costs, so it is the copay that must be stated.
REQUIRED_COPAY_ONLY = {"allowed": "100% allowed", "copay": "a $0 copay"}


def _plan_flags_complete(flags: dict[str, Any], varied: Mapping[str, str]) -> None:
    """Refuse a plan built from what-if flags alone that leaves out ``--allowed`` or
    ``--coinsurance`` (``--copay`` with ``--copay-only``): filled by default they would be
    the most generous terms there are, so the person must state them (docs/assumptions.md).

    ``varied``: the terms a sweep varies (see vary.varied_terms), stated as much; one
    varied in a named network's block counts here, before the clinic says which network
    is in effect, and ``varied_terms_complete`` checks it once it does.
    """
    if flags["plan"] is not None:
        return
    stated = {n: _flag_text(n, flags[n]) for n in TERMS_FLAGS if flags[n] is not None}
    stated.update({name.rpartition(":")[2]: flag for name, flag in varied.items()})
    if stated:
        _require_terms(stated, flags["copay_only"], varied=bool(varied))


def varied_terms_complete(plan: PlanInput | None, varied: Mapping[str, str], block: str) -> None:
    """Refuse, once the clinic's network is known, a plan of flags and varied keys whose
    required terms are varied only in the other network's block (``block`` is in effect)."""
    if plan is not None and plan.path is not None:
        return
    given = () if plan is None else plan.flags
    stated = {key: f"{flag} {value}" for key, flag, value in given if value is not None}
    for name, flag in varied.items():
        where, _, term = name.rpartition(":")
        if where in ("", block):
            stated[term] = flag
    if stated:
        _require_terms(stated, "copay_only" in stated, varied=True)


def _require_terms(stated: Mapping[str, str], copay_only: bool, *, varied: bool) -> None:
    """Raise unless ``stated`` (term → the flag that states it) holds every term a plan
    without a file must state."""
    required = REQUIRED_COPAY_ONLY if copay_only else REQUIRED_TERMS
    missing = [name for name in required if name not in stated]
    if not missing:
        return
    example = (
        "--allowed 70% --copay 50"
        if copay_only
        else "--allowed 70% --coinsurance 40% (a typical out-of-network plan;"
    )
    alone = "flags and varied keys" if varied else "flags alone"
    named = " and ".join(f"--{name}" for name in missing)
    defaults = ", ".join(required[name] for name in missing)
    they, them = ("they", "them") if len(missing) > 1 else ("it", "it")
    how = " (as a flag or a --vary key for the clinic's network)" if varied else ""
    raise InputError.single(
        next(iter(stated.values())),
        f"a plan built from {alone} must state {named}: left out, {they} would default to the"
        f" terms most generous to you ({defaults})",
        f"state {them}{how}, e.g. {example}{' (' if copay_only else ' '}your plan's"
        " summary of benefits has the real figures), or give --plan FILE",
    )


def _flag_text(name: str, value: object) -> str:
    """Return a flag as it was typed: ``--copay 50``, or ``--copay-only`` for a switch."""
    flag = f"--{name.replace('_', '-')}"
    return flag if value is True else f"{flag} {value}"


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
    from ..files.load import load_personal

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
    enabled: bool,
    cap: str | None,
    floor: str | None,
    rebate_cap: str | None = None,
    state: str | None = None,
) -> SavingsTerms | None:
    """Return the savings program's terms when asked for, defaults where not given.

    ``state`` is the person file's: the observation rebate is not valid in every state.
    """
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
        state=state,
    )


def shown_path(path: Path) -> str:
    """Return a clinic file as users should see it: relative to here, or pricing/NAME."""
    if str(path) == "-":
        return str(path)
    folder = _resolved(str(path.parent))  # compare names many files in a few folders
    if folder == _bundled_folder():
        return f"pricing/{path.name}"
    here = _resolved(os.getcwd())
    if folder == here:
        return path.name
    if folder.startswith(here.rstrip(os.sep) + os.sep):
        return os.path.join(folder[len(here.rstrip(os.sep)) + 1 :], path.name)
    return str(path)


@functools.lru_cache(maxsize=64)
def _resolved(folder: str) -> str:
    """Return ``folder`` with its symbolic links followed, worked out once per folder."""
    return str(Path(folder).resolve())


@functools.cache
def _bundled_folder() -> str:
    """Return the folder of bundled profiles, resolved (it stays put while ketacost runs)."""
    from ..files.bundled import pricing_dir

    return _resolved(str(pricing_dir()))
