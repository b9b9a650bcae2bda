// Snapshots (Raft thesis ch. 5): a node snapshots its own applied state every snapshot_every
// entries and compacts its log; a leader sends InstallSnapshot, in chunks, to a follower whose
// next index it has compacted away; a restarted node restores its state machine from its newest
// snapshot and applies only the entries after it.

#include <algorithm>

#include "sim/assert.hpp"
#include "system/store/buggify.hpp"
#include "system/store/probes.hpp"
#include "system/store/raft.hpp"
#include "system/store/snapshot_format.hpp"
#include "system/store/trace_kinds.hpp"

namespace stormlog::system::store {

// A snapshot this node can store must also be one a follower's decoder accepts, and sending one
// must take at least one chunk per round.
static_assert(format::k_snapshot_bytes_max <= k_snapshot_total_bytes_max);
static_assert(k_snapshot_chunk_bytes_max > 0);

Index RaftNode::snapshot_index() const {
    const Snapshot* s = store_.snapshot();
    return s ? s->index : Index{};
}

// At recovery: the state machine is the snapshot's; apply resumes after it.
void RaftNode::restore_snapshot(const Snapshot& s) {
    // Once, at recovery, before anything was applied; the log continues the snapshot (no gap).
    SL_ASSERT(applied_ == Index{});
    SL_ASSERT(s.index <= last_index());
    host_->restore(s);
    applied_ = s.index;
    commit_ = std::max(commit_, s.index);
    if (observer_) observer_->on_snapshot(config_.self, s.index, s.term);
}

// Called after apply (`now`: whatever the count): snapshot the applied state once enough entries
// accumulated. The snapshot is durable before the log prefix goes (LogStore::save_snapshot), and
// covers only applied (hence committed) entries, so no node ever needs an entry it dropped
// undecided.
void RaftNode::maybe_snapshot(bool now) {
    if (store_.has_gap() || applied_ <= snapshot_index()) return;
    if (!now && applied_.value < snapshot_index().value + config_.snapshot_every &&
        !SL_BUGGIFY(buggify::early_snapshot)) {
        return;
    }
    const std::optional<Term> term = store_.term_at(applied_);
    if (!term) return;  // only with apply_uncommitted after a truncation
    // Twin of raft.state_machine_safety: a snapshot holds only committed entries (no node ever
    // needs an entry it compacted away undecided); its bug passes.
    SL_ASSERT(applied_ <= commit_ || config_.bugs.apply_uncommitted);
    const Snapshot s{applied_, *term, {}};
    // Entries a follower a batch or two behind still needs stay in the log (etcd keeps such a
    // window too): sending it a whole snapshot instead would be wasteful. The state moves in.
    if (const Status st = store_.save_snapshot(Snapshot{s.index, s.term, host_->snapshot_state()},
                                               config_.snapshot_trailing);
        st != Status::ok) {
        env_->log().warn("snapshot at {} failed: {}", s.index.value, to_string(st));
        return;
    }
    // The snapshot index moved forward, and the log after it stays: a node's own snapshot holds
    // the entry at its index intact, so LogStore keeps the suffix.
    SL_ASSERT(snapshot_index() == s.index);
    SL_ASSERT(last_index() >= s.index);
    ++stats_.snapshots_taken;
    SL_PROBE(probes::snapshot_taken);
    env_->record(kinds::snapshot, sim::hash_combine(s.index.value, s.term.value),
                 [&] { return entry_detail(s.index, s.term); });
    if (observer_) observer_->on_snapshot(config_.self, s.index, s.term);
}

// The entry before `next` must be known here to vouch for it (AppendEntries' prev check).
bool RaftNode::needs_snapshot(const Peer& p) const {
    return store_.snapshot() != nullptr && p.next < store_.first_index();
}

void RaftNode::send_snapshot(NodeId to) {
    Peer& p = peers_[to];
    SL_ASSERT(store_.snapshot() != nullptr);  // needs_snapshot() said so
    const Snapshot& s = *store_.snapshot();
    // The offset echoes a follower's count of received bytes: clamped, it is network input.
    if (p.snapshot_offset > s.data.size()) p.snapshot_offset = 0;
    const uint64_t n =
        std::min<uint64_t>(k_snapshot_chunk_bytes_max, s.data.size() - p.snapshot_offset);
    SnapshotRequest req{term_,          s.index,           s.term,        commit_,
                        broadcast_seq_, p.snapshot_offset, s.data.size(), {}};
    const auto from = s.data.begin() + static_cast<std::ptrdiff_t>(p.snapshot_offset);
    req.chunk.assign(from, from + static_cast<std::ptrdiff_t>(n));
    p.inflight = true;
    ++stats_.snapshots_sent;
    SL_PROBE(probes::snapshot_sent);
    queue(to, req);
}

void RaftNode::handle_snapshot(NodeId from, const SnapshotRequest& m) {
    if (m.term < term_) {
        queue(from, SnapshotResponse{term_, m.index, 0, false, m.seq});
        return;
    }
    become_follower(m.term, from);
    leader_ = from;
    last_leader_contact_ = now();
    reset_election_timer();
    SnapshotResponse resp{term_, m.index, 0, false, m.seq};
    if (m.index <= snapshot_index() || (m.index <= applied_ && !store_.has_gap())) {
        // Already covered by our own state: the log up to m.index is committed and matches.
        resp.offset = m.total;
        resp.done = true;
        queue(from, resp);
        return;
    }
    if (!incoming_ || incoming_->index != m.index || incoming_->term != m.last_term ||
        incoming_->total != m.total)
        incoming_ = Incoming{m.index, m.last_term, m.total, {}};
    if (m.offset == incoming_->data.size())
        incoming_->data.insert(incoming_->data.end(), m.chunk.begin(), m.chunk.end());
    // decode_raft bounds every chunk by its total, which names the snapshot being received.
    SL_ASSERT(incoming_->data.size() <= incoming_->total);
    resp.offset = incoming_->data.size();
    if (incoming_->data.size() == incoming_->total) {
        Snapshot s{incoming_->index, incoming_->term, std::move(incoming_->data)};
        incoming_.reset();
        install_snapshot(s);
        resp.done = snapshot_index() >= s.index;  // durable, or the ack would promise nothing
    }
    queue(from, resp);
    // No commit from m.commit: install_snapshot committed up to the snapshot, and the log kept
    // after it was never compared with the leader's (it may hold a deposed leader's entries);
    // the next AppendEntries checks it and carries the commit index (Raft's InstallSnapshot
    // commits nothing past the snapshot either).
    SL_ASSERT(!resp.done || commit_ >= m.index);
}

// Persists `s` (durably, before the ack leaves), drops the log it covers - keeping a suffix that
// matches it, per Raft - and restores the state machine from it.
void RaftNode::install_snapshot(const Snapshot& s) {
    // The state machine moves forward only (handle_snapshot answers one it already covers
    // without installing; in a gap nothing was applied), and so does the snapshot index.
    SL_ASSERT(s.index > applied_);
    SL_ASSERT(s.index > snapshot_index());
    const Index last = last_index();
    const std::optional<Term> mine = store_.term_at(s.index);
    const bool keeps = mine && *mine == s.term && s.index <= last;
    // A hole at s.index counts as no match: the log after it goes, committed entries included
    // when commit_ > s.index (a follower whose holes kept applied_ below the snapshot), so
    // commit_ may exceed last_index() until the leader sends those entries again.
    if (const Status st = store_.save_snapshot(s); st != Status::ok) {
        env_->log().warn("installing snapshot at {} failed: {}", s.index.value, to_string(st));
        if (store_.snapshot() == nullptr || store_.snapshot()->index != s.index) return;
    }
    // Installed: it covers any gap, and the log continues right after it (or past it, kept).
    SL_ASSERT(snapshot_index() == s.index);
    SL_ASSERT(!store_.has_gap());
    SL_ASSERT(last_index() >= s.index);
    ++stats_.snapshots_installed;
    SL_PROBE(probes::snapshot_installed);
    env_->log().info("installed snapshot at {} (term {}){}", s.index.value, s.term.value,
                     keeps ? ", keeping the log after it" : "");
    env_->record(kinds::install_snapshot, sim::hash_combine(s.index.value, s.term.value),
                 [&] { return entry_detail(s.index, s.term); });
    if (!keeps && observer_ && last > s.index)
        observer_->on_truncate(config_.self, term_, role_, s.index.next());
    durable_ = keeps ? std::max(durable_, s.index) : s.index;
    if (store_.corrupt_count() == 0) repair_deadline_ = sim::Time::max();
    if (!config_.bugs.skip_snapshot_restore) host_->restore(s);
    applied_ = s.index;
    if (s.index > commit_) {
        commit_ = s.index;
        hard_dirty_ = true;
    }
    if (observer_) observer_->on_snapshot(config_.self, s.index, s.term);
}

void RaftNode::handle_snapshot_response(NodeId from, const SnapshotResponse& m) {
    Peer* peer = answered(from, m.term, m.seq);
    if (!peer) return;
    Peer& p = *peer;
    if (m.index != snapshot_index()) {
        p.snapshot_offset = 0;  // an older snapshot of ours: start over with the current one
    } else if (m.done) {
        SL_ASSERT(m.index <= last_index());  // our own snapshot's index: the log continues it
        p.match = std::max(p.match, m.index);
        p.next = std::max(p.next, m.index.next());
        p.snapshot_offset = 0;
        maybe_commit();
    } else {
        p.snapshot_offset = m.offset;
    }
    confirm_reads();
    if (p.next <= last_index()) send_append(from, false);
}

}  // namespace stormlog::system::store
