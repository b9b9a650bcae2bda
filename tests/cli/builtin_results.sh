#!/usr/bin/env bash
# builtin_results.sh STORMLOG BUILTIN_DIR RECORDED [--update]
# Every built-in scenario under seeds 1..5 passes and ends exactly as RECORDED says: verdict,
# trace hash, simulated time and event count (wall time left out). Speed work must leave every
# run as it was - a faster simulator that runs a different simulation has lost its seeds' meaning.
# A change that alters runs on purpose rewrites RECORDED with --update and says in its commit which
# scenarios changed and why.
set -euo pipefail
bin=$1 dir=$2 recorded=$3 update=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAILED: $*"; exit 1; }

rc=0
"$bin" suite "$dir" --seeds 1..5 --jobs 2 --verbose >"$tmp/out" 2>"$tmp/err" || rc=$?
grep '^RESULT ' "$tmp/out" | sed 's/ wall=[^ ]*//' | LC_ALL=C sort >"$tmp/results" || true
if [ "$rc" != 0 ]; then
  grep -v '^RESULT ' "$tmp/out" || true
  grep -v '^suite: ' "$tmp/err" || true  # the error, not the progress lines
  grep -v ' verdict=pass ' "$tmp/results" || true
  fail "the suite exited $rc"
fi
[ -s "$tmp/results" ] || fail "the suite printed no RESULT lines"
if [ "$update" = --update ]; then
  cp "$tmp/results" "$recorded"
  echo "wrote $recorded: $(wc -l <"$recorded") runs"
  exit 0
fi
if ! diff -u "$recorded" "$tmp/results"; then
  fail "runs differ from $recorded (-: recorded, +: now). Pure speed work must not change a run;" \
    "to record a deliberate change: $0 $bin $dir $recorded --update"
fi
echo "$(wc -l <"$tmp/results") runs as recorded in $recorded"
