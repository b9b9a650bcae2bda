#!/usr/bin/env bash
# The main job: one event-store scenario run end to end (its summary and RESULT line), then a
# suite of every built-in scenario under a few seeds, ending with the SUITE line.
# Usage: scripts/demo.sh [BUILD_DIR]
set -eu
build=${1:-build}
bin="$build/stormlog"
here=$(cd "$(dirname "$0")/.." && pwd)
echo "== stormlog run leader-crash --seed 1"
"$bin" run leader-crash --seed 1
echo
echo "== stormlog suite scenarios/ --seeds 1..5 --jobs 2"
"$bin" suite "$here/scenarios" --seeds 1..5 --jobs 2
