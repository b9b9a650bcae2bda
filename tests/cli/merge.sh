#!/usr/bin/env bash
# merge.sh STORMLOG FAILING_SCENARIO: `stormlog merge` of a suite's shards writes what one machine
# writes (summary.json and junit.xml equal but for wall times and --jobs, the failing runs'
# reports copied), and refuses - exit 2, one line naming the shard, nothing written - a missing
# shard, a duplicated one, and shards of another suite (scenarios, seeds) or another build.
set -u
bin=$1 failing=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAILED: $*"; exit 1; }
suite=(ledger-nemesis nemesis-within "$failing")

"$bin" suite "${suite[@]}" --seeds 1..5 --jobs 2 --report "$tmp/single" >/dev/null 2>&1
for k in 1 2 3; do
  "$bin" suite "${suite[@]}" --seeds 1..5 --shard $k/3 --report "$tmp/shard-$k" >/dev/null 2>&1
done
out=$("$bin" merge "$tmp/shard-3" "$tmp/shard-1" "$tmp/shard-2" --out "$tmp/merged"); code=$?
echo "$out" | head -3
[ $code = 1 ] || fail "merge of a suite with failing runs: exit $code, want 1"
grep -q "^MERGE shards=3 runs=15 passed=10 failed=5$" <<<"$out" || fail "MERGE line: $out"
python3 - "$tmp/single/summary.json" "$tmp/merged/summary.json" <<'PY' || fail "merged summary.json differs from the single run's"
import json, sys
def norm(path):
    j = json.load(open(path))
    j["wall"] = 0
    j["args"]["jobs"] = 0
    for r in j["run_list"]:
        r["wall_s"] = 0
    return j
a, b = norm(sys.argv[1]), norm(sys.argv[2])
for k in a:
    if a[k] != b.get(k):
        print("differs:", k)
sys.exit(0 if a == b else 1)
PY
strip_times() { sed 's/ time="[0-9.]*"//g' "$1"; }
diff <(strip_times "$tmp/single/junit.xml") <(strip_times "$tmp/merged/junit.xml") >/dev/null || fail "junit.xml differs"
diff -r "$tmp/single/runs" "$tmp/merged/runs" >/dev/null || fail "the failing runs' reports differ"
for f in index.html summary.md; do [ -s "$tmp/merged/$f" ] || fail "merged/$f missing"; done
echo "merged == single run: $(grep -c '"hash"' "$tmp/merged/summary.json") runs"

# refuse EXPECTED_REGEX SHARD_DIR...: exit 2, one line on stderr matching, no --out written.
refuse() {
  local want=$1
  shift
  local err code
  err=$("$bin" merge "$@" --out "$tmp/refused" 2>&1 >/dev/null); code=$?
  [ $code = 2 ] || fail "merge $*: exit $code, want 2 ($err)"
  [ "$(wc -l <<<"$err")" = 1 ] || fail "want one error line, got: $err"
  grep -Eq "$want" <<<"$err" || fail "message '$err' does not match '$want'"
  [ ! -e "$tmp/refused" ] && [ ! -e "$tmp/refused.partial" ] || fail "a refused merge wrote $tmp/refused"
  echo "refused: $err"
}
refuse "shard 2/3 is missing" "$tmp/shard-1" "$tmp/shard-3"
cp -r "$tmp/shard-2" "$tmp/shard-2-again"
refuse "shard 2/3 is given twice: $tmp/shard-2 and $tmp/shard-2-again" "$tmp/shard-1" "$tmp/shard-2" "$tmp/shard-2-again" "$tmp/shard-3"
"$bin" suite "${suite[@]}" --seeds 1..6 --shard 3/3 --report "$tmp/other-seeds" >/dev/null 2>&1
refuse "shard 3/3 \\($tmp/other-seeds\\) ran seeds 1..6, shard 1/3 .* ran 1..5: another suite" "$tmp/shard-1" "$tmp/shard-2" "$tmp/other-seeds"
"$bin" suite ledger-nemesis nemesis-within --seeds 1..5 --shard 3/3 --report "$tmp/other-scenarios" >/dev/null 2>&1
refuse "shard 3/3 \\($tmp/other-scenarios\\) ran scenarios .*another suite" "$tmp/shard-1" "$tmp/shard-2" "$tmp/other-scenarios"
cp -r "$tmp/shard-3" "$tmp/other-build"
sed -i 's/"build": "stormlog [^"]*"/"build": "stormlog 0.0.1 another-build"/' "$tmp/other-build/summary.json"
refuse "shard 3/3 \\($tmp/other-build\\) was run by \"stormlog 0.0.1 another-build\"" "$tmp/shard-1" "$tmp/shard-2" "$tmp/other-build"
"$bin" suite "${suite[@]}" --seeds 1..5 --shard 1/2 --report "$tmp/halves" >/dev/null 2>&1
refuse "split the suite into different numbers of shards" "$tmp/shard-1" "$tmp/shard-2" "$tmp/shard-3" "$tmp/halves"
refuse "$tmp/nowhere/summary.json: cannot read" "$tmp/shard-1" "$tmp/nowhere"
# Damaged summaries: a clear refusal naming the file, never a crash.
# damage NAME PYTHON: a copy of shard 3 whose summary.json has had PYTHON applied to `j`.
damage() {
  cp -r "$tmp/shard-3" "$tmp/$1"
  python3 - "$tmp/$1/summary.json" "$2" <<'PY'
import json, sys
path, change = sys.argv[1], sys.argv[2]
j = json.load(open(path))
exec(change)
json.dump(j, open(path, "w"))
PY
}
damage count-0 'j["args"]["shard"]["count"] = 0'
refuse "$tmp/count-0/summary.json: shard 3/0 is not a shard" "$tmp/shard-1" "$tmp/shard-2" "$tmp/count-0"
damage index-4 'j["args"]["shard"]["index"] = 4'
refuse "$tmp/index-4/summary.json: shard 4/3 is not a shard" "$tmp/shard-1" "$tmp/shard-2" "$tmp/index-4"
damage reversed 'j["args"]["seeds"]["first"] = 9'
refuse "$tmp/reversed/summary.json: seeds 9..5 is not a range" "$tmp/shard-1" "$tmp/shard-2" "$tmp/reversed"
damage stranger 'j["failures"].append(dict(j["failures"][0], scenario="no-such-scenario"))'
refuse "shard 3/3 \\($tmp/stranger\\) lists a failure of no-such-scenario" "$tmp/shard-1" "$tmp/shard-2" "$tmp/stranger"
damage short 'j["run_list"].pop()'
refuse "shard 3/3 \\($tmp/short\\) holds 4 runs, its share is 5" "$tmp/shard-1" "$tmp/shard-2" "$tmp/short"
echo 'not json' > "$tmp/short/scorecard-data.json"
refuse "$tmp/short/scorecard-data.json: not valid JSON" "$tmp/shard-1" "$tmp/shard-2" "$tmp/short"
# The merged directory is not replaced unless --force.
err=$("$bin" merge "$tmp/shard-1" "$tmp/shard-2" "$tmp/shard-3" --out "$tmp/merged" 2>&1 >/dev/null); code=$?
[ $code = 2 ] && grep -q "exists and is not empty" <<<"$err" || fail "merging over a full --out: exit $code, $err"
echo "merge: ok"
