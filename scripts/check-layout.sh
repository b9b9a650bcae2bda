#!/usr/bin/env bash
# check-layout.sh [ROOT]: the layout shows the architecture (../shared/DESIGN.md, "Layers").
#  1. No include goes upward: each folder includes only the layers below it (and itself).
#  2. Above the kernel, nothing includes the kernel's internals (scheduler, fiber records, queues,
#     stacks): system code asks sim/'s interfaces for time, timers, randomness, network and disk.
#  3. No source file is longer than 700 lines.
#  4. Every trace kind has a name: code defines kinds with sim::trace_kind_named("..."), never the
#     bare hash trace_kind("..."), which an event log could only print as kind#<hex>.
# Prints each violation as FILE:LINE: what; exits 1 if there is any.
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"

# folder -> the include prefixes it may use (besides its own folder).
allowed() {
  case "$1" in
    sim) echo "sim/" ;;
    system/store) echo "sim/ system/store/" ;;
    system/resilience) echo "sim/ system/resilience/" ;;
    system/monitoring) echo "sim/ system/monitoring/" ;;
    system/projections) echo "sim/ system/store/ system/resilience/ system/projections/" ;;
    system/ledger) echo "sim/ system/store/ system/resilience/ system/projections/ system/ledger/" ;;
    faults) echo "sim/ faults/" ;;
    properties) echo "sim/ system/ properties/" ;;
    workloads) echo "sim/ system/ faults/ properties/ workloads/" ;;
    scenarios) echo "sim/ system/ faults/ properties/ workloads/ scenarios/" ;;
    reports) echo "sim/ system/ faults/ properties/ workloads/ scenarios/ reports/" ;;
    shrink) echo "sim/ system/ faults/ properties/ workloads/ scenarios/ shrink/" ;;
    bench) echo "sim/ system/ faults/ properties/ workloads/ scenarios/ reports/ bench/" ;;
    examples) echo "sim/ examples/" ;;
    cli) echo "sim/ system/ faults/ properties/ workloads/ scenarios/ reports/ shrink/ bench/ cli/" ;;
    fuzz) echo "sim/ system/ properties/ scenarios/ fuzz/" ;;
  esac
}
kernel_internals='sim/(scheduler|fiber|ready_queue|event_queue|stack_pool|asan)\.hpp'
folders="sim system/store system/resilience system/monitoring system/projections system/ledger faults
         properties workloads scenarios reports shrink bench examples cli fuzz"

bad=0
for folder in $folders; do
  [ -d "$folder" ] || continue
  ok=$(allowed "$folder")
  while IFS=: read -r file line text; do
    target=$(sed -E 's/^#include "([^"]+)".*/\1/' <<<"$text")
    fine=0
    for prefix in $ok; do
      case "$target" in "$prefix"*) fine=1 ;; esac
    done
    if [ "$fine" = 0 ]; then
      echo "$file:$line: includes $target, which is not below $folder"
      bad=1
    elif [ "$folder" != sim ] && grep -qE "^$kernel_internals$" <<<"$target"; then
      echo "$file:$line: includes the kernel's internal $target"
      bad=1
    fi
  done < <(grep -rnE '^#include "[^"]+/' "$folder" --include='*.cpp' --include='*.hpp' || true)
done

while read -r lines file; do
  [ "$file" = total ] && continue
  if [ "$lines" -gt 700 ]; then
    echo "$file: $lines lines; split it (at most 700)"
    bad=1
  fi
done < <(find sim system faults properties workloads scenarios reports shrink bench cli tests examples \
           \( -name '*.cpp' -o -name '*.hpp' \) -print0 2>/dev/null | xargs -0 wc -l)

while IFS=: read -r file line _; do
  echo "$file:$line: a trace kind without a name: define it with trace_kind_named(\"...\")"
  bad=1
done < <(grep -rnE '(^|[^_[:alnum:]])trace_kind\(' $folders --include='*.cpp' --include='*.hpp' \
           2>/dev/null | grep -vE '^sim/trace\.(hpp|cpp):' || true)

[ "$bad" = 0 ] && echo "layout: no upward include, no kernel internals above sim/, no file over 700 lines, no unnamed trace kind"
exit "$bad"
