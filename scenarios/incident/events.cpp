#include "scenarios/incident/events.hpp"

namespace stormlog::scenarios::incident {

const std::vector<EventKind>& event_kinds() {
    using S = Scope;
    using V = ValueKind;
    static const std::vector<EventKind> kinds = {
        {"node-down", "node-up", S::hosts, V::none, false},
        {"power-loss", "power-loss-end", S::cluster, V::none, false},
        {"link-down", "link-up", S::link, V::none, false},
        {"one-way-down", "one-way-up", S::one_way, V::none, false},
        {"process-crash", "", S::hosts, V::down_for, false},
        {"clock-jump", "", S::hosts, V::delta, true},
        {"clock-drift", "clock-drift-end", S::hosts, V::ppm, true},
        {"disk-error", "disk-error-end", S::hosts, V::disk_error, false},
        {"disk-full", "disk-full-end", S::hosts, V::none, false},
        {"slow-disk", "slow-disk-end", S::hosts, V::none, false},
        {"load-burst", "load-burst-end", S::cluster, V::factor, false},
    };
    return kinds;
}

const EventKind* find_event(std::string_view name, bool& is_end) {
    for (const EventKind& k : event_kinds()) {
        is_end = !k.end.empty() && name == k.end;
        if (name == k.name || is_end) return &k;
    }
    is_end = false;
    return nullptr;
}

std::vector<std::string_view> event_names() {
    std::vector<std::string_view> names;
    for (const EventKind& k : event_kinds()) {
        names.push_back(k.name);
        if (!k.end.empty()) names.push_back(k.end);
    }
    return names;
}

}  // namespace stormlog::scenarios::incident
