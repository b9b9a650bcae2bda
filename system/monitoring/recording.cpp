#include "system/monitoring/recording.hpp"

#include <algorithm>

#include "sim/assert.hpp"

namespace stormlog::system::monitoring {

void Recording::op(sim::Time start, sim::Time end, OpOutcome outcome) {
    series_.op(start, end, outcome);
    for (size_t w : open_) {
        ++windows_[w].ops;
        if (outcome == OpOutcome::ok) ++windows_[w].ops_ok;
    }
}

uint32_t Recording::state_id(std::string_view state) {
    for (size_t i = 0; i < state_names_.size(); ++i) {
        if (state_names_[i] == state) return static_cast<uint32_t>(i);
    }
    state_names_.emplace_back(state);
    return static_cast<uint32_t>(state_names_.size() - 1);
}

bool Recording::room() {
    if (spans_ < k_max_spans) {
        ++spans_;
        return true;
    }
    ++dropped_;
    return false;
}

size_t Recording::add_track(std::string group, std::string name, sim::Time at,
                            std::string_view initial) {
    tracks_.push_back(Track{std::move(group), std::move(name), {}});
    tracks_.back().spans.push_back(Span{state_id(initial), at});
    ++spans_;
    return tracks_.size() - 1;
}

void Recording::set_state(size_t track, sim::Time at, std::string_view state) {
    Track& t = tracks_.at(track);
    SL_ASSERT(!t.spans.empty());
    SL_ASSERT(at >= t.spans.back().start);
    const uint32_t id = state_id(state);
    if (t.spans.back().state == id) return;
    if (t.spans.back().start == at) {  // two changes at one instant: the later one holds
        t.spans.back().state = id;
        if (t.spans.size() >= 2 && t.spans[t.spans.size() - 2].state == id) t.spans.pop_back();
        return;
    }
    if (room()) t.spans.push_back(Span{id, at});
}

void Recording::leader_started(uint32_t node, uint64_t term, sim::Time at) {
    leader_ended(node, at);
    if (leading_.size() <= node) leading_.resize(node + 1, 0);
    if (leaderships_.size() >= k_max_leaderships) {
        ++dropped_;
        leaderships_dropped_ = true;
        return;
    }
    leaderships_.push_back(Leadership{node, term, at, sim::Time::max()});
    leading_[node] = leaderships_.size();
}

void Recording::leader_ended(uint32_t node, sim::Time at) {
    if (node >= leading_.size() || leading_[node] == 0) return;
    Leadership& l = leaderships_[leading_[node] - 1];
    SL_ASSERT(at >= l.start);
    l.end = at;
    leading_[node] = 0;
}

void Recording::commit(uint32_t, uint64_t index, sim::Time at) {
    if (index <= commit_) return;
    commit_ = index;
    if (commit_gauge_ == SIZE_MAX) commit_gauge_ = series_.gauge("commit_index");
    series_.sample(commit_gauge_, at, static_cast<double>(index));
    for (size_t w : awaiting_commit_) windows_[w].first_commit = at - windows_[w].close;
    awaiting_commit_.clear();
}

void Recording::term(uint64_t term, sim::Time at) {
    if (term <= term_) return;
    term_ = term;
    if (term_gauge_ == SIZE_MAX) term_gauge_ = series_.gauge("term");
    series_.sample(term_gauge_, at, static_cast<double>(term));
}

size_t Recording::open_window(sim::Time at) {
    if (windows_.size() >= k_max_windows) {
        ++dropped_;
        return k_no_window;
    }
    Window w;
    w.open = at;
    windows_.push_back(w);
    open_.push_back(windows_.size() - 1);
    return windows_.size() - 1;
}

void Recording::close_window(size_t id, sim::Time at) {
    if (id == k_no_window) return;
    Window& w = windows_.at(id);
    SL_ASSERT(w.close == sim::Time::max());
    SL_ASSERT(at >= w.open);
    w.close = at;
    open_.erase(std::find(open_.begin(), open_.end(), id));
    awaiting_commit_.push_back(id);
}

// A leadership counts from max(its start, heal) if, for k_stable_for from there (or until the
// end, when that comes first), it lasts and no higher term's leader appears: a stale leader cut
// off in a minority does not count once the majority elected another. Leaderships are in start
// order, and a higher term's leader is elected after a lower term's (its voters moved past the
// lower term), so each search looks forward only and stops early.
std::optional<sim::Duration> Recording::stable_leader_after(sim::Time heal, sim::Time end) const {
    if (leaderships_dropped_) return std::nullopt;  // the leader after `heal` may be one left out
    for (size_t i = 0; i < leaderships_.size(); ++i) {
        const Leadership& l = leaderships_[i];
        const sim::Time from = std::max(l.start, heal);
        const sim::Time until = std::min(l.end, end);
        if (from >= end) break;  // later ones start later still
        if (until <= from) continue;
        sim::Time held = until;
        for (size_t j = i + 1; j < leaderships_.size() && leaderships_[j].start < held; ++j) {
            const Leadership& other = leaderships_[j];
            if (other.term > l.term && other.end > from) held = std::max(from, other.start);
        }
        if (held - from >= k_stable_for || (held == end && l.end >= end && held > from))
            return from - heal;  // the earliest: leaderships are in start order, from too
    }
    return std::nullopt;
}

}  // namespace stormlog::system::monitoring
