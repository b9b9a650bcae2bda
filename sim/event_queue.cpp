#include "sim/event_queue.hpp"

#include <algorithm>

namespace stormlog::sim {

bool EventQueue::spread_earliest(Time limit) {
    SL_ASSERT_FATAL(nonempty_ != 0 && (nonempty_ & 1) == 0);
    const unsigned k = static_cast<unsigned>(std::countr_zero(nonempty_));
    std::vector<Event>& src = buckets_[k];
    if (!earliest_known_) {
        uint64_t earliest = UINT64_MAX;  // keys were checked at push
        for (const Event& e : src) earliest = std::min(earliest, static_cast<uint64_t>(e.at.ns()));
        earliest_ = earliest;
        earliest_known_ = true;
    }
    if (Time::from_ns(static_cast<int64_t>(earliest_)) > limit) return false;
    const uint64_t base = earliest_;  // a local: stores into the buckets could alias a member
    base_ = base;
    earliest_known_ = false;
    uint64_t nonempty = nonempty_ & ~(uint64_t{1} << k);
    for (const Event& e : src) {
        const unsigned b = bucket_of(static_cast<uint64_t>(e.at.ns()), base);
        SL_ASSERT(b < k && "an event moves to a lower bucket");
        buckets_[b].push_back(e);
        nonempty |= uint64_t{1} << b;
    }
    src.clear();
    nonempty_ = nonempty;
    return true;
}

}  // namespace stormlog::sim
