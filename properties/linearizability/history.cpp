#include "properties/linearizability/history.hpp"

#include <type_traits>
#include <unordered_map>
#include <utility>

namespace stormlog::properties::linearizability {

const char* event_type_name(EventType type) {
    switch (type) {
        case EventType::invoke:
            return "invoke";
        case EventType::ok:
            return "ok";
        case EventType::fail:
            return "fail";
        case EventType::info:
            return "info";
    }
    return "?";
}

namespace {

constexpr std::size_t k_no_operation = static_cast<std::size_t>(-1);

// `value` itself to move from, or a copy of it when the events are borrowed (const).
template <class T>
decltype(auto) take(T& value) {
    if constexpr (std::is_const_v<T>) {
        return value;
    } else {
        return std::move(value);
    }
}

template <class E>
void start_operation(E& event, std::size_t seq, Operation& op) {
    op.process = *event.process;
    op.f = event.f;
    op.key = take(event.key);
    op.input = take(event.value);
    op.status = OpStatus::info;  // until a completion says otherwise
    op.invoke_line = event.line;
    op.invoke_time = event.time;
    op.invoke_seq = seq;
    op.complete_seq = k_never;
}

std::string describe_process(std::int64_t process) {
    return "process " + std::to_string(process);
}

// Events is `const std::vector<Event>` (borrowed: values are copied) or `std::vector<Event>`
// (consumed: values are moved into the operations).
template <class Events>
Parsed<std::vector<Operation>> pair(Events& events) {
    std::vector<Operation> ops;
    std::vector<bool> failed;  // parallel to ops: failed ones are removed at the end
    // Which operation each process has pending. Only looked up, never iterated.
    std::unordered_map<std::int64_t, std::size_t> pending;
    for (std::size_t seq = 0; seq < events.size(); ++seq) {
        auto& event = events[seq];
        if (!event.process) continue;  // not a client operation
        auto it = pending.find(*event.process);
        const bool has_pending = it != pending.end() && it->second != k_no_operation;
        if (event.type == EventType::invoke) {
            if (has_pending) {
                return InputError{event.line, describe_process(*event.process) +
                                                  " invokes while its operation from line " +
                                                  std::to_string(ops[it->second].invoke_line) +
                                                  " is still pending"};
            }
            pending[*event.process] = ops.size();
            // Filled in place: moving a finished Operation in costs as much as filling it.
            start_operation(event, seq, ops.emplace_back());
            failed.push_back(false);
            continue;
        }
        if (!has_pending) {
            return InputError{event.line, std::string(event_type_name(event.type)) + " for " +
                                              describe_process(*event.process) +
                                              " without a pending invoke"};
        }
        const std::size_t index = it->second;
        Operation& op = ops[index];
        if (event.f != op.f) {
            return InputError{event.line, "completion f '" + event.f +
                                              "' does not match the invoke's f '" + op.f +
                                              "' (line " + std::to_string(op.invoke_line) + ")"};
        }
        it->second = k_no_operation;
        op.complete_line = event.line;
        op.complete_time = event.time;
        if (event.type == EventType::ok) {
            op.status = OpStatus::ok;
            op.output = take(event.value);
            op.complete_seq = seq;
        } else if (event.type == EventType::fail) {
            failed[index] = true;
        }
        // info: stays info, its completion at +infinity.
    }
    std::vector<Operation> kept;
    kept.reserve(ops.size());
    for (std::size_t i = 0; i < ops.size(); ++i) {
        if (!failed[i]) kept.push_back(std::move(ops[i]));
    }
    return kept;
}

}  // namespace

Parsed<std::vector<Operation>> pair_events(const std::vector<Event>& events) {
    return pair(events);
}

Parsed<std::vector<Operation>> pair_events(std::vector<Event>&& events) {
    return pair(events);
}

}  // namespace stormlog::properties::linearizability
