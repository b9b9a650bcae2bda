#!/usr/bin/env bash
# expect.sh EXIT_CODE STREAM REGEX -- COMMAND...
# Runs COMMAND and passes when it exits with EXIT_CODE and STREAM (stdout or stderr) matches the
# extended REGEX. With STREAM=stderr-one-line, stderr must also be exactly one line.
set -u
want_code=$1 stream=$2 regex=$3
shift 3
[ "$1" = "--" ] && shift
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$@" >"$out" 2>"$err"
code=$?
fail() { echo "FAILED: $*"; echo "--- stdout"; cat "$out"; echo "--- stderr"; cat "$err"; exit 1; }
[ "$code" = "$want_code" ] || fail "exit code $code, expected $want_code"
case "$stream" in
  stdout) grep -Eq -- "$regex" "$out" || fail "stdout does not match /$regex/" ;;
  stderr) grep -Eq -- "$regex" "$err" || fail "stderr does not match /$regex/" ;;
  stderr-one-line)
    [ "$(wc -l <"$err")" = 1 ] || fail "stderr is not exactly one line"
    grep -Eq -- "$regex" "$err" || fail "stderr does not match /$regex/" ;;
  *) fail "unknown stream $stream" ;;
esac
exit 0
