#!/usr/bin/env bash
# events.sh STORMLOG DATA_DIR: event logs and their diffs, as a user runs them.
#  1. --events leaves the run as it was: the same RESULT line (but for wall=) with and without.
#  2. Two runs of one scenario and seed write logs that diff-events calls identical (exit 0).
#  3. A planted divergence - leader-crash with its second crash (at 10s) moved 1 ms later - is
#     found at the right event: the first of the run at or after 10s, where the fault's timer
#     fires in the original and something else happens in the moved copy (exit 1).
#  4. A bad --events path is refused before the run (exit 2, one line), and nothing is written.
set -u
bin=$1 data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAILED: $*"; exit 1; }
strip() { grep '^RESULT ' | sed 's/ wall=.*//'; }

# 1
plain=$("$bin" run leader-crash --seed 1 | strip)
with=$("$bin" run leader-crash --seed 1 --events "$tmp/a.jsonl") || fail "run --events exited $?"
events_line=$(grep '^events: ' <<<"$with")
with=$(strip <<<"$with")
echo "$plain"; echo "$with"; echo "$events_line"
[ -n "$plain" ] || fail "no RESULT line"
[ "$plain" = "$with" ] || fail "--events changed the RESULT line"
lines=$(wc -l <"$tmp/a.jsonl")
[ "$events_line" = "events: $tmp/a.jsonl ($lines events)" ] || fail "events line: $events_line (file has $lines lines)"
[ "$lines" -gt 1000 ] || fail "only $lines events"
[ ! -e "$tmp/a.jsonl.tmp" ] || fail "the temporary file was left behind"
grep -q '"kind":"kind#' "$tmp/a.jsonl" && fail "an event without a kind name"
grep -q '"kind":"fault.apply".*"detail":"crash (scripted) on \[n[0-9]\]: crash for 2s"' "$tmp/a.jsonl" ||
  fail "no readable fault.apply event"

# 2
"$bin" run leader-crash --seed 1 --events "$tmp/b.jsonl" >/dev/null || fail "second run failed"
out=$("$bin" diff-events "$tmp/a.jsonl" "$tmp/b.jsonl"); code=$?
echo "$out"
[ "$code" = 0 ] || fail "diff-events of the same run exited $code"
[ "$out" = "identical ($lines events)" ] || fail "expected identical ($lines events)"

# 3
"$bin" run "$data/events-leader-crash.json" --seed 1 --events "$tmp/orig.jsonl" >/dev/null ||
  fail "the original fixture failed"
"$bin" run "$data/events-leader-crash-moved.json" --seed 1 --events "$tmp/moved.jsonl" >/dev/null ||
  fail "the moved fixture failed"
cmp -s "$tmp/a.jsonl" "$tmp/orig.jsonl" || fail "the fixture is not a copy of leader-crash"
out=$("$bin" diff-events "$tmp/orig.jsonl" "$tmp/moved.jsonl" --context 3); code=$?
echo "$out"
[ "$code" = 1 ] || fail "diff-events of a planted divergence exited $code"
# The event the diff must find, computed from the log itself: the first at or after 10 s.
want_line=$(awk -F'"t_ns":' '{ split($2, a, ","); if (a[1] + 0 >= 10000000000) { print NR; exit } }' "$tmp/orig.jsonl")
[ -n "$want_line" ] || fail "the original log has no event at or after 10 s"
grep -qxE "$tmp/orig.jsonl and $tmp/moved.jsonl diverge at event $want_line \\(time differs\\), after $((want_line - 1)) identical events" <<<"$out" ||
  fail "the headline does not name event $want_line"
orig_at=$(grep "^> $tmp/orig.jsonl:" <<<"$out")
moved_at=$(grep "^> $tmp/moved.jsonl:" <<<"$out")
grep -qE "^> $tmp/orig.jsonl:$want_line  10\.000000000s  -  timer\.fire  " <<<"$orig_at" ||
  fail "the original's diverging event is not the fault's timer at 10 s: $orig_at"
sed -n "$((want_line + 1))p" "$tmp/orig.jsonl" | grep -q '"t_ns":10000000000,.*"kind":"fault.apply"' ||
  fail "the event after the original's diverging one is not the fault it fired"
# In the moved copy the same event is whatever came first in [10 s, 10.001 s]: at the latest, the
# moved fault's own timer.
grep -qE "^> $tmp/moved.jsonl:$want_line  10\.(000[0-9]{6}|001000000)s  " <<<"$moved_at" ||
  fail "the moved copy's diverging event is not within [10 s, 10.001 s]: $moved_at"
[ "$(grep -c "^  $tmp/orig.jsonl:" <<<"$out")" = 3 ] || fail "not 3 events of context"
grep -qE "^  $tmp/orig.jsonl:$((want_line - 1))  9\." <<<"$out" ||
  fail "the last context event is not the one before, at 9.x s"

# 4
out=$("$bin" run leader-crash --events "$tmp" 2>&1 >/dev/null); code=$?
[ "$code" = 2 ] || fail "--events into a directory exited $code"
[ "$out" = "stormlog: error: --events: $tmp is a directory (name a file in it)" ] || fail "message: $out"
out=$("$bin" run leader-crash --events "$tmp/missing/e.jsonl" 2>&1 >/dev/null); code=$?
[ "$code" = 2 ] || fail "--events into a missing directory exited $code"
[ "$out" = "stormlog: error: --events: $tmp/missing: no such directory" ] || fail "message: $out"
[ ! -e "$tmp/missing" ] || fail "a directory was made"
echo "event logs: same run same log, planted divergence found at event $want_line, bad paths refused"
