#include "bench/detect.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>

#include "scenarios/runner.hpp"
#include "scenarios/swarm.hpp"
#include "sim/assert.hpp"
#include "workloads/ledger/workload.hpp"
#include "workloads/store/workload.hpp"

namespace stormlog::bench {
namespace {

using workloads::LedgerBugs;
using workloads::StoreBugs;

// A switch: its name, and what it turns on (in the store's bugs or the ledger system's).
struct Switch {
    const char* name;
    std::function<void(StoreBugs&)> store;    // set for the store's switches
    std::function<void(LedgerBugs&)> ledger;  // set for the ledger system's
};

const std::vector<Switch>& switches() {
    static const std::vector<Switch> all = {
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

const Switch& find_switch(const std::string& name) {
    for (const Switch& s : switches()) {
        if (name == s.name) return s;
    }
    SL_ASSERT_FATAL(false && "detect: an unknown bug switch");
    return switches().front();
}

workloads::Scenario builtin(const char* name) {
    workloads::Scenario s;
    scenarios::ScenarioErrors errors;
    const bool found = scenarios::resolve_scenario(name, s, errors);
    SL_ASSERT_FATAL(found && "the built-in swarms exist");
    return s;
}

}  // namespace

std::vector<std::string> detect_bug_names() {
    std::vector<std::string> out;
    for (const Switch& s : switches()) out.emplace_back(s.name);
    return out;
}

Detection detect(const std::string& bug, uint64_t seeds_max) {
    const Switch& sw = find_switch(bug);
    Detection d;
    d.bug = bug;
    d.scenario = sw.store ? "swarm-store+swarm-beyond" : "swarm-ledger";
    // The store's switches run against both store swarms, seed by seed: within the budget
    // (liveness, and the cluster's answers under tolerable faults) and beyond it (safety when a
    // majority is down, cut off or corrupted at once).
    std::vector<workloads::Scenario> bases;
    if (sw.store) {
        bases = {builtin("swarm-store"), builtin("swarm-beyond")};
    } else {
        bases = {builtin("swarm-ledger")};
    }
    StoreBugs store_bugs;
    LedgerBugs ledger_bugs;
    if (sw.store) sw.store(store_bugs);
    if (sw.ledger) sw.ledger(ledger_bugs);
    const auto start = std::chrono::steady_clock::now();
    for (uint64_t seed = 1; seed <= seeds_max && !d.caught; ++seed) {
        for (const workloads::Scenario& base : bases) {
            workloads::RunOptions options;
            options.seed = seed;
            // The seed's own configuration, exactly as `stormlog run <swarm> --seed N` draws it.
            const workloads::Scenario s = scenarios::swarm_draw(base, seed).scenario;
            const workloads::RunResult r = sw.store
                                               ? workloads::run_store(s, options, store_bugs)
                                               : workloads::run_ledger(s, options, ledger_bugs);
            d.seeds = seed;
            if (!r.pass) {
                d.caught = true;
                d.scenario = base.name;
                d.property = r.failures.empty() ? "-" : r.failures.front().property;
                break;
            }
        }
    }
    d.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return d;
}

int run_detect_bench(std::ostream& out, const std::string& filter, uint64_t seeds_max) {
    std::vector<double> walls;
    size_t caught = 0;
    size_t total = 0;
    for (const std::string& bug : detect_bug_names()) {
        if (bug.find(filter) == std::string::npos) continue;
        const Detection d = detect(bug, seeds_max);
        ++total;
        if (d.caught) ++caught;
        walls.push_back(d.wall_s);
        char line[300];
        std::snprintf(line, sizeof line,
                      "DETECT bug=%s scenario=%s caught=%s seeds=%llu wall_s=%.2f property=%s\n",
                      d.bug.c_str(), d.scenario.c_str(), d.caught ? "yes" : "no",
                      static_cast<unsigned long long>(d.seeds), d.wall_s,
                      d.caught ? d.property.c_str() : "-");
        out << line << std::flush;
    }
    std::sort(walls.begin(), walls.end());
    const double median = walls.empty() ? 0
                          : walls.size() % 2 == 1
                              ? walls[walls.size() / 2]
                              : (walls[walls.size() / 2 - 1] + walls[walls.size() / 2]) / 2;
    char line[200];
    std::snprintf(line, sizeof line,
                  "BENCH detect.catch_rate=%.3f caught=%zu of=%zu seeds_max=%llu\n",
                  total ? static_cast<double>(caught) / static_cast<double>(total) : 0.0, caught,
                  total, static_cast<unsigned long long>(seeds_max));
    out << line;
    std::snprintf(line, sizeof line, "BENCH detect.median_wall_s=%.2f\n", median);
    out << line;
    return caught == total ? 0 : 1;
}

}  // namespace stormlog::bench
