#!/usr/bin/env bash
# real_reports_in_chromium.sh STORMLOG XSD DATA_DIR FAILING_SCENARIO WORK_DIR: the reports the
# command writes, opened as a user would.
#  - `run --report` of a scenario whose description holds <script> and quotes: the RESULT line is
#    the one of the run without a report; the page renders in headless Chromium with no console
#    message, every chart drew data, and the description is text, escaped.
#  - `suite --report` with a failing scenario: exit 1; index.html renders and links the failing
#    run's own report, which renders too; junit.xml validates against our JUnit XSD and its
#    failure carries the replay command.
set -u
bin=$1 xsd=$2 data=$3 failing=$4 work=$5
rm -rf "$work" && mkdir -p "$work"
# shellcheck source=chromium_checks.sh
. "$(dirname "$0")/chromium_checks.sh"
command -v xmllint >/dev/null || { echo "FAILED: xmllint is missing (libxml2-utils)"; exit 1; }
strip() { grep '^RESULT ' | sed 's/ wall=.*//'; }

hostile=$data/ledger-nemesis-hostile.json
plain=$("$bin" run "$hostile" --seed 1 | strip)
with=$("$bin" run "$hostile" --seed 1 --report "$work/run" | strip)
[ -n "$plain" ] && [ "$plain" = "$with" ] || fail "RESULT differs with --report: '$plain' vs '$with'"
for f in report.json report.md report.html trace.json; do [ -s "$work/run/$f" ] || fail "run/$f missing"; done
dom run/report
status run/report chart-faults chart-node-states chart-leaders chart-term chart-throughput \
  chart-availability chart-latency chart-projection-lag chart-queue-depth chart-breakers
has run/report '&lt;script&gt;alert(1)&lt;/script&gt; "double quotes" &amp; an &amp;amp; entity'
lacks run/report '<script>alert'
scripts=$(grep -o '<script' "$work/run/report.dom" | wc -l)
[ "$scripts" = 4 ] || fail "run: $scripts script elements in the DOM, expected 4"
grep -qF '\u003cscript\u003ealert(1)\u003c/script\u003e' "$work/run/report.html" ||
  fail "the description is not escaped in the page's data"

"$bin" suite ledger-nemesis "$failing" --seeds 1..2 --report "$work/suite" >"$work/suite.out" 2>&1
code=$?
[ "$code" = 1 ] || fail "suite with a failing scenario: exit $code, want 1"
for f in index.html summary.json summary.md junit.xml; do [ -s "$work/suite/$f" ] || fail "suite/$f missing"; done
xmllint --noout --schema "$xsd" "$work/suite/junit.xml" || fail "junit.xml does not validate"
grep -qF "replay: stormlog run $failing --seed 1" "$work/suite/junit.xml" ||
  fail "junit.xml: the failing testcase lacks its replay command"
[ "$(grep -c '<testcase ' "$work/suite/junit.xml")" = 4 ] || fail "junit.xml: want 4 testcases"
[ "$(grep -c '<failure ' "$work/suite/junit.xml")" = 2 ] || fail "junit.xml: want 2 failures"
name=$(basename "$failing" .json)
for seed in 1 2; do
  [ -s "$work/suite/runs/$name/seed-$seed/report.html" ] || fail "no report for failing run seed $seed"
done
[ ! -e "$work/suite/runs/ledger-nemesis" ] || fail "passing runs got full reports without --report-all"
dom suite/index
status suite/index chart-scorecard
has suite/index "href=\"runs/$name/seed-1/report.html\""
dom "suite/runs/$name/seed-1/report"
status "suite/runs/$name/seed-1/report"  # kernel-smoke records no series: no chart
has "suite/runs/$name/seed-1/report" "stormlog run $failing --seed 1"

[ "$problems" = 0 ] || { echo "$problems problem(s); pages and logs in $work"; exit 1; }
echo "ok: run and suite reports written by $bin render in $browser"
