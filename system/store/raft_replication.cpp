// Log replication (§5.3), commitment (§5.4.2) and ReadIndex (thesis §6.4).

#include <algorithm>

#include "sim/assert.hpp"
#include "system/store/buggify.hpp"
#include "system/store/probes.hpp"
#include "system/store/raft.hpp"

namespace stormlog::system::store {

std::optional<Index> RaftNode::propose(std::vector<uint8_t> data) {
    if (role_ != Role::leader) return std::nullopt;
    // Followers' decoders refuse a larger entry: it could never replicate, nor commit.
    SL_ASSERT(data.size() <= k_entry_bytes_max);
    const Index index = last_index().next();
    const Entry entry{index, term_, std::move(data)};
    if (!append_entries(std::span<const Entry>(&entry, 1))) return std::nullopt;
    SL_ASSERT(last_index() == index);
    ++stats_.entries_proposed;
    for (NodeId n = 0; n < config_.nodes; ++n) {
        if (n != config_.self && !peers_[n].inflight) send_append(n, false);
    }
    return index;
}

void RaftNode::send_append(NodeId to, bool heartbeat) {
    SL_ASSERT(role_ == Role::leader);  // twin of raft.election_safety: only a leader replicates
    Peer& p = peers_[to];
    if (needs_snapshot(p)) {
        // The entries it needs are compacted away here. A heartbeat re-sends the chunk in flight
        // (it may have been lost) and so also serves as the heartbeat.
        send_snapshot(to);
        return;
    }
    AppendRequest req;
    req.term = term_;
    req.commit = commit_;
    req.seq = broadcast_seq_;
    // The entry before `next` must be intact here to vouch for it; a leader holds no holes
    // (it does not campaign with any), so this always finds one.
    p.next = std::clamp(p.next, store_.first_index(), last_index().next());
    req.prev_index = Index{p.next.value - 1};
    const std::optional<Term> prev = store_.term_at(req.prev_index);
    SL_ASSERT(prev.has_value());
    req.prev_term = prev.value_or(Term{});
    batch_.clear();
    if (!(heartbeat && p.inflight)) {
        const size_t most =
            SL_BUGGIFY(buggify::one_entry_appends) ? size_t{1} : size_t{config_.batch_entries_max};
        for (Index i = p.next; i <= last_index() && batch_.size() < most; i = i.next()) {
            const Entry* e = store_.entry(i);
            if (!e) break;
            batch_.push_back(e);
        }
    }
    if (!batch_.empty()) p.inflight = true;
    p.last_sent = now();
    ++stats_.appends_sent;
    outbox_.emplace_back(to, encode_append(req, batch_));
}

// The periodic heartbeat skips followers that had an append within the last half interval:
// that append already told them the leader lives (and carried the commit index).
void RaftNode::heartbeat() {
    ++broadcast_seq_;
    for (NodeId n = 0; n < config_.nodes; ++n) {
        if (n != config_.self && now() - peers_[n].last_sent >= config_.heartbeat / 2)
            send_append(n, true);
    }
}

void RaftNode::broadcast(bool heartbeat) {
    ++broadcast_seq_;
    for (NodeId n = 0; n < config_.nodes; ++n) {
        if (n != config_.self) send_append(n, heartbeat);
    }
}

void RaftNode::handle_append(NodeId from, const AppendRequest& m) {
    // Entries follow prev_index without a gap, as every leader sends them (encode_append asserts
    // it): a message that says otherwise is malformed, dropped like a corrupt packet
    // (accept_entries and LogStore::append require it).
    for (size_t k = 0; k < m.entries.size(); ++k) {
        if (m.entries[k].index.value != m.prev_index.value + 1 + k) return;
    }
    if (m.term < term_ && !(config_.bugs.leader_accepts_stale && role_ == Role::leader)) {
        queue(from, AppendResponse{term_, false, Index{}, m.seq});
        return;
    }
    if (m.term >= term_) become_follower(m.term, from);
    leader_ = from;
    last_leader_contact_ = now();
    reset_election_timer();
    if (m.prev_index < snapshot_index() && !store_.has_gap())
        return handle_compacted_append(from, m);
    // Consistency check: our log must hold the leader's entry at prev_index.
    const std::optional<Term> prev = m.prev_index.value + 1 < store_.first_index().value
                                         ? std::nullopt  // compacted (in a gap): unknown
                                         : store_.term_at(m.prev_index);
    if (m.prev_index > last_index() || !prev || *prev != m.prev_term) {
        // Hint: retry from our last index, or (on a conflict or a hole) one before prev_index.
        Index hint = m.prev_index > last_index() ? last_index() : Index{m.prev_index.value - 1};
        // A node in a gap cannot match anything before its log: ask for the leader's snapshot.
        if (store_.has_gap() && hint.value + 1 < store_.first_index().value) hint = Index{0};
        queue(from, AppendResponse{term_, false, hint, m.seq});
        return;
    }
    // What we now hold of the leader's entries, compared with them: less than it sent if the disk
    // refused an append, a repair or a truncation - entries past that are our own, unchecked.
    const Index verified = accept_entries(m);  // first: it moves last_index()
    const Index last_new = std::min(verified, last_index());
    // The leader's commit index may be stale (a reordered message) or beyond what we now hold:
    // commit only forward, and only entries matched against the leader's.
    const Index commit = std::min(m.commit, last_new);
    if (commit > commit_) {
        // Twin of raft.log_matching: an entry committed here is the leader's entry, not one of
        // ours that the leader's entries were never compared with.
        SL_ASSERT(commit <= m.prev_index ||
                  known_term(commit) == m.entries[commit.value - m.prev_index.value - 1].term ||
                  config_.bugs.skip_conflict_check);
        set_commit(commit);
    }
    if (abstain_ && last_new >= m.commit && first_hole() > m.commit) {
        // Caught up: our log holds every entry this term's leader knows committed, and our term
        // is the leader's - any vote or ack we forgot was for this term or an older one, and we
        // vote in neither: this term's vote is taken as the leader's (a late candidate of this
        // term might otherwise get a second vote from us; raft.vote_durable found it) unless the
        // disk still names one (bench detect found that a node without PreVote reached it).
        // A vote the disk still holds for this term stands (a vote once on disk never changes
        // within its term): this node gave it, and keeps refusing everyone else either way.
        abstain_ = false;
        const HardState& saved = store_.hard_state();
        voted_for_ = saved.term == term_ && saved.voted_for ? saved.voted_for : from;
        hard_dirty_ = true;  // from now on the disk says who we are again
        SL_PROBE(probes::rejoined_after_abstaining);
        env_->log().info("caught up with leader n{} of term {} at {}: voting again", from + 1,
                         m.term.value, m.commit.value);
    }
    // Never ack through a hole: the leader will resend from it, and the resent entry repairs it.
    const Index match = std::min(last_new, Index{first_hole().value - 1});
    if (config_.bugs.drop_acks) return;
    queue(from, AppendResponse{term_, true, match, m.seq});
}

// The leader's prev_index lies inside our snapshot: those entries are committed, so they match
// the leader's. Only the entries after the snapshot are news, checked against its last entry.
void RaftNode::handle_compacted_append(NodeId from, const AppendRequest& m) {
    SL_ASSERT(store_.snapshot() != nullptr);  // m.prev_index < snapshot_index()
    const Snapshot& snap = *store_.snapshot();
    AppendRequest rest = m;
    rest.prev_index = snap.index;
    rest.prev_term = snap.term;
    rest.entries.clear();
    for (const Entry& e : m.entries) {
        if (e.index > snap.index) rest.entries.push_back(e);
    }
    handle_append(from, rest);
}

// Appends the leader's entries, skipping those already held, repairing holes with the leader's
// copy, and truncating at the first real conflict (which Raft proves uncommitted).
Index RaftNode::accept_entries(const AppendRequest& m) {
    // Appending from entry k on: the log then matches the leader's through its last entry, or
    // (the disk refused) through the entry before k.
    const auto append_from = [&](size_t k) {
        const bool appended = append_entries(std::span<const Entry>(m.entries).subspan(k));
        return appended ? m.entries.back().index : Index{m.entries[k].index.value - 1};
    };
    for (size_t k = 0; k < m.entries.size(); ++k) {
        const Entry& e = m.entries[k];
        // Log matching on append: the entries follow prev_index contiguously (handle_append drops
        // anything else), and the log matches the leader's up to the entry before this one.
        SL_ASSERT(e.index.value == m.prev_index.value + 1 + k);
        if (e.index > last_index()) return append_from(k);
        const std::optional<Term> mine = known_term(e.index);
        if (store_.holds(e.index) && (*mine == e.term || config_.bugs.skip_conflict_check))
            continue;
        if (!store_.holds(e.index) && (!mine || *mine == e.term)) {
            if (repair_entry(e)) {
                SL_PROBE(probes::hole_repaired_from_append);
                continue;
            }
            return Index{e.index.value - 1};  // the disk failed the repair: keep the hole (never
                                              // truncate it), ack and commit below it
        }
        // A conflict: a different entry at this index cannot be committed (Log Matching and
        // Leader Completeness), so it and everything after it go. Twin of raft.leader_append_only
        // and raft.state_machine_safety; the bugs that demonstrate those properties pass it.
        SL_ASSERT(e.index > commit_ || config_.bugs.apply_uncommitted ||
                  config_.bugs.leader_accepts_stale);
        truncate_from(e.index);
        if (last_index() < e.index) SL_PROBE(probes::follower_truncated_conflict);
        return append_from(k);  // refused after a failed truncation: the conflict stays ours
    }
    return Index{m.prev_index.value + m.entries.size()};
}

RaftNode::Peer* RaftNode::answered(NodeId from, Term term, uint64_t seq) {
    if (term > term_) {
        become_follower(term, std::nullopt);
        reset_election_timer();
        return nullptr;
    }
    if (role_ != Role::leader || term < term_) return nullptr;
    Peer& p = peers_[from];
    p.last_ack = now();
    p.acked_seq = std::max(p.acked_seq, seq);
    p.inflight = false;
    return &p;
}

void RaftNode::handle_append_response(NodeId from, const AppendResponse& m) {
    Peer* peer = answered(from, m.term, m.seq);
    if (!peer) return;
    Peer& p = *peer;
    const Index before = p.match;
    const Index next_before = p.next;
    // Refused at prev_index 0, which every log matches: it follows a gap (a damaged snapshot)
    // and needs a snapshot - take one now if ours does not cover its log.
    if (!m.success && p.next == Index{1} && store_.snapshot() == nullptr) maybe_snapshot(true);
    if (m.success) {
        p.match = std::max(p.match, m.match);
        // Set, not max: a follower that stopped its ack below a hole wants the entries again.
        p.next = m.match.next();
        // A follower acks only what this leader sent it in its term, and a leader never
        // truncates (twin of raft.leader_append_only; its bug passes).
        SL_ASSERT(p.match <= last_index() || config_.bugs.leader_accepts_stale);
    } else if (m.match.next() < p.next) {
        // The hint is at most the probe's prev_index - 1, so retrying from hint + 1 moves back.
        // A duplicated or stale refusal (whose probe is answered already) moves nothing, and
        // sends nothing: resending on each copy let duplicated refusals multiply without bound.
        p.next = Index{std::max<uint64_t>(1, m.match.value + 1)};
    }
    maybe_commit();
    confirm_reads();
    // More at once only while the follower makes progress (or we are still probing back): one
    // that cannot store what it is sent (a full disk) hears again at the next heartbeat, not in a
    // tight loop.
    const bool progress = m.success ? p.match > before : p.next < next_before;
    if (p.next <= last_index() && progress) send_append(from, false);
}

// The highest index a majority holds; committed only if it is from the current term (§5.4.2):
// an older term's entry replicated on a majority can still be overwritten (Figure 8).
void RaftNode::maybe_commit() {
    SL_ASSERT(role_ == Role::leader);
    const Index n{quorum_reached(
        [&](NodeId m) { return m == config_.self ? durable_.value : peers_[m].match.value; })};
    if (n <= commit_) return;
    const std::optional<Term> t = store_.term_at(n);
    if (!t) return;
    if (*t != term_ && !config_.bugs.commit_by_counting) {
        SL_PROBE(probes::commit_withheld_older_term);
        return;
    }
    // Terms never decrease along the log: if the first entry committed now is of an older term,
    // older entries commit only through this term's entry (§5.4.2).
    const std::optional<Term> first = store_.term_at(commit_.next());
    if (first && *first < term_) SL_PROBE(probes::commit_older_term_via_current);
    set_commit(n);
}

void RaftNode::set_commit(Index c) {
    // The commit index only moves forward (the observer's on_commit contract): callers clamp
    // what the network says. It never passes the log, and a leader commits by counting only
    // entries of its own term (§5.4.2, Figure 8; twin of raft.leader_completeness).
    SL_ASSERT(c > commit_);
    SL_ASSERT(c <= last_index());
    SL_ASSERT(role_ != Role::leader || store_.term_at(c) == std::optional<Term>(term_) ||
              config_.bugs.leader_accepts_stale || config_.bugs.commit_by_counting);
    commit_ = c;
    if (observer_) observer_->on_commit(config_.self, term_, role_, commit_);
    if (role_ == Role::leader) {
        for (PendingRead& r : reads_) {
            if (r.waiting_commit && serving()) {
                r.waiting_commit = false;
                r.index = commit_;
                r.seq = broadcast_seq_ + 1;
            }
        }
        if (!reads_.empty() && reads_.back().seq > broadcast_seq_) read_round_wanted_ = true;
    }
}

bool RaftNode::believes_it_leads() const {
    if (!config_.bugs.unconfirmed_leader_reads || led_term_ != term_ || term_ == Term{})
        return false;
    // Stepped down (CheckQuorum) or seeking votes without a new term (PreVote), it still takes
    // the last leader it knows of - itself - for the leader.
    return role_ != Role::leader || serving();
}

std::optional<uint64_t> RaftNode::read_index() {
    const bool believed = believes_it_leads();
    if (role_ != Role::leader && !config_.bugs.stale_reads && !believed) return std::nullopt;
    PendingRead r;
    r.ticket = ++next_ticket_;
    if (config_.bugs.stale_reads) {
        r.index = applied_;  // serves what it has, leader or not
    } else if (believed) {
        r.index = commit_;  // seq 0: taken as confirmed, though no quorum said it still leads
    } else if (!serving()) {
        r.waiting_commit = true;  // the new term's first entry must commit first
    } else {
        // Confirmed by the next broadcast round, which ready() starts once per cycle: reads that
        // arrive together share one round of heartbeats.
        r.index = commit_;
        r.seq = broadcast_seq_ + 1;
        read_round_wanted_ = true;
    }
    reads_.push_back(r);
    return r.ticket;
}

// Leadership is confirmed for every read whose broadcast round a majority (us included) has
// answered in our term.
void RaftNode::confirm_reads() {
    // Only a leader runs rounds (a follower holds reads only under unconfirmed_leader_reads).
    if (reads_.empty() || config_.bugs.stale_reads || role_ != Role::leader) return;
    const uint64_t confirmed = quorum_reached(
        [&](NodeId n) { return n == config_.self ? broadcast_seq_ : peers_[n].acked_seq; });
    // Followers echo rounds of this leader's term only (answered() drops the rest): no quorum can
    // confirm a round that has not started. Twin of store.linearizable.
    SL_ASSERT(confirmed <= broadcast_seq_);
    for (PendingRead& r : reads_) {
        if (!r.waiting_commit && r.seq <= confirmed) r.seq = 0;  // 0: confirmed
    }
}

void RaftNode::serve_reads() {
    confirm_reads();
    while (!reads_.empty()) {
        const PendingRead& r = reads_.front();
        const bool confirmed = config_.bugs.stale_reads || (!r.waiting_commit && r.seq == 0);
        if (!confirmed || r.index > applied_) break;
        // Twin of store.linearizable: only a leader serves reads (stepping down drops them).
        SL_ASSERT(role_ == Role::leader || config_.bugs.stale_reads ||
                  config_.bugs.unconfirmed_leader_reads);
        const uint64_t ticket = r.ticket;
        reads_.pop_front();
        host_->on_read_ready(ticket);
    }
}

}  // namespace stormlog::system::store
