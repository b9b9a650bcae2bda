#include "sim/event_queue.hpp"

#include <algorithm>

namespace stormlog::sim {

bool EventQueue::spread_earliest(Time limit) {
    SL_ASSERT_FATAL(nonempty_ != 0 && (nonempty_ & 1) == 0);
    const unsigned k = static_cast<unsigned>(std::countr_zero(nonempty_));
    const uint64_t base = earliest_[k];  // a local: stores into the buckets could alias a member
    if (Time::from_ns(static_cast<int64_t>(base)) > limit) return false;
    base_ = base;
    earliest_[k] = UINT64_MAX;
    std::vector<Event>& src = buckets_[k];
    uint64_t nonempty = nonempty_ & ~(uint64_t{1} << k);
    for (const Event& e : src) {
        const uint64_t key = static_cast<uint64_t>(e.at.ns());
        const unsigned b = bucket_of(key, base);
        SL_ASSERT(b < k && "an event moves to a lower bucket");
        buckets_[b].push_back(e);
        nonempty |= uint64_t{1} << b;
        earliest_[b] = std::min(earliest_[b], key);
    }
    src.clear();
    nonempty_ = nonempty;
    return true;
}

}  // namespace stormlog::sim
