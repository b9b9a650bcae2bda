#!/usr/bin/env bash
# train-profile.sh DIR [JOBS]: the first half of a profile-guided build (make build). Builds a
# stormlog that counts its branches and calls (STORMLOG_PROFILE=generate) in DIR, then runs what
# the build is tuned for - the store and ledger benches and a nemesis run of each - so that the
# counts land in DIR/counts, where the Release build in build/ reads them (STORMLOG_PROFILE=use).
# The runs are seeded simulations: the same sources give the same counts on every machine.
set -euo pipefail
mkdir -p "$1"
dir=$(realpath "$1") jobs=${2:-$(nproc)}
cd "$(dirname "$0")/.."
counts=$dir/counts
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTORMLOG_WERROR=ON \
  -DSTORMLOG_PROFILE=generate -DSTORMLOG_PROFILE_DIR="$counts" >/dev/null
cmake --build "$dir" -j "$jobs" --target stormlog
# The same binary trains the same counts: train again only when it was rebuilt.
if [ -e "$counts/trained" ] && [ "$counts/trained" -nt "$dir/stormlog" ]; then
  exit 0
fi
# Counts add up across runs: start from none, so a training is the same whatever ran before.
rm -rf "$counts"
train() {
  if ! "$dir/stormlog" "$@" >"$dir/training.log" 2>&1; then
    echo "train-profile.sh: 'stormlog $*' failed while training the profile; its output:" >&2
    cat "$dir/training.log" >&2
    exit 1
  fi
}
train bench store
train bench ledger
train run nemesis-within --seed 1
train run ledger-nemesis --seed 1
# Without counts the Release build would silently be a plain one (-Wno-missing-profile).
compgen -G "$counts/*.gcda" >/dev/null || {
  echo "train-profile.sh: the training wrote no counts into $counts" >&2
  exit 1
}
touch "$counts/trained"
