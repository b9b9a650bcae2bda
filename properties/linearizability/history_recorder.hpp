#pragma once
// HistoryRecorder: collects what simulated clients saw, in the order it happened, as history
// events (HISTORY_FORMAT.md) - to check in-process at the end of a run and to write as JSON lines
// (`stormlog run ... --history FILE`).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "properties/linearizability/history.hpp"

namespace stormlog::properties::linearizability {

class HistoryRecorder {
  public:
    void invoke(std::int64_t process, std::string f, nlohmann::json key, nlohmann::json value,
                std::int64_t time_ns);
    void complete(std::int64_t process, EventType type, std::string f, nlohmann::json key,
                  nlohmann::json value, std::int64_t time_ns);

    const std::vector<Event>& events() const { return events_; }
    // Hands the events over (to pair_events, which then moves rather than copies their
    // values) and leaves the recorder empty.
    std::vector<Event> take_events() { return std::exchange(events_, {}); }
    // One JSON object per line, fields in HISTORY_FORMAT.md's order.
    std::string to_jsonl() const;
    std::size_t count(EventType type) const;

  private:
    std::vector<Event> events_;
};

}  // namespace stormlog::properties::linearizability
