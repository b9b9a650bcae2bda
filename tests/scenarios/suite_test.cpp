// Suites: --seeds and --shard give the exact line a user reads when they are wrong; the run list
// has one fixed order and the shards split it into disjoint parts that cover it; result JSON is
// byte-for-byte stable; result files appear whole or not at all.

#include "scenarios/suite.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace stormlog::scenarios {
namespace {

namespace fs = std::filesystem;

// ---- helpers ----

std::string seeds_error(const std::string& text) {
    SeedRange range;
    std::string error;
    EXPECT_FALSE(parse_seed_range(text, range, error)) << text;
    return error;
}

SeedRange seeds(const std::string& text) {
    SeedRange range;
    std::string error;
    EXPECT_TRUE(parse_seed_range(text, range, error)) << text << ": " << error;
    return range;
}

std::string shard_error(const std::string& text) {
    Shard shard;
    std::string error;
    EXPECT_FALSE(parse_shard(text, shard, error)) << text;
    return error;
}

std::string usage_error(const std::string& got) {
    return "--seeds: expected N (seeds 1..N) or A..B (seeds A to B inclusive), got \"" + got + "\"";
}

// A fresh directory for one test, named after it so that tests running at once never share one.
fs::path fresh_dir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const fs::path dir = fs::path(::testing::TempDir()) /
                         (std::string("stormlog_suite_test_") + info->test_suite_name() + "_" + info->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::string scenario_text(const std::string& name) {
    return R"({"name": ")" + name + R"(", "description": "d", "duration": "10s"})";
}

RunResult failed_result() {
    RunResult r;
    r.scenario = "storm";
    r.seed = 7;
    r.pass = false;
    r.hash = 0xab;
    r.sim_time = sim::Time::zero() + sim::Duration::millis(2500);
    r.events = 42;
    r.failures.push_back({"journal.durable", sim::Time::zero() + sim::Duration::millis(1500), "n2", "record 9 lost"});
    r.summary = {"faults: applied=1"};
    return r;
}

// ---- --seeds ----

TEST(SuiteSeeds, SingleNumberMeansOneToN) {
    const SeedRange r = seeds("20");
    EXPECT_EQ(r.first, 1u);
    EXPECT_EQ(r.last, 20u);
    EXPECT_EQ(r.count(), 20u);
}

TEST(SuiteSeeds, RangeIsInclusive) {
    const SeedRange r = seeds("5..7");
    EXPECT_EQ(r.first, 5u);
    EXPECT_EQ(r.last, 7u);
    EXPECT_EQ(r.count(), 3u);
    EXPECT_EQ(seeds("3..3").count(), 1u);
    EXPECT_EQ(seeds("0..0").first, 0u);
}

TEST(SuiteSeeds, LargestSeedsAreAccepted) {
    const SeedRange r = seeds("18446744073709551614..18446744073709551615");
    EXPECT_EQ(r.last, std::numeric_limits<uint64_t>::max());
    EXPECT_EQ(r.count(), 2u);
}

TEST(SuiteSeeds, ZeroSeedsIsAnError) { EXPECT_EQ(seeds_error("0"), "--seeds: N must be at least 1, got 0"); }

TEST(SuiteSeeds, BackwardRangeIsAnError) {
    EXPECT_EQ(seeds_error("5..2"), "--seeds: 5..2 is empty: A must be at most B");
}

TEST(SuiteSeeds, MalformedTextSaysWhatWasExpected) {
    for (const char* bad : {"", "abc", "1..", "..5", "-1", "+3", " 5", "5 ", "1...5", "1..2..3", "1-5", "0x10",
                            "18446744073709551616", "1..18446744073709551616"}) {
        EXPECT_EQ(seeds_error(bad), usage_error(bad)) << bad;
    }
}

TEST(SuiteSeeds, LongTextIsCutShortInTheError) {
    EXPECT_EQ(seeds_error(std::string(100, 'x')), usage_error(std::string(40, 'x') + "..."));
}

TEST(SuiteSeeds, MoreThanTheLimitIsAnError) {
    EXPECT_EQ(seeds("10000000").count(), k_suite_seeds_max);
    EXPECT_EQ(seeds_error("10000001"), "--seeds: 1..10000001 is more than 10000000 seeds");
    EXPECT_EQ(seeds_error("0..18446744073709551615"), "--seeds: 0..18446744073709551615 is more than 10000000 seeds");
}

// ---- --shard ----

TEST(SuiteShard, GoodShardsParse) {
    Shard s;
    std::string error;
    ASSERT_TRUE(parse_shard("3/4", s, error));
    EXPECT_EQ(s.index, 3u);
    EXPECT_EQ(s.count, 4u);
    ASSERT_TRUE(parse_shard("1/1", s, error));
    EXPECT_EQ(s.index, 1u);
    EXPECT_EQ(s.count, 1u);
}

TEST(SuiteShard, BadShardsSayWhatWasExpected) {
    for (const char* bad : {"3/2", "0/2", "0/0", "1/0", "a/b", "1", "1/", "/2", "1/2/3", "-1/2", "1/ 2", ""}) {
        EXPECT_EQ(shard_error(bad), std::string("--shard: expected K/M with 1 <= K <= M, got \"") + bad + "\"")
            << bad;
    }
}

// ---- the run list ----

TEST(SuiteRuns, ScenarioMajorThenSeedAscending) {
    const std::vector<SuiteRun> runs = expand_runs(2, seeds("5..7"), Shard{});
    ASSERT_EQ(runs.size(), 6u);
    const std::vector<std::pair<size_t, uint64_t>> want = {{0, 5}, {0, 6}, {0, 7}, {1, 5}, {1, 6}, {1, 7}};
    for (size_t i = 0; i < runs.size(); ++i) {
        EXPECT_EQ(runs[i].index, i);
        EXPECT_EQ(runs[i].scenario, want[i].first);
        EXPECT_EQ(runs[i].seed, want[i].second);
    }
}

TEST(SuiteRuns, ShardKeepsEveryMthRunFromKMinusOne) {
    const std::vector<SuiteRun> runs = expand_runs(2, seeds("5..7"), Shard{2, 4});
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].index, 1u);
    EXPECT_EQ(runs[0].seed, 6u);
    EXPECT_EQ(runs[1].index, 5u);
    EXPECT_EQ(runs[1].scenario, 1u);
    EXPECT_EQ(runs[1].seed, 7u);
}

TEST(SuiteRuns, ShardBeyondTheListIsEmpty) { EXPECT_TRUE(expand_runs(1, seeds("3"), Shard{5, 7}).empty()); }

TEST(SuiteRuns, HugeShardCountDoesNotWrap) {
    const uint64_t max = std::numeric_limits<uint64_t>::max();
    const std::vector<SuiteRun> first = expand_runs(3, seeds("4"), Shard{1, max});
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].index, 0u);
    EXPECT_TRUE(expand_runs(3, seeds("4"), Shard{max, max}).empty());
}

TEST(SuiteRuns, TooManyRunsForOneShardIsAnError) {
    std::string error;
    EXPECT_TRUE(check_run_count(1, seeds("10000000"), Shard{}, error));
    EXPECT_FALSE(check_run_count(2, seeds("10000000"), Shard{}, error));
    EXPECT_EQ(error,
              "--seeds: 2 scenarios x 10000000 seeds is 20000000 runs for this shard; at most 10000000 (split it "
              "with --shard)");
    EXPECT_TRUE(check_run_count(2, seeds("10000000"), Shard{1, 2}, error));
    EXPECT_FALSE(check_run_count(3, seeds("10000000"), Shard{1, 2}, error));
}

RC_GTEST_PROP(SuiteRuns, ShardsAreDisjointAndCoverTheWholeList, ()) {
    const auto scenario_count = *rc::gen::inRange<size_t>(0, 12);
    const auto first = *rc::gen::inRange<uint64_t>(0, 1000);
    const auto count = *rc::gen::inRange<uint64_t>(1, 40);
    const auto shards = *rc::gen::inRange<uint64_t>(1, 30);
    const SeedRange range{first, first + count - 1};
    const std::vector<SuiteRun> whole = expand_runs(scenario_count, range, Shard{});
    RC_ASSERT(whole.size() == scenario_count * count);

    std::set<uint64_t> seen;
    uint64_t total = 0;
    for (uint64_t k = 1; k <= shards; ++k) {
        const std::vector<SuiteRun> part = expand_runs(scenario_count, range, Shard{k, shards});
        uint64_t previous = 0;
        for (const SuiteRun& run : part) {
            RC_ASSERT(run.index % shards == k - 1);
            RC_ASSERT(run.index < whole.size());
            RC_ASSERT(run.scenario == whole[run.index].scenario);
            RC_ASSERT(run.seed == whole[run.index].seed);
            RC_ASSERT(&run == part.data() || run.index > previous);  // in run-list order
            RC_ASSERT(seen.insert(run.index).second);                // disjoint
            previous = run.index;
        }
        total += part.size();
    }
    RC_ASSERT(total == whole.size());  // with disjointness: the union is the whole list
}

// ---- verdicts and replay ----

TEST(SuiteVerdict, FailedMeansVerdictDiffersFromExpect) {
    RunResult r;
    r.pass = true;
    EXPECT_FALSE(run_failed(r, true));
    EXPECT_TRUE(run_failed(r, false));
    r.pass = false;
    EXPECT_TRUE(run_failed(r, true));
    EXPECT_FALSE(run_failed(r, false));
}

TEST(SuiteVerdict, HeadlineIsTheFirstFailure) {
    const sim::Failure f = headline_failure(failed_result(), true);
    EXPECT_EQ(f.property, "journal.durable");
    EXPECT_EQ(f.node, "n2");
    EXPECT_EQ(f.at.seconds_f(), 1.5);
}

TEST(SuiteVerdict, UnexpectedPassIsReportedAtTheRunsEnd) {
    RunResult r;
    r.pass = true;
    r.sim_time = sim::Time::zero() + sim::Duration::seconds(10);
    const sim::Failure f = headline_failure(r, false);
    EXPECT_EQ(f.property, "expected fail, got pass");
    EXPECT_EQ(f.node, "-");
    EXPECT_EQ(f.at.seconds_f(), 10.0);
}

TEST(SuiteReplay, PlainArgumentsAreLeftAlone) {
    EXPECT_EQ(replay_command("kernel-smoke", 3), "stormlog run kernel-smoke --seed 3");
    EXPECT_EQ(replay_command("scenarios/kernel-smoke.json", 18446744073709551615u),
              "stormlog run scenarios/kernel-smoke.json --seed 18446744073709551615");
}

TEST(SuiteReplay, ArgumentsAreQuotedForTheShell) {
    EXPECT_EQ(replay_command("my dir/a b.json", 1), "stormlog run 'my dir/a b.json' --seed 1");
    EXPECT_EQ(replay_command("it's.json", 1), "stormlog run 'it'\\''s.json' --seed 1");
    EXPECT_EQ(replay_command("$HOME/x.json", 1), "stormlog run '$HOME/x.json' --seed 1");
}

// ---- JSON ----

TEST(SuiteJson, RunJsonHasEveryFieldInAFixedOrder) {
    const std::string want = R"({"scenario":"storm","seed":7,"verdict":"fail","expected":"pass",)"
                             R"("hash":"00000000000000ab","sim_time":2.5,"events":42,"wall":0.25,)"
                             R"("failures":[{"property":"journal.durable","at":1.5,"node":"n2",)"
                             R"("message":"record 9 lost"}],"summary":["faults: applied=1"]})";
    EXPECT_EQ(run_json(failed_result(), true, 0.25).dump(), want);
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
}

TEST(SuiteJson, SummaryCountsAndReplaysFailures) {
    std::vector<SuiteScenario> scenarios(2);
    scenarios[0].scenario.name = "storm";
    scenarios[0].argument = "dir/storm.json";
    scenarios[1].scenario.name = "calm";
    scenarios[1].argument = "calm";
    const RunResult failed = failed_result();
    const SuiteArgs args{{"dir/", "calm"}, SeedRange{1, 10}, Shard{2, 3}, 4};
    const auto j = summary_json(args, scenarios, {{4, 1}, {3, 0}}, {{&scenarios[0], &failed}}, 1.5);
    const std::string want =
        R"({"args":{"scenarios":["dir/","calm"],"seeds":{"first":1,"last":10},"shard":{"index":2,"count":3},)"
        R"("jobs":4},"runs":7,"passed":6,"failed":1,"wall":1.5,"scenarios":[)"
        R"({"name":"storm","argument":"dir/storm.json","runs":4,"passed":3,"failed":1},)"
        R"({"name":"calm","argument":"calm","runs":3,"passed":3,"failed":0}],"failures":[)"
        R"({"scenario":"storm","seed":7,"property":"journal.durable","at":1.5,"node":"n2",)"
        R"("message":"record 9 lost","replay":"stormlog run dir/storm.json --seed 7"}]})";
    EXPECT_EQ(j.dump(), want);
}

TEST(SuiteJson, RunFilesGoUnderTheScenariosName) {
    EXPECT_EQ(run_json_path("out", "storm", 12), "out/storm/seed-12.json");
    EXPECT_EQ(run_json_path("out/", "storm", 1), "out/storm/seed-1.json");
}

// ---- files ----

TEST(SuiteFiles, AtomicWriteCreatesParentsAndLeavesNoTmp) {
    const fs::path dir = fresh_dir();
    const fs::path file = dir / "a" / "b" / "seed-1.json";
    std::string error;
    ASSERT_TRUE(write_file_atomically(file.string(), "first\n", error)) << error;
    ASSERT_TRUE(write_file_atomically(file.string(), "second\n", error)) << error;
    EXPECT_EQ(read_text(file), "second\n");
    EXPECT_FALSE(fs::exists(file.string() + ".tmp"));
    fs::remove_all(dir);
}

TEST(SuiteFiles, AtomicWriteFailureNamesTheFile) {
    const fs::path dir = fresh_dir();
    write_text(dir / "plain", "a file, not a directory");
    std::string error;
    EXPECT_FALSE(write_file_atomically((dir / "plain" / "x.json").string(), "x", error));
    EXPECT_EQ(error.rfind((dir / "plain").string() + ": cannot create directory: ", 0), 0u) << error;
    fs::remove_all(dir);
}

// ---- resolving scenarios ----

TEST(SuiteResolve, DirectoryGivesItsJsonFilesSortedByName) {
    const fs::path dir = fresh_dir();
    write_text(dir / "b.json", scenario_text("bravo"));
    write_text(dir / "a.json", scenario_text("alpha"));
    write_text(dir / "notes.txt", "not a scenario");
    fs::create_directories(dir / "nested");
    write_text(dir / "nested" / "c.json", scenario_text("charlie"));  // only files directly in it
    std::vector<SuiteScenario> list;
    ScenarioErrors errors;
    ASSERT_TRUE(resolve_suite_scenarios({dir.string(), "kernel-smoke"}, list, errors)) << errors.lines[0];
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0].scenario.name, "alpha");
    EXPECT_EQ(list[0].argument, (dir / "a.json").string());
    EXPECT_EQ(list[1].scenario.name, "bravo");
    EXPECT_EQ(list[2].scenario.name, "kernel-smoke");
    EXPECT_EQ(list[2].argument, "kernel-smoke");
    fs::remove_all(dir);
}

TEST(SuiteResolve, EveryBadArgumentIsReported) {
    const fs::path dir = fresh_dir();
    std::vector<SuiteScenario> list;
    ScenarioErrors errors;
    EXPECT_FALSE(resolve_suite_scenarios({"no-such-scenario", dir.string(), "kernel-smoke"}, list, errors));
    ASSERT_EQ(errors.lines.size(), 2u);
    EXPECT_EQ(errors.lines[0], "no scenario named \"no-such-scenario\" (see: stormlog list scenarios; a file path "
                               "must end in .json)");
    EXPECT_EQ(errors.lines[1], dir.string() + ": no scenario files (*.json) in this directory");
    EXPECT_TRUE(list.empty());
    fs::remove_all(dir);
}

TEST(SuiteResolve, SameNameTwiceIsAnError) {
    const fs::path dir = fresh_dir();
    const std::string file = (dir / "again.json").string();
    write_text(file, scenario_text("kernel-smoke"));
    std::vector<SuiteScenario> list;
    ScenarioErrors errors;
    EXPECT_FALSE(resolve_suite_scenarios({"kernel-smoke", file}, list, errors));
    ASSERT_EQ(errors.lines.size(), 1u);
    EXPECT_EQ(errors.lines[0],
              "scenario \"kernel-smoke\" is given twice (kernel-smoke and " + file + "); a suite runs each scenario once");
    fs::remove_all(dir);
}

}  // namespace
}  // namespace stormlog::scenarios
