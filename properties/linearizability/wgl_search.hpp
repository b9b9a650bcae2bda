#pragma once
// Wing & Gong's linearizability search with Lowe's memoisation (G. Lowe, "Testing for
// linearizability", 2017), on one partition.
//
// A configuration is the set of operations linearized so far and the model state they lead to.
// Its candidates are the pending operations invoked before the earliest pending return: each
// may be linearized next. The search tries them in turn; a candidate that the model accepts,
// leading to a configuration not seen before (the memo table), is linearized, and the search
// continues from the new configuration. When no candidate works it backtracks. Once every ok
// operation is linearized the remaining info ones can be taken never to have happened.
//
// Candidates are tried ok calls first (in real-time order), then info calls. Info operations
// that never took effect stay pending to the end; trying them first at every configuration
// would multiply the work by their number. Two more exact cuts keep info operations cheap:
// interchangeable info operations are linearized in invoke order only (InfoClasses), and a
// model may declare a pending ok operation hopeless in a state, so that no info operation is
// tried there at all.

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "properties/linearizability/memo_table.hpp"
#include "properties/linearizability/search_lists.hpp"
#include "properties/linearizability/search_types.hpp"
#include "sim/assert.hpp"

namespace stormlog::properties::linearizability {

namespace detail {

inline constexpr std::uint64_t k_poll_interval = 4096;  // steps between limit checks

// Models may say that an ok operation can never take effect from a state on (see
// StreamModel::hopeless); then no info operation tried in that state can help.
template <class Model>
bool any_hopeless(const Model& model, StateId state, const Entries& entries,
                  const SearchInput& input, std::uint32_t stuck) {
    if constexpr (requires { model.hopeless(state, input.ops[0]); }) {
        for (std::uint32_t e = entries.ok().first(); e != stuck; e = entries.ok().next(e)) {
            if (model.hopeless(state, input.ops[e / 2])) return true;
        }
        return model.hopeless(state, input.ops[stuck / 2]);
    } else {
        return false;
    }
}

// Equal keys must mean equal effects on every state. By default: the same compiled op.
template <class Model>
auto info_class_key(const Model& model, const Op& op) {
    if constexpr (requires { model.info_class_key(op); }) {
        return model.info_class_key(op);
    } else {
        return std::array<std::int64_t, 5>{op.kind, op.a, op.b, op.c, op.d};
    }
}

}  // namespace detail

// Searches for a linearization of `input` under `model`.
// Model: StateId initial(); StateId step(StateId, const Op&) (k_no_state if impossible);
// std::size_t memory_bytes() const.
template <class Model>
SearchOutcome wgl_search(Model& model, const SearchInput& input, const SearchLimits& limits) {
    using detail::Frame;
    using detail::k_nil;
    SearchOutcome outcome;
    std::size_t ok_left = 0;
    for (const Op& op : input.ops) ok_left += op.known ? 1 : 0;
    if (ok_left == 0) return outcome;

    detail::Entries entries(input);
    detail::InfoClasses classes(input, entries,
                                [&](const Op& op) { return detail::info_class_key(model, op); });
    detail::DeadEndRecorder dead_ends;
    LiveBitset linearized(input.ops.size());
    MemoTable memo(input.ops.size(), limits.memory_bytes_max);
    std::vector<Frame> stack;
    StateId state = model.initial();

    auto memory_used = [&] {
        return memo.memory_bytes() + stack.capacity() * sizeof(Frame) + linearized.memory_bytes() +
               model.memory_bytes();
    };
    auto finish = [&](SearchResult result) {
        outcome.result = result;
        outcome.memo_entries = memo.size();
        outcome.peak_memory_bytes = std::max(outcome.peak_memory_bytes, memory_used());
        if (result == SearchResult::not_linearizable) dead_ends.fill(outcome);
        return outcome;
    };
    // Tries to linearize `op` now: 1 done, 0 not possible here, -1 out of memory.
    auto try_op = [&](std::uint32_t op, std::uint32_t stuck_entry) -> int {
        const StateId next = model.step(state, input.ops[op]);
        if (next == k_no_state) return 0;
        linearized.set(op);
        const MemoTable::Insert inserted = memo.insert(linearized, next);
        if (inserted != MemoTable::Insert::added) {
            linearized.clear(op);
            return inserted == MemoTable::Insert::full ? -1 : 0;
        }
        stack.push_back(Frame{op, state, stuck_entry});
        entries.lift(op);
        if (entries.is_info(op)) classes.linearized(op);
        state = next;
        return 1;
    };

    // The cursor: trying ok calls from `entry`, or, once `entry` reached the first pending
    // return (`stuck`), info calls from `info` that were invoked before it.
    std::uint32_t entry = entries.ok().first();
    std::uint32_t stuck = k_nil;
    std::uint32_t info = k_nil;
    while (true) {
        if (++outcome.steps % detail::k_poll_interval == 0) {
            if (limits.should_stop && limits.should_stop()) {
                return finish(SearchResult::stopped_by_caller);
            }
            const std::size_t used = memory_used();
            outcome.peak_memory_bytes = std::max(outcome.peak_memory_bytes, used);
            if (used > limits.memory_bytes_max) return finish(SearchResult::out_of_memory);
        }
        std::uint32_t op = k_nil;
        if (stuck == k_nil) {
            SL_ASSERT(entry != k_nil);  // an unlinearized ok op's return is always ahead
            if (entry % 2 == 1) {  // no ok call works here: on to the info calls, if they can help
                stuck = entry;
                const bool hopeless = detail::any_hopeless(model, state, entries, input, stuck);
                info = hopeless ? k_nil : entries.info().first();
                continue;
            }
            op = entry / 2;
        } else if (info != k_nil && input.call_seq[info] < input.return_seq[stuck / 2]) {
            op = info;
        } else {  // nothing works here: backtrack
            dead_ends.record(input, entries, stuck, stack, state);
            if (stack.empty()) return finish(SearchResult::not_linearizable);
            const Frame top = stack.back();
            stack.pop_back();
            linearized.clear(top.op);
            entries.unlift(top.op);
            state = top.state_before;
            if (entries.is_info(top.op)) {
                classes.unlinearized(top.op);
                stuck = top.stuck_entry;
                info = entries.info().next(top.op);
            } else {
                ++ok_left;
                stuck = k_nil;
                entry = entries.ok().next(2 * top.op);
            }
            continue;
        }
        const bool allowed = stuck == k_nil || classes.is_next(op);
        const int tried = allowed ? try_op(op, stuck) : 0;
        if (tried < 0) return finish(SearchResult::out_of_memory);
        if (tried == 0) {
            if (stuck == k_nil) {
                entry = entries.ok().next(entry);
            } else {
                info = entries.info().next(info);
            }
            continue;
        }
        if (!entries.is_info(op) && --ok_left == 0) return finish(SearchResult::linearizable);
        stuck = k_nil;
        entry = entries.ok().first();
    }
}

}  // namespace stormlog::properties::linearizability
