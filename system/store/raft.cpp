// RaftNode: recovery, the event loop, persistence and apply. Elections: raft_election.cpp;
// replication and commitment: raft_replication.cpp; log changes: raft_log.cpp; hole repair:
// raft_repair.cpp.

#include "system/store/raft.hpp"

#include <algorithm>
#include <cstdlib>

#include "sim/assert.hpp"
#include "system/store/buggify.hpp"
#include "system/store/probes.hpp"
#include "system/store/trace_kinds.hpp"

namespace stormlog::system::store {

const char* to_string(Role r) {
    switch (r) {
        case Role::follower:
            return "follower";
        case Role::pre_candidate:
            return "pre-candidate";
        case Role::candidate:
            return "candidate";
        case Role::leader:
            return "leader";
    }
    return "?";
}

RaftNode::RaftNode(sim::Env& env, sim::Network& network, sim::Disk& disk, RaftConfig config,
                   Observer* observer, RaftHost& host)
    : env_(&env),
      network_(&network),
      config_(std::move(config)),
      observer_(observer),
      host_(&host),
      store_(disk, config_.storage),
      votes_(config_.nodes, false),
      peers_(config_.nodes),
      quorum_scratch_(config_.nodes) {
    SL_ASSERT(config_.self < config_.nodes);
    SL_ASSERT(config_.election_min <= config_.election_max);
    // A batch a follower's decoder accepts, and at least one entry so replication progresses.
    SL_ASSERT(config_.batch_entries_max >= 1);
    SL_ASSERT(config_.batch_entries_max <= k_entries_per_append_max);
}

void RaftNode::run() {
    recover();
    reset_election_timer();
    constexpr int k_batch = 64;  // packets handled per cycle before persisting
    for (;;) {
        const sim::Time deadline = next_deadline();
        const sim::Time local = now();
        // At least 1ns of true time: a drifting clock's rounding must never make this loop spin.
        const sim::Time true_deadline =
            deadline == sim::Time::max()
                ? sim::Time::max()
                : env_->kernel().now() +
                      std::max(sim::Duration::nanos(1),
                               env_->node().clock().true_duration(deadline - local));
        sim::Packet p;
        if (network_->receive(config_.self, p, true_deadline) == sim::ChannelStatus::ok) {
            handle(p);
            for (int n = 1;
                 n < k_batch && network_->try_receive(config_.self, p) == sim::ChannelStatus::ok;
                 ++n) {
                handle(p);
            }
        }
        on_timers();
        ready();
    }
}

void RaftNode::recover() {
    const Recovered rec = store_.recover();
    // The disk refused to cut a torn tail (or its fsync failed): try again from the start.
    if (store_.stopped()) fail_stop("recovery");
    term_ = rec.hard.term;
    voted_for_ = rec.hard.voted_for;
    commit_ = std::min(rec.hard.commit, rec.last_index);
    abstain_ = rec.hard_state_lost || rec.meta_damaged || (rec.blank && !config_.bootstrap);
    abstain_reason_ = rec.blank ? "its disk was lost" : "its hard state was damaged";
    // A log that lost entries this node knew committed - its only snapshot rotted and no log
    // follows it, or less log than its saved commit index - is a lost disk in disguise: voting
    // with it, any candidate looks up to date (swarm-beyond seed 240 elected a leader without a
    // committed entry that way).
    const bool lost_snapshot = rec.snapshot_damaged && !rec.snapshot && rec.log.empty();
    if (!abstain_ && (lost_snapshot || rec.hard.commit > rec.last_index)) {
        abstain_ = true;
        abstain_reason_ = "its log lost committed entries";
    }
    // Everything up to the snapshot is durable (in it); in a gap nothing before the log is.
    durable_ = Index{rec.first_index.value - 1};
    for (const LogSlot& s : rec.log) {
        if (!s.proven) break;
        durable_ = s.index;
    }
    stats_.holes_recovered += rec.corrupt.size();
    if (!rec.corrupt.empty()) SL_PROBE(probes::recovered_with_holes);
    if (rec.truncated_from) {
        ++stats_.torn_tails;
        SL_PROBE(probes::torn_tail_recovered);
    }
    if (rec.gap) SL_PROBE(probes::recovered_with_gap);
    if (observer_) {
        std::vector<SlotView> view;
        view.reserve(rec.log.size());
        for (const LogSlot& s : rec.log) {
            SlotView v{s.index, std::nullopt, std::nullopt};
            if (s.entry) {
                v.term = s.entry->term;
                v.digest = entry_digest(s.entry->data);
            } else {
                v.term = store_.hole_term(s.index);
            }
            view.push_back(v);
        }
        const bool hard_intact = !(rec.hard_state_lost || rec.meta_damaged || rec.blank);
        observer_->on_recover(config_.self, rec.hard, hard_intact, view);
    }
    if (rec.snapshot && !rec.gap) restore_snapshot(*rec.snapshot);
    if (rec.gap || rec.snapshot_damaged)
        env_->log().warn("recovered a damaged snapshot{}",
                         rec.gap ? ": the log follows a gap, awaiting a snapshot" : "");
    env_->log().info(
        "recovered term {} vote {} commit {} last {} holes {} torn_from {}{}", term_.value,
        voted_for_ ? static_cast<int64_t>(*voted_for_) : -1, commit_.value, rec.last_index.value,
        rec.corrupt.size(),
        rec.truncated_from ? static_cast<int64_t>(rec.truncated_from->value) : -1,
        abstain_ ? " (abstaining: " + std::string(abstain_reason_) + ")" : std::string());
    if (!rec.corrupt.empty()) repair_deadline_ = now();
    // Nothing is applied in a gap: the state machine lacks the prefix the lost snapshot held.
    SL_ASSERT(!rec.gap || applied_ == Index{});
    check_invariants();
}

void RaftNode::handle(const sim::Packet& p) {
    // A corrupted packet is indistinguishable from garbage: drop it (the sender retries).
    if (!p.intact()) return;
    const std::optional<MessageType> type = message_type(p.payload);
    if (type && (*type == MessageType::client_request || *type == MessageType::client_response)) {
        host_->on_packet(p);
        return;
    }
    if (p.from >= config_.nodes) return;  // Raft messages come only from cluster members
    const std::optional<RaftMessage> m = decode_raft(p.payload);
    if (!m) return;
    const NodeId from = p.from;
    std::visit(
        [&](const auto& msg) {
            using T = std::decay_t<decltype(msg)>;
            if constexpr (std::is_same_v<T, VoteRequest>) handle_vote_request(from, msg);
            if constexpr (std::is_same_v<T, VoteResponse>) handle_vote_response(from, msg);
            if constexpr (std::is_same_v<T, AppendRequest>) handle_append(from, msg);
            if constexpr (std::is_same_v<T, AppendResponse>) handle_append_response(from, msg);
            if constexpr (std::is_same_v<T, RepairRequest>) handle_repair_request(from, msg);
            if constexpr (std::is_same_v<T, RepairResponse>) handle_repair_response(from, msg);
            if constexpr (std::is_same_v<T, SnapshotRequest>) handle_snapshot(from, msg);
            if constexpr (std::is_same_v<T, SnapshotResponse>) handle_snapshot_response(from, msg);
        },
        *m);
}

sim::Time RaftNode::next_deadline() const {
    sim::Time d = repair_deadline_;
    if (role_ == Role::leader) {
        d = std::min({d, heartbeat_deadline_, quorum_deadline_});
    } else if (!config_.bugs.never_campaign) {
        d = std::min(d, election_deadline_);
    }
    return d;
}

void RaftNode::on_timers() {
    const sim::Time t = now();
    if (role_ == Role::leader) {
        if (t >= quorum_deadline_) check_quorum();
        if (role_ == Role::leader && t >= heartbeat_deadline_ &&
            SL_BUGGIFY(buggify::leader_steps_down)) {
            env_->log().info("stepping down in term {} (buggify)", term_.value);
            become_follower(term_, std::nullopt);
            reset_election_timer();
        }
        if (role_ == Role::leader && t >= heartbeat_deadline_) {
            heartbeat();
            heartbeat_deadline_ = t + config_.heartbeat;
        }
    } else if (t >= election_deadline_ && !config_.bugs.never_campaign) {
        on_election_timeout();
    }
    if (t >= repair_deadline_) request_repairs();
}

void RaftNode::ready() {
    // A handler's store call (truncate, repair, snapshot) may have stopped the store.
    if (store_.stopped()) fail_stop("handling messages");
    if (read_round_wanted_ && role_ == Role::leader) {
        broadcast(true);
        heartbeat_deadline_ = now() + config_.heartbeat;  // this round is also the heartbeat
    }
    read_round_wanted_ = false;
    if (config_.bugs.ack_before_sync) flush_outbox();
    persist();
    // Twin of store.durability: what the handlers queued leaves only once what it promises is
    // on disk - the log (acks) and the term and vote (vote replies); a failed persist dropped
    // it. An abstaining node saves no hard state, and grants no vote meanwhile. (Host replies
    // queued below promise only applied, hence committed, state.)
    SL_ASSERT(outbox_.empty() || durable_ >= last_index());
    SL_ASSERT(outbox_.empty() || !hard_dirty_ || abstain_);
    // A failed persist dropped the reply granting the vote: only a sent one is a vote.
    if (!outbox_.empty() && observer_) {
        for (const auto& [term, candidate] : granted_)
            observer_->on_vote(config_.self, term, candidate);
    }
    granted_.clear();
    flush_outbox();
    apply_committed();
    maybe_snapshot();
    serve_reads();
    flush_outbox();  // replies the host queued while applying
    check_invariants();
}

void RaftNode::persist() {
    // An abstaining node writes no hard state: its disk must keep saying "this node may have
    // forgotten a vote" (blank, or damaged) until it has caught up, even across restarts. It
    // grants no votes meanwhile, so no reply depends on a saved vote.
    if (hard_dirty_ && !abstain_) {
        HardState h{term_, voted_for_, commit_};
        if (config_.bugs.unpersisted_vote) {
            // The vote of the term on disk, if any, or none: this node's own votes are lost.
            const HardState& on_disk = store_.hard_state();
            h.voted_for = on_disk.term == term_ ? on_disk.voted_for : std::nullopt;
        }
        // Twin of raft.election_safety: a vote once on disk never changes within its term.
        const HardState& saved = store_.hard_state();
        SL_ASSERT(h.term != saved.term || !saved.voted_for || h.voted_for == saved.voted_for ||
                  config_.bugs.grant_any_vote);
        const Status st = store_.save_hard_state(h);
        if (st == Status::fail_stop) fail_stop("saving the hard state");
        if (st != Status::ok) {
            // Without the vote on disk no vote reply may leave: drop everything queued.
            ++stats_.sync_errors;
            SL_PROBE(probes::persist_failed);
            outbox_.clear();
            return;
        }
        hard_dirty_ = false;
    }
    if (durable_ < last_index()) {
        const Status st = store_.sync();
        if (st == Status::fail_stop) fail_stop("syncing the log");
        if (st != Status::ok) {
            ++stats_.sync_errors;
            SL_PROBE(probes::persist_failed);
            // Acks queued this cycle would promise what is not on disk.
            if (!config_.bugs.ack_before_sync) outbox_.clear();
            return;
        }
        durable_ = last_index();
        if (role_ == Role::leader) {
            peers_[config_.self].match = durable_;
            maybe_commit();
        }
    }
}

void RaftNode::flush_outbox() {
    // Nothing leaves a node whose store stopped (maybe_snapshot, or the host's proposals).
    if (store_.stopped()) fail_stop("sending");
    for (auto& [to, bytes] : outbox_) network_->send(config_.self, to, std::move(bytes));
    outbox_.clear();
}

void RaftNode::apply_committed() {
    const Index limit = config_.bugs.apply_uncommitted ? last_index() : commit_;
    while (applied_ < limit) {
        const Index i = applied_.next();
        const Entry* e = store_.entry(i);
        if (!e) break;  // a hole: wait for its repair
        // Twin of raft.state_machine_safety: the entry asked for, never one in a gap (the log
        // starts after a prefix the state machine lacks, so entry() finds nothing there).
        SL_ASSERT(e->index == i);
        SL_ASSERT(!store_.has_gap());
        applied_ = i;
        if (observer_)
            observer_->on_apply(config_.self, EntryView{e->index, e->term, entry_digest(e->data)},
                                e->data);
        host_->apply(*e);
    }
}

void RaftNode::queue(NodeId to, const RaftMessage& m) {
    outbox_.emplace_back(to, encode(m));
}

void RaftNode::send(NodeId to, std::vector<uint8_t> bytes) {
    outbox_.emplace_back(to, std::move(bytes));
}

void RaftNode::set_role(Role r) {
    if (r == role_) return;
    // Legal transitions: only a candidate wins, and a leader only ever steps down.
    SL_ASSERT(r != Role::leader || role_ == Role::candidate);
    SL_ASSERT(role_ != Role::leader || r == Role::follower);
    if (role_ == Role::leader && observer_) observer_->on_step_down(config_.self, term_);
    role_ = r;
    env_->record(kinds::role, sim::hash_combine(static_cast<uint64_t>(r), term_.value), [&] {
        return std::string(to_string(r)) + " term " + std::to_string(term_.value);
    });
}

void RaftNode::fail_stop(const char* where) {
    SL_ASSERT(store_.stopped());
    outbox_.clear();
    granted_.clear();
    env_->log().error(
        "the disk failed an fsync or a truncate while {}: crashing to recover from "
        "what it holds",
        where);
    env_->record(kinds::fail_stop, sim::hash_string(where), [where] { return std::string(where); });
    SL_PROBE(probes::fail_stop);
    sim::Simulation& kernel = env_->kernel();
    kernel.restart(env_->process());
    kernel.throw_if_killed();
    SL_ASSERT(false && "a restarted process's fiber unwinds at once");
    std::abort();
}

bool RaftNode::serving() const {
    if (role_ != Role::leader) return false;
    const std::optional<Term> t = store_.term_at(commit_);
    return t && *t == term_;
}

}  // namespace stormlog::system::store
