#!/usr/bin/env bash
# make fuzz: builds every fuzz/ target with clang's libFuzzer (+ ASan, UBSan) into build-fuzz/ and
# runs each for FUZZ_SECONDS (default 60), FUZZ_JOBS at a time (default: one per core). Prints,
# per target, executions, coverage (edges), and crashes; exits 1 if any target crashed.
#
# Corpora grow in build-fuzz/corpus/<target>, starting from the repository's own files (scenario
# files, histories) and the codecs' own encodings (stormlog_fuzz_seeds). A crasher lands in
# build-fuzz/crashes/<target>/; once fixed, copy it into fuzz/regressions/<target>/ and ctest
# replays it on every `make test` (label fuzz-regression).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-$(nproc)}
build=${BUILD_FUZZ:-build-fuzz}
only=("$@")  # optional: target names to run (default: all)
case "$seconds" in '' | *[!0-9]*) echo "fuzz: FUZZ_SECONDS must be a whole number of seconds, got '$seconds'" >&2; exit 2 ;; esac
case "$jobs" in '' | 0 | *[!0-9]*) echo "fuzz: FUZZ_JOBS must be a positive whole number, got '$jobs'" >&2; exit 2 ;; esac

scripts/install-deps.sh clang-14 libclang-rt-14-dev
CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSTORMLOG_WERROR=ON -DSTORMLOG_FUZZ=ON >/dev/null
cmake --build "$build" -j "$(nproc)" --target fuzz_targets

# Targets, dictionaries and corpora as fuzz/CMakeLists.txt declares them (the ctest replay uses
# the same lists): one line per target, name|dict|corpus dirs.
declare -A dict corpora
targets=()
while IFS='|' read -r t d dirs; do
  targets+=("$t")
  dict[$t]=$d
  corpora[$t]=$dirs
done <"$build/fuzz-targets.txt"
if [ ${#only[@]} -gt 0 ]; then
  for t in "${only[@]}"; do
    [[ " ${targets[*]} " == *" $t "* ]] || { echo "fuzz: no target named '$t' (targets: ${targets[*]})" >&2; exit 2; }
  done
  targets=("${only[@]}")
fi

"$build/stormlog_fuzz_seeds" "$build/fuzz-seeds" >/dev/null
mkdir -p "$build/logs"

run_target() {
  local t=$1 corpus="$build/corpus/$1" crashes="$build/crashes/$1/"
  # Crashers of an earlier run are kept aside, not counted again.
  if [ -n "$(ls -A "$crashes" 2>/dev/null)" ]; then
    mkdir -p "$build/crashes/$t.earlier" && mv "$crashes"* "$build/crashes/$t.earlier/"
  fi
  mkdir -p "$corpus" "$crashes"
  local seeds=()
  for d in ${corpora[$t]}; do [ -d "$d" ] && seeds+=("$d"); done  # ../shared may be absent
  local flags=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512
               -max_len=4096 -print_final_stats=1 -artifact_prefix="$crashes")
  [[ -n "${dict[$t]:-}" ]] && flags+=(-dict="fuzz/dict/${dict[$t]}.dict")
  # The first directory receives new inputs; the others are only read.
  "$build/fuzz_$t" "${flags[@]}" "$corpus" "${seeds[@]}" >"$build/logs/$t.log" 2>&1 || true
}

echo "fuzz: ${#targets[@]} targets, ${seconds}s each, $jobs at a time (logs in $build/logs)"
running=0
for t in "${targets[@]}"; do
  run_target "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

printf '%-18s %14s %10s %8s %8s  %s\n' target executions exec/s edges crashes artifacts
status=0
for t in "${targets[@]}"; do
  log="$build/logs/$t.log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  edges=$(grep -oE ' cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
  crashes=$(find "$build/crashes/$t" -type f | wc -l)
  # libFuzzer leaves an artifact for every kind of failure: crash-, timeout-, oom-, leak-.
  [ "$crashes" -gt 0 ] && status=1
  printf '%-18s %14s %10s %8s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${edges:-?}" "$crashes" \
    "$( [ "$crashes" -gt 0 ] && echo "$build/crashes/$t/" || echo - )"
done
exit $status
