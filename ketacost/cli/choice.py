"""Which of a plan's scenarios stands for "what I expect": one rule for every command.

Outside a ledger (docs/assumptions.md): ``--scenario``, else the person file's
``scenario``, else the expected value when the scenarios carry probabilities,
else the plan's only scenario, else exit 2 listing the names. For a ledger,
which compares each EOB with one scenario's prediction: ``--scenario``, else
the ledger's ``scenario:``, else the person file's, else the only scenario,
else exit 2 listing them; never the expected value, never a denied scenario
picked for the person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import InputError, Problem

if TYPE_CHECKING:
    from decimal import Decimal

    from ..engine.result import Estimate
    from ..files.ledger import LoadedLedger
    from ..files.person import PersonFile
    from ..files.yaml_source import Document


@dataclass(frozen=True)
class ScenarioChoice:
    """The scenario chosen (its place, or None for the expected value) and who chose it."""

    index: int | None
    name: str
    source: str  # "flag", "ledger", "person file", "plan" or "default"

    @property
    def expected(self) -> bool:
        """Whether the probability-weighted expected value stands for the person."""
        return self.index is None


def response_net(result: Estimate, choice: ScenarioChoice | None) -> Decimal | None:
    """Return, with a response rate, the net of the scenario that stands for you weighed
    over the two branches (the treatment helps, or it does not and stops early); the
    expected value chosen, those nets weighed by the scenarios' probabilities as
    ``Estimate.net`` weighs theirs (the first's without probabilities). None without
    a response rate."""
    odds = result.response
    if odds is None:
        return None
    nets = [s.expected for s in odds.scenarios]
    if choice is not None and choice.index is not None:
        return nets[choice.index]
    return nets[0] if odds.expected_net is None else odds.expected_net


def chosen_net(result: Estimate, choice: ScenarioChoice | None) -> Decimal:
    """Return the net of the scenario that stands for you: the chosen one's, else (the
    expected value chosen, or nothing to choose) ``Estimate.net``, the expected net."""
    if choice is None or choice.index is None:
        return result.net
    return result.scenarios[choice.index].net


@dataclass(frozen=True)
class Named:
    """A scenario name someone gave, and where: for the error when the plan lacks it."""

    name: str
    source: str  # "flag", "ledger" or "person file"
    document: Document | None = None  # the file that names it, to point at its line

    def problem(self, names: Sequence[str], plan: str) -> Problem:
        listed = ", ".join(repr(n) for n in names)
        message = f"the plan {plan} has no scenario {self.name!r}"
        hint = f"use one of {listed}"
        if self.document is None:
            return Problem(f"--scenario {self.name}", message, hint=hint)
        return self.document.problem(("scenario",), message, hint)


def same_name(a: str, b: str) -> bool:
    """Whether two names are the same regardless of case and repeated spaces."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def choose_scenario(
    names: Sequence[str],
    *,
    weighted: bool,
    plan: str,
    given: Sequence[Named] = (),
    ledger: bool = False,
    why: str | None = None,
) -> ScenarioChoice:
    """Return the scenario that stands for the person among ``names`` (the plan's, in order).

    ``given`` holds the names stated, most binding first (flag, ledger, person
    file); ``weighted`` says the scenarios carry probabilities; ``ledger``
    applies the ledger rule (never the expected value). ``plan`` names the plan
    file in errors. A name the plan lacks is exit 2 naming both; several
    scenarios and nothing to choose by is exit 2 listing them.
    """
    for named in given:
        for index, name in enumerate(names):
            if same_name(name, named.name):
                return ScenarioChoice(index, name, named.source)
        if named.source == "person file" and len(names) == 1:
            continue  # a plan with one scenario has nothing to choose: the file serves every plan
        raise InputError([named.problem(names, plan)])
    if weighted and not ledger:
        return ScenarioChoice(None, "expected value", "default")
    if len(names) == 1:
        return ScenarioChoice(0, names[0], "plan" if names[0] != "Self-pay" else "default")
    listed = ", ".join(repr(n) for n in names)
    if why is None:
        why = (
            "a ledger compares each EOB with one scenario's prediction"
            if ledger
            else "the scenarios carry no probabilities, so there is no expected value"
        )
    where = "the ledger or your person file" if ledger else "your person file"
    raise InputError.single(
        "--scenario",
        f"the plan {plan} has {len(names)} scenarios and none is named as yours ({why})",
        f"name one with --scenario NAME ({listed}), or `scenario:` in {where}",
    )


def ledger_choice(
    loaded: LoadedLedger, flag: str | None, person: PersonFile | None
) -> ScenarioChoice | None:
    """Return the scenario a ledger's EOBs are compared with (None without a plan).

    ``--scenario``, else the ledger's ``scenario:``, else the person file's, else
    the plan's only scenario; with several and none named, exit 2 listing them.
    """
    if loaded.plan is None:
        return None
    names = [terms.name for terms in loaded.plan.terms(None)]
    given = [] if flag is None else [Named(flag, "flag")]
    if loaded.ledger.scenario is not None:
        given.append(Named(loaded.ledger.scenario, "ledger", loaded.document))
    if person is not None and person.person.scenario is not None:
        given.append(Named(person.person.scenario, "person file", person.document))
    plan = str(loaded.plan_file) if loaded.plan_file is not None else loaded.plan.name
    return choose_scenario(names, weighted=False, plan=plan, given=given, ledger=True)
