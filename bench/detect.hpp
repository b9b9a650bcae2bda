#pragma once
// Bug-finding power: every deliberate-bug switch the tests know, run against the built-in swarm
// of its system (swarm-store for the store's, swarm-ledger for the ledger system's) with seeds
// 1, 2, ... until the first failing run (at most `seeds_max`). A switch no seed catches is a hole
// in the properties, the faults or the coverage; the wall time to the first failing seed is what
// a user pays to find such a bug. One core: the runs of one switch go one after another.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace stormlog::bench {

struct Detection {
    std::string bug;
    std::string scenario;
    bool caught = false;
    uint64_t seeds = 0;  // runs made: the failing seed when caught
    double wall_s = 0;
    std::string property;
};

// The switches, by name ("raft.commit_by_counting", "ledger.projection_park_without_dead_letter").
std::vector<std::string> detect_bug_names();

// Runs one switch (by name); REQUIRES: a name detect_bug_names() lists.
Detection detect(const std::string& bug, uint64_t seeds_max);

// Prints a DETECT line per switch (those whose name contains `filter`; empty: all), then
// `BENCH detect.catch_rate=...` and `BENCH detect.median_wall_s=...`. Returns 0 if every switch
// was caught, else 1.
int run_detect_bench(std::ostream& out, const std::string& filter = "", uint64_t seeds_max = 200);

}  // namespace stormlog::bench
