#!/usr/bin/env python3
"""farm_compare.py SINGLE_SUMMARY OUT M: a sharded suite against the same suite in one process.

SINGLE_SUMMARY is the summary.json of one `stormlog suite --report`; OUT holds shard-1..shard-M
and merged/ as deploy/slurm writes them. Checks that the shards together ran each run of the
single suite exactly once with the same verdict and hash, then that merged/summary.json lists the
same runs in the same order. Exit 0 when both hold, 1 otherwise.
"""
import json
import os
import sys

FIELDS = ("scenario", "seed", "verdict", "hash")


def runs(path):
    with open(path) as f:
        return [tuple(r[k] for k in FIELDS) for r in json.load(f)["run_list"]]


def main():
    single_path, out, m = sys.argv[1], sys.argv[2], int(sys.argv[3])
    single = runs(single_path)
    sharded = []
    for k in range(1, m + 1):
        sharded += runs(os.path.join(out, f"shard-{k}", "summary.json"))
    # Shards interleave (run i goes to shard i % M + 1), so their union is compared as a multiset.
    if sorted(sharded) != sorted(single):
        extra = sorted(set(sharded) - set(single))
        missing = sorted(set(single) - set(sharded))
        print(f"shards != single run: {len(sharded)} vs {len(single)} runs; "
              f"only in shards {extra[:5]}, only in single {missing[:5]}")
        return 1
    print(f"shards == single run: {len(single)} runs in {m} shards, each once, same hashes")

    merged_path = os.path.join(out, "merged", "summary.json")
    if not os.path.exists(merged_path):
        print(f"no merged result: {merged_path} is missing (did the merge job run?)")
        return 1
    merged = runs(merged_path)
    if merged != single:
        diff = [(a, b) for a, b in zip(merged, single) if a != b][:5]
        print(f"merged != single run: {len(merged)} vs {len(single)} runs; first differences {diff}")
        return 1
    print(f"merged == single run: {len(single)} runs, per-run hashes and verdicts equal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
