#pragma once
// Merging the shards of one suite (`stormlog suite ... --shard K/M --report DIR`, one DIR per
// shard, on as many machines) into the suite report one machine would have written.
//
// The contract: every shard's summary.json records the build that ran it and the suite's
// parameters (scenarios, seed range, shard K/M); a merge takes shards of one build and one suite
// only, each of 1..M exactly once, each holding exactly its share of the runs. The merged
// summary.json, junit.xml, summary.md and index.html are those of a single run of the whole
// suite, apart from wall times and the recorded --jobs: counts add up, the run list and the
// failures are put back in run-list order, and the scorecard is rebuilt from every shard's
// scorecard-data.json (the counts and every recovery time, so its percentiles are exact).

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace stormlog::reports {

struct ShardReport {
    std::string dir;
    nlohmann::ordered_json summary;    // summary.json
    nlohmann::ordered_json scorecard;  // scorecard-data.json
};

// Reads a shard's report directory. On failure returns false with `error` naming the file and
// what is wrong with it.
bool load_shard(const std::string& dir, ShardReport& out, std::string& error);

// Why `shards` do not form one suite, naming the shard (its directory) at fault: another build,
// other scenarios or seeds, another shard count, a shard given twice, a shard missing, a shard
// whose run list is not its share. "" when they do.
std::string shards_problem(const std::vector<ShardReport>& shards);

struct MergedReport {
    nlohmann::ordered_json summary;    // summary.json, with run_list and scorecard
    nlohmann::ordered_json scorecard;  // scorecard-data.json of the whole suite
};

// REQUIRES: shards_problem(shards) == "".
MergedReport merge_shards(const std::vector<ShardReport>& shards);

}  // namespace stormlog::reports
