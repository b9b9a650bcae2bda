#include "system/store/event_store.hpp"

#include <algorithm>
#include <type_traits>
#include <variant>

#include "sim/assert.hpp"
#include "system/store/probes.hpp"

namespace stormlog::system::store {

const char* to_string(AppendStatus s) {
    switch (s) {
        case AppendStatus::ok:
            return "ok";
        case AppendStatus::wrong_expected_version:
            return "wrong_expected_version";
        case AppendStatus::idempotency_conflict:
            return "idempotency_conflict";
        case AppendStatus::stale_request:
            return "stale_request";
    }
    return "?";
}

EventStore::EventStore(EventStoreOptions options) : options_(options) {}

AppendResult EventStore::apply(uint64_t index, const Command& command) {
    SL_ASSERT(index > applied_index_);
    applied_index_ = index;
    return std::visit(
        [this](const auto& c) {
            if constexpr (std::is_same_v<std::decay_t<decltype(c)>, AppendCommand>) {
                if (c.client == 0) return append(c);
                // Every attempt of a call carries the same request id: only the first is evaluated.
                auto [it, fresh] = sessions_.try_emplace(c.client);
                Session& s = it->second;
                if (!fresh && c.request < s.request) {
                    SL_PROBE(probes::stale_request);
                    AppendResult stale;
                    stale.status = AppendStatus::stale_request;
                    return stale;
                }
                if (!fresh && c.request == s.request) {
                    SL_PROBE(probes::session_replay);
                    return s.result;
                }
                s.request = c.request;
                s.result = append(c);
                // Only the session check says stale: a session never remembers it as a result.
                SL_ASSERT(s.result.status != AppendStatus::stale_request);
                return s.result;
            } else {
                return AppendResult{};
            }
        },
        command);
}

AppendResult EventStore::append(const AppendCommand& command) {
    SL_ASSERT(!validate(command));
    const Stream* stream = find(command.stream);
    const int64_t version = stream ? stream->version() : -1;
    if (stream && !options_.bug_skip_idempotency) {
        if (std::optional<AppendResult> retry = check_retry(*stream, command)) return *retry;
    }
    if (!command.expected.holds(version) && !options_.bug_ignore_expected_version) {
        AppendResult refused;
        refused.status = AppendStatus::wrong_expected_version;
        refused.actual_version = version;
        return refused;
    }
    return write(command);
}

std::optional<AppendResult> EventStore::check_retry(const Stream& stream,
                                                    const AppendCommand& command) const {
    const std::vector<EventData>& events = command.events;
    AppendResult r;
    r.actual_version = stream.version();
    const int64_t first = position_of(stream, events.front().id);
    if (first < 0) {
        // A new first event: a fresh append, unless a later event was already written (a retry
        // whose batch changed cannot be applied without duplicating or reordering events).
        for (size_t i = 1; i < events.size(); ++i) {
            if (position_of(stream, events[i].id) >= 0) {
                r.status = AppendStatus::idempotency_conflict;
                return r;
            }
        }
        return std::nullopt;
    }
    for (size_t i = 1; i < events.size(); ++i) {
        if (position_of(stream, events[i].id) != first + static_cast<int64_t>(i)) {
            r.status = AppendStatus::idempotency_conflict;
            return r;
        }
    }
    r.first = first;
    r.last = first + static_cast<int64_t>(events.size()) - 1;
    SL_ASSERT(r.last <= stream.version());  // every event of the retry is in the stream
    r.first_global = stream.globals[static_cast<size_t>(r.first)];
    r.last_global = stream.globals[static_cast<size_t>(r.last)];
    // A stream's events take increasing global positions.
    SL_ASSERT(r.first_global <= r.last_global);
    r.replay = true;
    SL_PROBE(probes::idempotent_replay);
    return r;
}

AppendResult EventStore::write(const AppendCommand& command) {
    Stream& stream = streams_[command.stream];
    AppendResult r;
    r.actual_version = stream.version();
    r.first = stream.version() + 1;
    r.first_global = head();
    for (const EventData& e : command.events) {
        const int64_t position = stream.version() + 1;
        stream.globals.push_back(head());
        events_.push_back(RecordedEvent{command.stream, position, head(), e.id, e.data});
        // An id keeps its first position: only bug_skip_idempotency writes an id twice.
        (void)stream.positions_by_id.insert(e.id, position, id_at(stream));
    }
    r.last = stream.version();
    r.last_global = head() - 1;
    SL_ASSERT(r.last - r.first + 1 == static_cast<int64_t>(command.events.size()));
    SL_ASSERT(r.last_global - r.first_global + 1 == command.events.size());
    // Every stream position has exactly one id (check_retry relies on it); only the idempotency
    // bug writes an id twice.
    SL_ASSERT(stream.positions_by_id.size() == stream.globals.size() ||
              options_.bug_skip_idempotency);
    return r;
}

std::vector<RecordedEvent> EventStore::read(const std::string& stream, int64_t from,
                                            size_t max) const {
    SL_ASSERT(from >= 0);
    std::vector<RecordedEvent> out;
    const Stream* s = find(stream);
    if (!s || from < 0 || static_cast<uint64_t>(from) >= s->globals.size()) return out;
    const size_t begin = static_cast<size_t>(from);
    const size_t end = begin + std::min(max, s->globals.size() - begin);
    out.reserve(end - begin);
    for (size_t p = begin; p < end; ++p) {
        const RecordedEvent& e = events_[s->globals[p]];
        SL_ASSERT(e.stream == stream);
        SL_ASSERT(e.stream_position == static_cast<int64_t>(p));
        out.push_back(e);
    }
    return out;
}

std::vector<RecordedEvent> EventStore::read_all(uint64_t from_position, size_t max) const {
    if (from_position >= events_.size()) return {};
    const size_t begin = static_cast<size_t>(from_position);
    const size_t end = begin + std::min(max, events_.size() - begin);
    // An event's global position is its place in events_: gap-free, in apply order.
    SL_ASSERT(events_[begin].global_position == begin);
    SL_ASSERT(end == begin || events_[end - 1].global_position == end - 1);
    return std::vector<RecordedEvent>(events_.begin() + static_cast<std::ptrdiff_t>(begin),
                                      events_.begin() + static_cast<std::ptrdiff_t>(end));
}

int64_t EventStore::version(const std::string& stream) const {
    const Stream* s = find(stream);
    return s ? s->version() : -1;
}

const EventStore::Stream* EventStore::find(const std::string& stream) const {
    const auto it = streams_.find(stream);
    return it == streams_.end() ? nullptr : &it->second;
}

int64_t EventStore::position_of(const Stream& stream, const std::string& id) const {
    return stream.positions_by_id.find(id, id_at(stream));
}

}  // namespace stormlog::system::store
