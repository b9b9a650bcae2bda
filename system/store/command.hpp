#pragma once
// Commands of the event store's replicated state machine: what a Raft entry's payload means once
// it is committed, and its byte encoding. Raft replicates the bytes opaquely; every node decodes
// and applies them (EventStore::apply) in log order, so the encoding must be exact and total:
// decode accepts precisely the byte strings encode produces and nothing else.
//
// Encoding (all integers little-endian):
//   command  := format:u8 (= k_command_format) | type:u8 | body
//   type 0   NoopCommand:   body is empty
//   type 1   AppendCommand: body := client:u64 | request:u64 | stream:str | kind:u8
//                                   | [version:i64 iff kind == exact]
//                                   | count:u16 | count * event
//   event    := id:str | data:bytes
//   str      := len:u16 | len bytes      (1 <= len <= 256)
//   bytes    := len:u32 | len bytes      (len <= 64 KiB)
//   kind     := 0 any | 1 no_stream | 2 stream_exists | 3 exact;  exact's version >= -1
//   1 <= count <= 1024, event ids distinct within a command, no bytes after the last event.
// The bounds keep a damaged or hostile payload from making a decoder allocate without limit,
// and the format byte lets a later version change the layout without misreading old entries.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace stormlog::system::store {

inline constexpr uint8_t k_command_format = 1;
inline constexpr size_t k_stream_bytes_max = 256;
inline constexpr size_t k_event_id_bytes_max = 256;
inline constexpr size_t k_event_data_bytes_max = 64 * 1024;
inline constexpr size_t k_events_per_command_max = 1024;

enum class ExpectedKind : uint8_t { any, no_stream, stream_exists, exact };

// The version an append expects its stream to have. Only `exact` uses `version`; the other kinds
// keep it at -1 so that equal expectations compare (and encode) equal.
struct Expected {
    ExpectedKind kind = ExpectedKind::any;
    int64_t version = -1;  // for exact; -1 there means the same as no_stream

    static Expected any() { return {ExpectedKind::any, -1}; }
    static Expected no_stream() { return {ExpectedKind::no_stream, -1}; }
    static Expected stream_exists() { return {ExpectedKind::stream_exists, -1}; }
    static Expected exact(int64_t v) { return {ExpectedKind::exact, v}; }

    // True if a stream at `stream_version` (-1: absent) satisfies this expectation.
    bool holds(int64_t stream_version) const;
    bool operator==(const Expected&) const = default;
};

// "any", "no_stream", "stream_exists", or the exact version ("3", "-1").
std::string to_string(const Expected& e);

struct EventData {
    std::string id;
    std::vector<uint8_t> data;
    bool operator==(const EventData&) const = default;
};

struct AppendCommand {
    std::string stream;
    Expected expected;
    std::vector<EventData> events;
    // The client session (Raft thesis §6.3): every attempt of one client call carries the same
    // (client, request), so a duplicated or delayed attempt is answered from the first one's
    // result instead of being evaluated again. client 0: no session.
    uint64_t client = 0;
    uint64_t request = 0;
    bool operator==(const AppendCommand&) const = default;
};

// What a new leader appends at the start of its term; it changes no stream.
struct NoopCommand {
    bool operator==(const NoopCommand&) const = default;
};

using Command = std::variant<NoopCommand, AppendCommand>;

// Why `c` cannot be encoded or applied (names the field and the bound), or nullopt if it can.
// A client-facing layer calls this before proposing; encode_command and EventStore REQUIRE it.
std::optional<std::string> validate(const AppendCommand& c);

// REQUIRES: an AppendCommand passes validate().
std::vector<uint8_t> encode_command(const Command& command);

// The command `bytes` encodes, or nullopt for anything that is not exactly an encoding produced
// by encode_command (wrong format byte, bounds exceeded, truncated, trailing bytes). Total on
// arbitrary input: it never reads out of bounds and allocates no more than the input justifies.
std::optional<Command> decode_command(std::span<const uint8_t> bytes);

}  // namespace stormlog::system::store
