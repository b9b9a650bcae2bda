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
problems=0
fail() { echo "FAILED: $*"; problems=$((problems + 1)); }

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "FAILED: chromium is not installed (scripts/install-deps.sh installs it)"
  exit 1
fi

# dom PAGE: renders PAGE.html with Chromium into PAGE.dom (the DOM after the scripts ran) and
# PAGE.err (its log), with a profile of its own so that tests may run in parallel.
dom() {
  local profile
  profile=$(mktemp -d)
  timeout 60 "$browser" --headless=new --no-sandbox --disable-gpu --user-data-dir="$profile" \
    --enable-logging=stderr --v=0 --virtual-time-budget=10000 \
    --dump-dom "file://$work/$1.html" >"$work/$1.dom" 2>"$work/$1.err"
  local code=$?
  rm -rf "$profile"
  [ "$code" = 0 ] || fail "$1: chromium exited with $code"
  if grep -E ':CONSOLE[^]]*\]|Uncaught' "$work/$1.err" >"$work/$1.console"; then
    fail "$1: the browser's console reported:"
    cat "$work/$1.console"
  fi
}

# status PAGE CHART...: render-status is ok and each CHART holds at least one data point.
status() {
  local page=$1
  shift
  local line
  line=$(grep -o '<div id="render-status"[^>]*>[^<]*</div>' "$work/$page.dom")
  grep -q 'data-status="ok"' <<<"$line" || fail "$page: render status is not ok: $line"
  for chart in "$@"; do
    grep -Eq "\{&quot;id&quot;:&quot;$chart&quot;,&quot;points&quot;:[1-9][0-9]*\}|\{\"id\":\"$chart\",\"points\":[1-9][0-9]*\}" <<<"$line" ||
      fail "$page: chart $chart drew no data: $line"
  done
}

has() { grep -qF -- "$2" "$work/$1.dom" || fail "$1: the DOM lacks: $2"; }
lacks() { grep -qF -- "$2" "$work/$1.dom" && fail "$1: the DOM has: $2"; }

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
