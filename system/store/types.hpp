#pragma once
// Vocabulary of the Raft store's durable state: strong types for terms and indices (a term can
// never be passed where an index is expected), log entries and the hard state Raft must persist
// before it answers a vote or an append.

#include <compare>
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/node.hpp"

namespace stormlog::system::store {

// A Raft term. 0 is "no term yet" (a fresh node).
struct Term {
    uint64_t value = 0;
    auto operator<=>(const Term&) const = default;
};

// A log index. The first entry has index 1; 0 means "none" (empty log, nothing committed).
struct Index {
    uint64_t value = 0;
    auto operator<=>(const Index&) const = default;
    Index next() const { return Index{value + 1}; }
};

using NodeId = sim::NodeId;

struct Entry {
    Index index;
    Term term;
    std::vector<uint8_t> data;
    bool operator==(const Entry&) const = default;
};

// A snapshot of the state machine after applying every entry up to `index` (whose term is
// `term`): it replaces the log prefix 1..index (Raft thesis ch. 5). `data` is the host's bytes.
struct Snapshot {
    Index index;
    Term term;
    std::vector<uint8_t> data;
    bool operator==(const Snapshot&) const = default;
};

// What Raft must never forget across a crash: the current term, the vote cast in it, and the
// commit index (persisting commit is optional in Raft; it speeds up restarts).
struct HardState {
    Term term;
    std::optional<NodeId> voted_for;
    Index commit;
    bool operator==(const HardState&) const = default;
};

}  // namespace stormlog::system::store
