#!/usr/bin/env bash
# same_hash.sh STORMLOG SCENARIO SEED OTHER_SEED
# Determinism across processes: two runs of SCENARIO under SEED print the same RESULT line but for
# wall=, and OTHER_SEED prints another hash.
set -eu
bin=$1 scenario=$2 seed=$3 other=$4
strip() { grep '^RESULT ' | sed 's/ wall=.*//'; }
a=$("$bin" run "$scenario" --seed "$seed" | strip)
b=$("$bin" run "$scenario" --seed "$seed" | strip)
c=$("$bin" run "$scenario" --seed "$other" | strip)
echo "$a"; echo "$b"; echo "$c"
[ -n "$a" ] || { echo "FAILED: no RESULT line"; exit 1; }
[ "$a" = "$b" ] || { echo "FAILED: same seed, different RESULT lines"; exit 1; }
hash_a=$(sed 's/.*hash=\([0-9a-f]*\).*/\1/' <<<"$a")
hash_c=$(sed 's/.*hash=\([0-9a-f]*\).*/\1/' <<<"$c")
[ "$hash_a" != "$hash_c" ] || { echo "FAILED: seeds $seed and $other gave the same hash"; exit 1; }
