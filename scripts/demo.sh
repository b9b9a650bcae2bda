#!/usr/bin/env bash
# The main job: the ledger system under a random nemesis (its summary: faults, breaker trips,
# parked events, lag, alerts, acked writes lost), the event store through leader crashes, then a
# suite of every built-in scenario - the ledger's among them - under a few seeds, ending with the
# SUITE line. It leaves the reports under out/: the suite's (out/index.html) and the ledger run's
# (out/ledger-nemesis-seed-1/report.html), and prints the path to open.
# Usage: scripts/demo.sh [BUILD_DIR]
set -eu
build=${1:-build}
bin="$build/stormlog"
here=$(cd "$(dirname "$0")/.." && pwd)
echo "== stormlog run ledger-nemesis --seed 1"
"$bin" run ledger-nemesis --seed 1
echo
echo "== stormlog run leader-crash --seed 1"
"$bin" run leader-crash --seed 1
echo
echo "== stormlog suite scenarios/builtin --seeds 1..5 --jobs 2 --report out --force"
"$bin" suite "$here/scenarios/builtin" --seeds 1..5 --jobs 2 --report "$here/out" --force
echo
echo "== stormlog run ledger-nemesis --seed 1 --report out/ledger-nemesis-seed-1"
"$bin" run ledger-nemesis --seed 1 --report "$here/out/ledger-nemesis-seed-1" | grep -E '^(RESULT|report:)'
echo
echo "Open the suite's report: $here/out/index.html"
echo "and the ledger run's:    $here/out/ledger-nemesis-seed-1/report.html"
