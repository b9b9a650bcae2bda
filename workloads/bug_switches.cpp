#include "workloads/bug_switches.hpp"

#include "sim/assert.hpp"

namespace stormlog::workloads {

const std::vector<BugSwitch>& bug_switches() {
    static const std::vector<BugSwitch> all = {
        // ---- Raft ----
        {"raft.grant_any_vote", [](StoreBugs& b) { b.raft.grant_any_vote = true; }, {}},
        {"raft.skip_vote_log_check", [](StoreBugs& b) { b.raft.skip_vote_log_check = true; }, {}},
        {"raft.skip_conflict_check", [](StoreBugs& b) { b.raft.skip_conflict_check = true; }, {}},
        {"raft.apply_uncommitted", [](StoreBugs& b) { b.raft.apply_uncommitted = true; }, {}},
        {"raft.ack_before_sync", [](StoreBugs& b) { b.raft.ack_before_sync = true; }, {}},
        {"raft.stale_reads", [](StoreBugs& b) { b.raft.stale_reads = true; }, {}},
        {"raft.unconfirmed_leader_reads",
         [](StoreBugs& b) { b.raft.unconfirmed_leader_reads = true; },
         {}},
        {"raft.leader_accepts_stale", [](StoreBugs& b) { b.raft.leader_accepts_stale = true; }, {}},
        {"raft.never_campaign", [](StoreBugs& b) { b.raft.never_campaign = true; }, {}},
        {"raft.drop_acks", [](StoreBugs& b) { b.raft.drop_acks = true; }, {}},
        {"raft.skip_snapshot_restore",
         [](StoreBugs& b) { b.raft.skip_snapshot_restore = true; },
         {}},
        {"raft.commit_by_counting", [](StoreBugs& b) { b.raft.commit_by_counting = true; }, {}},
        {"raft.unpersisted_vote", [](StoreBugs& b) { b.raft.unpersisted_vote = true; }, {}},
        {"raft.eager_step_down", [](StoreBugs& b) { b.raft.eager_step_down = true; }, {}},
        {"raft.skip_pre_vote", [](StoreBugs& b) { b.raft.skip_pre_vote = true; }, {}},
        // ---- The event store's state machine and disk ----
        {"store.skip_idempotency", [](StoreBugs& b) { b.state.bug_skip_idempotency = true; }, {}},
        {"store.ignore_expected_version",
         [](StoreBugs& b) { b.state.bug_ignore_expected_version = true; },
         {}},
        {"store.truncate_corruption",
         [](StoreBugs& b) { b.storage.bug_truncate_corruption = true; },
         {}},
        {"store.skip_ids_fsync", [](StoreBugs& b) { b.storage.bug_skip_ids_fsync = true; }, {}},
        {"client.retry_at_once", [](StoreBugs& b) { b.client.retry_at_once = true; }, {}},
        {"client.backoff_never_grows",
         [](StoreBugs& b) { b.client.backoff_never_grows = true; },
         {}},
        {"store.replay_answered_as_conflict",
         [](StoreBugs& b) { b.replay_answered_as_conflict = true; },
         {}},
        {"store.retry_failed_fsync",
         [](StoreBugs& b) { b.storage.bug_retry_failed_fsync = true; },
         {}},
        // ---- The ledger system ----
        {"ledger.debit_any_version",
         {},
         [](LedgerBugs& b) { b.service.bug_debit_any_version = true; }},
        {"ledger.credit_fresh_id", {}, [](LedgerBugs& b) { b.service.bug_credit_fresh_id = true; }},
        {"ledger.retry_fresh_id", {}, [](LedgerBugs& b) { b.service.bug_retry_fresh_id = true; }},
        {"ledger.fence_after_unknown",
         {},
         [](LedgerBugs& b) { b.service.bug_fence_after_unknown = true; }},
        {"ledger.retry_without_backoff",
         {},
         [](LedgerBugs& b) { b.service.bug_retry_without_backoff = true; }},
        {"ledger.projection_retry_without_backoff",
         {},
         [](LedgerBugs& b) { b.projection_retry_without_backoff = true; }},
        {"ledger.notify_skip_when_open", {}, [](LedgerBugs& b) { b.notify_skip_when_open = true; }},
        {"ledger.breaker_half_open_admits_all",
         {},
         [](LedgerBugs& b) { b.breaker_half_open_admits_all = true; }},
        {"ledger.breaker_ignore_open", {}, [](LedgerBugs& b) { b.breaker_ignore_open = true; }},
        {"ledger.breaker_count_stale_results",
         {},
         [](LedgerBugs& b) { b.breaker_count_stale_results = true; }},
        {"ledger.queue_drop_when_full", {}, [](LedgerBugs& b) { b.queue_drop_when_full = true; }},
        {"ledger.projection_in_memory_dedup",
         {},
         [](LedgerBugs& b) { b.projection_in_memory_dedup = true; }},
        {"ledger.projection_load_oldest_slot",
         {},
         [](LedgerBugs& b) { b.projection_load_oldest_slot = true; }},
        {"ledger.projection_checkpoint_only_every_n",
         {},
         [](LedgerBugs& b) { b.projection_checkpoint_only_every_n = true; }},
        {"ledger.projection_park_without_dead_letter",
         {},
         [](LedgerBugs& b) { b.projection_park_without_dead_letter = true; }},
        {"ledger.projection_drop_replay_request",
         {},
         [](LedgerBugs& b) { b.projection_drop_replay_request = true; }},
    };
    return all;
}

const BugSwitch* find_bug_switch(std::string_view name) {
    for (const BugSwitch& s : bug_switches()) {
        if (name == s.name) return &s;
    }
    return nullptr;
}

std::string bug_problem(const BugSwitch& bug, const std::string& type) {
    if (type == "ledger" || (bug.store && type == "store")) return "";
    return std::string("bug switch ") + bug.name + " acts on the " +
           (bug.store ? "store (workloads store and ledger)" : "ledger system (workload ledger)") +
           ", not on workload " + type;
}

RunResult run_with_bug(const Scenario& scenario, const RunOptions& options, const BugSwitch& bug) {
    SL_ASSERT_FATAL(bug_problem(bug, scenario.workload.type).empty());
    SL_ASSERT(!scenario.swarm);
    if (scenario.workload.type == "store") {
        StoreBugs bugs;
        bug.store(bugs);
        return run_store(scenario, options, bugs);
    }
    LedgerBugs bugs;
    if (bug.store) bug.store(bugs.store);
    if (bug.ledger) bug.ledger(bugs);
    return run_ledger(scenario, options, bugs);
}

}  // namespace stormlog::workloads
