#pragma once
// What the search needs besides the model, and what it finds.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "properties/linearizability/op.hpp"

namespace stormlog::properties::linearizability {

// Bounds on one search. `should_stop` is the caller's clock: properties/ never reads one, so the
// CLI and benchmarks decide what "too long" means. It is polled every few thousand steps.
struct SearchLimits {
    std::function<bool()> should_stop;
    std::size_t memory_bytes_max = std::size_t{2} << 30;
};

// One partition's operations, numbered in invoke order, with the positions of their invoke
// and completion in real-time order (k_never for an info completion).
struct SearchInput {
    std::vector<Op> ops;
    std::vector<std::size_t> call_seq;
    std::vector<std::size_t> return_seq;
};

enum class SearchResult { linearizable, not_linearizable, stopped_by_caller, out_of_memory };

struct SearchOutcome {
    SearchResult result = SearchResult::linearizable;
    std::uint64_t steps = 0;  // model steps tried
    std::size_t memo_entries = 0;
    std::size_t peak_memory_bytes = 0;
    // When not linearizable: no linearization gets past the completion of `stuck_op`, so the
    // history up to that completion is already not linearizable.
    std::size_t stuck_op = 0;
    std::vector<StateId> stuck_states;       // distinct states the search was in there
    std::size_t longest_prefix = 0;          // ops linearized on the deepest path there
    std::vector<std::uint32_t> prefix_tail;  // the last few of them, oldest first
    std::vector<std::uint32_t> unplaced;     // ops invoked before it and not linearized
};

// Limits on the failure report, so a huge history still yields a readable one.
inline constexpr std::size_t k_report_states_max = 6;
inline constexpr std::size_t k_report_tail_max = 6;
inline constexpr std::size_t k_report_unplaced_max = 8;

}  // namespace stormlog::properties::linearizability
