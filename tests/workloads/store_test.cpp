// The store workload: the real store passes its scenarios, and every property catches its
// deliberate bug within a few seeds of a scenario that gives the bug a chance to matter - while
// the real store passes those same seeds. Also: same scenario and seed, same trace hash.

#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>

#include "scenarios/runner.hpp"
#include "scenarios/scenario_file.hpp"
#include "scenarios/swarm.hpp"
#include "tests/workloads/run_support.hpp"
#include "workloads/store/workload.hpp"

namespace stormlog::workloads {
namespace {

using scenarios::parse_scenario;
using scenarios::ScenarioErrors;

using test_support::builtin;
using test_support::describe;
using test_support::only;

// A scenario from JSON text (the file format), for cases the built-ins do not isolate.
Scenario from_json(const std::string& text) {
    Scenario s;
    ScenarioErrors errors;
    const bool ok = parse_scenario(text, "test.json", s, errors);
    EXPECT_TRUE(ok) << (errors.lines.empty() ? "" : errors.lines.front());
    return s;
}

RunResult run(const Scenario& s, uint64_t seed, const StoreBugs& bugs = {}) {
    RunOptions o;
    o.seed = seed;
    return run_store(s, o, bugs);
}

std::optional<std::pair<uint64_t, std::string>> first_failure(const Scenario& s,
                                                              const StoreBugs& bugs,
                                                              uint64_t seeds_max) {
    return test_support::first_failure([&](uint64_t seed) { return run(s, seed, bugs); },
                                       seeds_max);
}

// The bug makes `property` fail within `seeds_max` seeds, and the same seeds pass without it.
void expect_caught(const Scenario& s, const StoreBugs& bugs, const std::string& property,
                   uint64_t seeds_max) {
    const auto failure = first_failure(s, bugs, seeds_max);
    ASSERT_TRUE(failure.has_value())
        << property << " never fired on " << s.name << " in " << seeds_max << " seeds";
    EXPECT_EQ(failure->second, property)
        << "seed " << failure->first << ": " << describe(run(s, failure->first, bugs));
    for (uint64_t seed = 1; seed <= failure->first; ++seed) {
        const RunResult r = run(s, seed);
        EXPECT_TRUE(r.pass) << describe(r);
    }
}

// ---- The real store passes -------------------------------------------------------------------

TEST(StoreWorkload, SteadyRunCommitsAndChecksEveryProperty) {
    const RunResult r = run(builtin("store-steady"), 1);
    ASSERT_TRUE(r.pass) << describe(r);
    ASSERT_GE(r.summary.size(), 4u);
    EXPECT_NE(r.summary[2].find("linearizable=linearizable"), std::string::npos) << r.summary[2];
}

TEST(StoreWorkload, SameSeedSameTraceHash) {
    const Scenario s = builtin("nemesis-within");
    EXPECT_EQ(run(s, 7).hash, run(s, 7).hash);
    EXPECT_NE(run(s, 7).hash, run(s, 8).hash);
}

TEST(StoreWorkload, HistoryHasOkRefusedOrFailAndInfoOutcomes) {
    RunOptions o;
    o.keep_history = true;
    size_t ok = 0, fail = 0, info = 0;
    for (uint64_t seed = 1; seed <= 3; ++seed) {
        o.seed = seed;
        const RunResult r = run_store(builtin("leader-crash"), o);
        ASSERT_TRUE(r.pass) << describe(r);
        ok += r.history.find("\"type\":\"ok\"") != std::string::npos;
        // A refusal is an ok append whose value says why (the checker judges it); an unserved
        // read fails.
        fail += r.history.find("\"type\":\"fail\"") != std::string::npos ||
                r.history.find("\"refused\"") != std::string::npos;
        info += r.history.find("\"type\":\"info\"") != std::string::npos;
    }
    EXPECT_GT(ok, 0u);
    EXPECT_GT(fail, 0u);
    EXPECT_GT(info, 0u);
}

// Seeds on which long suites once found a bug (each comment says which); they must stay green.
TEST(StoreWorkload, SeedsThatOnceFailedPass) {
    const std::pair<const char*, uint64_t> seeds[] = {
        {"nemesis-beyond", 3},     // wiped disks of a majority voted in a leader with an empty log
        {"nemesis-beyond", 153},   // latent errors under the newest hard-state slot read as blank
        {"nemesis-beyond", 140},   // a follower with a full disk and the leader looped forever
        {"nemesis-beyond", 262},   // a wiped node forgot it was abstaining across a power loss
        {"nemesis-within", 131},   // three wipes in a row left no majority able to vote
        {"clock-skew", 5},         // a fast clock rounded a timer to zero true time: a spin
        {"nemesis-within", 1000},  // a repair whose proof write failed (disk full) went unreported
        {"nemesis-beyond",
         437},  // a hole of unknown identity took the leader's copy after a conflicting entry
        {"nemesis-beyond", 1601},  // a snapshot's install committed the unchecked log kept after it
    };
    for (const auto& [name, seed] : seeds) {
        const RunResult r = run(builtin(name), seed);
        EXPECT_TRUE(r.pass) << describe(r);
    }
}

// ---- Raft's safety properties ----------------------------------------------------------------

TEST(StoreBugsCaught, VotingTwiceInATermBreaksElectionSafety) {
    StoreBugs bugs;
    bugs.raft.grant_any_vote = true;
    expect_caught(only(builtin("leader-isolated"), {"raft.election_safety"}), bugs,
                  "raft.election_safety", 20);
}

TEST(StoreBugsCaught, CampaigningWithoutPreVoteDisruptsAHealthyLeader) {
    // A follower is cut off and rejoins, twice, while the leader and the rest run undisturbed.
    const Scenario s = from_json(R"({
      "name": "follower-rejoins", "description": "a follower is isolated and rejoins",
      "cluster": { "nodes": 5 }, "workload": { "type": "store", "clients": 3, "rate": 40 },
      "duration": "14s",
      "faults": [ { "kind": "isolate", "at": "3s", "for": "3s", "target": "follower" },
                  { "kind": "isolate", "at": "8s", "for": "2s", "target": "follower" } ],
      "quiet_period": "3s", "properties": ["liveness.no_disruption"] })");
    StoreBugs bugs;
    bugs.raft.skip_pre_vote = true;
    expect_caught(s, bugs, "liveness.no_disruption", 5);
}

TEST(StoreWorkload, ARejoiningAbstainerKeepsTheVoteItsDiskHolds) {
    // Without PreVote terms climb fast; here a node that abstained after its newest hard-state
    // slot was damaged caught up with the leader of a term its older slot had a vote in, and
    // took the leader as its vote: a vote on disk changed within its term (an assertion).
    StoreBugs bugs;
    bugs.raft.skip_pre_vote = true;
    const RunResult r = run(scenarios::swarm_draw(builtin("swarm-beyond"), 16).scenario, 16, bugs);
    for (const auto& f : r.failures) EXPECT_NE(f.property, "assert") << describe(r);
}

TEST(StoreBugsCaught, LeaderObeyingAStaleLeaderBreaksLeaderAppendOnly) {
    // A paused leader wakes up still believing it leads and sends appends of its old term.
    const Scenario s = from_json(R"({
      "name": "paused-leader", "description": "a paused leader wakes up", "cluster": { "nodes": 5 },
      "workload": { "type": "store", "clients": 4, "rate": 40 }, "duration": "12s",
      "faults": [ { "kind": "pause", "at": "3s", "for": "2s", "target": "leader" },
                  { "kind": "pause", "at": "7s", "for": "2s", "target": "leader" } ],
      "quiet_period": "3s", "properties": ["raft.leader_append_only"] })");
    StoreBugs bugs;
    bugs.raft.leader_accepts_stale = true;
    expect_caught(s, bugs, "raft.leader_append_only", 10);
}

TEST(StoreBugsCaught, KeepingConflictingEntriesBreaksLogMatching) {
    StoreBugs bugs;
    bugs.raft.skip_conflict_check = true;
    expect_caught(only(builtin("leader-isolated"), {"raft.log_matching"}), bugs,
                  "raft.log_matching", 10);
}

TEST(StoreBugsCaught, VotingForAStaleLogBreaksLeaderCompleteness) {
    StoreBugs bugs;
    bugs.raft.skip_vote_log_check = true;
    // A follower is down while entries commit; it restarts just as the leader crashes, and its
    // election timer may fire first in a cluster with no leader.
    const Scenario s = from_json(R"({
      "name": "stale-candidate", "description": "a stale follower campaigns", "cluster": { "nodes": 5 },
      "workload": { "type": "store", "clients": 4, "rate": 40 }, "duration": "14s",
      "faults": [ { "kind": "crash", "at": "2s", "for": "3s", "target": "follower" },
                  { "kind": "crash", "at": "4990ms", "for": "2s", "target": "leader" } ],
      "quiet_period": "3s", "properties": ["raft.leader_completeness"] })");
    expect_caught(s, bugs, "raft.leader_completeness", 20);
}

TEST(StoreBugsCaught, ApplyingUncommittedEntriesBreaksStateMachineSafety) {
    StoreBugs bugs;
    bugs.raft.apply_uncommitted = true;
    expect_caught(only(builtin("leader-isolated"), {"raft.state_machine_safety"}), bugs,
                  "raft.state_machine_safety", 10);
}

// Protocol-aware recovery, FAST'18's failure case: on 3 nodes, entries commit on the leader and one
// follower while the other follower is down; the first follower's copy rots and is found at its
// restart; then the leader goes down. A node that truncates at the corruption (treating it as a
// torn tail) has a shorter log than the lagging node, votes for it, and a leader without the
// committed entries is elected. The real store keeps the hole, cannot campaign, refuses the stale
// candidate - and the cluster waits for the leader rather than lose data (budget beyond: safety).
TEST(StoreBugsCaught, TruncatingCorruptionAsATornTailElectsALeaderWithoutCommittedEntries) {
    const Scenario s = from_json(R"({
      "name": "par-three-nodes", "description": "corruption on the only follower with the entries",
      "cluster": { "nodes": 3 }, "workload": { "type": "store", "clients": 4, "rate": 40 }, "duration": "20s",
      "faults": [ { "kind": "crash", "at": "2s", "for": "10s", "target": "follower" },
                  { "kind": "bit-rot", "at": "5s", "for": "500ms", "target": "follower",
                    "params": { "bits": 40, "then_restart": 1 } },
                  { "kind": "crash", "at": "5500ms", "for": "10s", "target": "leader" } ],
      "budget": "beyond", "quiet_period": "2s",
      "properties": ["raft.leader_completeness"] })");
    StoreBugs bugs;
    bugs.storage.bug_truncate_corruption = true;
    expect_caught(s, bugs, "raft.leader_completeness", 20);
}

// Failed fsyncs (fsyncgate): fsyncs fail on every node while leaders crash (elections), then a
// power loss restarts everyone. A store that retries a failed fsync and carries on sends votes
// (and acks) whose hard state (and records) the disk dropped: a voter restarts without the vote
// it gave. The real store fails stop at the failed fsync, so nothing it promised was dropped.
Scenario fsync_error_scenario() {
    return from_json(R"({
      "name": "fsync-errors", "description": "failed fsyncs during elections, then a power loss",
      "cluster": { "nodes": 5 }, "workload": { "type": "store", "clients": 4, "rate": 40 },
      "duration": "16s",
      "faults": [ { "kind": "fsync-error", "at": "1s", "for": "9s", "target": "all",
                    "params": { "rate": 0.5 } },
                  { "kind": "crash", "at": "2s", "for": "1s", "target": "leader" },
                  { "kind": "crash", "at": "4s", "for": "1s", "target": "leader" },
                  { "kind": "crash", "at": "6s", "for": "1s", "target": "leader" },
                  { "kind": "crash", "at": "8s", "for": "1s", "target": "leader" },
                  { "kind": "power-loss", "at": "11s", "for": "1s" } ],
      "budget": "beyond", "quiet_period": "3s",
      "properties": ["raft.vote_durable", "store.durability", "raft.election_safety",
                     "raft.leader_completeness", "raft.log_matching",
                     "raft.state_machine_safety"] })");
}

TEST(StoreBugsCaught, RetryingAFailedFsyncForgetsAVoteItGave) {
    StoreBugs bugs;
    bugs.storage.bug_retry_failed_fsync = true;
    expect_caught(fsync_error_scenario(), bugs, "raft.vote_durable", 10);
}

// A follower whose disk refuses to truncate a conflicting suffix keeps it, and acks below it:
// truncates fail on every node while leaders are cut off mid-append (conflicting logs).
TEST(StoreWorkload, RefusedTruncationsOfConflictingSuffixesStaySafe) {
    const Scenario s = from_json(R"({
      "name": "truncate-errors", "description": "refused truncates while leaders change",
      "cluster": { "nodes": 3 }, "workload": { "type": "store", "clients": 4, "rate": 60 },
      "duration": "14s",
      "faults": [ { "kind": "truncate-error", "at": "1s", "for": "10s", "target": "all",
                    "params": { "rate": 0.9 } } ],
      "nemesis": { "window": ["1s", "10s"], "mean_interval": "400ms",
                   "fault_duration": ["200ms", "1s"], "kinds": { "isolate": 2, "crash": 1 } },
      "budget": "beyond", "quiet_period": "3s",
      "properties": ["store.durability", "raft.election_safety", "raft.leader_completeness",
                     "raft.log_matching", "raft.state_machine_safety",
                     "raft.leader_append_only"] })");
    uint64_t refused = 0;
    for (uint64_t seed = 1; seed <= 10; ++seed) {
        const RunResult r = run(s, seed);
        EXPECT_TRUE(r.pass) << describe(r);
        for (const auto& [probe, hits] : r.probes)
            if (probe == "raft.truncate_refused") refused += hits;
    }
    EXPECT_GT(refused, 0u);
}

// ---- The store's properties ------------------------------------------------------------------

TEST(StoreBugsCaught, AckingBeforeFsyncLosesAcknowledgedAppendsAtPowerLoss) {
    StoreBugs bugs;
    bugs.raft.ack_before_sync = true;
    expect_caught(only(builtin("power-loss"), {"store.durability"}), bugs, "store.durability", 20);
}

TEST(StoreBugsCaught, SkippingIdempotencyDuplicatesResentEvents) {
    StoreBugs bugs;
    bugs.state.bug_skip_idempotency = true;
    expect_caught(only(builtin("flaky-network"), {"store.idempotent_append"}), bugs,
                  "store.idempotent_append", 10);
}

TEST(StoreBugsCaught, IgnoringTheExpectedVersionIsCaught) {
    StoreBugs bugs;
    bugs.state.bug_ignore_expected_version = true;
    expect_caught(only(builtin("store-steady"), {"store.expected_version"}), bugs,
                  "store.expected_version", 3);
}

TEST(StoreBugsCaught, AReplayAnsweredAsAConflictIsAnUnjustifiedRefusal) {
    // The state machine applies the resent append as a replay; only the answer is wrong. The
    // store checker sees applies, so it is the linearizability check of refusals that catches it.
    StoreBugs bugs;
    bugs.replay_answered_as_conflict = true;
    expect_caught(only(builtin("flaky-network"), {"store.linearizable"}), bugs,
                  "store.linearizable", 20);
}

TEST(StoreBugsCaught, ClientsRetryingAtOnceAreARetryStorm) {
    StoreBugs bugs;
    bugs.client.retry_at_once = true;
    expect_caught(only(builtin("leader-isolated"), {"client.backoff"}), bugs, "client.backoff", 10);
}

TEST(StoreBugsCaught, ABackoffThatNeverGrowsIsCaught) {
    StoreBugs bugs;
    bugs.client.backoff_never_grows = true;
    expect_caught(only(builtin("leader-isolated"), {"client.backoff"}), bugs, "client.backoff", 10);
}

TEST(StoreBugsCaught, ReadsFromAnyReplicaWithoutReadIndexAreNotLinearizable) {
    StoreBugs bugs;
    bugs.raft.stale_reads = true;
    // Clients spread their reads over the cluster: a correct store redirects them to the leader.
    Scenario s = only(builtin("partition-minority"), {"store.linearizable"});
    s.workload.reads_anywhere = true;
    expect_caught(s, bugs, "store.linearizable", 10);
}

// A leader that serves reads on its own say-so, without a ReadIndex round: cut off from its
// peers, it goes on answering the clients on its side from a state the majority has moved past.
TEST(StoreBugsCaught, AnUnconfirmedLeaderServesStaleReadsToTheClientsOnItsSide) {
    StoreBugs bugs;
    bugs.raft.unconfirmed_leader_reads = true;
    expect_caught(only(builtin("partition-clients"), {"store.linearizable"}), bugs,
                  "store.linearizable", 5);
}

// The same bug, seeds and faults with the clients' links left alone (clients 0, as partitions
// were before): every client then reaches the deposed leader too, and those whose guess is still
// it are served stale reads as well - so both catch it. What placing the clients adds is the
// shape where some clients can reach nothing but the deposed leader. Both counts are printed.
TEST(StoreBugsCaught, UnconfirmedLeaderReadsAreCaughtWithAndWithoutClientPartitions) {
    StoreBugs bugs;
    bugs.raft.unconfirmed_leader_reads = true;
    const Scenario placed = only(builtin("partition-clients"), {"store.linearizable"});
    Scenario untouched = placed;
    for (faults::FaultSpec& f : untouched.faults) f.params["clients"] = 0;
    constexpr uint64_t k_seeds = 10;
    uint64_t caught_placed = 0, caught_untouched = 0;
    for (uint64_t seed = 1; seed <= k_seeds; ++seed) {
        caught_placed += run(placed, seed, bugs).pass ? 0 : 1;
        caught_untouched += run(untouched, seed, bugs).pass ? 0 : 1;
    }
    std::printf(
        "unconfirmed leader reads caught in %llu of %llu seeds with the clients on "
        "sides, %llu with their links untouched\n",
        static_cast<unsigned long long>(caught_placed), static_cast<unsigned long long>(k_seeds),
        static_cast<unsigned long long>(caught_untouched));
    EXPECT_GE(caught_placed, k_seeds / 2);
    EXPECT_GE(caught_untouched, k_seeds / 2);
}

// ---- Snapshots -------------------------------------------------------------------------------

TEST(StoreBugsCaught, InstallingASnapshotWithoutRestoringTheStateMachineIsCaught) {
    // snapshot-catch-up keeps a follower down while the leader compacts past it: it must be caught
    // up by InstallSnapshot, and its state machine then judges the next appends wrongly.
    StoreBugs bugs;
    bugs.raft.skip_snapshot_restore = true;
    expect_caught(only(builtin("snapshot-catch-up"), {"store.expected_version"}), bugs,
                  "store.expected_version", 10);
}

// ---- Liveness --------------------------------------------------------------------------------

TEST(StoreBugsCaught, NoElectionsMeansNoLeader) {
    StoreBugs bugs;
    bugs.raft.never_campaign = true;
    expect_caught(only(builtin("store-steady"), {"liveness.leader"}), bugs, "liveness.leader", 1);
}

TEST(StoreBugsCaught, FollowersThatNeverAckMeanNothingCommits) {
    StoreBugs bugs;
    bugs.raft.drop_acks = true;
    expect_caught(only(builtin("store-steady"), {"liveness.commit"}), bugs, "liveness.commit", 1);
}

}  // namespace
}  // namespace stormlog::workloads

namespace stormlog::workloads {
namespace {

// Figure 2's and §5.4.2's rules, checked where they break: a vote that never reaches the disk
// is caught at the voter's next restart, and a commit by counting an older term's replicas at the
// commit itself - without waiting for the rare schedule in which either elects a second leader
// or overwrites a committed entry.
TEST(StoreBugsCaught, AVoteThatNeverReachesTheDiskIsCaughtAtTheVotersRestart) {
    StoreBugs bugs;
    bugs.raft.unpersisted_vote = true;
    expect_caught(only(builtin("nemesis-within"), {"raft.vote_durable"}), bugs, "raft.vote_durable",
                  5);
}

TEST(StoreBugsCaught, CommittingAnOlderTermsEntryByCountingItsReplicasIsCaught) {
    StoreBugs bugs;
    bugs.raft.commit_by_counting = true;
    expect_caught(only(builtin("nemesis-within"), {"raft.current_term_commit"}), bugs,
                  "raft.current_term_commit", 5);
}

}  // namespace
}  // namespace stormlog::workloads

namespace stormlog::workloads {
namespace {

// Availability: a run without faults elects once and keeps its leader. A leader whose CheckQuorum
// wants every follower's ack within one heartbeat steps down while healthy, again and again.
TEST(StoreBugsCaught, ALeaderThatStepsDownWhileHealthyIsCaught) {
    StoreBugs bugs;
    bugs.raft.eager_step_down = true;
    // No faults, but a slow network: acks come back well within an election timeout, not
    // always within a heartbeat.
    const Scenario s = from_json(R"({
      "name": "slow-network", "description": "no faults; links of 5 to 200 ms",
      "cluster": { "nodes": 3, "heartbeat": "50ms" }, "network": { "latency": ["5ms", "200ms"] },
      "workload": { "type": "store", "clients": 2, "rate": 10 }, "duration": "10s",
      "properties": ["liveness.stable_leader"] })");
    for (uint64_t seed = 1; seed <= 3; ++seed) EXPECT_TRUE(run(s, seed).pass) << seed;
    expect_caught(s, bugs, "liveness.stable_leader", 3);
}

}  // namespace
}  // namespace stormlog::workloads
