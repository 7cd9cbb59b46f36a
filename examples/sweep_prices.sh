#!/bin/sh
# Sweep a clinic's later-session price with one `ketacost sweep` run.
#
# Prints CSV lines "price,net" (header first): for each later-session price,
# the expected net cost under the plan's scenarios (the first scenario's net
# when the plan gives no probabilities). The best price is named on stderr.
#
# Usage, from any directory:
#   sh examples/sweep_prices.sh [CLINIC [PLAN]]
#
#   CLINIC     clinic YAML or bundled name (default: clinics/westside.yaml next to this script)
#   PLAN       plan YAML (default: plans/acme-ppo.yaml next to this script)
#   PRICES     environment: the prices to try (default "450 500 550 600"), or a
#              range such as "400..700:50"
#   START      environment: first day of treatment (default 2027-01-04)
#   KETACOST   environment: the ketacost command (default: ketacost on PATH)
#
# The clinic's series must be priced with first_price/later_price (a flat
# `price:` has no later price to vary; ketacost says so and exits 2). Every
# price is checked before any is computed: one bad price prints nothing.
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
clinic=${1:-"$here/clinics/westside.yaml"}
plan=${2:-"$here/plans/acme-ppo.yaml"}
prices=$(printf '%s' "${PRICES:-450 500 550 600}" | tr -s ' ' ',')
start=${START:-2027-01-04}
ketacost=${KETACOST:-ketacost}

# Capture first: a failing ketacost stops the script (set -e) before any line is printed.
rows=$("$ketacost" sweep "$clinic" --plan "$plan" --start "$start" \
    --vary "series.later_price=$prices" --format csv)
# Columns: series.later_price, net, expected_net, total, peak_outlay, reimbursed.
printf '%s\n' "$rows" | awk -F, 'NR == 1 { print "price,net"; next }
    { print $1 "," ($3 != "" ? $3 : $2) }'
