#!/usr/bin/env bash
# checks_catch_violations.sh SCRIPTS_DIR: the layout and assertion-density checks fail on a tree
# that breaks them (an upward include, a kernel internal used above sim/, a file over 700 lines, an
# unnamed trace kind, a long file without assertions, a low density) and pass on one that does not.
set -u
scripts=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAILED: $*"; exit 1; }

tree() {  # a fresh, clean tree
  rm -rf "$tmp/t" && mkdir -p "$tmp/t/sim" "$tmp/t/system/store" "$tmp/t/cli"
  printf '#include "sim/time.hpp"\nint f();\n' >"$tmp/t/system/store/a.hpp"
  printf '#include "system/store/a.hpp"\n#include "sim/time.hpp"\n' >"$tmp/t/cli/main.cpp"
}

tree
"$scripts/check-layout.sh" "$tmp/t" >/dev/null || fail "a clean tree was refused"

tree
printf '#include "system/store/a.hpp"\n' >"$tmp/t/sim/b.hpp"
out=$("$scripts/check-layout.sh" "$tmp/t") && fail "an upward include passed"
grep -q 'sim/b.hpp:1: includes system/store/a.hpp, which is not below sim' <<<"$out" || fail "wrong message: $out"

tree
printf '#include "sim/scheduler.hpp"\n' >"$tmp/t/system/store/c.cpp"
out=$("$scripts/check-layout.sh" "$tmp/t") && fail "a kernel internal passed"
grep -q "includes the kernel's internal sim/scheduler.hpp" <<<"$out" || fail "wrong message: $out"

tree
seq 701 | sed 's/^/int x/; s/$/;/' >"$tmp/t/cli/long.cpp"
out=$("$scripts/check-layout.sh" "$tmp/t") && fail "a 701-line file passed"
grep -q 'cli/long.cpp: 701 lines' <<<"$out" || fail "wrong message: $out"

tree
printf 'const uint64_t k = sim::trace_kind("x.y");\n' >"$tmp/t/system/store/kind.cpp"
out=$("$scripts/check-layout.sh" "$tmp/t") && fail "a trace kind without a name passed"
grep -q 'system/store/kind.cpp:1: a trace kind without a name' <<<"$out" || fail "wrong message: $out"
printf 'const uint64_t k = sim::trace_kind_named("x.y");\n' >"$tmp/t/system/store/kind.cpp"
"$scripts/check-layout.sh" "$tmp/t" >/dev/null || fail "a named trace kind was refused"

tree
seq 150 | sed 's/^/int y/; s/$/;/' >"$tmp/t/system/store/bare.cpp"
out=$("$scripts/assert-density.sh" --files-over 100 "$tmp/t/system/store") && fail "a long file without assertions passed"
grep -q 'no assertion in:.*bare.cpp' <<<"$out" || fail "wrong message: $out"
printf 'SL_ASSERT(a);\nint z;\n' >>"$tmp/t/system/store/bare.cpp"
out=$("$scripts/assert-density.sh" --min 30 "$tmp/t/system/store") && fail "density 6.5 passed a minimum of 30"
"$scripts/assert-density.sh" --min 5 --files-over 100 "$tmp/t/system/store" >/dev/null || fail "density 6.5 failed a minimum of 5"
echo "every check caught its violation"
