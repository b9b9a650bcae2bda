#pragma once
// The trace kinds the Raft node records (sim/trace.hpp): each defined once, with its name, so an
// event log names what a node did rather than printing a hash.

#include <cstdint>
#include <string>

#include "sim/trace.hpp"
#include "system/store/types.hpp"

namespace stormlog::system::store {

namespace kinds {
inline const uint64_t role = sim::trace_kind_named("raft.role");
inline const uint64_t fail_stop = sim::trace_kind_named("raft.fail_stop");
inline const uint64_t repair = sim::trace_kind_named("raft.repair");
inline const uint64_t snapshot = sim::trace_kind_named("raft.snapshot");
inline const uint64_t install_snapshot = sim::trace_kind_named("raft.install_snapshot");
}  // namespace kinds

// An event log's payload for a record about one log position.
inline std::string entry_detail(Index index, Term term) {
    return "index " + std::to_string(index.value) + " term " + std::to_string(term.value);
}

}  // namespace stormlog::system::store
