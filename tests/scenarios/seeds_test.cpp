// Seeds and shards: --seeds and --shard give the exact line a user reads when they are wrong; the
// run list has one fixed order and the shards split it into disjoint parts that cover it.

#include "scenarios/seeds.hpp"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace stormlog::scenarios {
namespace {

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

TEST(SuiteSeeds, ZeroSeedsIsAnError) {
    EXPECT_EQ(seeds_error("0"), "--seeds: N must be at least 1, got 0");
}

TEST(SuiteSeeds, BackwardRangeIsAnError) {
    EXPECT_EQ(seeds_error("5..2"), "--seeds: 5..2 is empty: A must be at most B");
}

TEST(SuiteSeeds, MalformedTextSaysWhatWasExpected) {
    for (const char* bad : {"", "abc", "1..", "..5", "-1", "+3", " 5", "5 ", "1...5", "1..2..3",
                            "1-5", "0x10", "18446744073709551616", "1..18446744073709551616"}) {
        EXPECT_TRUE(seeds_error(bad).starts_with(usage_error(bad))) << bad;
    }
}

// A number out of its type's range is named, with the range: never wrapped, never clamped.
TEST(SuiteSeeds, OutOfRangeNumbersNameTheRange) {
    EXPECT_EQ(seeds_error("18446744073709551616"),
              usage_error("18446744073709551616") +
                  " (\"18446744073709551616\" is above 18446744073709551615; N is 1 to 10000000)");
    EXPECT_EQ(seeds_error("-1"), usage_error("-1") + " (\"-1\" is negative; N is 1 to 10000000)");
    EXPECT_EQ(seeds_error("1..18446744073709551616"),
              usage_error("1..18446744073709551616") +
                  " (\"18446744073709551616\" is above 18446744073709551615; seeds are 0 to "
                  "18446744073709551615)");
    EXPECT_EQ(seeds_error("x..5"), usage_error("x..5") +
                                       " (\"x\" is not a whole number; seeds are 0 to "
                                       "18446744073709551615)");
}

TEST(SuiteSeeds, LongTextIsCutShortInTheError) {
    const std::string cut = std::string(40, 'x') + "...";
    EXPECT_EQ(seeds_error(std::string(100, 'x')),
              usage_error(cut) + " (\"" + cut + "\" is not a whole number; N is 1 to 10000000)");
}

// ---- --seed ----

std::string seed_error(const std::string& text) {
    uint64_t seed = 0;
    std::string error;
    EXPECT_FALSE(parse_seed(text, seed, error)) << text;
    return error;
}

TEST(RunSeed, WholeNumbersInRangeParse) {
    for (const auto& [text, want] : std::vector<std::pair<std::string, uint64_t>>{
             {"0", 0}, {"7", 7}, {"18446744073709551615", UINT64_MAX}, {"007", 7}}) {
        uint64_t seed = 1;
        std::string error;
        EXPECT_TRUE(parse_seed(text, seed, error)) << text;
        EXPECT_EQ(seed, want) << text;
    }
}

TEST(RunSeed, NothingIsWrappedOrClamped) {
    const std::string range = ": expected a whole number from 0 to 18446744073709551615";
    EXPECT_EQ(seed_error("-1"), "--seed: \"-1\" is negative" + range);
    EXPECT_EQ(seed_error("18446744073709551616"),
              "--seed: \"18446744073709551616\" is above 18446744073709551615" + range);
    EXPECT_EQ(seed_error("99999999999999999999999"),
              "--seed: \"99999999999999999999999\" is above 18446744073709551615" + range);
    for (const char* bad : {"", "abc", "+3", " 5", "5 ", "0x10", "1e3", "1.0", "-", "--1"}) {
        EXPECT_EQ(seed_error(bad),
                  "--seed: \"" + std::string(bad) + "\" is not a whole number" + range)
            << bad;
    }
}

TEST(SuiteSeeds, MoreThanTheLimitIsAnError) {
    EXPECT_EQ(seeds("10000000").count(), k_suite_seeds_max);
    EXPECT_EQ(seeds_error("10000001"), "--seeds: 1..10000001 is more than 10000000 seeds");
    EXPECT_EQ(seeds_error("0..18446744073709551615"),
              "--seeds: 0..18446744073709551615 is more than 10000000 seeds");
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
    for (const char* bad :
         {"3/2", "0/2", "0/0", "1/0", "a/b", "1", "1/", "/2", "1/2/3", "-1/2", "1/ 2", ""}) {
        EXPECT_EQ(shard_error(bad),
                  std::string("--shard: expected K/M with 1 <= K <= M, got \"") + bad + "\"")
            << bad;
    }
}

// ---- the run list ----

TEST(SuiteRuns, ScenarioMajorThenSeedAscending) {
    const std::vector<SuiteRun> runs = expand_runs(2, seeds("5..7"), Shard{});
    ASSERT_EQ(runs.size(), 6u);
    const std::vector<std::pair<size_t, uint64_t>> want = {{0, 5}, {0, 6}, {0, 7},
                                                           {1, 5}, {1, 6}, {1, 7}};
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

TEST(SuiteRuns, ShardBeyondTheListIsEmpty) {
    EXPECT_TRUE(expand_runs(1, seeds("3"), Shard{5, 7}).empty());
}

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
              "--seeds: 2 scenarios x 10000000 seeds is 20000000 runs for this shard; at most "
              "10000000 (split it "
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

}  // namespace
}  // namespace stormlog::scenarios
