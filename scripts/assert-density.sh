#!/usr/bin/env bash
# assert-density.sh [--min N] [--files-over L] DIR...: assertions per 1,000 code lines.
# Code lines: lines of *.cpp and *.hpp that are neither blank nor only a // comment.
# Assertions: SL_ASSERT(, SL_ASSERT_FATAL( and static_assert( (one per condition: compound
# conditions are split in this code base). Prints one line per file, then the total. With
# --min N, exits 1 if the total density is below N; with --files-over L, also exits 1 if a file
# of more than L code lines has no assertion (naming it).
set -euo pipefail
min="" over=""
while [ $# -gt 0 ]; do
  case "$1" in
    --min) min=$2; shift 2 ;;
    --files-over) over=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--min N] [--files-over L] DIR..." >&2; exit 2; }
find "$@" -name '*.cpp' -o -name '*.hpp' | sort | xargs awk -v min="$min" -v over="$over" '
  FNR == 1 && NR > 1 { report() }
  FNR == 1 { file = FILENAME; code = 0; asserts = 0 }
  { line = $0; sub(/^[ \t]+/, "", line) }
  line != "" && line !~ /^\/\// { code++ }
  { asserts += gsub(/(SL_ASSERT|SL_ASSERT_FATAL|static_assert)\(/, "&") }
  function report() {
    printf "%6d %5d %6.1f  %s\n", code, asserts, code ? 1000 * asserts / code : 0, file
    total_code += code; total_asserts += asserts
    if (over != "" && code > over && asserts == 0) { bare = bare " " file }
  }
  END {
    report()
    density = total_code ? 1000 * total_asserts / total_code : 0
    printf "%6d %5d %6.1f  total (code lines, assertions, per 1000)\n", total_code, total_asserts, density
    bad = 0
    if (bare != "") { print "no assertion in:" bare; bad = 1 }
    if (min != "" && density < min) { printf "density %.1f is below %s\n", density, min; bad = 1 }
    exit bad
  }'
