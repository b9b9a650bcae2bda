#include "properties/linearizability/history_recorder.hpp"

#include <algorithm>

namespace stormlog::properties::linearizability {

void HistoryRecorder::invoke(std::int64_t process, std::string f, nlohmann::json key,
                             nlohmann::json value, std::int64_t time_ns) {
    complete(process, EventType::invoke, std::move(f), std::move(key), std::move(value), time_ns);
}

void HistoryRecorder::complete(std::int64_t process, EventType type, std::string f,
                               nlohmann::json key, nlohmann::json value, std::int64_t time_ns) {
    Event e;
    e.line = events_.size() + 1;
    e.process = process;
    e.type = type;
    e.f = std::move(f);
    e.key = std::move(key);
    e.value = std::move(value);
    e.time = time_ns;
    events_.push_back(std::move(e));
}

std::string HistoryRecorder::to_jsonl() const {
    std::string out;
    for (const Event& e : events_) {
        // nlohmann::ordered_json keeps the fields in the documented order.
        nlohmann::ordered_json j;
        j["process"] = *e.process;
        j["type"] = event_type_name(e.type);
        j["f"] = e.f;
        if (!e.key.is_null()) j["key"] = e.key;
        j["value"] = e.value;
        if (e.time) j["time"] = *e.time;
        out += j.dump();
        out += '\n';
    }
    return out;
}

std::size_t HistoryRecorder::count(EventType type) const {
    return static_cast<std::size_t>(std::count_if(
        events_.begin(), events_.end(), [type](const Event& e) { return e.type == type; }));
}

}  // namespace stormlog::properties::linearizability
