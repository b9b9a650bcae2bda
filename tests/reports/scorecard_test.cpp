// The fault scorecard: counts per kind over runs, availability over summed operations,
// nearest-rank percentiles of the recovery times, and nulls where there is nothing to measure.

#include "reports/scorecard.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace stormlog::reports {
namespace {

using Json = nlohmann::ordered_json;

Json fault(int id, const std::string& kind, const std::string& category = "network") {
    return {{"id", id}, {"kind", kind}, {"category", category}};
}

Json recovery(int id, const std::string& kind, int ops, int ops_ok, Json first, Json stable) {
    return {{"fault", id},
            {"kind", kind},
            {"ops", ops},
            {"ops_ok", ops_ok},
            {"first_commit_s", first},
            {"stable_leader_s", stable}};
}

Json run(std::vector<Json> faults, std::vector<Json> recoveries) {
    return {{"faults", faults}, {"recovery", recoveries}};
}

const Json& kind_entry(const Json& card, const std::string& kind) {
    for (const Json& k : card)
        if (k["kind"] == kind) return k;
    throw std::runtime_error("no scorecard entry for " + kind);
}

TEST(Scorecard, EmptyHasNoKinds) {
    const Json card = Scorecard().to_json();
    EXPECT_TRUE(card.is_array() && card.empty());
}

TEST(Scorecard, EntryHasTheSchemasKeysInOrder) {
    Scorecard s;
    s.add_run(run({fault(0, "crash", "process")}, {recovery(0, "crash", 10, 5, 0.25, 0.5)}), true);
    const std::string want =
        R"([{"kind":"crash","category":"process","applied":1,"runs":1,"availability":0.5,)"
        R"("first_commit_p50_s":0.25,"first_commit_p99_s":0.25,"stable_leader_p50_s":0.5,)"
        R"("stable_leader_p99_s":0.5,"not_recovered":0,"violations":0}])";
    EXPECT_EQ(s.to_json().dump(), want);
}

TEST(Scorecard, CountsAppliedRunsAvailabilityAndViolationsPerKind) {
    Scorecard s;
    // Run 1 (ok): crash twice, partition once.
    s.add_run(run({fault(0, "crash", "process"), fault(1, "partition-halves"),
                   fault(2, "crash", "process")},
                  {recovery(0, "crash", 10, 8, 0.1, 0.2),
                   recovery(1, "partition-halves", 30, 15, 1.0, 2.0),
                   recovery(2, "crash", 10, 10, 0.3, 0.4)}),
              true);
    // Run 2 (not ok): crash once, never recovered.
    s.add_run(run({fault(0, "crash", "process")}, {recovery(0, "crash", 20, 2, nullptr, nullptr)}),
              false);
    const Json card = s.to_json();
    ASSERT_EQ(card.size(), 2u);
    EXPECT_EQ(card[0]["kind"], "crash") << "sorted by kind name";
    EXPECT_EQ(card[1]["kind"], "partition-halves");
    const Json& crash = kind_entry(card, "crash");
    EXPECT_EQ(crash["category"], "process");
    EXPECT_EQ(crash["applied"], 3);
    EXPECT_EQ(crash["runs"], 2);
    EXPECT_DOUBLE_EQ(crash["availability"].get<double>(), 20.0 / 40.0)
        << "sum ops_ok / sum ops, not a mean of ratios";
    EXPECT_EQ(crash["not_recovered"], 1);
    EXPECT_EQ(crash["violations"], 1);
    EXPECT_DOUBLE_EQ(crash["first_commit_p50_s"].get<double>(), 0.1) << "null is not a value";
    EXPECT_DOUBLE_EQ(crash["first_commit_p99_s"].get<double>(), 0.3);
    const Json& partition = kind_entry(card, "partition-halves");
    EXPECT_EQ(partition["applied"], 1);
    EXPECT_EQ(partition["runs"], 1);
    EXPECT_EQ(partition["violations"], 0) << "not applied in the failed run";
    EXPECT_DOUBLE_EQ(partition["availability"].get<double>(), 0.5);
}

TEST(Scorecard, NullsWhenThereIsNothingToMeasure) {
    Scorecard s;
    s.add_run(
        run({fault(0, "loss"), fault(1, "loss")}, {recovery(0, "loss", 0, 0, nullptr, nullptr),
                                                   recovery(1, "loss", 0, 0, nullptr, nullptr)}),
        true);
    const Json k = s.to_json()[0];
    EXPECT_TRUE(k["availability"].is_null()) << "0 ops";
    EXPECT_TRUE(k["first_commit_p50_s"].is_null());
    EXPECT_TRUE(k["first_commit_p99_s"].is_null());
    EXPECT_TRUE(k["stable_leader_p50_s"].is_null());
    EXPECT_TRUE(k["stable_leader_p99_s"].is_null());
    EXPECT_EQ(k["not_recovered"], 2);
}

// A system without commits (measured false) has no recovery to miss.
TEST(Scorecard, UnmeasuredFaultsAreNotCountedAsNeverRecovered) {
    Scorecard s;
    Json unmeasured = recovery(0, "crash", 3, 2, nullptr, nullptr);
    unmeasured["measured"] = false;
    Json missed = recovery(1, "crash", 1, 1, nullptr, nullptr);
    missed["measured"] = true;
    s.add_run(run({fault(0, "crash", "node"), fault(1, "crash", "node")}, {unmeasured, missed}),
              true);
    const Json k = s.to_json()[0];
    EXPECT_EQ(k["not_recovered"], 1);
    EXPECT_EQ(k["applied"], 2);
    EXPECT_DOUBLE_EQ(k["availability"].get<double>(), 0.75);
}

TEST(Scorecard, AKindAppliedTwiceInOneRunCountsOneRunAndOneViolation) {
    Scorecard s;
    s.add_run(run({fault(0, "crash"), fault(1, "crash")}, {}), false);
    const Json k = s.to_json()[0];
    EXPECT_EQ(k["applied"], 2);
    EXPECT_EQ(k["runs"], 1);
    EXPECT_EQ(k["violations"], 1);
}

TEST(Scorecard, PercentilesOverOccurrencesOfManyRuns) {
    Scorecard s;
    // 100 runs, recovery times 100, 99, ..., 1: nearest rank gives p50 = 50, p99 = 99.
    for (int i = 100; i >= 1; --i)
        s.add_run(run({fault(0, "crash")}, {recovery(0, "crash", 1, 1, i, i * 10)}), true);
    const Json k = s.to_json()[0];
    EXPECT_EQ(k["first_commit_p50_s"], 50.0);
    EXPECT_EQ(k["first_commit_p99_s"], 99.0);
    EXPECT_EQ(k["stable_leader_p50_s"], 500.0);
    EXPECT_EQ(k["stable_leader_p99_s"], 990.0);
    EXPECT_EQ(k["runs"], 100);
    EXPECT_EQ(k["availability"], 1.0);
}

TEST(Scorecard, ToJsonCanBeCalledAgainAfterMoreRuns) {
    Scorecard s;
    s.add_run(run({fault(0, "crash")}, {recovery(0, "crash", 1, 1, 3.0, 3.0)}), true);
    EXPECT_EQ(s.to_json()[0]["first_commit_p50_s"], 3.0);
    s.add_run(run({fault(0, "crash")}, {recovery(0, "crash", 1, 1, 1.0, 1.0)}), true);
    EXPECT_EQ(s.to_json()[0]["first_commit_p50_s"], 1.0);
    EXPECT_EQ(s.to_json()[0]["first_commit_p99_s"], 3.0);
}

TEST(Scorecard, RecoveryWithoutKindTakesItsFaultsKind) {
    Scorecard s;
    Json r = recovery(7, "", 4, 3, 0.5, 0.5);
    r.erase("kind");
    s.add_run(run({fault(7, "clock-skew", "clock")}, {r}), true);
    const Json k = s.to_json()[0];
    EXPECT_EQ(k["kind"], "clock-skew");
    EXPECT_EQ(k["availability"], 0.75);
}

TEST(Scorecard, MissingArraysAndFieldsCountAsAbsent) {
    Scorecard s;
    s.add_run(Json::object(), false);
    s.add_run(Json::array(), false);
    s.add_run({{"faults", "not an array"}, {"recovery", nullptr}}, false);
    EXPECT_TRUE(s.to_json().empty());
    s.add_run({{"faults", {{{"kind", "pause"}}}}, {"recovery", {{{"kind", "pause"}}}}}, true);
    const Json k = s.to_json()[0];
    EXPECT_EQ(k["category"], "");
    EXPECT_TRUE(k["availability"].is_null());
    EXPECT_EQ(k["not_recovered"], 1) << "no first_commit_s: not recovered";
}

TEST(NearestRank, SmallAndUnsortedInputs) {
    std::vector<double> none;
    EXPECT_EQ(nearest_rank(none, 50), std::nullopt);
    std::vector<double> one{4.0};
    EXPECT_EQ(nearest_rank(one, 50), 4.0);
    EXPECT_EQ(nearest_rank(one, 99), 4.0);
    std::vector<double> two{9.0, 1.0};
    EXPECT_EQ(nearest_rank(two, 50), 1.0) << "rank ceil(0.5 * 2) = 1";
    EXPECT_EQ(nearest_rank(two, 99), 9.0);
    std::vector<double> five{5, 3, 1, 4, 2};
    EXPECT_EQ(nearest_rank(five, 50), 3.0) << "rank ceil(2.5) = 3";
    EXPECT_EQ(nearest_rank(five, 99), 5.0);
    EXPECT_EQ(nearest_rank(five, 100), 5.0);
    EXPECT_EQ(nearest_rank(five, 1), 1.0);
}

}  // namespace
}  // namespace stormlog::reports
