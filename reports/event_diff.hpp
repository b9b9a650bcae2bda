#pragma once
// Where two runs part: the first event at which two event logs (reports/event_log.hpp) differ,
// with the events just before it - how a seed that passed on one build and fails on the next, or
// a determinism bug, is traced to the moment it starts. Both logs are read one line at a time, up
// to the first difference, so memory stays flat however long the runs.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "reports/event_log.hpp"

namespace stormlog::reports {

struct EventDiff {
    enum class Outcome {
        identical,  // the same events, as many
        diverged,   // both have an event at `common + 1`, and they differ
        a_ended,    // a's events are the first of b's: a is a prefix of b
        b_ended,    // and the other way round
    };
    Outcome outcome = Outcome::identical;
    uint64_t common = 0;  // events both logs agree on before the difference (all, if identical)
    // Up to `context` events before the difference, oldest first, from each log.
    std::deque<Event> before_a;
    std::deque<Event> before_b;
    // The first event of each log past the common part; empty for a log that ended there.
    std::optional<Event> at_a;
    std::optional<Event> at_b;
};

// Most context events a diff shows on each side.
inline constexpr size_t k_event_context_max = 1000;

// Compares the logs at `path_a` and `path_b`, keeping `context` events of context
// (REQUIRES: context <= k_event_context_max). On an unreadable file or a line that is not an
// event returns false and sets `error` ("<path>:<line>: what", or "<path>: cannot read").
bool diff_event_logs(const std::string& path_a, const std::string& path_b, size_t context,
                     EventDiff& out, std::string& error);

// What `stormlog diff-events` prints for `diff`: "identical (N events)", or a headline naming
// where and what differs followed by each log's context and first differing event, each with its
// file and line.
std::string format_event_diff(const EventDiff& diff, const std::string& path_a,
                              const std::string& path_b);

}  // namespace stormlog::reports
