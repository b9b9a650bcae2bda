#!/usr/bin/env bash
# bench-compare.sh OLD_BINARY NEW_BINARY [ROUNDS]: `stormlog bench store` and `bench ledger` of two
# builds side by side. Wall-clock time compression is noisy on a shared machine, so the two
# binaries alternate, ROUNDS times each (default 7), and the median is reported; with valgrind
# installed, the instruction counts of one run each (exact, repeatable) are reported too.
set -euo pipefail
old=$1 new=$2 rounds=${3:-7}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for which in store ledger; do
  : >/tmp/bench-old.$$ ; : >/tmp/bench-new.$$
  for _ in $(seq "$rounds"); do
    "$old" bench "$which" | sed -n 's/.*ratio=\([0-9]*\).*/\1/p' >>/tmp/bench-old.$$
    "$new" bench "$which" | sed -n 's/.*ratio=\([0-9]*\).*/\1/p' >>/tmp/bench-new.$$
  done
  o=$(median </tmp/bench-old.$$) n=$(median </tmp/bench-new.$$)
  echo "BENCH-COMPARE $which.time_compression old=$o new=$n change=$(awk -v o="$o" -v n="$n" 'BEGIN {printf "%+.1f%%", 100 * (n - o) / o}') (median of $rounds)"
  if command -v valgrind >/dev/null; then
    io=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$old" bench "$which" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
    in=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$new" bench "$which" 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
    echo "BENCH-COMPARE $which.instructions old=$io new=$in change=$(awk -v o="$io" -v n="$in" 'BEGIN {printf "%+.2f%%", 100 * (n - o) / o}')"
  fi
done
rm -f /tmp/bench-old.$$ /tmp/bench-new.$$
