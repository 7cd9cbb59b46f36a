"""The plan a clinic is estimated with: what-if flags in the network in effect, and checks.

What-if terms flags (``--deductible``, ``--copay``, ...) fill the terms block of
the network in effect: the clinic's ``billing.network``, or ``--network``. As
that can differ from clinic to clinic (``compare``), the plan is read once per
network, the first time a clinic needs it, and the same plan serves the rest.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:
    from ..engine.savings import SavingsTerms
    from ..files.yaml_source import Document
    from ..model.clinic import Clinic
    from ..model.plan import Plan


@dataclass(frozen=True)
class PlanInput:
    """The plan file and the what-if flags over it, resolved per clinic (its network)."""

    path: Path | None
    flags: tuple[tuple[str, str, str | None], ...]  # (key in the terms block, flag, value)
    network: str | None  # --network: "in-network" or "out-of-network"
    # the plan read for each network, so a comparison of many clinics reads the file once
    _read: dict[str, tuple[Plan, Document]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def read(self, network: str) -> tuple[Plan, Document]:
        """Return the plan with the what-if flags set in ``network``'s terms block."""
        read = self._read.get(network)
        if read is None:
            read = self._read[network] = self._read_file(network)
        return read

    def _read_file(self, network: str) -> tuple[Plan, Document]:
        from ..files.load import read_document, read_plan

        block = "in_network" if network == "in-network" else "out_of_network"
        per_network = read_on = False
        if self.path is not None and any(
            key.startswith("already_met.") for key, _, _ in self.flags
        ):
            met = read_document(self.path).data
            met = met.get("already_met") if isinstance(met, dict) else None
            per_network = isinstance(met, dict) and bool(
                {"in_network", "out_of_network"} & met.keys()
            )
            read_on = isinstance(met, dict) and met.get("as_of") is not None
        what_if = []
        for key, flag, value in self.flags:
            if value is None:
                continue
            if key.startswith("already_met.") and per_network:
                key = key.replace("already_met.", f"already_met.{block}.", 1)
            elif "." not in key:
                key = f"{block}.{key}"
            what_if.append((key, value, flag if value == "true" else f"{flag} {value}"))
        given = {
            key.rpartition(".")[2]: o for key, _, o in what_if if key.startswith("already_met.")
        }
        if given and read_on:
            # The file's counters were read on its as_of; the flags say what is met for the
            # start. One reading replaces the other whole: a counter no flag gives is 0.
            origin = next(iter(given.values()))
            what_if.append(("already_met.as_of", "null", origin))
            prefix = f"already_met.{block}." if per_network else "already_met."
            for counter in ("deductible", "out_of_pocket"):
                if counter not in given:
                    what_if.append((prefix + counter, "0", origin))
        return read_plan(self.path, what_if)


NETWORKS = {
    "in": "in-network",
    "in-network": "in-network",
    "out": "out-of-network",
    "out-of-network": "out-of-network",
}


def network_option(text: str | None) -> str | None:
    """Return the network ``--network`` names, or None when not given."""
    if text is None:
        return None
    network = NETWORKS.get(text.strip().lower())
    if network is None:
        raise InputError.single(
            f"--network {text}",
            f"unknown network {text!r}",
            "use --network in (the plan pays the clinic) or --network out (superbill)",
        )
    return network


def plan_from_options(
    plan: Path | None,
    deductible: str | None,
    coinsurance: str | None,
    allowed: str | None,
    oop_max: str | None,
    paid_after_days: str | None,
    *,
    copay: str | None = None,
    copay_only: bool | None = None,
    network: str | None = None,
    met_deductible: str | None = None,
    met_oop: str | None = None,
) -> PlanInput | None:
    """Return the plan file with what-if flags over it, an ad-hoc plan, or None.

    The plan is read once here so that a bad flag or file is reported before
    any work is done; ``PlanInput.read`` reads it again for each clinic.
    """
    chosen = network_option(network)
    flags: tuple[tuple[str, str, str | None], ...] = (
        ("deductible", "--deductible", deductible),
        ("copay", "--copay", copay),
        ("copay_only", "--copay-only", "true" if copay_only else None),
        ("coinsurance", "--coinsurance", coinsurance),
        ("allowed", "--allowed", allowed),
        ("out_of_pocket_max", "--oop-max", oop_max),
        ("already_met.deductible", "--met-deductible", met_deductible),
        ("already_met.out_of_pocket", "--met-oop", met_oop),
        ("claims.paid_after_days", "--paid-after-days", paid_after_days),
    )
    given = tuple(f for f in flags if f[2] is not None)
    if plan is None and not given:
        return PlanInput(None, (), chosen) if chosen is not None else None
    read = PlanInput(plan, given, chosen)
    read.read(chosen or "out-of-network")
    return read


def coverage_for(
    clinic: Clinic,
    document: Document,
    plan: PlanInput | None,
    savings: SavingsTerms | None,
    varied: Collection[str] = (),
) -> tuple[Clinic, Plan | None]:
    """Return the clinic (in the network ``--network`` asks for) and its plan, both checked.

    Raises ``InputError`` naming both files when the plan lacks the terms of the
    clinic's network or uses another currency, naming the plan's block when it
    leaves out a term that must be stated (a sweep's ``varied`` terms, named
    ``block:term`` or ``:term`` for the network in effect, count as stated), and
    naming ``--savings-program`` when the program cannot apply.
    """
    from ..files.load import check_currencies, check_network

    insurance = None
    if plan is not None and plan.network is not None:
        billing = clinic.billing.model_copy(update={"network": plan.network})
        clinic = clinic.model_copy(update={"billing": billing})
    if plan is not None and (plan.path is not None or plan.flags):
        insurance, plan_document = plan.read(clinic.billing.network)
        check_currencies(clinic, document, insurance, plan_document)
        chosen_by = None if plan.network is None else f"--network {plan.network.split('-')[0]}"
        block = "in_network" if clinic.billing.network == "in-network" else "out_of_network"
        stated = (
            [n.rpartition(":")[2] for n in varied if n.rpartition(":")[0] in ("", block)]
            if plan.path is not None
            else None  # a plan of flags alone: its own rule asked for the terms
        )
        check_network(clinic, document, insurance, plan_document, chosen_by, stated)
    if savings is not None:
        from ..engine.savings import savings_problem  # loads the plan model: only when asked

        problem = savings_problem(clinic, insurance)
        if problem is not None:
            raise InputError.single("--savings-program", *problem)
        unstated = insurance is not None and "coverage" not in insurance.model_fields_set
        if insurance is not None and unstated and "plan.coverage" not in varied:
            # coverage decides who may use the program: its default (commercial) is the
            # one answer that lets it pay, so it must be stated, in the file or by a
            # sweep's varied key (docs/assumptions.md)
            raise InputError(
                [
                    plan_document.problem(
                        ("coverage",),
                        "the savings program is for commercial insurance only, and the plan"
                        f" {insurance.name!r} does not say its coverage",
                        (
                            "add `coverage: commercial`"
                            if plan is not None and plan.path is not None
                            else "give a plan file (--plan FILE) with `coverage: commercial`"
                        )
                        + " if it is an employer or individual plan (Medicare, Medicaid,"
                        " TRICARE and other government plans cannot use the program: leave"
                        " --savings-program out)",
                    )
                ]
            )
    return clinic, insurance


def unpriced(clinic: Clinic, plan: PlanInput | None) -> str | None:
    """Return why ``plan`` cannot price ``clinic`` (no terms for its network), or None.

    ``compare`` asks this of a clinic it found in a folder or the catalog, to
    leave that clinic out with a line instead of stopping the whole comparison.
    """
    if plan is None or (plan.path is None and not plan.flags):
        return None
    network = plan.network or clinic.billing.network
    billing = clinic.billing.model_copy(update={"network": network})
    if not billing.files_claims:
        return None
    read = plan.read(network)[0]
    block = "in_network" if network == "in-network" else "out_of_network"
    if read.missing_terms(network, medicare=clinic.billing.medicare) is not None:
        return f"it bills {network} and the plan has no {block} terms (add them to compare it)"
    if plan.path is None:  # a plan of flags alone: its own rule asked for the terms
        return None
    unstated = read.unstated_terms(network, clinic.billing.medicare)
    if unstated:
        return (
            f"it bills {network} and the plan's {block} terms leave out"
            f" {' and '.join(unstated)} (state them to compare it)"
        )
    return None
