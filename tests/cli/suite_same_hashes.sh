#!/usr/bin/env bash
# suite_same_hashes.sh STORMLOG SCENARIO SEEDS
# Determinism of suites: the same suite twice (and once more on another number of threads) gives
# the same per-run result files and summary.json, byte for byte but for wall times (and the
# recorded --jobs), the same stdout but for wall=, and no leftover .tmp files.
set -eu
bin=$1 scenario=$2 seeds=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAILED: $*"; exit 1; }
strip_wall() { grep -Ev '"(wall|jobs)":' "$1"; }

for run in a b c; do
  jobs=2
  [ "$run" = c ] && jobs=1
  "$bin" suite "$scenario" --seeds "$seeds" --jobs "$jobs" --verbose --out "$tmp/$run" 2>/dev/null \
    | sed 's/ wall=[0-9.]*//' >"$tmp/$run.stdout" || fail "suite $run exited $?"
done
cat "$tmp/a.stdout"

files=$(cd "$tmp/a" && find . -type f | sort)
[ -n "$files" ] || fail "no result files"
grep -q '^./summary.json$' <<<"$files" || fail "no summary.json"
! grep -q '\.tmp$' <<<"$files" || fail "leftover .tmp files"
for other in b c; do
  [ "$files" = "$(cd "$tmp/$other" && find . -type f | sort)" ] || fail "runs a and $other wrote different files"
  cmp -s "$tmp/a.stdout" "$tmp/$other.stdout" || fail "runs a and $other printed different results"
  for f in $files; do
    cmp -s <(strip_wall "$tmp/a/$f") <(strip_wall "$tmp/$other/$f") || fail "$f differs between runs a and $other"
  done
done
# The hashes must be real ones, not e.g. all zero from an empty run.
hashes=$(cat "$tmp"/a/*/seed-*.json | sed -n 's/.*"hash": "\([0-9a-f]\{16\}\)".*/\1/p')
[ "$(wc -l <<<"$hashes")" = "$(ls "$tmp"/a/*/seed-*.json | wc -l)" ] || fail "a result file without a 16-hex hash"
[ "$(sort -u <<<"$hashes" | wc -l)" -gt 1 ] || fail "different seeds gave one hash"
echo "per-run hashes identical across 3 suites:"
echo "$hashes"
