#!/usr/bin/env bash
# screenshot.sh IN.html OUT.png [HEIGHT]: a PNG of an HTML report as headless Chromium draws it,
# 1400 pixels wide and HEIGHT (default 4200) tall, e.g. for docs/report.png.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: screenshot.sh IN.html OUT.png [HEIGHT]" >&2; exit 2; }
in=$1 out=$2 height=${3:-4200}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "screenshot: chromium is not installed (scripts/install-deps.sh installs it)" >&2; exit 2; }
[ -f "$in" ] || { echo "screenshot: no file $in" >&2; exit 2; }
in_abs=$(cd "$(dirname "$in")" && pwd)/$(basename "$in")
out_abs=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
# --no-sandbox: Chromium refuses to run as root with its sandbox (containers, CI).
# --hide-scrollbars keeps the page's width; the virtual time budget lets every chart draw.
"$browser" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --virtual-time-budget=10000 --window-size="1400,$height" --screenshot="$out_abs" \
  "file://$in_abs" >/dev/null 2>&1
[ -s "$out_abs" ] || { echo "screenshot: chromium wrote no $out" >&2; exit 1; }
