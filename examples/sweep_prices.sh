#!/bin/sh
# Sweep a clinic's later-session price through the ketacost command line.
#
# Prints CSV lines "price,net" (header first): for each later-session price,
# the expected net cost under the plan's scenarios (the first scenario's net
# when the plan gives no probabilities).
#
# Usage, from any directory:
#   sh examples/sweep_prices.sh [CLINIC [PLAN]]
#
#   CLINIC     clinic YAML or bundled name (default: clinics/westside.yaml next to this script)
#   PLAN       plan YAML (default: plans/acme-ppo.yaml next to this script)
#   PRICES     environment: the prices to try (default "450 500 550 600")
#   START      environment: first day of treatment (default 2027-01-04)
#   KETACOST   environment: the ketacost command (default: ketacost on PATH)
#
# The clinic's series must be priced with first_price/later_price (a flat
# `price:` has no later price to override; ketacost says so and exits 2).
# Needs jq.
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
clinic=${1:-"$here/clinics/westside.yaml"}
plan=${2:-"$here/plans/acme-ppo.yaml"}
prices=${PRICES:-450 500 550 600}
start=${START:-2027-01-04}
ketacost=${KETACOST:-ketacost}

echo "price,net"
for p in $prices; do
    # Capture first: a failing ketacost stops the script (set -e), instead of
    # being hidden behind jq at the end of a pipe.
    json=$("$ketacost" estimate "$clinic" --plan "$plan" \
        --set "series.later_price=$p" --format json --start "$start")
    printf '%s\n' "$json" | jq -r --arg p "$p" '"\($p),\(.expected_net // .scenarios[0].net)"'
done
