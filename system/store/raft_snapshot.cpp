// Snapshots (Raft thesis ch. 5): a node snapshots its own applied state every snapshot_every
// entries and compacts its log; a leader sends InstallSnapshot, in chunks, to a follower whose
// next index it has compacted away; a restarted node restores its state machine from its newest
// snapshot and applies only the entries after it.

#include <algorithm>
#include <cassert>

#include "system/store/raft.hpp"

namespace stormlog::system::store {

Index RaftNode::snapshot_index() const {
    const Snapshot* s = store_.snapshot();
    return s ? s->index : Index{};
}

// At recovery: the state machine is the snapshot's; apply resumes after it.
void RaftNode::restore_snapshot(const Snapshot& s) {
    host_->restore(s);
    applied_ = s.index;
    commit_ = std::max(commit_, s.index);
    if (observer_) observer_->on_snapshot(config_.self, s.index, s.term);
}

// Called after apply (`now`: whatever the count): snapshot the applied state once enough entries accumulated. The snapshot
// is durable before the log prefix goes (LogStore::save_snapshot), and covers only applied
// (hence committed) entries, so no node ever needs an entry it dropped undecided.
void RaftNode::maybe_snapshot(bool now) {
    if (store_.has_gap() || applied_ <= snapshot_index()) return;
    if (!now && applied_.value < snapshot_index().value + config_.snapshot_every) return;
    const std::optional<Term> term = store_.term_at(applied_);
    if (!term) return;  // only with apply_uncommitted after a truncation
    const Snapshot s{applied_, *term, host_->snapshot_state()};
    // Entries a follower a batch or two behind still needs stay in the log (etcd keeps such a
    // window too): sending it a whole snapshot instead would be wasteful.
    if (const Status st = store_.save_snapshot(s, config_.snapshot_trailing); st != Status::ok) {
        env_->log().warn("snapshot at {} failed: {}", s.index.value, to_string(st));
        return;
    }
    ++stats_.snapshots_taken;
    env_->record(sim::trace_kind("raft.snapshot"), sim::hash_combine(s.index.value, s.term.value));
    if (observer_) observer_->on_snapshot(config_.self, s.index, s.term);
}

// The entry before `next` must be known here to vouch for it (AppendEntries' prev check).
bool RaftNode::needs_snapshot(const Peer& p) const {
    return store_.snapshot() != nullptr && p.next < store_.first_index();
}

void RaftNode::send_snapshot(NodeId to) {
    Peer& p = peers_[to];
    const Snapshot& s = *store_.snapshot();
    if (p.snapshot_offset > s.data.size()) p.snapshot_offset = 0;
    const uint64_t n = std::min<uint64_t>(k_snapshot_chunk_bytes_max, s.data.size() - p.snapshot_offset);
    SnapshotRequest req{term_, s.index, s.term, commit_, broadcast_seq_, p.snapshot_offset, s.data.size(), {}};
    const auto from = s.data.begin() + static_cast<std::ptrdiff_t>(p.snapshot_offset);
    req.chunk.assign(from, from + static_cast<std::ptrdiff_t>(n));
    p.inflight = true;
    ++stats_.snapshots_sent;
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
    if (!incoming_ || incoming_->index != m.index || incoming_->term != m.last_term || incoming_->total != m.total)
        incoming_ = Incoming{m.index, m.last_term, m.total, {}};
    if (m.offset == incoming_->data.size()) incoming_->data.insert(incoming_->data.end(), m.chunk.begin(), m.chunk.end());
    resp.offset = incoming_->data.size();
    if (incoming_->data.size() == incoming_->total) {
        Snapshot s{incoming_->index, incoming_->term, std::move(incoming_->data)};
        incoming_.reset();
        install_snapshot(s);
        resp.done = snapshot_index() >= s.index;  // durable, or the ack would promise nothing
    }
    queue(from, resp);
    if (m.commit > commit_ && resp.done) set_commit(std::min(m.commit, last_index()));
}

// Persists `s` (durably, before the ack leaves), drops the log it covers - keeping a suffix that
// matches it, per Raft - and restores the state machine from it.
void RaftNode::install_snapshot(const Snapshot& s) {
    const Index last = last_index();
    const std::optional<Term> mine = store_.term_at(s.index);
    const bool keeps = mine && *mine == s.term && s.index <= last;
    if (const Status st = store_.save_snapshot(s); st != Status::ok) {
        env_->log().warn("installing snapshot at {} failed: {}", s.index.value, to_string(st));
        if (store_.snapshot() == nullptr || store_.snapshot()->index != s.index) return;
    }
    ++stats_.snapshots_installed;
    env_->log().info("installed snapshot at {} (term {}){}", s.index.value, s.term.value,
                     keeps ? ", keeping the log after it" : "");
    env_->record(sim::trace_kind("raft.install_snapshot"), sim::hash_combine(s.index.value, s.term.value));
    if (!keeps && observer_ && last > s.index) observer_->on_truncate(config_.self, term_, role_, s.index.next());
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
