#pragma once
// The store's observation tap (DESIGN.md, "properties/ observe what the system reports"). A Raft
// node reports every change to the facts Raft's safety argument is about - who leads which term,
// what its log holds, how far it has committed and applied - as it happens. Property checkers
// implement Observer; the node never learns who listens, and a run without checkers passes a
// null observer (every call is then skipped).
//
// Digests: an entry is reported as (index, term, digest) where digest = entry_digest(data), so
// checkers can compare entries across nodes without copying payloads.
//
// Order of reports for one node (the checkers rely on it):
//   on_vote as the reply granting a vote leaves (after the vote was persisted);
//   on_recover once per incarnation, before any other report of that incarnation;
//   on_truncate before the on_append that replaces the truncated suffix;
//   on_append only for entries the node's log now holds intact (a repaired hole is an append of
//   one entry at its index with `repair` set);
//   on_commit with a non-decreasing commit index within an incarnation;
//   on_apply in index order, each index once per incarnation (a restarted node re-applies its log
//   from index 1, or from s+1 after on_snapshot(s): the state machine is rebuilt);
//   on_snapshot(s) after on_recover when the node restored a snapshot, and whenever it takes or
//   installs one; an installed snapshot whose log did not match is preceded by on_truncate.

#include <cstdint>
#include <optional>
#include <span>

#include "sim/hash.hpp"
#include "system/store/types.hpp"

namespace stormlog::system::store {

enum class Role : uint8_t { follower, pre_candidate, candidate, leader };
const char* to_string(Role r);

inline uint64_t entry_digest(std::span<const uint8_t> data) {
    return sim::hash_words(data.data(), data.size());
}

struct EntryView {
    Index index;
    Term term;
    uint64_t digest = 0;
    bool operator==(const EntryView&) const = default;
};

// One index of a log as recovered from disk: intact (term and digest known) or a corrupt hole
// (term known only if its proof survived).
struct SlotView {
    Index index;
    std::optional<Term> term;
    std::optional<uint64_t> digest;  // nullopt: a hole
};

class Observer {
  public:
    virtual ~Observer() = default;

    // `node` restarted and recovered this log from its disk, with this hard state -
    // `hard_intact`: read back whole (false when the disk was lost or its hard state damaged:
    // the node then abstains until it has caught up).
    virtual void on_recover(NodeId node, const HardState& hard, bool hard_intact,
                            std::span<const SlotView> log) = 0;
    // `node`'s vote in `term` for `candidate` has left it: the reply granting it is sent.
    virtual void on_vote(NodeId node, Term term, NodeId candidate) = 0;
    // `node` won the election for `term` with this log length.
    virtual void on_leader(NodeId node, Term term, Index last_index) = 0;
    // `node` (in `role` at `current_term`) now holds `entries` (contiguous, ascending) in its log.
    // `prev_term` is the term of the entry just before the first (Term{0} before index 1;
    // nullopt if that entry is a hole of unknown term).
    virtual void on_append(NodeId node, Term current_term, Role role, std::optional<Term> prev_term,
                           std::span<const EntryView> entries, bool repair) = 0;
    // `node` removed every entry at index >= `from` from its log.
    virtual void on_truncate(NodeId node, Term current_term, Role role, Index from) = 0;
    // `node` learned that every entry up to `commit` is committed.
    virtual void on_commit(NodeId node, Term current_term, Role role, Index commit) = 0;
    // `node` applied entry `e` (with payload `data`) to its state machine.
    virtual void on_apply(NodeId node, const EntryView& e, std::span<const uint8_t> data) = 0;
    // `node`'s log now starts after `last` (entry `last` has `term`), and its state machine holds
    // every entry up to `last`: taken from its own applied state, installed from a leader's
    // snapshot, or restored from disk. The next apply is last + 1.
    virtual void on_snapshot(NodeId node, Index last, Term term) = 0;
    // `node` started an election for `term` (its term rose to it; a pre-vote does not report).
    virtual void on_campaign(NodeId node, Term term) {
        (void)node;
        (void)term;
    }
    // `node`, leader of `term`, stepped down (a crash ends a leadership unreported).
    virtual void on_step_down(NodeId node, Term term) {
        (void)node;
        (void)term;
    }
};

}  // namespace stormlog::system::store
