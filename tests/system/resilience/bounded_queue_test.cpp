// Unit tests of BoundedQueue: each overflow policy, deadlines, close, FIFO order, watermarks with
// hysteresis, statistics, a crash while blocked, and the observable effect of the drop bug.
// Every blocking call runs in a fiber of a simulated process, on virtual time.

#include "system/resilience/bounded_queue.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "tests/sim/world.hpp"

namespace stormlog::system::resilience {
namespace {

using sim::Env;
using sim::Simulation;
using sim::testing::at_ms;
using sim::testing::ms;

int64_t now_ms(const Env& env) {
    return env.kernel().now().ns() / 1'000'000;
}

QueueConfig config(size_t capacity, OverflowPolicy overflow, size_t high, size_t low) {
    QueueConfig c;
    c.capacity = capacity;
    c.overflow = overflow;
    c.high_watermark = high;
    c.low_watermark = low;
    return c;
}

// One simulation and one process whose entry runs `entry`.
struct World {
    Simulation sim{sim::testing::options()};
    sim::Process* process = nullptr;

    void start(sim::ProcessEntry entry) {
        process = &sim::testing::start_process(sim, "n1", "p", std::move(entry));
    }
};

TEST(BoundedQueue, BlockPolicyBlocksTheProducerUntilAPopFreesASlot) {
    World w;
    BoundedQueue<int> q(w.sim, config(2, OverflowPolicy::block, 2, 0));
    std::vector<int64_t> pushed_at_ms;
    std::vector<std::pair<int64_t, int>> got;
    w.start([&](Env& env) {
        env.spawn([&] {
            for (int i = 0; i < 5; ++i) {
                EXPECT_EQ(q.push(i), PushResult::accepted);
                pushed_at_ms.push_back(now_ms(env));
            }
        });
        env.spawn([&] {
            for (int i = 0; i < 5; ++i) {
                env.sleep(ms(10));
                int v = -1;
                EXPECT_EQ(q.pop(v), PopResult::ok);
                got.emplace_back(now_ms(env), v);
            }
        });
    });
    w.sim.run_until(at_ms(1000));
    // Two fit at once; each later push returns only when a pop has made room for it.
    EXPECT_EQ(pushed_at_ms, (std::vector<int64_t>{0, 0, 10, 20, 30}));
    EXPECT_EQ(got,
              (std::vector<std::pair<int64_t, int>>{{10, 0}, {20, 1}, {30, 2}, {40, 3}, {50, 4}}));
    EXPECT_EQ(q.stats().accepted, 5u);
    EXPECT_EQ(q.stats().delivered, 5u);
    EXPECT_EQ(q.stats().depth_max, 2u);
    EXPECT_EQ(q.depth(), 0u);
}

TEST(BoundedQueue, RejectPolicyRejectsAtOnceWhenFullAndKeepsTheItemOut) {
    World w;
    BoundedQueue<int> q(w.sim, config(2, OverflowPolicy::reject, 2, 0));
    std::vector<PushResult> results;
    std::vector<int> got;
    int64_t returned_at_ms = -1;
    w.start([&](Env& env) {
        for (int i = 0; i < 3; ++i) results.push_back(q.push(i, env.kernel().now() + ms(100)));
        returned_at_ms = now_ms(env);
        int v = 0;
        while (q.try_pop(v)) got.push_back(v);
    });
    w.sim.run_until(at_ms(1000));
    EXPECT_EQ(results, (std::vector<PushResult>{PushResult::accepted, PushResult::accepted,
                                                PushResult::rejected}));
    EXPECT_EQ(returned_at_ms, 0);  // the deadline is not waited for under the reject policy
    EXPECT_EQ(got, (std::vector<int>{0, 1}));
    EXPECT_EQ(q.stats().rejected, 1u);
    EXPECT_EQ(q.stats().accepted, 2u);
}

TEST(BoundedQueue, TryPushRejectsWhenFullUnderTheBlockPolicyToo) {
    World w;
    BoundedQueue<int> q(w.sim, config(1, OverflowPolicy::block, 1, 0));
    std::vector<PushResult> results;
    w.start([&](Env&) {
        results.push_back(q.try_push(1));
        results.push_back(q.try_push(2));
    });
    w.sim.run_until(at_ms(1));
    EXPECT_EQ(results, (std::vector<PushResult>{PushResult::accepted, PushResult::rejected}));
    EXPECT_EQ(q.depth(), 1u);
    EXPECT_EQ(q.stats().rejected, 1u);
}

TEST(BoundedQueue, ABlockedPushTimesOutAtItsDeadlineAndLeavesTheQueueAsItWas) {
    World w;
    BoundedQueue<int> q(w.sim, config(1, OverflowPolicy::block, 1, 0));
    PushResult second = PushResult::accepted;
    int64_t returned_at_ms = -1;
    w.start([&](Env& env) {
        EXPECT_EQ(q.push(1), PushResult::accepted);
        second = q.push(2, env.kernel().now() + ms(25));
        returned_at_ms = now_ms(env);
    });
    w.sim.run_until(at_ms(100));
    EXPECT_EQ(second, PushResult::timeout);
    EXPECT_EQ(returned_at_ms, 25);
    EXPECT_EQ(q.depth(), 1u);
    EXPECT_EQ(q.stats().timed_out, 1u);
    EXPECT_EQ(q.stats().accepted, 1u);
    int v = 0;
    EXPECT_TRUE(q.try_pop(v));
    EXPECT_EQ(v, 1);
    EXPECT_FALSE(q.try_pop(v));  // the timed-out item never got in
}

TEST(BoundedQueue, APopTimesOutAtItsDeadlineWhenNothingArrives) {
    World w;
    BoundedQueue<int> q(w.sim, config(4, OverflowPolicy::block, 3, 1));
    PopResult result = PopResult::ok;
    int64_t returned_at_ms = -1;
    w.start([&](Env& env) {
        int v = 0;
        result = q.pop(v, env.kernel().now() + ms(40));
        returned_at_ms = now_ms(env);
    });
    w.sim.run_until(at_ms(100));
    EXPECT_EQ(result, PopResult::timeout);
    EXPECT_EQ(returned_at_ms, 40);
    EXPECT_EQ(q.stats().delivered, 0u);
}

TEST(BoundedQueue, AWaitingConsumerGetsTheNextItemAsSoonAsItIsPushed) {
    World w;
    BoundedQueue<int> q(w.sim, config(4, OverflowPolicy::block, 3, 1));
    std::pair<int64_t, int> got{-1, -1};
    w.start([&](Env& env) {
        env.spawn([&] {
            int v = 0;
            EXPECT_EQ(q.pop(v), PopResult::ok);
            got = {now_ms(env), v};
        });
        env.sleep(ms(15));
        EXPECT_EQ(q.push(42), PushResult::accepted);
    });
    w.sim.run_until(at_ms(100));
    EXPECT_EQ(got, (std::pair<int64_t, int>{15, 42}));
    EXPECT_EQ(q.stats().accepted, 1u);
    EXPECT_EQ(q.stats().delivered, 1u);
    EXPECT_EQ(q.stats().depth_max, 0u);  // handed over directly, never buffered
}

TEST(BoundedQueue, BlockedProducersEnterInTheOrderTheyArrived) {
    World w;
    BoundedQueue<int> q(w.sim, config(1, OverflowPolicy::block, 1, 0));
    std::vector<int> got;
    w.start([&](Env& env) {
        EXPECT_EQ(q.push(0), PushResult::accepted);
        for (int i = 1; i <= 4; ++i) {
            env.spawn([&q, i] { EXPECT_EQ(q.push(i), PushResult::accepted); });
        }
        env.sleep(ms(5));  // all four are blocked now, in spawn order
        int v = 0;
        for (int i = 0; i <= 4; ++i) {
            EXPECT_EQ(q.pop(v), PopResult::ok);
            got.push_back(v);
        }
    });
    w.sim.run_until(at_ms(100));
    EXPECT_EQ(got, (std::vector<int>{0, 1, 2, 3, 4}));
    EXPECT_EQ(q.stats().accepted, 5u);
    EXPECT_EQ(q.stats().delivered, 5u);
}

TEST(BoundedQueue, CloseWakesBlockedProducersAndConsumersDrainFirst) {
    World w;
    BoundedQueue<int> q(w.sim, config(2, OverflowPolicy::block, 2, 0));
    PushResult blocked = PushResult::accepted;
    int64_t blocked_returned_ms = -1;
    std::vector<int> got;
    PopResult last = PopResult::ok;
    w.start([&](Env& env) {
        EXPECT_EQ(q.push(1), PushResult::accepted);
        EXPECT_EQ(q.push(2), PushResult::accepted);
        env.spawn([&] {
            blocked = q.push(3);
            blocked_returned_ms = now_ms(env);
        });
        env.sleep(ms(20));
        q.close();
        EXPECT_EQ(q.push(4), PushResult::closed);
        EXPECT_EQ(q.try_push(5), PushResult::closed);
        int v = 0;
        while ((last = q.pop(v)) == PopResult::ok) got.push_back(v);
    });
    w.sim.run_until(at_ms(100));
    EXPECT_EQ(blocked, PushResult::closed);
    EXPECT_EQ(blocked_returned_ms, 20);
    EXPECT_EQ(got, (std::vector<int>{1, 2}));  // the blocked item was never queued
    EXPECT_EQ(last, PopResult::closed);
    EXPECT_TRUE(q.closed());
    EXPECT_EQ(q.stats().accepted, 2u);
    EXPECT_EQ(q.stats().delivered, 2u);
}

TEST(BoundedQueue, CloseWakesAWaitingConsumer) {
    World w;
    BoundedQueue<int> q(w.sim, config(2, OverflowPolicy::block, 2, 0));
    PopResult result = PopResult::ok;
    int64_t returned_at_ms = -1;
    w.start([&](Env& env) {
        env.spawn([&] {
            int v = 0;
            result = q.pop(v);
            returned_at_ms = now_ms(env);
        });
        env.sleep(ms(30));
        q.close();
    });
    w.sim.run_until(at_ms(100));
    EXPECT_EQ(result, PopResult::closed);
    EXPECT_EQ(returned_at_ms, 30);
}

struct Crossing {
    bool above;
    size_t depth;
    bool operator==(const Crossing&) const = default;
};

void PrintTo(const Crossing& c, std::ostream* os) {
    *os << (c.above ? "above@" : "below@") << c.depth;
}

TEST(BoundedQueue, WatermarksFireOnEachCrossingWithHysteresis) {
    World w;
    std::vector<Crossing> crossings;
    BoundedQueue<int> q(w.sim, config(10, OverflowPolicy::reject, 6, 2),
                        [&](bool above, size_t depth) {
                            crossings.push_back({above, depth});
                        });
    std::vector<bool> above_after;
    w.start([&](Env&) {
        int v = 0;
        auto fill_to = [&](size_t d) {
            while (q.depth() < d) EXPECT_EQ(q.try_push(1), PushResult::accepted);
            above_after.push_back(q.above_high_watermark());
        };
        auto drain_to = [&](size_t d) {
            while (q.depth() > d) EXPECT_TRUE(q.try_pop(v));
            above_after.push_back(q.above_high_watermark());
        };
        fill_to(5);   // below high: nothing
        fill_to(6);   // reaches high: above
        drain_to(3);  // between the marks: still above
        fill_to(8);   // above already: no second "above"
        drain_to(3);
        drain_to(2);  // reaches low: below
        fill_to(5);   // between the marks: still below
        fill_to(6);   // above again
        drain_to(0);  // below again
    });
    w.sim.run_until(at_ms(1));
    EXPECT_EQ(crossings, (std::vector<Crossing>{{true, 6}, {false, 2}, {true, 6}, {false, 2}}));
    EXPECT_EQ(above_after,
              (std::vector<bool>{false, true, true, true, true, false, false, true, false}));
    EXPECT_EQ(q.stats().high_crossings, 2u);
    EXPECT_EQ(q.stats().depth_max, 8u);
}

TEST(BoundedQueue, ABlockedProducersItemMovingInKeepsTheDepthAndFiresNothing) {
    World w;
    std::vector<Crossing> crossings;
    BoundedQueue<int> q(w.sim, config(2, OverflowPolicy::block, 2, 0),
                        [&](bool above, size_t depth) {
                            crossings.push_back({above, depth});
                        });
    size_t depth_after_pop = 0;
    w.start([&](Env& env) {
        q.push(1);
        q.push(2);
        env.spawn([&] { q.push(3); });
        env.sleep(ms(1));
        int v = 0;
        q.pop(v);
        depth_after_pop = q.depth();
    });
    w.sim.run_until(at_ms(10));
    EXPECT_EQ(depth_after_pop, 2u);
    EXPECT_EQ(crossings, (std::vector<Crossing>{{true, 2}}));
    EXPECT_TRUE(q.above_high_watermark());
}

TEST(BoundedQueue, StatsCountEveryOutcome) {
    World w;
    BoundedQueue<int> q(w.sim, config(3, OverflowPolicy::block, 2, 1));
    w.start([&](Env& env) {
        for (int i = 0; i < 3; ++i) q.push(i);  // 3 accepted, one high crossing
        q.try_push(9);                          // rejected
        q.push(9, env.kernel().now() + ms(5));  // timed out
        int v = 0;
        for (int i = 0; i < 3; ++i) q.try_pop(v);  // 3 delivered: below at 1
        q.push(3);                                 // accepted
        q.push(4);                                 // accepted: above again at 2
        q.close();
        q.push(5);  // closed: not counted
    });
    w.sim.run_until(at_ms(100));
    const QueueStats& s = q.stats();
    EXPECT_EQ(s.accepted, 5u);
    EXPECT_EQ(s.rejected, 1u);
    EXPECT_EQ(s.timed_out, 1u);
    EXPECT_EQ(s.delivered, 3u);
    EXPECT_EQ(s.dropped, 0u);
    EXPECT_EQ(s.high_crossings, 2u);
    EXPECT_EQ(s.depth_max, 3u);
    EXPECT_EQ(q.depth(), 2u);
}

TEST(BoundedQueue, AProducerKilledWhileBlockedUnwindsAndItsItemNeverGetsIn) {
    World w;
    BoundedQueue<int> q(w.sim, config(1, OverflowPolicy::block, 1, 0));
    bool returned = false;
    bool unwound = false;
    w.start([&](Env&) {
        q.push(1);
        struct Guard {
            bool* flag;
            ~Guard() { *flag = true; }
        } guard{&unwound};
        q.push(2);
        returned = true;
    });
    w.sim.run_until(at_ms(5));
    w.sim.crash(*w.process);
    w.sim.run_until(at_ms(6));
    EXPECT_TRUE(unwound);
    EXPECT_FALSE(returned);
    EXPECT_EQ(q.depth(), 1u);
    int v = 0;
    EXPECT_TRUE(q.try_pop(v));
    EXPECT_EQ(v, 1);
    EXPECT_FALSE(q.try_pop(v));
    EXPECT_EQ(q.try_push(3), PushResult::accepted);  // the dead waiter left no trace
    EXPECT_EQ(q.stats().accepted, 2u);
}

TEST(BoundedQueue, DestroyingTheQueueAnswersBlockedCallersClosed) {
    World w;
    auto full = std::make_unique<BoundedQueue<int>>(w.sim, config(1, OverflowPolicy::block, 1, 0));
    auto empty = std::make_unique<BoundedQueue<int>>(w.sim, config(1, OverflowPolicy::block, 1, 0));
    PushResult pushed = PushResult::accepted;
    PopResult popped = PopResult::ok;
    w.start([&](Env& env) {
        full->push(1);
        env.spawn([&, q = full.get()] { pushed = q->push(2); });
        env.spawn([&, q = empty.get()] {
            int v = 0;
            popped = q->pop(v);
        });
        env.sleep(ms(5));
        full.reset();
        empty.reset();
    });
    w.sim.run_until(at_ms(10));
    EXPECT_EQ(pushed, PushResult::closed);
    EXPECT_EQ(popped, PopResult::closed);
}

TEST(BoundedQueue, CarriesMoveOnlyItems) {
    World w;
    BoundedQueue<std::unique_ptr<int>> q(w.sim, config(1, OverflowPolicy::block, 1, 0));
    int got = 0;
    w.start([&](Env& env) {
        env.spawn([&] { q.push(std::make_unique<int>(7)); });
        env.spawn([&] { q.push(std::make_unique<int>(8)); });
        std::unique_ptr<int> v;
        env.sleep(ms(1));
        q.pop(v);
        got = *v;
        q.pop(v);
        got = got * 10 + *v;
    });
    w.sim.run_until(at_ms(10));
    EXPECT_EQ(got, 78);
}

// The cautionary bug, seen from outside: the producer is told "accepted" for items that no
// consumer ever receives. Only the dropped counter gives it away.
TEST(BoundedQueue, TheDropBugLosesItemsThatWereReportedAccepted) {
    World w;
    QueueConfig c = config(2, OverflowPolicy::block, 2, 0);
    c.bug_drop_when_full = true;
    BoundedQueue<int> q(w.sim, c);
    std::vector<PushResult> results;
    std::vector<int> got;
    w.start([&](Env&) {
        for (int i = 0; i < 4; ++i) results.push_back(q.push(i));
        int v = 0;
        while (q.try_pop(v)) got.push_back(v);
    });
    w.sim.run_until(at_ms(10));
    EXPECT_EQ(results, std::vector<PushResult>(4, PushResult::accepted));
    EXPECT_EQ(got, (std::vector<int>{0, 1}));
    EXPECT_EQ(q.stats().dropped, 2u);
    EXPECT_EQ(q.stats().accepted - q.stats().delivered - q.depth(), q.stats().dropped);
}

TEST(QueueConfig, ValidateNamesTheOffendingField) {
    EXPECT_EQ(validate(QueueConfig{}), "");
    EXPECT_NE(validate(config(0, OverflowPolicy::block, 0, 0)).find("capacity"), std::string::npos);
    EXPECT_NE(validate(config(4, OverflowPolicy::block, 5, 1)).find("high_watermark"),
              std::string::npos);
    EXPECT_NE(validate(config(4, OverflowPolicy::block, 0, 0)).find("high_watermark"),
              std::string::npos);
    EXPECT_NE(validate(config(4, OverflowPolicy::block, 2, 2)).find("low_watermark"),
              std::string::npos);
    EXPECT_EQ(validate(config(1, OverflowPolicy::reject, 1, 0)), "");
    EXPECT_STREQ(to_string(OverflowPolicy::block), "block");
    EXPECT_STREQ(to_string(OverflowPolicy::reject), "reject");
}

}  // namespace
}  // namespace stormlog::system::resilience
