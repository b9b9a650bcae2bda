// Changes to the node's log, each reported to the observer as it happens.

#include <algorithm>
#include <array>

#include "sim/assert.hpp"
#include "system/store/probes.hpp"
#include "system/store/raft.hpp"
#include "system/store/trace_kinds.hpp"

namespace stormlog::system::store {

// The term of entry `i` as far as this node knows it: intact entries and holes whose identity
// survived; Term{0} for index 0.
std::optional<Term> RaftNode::known_term(Index i) const {
    if (const std::optional<Term> t = store_.term_at(i)) return t;
    return store_.hole_term(i);
}

Index RaftNode::first_hole() const {
    if (store_.corrupt_count() == 0) return last_index().next();
    return store_.first_corrupt();
}

bool RaftNode::append_entries(std::span<const Entry> entries) {
    SL_ASSERT(!entries.empty());
    // A failed truncation (the disk refused it) leaves the log longer than the caller expects.
    if (entries.front().index != last_index().next()) return false;
    const Status s = store_.append(entries);
    if (s != Status::ok) {
        env_->log().warn("append of {} entries at {} failed: {}", entries.size(),
                         entries.front().index.value, to_string(s));
        return false;
    }
    SL_ASSERT(last_index() == entries.back().index);
    report_append(entries, false);
    if (config_.bugs.ack_before_sync) durable_ = last_index();
    return true;
}

void RaftNode::truncate_from(Index from) {
    SL_ASSERT(from.value >= 1);
    SL_ASSERT(from <= last_index().next());
    if (const Status st = store_.truncate_suffix(from); st != Status::ok) {
        env_->log().warn("truncate from {} failed: {}", from.value, to_string(st));
        // The entries stay, and raft.ids may have lost their proofs: sync them again before any
        // ack covers them (LogStore::truncate_suffix). A stopped store fails stop in ready().
        durable_ = std::min(durable_, Index{from.value - 1});
        if (st != Status::fail_stop) SL_PROBE(probes::truncate_refused);
        return;
    }
    durable_ = std::min(durable_, Index{from.value - 1});
    // Only uncommitted entries go, so none was applied (twin of raft.state_machine_safety).
    SL_ASSERT(applied_ < from || config_.bugs.apply_uncommitted ||
              config_.bugs.leader_accepts_stale);
    if (applied_ >= from) applied_ = Index{from.value - 1};  // only with apply_uncommitted
    if (observer_) observer_->on_truncate(config_.self, term_, role_, from);
}

// Fills the hole at e.index with a copy whose identity is vouched for. A hole whose own identity
// was lost takes the leader's copy; an entry after it from an older term than the copy cannot
// belong to the same history, so it is dropped.
bool RaftNode::repair_entry(const Entry& e) {
    if (store_.holds(e.index)) return true;
    const Status s = store_.repair(e);
    if (s != Status::ok) {
        env_->log().warn("repair of {} (term {}) failed: {}", e.index.value, e.term.value,
                         to_string(s));
        // The record may be rewritten with only its proof missing (the next sync writes it):
        // then the entry is held again, and must be reported as such.
        if (!store_.holds(e.index)) return false;
    }
    SL_ASSERT(store_.holds(e.index));  // LogStore::repair's postcondition
    ++stats_.holes_repaired;
    env_->log().info("repaired entry {} (term {})", e.index.value, e.term.value);
    env_->record(kinds::repair, sim::hash_combine(e.index.value, e.term.value),
                 [&] { return entry_detail(e.index, e.term); });
    std::array<Entry, 1> one{e};
    report_append(one, true);
    const Index after = e.index.next();
    const std::optional<Term> next = known_term(after);
    if (after <= last_index() && next && *next < e.term) {
        // That entry cannot be committed: committed entries are the leader's, whose terms never
        // decrease along the log (twin of raft.state_machine_safety; its bugs pass).
        SL_ASSERT(after > commit_ || config_.bugs.apply_uncommitted ||
                  config_.bugs.leader_accepts_stale);
        truncate_from(after);
    }
    if (store_.corrupt_count() == 0) repair_deadline_ = sim::Time::max();
    return true;
}

void RaftNode::report_append(std::span<const Entry> entries, bool repair) {
    if (!observer_ || entries.empty()) return;
    std::vector<EntryView> views;
    views.reserve(entries.size());
    for (const Entry& e : entries)
        views.push_back(EntryView{e.index, e.term, entry_digest(e.data)});
    observer_->on_append(config_.self, term_, role_,
                         known_term(Index{entries.front().index.value - 1}), views, repair);
}

}  // namespace stormlog::system::store
