// The event queue against a sorted reference: any mix of pushes (never before the last event
// popped) and pops with a due-by limit yields exactly the earliest (time, sequence) event, or
// nothing when that event is not yet due, and a pop that finds nothing due changes nothing.

#include "sim/event_queue.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <set>
#include <utility>

namespace stormlog::sim {
namespace {

using Key = std::pair<int64_t, uint64_t>;  // (time, sequence)

// A distance in nanoseconds from now: ties, near, far, and across high bits of the key.
rc::Gen<int64_t> distance() {
    return rc::gen::oneOf(rc::gen::just<int64_t>(0), rc::gen::inRange<int64_t>(0, 8),
                          rc::gen::inRange<int64_t>(0, 5'000'000),
                          rc::gen::inRange<int64_t>(0, int64_t{1} << 40));
}

Event event_at(int64_t at, uint64_t seq) {
    return Event{Time::from_ns(at), seq, seq * 7, static_cast<uint32_t>(seq), EventKind::timer};
}

RC_GTEST_PROP(EventQueue, PopsTheEarliestTimeThenSequenceAndOnlyWhenDue, ()) {
    EventQueue queue;
    std::set<Key> model;
    int64_t now = *rc::gen::inRange<int64_t>(0, 1'000'000);
    uint64_t seq = 0;
    const int steps = *rc::gen::inRange(1, 400);
    for (int step = 0; step < steps; ++step) {
        if (*rc::gen::inRange(0, 3) > 0) {
            const int64_t at = now + *distance();
            queue.push(event_at(at, seq));
            model.emplace(at, seq);
            ++seq;
            continue;
        }
        const int64_t limit = now + *distance();
        Event got{};
        const bool popped = queue.pop_due(Time::from_ns(limit), got);
        const bool due = !model.empty() && model.begin()->first <= limit;
        RC_ASSERT(popped == due);
        RC_ASSERT(queue.size() == model.size() - (popped ? 1 : 0));
        if (!popped) continue;
        const Key want = *model.begin();
        model.erase(model.begin());
        RC_ASSERT(got.at.ns() == want.first);
        RC_ASSERT(got.seq == want.second);
        RC_ASSERT(got.generation == want.second * 7);  // the payload travels with its key
        RC_ASSERT(got.index == static_cast<uint32_t>(want.second));
        now = got.at.ns();
    }
    // Drain: everything comes out in order.
    Event got{};
    while (!model.empty()) {
        RC_ASSERT(queue.pop_due(Time::max(), got));
        RC_ASSERT((Key{got.at.ns(), got.seq}) == *model.begin());
        model.erase(model.begin());
    }
    RC_ASSERT(queue.empty());
    RC_ASSERT(!queue.pop_due(Time::max(), got));
}

TEST(EventQueue, AnEventNotYetDueLeavesRoomToScheduleBeforeIt) {
    // run_until stops before the next event; the world then schedules something earlier than it.
    EventQueue queue;
    queue.push(event_at(1'000, 0));
    Event got{};
    EXPECT_FALSE(queue.pop_due(Time::from_ns(500), got));
    queue.push(event_at(600, 1));
    ASSERT_TRUE(queue.pop_due(Time::from_ns(2'000), got));
    EXPECT_EQ(got.seq, 1u);
    ASSERT_TRUE(queue.pop_due(Time::from_ns(2'000), got));
    EXPECT_EQ(got.seq, 0u);
}

TEST(EventQueue, EventsAtOneInstantLeaveInTheOrderTheyCame) {
    EventQueue queue;
    for (uint64_t s = 0; s < 5; ++s) queue.push(event_at(s % 2 == 0 ? 300 : 100, s));
    const uint64_t expected[] = {1, 3, 0, 2, 4};
    for (uint64_t want : expected) {
        Event got{};
        ASSERT_TRUE(queue.pop_due(Time::max(), got));
        EXPECT_EQ(got.seq, want);
    }
}

}  // namespace
}  // namespace stormlog::sim
