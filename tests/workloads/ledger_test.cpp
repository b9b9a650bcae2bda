// The ledger workload: the real system passes its scenarios; each ledger, projection, queue and
// breaker property catches a deliberate bug within a few seeds while the real system passes the
// same seeds; and the seed's three cautionary designs - dedup by an in-memory id set, a half-open
// breaker that admits everyone, a queue that drops when full - are each caught.

#include <gtest/gtest.h>

#include "tests/workloads/run_support.hpp"
#include "workloads/ledger/workload.hpp"

namespace stormlog::workloads {
namespace {

using scenarios::parse_scenario;
using scenarios::ScenarioErrors;

using test_support::builtin;
using test_support::describe;

RunResult run(const Scenario& s, uint64_t seed, const LedgerBugs& bugs = {}) {
    RunOptions o;
    o.seed = seed;
    return run_ledger(s, o, bugs);
}

// The bug makes `property` fail within `seeds_max` seeds, and the same seeds pass without it.
void expect_caught(const Scenario& s, const LedgerBugs& bugs, const std::string& property,
                   uint64_t seeds_max) {
    const auto failure =
        test_support::first_failure([&](uint64_t seed) { return run(s, seed, bugs); }, seeds_max);
    ASSERT_TRUE(failure.has_value())
        << property << " never fired on " << s.name << " in " << seeds_max << " seeds";
    EXPECT_EQ(failure->second, property) << describe(run(s, failure->first, bugs));
    for (uint64_t seed = 1; seed <= failure->first; ++seed) {
        const RunResult r = run(s, seed);
        EXPECT_TRUE(r.pass) << describe(r);
    }
}

// ---- The real system passes ----------------------------------------------------------------

TEST(LedgerWorkload, SteadyRunMovesMoneyAndEveryProjectionCatchesUp) {
    const RunResult r = run(builtin("ledger-steady"), 1);
    ASSERT_TRUE(r.pass) << describe(r);
    const std::string all = describe(r);
    EXPECT_NE(all.find("acked_writes_lost=0"), std::string::npos) << all;
    EXPECT_NE(all.find("transfer="), std::string::npos) << all;
}

TEST(LedgerWorkload, SameSeedSameTraceHash) {
    const Scenario s = builtin("ledger-nemesis");
    EXPECT_EQ(run(s, 7).hash, run(s, 7).hash);
    EXPECT_NE(run(s, 7).hash, run(s, 8).hash);
}

TEST(LedgerWorkload, TheNemesisSummaryStatesWhatTheIssueAsksFor) {
    const RunResult r = run(builtin("ledger-nemesis"), 1);
    ASSERT_TRUE(r.pass) << describe(r);
    const std::string all = describe(r);
    for (const char* field : {"faults applied=", "breaker_trips=", "parked_events=", "max_lag=",
                              "alerts fired=", "resolved=", "acked_writes_lost=0"}) {
        EXPECT_NE(all.find(field), std::string::npos) << field << " missing from\n" << all;
    }
}

TEST(LedgerWorkload, AStoreOutageServesDegradedReadsAndTripsTheBreaker) {
    const RunResult r = run(builtin("store-outage-degraded-reads"), 1);
    ASSERT_TRUE(r.pass) << describe(r);
    const std::string all = describe(r);
    EXPECT_EQ(all.find("degraded_reads=0 "), std::string::npos) << all;
    EXPECT_EQ(all.find("breaker_trips=0 "), std::string::npos) << all;
}

TEST(LedgerWorkload, SlowHandlersFireLagAlertsThatResolve) {
    const RunResult r = run(builtin("slow-consumer-backpressure"), 1);
    ASSERT_TRUE(r.pass) << describe(r);
    const std::string all = describe(r);
    EXPECT_NE(all.find("alerts: lag-balances"), std::string::npos) << all;
    EXPECT_EQ(all.find("(firing)"), std::string::npos) << all;  // every firing resolved
}

TEST(LedgerWorkload, PoisonEventsAreParkedAndTheProjectionsGoOn) {
    const RunResult r = run(builtin("poison-event"), 1);
    ASSERT_TRUE(r.pass) << describe(r);
    EXPECT_EQ(describe(r).find("parked_events=0 "), std::string::npos) << describe(r);
}

// Seeds on which long suites once found a bug; each must pass now.
TEST(LedgerWorkload, SeedsThatOnceFailedPass) {
    const std::pair<const char*, uint64_t> seeds[] = {
        {"downstream-outage-breaker", 176},  // a crash released a half-open permit: slot freed
        {"projection-crash-loop", 125},      // a crash in the middle of a rebuild's erase
    };
    for (const auto& [name, seed] : seeds) {
        const RunResult r = run(builtin(name), seed);
        EXPECT_TRUE(r.pass) << describe(r);
    }
}

// ---- The seed's cautionary designs ----------------------------------------------------------

TEST(CautionaryDesigns, InMemoryDedupWithTheModelSavedApartAppliesEventsTwice) {
    LedgerBugs bugs;
    bugs.projection_in_memory_dedup = true;
    expect_caught(builtin("projection-crash-loop"), bugs, "projection.consistent", 3);
}

TEST(CautionaryDesigns, AHalfOpenBreakerAdmittingEveryCallFloodsTheRecoveringStore) {
    LedgerBugs bugs;
    bugs.breaker_half_open_admits_all = true;
    expect_caught(builtin("store-outage-degraded-reads"), bugs, "breaker.semantics", 5);
}

TEST(CautionaryDesigns, AQueueThatDropsWhenFullLosesEvents) {
    LedgerBugs bugs;
    bugs.queue_drop_when_full = true;
    expect_caught(builtin("slow-consumer-backpressure"), bugs, "queue.no_silent_loss", 3);
}

// ---- One deliberate bug per property ---------------------------------------------------------

TEST(LedgerBugsCaught, DebitingWithoutTheExpectedVersionOverdraws) {
    LedgerBugs bugs;
    bugs.service.bug_debit_any_version = true;
    expect_caught(builtin("ledger-steady"), bugs, "ledger.no_overdraft", 10);
}

TEST(LedgerBugsCaught, ACreditWithAFreshEventIdCreatesMoney) {
    LedgerBugs bugs;
    bugs.service.bug_credit_fresh_id = true;
    expect_caught(builtin("ledger-steady"), bugs, "ledger.conservation", 3);
}

TEST(LedgerBugsCaught, RetryingUnderAFreshEventIdAfterALostAnswerCommitsTwice) {
    LedgerBugs bugs;
    bugs.service.bug_retry_fresh_id = true;
    // Seed 14 since each application fault draws its worker from a stream of its own.
    expect_caught(builtin("store-outage-degraded-reads"), bugs, "ledger.conservation", 20);
}

TEST(LedgerBugsCaught, FencingAnAccountAfterAnUnknownOutcomeStopsTheServiceServing) {
    LedgerBugs bugs;
    bugs.service.bug_fence_after_unknown = true;
    expect_caught(builtin("store-outage-degraded-reads"), bugs, "liveness.service", 10);
}

TEST(LedgerBugsCaught, DroppingNotificationsTheBreakerRefusesIsCaught) {
    LedgerBugs bugs;
    bugs.notify_skip_when_open = true;
    expect_caught(builtin("downstream-outage-breaker"), bugs, "liveness.service", 10);
}

TEST(LedgerBugsCaught, CommandRetriesWithoutBackoffAreCaught) {
    LedgerBugs bugs;
    bugs.service.bug_retry_without_backoff = true;
    expect_caught(builtin("ledger-steady"), bugs, "retry.backoff", 10);
}

TEST(LedgerBugsCaught, HandlerRetriesWithoutBackoffAreCaught) {
    LedgerBugs bugs;
    bugs.projection_retry_without_backoff = true;
    expect_caught(builtin("poison-event"), bugs, "retry.backoff", 10);
}

TEST(LedgerBugsCaught, ResumingFromTheOlderCheckpointSlotMovesTheCheckpointBack) {
    LedgerBugs bugs;
    bugs.projection_load_oldest_slot = true;
    expect_caught(builtin("projection-crash-loop"), bugs, "projection.checkpoint_monotonic", 3);
}

TEST(LedgerBugsCaught, ABreakerThatIgnoresOpenLetsCallsThrough) {
    LedgerBugs bugs;
    bugs.breaker_ignore_open = true;
    expect_caught(builtin("downstream-outage-breaker"), bugs, "breaker.semantics", 3);
}

TEST(LedgerBugsCaught, CheckpointingOnlyEveryNEventsNeverCatchesUp) {
    LedgerBugs bugs;
    bugs.projection_checkpoint_only_every_n = true;
    expect_caught(builtin("ledger-steady"), bugs, "liveness.projections", 3);
}

TEST(LedgerBugsCaught, TheStopPolicyLeavesAProjectionBehindAndLivenessSaysSo) {
    LedgerBugs bugs;
    bugs.projections_stop_on_park = true;
    expect_caught(builtin("poison-event"), bugs, "liveness.projections", 3);
}

TEST(LedgerBugsCaught, AnEventParkedWithoutItsDeadLetterIsCaught) {
    LedgerBugs bugs;
    bugs.projection_park_without_dead_letter = true;
    expect_caught(builtin("poison-event"), bugs, "projection.dead_letters", 3);
}

TEST(LedgerBugsCaught, AReplayRequestDroppedAtTheHealIsCaught) {
    LedgerBugs bugs;
    bugs.projection_drop_replay_request = true;
    expect_caught(builtin("poison-event"), bugs, "projection.parked_replayed", 3);
}

// The replay is owed once the faults heal: parked events of a run are replayed in its quiet
// period, and the real system does it (every poison event is read back and parked again).
TEST(LedgerWorkload, ParkedEventsAreReplayedAfterTheHeal) {
    for (uint64_t seed = 1; seed <= 3; ++seed) {
        const RunResult r = run(builtin("poison-event"), seed);
        ASSERT_TRUE(r.pass) << describe(r);
        uint64_t replayed = 0;
        for (const auto& [name, hits] : r.probes) {
            if (name == "projection.parked_event_replayed") replayed = hits;
        }
        EXPECT_GT(replayed, 0u) << describe(r);
    }
}

TEST(LedgerBugsCaught, ADroppingQueueAlsoLeavesAReadModelThatIsNotTheFoldOfItsLog) {
    LedgerBugs bugs;
    bugs.queue_drop_when_full = true;
    Scenario s = builtin("slow-consumer-backpressure");
    s.properties = {"projection.consistent"};
    expect_caught(s, bugs, "projection.consistent", 3);
}

}  // namespace
}  // namespace stormlog::workloads
