#pragma once
// The simulation's future: a binary min-heap of events ordered by (time, sequence). The sequence
// number makes ties deterministic: events at one instant fire in the order they were scheduled.
// Cancelled events stay in the heap and are skipped when popped (their generation is stale).

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/assert.hpp"
#include "sim/time.hpp"

namespace stormlog::sim {

enum class EventKind : uint32_t {
    wake_fiber,  // index = fiber slot, generation = that fiber's life (the slot's reuse count)
    timer,       // index = timer slot, generation = that slot's generation
};

struct Event {
    Time at;
    uint64_t seq;
    uint64_t generation;
    uint32_t index;
    EventKind kind;
};

class EventQueue {
  public:
    bool empty() const { return heap_.empty(); }
    size_t size() const { return heap_.size(); }
    const Event& top() const {
        SL_ASSERT_FATAL(!heap_.empty());
        return heap_.front();
    }

    void push(const Event& e) {
        heap_.push_back(e);
        std::push_heap(heap_.begin(), heap_.end(), later);
    }

    Event pop() {
        SL_ASSERT_FATAL(!heap_.empty());
        std::pop_heap(heap_.begin(), heap_.end(), later);
        Event e = heap_.back();
        heap_.pop_back();
        return e;
    }

  private:
    static bool later(const Event& a, const Event& b) {
        return a.at != b.at ? a.at > b.at : a.seq > b.seq;
    }
    std::vector<Event> heap_;
};

}  // namespace stormlog::sim
