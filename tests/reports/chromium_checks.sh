# Sourced by the tests that open HTML reports in headless Chromium. The caller sets `work` (a
# directory holding PAGE.html files). Provides:
#   dom PAGE            renders $work/PAGE.html, keeping the DOM after the scripts ran (PAGE.dom)
#                       and the browser's log (PAGE.err); fails on any console message;
#   status PAGE CHART...  #render-status is ok and each CHART holds at least one data point;
#   has PAGE TEXT / lacks PAGE TEXT   the DOM does (not) contain TEXT;
#   fail MESSAGE        counts a problem ($problems).
# A missing Chromium is a failure, not a skip: make test installs it (scripts/install-deps.sh).
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

