#!/usr/bin/env bash
# incident.sh STORMLOG EXAMPLES_DIR BAD_DATA_DIR
# stormlog incident end to end: the examples convert (JSON lines and CSV alike), what they write
# runs and suites; a malformed timeline exits 2 with its FILE:LINE message and writes nothing - not
# even over a file already there.
set -u
bin=$1 examples=$2 bad=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAILED: $*"; exit 1; }

# The README's incident, in both syntaxes: one scenario.
"$bin" incident "$examples/github-2018-10-21.jsonl" --out "$tmp/jsonl.json" >"$tmp/stdout" 2>"$tmp/stderr" ||
  fail "the JSON-lines example did not convert: $(cat "$tmp/stderr")"
grep -Eq '^fault: lines 10-11: partition at=5s for=43s sides=n1,n2,c1,c2\|n3,n4,n5,c3,c4$' "$tmp/stdout" ||
  fail "no fault line: $(cat "$tmp/stdout")"
grep -Eq "^INCIDENT scenario=github-2018-10-21 events=2 faults=1 duration=63s out=$tmp/jsonl.json$" "$tmp/stdout" ||
  fail "no INCIDENT line: $(cat "$tmp/stdout")"
[ ! -s "$tmp/stderr" ] || fail "it printed on stderr: $(cat "$tmp/stderr")"
"$bin" incident "$examples/github-2018-10-21.csv" --out "$tmp/csv.json" >/dev/null ||
  fail "the CSV example did not convert"
cmp -s "$tmp/jsonl.json" "$tmp/csv.json" || fail "CSV and JSON lines converted differently"

# What it wrote is a scenario: it runs, and a suite runs it under several seeds.
"$bin" run "$tmp/jsonl.json" --seed 1 >"$tmp/run" 2>&1 || fail "run: $(tail -5 "$tmp/run")"
grep -q '^RESULT scenario=github-2018-10-21 seed=1 verdict=pass ' "$tmp/run" || fail "run: $(cat "$tmp/run")"
! grep -q '^skipped:' "$tmp/run" || fail "a fault was skipped: $(grep '^skipped:' "$tmp/run")"
"$bin" suite "$tmp/jsonl.json" --seeds 1..3 >"$tmp/suite" 2>&1 || fail "suite: $(tail -5 "$tmp/suite")"
grep -q '^SUITE runs=3 passed=3 failed=0 ' "$tmp/suite" || fail "suite: $(cat "$tmp/suite")"

# Every event kind: converts, and runs without a skipped fault.
"$bin" incident "$examples/every-event.csv" --out "$tmp/every.json" >"$tmp/stdout" 2>&1 ||
  fail "every-event.csv: $(cat "$tmp/stdout")"
grep -q '^INCIDENT scenario=every-event events=21 faults=12 ' "$tmp/stdout" || fail "every-event: $(cat "$tmp/stdout")"
"$bin" run "$tmp/every.json" --seed 2 >"$tmp/run" 2>&1 || fail "every-event run: $(tail -5 "$tmp/run")"
! grep -q '^skipped:' "$tmp/run" || fail "every-event skipped: $(grep '^skipped:' "$tmp/run")"

# Bad input: exit 2, one line naming file and line, stdout empty, the --out file untouched.
refused() {  # FILE EXPECTED-STDERR-LINE
  echo "old" >"$tmp/out.json"
  "$bin" incident "$1" --out "$tmp/out.json" >"$tmp/stdout" 2>"$tmp/stderr"
  code=$?
  [ "$code" = 2 ] || fail "incident $1 exited $code, expected 2"
  [ "$(cat "$tmp/stderr")" = "$2" ] || fail "incident $1 printed: $(cat "$tmp/stderr")  expected: $2"
  [ ! -s "$tmp/stdout" ] || fail "incident $1 printed on stdout"
  [ "$(cat "$tmp/out.json")" = "old" ] || fail "incident $1 wrote its --out file"
  [ ! -e "$tmp/out.json.tmp" ] || fail "incident $1 left a temporary file"
}
refused "$bad/up-without-down.jsonl" \
  "stormlog: error: $bad/up-without-down.jsonl:5: event: node-up on \"db1\" without a node-down before it"
refused "$bad/unknown-host.csv" \
  "stormlog: error: $bad/unknown-host.csv:7: host: expected a host or group of the header, got \"db3\" (did you mean \"db1\"?)"
refused "$bad/out-of-order.jsonl" \
  "stormlog: error: $bad/out-of-order.jsonl:3: time: expected a time at or after line 2's \"2018-10-21T22:52:00Z\" (events come in time order), got \"2018-10-21T22:51:00Z\""
refused "$bad/bad-timestamp.csv" \
  "stormlog: error: $bad/bad-timestamp.csv:5: time: expected an ISO-8601 timestamp like \"2018-10-21T22:52:00Z\", got \"21/10/2018 22:53\" (not a date YYYY-MM-DD)"
refused "$bad/bad-quoting.csv" \
  "stormlog: error: $bad/bad-quoting.csv:4:36: malformed CSV: a quoted cell does not end on its line"
refused "$tmp/no-such-timeline.csv" "stormlog: error: $tmp/no-such-timeline.csv: cannot read"

# Where the scenario goes is checked before anything is read into it.
"$bin" incident "$examples/github-2018-10-21.csv" --out "$tmp" >/dev/null 2>"$tmp/stderr"
[ $? = 2 ] && grep -q "^stormlog: error: --out: $tmp is a directory (name a file in it)$" "$tmp/stderr" ||
  fail "--out a directory: $(cat "$tmp/stderr")"
cp "$examples/github-2018-10-21.csv" "$tmp/t.csv"
"$bin" incident "$tmp/t.csv" --out "$tmp/t.csv" >/dev/null 2>"$tmp/stderr"
[ $? = 2 ] && grep -q "is the timeline itself" "$tmp/stderr" || fail "--out the timeline: $(cat "$tmp/stderr")"
cmp -s "$examples/github-2018-10-21.csv" "$tmp/t.csv" || fail "--out the timeline overwrote it"
echo "incident: examples convert and run; bad timelines exit 2 and write nothing"
