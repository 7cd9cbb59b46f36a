"""What an estimate assumed, and who said so: collected here, once, for every command.

Each assumption is ``{what, value, from}`` where ``from`` is ``flag``,
``person file``, ``plan``, ``clinic`` or ``default`` (docs/assumptions.md). The
defaults that move money are listed to the reader under "Assumed — not stated
by you"; the person file's values in one line above the tables.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as dt

    from ..engine.result import Estimate
    from ..engine.tax import TaxTerms
    from ..files.ledger import LoadedLedger
    from ..files.person import PersonFile
    from ..files.yaml_source import Document
    from ..model.clinic import Clinic
    from ..model.plan import Plan, Terms
    from .choice import ScenarioChoice
    from .settings import Settings

MONEY_KEYS = {"deductible", "copay", "out_of_pocket_max"}
ASSUMED_TITLE = "Assumed — not stated by you"
# A terms-block key → (what a reader calls it, the value it takes when nobody states it).
TERMS = (
    ("allowed", "allowed amount", "100%"),
    ("deductible", "deductible", "$0.00"),
    ("copay", "copay per claim", "$0.00"),
    ("coinsurance", "coinsurance", "0%"),
    ("out_of_pocket_max", "out-of-pocket maximum", "none"),
)


@dataclass(frozen=True)
class Assumption:
    """One input an estimate rests on: what it is, its value, and who stated it."""

    what: str
    value: str
    source: str  # "flag", "person file", "plan", "clinic" or "default"
    moves_money: bool = True

    def to_dict(self) -> dict[str, str]:
        """Return it as JSON-ready data: ``{what, value, from}``."""
        return {"what": self.what, "value": self.value, "from": self.source}

    @property
    def line(self) -> str:
        """The assumption as one line a person reads."""
        return f"{self.what}: {self.value}"


def estimate_assumptions(
    result: Estimate, settings: Settings, choice: ScenarioChoice | None
) -> tuple[Assumption, ...]:
    """Return every input ``result`` rests on, with its source, in reading order."""
    said = settings.situation
    found: list[Assumption] = [
        Assumption("start", result.start.isoformat(), said.source("start") or "default"),
        Assumption("months", str(result.months), said.source("months") or "default"),
    ]
    plan = settings.plan
    if result.plan is None:
        found.append(Assumption("plan", "none: you pay every charge yourself", "default"))
    else:
        plan_source = said.source("plan") or "flag"
        shown = (
            "built from the varied keys"  # a sweep's, with no plan file and no plan flag
            if plan is None
            else "built from flags"
            if plan.path is None
            else str(plan.path)
        )
        found.append(Assumption("plan", shown, plan_source))
        if "coverage" not in result.plan.model_fields_set:  # Medicare and others say so
            found.append(Assumption("coverage", "commercial (employer or individual)", "default"))
        billing = result.clinic.billing
        network = billing.network
        stated = "billing" in result.clinic.model_fields_set
        network_stated = stated and "network" in billing.model_fields_set
        found.append(
            Assumption(
                "network",
                network,
                "flag"
                if plan is not None and plan.network is not None
                else ("clinic" if network_stated else "default"),
            )
        )
        if network == "out-of-network" and not (stated and "superbill" in billing.model_fields_set):
            found.append(
                Assumption("superbill", "yes: the clinic gives one to claim with", "default")
            )
        found.extend(_terms(result, settings, network, choice))
    if choice is not None and result.plan is not None:
        found.append(Assumption("scenario standing for you", choice.name, choice.source))
    # a value set over the clinic's file moves money the file's source never gave
    found.extend(
        Assumption("clinic profile changed", given, "flag") for given in settings.overrides
    )
    found.extend(_tax(result, settings))
    found.extend(_other(result, settings))
    return tuple(found)


def _terms(
    result: Estimate, settings: Settings, network: str, choice: ScenarioChoice | None
) -> list[Assumption]:
    """Return the plan terms of the network in effect, each with who stated it: the
    terms of the scenario that stands for you, else of each covered scenario."""
    from ..model.plan import BLOCKS

    if network not in BLOCKS:  # a self-pay-only clinic: the plan's terms do not apply
        return []
    if settings.plan is None:  # a sweep's plan of varied keys: the rest are defaults
        from ..files.yaml_source import Document

        document = Document(path="", lines=[], data={})
    else:
        document = settings.plan_document(network)
    plan = result.plan
    stands = None if choice is None else choice.index
    worked = [
        (scenario.name, scenario.terms, scenario_keys(plan, place))
        for place, scenario in enumerate(result.scenarios)
        if scenario.terms is not None
        and scenario.terms.claimable
        and (stands is None or place == stands)
    ]
    covered = [w for w in worked if w[1].covered] or worked
    if not covered:
        return []
    each = [
        (name, terms_assumptions(terms, document, network, keys)) for name, terms, keys in covered
    ]
    found = _by_scenario(each)
    if (
        plan is not None
        and "covered" not in plan.model_fields_set
        and all(s.covered is None for s in plan.scenarios)
    ):
        found.append(
            Assumption(
                "covered",
                "yes: the plan pays these claims by its terms (ketamine for depression is"
                " often denied as off-label: add covered: false, or a scenario that says so,"
                " to see that case)",
                "default",
            )
        )
    found.extend(met_year(plan, result.start))
    return found


def met_year(plan: Plan | None, start: dt.date) -> list[Assumption]:
    """Return the plan year ``already_met`` is taken for when the plan does not say when
    it was read: the start's (listed: it moves money when it was an earlier year's)."""
    if plan is None or not plan.already_met.anything or plan.already_met.as_of is not None:
        return []
    from ..engine.claims import plan_year_start

    opens = plan_year_start(start, plan.plan_year_starts)
    return [
        Assumption(
            "already met counts for",
            f"the plan year of the start, from {opens} (give already_met.as_of, the day"
            " you read it, if it is an earlier plan year's: it resets before treatment)",
            "default",
        )
    ]


def scenario_keys(plan: Plan | None, place: int) -> frozenset[str]:
    """Return the term keys the plan's scenario at ``place`` sets (none without scenarios)."""
    if plan is None or place >= len(plan.scenarios):
        return frozenset()
    scenario = plan.scenarios[place]
    given = scenario.model_fields_set - {"name", "probability"}
    return frozenset(key for key in given if getattr(scenario, key) is not None)  # null: unset


NOTED = {"default": " (not stated)", "flag": " (a flag)"}  # a per-scenario value's source


def _by_scenario(each: list[tuple[str, list[Assumption]]]) -> list[Assumption]:
    """Return one list of term assumptions from each scenario's: a term alike in all as it
    is; one that differs with each scenario's value, stated only if stated in every one."""
    if len(each) == 1:
        return each[0][1]
    found = []
    for row in zip(*(assumed for _, assumed in each), strict=True):
        first = row[0]
        if all(a.value == first.value and a.source == first.source for a in row):
            found.append(first)
            continue
        value = "; ".join(
            f"{name}: {a.value}" + NOTED.get(a.source, "")
            for (name, _), a in zip(each, row, strict=True)
        )
        sources = {a.source for a in row}
        source = "default" if "default" in sources else "flag" if sources == {"flag"} else "plan"
        found.append(replace(first, value=value, source=source))
    return found


def terms_assumptions(
    terms: Terms, document: Document, network: str, in_scenario: Collection[str] = ()
) -> list[Assumption]:
    """Return ``terms`` key by key: a flag set it (what-if), the plan file (its network
    block, or ``in_scenario``: the keys the scenario in effect sets), or the default."""
    from ..model.plan import BLOCKS

    data = document.data if isinstance(document.data, dict) else {}
    block = BLOCKS[network]
    stated = data.get(block)
    stated = {**stated} if isinstance(stated, dict) else {}
    stated.update(dict.fromkeys(in_scenario))
    shown = terms.to_dict()
    found = []
    for key, what, _ in TERMS:
        value = shown[key]
        if value is None:
            value = "none"
        elif key in MONEY_KEYS:
            value = _money(Decimal(value))
        source = _source(document, (block, key), stated, key, in_scenario)
        found.append(Assumption(f"{what} ({network})", value, source))
    met = data.get("already_met")
    for key, what in (
        ("deductible", "deductible already met"),
        ("out_of_pocket", "out of pocket already spent"),
    ):
        source = "default"
        if _overridden(document, "already_met", key):
            source = "flag"
        elif isinstance(met, dict) and met:
            source = "plan"
        found.append(Assumption(what, _money(Decimal(shown["already_met"][key])), source))
    claims = data.get("claims")
    paid_after = "default"
    if _overridden(document, "claims", "paid_after_days"):
        paid_after = "flag"
    elif (isinstance(claims, dict) and "paid_after_days" in claims) or (
        "paid_after_days" in in_scenario
    ):
        paid_after = "plan"
    if not terms.in_network:
        found.append(
            Assumption("days from session to reimbursement", str(terms.paid_after_days), paid_after)
        )
    month, day = terms.plan_year_starts  # when the deductible and the cap start again
    found.append(
        Assumption(
            "plan year starts (deductible and cap reset)",
            f"{month:02d}-{day:02d}",
            "plan" if "plan_year_starts" in data else "default",
        )
    )
    return found


def status_assumptions(
    loaded: LoadedLedger, choice: ScenarioChoice | None, as_of_default: bool, ledger_source: str
) -> list[Assumption]:
    """Return what a ledger's status rests on: the ledger, its plan, scenario and terms."""
    from ..engine.claims import plan_terms
    from ..files.load import read_document

    found = [
        Assumption(
            "as of",
            "today" if as_of_default else "the date given",
            "default" if as_of_default else "flag",
            moves_money=False,
        ),
        Assumption("ledger", str(loaded.path), ledger_source, moves_money=False),
    ]
    if loaded.plan is None or loaded.plan_file is None:
        found.append(Assumption("plan", "none: you pay every charge yourself", "ledger"))
        return found
    found.append(Assumption("plan", str(loaded.plan_file), "ledger"))
    if choice is not None:
        found.append(Assumption("scenario standing for you", choice.name, choice.source))
    index = 0 if choice is None or choice.index is None else choice.index
    from ..engine.estimate import met_for

    # the counters as the status uses them: reset when read in an earlier plan year
    terms = plan_terms(loaded.clinic, met_for(loaded.plan, loaded.ledger.start))[index]
    network = loaded.clinic.billing.network
    if terms is not None and terms.claimable and loaded.clinic.billing.files_claims:
        document = read_document(loaded.plan_file)
        keys = scenario_keys(loaded.plan, index)
        found.extend(terms_assumptions(terms, document, network, keys))
        found.extend(met_year(loaded.plan, loaded.ledger.start))
    return found


def tax_year_assumptions(
    terms: TaxTerms, sources: dict[str, str], year: int, ledger: str, ledger_source: str
) -> list[Assumption]:
    """Return what a ledger's tax year rests on: the year, the ledger and each tax input.

    ``sources`` says who stated each flag's value ("flag" or "person file"); a
    value nobody stated is the default, and the defaults never lower the cost:
    no filing status, no itemized deduction; no miles, no mileage.
    """

    def source(name: str) -> str:
        return sources.get(name, "default")

    found = [
        Assumption("tax year", str(year), "flag", moves_money=False),
        Assumption("ledger", ledger, ledger_source, moves_money=False),
    ]
    rate = source("marginal_rate")
    found.append(
        Assumption(
            "marginal tax rate",
            _percent(terms.marginal_rate) if rate != "default" else "not stated: no tax saving",
            rate,
        )
    )
    found += _income_and_deductions(terms, source, "no itemized deduction is worked out")
    miles = f"{terms.miles_per_visit.normalize():f}"
    found.append(Assumption("miles per visit", miles, source("miles")))
    return found


def person_used_line(
    person: PersonFile, used: Sequence[tuple[str, str]], page: bool = False
) -> str:
    """Return the one line naming the person file's values a command used.

    On a ``page`` (a report that is sent on) a file outside the current folder
    is named by its file name alone, never by the folders of this machine.
    """
    shown = person.shown
    if page and Path(shown).is_absolute():
        shown = person.path.name
    values = "; ".join(f"{what} {value}" for what, value in used)
    return f"From your person file ({shown}): {values}"


def ledger_lead(
    person: PersonFile | None, ledger_source: str, assumptions: Sequence[Assumption]
) -> list[str]:
    """Return the lines a status opens with: the person file's values used, the defaults."""
    lead = []
    taken = [f"ledger {person.person.ledger}"] if ledger_source == "person file" and person else []
    taken += [
        f"{SHORT.get(a.what, a.what)} {a.value}"
        for a in assumptions
        if a.source == "person file" and a.what != "ledger"
    ]
    if person is not None and taken:
        lead.append(f"From your person file ({person.shown}): {'; '.join(taken)}")
    return lead + assumed_lines(assumptions)


SHORT = {"scenario standing for you": "scenario"}  # how the person-file line names them


def _overridden(document: Document, *path: str) -> bool:
    return any(key[-len(path) :] == path for key in document.overrides)


def _source(
    document: Document,
    path: tuple[str, str],
    stated: dict[str, Any],
    key: str,
    in_scenario: Collection[str] = (),
) -> str:
    if key in in_scenario:  # the scenario's own value wins over the block, a flag's too
        return "plan"
    if path in document.overrides:
        return "flag"
    return "plan" if key in stated else "default"


def _tax(result: Estimate, settings: Settings) -> list[Assumption]:
    """Return the tax inputs: each stated one with its source, and the defaults used."""
    terms = settings.tax
    if terms is None:
        return []
    if result.tax is not None:  # the terms used: a person file's HSA may have been left out
        terms = result.tax.terms
    said = settings.situation

    def source(name: str) -> str:
        return said.source(name) or "default"

    found = [
        Assumption("marginal tax rate", _percent(terms.marginal_rate), source("marginal_rate"))
    ]
    found += _income_and_deductions(terms, source, "no itemized deduction is subtracted")
    if terms.hsa is not None:
        found.append(Assumption("HSA", terms.hsa, source("hsa")))
        if terms.hsa_catch_up:
            found.append(
                Assumption(
                    "HSA catch-up (55 or older)",
                    "the year's catch-up added to the limit",
                    source("hsa_catch_up"),
                )
            )
        found.append(Assumption("HSA funded", "to the year's limit", "default"))
        if result.plan is None:  # a plan file is checked (see tax.check_hsa and settings)
            found.append(
                Assumption(
                    "HSA-eligible plan",
                    "not checked without a plan file: an HSA needs a high-deductible plan",
                    "default",
                )
            )
    if terms.fsa:
        found.append(Assumption("health FSA", "yes", source("fsa")))
        found.append(Assumption("health FSA funded", "to the year's limit", "default"))
    if terms.miles_per_visit:
        found.append(
            Assumption(
                "miles per visit (round trip, at the IRS medical rate)",
                f"{terms.miles_per_visit.normalize():f}",
                source("miles"),
            )
        )
    return found


def _other(result: Estimate, settings: Settings) -> list[Assumption]:
    """Return the response, personal-cost and savings-program defaults in use."""
    found = []
    said = settings.situation
    if settings.response is not None:
        found.append(
            Assumption(
                "without a response, stop after",
                f"{settings.response.stop_after} series sessions",
                said.source("stop_after") or "default",
            )
        )
    personal = settings.personal
    if personal is not None and personal.hourly_wage and personal.hours_off is None:
        found.append(
            Assumption("hours off work per visit", "session, recovery and travel time", "default")
        )
    if settings.savings is not None:
        from ..engine.savings import LATEST

        for name, what, value in (
            ("savings_cap", "savings program cap per year", settings.savings.annual_cap),
            (
                "savings_floor",
                "least paid per treatment under the program",
                settings.savings.floor,
            ),
        ):
            source = said.source(name) or "default"
            published = f" ({LATEST.year}'s published figure)" if source == "default" else ""
            found.append(Assumption(what, _money(value) + published, source))
        found.append(
            Assumption(
                "program payments and your deductible",
                "counted toward the deductible and out-of-pocket cap as if you paid them; a"
                " plan with a copay accumulator does not count them, and you would pay more",
                "default",
            )
        )
        if _drug_part_unstated(result.clinic):
            from ..model.clinic import DRUG_PART_UNSTATED

            found.append(
                Assumption(
                    "drug's part of an all-in esketamine price",
                    f"{_money(DRUG_PART_UNSTATED)} (the 56 mg list price), or the price if less",
                    "default",
                )
            )
        rebate = settings.savings.observation_rebate_cap
        if rebate is not None:
            found.append(
                Assumption(
                    "observation rebate limit per year",
                    _money(rebate),
                    said.source("observation_rebate_cap") or "flag",
                )
            )
            state = settings.savings.state
            found.append(
                Assumption(
                    "state (the rebate is not valid in every state)",
                    state or "not stated: the rebate is left out, as it may not apply",
                    "person file" if state else "default",
                )
            )
    return found


def _drug_part_unstated(clinic: Clinic) -> bool:
    """Whether an esketamine session's price does not say its drug part (no device_price)."""
    series = clinic.modality == "esketamine" and clinic.series.device_price is None
    return series or any(
        item.kind == "esketamine" and item.device_price is None for item in clinic.maintenance
    )


def _income_and_deductions(
    terms: TaxTerms, source: Callable[[str], str], without_filing: str
) -> list[Assumption]:
    """Return the income, filing status and deduction inputs a tax figure rests on."""
    found = []
    if terms.agi is not None:
        found.append(Assumption("adjusted gross income", _money(terms.agi), source("agi")))
    found.append(
        Assumption(
            "filing status", terms.filing or f"not stated: {without_filing}", source("filing")
        )
    )
    if terms.filing is not None:
        found.append(
            Assumption(
                "other itemized deductions", _money(terms.other_itemized), source("other_itemized")
            )
        )
        if terms.turns_65 is None:
            found.append(
                Assumption(
                    "people 65 or older on the return", str(terms.over_65), source("over_65")
                )
            )
        else:  # a birth date that reaches 65 in a later year of the treatment
            found.append(
                Assumption(
                    "people 65 or older on the return",
                    f"{terms.over_65}, and {terms.over_65 + 1} from {terms.turns_65}",
                    source("turns_65"),
                )
            )
    found.append(
        Assumption("other medical expenses", _money(terms.other_medical), source("other_medical"))
    )
    return found


def _money(value: Any) -> str:
    from ..report.words import money

    return money(value, "USD")


def _percent(value: Any) -> str:
    return f"{(value * 100).normalize():f}%"


def assumed(assumptions: Sequence[Assumption]) -> list[Assumption]:
    """Return the defaults that move money: what the reader did not state."""
    return [a for a in assumptions if a.source == "default" and a.moves_money]


def person_line(settings: Settings, choice: ScenarioChoice | None = None) -> str | None:
    """Return the one line naming the person file's figures that were used, or None."""
    said = settings.situation
    used = list(said.used)
    if choice is not None and choice.source == "person file":
        used.append(("scenario", choice.name))
    if said.person is None or not used:
        return None
    values = "; ".join(f"{what} {value}" for what, value in used)
    return f"From your person file ({said.person.shown}): {values}"


def stated_lines(settings: Settings, choice: ScenarioChoice | None = None) -> list[str]:
    """Return the lines above a report naming what was stated beside the files: the
    person file's figures, and values set over the clinic's file with ``--set``, which
    its source never gave."""
    lines = [line for line in [person_line(settings, choice)] if line]
    if settings.overrides:
        lines.append(
            "Set over the clinic's file with --set (not its source's figures): "
            + "; ".join(settings.overrides)
        )
    return lines


def assumed_lines(assumptions: Sequence[Assumption]) -> list[str]:
    """Return the "Assumed" line for a report's details: every money-moving default."""
    defaults = assumed(assumptions)
    if not defaults:
        return []
    from ..report.document import SUB_ITEM

    return [f"{ASSUMED_TITLE}:", *(f"{SUB_ITEM}{a.line}" for a in defaults)]
