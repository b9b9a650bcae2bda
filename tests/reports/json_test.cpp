// Run and suite JSON: every field in a fixed order, byte for byte stable; failures carry the
// command that replays them.

#include "reports/json.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/run_results.hpp"

namespace stormlog::reports {
namespace {

using scenarios::SeedRange;
using scenarios::Shard;

using test_support::failed_result;

// ---- JSON ----

TEST(SuiteJson, RunJsonHasEveryFieldInAFixedOrder) {
    const std::string want = R"({"scenario":"storm","seed":7,"verdict":"fail","expected":"pass",)"
                             R"("hash":"00000000000000ab","sim_time":2.5,"events":42,"wall":0.25,)"
                             R"("failures":[{"property":"journal.durable","at":1.5,"node":"n2",)"
                             R"("message":"record 9 lost"}],"summary":["faults: applied=1"],)"
                             R"("probes":{"raft.truncated":2}})";
    RunResult r = failed_result();
    r.probes = {{"raft.truncated", 2}};
    EXPECT_EQ(run_json(r, true, 0.25).dump(), want);
}

TEST(SuiteJson, PassingRunHasEmptyFailures) {
    RunResult r;
    r.scenario = "calm";
    r.pass = true;
    const auto j = run_json(r, true, 0);
    EXPECT_EQ(j["verdict"], "pass");
    EXPECT_EQ(j["expected"], "pass");
    EXPECT_EQ(j["hash"], "0000000000000000");
    EXPECT_TRUE(j["failures"].is_array() && j["failures"].empty());
    EXPECT_TRUE(j["summary"].is_array() && j["summary"].empty());
    EXPECT_TRUE(j["probes"].is_object() && j["probes"].empty());
}

TEST(SuiteJson, SummaryCountsAndReplaysFailures) {
    std::vector<SuiteScenario> scenarios(2);
    scenarios[0].scenario.name = "storm";
    scenarios[0].argument = "dir/storm.json";
    scenarios[1].scenario.name = "calm";
    scenarios[1].argument = "calm";
    const RunResult failed = failed_result();
    const SuiteArgs args{{"dir/", "calm"}, SeedRange{1, 10}, Shard{2, 3}, 4};
    const std::vector<ScenarioCounts> counts = {{4, 1, {{"raft.truncated", 3}, {"raft.voted", 0}}},
                                                {3, 0, {}}};
    const auto j = summary_json(args, scenarios, counts, {{&scenarios[0], &failed}}, 1.5);
    const std::string want =
        R"({"args":{"scenarios":["dir/","calm"],"seeds":{"first":1,"last":10},"shard":{"index":2,"count":3},)"
        R"("jobs":4},"runs":7,"passed":6,"failed":1,"wall":1.5,"scenarios":[)"
        R"({"name":"storm","argument":"dir/storm.json","runs":4,"passed":3,"failed":1,)"
        R"("probes":{"raft.truncated":3,"raft.voted":0}},)"
        R"({"name":"calm","argument":"calm","runs":3,"passed":3,"failed":0,"probes":{}}],)"
        R"("failures":[)"
        R"({"scenario":"storm","seed":7,"property":"journal.durable","at":1.5,"node":"n2",)"
        R"("message":"record 9 lost","replay":"stormlog run dir/storm.json --seed 7"}]})";
    EXPECT_EQ(j.dump(), want);
}

TEST(SuiteJson, RunFilesGoUnderTheScenariosName) {
    EXPECT_EQ(run_json_path("out", "storm", 12), "out/storm/seed-12.json");
    EXPECT_EQ(run_json_path("out/", "storm", 1), "out/storm/seed-1.json");
}

}  // namespace
}  // namespace stormlog::reports
