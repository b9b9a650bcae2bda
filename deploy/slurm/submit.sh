#!/usr/bin/env bash
# Submits a sharded stormlog suite to Slurm: an array of M suite tasks (suite.sbatch), then the
# merge (merge.sbatch) once every task has ended, and prints both job ids.
#
#   STORMLOG_SCENARIOS="ledger-nemesis nemesis-within" STORMLOG_SEEDS=1..1000 \
#   STORMLOG_OUT=/shared/stormlog/run-1 STORMLOG_SHARDS=16 STORMLOG_CPUS=4 \
#   STORMLOG_BIN=/shared/bin/stormlog deploy/slurm/submit.sh [SBATCH OPTIONS...]
#
# STORMLOG_SHARDS (M, default 4) and STORMLOG_CPUS (cores per task, default 1; the suite's --jobs)
# are this script's; the others are suite.sbatch's (see its header). SBATCH OPTIONS (a partition,
# an account, a time limit) go to both submissions. Logs: $STORMLOG_OUT/logs/.
#
# The merge depends on the array with afterany, not afterok: a shard that found a failing run is a
# result to merge, not an error, and a shard that really failed is named by the merge itself.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${STORMLOG_SCENARIOS:?submit.sh: set STORMLOG_SCENARIOS}"
: "${STORMLOG_SEEDS:?submit.sh: set STORMLOG_SEEDS}"
: "${STORMLOG_OUT:?submit.sh: set STORMLOG_OUT (a directory on a file system every node sees)}"
export STORMLOG_SHARDS=${STORMLOG_SHARDS:-4}
cpus=${STORMLOG_CPUS:-1}
# Nodes run the binary by this path, so a relative one is made absolute here.
bin=${STORMLOG_BIN:-stormlog}
if [[ $bin == */* ]]; then bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin"); fi
export STORMLOG_BIN=$bin
mkdir -p "$STORMLOG_OUT"
STORMLOG_OUT=$(cd "$STORMLOG_OUT" && pwd)
export STORMLOG_OUT

# A second suite into the same directory would mix two suites' shards.
if compgen -G "$STORMLOG_OUT/shard-*" >/dev/null || [ -e "$STORMLOG_OUT/merged" ]; then
  echo "submit.sh: $STORMLOG_OUT already holds shards or a merge; choose an empty directory" >&2
  exit 2
fi

# The command every task will run, checked here first (when this host has the binary): a typo in
# a scenario name costs a second, not a queue wait and M failed tasks.
if command -v "$bin" >/dev/null; then
  SLURM_ARRAY_TASK_ID=1 SLURM_CPUS_PER_TASK=$cpus STORMLOG_DRY_RUN=1 \
    bash "$here/suite.sbatch" >/dev/null || { echo "submit.sh: the suite command is refused" >&2; exit 2; }
else
  echo "submit.sh: $bin is not on this host; the suite command is checked by the first task" >&2
fi

mkdir -p "$STORMLOG_OUT/logs"
array=$(sbatch --parsable --export=ALL --array="1-$STORMLOG_SHARDS" --cpus-per-task="$cpus" \
          --output="$STORMLOG_OUT/logs/suite-%A_%a.out" "$@" "$here/suite.sbatch")
array=${array%%;*}  # --parsable prints "id;cluster" on multi-cluster setups
merge=$(sbatch --parsable --export=ALL --dependency="afterany:$array" \
          --output="$STORMLOG_OUT/logs/merge-%j.out" "$@" "$here/merge.sbatch")
merge=${merge%%;*}
echo "suite array job: $array (tasks 1-$STORMLOG_SHARDS, shards in $STORMLOG_OUT/shard-K)"
echo "merge job: $merge (after the array; results in $STORMLOG_OUT/merged)"
