#pragma once
// Seeds and shards of a suite: parsing --seeds and --shard, and laying out the run list that
// every machine of a sharded suite agrees on. Pure: no threads, clocks or randomness.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace stormlog::scenarios {

// Bounds on one suite, so that a typo like `--seeds 1..1000000000000` is an error, not an
// out-of-memory kill an hour later.
constexpr uint64_t k_suite_seeds_max = 10'000'000;
constexpr uint64_t k_suite_runs_max = 10'000'000;  // runs one process holds (after --shard)

// Parses --seed: a whole decimal number in 0..2^64-1, digits only. On failure returns false and
// sets `error` to one line starting with "--seed: " that names the accepted range; nothing is
// ever wrapped or clamped into range ("-1" and "18446744073709551616" are errors, not seeds).
bool parse_seed(const std::string& text, uint64_t& out, std::string& error);

// Seeds first..last, inclusive.
struct SeedRange {
    uint64_t first = 1;
    uint64_t last = 1;
    uint64_t count() const { return last - first + 1; }
};

// Parses --seeds: "N" means 1..N (N >= 1), "A..B" means A..B inclusive (A <= B). On failure
// returns false and sets `error` to one line starting with "--seeds: ".
bool parse_seed_range(const std::string& text, SeedRange& out, std::string& error);

// Shard K of M (1-based): keeps the runs whose 0-based index i in the run list has i % M == K-1.
struct Shard {
    uint64_t index = 1;
    uint64_t count = 1;
};

// Parses --shard "K/M" with 1 <= K <= M. On failure returns false and sets `error` to one line
// starting with "--shard: ".
bool parse_shard(const std::string& text, Shard& out, std::string& error);

// One run of the suite. `index` is its place in the full run list (scenario-major, then seed
// ascending) - the same on every machine, whatever the shard.
struct SuiteRun {
    uint64_t index = 0;
    size_t scenario = 0;  // into the suite's scenario list
    uint64_t seed = 0;
};

// The runs of `shard` out of the full list of scenario_count x seeds runs, in run-list order.
// REQUIRES: seeds.count() <= k_suite_seeds_max and scenario_count * seeds.count() fits in 64 bits
// (parse_seed_range guarantees the first; check_run_count the rest).
std::vector<SuiteRun> expand_runs(size_t scenario_count, const SeedRange& seeds,
                                  const Shard& shard);

// How many runs this shard holds; false with a one-line `error` above k_suite_runs_max.
bool check_run_count(size_t scenario_count, const SeedRange& seeds, const Shard& shard,
                     std::string& error);

}  // namespace stormlog::scenarios
