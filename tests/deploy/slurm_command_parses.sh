#!/usr/bin/env bash
# slurm_command_parses.sh STORMLOG SOURCE_DIR: deploy/slurm's scripts build commands stormlog takes.
#  - suite.sbatch, run as array task K of M (SLURM_* set as Slurm sets them) with STORMLOG_DRY_RUN=1,
#    goes through the real `stormlog suite --dry-run`: exit 0, PLAN ... shard=K/M, nothing written;
#    STORMLOG_SHARDS wins over the array's count (a resubmitted task);
#  - run for real, a suite that finds failing runs ends the task with 0 and a complete shard, and
#    bad input ends it with 2;
#  - submit.sh (with a recording sbatch) submits --array=1-M, then the merge with
#    --dependency=afterany:<array id>, and prints both ids; merge.sbatch names shard-1..shard-M.
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
slurm=$2/deploy/slurm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
fail() { echo "FAILED: $*"; bad=1; }

# Array task $1 of the array with $2 tasks, environment as a compute node gives it, plus "$@".
task() {
  local k=$1 count=$2
  shift 2
  env -i PATH=/usr/bin:/bin SLURM_ARRAY_TASK_ID="$k" SLURM_ARRAY_TASK_COUNT="$count" \
    SLURM_CPUS_PER_TASK=2 STORMLOG_BIN="$bin" STORMLOG_SCENARIOS="ledger-nemesis nemesis-within" \
    STORMLOG_SEEDS=1..8 STORMLOG_OUT="$tmp/out" "$@" bash "$slurm/suite.sbatch"
}

m=4
for ((k = 1; k <= m; k++)); do
  got=$(task "$k" "$m" STORMLOG_DRY_RUN=1 2>&1) && code=0 || code=$?
  if [ "$code" -ne 0 ] || ! grep -qx "PLAN runs=[0-9]* scenarios=2 seeds=1\.\.8 shard=$k/$m" <<<"$got"; then
    fail "task $k/$m: want exit 0 and PLAN ... shard=$k/$m, got exit $code: $got"
  else
    echo "task $k: $got"
  fi
done
[ ! -e "$tmp/out" ] || fail "a dry run wrote $(ls "$tmp/out")"
got=$(task 3 1 STORMLOG_DRY_RUN=1 STORMLOG_SHARDS=4 2>&1) || true
grep -q "shard=3/4$" <<<"$got" || fail "STORMLOG_SHARDS=4 with one resubmitted task: $got"

# Found bugs: the task succeeds and its shard is complete; bad input: the task fails with 2.
failing=$2/tests/cli/data/kernel-smoke-expect-fail.json
task 1 1 STORMLOG_SCENARIOS="$failing" STORMLOG_SEEDS=2 >"$tmp/log" 2>&1 && code=0 || code=$?
[ "$code" -eq 0 ] || fail "a suite with failing runs: task exit $code, want 0: $(cat "$tmp/log")"
[ -s "$tmp/out/shard-1/summary.json" ] || fail "a suite with failing runs left no shard-1/summary.json"
task 1 1 STORMLOG_SCENARIOS=no-such-scenario >"$tmp/log" 2>&1 && code=0 || code=$?
[ "$code" -eq 2 ] || fail "bad input: task exit $code, want 2: $(cat "$tmp/log")"

# submit.sh against a recording sbatch: job 41 is the array, 42 the merge.
mkdir "$tmp/bin"
cat >"$tmp/bin/sbatch" <<EOF
#!/bin/sh
n=\$(( \$(cat "$tmp/n" 2>/dev/null || echo 40) + 1 )); echo \$n > "$tmp/n"
echo "\$*" >> "$tmp/sbatch.log"; echo "\$n;cluster"
EOF
chmod +x "$tmp/bin/sbatch"
got=$(env PATH="$tmp/bin:/usr/bin:/bin" STORMLOG_BIN="$bin" STORMLOG_SCENARIOS=ledger-nemesis \
        STORMLOG_SEEDS=1..8 STORMLOG_OUT="$tmp/sub" STORMLOG_SHARDS=3 STORMLOG_CPUS=2 \
        "$slurm/submit.sh" --partition=debug 2>&1) || fail "submit.sh exited $?: $got"
echo "$got"
grep -q "^suite array job: 41 " <<<"$got" && grep -q "^merge job: 42 " <<<"$got" || fail "job ids: $got"
first=$(sed -n 1p "$tmp/sbatch.log") second=$(sed -n 2p "$tmp/sbatch.log")
[[ $first == *"--array=1-3 "*"--cpus-per-task=2 "*"--partition=debug "*"/suite.sbatch" ]] || fail "array: sbatch $first"
[[ $second == *"--dependency=afterany:41 "*"--partition=debug "*"/merge.sbatch" ]] || fail "merge: sbatch $second"
# A refused suite is not submitted.
rm -f "$tmp/sbatch.log"
env PATH="$tmp/bin:/usr/bin:/bin" STORMLOG_BIN="$bin" STORMLOG_SCENARIOS=no-such-scenario \
  STORMLOG_SEEDS=1..8 STORMLOG_OUT="$tmp/sub2" "$slurm/submit.sh" >/dev/null 2>&1 && fail "submit.sh took a bad scenario"
[ ! -e "$tmp/sbatch.log" ] || fail "submit.sh submitted a suite stormlog refuses"

# merge.sbatch: every shard by name, into merged/.
printf '#!/bin/sh\necho "$*"\n' >"$tmp/bin/record" && chmod +x "$tmp/bin/record"
got=$(env -i PATH=/usr/bin:/bin STORMLOG_BIN="$tmp/bin/record" STORMLOG_OUT=/r STORMLOG_SHARDS=3 \
        bash "$slurm/merge.sbatch" | tail -n1)
[ "$got" = "merge /r/shard-1 /r/shard-2 /r/shard-3 --out /r/merged --force" ] || fail "merge.sbatch ran: $got"

[ "$bad" -eq 0 ] && echo "deploy/slurm: commands parse"
exit "$bad"
