#pragma once
// The history model shared by both readers: raw events as the file lists them, and operations
// (an invoke paired with its completion) with Jepsen's semantics applied.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "properties/linearizability/input_error.hpp"

namespace stormlog::properties::linearizability {

enum class EventType : std::uint8_t { invoke, ok, fail, info };

// One line (JSONL) or one map (EDN) of a history.
struct Event {
    std::size_t line = 0;
    std::optional<std::int64_t> process;  // nullopt: not a client (e.g. :nemesis); dropped
    EventType type = EventType::invoke;
    std::string f;
    nlohmann::json key;  // null when absent: all such operations share one key
    nlohmann::json value;
    std::optional<std::int64_t> time;
};

// An operation that may have taken effect: `ok` ones certainly did, between their invoke and
// completion; `info` ones (timed out, or never completed) may have, at any time after the invoke.
// Failed operations certainly did not, so they never become an Operation.
enum class OpStatus : std::uint8_t { ok, info };

struct Operation {
    std::int64_t process = 0;
    std::string f;
    nlohmann::json key;
    nlohmann::json input;   // the invoke's value
    nlohmann::json output;  // the ok completion's value; null for info
    OpStatus status = OpStatus::ok;
    std::size_t invoke_line = 0;
    std::size_t complete_line = 0;  // 0: never completed
    std::optional<std::int64_t> invoke_time;
    std::optional<std::int64_t> complete_time;
    // Positions in the event order, which is real-time order. An info operation's completion
    // is at +infinity: k_never.
    std::size_t invoke_seq = 0;
    std::size_t complete_seq = 0;
};

inline constexpr std::size_t k_never = static_cast<std::size_t>(-1);

// Pairs each invoke with its process's next completion. Operations come out in invoke order.
// REQUIRES: events in file order. Errors: a completion with no pending invoke, an invoke while
// the same process has one pending, a completion whose f differs from its invoke's.
Parsed<std::vector<Operation>> pair_events(const std::vector<Event>& events);
// The same, consuming the events: their values move into the operations instead of being
// copied (the simulator's own history, when nothing reads it after the check).
Parsed<std::vector<Operation>> pair_events(std::vector<Event>&& events);

const char* event_type_name(EventType type);

}  // namespace stormlog::properties::linearizability
