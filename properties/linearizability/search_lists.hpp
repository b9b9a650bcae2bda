#pragma once
// The search's bookkeeping: the lists of entries still to linearize, and the record of the dead
// ends that got furthest, for the failure report.

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "properties/linearizability/search_types.hpp"

namespace stormlog::properties::linearizability::detail {

inline constexpr std::uint32_t k_nil = 0xFFFFFFFFu;

// A doubly linked list over indices [0, size) with its head at index `size`. Dancing links:
// an unlinked node keeps its own pointers, so relinking in reverse order restores the list.
class DancingList {
  public:
    explicit DancingList(std::size_t size)
        : next_(size + 1, k_nil), prev_(size + 1, k_nil), head_(static_cast<std::uint32_t>(size)) {}

    std::uint32_t first() const { return next_[head_]; }
    std::uint32_t next(std::uint32_t node) const { return next_[node]; }

    void append_after(std::uint32_t last, std::uint32_t node) {
        next_[last] = node;
        prev_[node] = last;
    }
    std::uint32_t head() const { return head_; }

    void unlink(std::uint32_t node) {
        next_[prev_[node]] = next_[node];
        if (next_[node] != k_nil) prev_[next_[node]] = prev_[node];
    }
    void relink(std::uint32_t node) {
        next_[prev_[node]] = node;
        if (next_[node] != k_nil) prev_[next_[node]] = node;
    }

  private:
    std::vector<std::uint32_t> next_;
    std::vector<std::uint32_t> prev_;
    std::uint32_t head_;
};

// The operations still to linearize. Ok operations: call entry 2i and return entry 2i+1 in one
// list in real-time order. Info operations have no return (it is at +infinity); their calls sit
// in a second list, in invoke order, so the search can try them only when no ok call works.
class Entries {
  public:
    explicit Entries(const SearchInput& input);

    const DancingList& ok() const { return ok_; }
    const DancingList& info() const { return info_; }
    bool is_info(std::uint32_t op) const { return is_info_[op]; }

    void lift(std::uint32_t op) {
        if (is_info_[op]) {
            info_.unlink(op);
        } else {
            ok_.unlink(2 * op);
            ok_.unlink(2 * op + 1);
        }
    }
    void unlift(std::uint32_t op) {
        if (is_info_[op]) {
            info_.relink(op);
        } else {
            ok_.relink(2 * op + 1);
            ok_.relink(2 * op);
        }
    }

  private:
    DancingList ok_;
    DancingList info_;
    std::vector<bool> is_info_;
};

inline Entries::Entries(const SearchInput& input)
    : ok_(2 * input.ops.size()), info_(input.ops.size()), is_info_(input.ops.size(), false) {
    const std::size_t n = input.ops.size();
    std::vector<std::pair<std::size_t, std::uint32_t>> order;  // (real-time position, entry)
    order.reserve(2 * n);
    std::uint32_t last_info = info_.head();
    for (std::size_t i = 0; i < n; ++i) {
        const auto op = static_cast<std::uint32_t>(i);
        if (input.return_seq[i] == static_cast<std::size_t>(-1)) {
            is_info_[i] = true;
            info_.append_after(last_info, op);  // ops come in invoke order already
            last_info = op;
            continue;
        }
        order.emplace_back(input.call_seq[i], 2 * op);
        order.emplace_back(input.return_seq[i], 2 * op + 1);
    }
    std::sort(order.begin(), order.end());
    std::uint32_t last = ok_.head();
    for (const auto& [seq, entry] : order) {
        ok_.append_after(last, entry);
        last = entry;
    }
}

// Info operations with the same effect on every state are interchangeable: in any
// linearization, swapping two of them (the earlier-invoked one taking the earlier place) gives
// another. So the search linearizes the members of such a class only in invoke order, which
// turns "every subset of the pending ones" into "how many of each class".
class InfoClasses {
  public:
    template <class KeyOf>
    InfoClasses(const SearchInput& input, const Entries& entries, KeyOf key_of);

    // May `op` (info) be linearized now: are all earlier members of its class linearized?
    bool is_next(std::uint32_t op) const {
        const std::uint32_t c = class_of_[op];
        return members_[c][linearized_[c]] == op;
    }
    void linearized(std::uint32_t op) { ++linearized_[class_of_[op]]; }
    void unlinearized(std::uint32_t op) { --linearized_[class_of_[op]]; }

  private:
    std::vector<std::uint32_t> class_of_;
    std::vector<std::vector<std::uint32_t>> members_;  // in invoke order
    std::vector<std::uint32_t> linearized_;            // a prefix of members_, by the rule
};

template <class KeyOf>
InfoClasses::InfoClasses(const SearchInput& input, const Entries& entries, KeyOf key_of)
    : class_of_(input.ops.size(), 0) {
    std::map<decltype(key_of(input.ops[0])), std::uint32_t> classes;
    for (std::uint32_t op = entries.info().first(); op != k_nil; op = entries.info().next(op)) {
        auto [it, added] =
            classes.try_emplace(key_of(input.ops[op]), static_cast<std::uint32_t>(members_.size()));
        if (added) members_.emplace_back();
        class_of_[op] = it->second;
        members_[it->second].push_back(op);
    }
    linearized_.assign(members_.size(), 0);
}

struct Frame {
    std::uint32_t op;
    StateId state_before;
    std::uint32_t stuck_entry;  // for an info op: the return entry that bounded its choice
};

// Remembers the dead ends that got furthest along the history, for the failure report.
class DeadEndRecorder {
  public:
    void record(const SearchInput& input, const Entries& entries, std::uint32_t return_entry,
                const std::vector<Frame>& stack, StateId state);
    void fill(SearchOutcome& outcome) const { outcome_fields(outcome); }

  private:
    void outcome_fields(SearchOutcome& outcome) const;

    bool any_ = false;
    std::size_t best_seq_ = 0;
    SearchOutcome best_;
};

inline void DeadEndRecorder::record(const SearchInput& input, const Entries& entries,
                                    std::uint32_t return_entry, const std::vector<Frame>& stack,
                                    StateId state) {
    const std::size_t seq = input.return_seq[return_entry / 2];
    if (any_ && seq < best_seq_) return;
    if (any_ && seq == best_seq_) {
        auto& states = best_.stuck_states;
        if (states.size() < k_report_states_max &&
            std::find(states.begin(), states.end(), state) == states.end()) {
            states.push_back(state);
        }
        return;
    }
    any_ = true;
    best_seq_ = seq;
    best_.stuck_op = return_entry / 2;
    best_.stuck_states.assign(1, state);
    best_.longest_prefix = stack.size();
    best_.prefix_tail.clear();
    const std::size_t tail = std::min(stack.size(), k_report_tail_max);
    for (std::size_t i = stack.size() - tail; i < stack.size(); ++i) {
        best_.prefix_tail.push_back(stack[i].op);
    }
    best_.unplaced.clear();
    auto room = [&] { return best_.unplaced.size() < k_report_unplaced_max; };
    for (std::uint32_t e = entries.ok().first(); e != return_entry && room();
         e = entries.ok().next(e)) {
        if (e % 2 == 0) best_.unplaced.push_back(e / 2);
    }
    for (std::uint32_t op = entries.info().first();
         op != k_nil && room() && input.call_seq[op] < seq; op = entries.info().next(op)) {
        best_.unplaced.push_back(op);
    }
}

inline void DeadEndRecorder::outcome_fields(SearchOutcome& outcome) const {
    outcome.stuck_op = best_.stuck_op;
    outcome.stuck_states = best_.stuck_states;
    outcome.longest_prefix = best_.longest_prefix;
    outcome.prefix_tail = best_.prefix_tail;
    outcome.unplaced = best_.unplaced;
}

}  // namespace stormlog::properties::linearizability::detail
