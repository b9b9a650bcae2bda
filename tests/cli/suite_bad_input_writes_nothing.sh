#!/usr/bin/env bash
# suite_bad_input_writes_nothing.sh STORMLOG
# A suite with bad input exits 2 before anything runs: its --out directory is never created.
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAILED: $*"; exit 1; }
check() {
  "$bin" suite "$@" --out "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"
  code=$?
  [ "$code" = 2 ] || fail "suite $* exited $code, expected 2"
  [ ! -e "$tmp/out" ] || fail "suite $* wrote $tmp/out"
  [ ! -s "$tmp/stdout" ] || fail "suite $* printed on stdout"
  grep -q '^stormlog: error: ' "$tmp/stderr" || fail "suite $* gave no error line"
}
check kernel-smoke --seeds 5..2
check kernel-smoke --seeds 3 --shard 0/1
check kernel-smoke no-such-scenario --seeds 3
echo "bad input: exit 2, nothing written"
