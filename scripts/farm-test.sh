#!/usr/bin/env bash
# farm-test.sh STORMLOG: the Slurm recipe end to end on a one-node cluster made here, on localhost.
# Starts munged, slurmctld and slurmd directly (no systemd, no cgroups), with their key, config,
# state, spool, pid and log files in one temporary directory; submits a 4-task suite array and its
# merge with deploy/slurm/submit.sh; waits for both; and checks that the merged summary.json lists
# the same runs (scenario, seed, verdict, hash) as one `stormlog suite --report` of the same suite.
# Then a 2-task suite whose every run fails: its tasks complete and the merge job exits 1.
# Needs root and Debian's slurm-wlm and munge (make farm-test installs them). On exit every daemon
# it started is stopped and the temporary directory removed; it then checks nothing is left.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: farm-test.sh STORMLOG" >&2; exit 2; }
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "farm-test: run as root (the daemons are started here)" >&2; exit 2; }
for c in munged slurmctld slurmd sbatch squeue scontrol sinfo scancel; do
  command -v "$c" >/dev/null || { echo "farm-test: $c missing (make farm-test installs slurm-wlm munge)" >&2; exit 2; }
done

scenarios="ledger-nemesis nemesis-within"
seeds=1..8
shards=4
timeout_s=${FARM_TIMEOUT:-300}
# Ports away from Slurm's defaults (6817/6818), so a real Slurm on this host is not disturbed.
ctld_port=${FARM_CTLD_PORT:-17817}
slurmd_port=${FARM_SLURMD_PORT:-17818}

tmp=$(mktemp -d /tmp/stormlog-farm.XXXXXX)
# munged refuses a key or socket directory that others could write; slurmd needs to traverse.
chmod 755 "$tmp"
pids=()
start=$(date +%s)
# Stops what was started here, newest first, by pid; then removes every file this script made,
# and checks that no process and no file outside $tmp is left.
cleanup() {
  local status=$?
  set +e
  if [ -n "${SLURM_CONF:-}" ] && scontrol ping >/dev/null 2>&1; then
    # Jobs first, so that no slurmstepd outlives slurmd.
    scancel --quiet --full -u root 2>/dev/null
    for _ in $(seq 50); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.2; done
  fi
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null
  done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null
  done
  if [ "$status" -ne 0 ] && [ -d "$tmp/log" ]; then
    for f in "$tmp"/log/*; do echo "--- $f (last lines)"; tail -n 15 "$f"; done
  fi
  rm -rf "$tmp"
  # Every process this script started names $tmp on its command line (daemons, job scripts).
  local left
  left=$(pgrep -a -f -- "$tmp")
  # Files the daemons would make if a path were missing from slurm.conf or munged's flags.
  left+=$(find /etc/slurm /etc/munge /var/spool /var/lib/slurm /var/log/slurm /var/lib/munge \
            /var/log/munge /run/munge /run/slurm* -newermt "@$start" 2>/dev/null)
  if [ -n "$left" ]; then
    echo "farm-test: left behind:"; echo "$left"; [ "$status" -ne 0 ] || status=1
  else
    echo "cleanup: daemons stopped, $tmp removed, nothing left in /etc, /var or /run"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp"/{munge,state,spool,log,run,out}
chmod 711 "$tmp/munge"  # clients reach the socket; the key stays 0400

# --- munge: its own key and socket, so /etc/munge and /run/munge are never touched.
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/munge.key"
munged --force --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/munge.socket" \
  --pid-file="$tmp/run/munged.pid" --log-file="$tmp/log/munged.log" \
  --seed-file="$tmp/munge/munged.seed"
for _ in $(seq 50); do [ -s "$tmp/run/munged.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$tmp/run/munged.pid")")

# --- slurm.conf for one node, localhost, with every path in $tmp (see `man slurm.conf`, 22.05).
export SLURM_CONF=$tmp/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=stormlog-farm
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
# Ended jobs stay visible to scontrol long enough to read their states.
MinJobAge=600
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF

slurmctld -D -i -f "$SLURM_CONF" >>"$tmp/log/slurmctld.out" 2>&1 &
pids+=("$!")
for _ in $(seq 100); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.2; done
scontrol ping | grep -q UP || { echo "farm-test: slurmctld did not come up" >&2; exit 1; }
slurmd -D -N localhost -f "$SLURM_CONF" >>"$tmp/log/slurmd.out" 2>&1 &
pids+=("$!")
for _ in $(seq 100); do
  sinfo -h -N -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break; sleep 0.2
done
sinfo -h -N -o %T | grep -qE '^(idle|mixed|allocated)' || { echo "farm-test: the node is not idle: $(sinfo -h -N -o %T)" >&2; exit 1; }
echo "cluster: slurmctld and slurmd up on localhost, $(nproc) CPUs (config $SLURM_CONF)"

# The state and exit code of one job (an array task is <array>_<k>), from scontrol's one-line form.
job_field() { scontrol -o show job "$1" 2>/dev/null | grep -o " $2=[^ ]*" | head -n1 | cut -d= -f2; }
ended() { case "$1" in COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | PREEMPTED | BOOT_FAIL | DEADLINE) return 0 ;; *) return 1 ;; esac; }

# submit_and_wait OUT SHARDS SCENARIOS SEEDS: submits with submit.sh as the README does, waits for
# the merge, prints each task's and the merge's state; sets $array, $merge, $tasks_ok, $mstate.
submit_and_wait() {
  local out=$1 m=$2 k st ec runs sub deadline=$((SECONDS + timeout_s))
  sub=$(STORMLOG_BIN=$bin STORMLOG_SCENARIOS=$3 STORMLOG_SEEDS=$4 STORMLOG_OUT=$out \
        STORMLOG_SHARDS=$m STORMLOG_CPUS=1 "$root/deploy/slurm/submit.sh")
  echo "$sub"
  array=$(sed -n 's/^suite array job: \([0-9]*\).*/\1/p' <<<"$sub")
  merge=$(sed -n 's/^merge job: \([0-9]*\).*/\1/p' <<<"$sub")
  if [ -z "$array" ] || [ -z "$merge" ]; then echo "farm-test: submit.sh printed no job ids" >&2; exit 1; fi
  until ended "$(job_field "$merge" JobState)"; do
    if [ $SECONDS -ge $deadline ]; then
      echo "farm-test: not done after ${timeout_s}s:" >&2; squeue >&2; exit 1
    fi
    sleep 1
  done
  tasks_ok=1
  for ((k = 1; k <= m; k++)); do
    st=$(job_field "${array}_$k" JobState)
    ec=$(job_field "${array}_$k" ExitCode)
    runs=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["run_list"]))' \
             "$out/shard-$k/summary.json" 2>/dev/null || echo "?")
    echo "array task ${array}_$k: $st exit=$ec shard $k/$m runs=$runs"
    [ "$st" = COMPLETED ] || tasks_ok=0
  done
  mstate=$(job_field "$merge" JobState)
  echo "merge job $merge: $mstate exit=$(job_field "$merge" ExitCode)"
  sed 's/^/  merge log: /' "$out/logs/merge-$merge.out"
}

# --- the suite, as the README's recipe submits it: every run passes.
out=$tmp/out/run
submit_and_wait "$out" "$shards" "$scenarios" "$seeds"
[ "$tasks_ok" = 1 ] || { echo "farm-test: an array task did not complete" >&2; exit 1; }
# Every run of this suite passes, so the merge's verdict (its exit code) is 0.
[ "$mstate" = COMPLETED ] || { echo "farm-test: the merge job ended $mstate" >&2; exit 1; }

# --- the same suite in one process, and the comparison.
read -r -a sc <<<"$scenarios"
"$bin" suite "${sc[@]}" --seeds "$seeds" --jobs 1 --report "$tmp/out/single" >/dev/null 2>&1 || true
python3 "$root/scripts/farm_compare.py" "$tmp/out/single/summary.json" "$out" "$shards"

# --- a suite that finds failures: its tasks complete (failing runs are results, not a broken
# shard) and the merge job carries the verdict, exit 1, with every failing run merged.
echo "suite with failing runs (a scenario that expects a failure that never comes):"
submit_and_wait "$tmp/out/failing" 2 "$root/tests/cli/data/kernel-smoke-expect-fail.json" 1..4
failed=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["failed"])' \
           "$tmp/out/failing/merged/summary.json" 2>/dev/null || echo "?")
if [ "$tasks_ok" != 1 ] || [ "$mstate" != FAILED ] || [ "$(job_field "$merge" ExitCode)" != 1:0 ] \
   || [ "$failed" != 4 ]; then
  echo "farm-test: want both tasks COMPLETED, the merge FAILED with exit 1 and 4 failed runs merged" >&2
  exit 1
fi
echo "found failures: tasks completed, merge exit 1, merged summary has $failed failed runs"
