#!/usr/bin/env bash
# The main job, for now: a few seeds of the built-in kernel scenario, each ending with its RESULT
# line, then a one-line summary. Usage: scripts/demo.sh [BUILD_DIR]
set -u
build=${1:-build}
bin="$build/stormlog"
runs=0 failed=0
for seed in 1 2 3 4 5; do
  echo "== stormlog run kernel-smoke --seed $seed"
  "$bin" run kernel-smoke --seed "$seed"
  code=$?
  runs=$((runs + 1))
  [ "$code" -eq 0 ] || failed=$((failed + 1))
  echo
done
echo "DEMO runs=$runs passed=$((runs - failed)) failed=$failed"
[ "$failed" -eq 0 ]
