#include "properties/linearizability/model_stream.hpp"

#include <algorithm>

namespace stormlog::properties::linearizability {

namespace {

constexpr std::size_t k_map_entry_overhead_bytes = 48;

}  // namespace

StreamModel::StreamModel() {
    nodes_.push_back(Node{0, -1, 0, 0});
}

std::size_t StreamModel::memory_bytes() const {
    return nodes_.capacity() * sizeof(Node) +
           (children_.size() + nodes_ending_with_.size()) * k_map_entry_overhead_bytes +
           nodes_.size() * sizeof(StateId) + event_ids_.memory_bytes() +
           appends_with_event_.capacity() * sizeof(std::uint32_t) +
           expected_at_.capacity() * sizeof(std::int32_t) +
           event_pool_.capacity() * sizeof(std::int32_t) + appends_.capacity() * sizeof(Append) +
           refused_.capacity() * sizeof(Refused) + reads_.capacity() * sizeof(Read);
}

// Myers' skew-binary jump pointers: each node jumps either to its parent or twice as far as
// its parent's jump, which bounds any ancestor walk by O(log depth) hops.
StateId StreamModel::child(StateId parent, std::int32_t event) {
    const std::uint64_t key = (std::uint64_t{parent} << 32) | static_cast<std::uint32_t>(event);
    if (auto it = children_.find(key); it != children_.end()) return it->second;
    const Node& p = nodes_[parent];
    const Node& jp = nodes_[p.jump];
    const Node& jjp = nodes_[jp.jump];
    const StateId jump = (p.depth - jp.depth == jp.depth - jjp.depth) ? jp.jump : parent;
    const auto id = static_cast<StateId>(nodes_.size());
    nodes_.push_back(Node{parent, event, p.depth + 1, jump});
    children_.emplace(key, id);
    if (retried(event)) nodes_ending_with_[event].push_back(id);
    return id;
}

StateId StreamModel::ancestor(StateId node, std::uint32_t depth) const {
    while (nodes_[node].depth > depth) {
        const StateId jump = nodes_[node].jump;
        node = nodes_[jump].depth >= depth ? jump : nodes_[node].parent;
    }
    return node;
}

std::int64_t StreamModel::position_of(StateId state, std::int32_t event) const {
    const auto it = nodes_ending_with_.find(event);
    if (it == nodes_ending_with_.end()) return -1;
    const std::uint32_t depth = nodes_[state].depth;
    for (const StateId node : it->second) {
        const std::uint32_t d = nodes_[node].depth;
        if (d <= depth && ancestor(state, d) == node) return std::int64_t{d} - 1;
    }
    return -1;
}

bool StreamModel::expectation_holds(const Append& append, std::int64_t version) {
    switch (append.expected) {
        case Expected::any:
            return true;
        case Expected::no_stream:
            return version == -1;
        case Expected::stream_exists:
            return version >= 0;
        case Expected::exact:
            return version == append.version;
    }
    return false;
}

void StreamModel::expect(std::size_t position, std::int32_t event) {
    // Positions past every event appended can never be written: no need to remember them.
    if (position >= expected_at_.size()) return;
    std::int32_t& slot = expected_at_[position];
    slot = (slot == k_no_expectation || slot == event) ? event : k_conflicting;
}

void StreamModel::build_expectations() {
    expectations_built_ = true;
    std::size_t appended = 0;
    for (const Append& append : appends_) appended += append.events_count;
    expected_at_.assign(appended, k_no_expectation);
    auto as_written = [&](std::int32_t e) { return anonymous(e) ? k_unread_event : e; };
    for (const Append& append : appends_) {
        if (!append.positions_known || append.first < 0) continue;
        for (std::uint32_t i = 0; i < append.events_count; ++i) {
            expect(static_cast<std::size_t>(append.first) + i,
                   as_written(event_pool_[append.events_begin + i]));
        }
    }
    for (const Read& read : reads_) {
        for (std::uint32_t i = 0; i < read.events_count; ++i) {
            expect(static_cast<std::size_t>(read.from) + i, event_pool_[read.events_begin + i]);
        }
    }
}

StateId StreamModel::step(StateId state, const Op& op) {
    if (!expectations_built_) build_expectations();
    if (op.kind == k_read)
        return step_read(state, reads_[static_cast<std::size_t>(op.a)], op.known);
    if (op.kind == k_refused) return step_refused(state, refused_[static_cast<std::size_t>(op.a)]);
    return step_append(state, appends_[static_cast<std::size_t>(op.a)], op.known);
}

StateId StreamModel::step_append(StateId state, const Append& append, bool known) {
    const std::int32_t* events = event_pool_.data() + append.events_begin;
    const std::uint32_t count = append.events_count;
    const bool check_positions = known && append.positions_known;
    bool any_retried = false;
    for (std::uint32_t i = 0; i < count; ++i) any_retried = any_retried || retried(events[i]);
    const std::int64_t existing = any_retried ? position_of(state, events[0]) : -1;
    if (existing >= 0) {  // a retry: a no-op if every event is already in place
        for (std::uint32_t i = 1; i < count; ++i) {
            if (position_of(state, events[i]) != existing + i) return k_no_state;
        }
        return check_positions && append.first != existing ? k_no_state : state;
    }
    for (std::uint32_t i = 1; i < count && any_retried; ++i) {
        if (position_of(state, events[i]) >= 0) return k_no_state;
    }
    const std::int64_t length = nodes_[state].depth;
    if (!expectation_holds(append, length - 1)) return k_no_state;
    if (check_positions && append.first != length) return k_no_state;
    StateId next = state;
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::int32_t written = anonymous(events[i]) ? k_unread_event : events[i];
        if (contradicts(static_cast<std::size_t>(length) + i, written)) return k_no_state;
        next = child(next, written);
    }
    return next;
}

StateId StreamModel::step_read(StateId state, const Read& read, bool known) const {
    if (!known) return state;
    const std::int64_t length = nodes_[state].depth;
    const std::int64_t expected = read.from >= length ? 0 : std::min(read.max, length - read.from);
    if (expected != read.events_count) return k_no_state;
    if (expected == 0) return state;
    StateId node = ancestor(state, static_cast<std::uint32_t>(read.from + expected));
    for (std::int64_t i = expected - 1; i >= 0; --i) {
        if (nodes_[node].event != event_pool_[read.events_begin + static_cast<std::size_t>(i)]) {
            return k_no_state;
        }
        node = nodes_[node].parent;
    }
    return state;
}

// A refusal changes nothing; it fits a state only if the state justifies it. Events carried by
// no other append cannot be in the stream (position_of knows retried ids only, which is every
// id another append carries).
StateId StreamModel::step_refused(StateId state, const Refused& refused) const {
    const Append& append = refused.append;
    const std::int32_t* events = event_pool_.data() + append.events_begin;
    const std::uint32_t count = append.events_count;
    const auto at = [&](std::uint32_t i) {
        return retried(events[i]) ? position_of(state, events[i]) : std::int64_t{-1};
    };
    const std::int64_t first = at(0);
    bool in_place = first >= 0;  // a replay: every event right after the first, in order
    bool any_present = first >= 0;
    for (std::uint32_t i = 1; i < count; ++i) {
        const std::int64_t p = at(i);
        any_present = any_present || p >= 0;
        in_place = in_place && p == first + i;
    }
    if (refused.why == Refusal::idempotency_conflict) {
        const bool conflict = first >= 0 ? !in_place : any_present;
        return conflict ? state : k_no_state;
    }
    if (any_present) return k_no_state;  // a retry: a replay or a conflict, never this
    return expectation_holds(append, std::int64_t{nodes_[state].depth} - 1) ? k_no_state : state;
}

std::array<std::int64_t, 5> StreamModel::info_class_key(const Op& op) const {
    if (op.kind == k_append) {
        const Append& append = appends_[static_cast<std::size_t>(op.a)];
        bool all_anonymous = true;
        for (std::uint32_t i = 0; i < append.events_count; ++i) {
            all_anonymous = all_anonymous && anonymous(event_pool_[append.events_begin + i]);
        }
        if (all_anonymous) {
            return {-1, static_cast<std::int64_t>(append.expected), append.version,
                    append.events_count, 0};
        }
    }
    return {op.kind, op.a, 0, 0, 0};
}

bool StreamModel::hopeless(StateId state, const Op& op) const {
    if (!op.known || op.kind == k_refused) return false;
    const std::int64_t length = nodes_[state].depth;
    if (op.kind == k_read) {
        const Read& read = reads_[static_cast<std::size_t>(op.a)];
        const std::int64_t end = read.from + read.events_count;
        // Fewer events than asked for: the read saw the end of the stream at `end`.
        if (read.events_count < read.max && length > end) return true;
        if (length <= read.from) return false;
        // The positions already written must hold what the read saw.
        const std::int64_t written = std::min(length, end);
        StateId node = ancestor(state, static_cast<std::uint32_t>(written));
        for (std::int64_t i = written - read.from - 1; i >= 0; --i) {
            if (nodes_[node].event !=
                event_pool_[read.events_begin + static_cast<std::size_t>(i)]) {
                return true;
            }
            node = nodes_[node].parent;
        }
        return false;
    }
    const Append& append = appends_[static_cast<std::size_t>(op.a)];
    for (std::uint32_t i = 0; i < append.events_count; ++i) {
        if (retried(event_pool_[append.events_begin + i])) return false;  // keep it simple
    }
    if (append.positions_known && length > append.first) return true;
    if (append.expected == Expected::no_stream) return length > 0;
    return append.expected == Expected::exact && length - 1 > append.version;
}

std::string StreamModel::describe_state(StateId state) const {
    constexpr std::uint32_t k_shown = 5;
    const Node& node = nodes_[state];
    std::string text = "version " + std::to_string(std::int64_t{node.depth} - 1) + ", events [";
    std::vector<std::string> last;
    for (StateId n = state; nodes_[n].depth > 0 && last.size() < k_shown; n = nodes_[n].parent) {
        const std::int32_t event = nodes_[n].event;
        last.push_back(event == k_unread_event ? std::string("_") : event_ids_.text(event));
    }
    if (node.depth > k_shown) text += "... ";
    for (auto it = last.rbegin(); it != last.rend(); ++it) {
        text += *it;
        if (it + 1 != last.rend()) text += ", ";
    }
    return text + "]";
}

}  // namespace stormlog::properties::linearizability
