#!/usr/bin/env bash
# html_in_chromium.sh RENDER_REPORT DATA_DIR WORK_DIR: renders the fixtures of DATA_DIR (a full run,
# an empty run and a suite) into HTML, opens each in headless Chromium and checks what the browser
# made of it:
#  - no console message at all (Chromium logs each one, uncaught exceptions included, to stderr as
#    "...:CONSOLE(line)] "text", source: ..." under --enable-logging=stderr; our pages log nothing),
#  - #render-status says ok, and every expected chart holds data points,
#  - the scenario's hostile text is text in the DOM: escaped, with no element injected,
#  - the suite page links to run reports by relative path only.
# A missing Chromium is a failure, not a skip: make test installs it (scripts/install-deps.sh).
set -u
render=$1 data=$2 work=$3
mkdir -p "$work"
# shellcheck source=chromium_checks.sh
. "$(dirname "$0")/chromium_checks.sh"

"$render" "$data/report-sample.json" "$work/run.html" || fail "render_report failed on report-sample.json"
"$render" "$data/report-minimal.json" "$work/minimal.html" || fail "render_report failed on report-minimal.json"
"$render" "$data/suite-sample.json" "$work/suite.html" --suite || fail "render_report failed on suite-sample.json"
[ "$problems" = 0 ] || exit 1

dom run
status run chart-faults chart-node-states chart-leaders chart-term chart-throughput chart-availability \
  chart-latency chart-projection-lag chart-queue-depth chart-breakers
has run '<title>stormlog: ledger-nemesis seed 42</title>'
has run 'Evil text: &lt;script&gt;alert(1)&lt;/script&gt; with "quotes" &amp; &amp;amp; entities'
has run '&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;'
lacks run '<img'
lacks run '<script>alert'
lacks run '<b>bold'
# The page's own four script elements (data, helpers, Chart.js, page) and no other.
scripts=$(grep -o '<script' "$work/run.dom" | wc -l)
[ "$scripts" = 4 ] || fail "run: $scripts script elements in the DOM, expected 4"
has run 'stormlog run ledger-nemesis --seed 42</code>'
has run 'ledger.conservation'
has run 'still firing'

# A run with nothing to chart (no faults, no client operations): each section says so in a line.
dom minimal
status minimal chart-node-states
has minimal '<title>stormlog: kernel-smoke seed 3</title>'
has minimal 'No fault was applied in this run.'
has minimal 'No client operation completed in this run.'
has minimal 'This run has no circuit breakers.'
has minimal 'Every property held.'
for chart in chart-faults chart-throughput chart-latency chart-breakers chart-projection-lag; do
  lacks minimal "id=\"$chart\""
done

dom suite
status suite chart-scorecard
has suite '<title>stormlog suite: 8 runs, 2 failed</title>'
has suite 'href="runs/ledger-nemesis/seed-2/report.html"'
lacks suite 'href="javascript'
lacks suite '<script>alert'
has suite '&lt;script&gt;alert(3)&lt;/script&gt; &amp; "q"'
has suite 'stormlog run ledger-nemesis --seed 4</code>'

[ "$problems" = 0 ] || { echo "$problems problem(s); pages and logs in $work"; exit 1; }
echo "ok: run and suite pages render in $browser with no console message"
