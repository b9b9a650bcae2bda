#pragma once
// The events a timeline may hold, and what each becomes in a scenario (the table is in
// timeline.hpp and docs/incident-format.md). A lasting event has an end event: `X-down` ends with
// `X-up`, any other lasting `X` with `X-end`; an instant one has none.

#include <string_view>
#include <vector>

namespace stormlog::scenarios::incident {

// What an event's `host` and `peer` name.
enum class Scope {
    hosts,    // host: a host or group; peer: not given
    link,     // host and peer: the links between them fail, both ways
    one_way,  // host and peer: the links from host to peer fail; peer to host still work
    cluster,  // neither: the whole cluster (power) or the whole workload (load)
};

// What an event's `value` is.
enum class ValueKind {
    none,        // not given
    delta,       // a signed duration: how far a clock jumps ("-5s")
    ppm,         // an integer: how fast a clock drifts, in parts per million (negative: slow)
    factor,      // a number: how many times faster the clients run
    disk_error,  // "latent" (reads fail) or "fsync" (fsyncs fail)
    down_for,    // a duration: how long a crashed process stayed down
};

struct EventKind {
    std::string_view name;
    std::string_view end;  // the event that ends it; empty: an instant event
    Scope scope;
    ValueKind value;
    bool value_required;
};

// Every event that starts something or happens at once, in the documentation's order.
const std::vector<EventKind>& event_kinds();

// The event kind `name` starts, or ends (then `is_end` is set); null when there is none.
const EventKind* find_event(std::string_view name, bool& is_end);

// Every event name, ends included: for messages.
std::vector<std::string_view> event_names();

}  // namespace stormlog::scenarios::incident
