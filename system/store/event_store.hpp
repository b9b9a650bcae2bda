#pragma once
// EventStore: the state machine Raft replicates. Every node applies the same committed commands
// in the same (log) order, so every node must reach the same state and the same results: nothing
// here depends on time, randomness, pointer values or the iteration order of a hash table.
//
// Semantics (those of the linearizability checker's stream model, model_stream.hpp):
//   A stream holds events at positions 0, 1, 2, ...; its version is the last position, -1 while
//   it does not exist. Every event also gets a global position in the all-stream, gap-free across
//   streams, in apply order.
//   append(stream, expected, events):
//     1. Idempotence first (a retried append whose first attempt was applied must succeed): if the
//        first event's id is already in the stream, the append is a retry; it succeeds as a no-op
//        reporting the original positions, whatever `expected` says, if all its events are there
//        consecutively and in order from that position; otherwise it is an idempotency_conflict.
//        If the first id is new but a later one is in the stream, also idempotency_conflict.
//     2. Then `expected` must hold (Expected::holds) or the result is wrong_expected_version.
//     3. Then the events are written at version+1, ... and at head(), ...
//   Event ids are unique per stream, not across streams.
//
// Storage: each event once, in a vector indexed by global position; per stream, the global
// positions of its events and a map from id to stream position. Appends cost O(events)
// amortised, reads O(result).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "system/store/command.hpp"
#include "system/store/id_index.hpp"

namespace stormlog::system::store {

struct RecordedEvent {
    std::string stream;
    int64_t stream_position = 0;
    uint64_t global_position = 0;
    std::string id;
    std::vector<uint8_t> data;
    bool operator==(const RecordedEvent&) const = default;
};

// stale_request: a delayed copy of a request older than its client's latest; not evaluated.
enum class AppendStatus : uint8_t {
    ok,
    wrong_expected_version,
    idempotency_conflict,
    stale_request
};

const char* to_string(AppendStatus s);

struct AppendResult {
    AppendStatus status = AppendStatus::ok;
    // Stream positions written (or originally written, for a replay); ok only.
    int64_t first = -1;
    int64_t last = -1;
    // Global positions of the same events; ok only.
    uint64_t first_global = 0;
    uint64_t last_global = 0;
    bool replay = false;          // ok because every event was already there (idempotent retry)
    int64_t actual_version = -1;  // the stream's version when the command was applied
    bool operator==(const AppendResult&) const = default;
};

struct EventStoreOptions {
    // Deliberate bugs, switched on only by tests that prove the property checkers catch them.
    bool bug_skip_idempotency = false;         // retries append their events again
    bool bug_ignore_expected_version = false;  // appends whatever `expected` says
};

class EventStore {
  public:
    explicit EventStore(EventStoreOptions options = {});

    // Applies the command committed at Raft index `index`. A noop only advances applied_index()
    // and returns AppendResult{} (status ok).
    // REQUIRES: index > applied_index(); an AppendCommand passes validate().
    AppendResult apply(uint64_t index, const Command& command);

    // What apply does for an append, without the index bookkeeping.
    // REQUIRES: validate(command) is nullopt.
    AppendResult append(const AppendCommand& command);

    // The events of `stream` at positions from, from+1, ..., at most `max` of them; empty if
    // `from` is past the end or the stream does not exist. REQUIRES: from >= 0.
    std::vector<RecordedEvent> read(const std::string& stream, int64_t from, size_t max) const;
    // The events at global positions from_position, ..., at most `max` of them.
    std::vector<RecordedEvent> read_all(uint64_t from_position, size_t max) const;

    // The whole state (events, client sessions, applied_index) as bytes for a Raft snapshot:
    // deterministic (sessions in client order), checksummed. Format in event_store_snapshot.cpp.
    std::vector<uint8_t> snapshot() const;
    // The state `bytes` encodes, or nullopt if they are not exactly a snapshot() encoding
    // (checksum, bounds, consistency). Total on arbitrary input: never reads out of bounds and
    // allocates no more than the input justifies.
    static std::optional<EventStore> restore(std::span<const uint8_t> bytes,
                                             EventStoreOptions options = {});

    int64_t version(const std::string& stream) const;  // -1 if the stream does not exist
    uint64_t head() const { return events_.size(); }   // the next global position
    uint64_t applied_index() const { return applied_index_; }
    size_t streams() const { return streams_.size(); }

  private:
    struct Stream {
        std::vector<uint64_t> globals;  // global position of each stream position
        IdIndex positions_by_id;        // the ids live in events_ (see id_at)

        int64_t version() const { return static_cast<int64_t>(globals.size()) - 1; }
    };

    // The id of the event at `position` of `stream`, for the stream's IdIndex.
    auto id_at(const Stream& stream) const {
        return [this, &stream](int64_t position) -> std::string_view {
            return events_[stream.globals[static_cast<size_t>(position)]].id;
        };
    }
    int64_t position_of(const Stream& stream, const std::string& id) const;  // -1 if absent

    // The result of `command` as a retry (replay or conflict), or nullopt if it is not one.
    std::optional<AppendResult> check_retry(const Stream& stream,
                                            const AppendCommand& command) const;
    AppendResult write(const AppendCommand& command);
    const Stream* find(const std::string& stream) const;
    // Adds a restored event at the next global position; false if it is not the next position
    // of its stream or repeats an id there.
    bool restore_event(RecordedEvent e);

    // A client's latest request and its result (client sessions, Raft thesis §6.3).
    struct Session {
        uint64_t request = 0;
        AppendResult result;
    };

    EventStoreOptions options_;
    // Only looked up, never iterated.
    std::unordered_map<uint64_t, Session> sessions_;
    std::vector<RecordedEvent> events_;  // by global position
    // Only looked up, never iterated (see Stream::positions_by_id).
    std::unordered_map<std::string, Stream> streams_;
    uint64_t applied_index_ = 0;
};

}  // namespace stormlog::system::store
