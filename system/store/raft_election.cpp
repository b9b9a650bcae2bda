// Elections: randomized timeouts, PreVote, RequestVote, CheckQuorum and leader stickiness.

#include <algorithm>

#include "sim/assert.hpp"
#include "system/store/buggify.hpp"
#include "system/store/probes.hpp"
#include "system/store/raft.hpp"

namespace stormlog::system::store {

void RaftNode::reset_election_timer() {
    if (SL_BUGGIFY(buggify::early_election_timeout)) {
        election_deadline_ =
            now() + env_->rng().between(config_.election_min / 8, config_.election_min);
        return;
    }
    election_deadline_ = now() + env_->rng().between(config_.election_min, config_.election_max);
}

// A node may vote unless its hard state was damaged (its latest vote may be forgotten) or the
// term of its own last entry is unknown (it cannot tell whether a candidate is up to date).
bool RaftNode::may_vote() const {
    if (abstain_) return false;
    return known_term(last_index()).has_value();
}

// Leader stickiness (thesis §9.6): while a node hears from a live leader it ignores candidates,
// so a partitioned node rejoining with a higher term cannot depose a working leader.
bool RaftNode::in_lease() const {
    if (!config_.check_quorum) return false;
    if (role_ == Role::leader) return true;
    return leader_ && last_leader_contact_ && now() - *last_leader_contact_ < config_.election_min;
}

void RaftNode::on_election_timeout() {
    reset_election_timer();
    // A node with holes, or unsure of its vote, must not lead: it could not vouch for its log.
    if (store_.corrupt_count() > 0 || abstain_ || store_.has_gap() || !known_term(last_index()))
        return;
    if (config_.nodes == 1) {
        campaign();
        return;
    }
    if (config_.pre_vote && !config_.bugs.skip_pre_vote) {
        start_pre_vote();
    } else {
        campaign();
    }
}

void RaftNode::start_pre_vote() {
    SL_ASSERT(role_ != Role::leader);  // a leader has no election timer
    set_role(Role::pre_candidate);
    leader_.reset();
    std::fill(votes_.begin(), votes_.end(), false);
    votes_[config_.self] = true;
    const VoteRequest req{Term{term_.value + 1}, true, last_index(), *known_term(last_index())};
    for (NodeId n = 0; n < config_.nodes; ++n) {
        if (n != config_.self) queue(n, req);
    }
}

void RaftNode::campaign() {
    // Only a node that can vouch for its log campaigns (twin of raft.leader_completeness): the
    // pre-vote that leads here started with none of these, and none of them can arise since
    // (holes and gaps appear only at recovery, abstaining only at recovery).
    SL_ASSERT(role_ != Role::leader);
    SL_ASSERT(store_.corrupt_count() == 0);
    SL_ASSERT(!store_.has_gap());
    SL_ASSERT(!abstain_);
    SL_ASSERT(known_term(last_index()).has_value());
    ++stats_.elections;
    term_ = Term{term_.value + 1};
    voted_for_ = config_.self;
    hard_dirty_ = true;
    set_role(Role::candidate);
    leader_.reset();
    std::fill(votes_.begin(), votes_.end(), false);
    votes_[config_.self] = true;
    host_->on_role_change(role_, term_);
    if (observer_) observer_->on_campaign(config_.self, term_);
    if (config_.nodes == 1) {
        become_leader();
        return;
    }
    const VoteRequest req{term_, false, last_index(), *known_term(last_index())};
    for (NodeId n = 0; n < config_.nodes; ++n) {
        if (n != config_.self) queue(n, req);
    }
}

void RaftNode::become_follower(Term term, std::optional<NodeId> leader) {
    // Terms only move forward: every caller passes a newer term or the current one.
    SL_ASSERT(term >= term_);
    const bool changed = term != term_ || role_ != Role::follower;
    if (role_ == Role::leader) {
        if (last_index() > commit_) SL_PROBE(probes::leader_deposed_with_uncommitted);
        if (!reads_.empty()) SL_PROBE(probes::read_index_lost_leadership);
    }
    if (term > term_) {
        term_ = term;
        voted_for_.reset();
        hard_dirty_ = true;
    }
    set_role(Role::follower);
    leader_ = leader;
    reads_.clear();
    if (changed) host_->on_role_change(role_, term_);
}

void RaftNode::become_leader() {
    // Twin of raft.election_safety: a candidate of this term, with its own vote and a quorum's.
    SL_ASSERT(role_ == Role::candidate);
    SL_ASSERT(voted_for_ == config_.self || config_.bugs.grant_any_vote);
    SL_ASSERT(static_cast<size_t>(std::count(votes_.begin(), votes_.end(), true)) >= quorum());
    ++stats_.leaderships;
    set_role(Role::leader);
    leader_ = config_.self;
    led_term_ = term_;
    if (observer_) observer_->on_leader(config_.self, term_, last_index());
    env_->log().info("leader of term {} (last index {})", term_.value, last_index().value);
    if (last_index() > commit_) SL_PROBE(probes::elected_with_uncommitted_tail);
    for (NodeId n = 0; n < config_.nodes; ++n) {
        peers_[n] = Peer{};
        peers_[n].next = last_index().next();
        peers_[n].last_ack = now();
    }
    peers_[config_.self].match = durable_;
    host_->on_role_change(role_, term_);
    // An entry of the new term: committing it commits everything before it (§5.4.2) and lets
    // ReadIndex serve reads.
    (void)propose({});
    broadcast(false);
    heartbeat_deadline_ = now() + config_.heartbeat;
    quorum_deadline_ = now() + config_.election_min;
}

bool RaftNode::log_up_to_date(Term last_term, Index last_idx) const {
    if (config_.bugs.skip_vote_log_check) return true;
    const std::optional<Term> last = known_term(last_index());
    SL_ASSERT(last.has_value());  // callers ask may_vote() first
    const Term mine = last.value_or(Term{});
    return last_term > mine || (last_term == mine && last_idx >= last_index());
}

void RaftNode::handle_vote_request(NodeId from, const VoteRequest& m) {
    if (m.pre_vote) {
        // A pre-vote changes nothing here: it asks "would you vote for me if I campaigned?".
        const bool newer = m.term > term_;
        const bool lease = newer && in_lease();
        const bool eligible = newer && !lease && may_vote();
        const bool grant = eligible && log_up_to_date(m.last_term, m.last_index);
        if (lease) SL_PROBE(probes::prevote_refused_leader_alive);
        if (eligible && !grant) SL_PROBE(probes::prevote_refused_stale_log);
        queue(from, VoteResponse{grant ? m.term : term_, true, grant});
        return;
    }
    if (m.term < term_ || (m.term > term_ && in_lease())) {
        queue(from, VoteResponse{term_, false, false});
        return;
    }
    if (m.term > term_) become_follower(m.term, std::nullopt);
    const bool free = !voted_for_ || *voted_for_ == from || config_.bugs.grant_any_vote;
    const bool eligible = free && may_vote();
    const bool grant = eligible && log_up_to_date(m.last_term, m.last_index);
    if (eligible && !grant) SL_PROBE(probes::vote_refused_stale_log);
    if (grant) {
        // Twin of raft.election_safety: a vote only in the current term, and never by a leader
        // (it voted for itself in its term).
        SL_ASSERT(m.term == term_);
        SL_ASSERT(role_ != Role::leader || config_.bugs.grant_any_vote);
        voted_for_ = from;
        granted_.emplace_back(term_, from);  // reported when the reply leaves
        // The reply leaves only after persist() has saved the vote.
        hard_dirty_ = true;
        reset_election_timer();
    }
    queue(from, VoteResponse{term_, false, grant});
}

void RaftNode::handle_vote_response(NodeId from, const VoteResponse& m) {
    if (m.term > term_ && !(m.pre_vote && m.granted)) {
        become_follower(m.term, std::nullopt);
        return;
    }
    if (!m.granted) return;
    const bool counts = m.pre_vote
                            ? (role_ == Role::pre_candidate && m.term == Term{term_.value + 1})
                            : (role_ == Role::candidate && m.term == term_);
    if (!counts) return;
    votes_[from] = true;
    if (static_cast<size_t>(std::count(votes_.begin(), votes_.end(), true)) < quorum()) return;
    if (m.pre_vote) {
        campaign();
    } else {
        become_leader();
    }
}

// CheckQuorum: a leader that has not heard from a majority within an election timeout steps
// down, so a leader cut off from the majority stops serving (its reads would be stale).
void RaftNode::check_quorum() {
    SL_ASSERT(role_ == Role::leader);
    quorum_deadline_ = now() + config_.election_min;
    size_t active = 1;
    const sim::Duration window =
        config_.bugs.eager_step_down ? config_.heartbeat : config_.election_min;
    for (NodeId n = 0; n < config_.nodes; ++n) {
        if (n != config_.self && now() - peers_[n].last_ack < window) ++active;
    }
    if (active < quorum()) {
        env_->log().info("stepping down: heard from {} of {} nodes in term {}", active,
                         config_.nodes, term_.value);
        SL_PROBE(probes::leader_lost_quorum);
        become_follower(term_, std::nullopt);
        reset_election_timer();
    }
}

}  // namespace stormlog::system::store
