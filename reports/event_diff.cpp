#include "reports/event_diff.hpp"

#include "sim/assert.hpp"

namespace stormlog::reports {
namespace {

void keep(std::deque<Event>& window, const Event& e, size_t context) {
    if (context == 0) return;
    if (window.size() == context) window.pop_front();
    window.push_back(e);
}

// Which of the hashed fields differ, for the headline: "time differs", "node, kind differ".
std::string differing_fields(const Event& a, const Event& b) {
    std::string fields;
    int count = 0;
    const auto add = [&](bool differs, const char* name) {
        if (!differs) return;
        fields += (count++ == 0 ? "" : ", ") + std::string(name);
    };
    add(a.t_ns != b.t_ns, "time");
    add(a.node != b.node, "node");
    add(a.kind != b.kind, "kind");
    add(a.digest != b.digest, "digest");
    return fields + (count == 1 ? " differs" : " differ");
}

std::string event_line(const std::string& path, const Event& e, bool marked) {
    std::string line = (marked ? "> " : "  ") + path + ":" + std::to_string(e.line) + "  " +
                       event_time(e.t_ns) + "  " + e.node + "  " + e.kind + "  " + e.digest;
    if (!e.detail.empty()) line += "  " + e.detail;
    return line + "\n";
}

std::string side(const std::string& path, const std::deque<Event>& before,
                 const std::optional<Event>& at, uint64_t common) {
    std::string out = "--- " + path + "\n";
    for (const Event& e : before) out += event_line(path, e, false);
    if (at) return out + event_line(path, *at, true);
    return out + "> " + path + ": ends after line " + std::to_string(common) + "\n";
}

std::string headline(const EventDiff& d, const std::string& a, const std::string& b) {
    const std::string next = std::to_string(d.common + 1);
    switch (d.outcome) {
        case EventDiff::Outcome::diverged:
            return a + " and " + b + " diverge at event " + next + " (" +
                   differing_fields(*d.at_a, *d.at_b) + "), after " + std::to_string(d.common) +
                   " identical events\n";
        case EventDiff::Outcome::a_ended:
            return a + " is a prefix of " + b + ": its " + std::to_string(d.common) +
                   " events are the first of " + b + ", which goes on at event " + next + "\n";
        case EventDiff::Outcome::b_ended:
            return b + " is a prefix of " + a + ": its " + std::to_string(d.common) +
                   " events are the first of " + a + ", which goes on at event " + next + "\n";
        case EventDiff::Outcome::identical:
            break;
    }
    return "identical (" + std::to_string(d.common) + " events)\n";
}

}  // namespace

bool diff_event_logs(const std::string& path_a, const std::string& path_b, size_t context,
                     EventDiff& out, std::string& error) {
    SL_ASSERT(context <= k_event_context_max);
    out = EventDiff{};
    EventLogReader a;
    EventLogReader b;
    if (!a.open(path_a, error) || !b.open(path_b, error)) return false;
    for (;;) {
        Event ea;
        Event eb;
        const bool more_a = a.next(ea, error);
        if (!error.empty()) return false;
        const bool more_b = b.next(eb, error);
        if (!error.empty()) return false;
        if (!more_a && !more_b) return true;  // identical
        if (more_a && more_b && same_event(ea, eb)) {
            ++out.common;
            keep(out.before_a, ea, context);
            keep(out.before_b, eb, context);
            continue;
        }
        if (more_a) out.at_a = std::move(ea);
        if (more_b) out.at_b = std::move(eb);
        out.outcome = !more_a   ? EventDiff::Outcome::a_ended
                      : !more_b ? EventDiff::Outcome::b_ended
                                : EventDiff::Outcome::diverged;
        return true;
    }
}

std::string format_event_diff(const EventDiff& diff, const std::string& path_a,
                              const std::string& path_b) {
    std::string out = headline(diff, path_a, path_b);
    if (diff.outcome == EventDiff::Outcome::identical) return out;
    return out + side(path_a, diff.before_a, diff.at_a, diff.common) +
           side(path_b, diff.before_b, diff.at_b, diff.common);
}

}  // namespace stormlog::reports
