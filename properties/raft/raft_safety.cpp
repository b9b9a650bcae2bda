#include "properties/raft/raft_safety.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <utility>

#include "properties/catalogue.hpp"
#include "sim/assert.hpp"

namespace stormlog::properties::raft {

namespace {

// Position of `index` in the per-index tables (index 1 is element 0).
size_t at(Index index) {
    SL_ASSERT(index.value >= 1);
    return static_cast<size_t>(index.value - 1);
}

std::string hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
    return buf;
}

std::string str(Index i) {
    return std::to_string(i.value);
}
std::string str(Term t) {
    return std::to_string(t.value);
}

std::string entry(Term term, uint64_t digest) {
    return "term " + str(term) + " digest " + hex(digest);
}

}  // namespace

RaftSafety::RaftSafety(size_t nodes, Report report, Name name)
    : nodes_(nodes), report_(std::move(report)), name_(std::move(name)) {
    enabled_.fill(true);
}

const std::vector<std::string>& RaftSafety::property_names() {
    // Indexed by Property.
    static const std::vector<std::string> names = {
        property::raft_election_safety.name,      property::raft_leader_append_only.name,
        property::raft_log_matching.name,         property::raft_leader_completeness.name,
        property::raft_state_machine_safety.name, property::raft_vote_durable.name,
        property::raft_current_term_commit.name};
    return names;
}

void RaftSafety::enable(const std::vector<std::string>& properties) {
    enabled_.fill(false);
    const auto& names = property_names();
    for (const auto& p : properties) {
        auto it = std::find(names.begin(), names.end(), p);
        if (it != names.end()) enabled_[static_cast<size_t>(it - names.begin())] = true;
    }
}

void RaftSafety::violation(Property p, NodeId node, std::string evidence) {
    SL_ASSERT(wants(p));
    reported_[p] = true;
    if (report_) report_(Violation{property_names()[p], node, std::move(evidence)});
}

std::string RaftSafety::name(NodeId node) const {
    if (name_) return name_(node);
    return "n" + std::to_string(uint64_t{node} + 1);
}

RaftSafety::NodeState& RaftSafety::state(NodeId node) {
    SL_ASSERT(node < nodes_.size());
    return nodes_[node];
}

// Grows the mirror with holes of unknown term when a report skips ahead, so a leader that never
// received those indices counts as missing them.
void RaftSafety::place(NodeState& n, Index index, const Slot& slot) {
    size_t i = at(index);
    if (i < n.log.size()) {
        n.log[i] = slot;
        // The slot changed under the commit comparison: compare it again at the next commit.
        if (i < n.compared.value) n.compared = Index{i};
        return;
    }
    n.log.resize(i);
    n.log.push_back(slot);
}

// ---- on_recover ----------------------------------------------------------------------------

// The hard state is not used: commit knowledge counts only when reported through on_commit, so
// every commit the checker trusts passed the same comparison.
void RaftSafety::on_recover(NodeId node, const HardState& hard, bool hard_intact,
                            std::span<const SlotView> log) {
    NodeState& n = state(node);
    // A lost or damaged hard state is no durability bug of the node: it abstains until caught
    // up (and then takes that term's leader as its vote); only new votes are owed from then on.
    if (!hard_intact) n.vote_lost = true;
    if (hard_intact && n.vote && !n.vote_lost && wants(vote_durable) &&
        (hard.term < n.vote->first ||
         (hard.term == n.vote->first && hard.voted_for != n.vote->second))) {
        violation(
            vote_durable, node,
            name(node) + " granted its vote in term " + str(n.vote->first) + " to " +
                name(n.vote->second) + ", but restarted reading term " + str(hard.term) +
                (hard.voted_for ? " with its vote for " + name(*hard.voted_for) : " with no vote") +
                " from an intact disk: the vote was not durable before its reply left");
    }
    n.log.clear();
    n.commit = Index{0};
    n.compared = Index{0};
    n.applied = Index{0};  // the state machine is rebuilt from index 1
    Index last{0};
    std::optional<Term> last_term = Term{0};  // the term "before index 1"
    for (const SlotView& s : log) {
        SL_ASSERT(s.index > last);
        // Only a slot right after the previous one knows its prev_term.
        std::optional<Term> prev_term = s.index == last.next() ? last_term : std::nullopt;
        bool intact = s.term.has_value() && s.digest.has_value();
        place(n, s.index,
              Slot{s.term.value_or(Term{}), s.digest.value_or(0), s.term.has_value(), intact});
        if (intact) see(node, s.index, *s.term, *s.digest, prev_term);
        last = s.index;
        last_term = s.term;
    }
}

void RaftSafety::on_vote(NodeId node, Term term, NodeId candidate) {
    NodeState& n = state(node);
    if (n.vote && n.vote->first == term && n.vote->second != candidate && wants(vote_durable)) {
        violation(vote_durable, node,
                  name(node) + " granted its vote in term " + str(term) + " to " + name(candidate) +
                      " after granting it to " + name(n.vote->second));
    }
    if (!n.vote || term >= n.vote->first) {
        n.vote = std::make_pair(term, candidate);
        n.vote_lost = false;
    }
}

size_t RaftSafety::elections_since(sim::Time from) const {
    return static_cast<size_t>(std::count_if(
        leaders_.begin(), leaders_.end(), [&](const auto& l) { return l.second.elected >= from; }));
}

// ---- on_leader -----------------------------------------------------------------------------

void RaftSafety::on_leader(NodeId node, Term term, Index /*last_index*/) {
    auto [it, inserted] =
        leaders_.try_emplace(term.value, Leader{node, clock_ ? clock_() : sim::Time::zero()});
    if (!inserted && it->second.node != node && wants(election_safety)) {
        violation(election_safety, node,
                  name(node) + " leads term " + str(term) + " but " + name(it->second.node) +
                      " already led term " + str(term));
    }
    check_leader_holds_committed(node, term);
}

// Figure 3 promises a leader of term T the entries committed in terms < T only (see header).
void RaftSafety::check_leader_holds_committed(NodeId node, Term term) {
    if (!wants(leader_completeness)) return;
    const NodeState& n = state(node);
    size_t i = 0;
    for (; i < committed_.size(); ++i) {
        if (commit_info_[i].term >= term) continue;
        if (i >= n.log.size() || !n.log[i].intact) break;
        if (n.log[i].term != committed_[i].term || n.log[i].digest != committed_[i].digest) break;
    }
    if (i == committed_.size()) return;
    const EntryView& c = committed_[i];
    const CommitInfo& info = commit_info_[i];
    std::string holds =
        i >= n.log.size() ? "lacks index " + str(c.index) + " (its log ends at index " +
                                std::to_string(n.log.size()) + ")"
        : !n.log[i].intact
            ? "holds a hole at index " + str(c.index)
            : "holds index " + str(c.index) + " as " + entry(n.log[i].term, n.log[i].digest);
    violation(leader_completeness, node,
              name(node) + " leads term " + str(term) + " but " + holds + "; index " +
                  str(c.index) + " was committed as " + entry(c.term, c.digest) + " by " +
                  name(info.node) + " in term " + str(info.term));
}

// ---- on_append -----------------------------------------------------------------------------

void RaftSafety::on_append(NodeId node, Term current_term, Role role, std::optional<Term> prev_term,
                           std::span<const EntryView> entries, bool repair) {
    NodeState& n = state(node);
    std::optional<Term> prev = prev_term;
    for (size_t k = 0; k < entries.size(); ++k) {
        const EntryView& e = entries[k];
        SL_ASSERT(k == 0 || e.index == entries[k - 1].index.next());  // contiguous, ascending
        size_t i = at(e.index);
        if (role == Role::leader && !repair && i < n.log.size()) {
            check_overwrite(node, current_term, n.log[i], e);
        }
        see(node, e.index, e.term, e.digest, prev);
        place(n, e.index, Slot{e.term, e.digest, true, true});
        prev = e.term;
    }
    // A repaired hole below the node's commit index lets the commit comparison move on.
    if (n.compared < n.commit) compare_committed(node, current_term, role);
}

void RaftSafety::check_overwrite(NodeId node, Term current_term, const Slot& old,
                                 const EntryView& e) {
    if (!old.intact || (old.term == e.term && old.digest == e.digest)) return;
    if (!wants(leader_append_only)) return;
    violation(leader_append_only, node,
              name(node) + " as leader of term " + str(current_term) + " overwrote index " +
                  str(e.index) + " (" + entry(old.term, old.digest) + ") with " +
                  entry(e.term, e.digest));
}

// Registers that `node` holds (index, term, digest) after prev_term, and checks it against every
// earlier report of the same (index, term).
void RaftSafety::see(NodeId node, Index index, Term term, uint64_t digest,
                     std::optional<Term> prev_term) {
    size_t i = at(index);
    if (i >= seen_.size()) seen_.resize(i + 1);
    SeenAtIndex& here = seen_[i];
    Seen fresh{term, digest, prev_term, node, node};
    if (!here.first) {
        here.first = fresh;
        return;
    }
    if (here.first->term == term) return check_seen(node, index, *here.first, digest, prev_term);
    for (Seen& s : here.more) {
        if (s.term == term) return check_seen(node, index, s, digest, prev_term);
    }
    here.more.push_back(fresh);
}

void RaftSafety::check_seen(NodeId node, Index index, Seen& known, uint64_t digest,
                            std::optional<Term> prev_term) {
    if (known.digest != digest) {
        if (!wants(log_matching)) return;
        violation(log_matching, node,
                  name(node) + " holds index " + str(index) + " as " + entry(known.term, digest) +
                      " but " + name(known.node) + " holds it as " +
                      entry(known.term, known.digest));
        return;
    }
    if (!prev_term) return;
    if (!known.prev_term) {
        known.prev_term = prev_term;
        known.prev_node = node;
        return;
    }
    if (*known.prev_term != *prev_term && wants(log_matching)) {
        violation(log_matching, node,
                  name(node) + " holds index " + str(index) + " term " + str(known.term) +
                      " after term " + str(*prev_term) + " but " + name(known.prev_node) +
                      " holds it after term " + str(*known.prev_term));
    }
}

// ---- on_truncate ---------------------------------------------------------------------------

void RaftSafety::on_truncate(NodeId node, Term current_term, Role role, Index from) {
    NodeState& n = state(node);
    size_t keep = at(from);
    if (role == Role::leader && wants(leader_append_only)) {
        violation(leader_append_only, node,
                  name(node) + " as leader of term " + str(current_term) +
                      " truncated its log from index " + str(from) + " (it held " +
                      std::to_string(n.log.size()) + " entries)");
    }
    if (keep < n.log.size()) n.log.resize(keep);
    if (keep < n.compared.value) n.compared = Index{keep};
}

// ---- on_commit -----------------------------------------------------------------------------

void RaftSafety::on_commit(NodeId node, Term current_term, Role role, Index commit) {
    NodeState& n = state(node);
    // A leader counts replicas only of its own term's entries (§5.4.2): the entry its commit
    // index lands on is of its term.
    if (role == Role::leader && commit > n.commit && commit.value <= n.log.size() &&
        wants(current_term_commit)) {
        const Slot& s = n.log[at(commit)];
        if (s.term_known && s.term != current_term) {
            violation(current_term_commit, node,
                      name(node) + " leads term " + str(current_term) + " and commits index " +
                          str(commit) + " of term " + str(s.term) +
                          " by counting its replicas: an older term's entry may still be "
                          "overwritten (Figure 8)");
        }
    }
    n.commit = std::max(n.commit, commit);
    compare_committed(node, current_term, role);
}

// Walks the node's log from where the last comparison stopped up to its commit index: indices
// already committed must match, the next ones extend the committed prefix. A hole stops the walk
// until it is repaired (on_append calls back here).
void RaftSafety::compare_committed(NodeId node, Term current_term, Role role) {
    NodeState& n = state(node);
    uint64_t limit = std::min<uint64_t>(n.commit.value, n.log.size());
    while (n.compared.value < limit) {
        size_t i = static_cast<size_t>(n.compared.value);
        SL_ASSERT(i <= committed_.size());  // every node's walk extends committed_ contiguously
        const Slot& s = n.log[i];
        if (!s.intact) break;
        Index index{i + 1};
        if (i < committed_.size()) {
            check_committed_slot(node, role, index, s);
        } else {
            committed_.push_back(EntryView{index, s.term, s.digest});
            commit_info_.push_back(CommitInfo{node, current_term});
        }
        n.compared = index;
    }
}

void RaftSafety::check_committed_slot(NodeId node, Role role, Index index, const Slot& slot) {
    const EntryView& c = committed_[at(index)];
    if (c.term == slot.term && c.digest == slot.digest) return;
    // A leader committing over a committed entry lacked it when elected; a follower committing
    // one means its log diverged from the leader's below the commit point.
    Property p = role == Role::leader ? leader_completeness : log_matching;
    if (!wants(p)) return;
    const CommitInfo& info = commit_info_[at(index)];
    violation(p, node,
              name(node) + " commits index " + str(index) + " as " + entry(slot.term, slot.digest) +
                  " but it was committed as " + entry(c.term, c.digest) + " by " + name(info.node) +
                  " in term " + str(info.term));
}

// ---- on_apply ------------------------------------------------------------------------------

void RaftSafety::on_apply(NodeId node, const EntryView& e, std::span<const uint8_t> data) {
    NodeState& n = state(node);
    check_apply_order(node, n, e);
    n.applied = e.index;
    check_applied(node, e, data);
}

void RaftSafety::check_apply_order(NodeId node, NodeState& n, const EntryView& e) {
    if (e.index == n.applied.next() || !wants(state_machine_safety)) return;
    std::string what =
        e.index <= n.applied ? "again (out of order)" : "skipping index " + str(n.applied.next());
    violation(state_machine_safety, node,
              name(node) + " applied index " + str(e.index) + " after index " + str(n.applied) +
                  ", " + what);
}

void RaftSafety::check_applied(NodeId node, const EntryView& e, std::span<const uint8_t> data) {
    size_t i = at(e.index);
    if (wants(state_machine_safety)) {
        uint64_t payload = system::store::entry_digest(data);
        if (payload != e.digest) {
            violation(state_machine_safety, node,
                      name(node) + " applied index " + str(e.index) + " " +
                          entry(e.term, e.digest) + " with a payload of digest " + hex(payload));
        }
    }
    if (i < committed_.size() && committed_[i] != e && wants(state_machine_safety)) {
        violation(state_machine_safety, node,
                  name(node) + " applied index " + str(e.index) + " as " + entry(e.term, e.digest) +
                      " but it was committed as " +
                      entry(committed_[i].term, committed_[i].digest) + " by " +
                      name(commit_info_[i].node));
    }
    if (i >= applied_.size()) applied_.resize(i + 1);
    AppliedAt& a = applied_[i];
    if (!a.known) {
        a = AppliedAt{e, node, true};
        return;
    }
    if (a.entry != e && wants(state_machine_safety)) {
        violation(state_machine_safety, node,
                  name(node) + " applied index " + str(e.index) + " as " + entry(e.term, e.digest) +
                      " but " + name(a.node) + " applied " + entry(a.entry.term, a.entry.digest));
    }
}

}  // namespace stormlog::properties::raft

namespace stormlog::properties::raft {

// ---- on_snapshot ---------------------------------------------------------------------------

void RaftSafety::on_snapshot(NodeId node, Index last, Term term) {
    NodeState& n = state(node);
    if (last.value == 0) return;
    const size_t covered = static_cast<size_t>(last.value);
    if (n.log.size() < covered) n.log.resize(covered);
    // Committed entries it now holds through the snapshot; beyond what is known committed here,
    // the snapshot's own last entry (its term is reported; its digest is not).
    const size_t known = std::min(covered, committed_.size());
    for (size_t i = 0; i < known; ++i)
        n.log[i] = Slot{committed_[i].term, committed_[i].digest, true, true};
    if (known == covered && committed_[covered - 1].term != term && wants(state_machine_safety)) {
        violation(state_machine_safety, node,
                  name(node) + " holds a snapshot up to index " + str(last) + " of term " +
                      str(term) + " but index " + str(last) + " was committed in term " +
                      str(committed_[covered - 1].term));
    }
    n.compared = Index{std::max<uint64_t>(n.compared.value, known)};
    n.commit = std::max(n.commit, last);
    n.applied = std::max(n.applied, last);
}

}  // namespace stormlog::properties::raft
