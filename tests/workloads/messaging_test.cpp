// The messaging workload under faults: it passes with the real code, and each property catches
// its deliberate bug within a few seeds. Also: same scenario and seed, same trace hash, faults on.

#include "workloads/messaging.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "faults/catalogue.hpp"

namespace stormlog::workloads {
namespace {

using sim::Duration;

Scenario base(int seconds = 10) {
    Scenario s;
    s.name = "test";
    s.cluster.nodes = 5;
    s.workload.type = "messaging";
    s.workload.clients = 2;
    s.workload.rate = 40;
    s.duration = Duration::seconds(seconds);
    s.quiet_period = Duration::seconds(3);
    return s;
}

NemesisSpec nemesis(std::map<std::string, double> kinds, Duration mean_interval, Duration end) {
    NemesisSpec n;
    n.enabled = true;
    n.window_start = Duration::millis(500);
    n.window_end = end;
    n.mean_interval = mean_interval;
    n.fault_min = Duration::millis(100);
    n.fault_max = Duration::millis(800);
    n.kinds = std::move(kinds);
    return n;
}

RunResult run(const Scenario& s, uint64_t seed, const MessagingBugs& bugs = {}) {
    RunOptions o;
    o.seed = seed;
    return run_messaging(s, o, bugs);
}

// The first failing property over seeds 1..seeds_max, or "" if every run passed.
std::string first_violation(const Scenario& s, const MessagingBugs& bugs, int seeds_max = 5) {
    for (int seed = 1; seed <= seeds_max; ++seed) {
        RunResult r = run(s, static_cast<uint64_t>(seed), bugs);
        if (!r.pass) return r.failures.at(0).property;
    }
    return "";
}

std::string describe(const RunResult& r) {
    std::string s;
    for (const auto& f : r.failures) s += f.property + ": " + f.message + "\n";
    return s;
}

TEST(Messaging, PassesWithoutFaults) {
    for (uint64_t seed = 1; seed <= 3; ++seed) {
        RunResult r = run(base(), seed);
        EXPECT_TRUE(r.pass) << describe(r);
    }
}

TEST(Messaging, PassesUnderANemesisOfEveryKindWithinTheBudget) {
    Scenario s = base(20);
    std::map<std::string, double> kinds;
    for (const faults::FaultKindInfo& k : faults::catalogue()) {
        if (!faults::requires_sides(k)) kinds[k.name] = 1.0;  // "partition": scripted only
    }
    s.nemesis = nemesis(kinds, Duration::millis(300), Duration::seconds(16));
    for (uint64_t seed = 1; seed <= 3; ++seed) {
        RunResult r = run(s, seed);
        EXPECT_TRUE(r.pass) << "seed " << seed << "\n" << describe(r);
    }
}

RC_GTEST_PROP(MessagingProperty, SameScenarioAndSeedGiveTheSameTraceHashWithFaultsOn, ()) {
    const auto seed = *rc::gen::arbitrary<uint64_t>();
    std::map<std::string, double> kinds;
    for (const faults::FaultKindInfo& k : faults::catalogue()) {
        if (*rc::gen::arbitrary<bool>() && !faults::requires_sides(k)) kinds[k.name] = 1.0;
    }
    RC_PRE(!kinds.empty());
    Scenario s = base(6);
    s.budget = *rc::gen::arbitrary<bool>() ? Budget::within : Budget::beyond;
    s.nemesis = nemesis(kinds, Duration::millis(200), Duration::seconds(3));
    const RunResult a = run(s, seed), b = run(s, seed);
    RC_ASSERT(a.hash == b.hash);
    RC_ASSERT(a.events == b.events);
    RC_ASSERT(a.pass == b.pass);
}

TEST(Messaging, DifferentSeedsGiveDifferentRunsWithFaultsOn) {
    Scenario s = base(6);
    s.nemesis = nemesis({{"crash", 1},
                         {"isolate", 1},
                         {"packet-corruption", 1},
                         {"torn-write", 1},
                         {"clock-skew", 1}},
                        Duration::millis(300), Duration::seconds(3));
    EXPECT_NE(run(s, 11).hash, run(s, 12).hash);
}

TEST(MessagingBugs, AcceptingCorruptedPacketsIsCaughtByNoPhantom) {
    Scenario s = base();
    s.network.corrupt = 0.02;
    MessagingBugs bug;
    bug.skip_packet_checksum = true;
    EXPECT_EQ(first_violation(s, bug), "net.no_phantom");
    EXPECT_EQ(first_violation(s, {}), "");
}

TEST(MessagingBugs, CallingRecordsDurableBeforeTheFsyncIsCaughtByDurable) {
    Scenario s = base();
    s.budget = Budget::beyond;
    s.quiet_period = Duration{};
    s.properties = {"journal.durable"};
    s.nemesis = nemesis({{"lose-unsynced", 1}}, Duration::millis(60), Duration::seconds(9));
    MessagingBugs bug;
    bug.report_sync_before_fsync = true;
    EXPECT_EQ(first_violation(s, bug), "journal.durable");
    EXPECT_EQ(first_violation(s, {}), "");
}

TEST(MessagingBugs, RetryingAFailedFsyncIsCaughtByDurable) {
    Scenario s = base();
    s.budget = Budget::beyond;
    s.quiet_period = Duration{};
    s.properties = {"journal.durable"};
    s.nemesis =
        nemesis({{"fsync-error", 1}, {"restart", 1}}, Duration::millis(60), Duration::seconds(9));
    MessagingBugs bug;
    bug.retry_failed_fsync = true;
    EXPECT_EQ(first_violation(s, bug), "journal.durable");
    EXPECT_EQ(first_violation(s, {}), "");
}

TEST(MessagingBugs, TrustingJournalRecordsWithoutTheirChecksumIsCaughtByNoSilentCorruption) {
    Scenario s = base();
    s.budget = Budget::beyond;
    s.quiet_period = Duration{};
    s.properties = {"journal.no_silent_corruption"};
    s.nemesis =
        nemesis({{"torn-write", 1}, {"bit-rot", 1}}, Duration::millis(100), Duration::seconds(9));
    MessagingBugs bug;
    bug.skip_record_checksum = true;
    EXPECT_EQ(first_violation(s, bug), "journal.no_silent_corruption");
    EXPECT_EQ(first_violation(s, {}), "");
}

TEST(MessagingBugs, NeverAckingIsCaughtByLiveness) {
    MessagingBugs bug;
    bug.never_ack = true;
    EXPECT_EQ(first_violation(base(), bug, 1), "liveness.messaging");
}

}  // namespace
}  // namespace stormlog::workloads
