"""Where a treatment stands on a date: the ledger against the estimate and the plan.

The estimate and the rest of the treatment both come from the scenario kernel
(docs/architecture.md); the records it returns and their JSON form are in status_data.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from ..model.clinic import Clinic
from ..model.ledger import Bill, ClaimFiled, Eob, ExtraCharge, Ledger, Received, Visit
from ..model.plan import Plan, Terms
from ..money import ZERO
from . import scenario as kernel
from .claim_status import ClaimStatus, claim_warnings, follow_claims
from .claims import Claim, plan_terms, plan_year_start
from .estimate import estimate, met_for
from .ledger import match
from .schedule import Charge
from .status_data import Counters, Figures, GoodFaithCheck, LedgerStatus

__all__ = ["Counters", "Figures", "GoodFaithCheck", "LedgerStatus", "ledger_status"]

GFE_MARGIN = Decimal(400)  # a bill this far over the Good Faith Estimate may be disputed
GFE_WINDOW_DAYS = 120  # days from the bill to start the patient-provider dispute process


def ledger_status(
    ledger: Ledger,
    clinic: Clinic,
    plan: Plan | None,
    as_of: dt.date,
    *,
    clinic_file: str | None = None,
    expected: str | None = None,
    reference_clinic: bool = False,
) -> LedgerStatus:
    """Return where the treatment in ``ledger`` stands on ``as_of`` (docs/ledger-format.md), against
    the scenario named ``expected`` (default: the ledger's own). ``reference_clinic``: the
    clinic is a bundled reference profile, not the patient's own clinic's file."""
    plan = met_for(plan, ledger.start)  # counters read in an earlier plan year: reset
    planned = estimate(
        clinic, plan, start=ledger.start, months=ledger.months, clinic_file=clinic_file
    )
    index = scenario_index(ledger, plan, expected)
    scenario = planned.scenarios[index]
    terms = plan_terms(clinic, plan)[index]
    in_network = clinic_files(clinic, terms)
    matching = match(ledger, planned.events, as_of)
    entries = ledger.dated(as_of)
    paid = sum((e.paid for _, e in entries if isinstance(e, Visit)), ZERO)
    paid += sum((e.amount for _, e in entries if isinstance(e, ExtraCharge)), ZERO)
    received = sum((e.received for _, e in entries if isinstance(e, Received)), ZERO)
    claims: list[ClaimStatus] = []
    counters: dict[dt.date, tuple[Decimal, Decimal]] = {}
    if terms is not None:
        first_year = plan_year_start(ledger.start, terms.plan_year_starts)
        # what was met toward the deductible has filled the cap as much (claims._opening)
        met = max(terms.met_out_of_pocket, terms.met_deductible)
        counters[first_year] = (terms.met_deductible, met)
    if plan is not None and terms is not None and terms.claimable and clinic.billing.files_claims:
        claims, counters = follow_claims(
            ledger, plan, terms, entries, matching.charges, as_of, in_network
        )
    rest_from = as_of + dt.timedelta(days=1)
    # Visits due before the as-of date but not logged keep their own dates and plan years.
    rest = [c for c in matching.unlogged if c.date < planned.end]
    rest_figures = _rest(rest, terms, counters, planned.end)
    back = sum((c.expected_back for c in claims), ZERO)
    owed = sum((c.owed_to_clinic for c in claims), ZERO)
    return LedgerStatus(
        as_of=as_of,
        ledger=ledger,
        estimate=planned,
        scenario=scenario,
        terms=terms,
        so_far=Figures(paid, received),
        expected_by_now=Figures(
            _patient_pays([e for e in planned.events if e.date <= as_of], scenario.claims),
            sum((c.reimbursed for c in scenario.claims if c.reimbursed_on <= as_of), ZERO),
        ),
        claims=tuple(claims),
        counters=None if terms is None else _counters(ledger, terms, claims, as_of),
        rest_from=rest_from,
        rest=rest_figures,
        rest_charges=len(rest),
        total_expected=Figures(
            paid + owed + rest_figures.paid, received + back + rest_figures.reimbursed
        ),
        not_logged=tuple(c for c in rest if c.date <= as_of),
        unmatched=tuple(
            e.visit for i, e in entries if isinstance(e, Visit) and i not in matching.charges
        ),
        good_faith=_good_faith(
            ledger,
            entries,
            as_of,
            _not_self_pay(entries, terms, in_network),
            terms is not None and terms.claimable and clinic.billing.files_claims,
        ),
        in_network=in_network,
        later=tuple(sorted(e.date for e in ledger.entries if e.date > as_of)),
        warnings=claim_warnings(claims, clinic.currency, in_network)
        + _late_filings(claims, plan, in_network),
        reference_clinic=reference_clinic,
    )


def _late_filings(
    claims: Sequence[ClaimStatus], plan: Plan | None, in_network: bool
) -> tuple[str, ...]:
    """Say which claims were filed after the window counted from their visit: a plan may
    deny such a claim for timely filing, so its money is not to be counted on."""
    if plan is None or in_network:
        return ()
    days = plan.claims.filing_deadline_days
    stated = "filing_deadline_days" in plan.claims.model_fields_set
    window = f"{days} days" + ("" if stated else ", assumed: the plan states none")
    late = tuple(
        f"{claim.label} was filed on {claim.filed}, {(claim.filed - claim.visit_date).days}"
        f" days after the visit, past the plan's filing window ({window}): the plan may deny"
        " it for timely filing, so its money is not counted on; ask the plan, and keep proof"
        " of why it is late"
        for claim in claims
        if claim.filed is not None
        and (claim.filed - claim.visit_date).days > days
        # once the plan pays, or money came, it was not denied for it
        and not (claim.received > 0 or (claim.check and claim.check.eob.plan_pays > 0))
    )
    unfiled = tuple(
        f"{claim.label} was not filed within the plan's filing window ({window}, to"
        f" {claim.filing_deadline}): the plan may deny it for timely filing, so its money is"
        " not counted on; file it now, ask the plan, and keep proof of why it is late"
        for claim in claims
        if claim.filed is None and claim.days_left is not None and claim.days_left < 0
    )
    return late + unfiled


def scenario_index(ledger: Ledger, plan: Plan | None, scenario: str | None = None) -> int:
    """Return the position of ``scenario`` (else the ledger's) among the plan's, matched
    regardless of case and repeated spaces (the first when neither is named)."""
    wanted = scenario or ledger.scenario
    if plan is None or wanted is None:
        return 0
    names = [" ".join(terms.name.split()).casefold() for terms in plan.terms(None)]
    key = " ".join(wanted.split()).casefold()
    if key not in names:
        raise KeyError(wanted)
    return names.index(key)


def _counters(
    ledger: Ledger, terms: Terms, claims: Sequence[ClaimStatus], as_of: dt.date
) -> Counters:
    year = plan_year_start(as_of, terms.plan_year_starts)
    first = plan_year_start(ledger.start, terms.plan_year_starts) == year
    deductible = terms.met_deductible if first else ZERO
    # what was met toward the deductible has filled the cap as much (claims._opening)
    out_of_pocket = max(terms.met_out_of_pocket, terms.met_deductible) if first else ZERO
    seen = 0
    for claim in claims:
        check = claim.check
        if check is None or plan_year_start(claim.visit_date, terms.plan_year_starts) != year:
            continue
        seen += 1
        deductible += check.eob.deductible
        out_of_pocket += check.eob.patient_share
    return Counters(
        year, terms.deductible, deductible, terms.out_of_pocket_max, out_of_pocket, seen
    )


def _patient_pays(charges: Sequence[Charge], claims: Sequence[Claim]) -> Decimal:
    """Return what the patient pays for ``charges``: a claim's payment (in network, the
    share), else the price."""
    by_charge = {id(claim.charge): claim.paid for claim in claims}
    return sum((by_charge.get(id(charge), charge.amount) for charge in charges), ZERO)


def _rest(
    rest: Sequence[Charge],
    terms: Terms | None,
    counters: dict[dt.date, tuple[Decimal, Decimal]],
    end: dt.date,
) -> Figures:
    """Return the rest of the treatment re-estimated, each plan year from its own counters.

    The charges keep their dates: each plan year's charges are adjudicated with
    what the EOBs show met in that year as already met (nothing, for a year
    without EOBs), through the same kernel as the estimate.
    """
    if not rest:
        return Figures(ZERO, ZERO)
    rest = sorted(rest, key=lambda c: c.date)
    if terms is None:
        return Figures(
            kernel.scenario(None, kernel.timeline_of(rest, rest[0].date, end)).paid, ZERO
        )
    by_year: dict[dt.date, list[Charge]] = {}
    for charge in rest:
        by_year.setdefault(plan_year_start(charge.date, terms.plan_year_starts), []).append(charge)
    paid = reimbursed = ZERO
    for year, charges in by_year.items():
        met_deductible, met_oop = counters.get(year, (ZERO, ZERO))
        own = terms._replace(met_deductible=met_deductible, met_out_of_pocket=met_oop)
        result = kernel.scenario(own, kernel.timeline_of(charges, charges[0].date, end))
        paid += result.paid
        reimbursed += result.reimbursed
    return Figures(paid, reimbursed)


def clinic_files(clinic: Clinic, terms: Terms | None) -> bool:
    """Whether the clinic sends the plan the claims, so the plan pays the clinic and the
    patient owes it a share: in network, or a Medicare-enrolled clinic out of a Medicare
    Advantage plan's network (``Terms.in_network``); without a plan, the clinic's network."""
    return clinic.billing.network == "in-network" if terms is None else terms.in_network


def _not_self_pay(
    entries: Sequence[tuple[int, object]], terms: Terms | None, in_network: bool
) -> str | None:
    """Return why the patient is neither uninsured nor self-pay for this treatment, or None.

    A patient with a plan is self-pay while no claim for the care goes to the plan
    (45 CFR 149.610, docs/deadlines.md): never in network, where the clinic sends
    the claims, and no longer once a claim or an EOB is logged.
    """
    if terms is None:
        return None
    if in_network and terms.network == "in-network":
        return "the clinic is in network for your plan and sends it the claims"
    if in_network:
        return "the clinic sends your plan the claims (it is enrolled in Medicare)"
    for _, entry in entries:
        if isinstance(entry, ClaimFiled | Eob):
            return (
                f"you sent claims for this treatment to your plan (the first on {entry.date}),"
                " and a patient with a plan is self-pay only while sending it none"
            )
    return None


def _good_faith(
    ledger: Ledger,
    entries: Sequence[tuple[int, object]],
    as_of: dt.date,
    not_open: str | None,
    plan_takes_claims: bool,
) -> GoodFaithCheck | None:
    """Return the charges against the Good Faith Estimate (docs/deadlines.md).

    The 120 days run from the first bill that puts the total charged $400 or more
    over the estimate (a bill states the total charged so far); without such a
    bill, from the visit or charge that did. ``not_open``: why the dispute is not
    the patient's to start (see _not_self_pay); ``plan_takes_claims``: a plan could
    be sent claims for the treatment, so the patient is self-pay only while none is.
    """
    gfe = ledger.good_faith_estimate
    if gfe is None:
        return None
    charged = ZERO
    crossed = billed_over = None
    billed = ZERO
    for _, entry in entries:
        if isinstance(entry, Bill):
            billed = entry.bill
            if billed_over is None and billed >= gfe.total + GFE_MARGIN:
                billed_over = entry.date
            continue
        if not isinstance(entry, (Visit, ExtraCharge)):
            continue
        charged += entry.charged
        if crossed is None and charged >= gfe.total + GFE_MARGIN:
            crossed = entry.date
    charged = max(charged, billed)
    start = crossed if billed_over is None else billed_over
    window = None if start is None else start + dt.timedelta(days=GFE_WINDOW_DAYS)
    return GoodFaithCheck(
        gfe.date,
        gfe.total,
        charged,
        charged - gfe.total,
        start,
        window,
        None if window is None else (window - as_of).days,
        billed_over is not None,
        not_open,
        plan_takes_claims and not_open is None,
    )
