"""Budget projection: sweep a clinic's later-session price and the plan's allowed share.

Writes a CSV for a budget spreadsheet, one row per combination of

- the price of every later series session (default 450, 500, 550, 600), and
- the plan's out-of-network ``allowed`` share of the billed amount (default 50%, 70%, 90%),

with the columns ``later_price, allowed, total, expected_net, peak_outlay``:

- ``total``: everything the clinic charges over the horizon;
- ``expected_net``: the probability-weighted net cost when the plan's scenarios
  have probabilities, else the first scenario's net cost;
- ``peak_outlay``: the most you are out at once, in the worst scenario.

Money stays ``Decimal`` throughout and is written with two places. Only the
public API is used: ``ketacost.load_clinic``, ``ketacost.load_plan`` and
``ketacost.sweep``, which checks every point of the grid first and then
computes the rows one by one in this process.

Run it from anywhere (the defaults are found next to this script)::

    python examples/budget_projection.py                      # westside.yaml + acme-ppo.yaml, CSV on stdout
    python examples/budget_projection.py -o budget.csv --start 2027-01-04
    python examples/budget_projection.py my-clinic.yaml my-plan.yaml --months 24
    python examples/budget_projection.py los-angeles-iv --prices 400,500 --allowed 60%,80%

A clinic with one flat ``price`` is swept as "the first session at its price,
every later one at the swept price". A plan scenario that sets its own
``allowed`` (such as the example's "Generous") keeps it: only the plan-level
``out_of_network.allowed`` is swept.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import TextIO

import ketacost

HERE = Path(__file__).resolve().parent
DEFAULT_CLINIC = HERE / "clinics" / "westside.yaml"
DEFAULT_PLAN = HERE / "plans" / "acme-ppo.yaml"
DEFAULT_PRICES = "450,500,550,600"
DEFAULT_ALLOWED = "50%,70%,90%"
COLUMNS = ["later_price", "allowed", "total", "expected_net", "peak_outlay"]
CENT = Decimal("0.01")


def two_places(amount: Decimal) -> str:
    """Return ``amount`` as text with two decimal places (half-up), e.g. ``"9800.00"``."""
    return str(amount.quantize(CENT, rounding=ROUND_HALF_UP))


def parse_prices(text: str) -> list[Decimal]:
    """Return the comma-separated prices as Decimals: non-negative, at most two decimals."""
    prices = []
    for part in text.split(","):
        try:
            price = Decimal(part.strip())
        except InvalidOperation:
            raise argparse.ArgumentTypeError(f"not a price: {part.strip()!r}") from None
        if not price.is_finite() or price < 0 or price != price.quantize(CENT):
            raise argparse.ArgumentTypeError(
                f"not a price: {part.strip()!r} (use amounts such as 450 or 499.99)"
            )
        prices.append(price)
    return prices


def parse_shares(text: str) -> list[str]:
    """Return the comma-separated allowed shares, each written with its % sign."""
    shares = [part.strip() for part in text.split(",")]
    for share in shares:
        if not share.endswith("%"):
            raise argparse.ArgumentTypeError(f"write the allowed share with a % sign: {share!r}")
    return shares


def with_later_price_field(clinic: ketacost.Clinic) -> ketacost.Clinic:
    """Return ``clinic`` priced by first and later price, so the later price can be swept.

    A flat ``price`` becomes the first session's price (and, until swept, the later one's).
    """
    series = clinic.series
    if series.price is None:
        return clinic
    data = clinic.model_dump(mode="json", exclude_unset=True)
    flat = dict(data["series"])
    flat["first_price"] = flat.pop("price")  # the first session keeps the flat price
    data["series"] = flat
    return ketacost.Clinic.model_validate(data)


def projection_rows(
    clinic: ketacost.Clinic,
    plan: ketacost.Plan,
    prices: Sequence[Decimal],
    shares: Sequence[str],
    start: dt.date,
    months: int,
) -> list[dict[str, str]]:
    """Return one CSV row per (later price, allowed share), prices in the outer loop."""
    grid = ketacost.sweep(
        with_later_price_field(clinic),
        plan,
        vary={"series.later_price": list(prices), "plan.out_of_network.allowed": list(shares)},
        start=start,
        months=months,
    )
    return [
        {
            "later_price": two_places(row.values[0]),
            "allowed": row.values[1],
            "total": two_places(row.total),
            "expected_net": two_places(
                row.expected_net if row.expected_net is not None else row.net
            ),
            "peak_outlay": two_places(row.peak_outlay),  # the worst scenario's
        }
        for row in grid
    ]


def write_csv(rows: Sequence[dict[str, str]], stream: TextIO) -> None:
    """Write the header and ``rows`` as CSV to ``stream``."""
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Sweep a clinic's later-session price and a plan's allowed share into a CSV."
    )
    parser.add_argument(
        "clinic",
        nargs="?",
        default=str(DEFAULT_CLINIC),
        help="clinic YAML or bundled name (default: examples/clinics/westside.yaml)",
    )
    parser.add_argument(
        "plan",
        nargs="?",
        default=str(DEFAULT_PLAN),
        help="plan YAML (default: examples/plans/acme-ppo.yaml)",
    )
    parser.add_argument("-o", "--output", help="CSV file to write (default: stdout)")
    parser.add_argument(
        "--start",
        type=dt.date.fromisoformat,
        default=None,
        help="first day of treatment, YYYY-MM-DD (default: today)",
    )
    parser.add_argument("--months", type=int, default=12, help="horizon in months (default 12)")
    parser.add_argument(
        "--prices",
        type=parse_prices,
        default=parse_prices(DEFAULT_PRICES),
        help=f"later-session prices, comma-separated (default {DEFAULT_PRICES})",
    )
    parser.add_argument(
        "--allowed",
        type=parse_shares,
        default=parse_shares(DEFAULT_ALLOWED),
        help=f"allowed shares of the billed amount (default {DEFAULT_ALLOWED})",
    )
    args = parser.parse_args(argv)
    start = args.start or dt.date.today()
    try:
        clinic = ketacost.load_clinic(args.clinic)
        plan = ketacost.load_plan(args.plan)
        rows = projection_rows(clinic, plan, args.prices, args.allowed, start, args.months)
    except (ketacost.InputError, ValueError) as error:  # pydantic's ValidationError is a ValueError
        print(f"budget_projection: {error}", file=sys.stderr)
        return 2
    if args.output is None:
        write_csv(rows, sys.stdout)
    else:
        with open(args.output, "w", encoding="utf-8", newline="") as stream:
            write_csv(rows, stream)
    return 0


if __name__ == "__main__":
    sys.exit(main())
