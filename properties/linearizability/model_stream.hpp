#pragma once
// stream: one stream of stormlog's event store (the history is split per stream `key`).
//
// A stream is a sequence of event ids (strings or integers) at positions 0, 1, 2, ...; its
// version is the position of its last event, -1 while it is empty.
//
//   append  invoke value {"expected": E, "events": [id, ...]}
//             E is "any" (the default), "no_stream" (version must be -1), "stream_exists"
//             (version >= 0) or an integer n (version must be n; -1 means "no_stream").
//             The events are non-empty and distinct.
//           ok value {"first": p, "last": q}: the positions the events were written at, or
//             null if the client did not learn them (then they are not checked).
//           ok value {"refused": R}: the store refused the append, which took no effect - and
//             the refusal is checked: at some moment of the append's interval the stream must
//             have justified it. R is "wrong_expected_version" (no event of the append was in
//             the stream, and the expectation did not hold) or "idempotency_conflict" (the
//             first event was there but not all of them consecutively in order after it, or
//             the first was not there and another one was).
//           fail: any other refusal (not the leader, unavailable, ...); it did not happen.
//           Idempotence: if the first event is already in the stream, the append is a retry;
//             it takes effect (as a no-op) only if all its events are there, consecutively, in
//             order, and it reports their original positions, whatever E says. An append with
//             some but not all of its events already in the stream cannot succeed.
//   read    invoke value {"from": p, "max": m} (p >= 0, m >= 1)
//           ok value [id, ...]: the events at positions p, p+1, ..., at most m of them, as many
//             as the stream holds (none if p is past the end).
//
// Example (JSON lines):
// clang-format off
//   {"process":0,"type":"invoke","f":"append","key":"acct-7","value":{"expected":"no_stream","events":["e1","e2"]}}
//   {"process":0,"type":"ok","f":"append","key":"acct-7","value":{"first":0,"last":1}}
//   {"process":1,"type":"invoke","f":"read","key":"acct-7","value":{"from":1,"max":10}}
//   {"process":1,"type":"ok","f":"read","key":"acct-7","value":["e2"]}
// clang-format on
//
// In failure reports a stream is printed with `_` for events that no read returned.
//
// States are nodes of a trie of event sequences, hash-consed so that equal streams are the
// same node; each node has a skip pointer, so finding the event at a position is O(log n)
// rather than a copy of the stream per state.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "properties/linearizability/history.hpp"
#include "properties/linearizability/op.hpp"

namespace stormlog::properties::linearizability {

class StreamModel {
  public:
    StreamModel();

    std::optional<OpError> compile(const Operation& operation, Op& out);
    bool read_only(const Op& op) const { return op.kind != k_append; }
    StateId initial() const { return 0; }
    StateId step(StateId state, const Op& op);
    // True if the ok operation `op` can take effect in no state that extends `state`. Streams
    // only grow and never rewrite a position, so a stream already longer than an append's
    // first position, or holding other events where a read saw its events, stays so.
    bool hopeless(StateId state, const Op& op) const;
    // Info appends of unread events with the same expectation and count have the same effect.
    std::array<std::int64_t, 5> info_class_key(const Op& op) const;
    std::string describe_state(StateId state) const;
    std::size_t memory_bytes() const;

  private:
    // Stands, in states, for any event that no read returns and no append retries: which such
    // event sits at a position cannot change any outcome, and writing them all alike lets equal
    // outcomes share a state. Printed as `_`.
    static constexpr std::int32_t k_unread_event = -2;

    static constexpr std::uint32_t k_append = 0;
    static constexpr std::uint32_t k_read = 1;
    static constexpr std::uint32_t k_refused = 2;  // an append the store refused (never info)

    enum class Expected : std::uint8_t { any, no_stream, stream_exists, exact };

    struct Node {
        StateId parent;
        std::int32_t event;   // the last event of this sequence (-1 at the root)
        std::uint32_t depth;  // number of events
        StateId jump;         // an ancestor, for O(log n) level-ancestor queries
    };
    struct Append {
        Expected expected;
        std::int64_t version;
        bool positions_known;
        std::int64_t first;
        std::uint32_t events_begin;
        std::uint32_t events_count;
    };
    enum class Refusal : std::uint8_t { wrong_expected_version, idempotency_conflict };
    struct Refused {
        Append append;
        Refusal why;
    };
    struct Read {
        std::int64_t from;
        std::int64_t max;
        std::uint32_t events_begin;
        std::uint32_t events_count;
    };

    std::optional<OpError> compile_append(const Operation& operation, Op& out);
    std::optional<OpError> compile_read(const Operation& operation, Op& out);
    std::optional<OpError> compile_refusal(const nlohmann::json& output, Append append, Op& out);
    std::optional<OpError> intern_events(const nlohmann::json& ids, bool in_output,
                                         std::uint32_t& begin, std::uint32_t& count);
    StateId step_append(StateId state, const Append& append, bool known);
    StateId step_read(StateId state, const Read& read, bool known) const;
    StateId step_refused(StateId state, const Refused& refused) const;
    StateId child(StateId parent, std::int32_t event);
    StateId ancestor(StateId node, std::uint32_t depth) const;
    std::int64_t position_of(StateId state, std::int32_t event) const;
    bool anonymous(std::int32_t event) const {
        const auto id = static_cast<std::size_t>(event);
        return !retried(event) && (id >= read_events_.size() || !read_events_[id]);
    }
    bool retried(std::int32_t event) const {
        const auto id = static_cast<std::size_t>(event);
        return id < appends_with_event_.size() && appends_with_event_[id] > 1;
    }
    static bool expectation_holds(const Append& append, std::int64_t version);

    std::vector<Node> nodes_;
    std::unordered_map<std::uint64_t, StateId> children_;
    // How many appends carry each event id. An id carried by one append only cannot already
    // be in the stream when that append is tried (an op is linearized once per path), so only
    // ids that are retried need the position lookups below.
    std::vector<std::uint32_t> appends_with_event_;
    std::vector<bool> read_events_;  // returned by some ok read
    // What the ok operations say each position holds (an ok read saw it there, an ok append
    // reported writing it there), as states write it: k_unread_event for unread events. A
    // position, once written, never changes, so an append that writes anything else there
    // dooms every operation that said so; step() refuses it at once instead of letting the
    // search discover it much later. Built on the first step, when every op is compiled.
    std::vector<std::int32_t> expected_at_;
    bool expectations_built_ = false;
    void build_expectations();
    void expect(std::size_t position, std::int32_t event);
    bool contradicts(std::size_t position, std::int32_t event) const {
        return position < expected_at_.size() && expected_at_[position] != k_no_expectation &&
               expected_at_[position] != event;
    }
    static constexpr std::int32_t k_no_expectation = -3;
    static constexpr std::int32_t k_conflicting = -4;  // two ops disagree: nothing fits
    // For retried ids only: every node that ends with the id.
    std::unordered_map<std::int32_t, std::vector<StateId>> nodes_ending_with_;
    ValueInterner event_ids_;
    std::vector<std::int32_t> event_pool_;  // the events of appends and reads, in spans
    std::vector<Append> appends_;
    std::vector<Read> reads_;
    std::vector<Refused> refused_;
};

}  // namespace stormlog::properties::linearizability
