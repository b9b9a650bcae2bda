#include "sim/channel.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <deque>
#include <memory>

#include "tests/sim/world.hpp"

namespace stormlog::sim {
namespace {

using testing::at_ms;
using testing::ms;

TEST(Channel, DeliversInFifoOrderAndBlocksWhenFull) {
    Simulation sim(testing::options());
    Channel<int> ch(sim, 2);
    std::vector<std::pair<int64_t, int>> got;
    std::vector<int64_t> sent_at_ms;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        env.spawn([&] {
            for (int i = 0; i < 5; ++i) {
                EXPECT_EQ(ch.send(i), ChannelStatus::ok);
                sent_at_ms.push_back(env.now().ns() / 1'000'000);
            }
        });
        env.spawn([&] {
            for (int i = 0; i < 5; ++i) {
                env.sleep(ms(10));
                int v = -1;
                EXPECT_EQ(ch.receive(v), ChannelStatus::ok);
                got.emplace_back(env.now().ns() / 1'000'000, v);
            }
        });
    });
    sim.run_until(at_ms(1000));
    EXPECT_EQ(got,
              (std::vector<std::pair<int64_t, int>>{{10, 0}, {20, 1}, {30, 2}, {40, 3}, {50, 4}}));
    // Two fit at once; each later send completes when a receive frees a slot.
    EXPECT_EQ(sent_at_ms, (std::vector<int64_t>{0, 0, 10, 20, 30}));
}

// The buffer grows as it fills (16, 32, 64... slots) and wraps around: whatever the capacity and
// the mix of sends and receives, it must behave as a FIFO bounded by exactly its capacity.
RC_GTEST_PROP(ChannelProperty, TrySendAndReceiveMatchABoundedFifo, ()) {
    const auto capacity = *rc::gen::inRange<size_t>(1, 150);
    const auto sends = *rc::gen::container<std::vector<bool>>(*rc::gen::inRange<size_t>(0, 600),
                                                              rc::gen::arbitrary<bool>());
    Simulation sim(testing::options());
    Channel<std::unique_ptr<int>> ch(sim, capacity);
    std::deque<int> model;
    int next = 0;
    for (const bool send : sends) {
        if (send) {
            auto v = std::make_unique<int>(next);
            const ChannelStatus s = ch.try_send(v);
            if (model.size() == capacity) {
                RC_ASSERT(s == ChannelStatus::full);
                RC_ASSERT(v != nullptr);  // a refused value stays with the sender
            } else {
                RC_ASSERT(s == ChannelStatus::ok);
                model.push_back(next);
            }
            ++next;
        } else {
            std::unique_ptr<int> out;
            const ChannelStatus s = ch.try_receive(out);
            if (model.empty()) {
                RC_ASSERT(s == ChannelStatus::empty);
            } else {
                RC_ASSERT(s == ChannelStatus::ok);
                RC_ASSERT(*out == model.front());
                model.pop_front();
            }
        }
        RC_ASSERT(ch.size() == model.size());
        RC_ASSERT(ch.capacity() == capacity);
    }
}

TEST(Channel, TryVariantsNeverBlock) {
    Simulation sim(testing::options());
    Channel<int> ch(sim, 1);
    int v = 7, out = 0;
    EXPECT_EQ(ch.try_receive(out), ChannelStatus::empty);
    EXPECT_EQ(ch.try_send(v), ChannelStatus::ok);
    int w = 8;
    EXPECT_EQ(ch.try_send(w), ChannelStatus::full);
    EXPECT_EQ(w, 8);  // not consumed
    EXPECT_EQ(ch.try_receive(out), ChannelStatus::ok);
    EXPECT_EQ(out, 7);
    ch.close();
    EXPECT_EQ(ch.try_send(w), ChannelStatus::closed);
    EXPECT_EQ(ch.try_receive(out), ChannelStatus::closed);
}

TEST(Channel, ReceiveTimesOut) {
    Simulation sim(testing::options());
    Channel<int> ch(sim, 1);
    ChannelStatus status = ChannelStatus::ok;
    Time when;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        int v;
        status = ch.receive_for(v, ms(25));
        when = env.kernel().now();
    });
    sim.run_until(at_ms(100));
    EXPECT_EQ(status, ChannelStatus::timeout);
    EXPECT_EQ(when, at_ms(25));
}

TEST(Channel, SendTimesOutWhenFull) {
    Simulation sim(testing::options());
    Channel<int> ch(sim, 1);
    std::vector<ChannelStatus> results;
    testing::start_process(sim, "n1", "p", [&](Env) {
        results.push_back(ch.send(1));
        results.push_back(ch.send_for(2, ms(5)));
    });
    sim.run_until(at_ms(100));
    EXPECT_EQ(results, (std::vector<ChannelStatus>{ChannelStatus::ok, ChannelStatus::timeout}));
    EXPECT_EQ(ch.size(), 1u);
}

TEST(Channel, ClosedWithAReceiverWaitingWakesIt) {
    Simulation sim(testing::options());
    Channel<int> ch(sim, 1);
    ChannelStatus status = ChannelStatus::ok;
    Time when;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        env.spawn([&] {
            int v;
            status = ch.receive(v);
            when = env.kernel().now();
        });
        env.sleep(ms(40));
        ch.close();
    });
    sim.run_until(at_ms(100));
    EXPECT_EQ(status, ChannelStatus::closed);
    EXPECT_EQ(when, at_ms(40));
}

TEST(Channel, ClosedChannelStillDrainsWhatIsBuffered) {
    Simulation sim(testing::options());
    Channel<int> ch(sim, 4);
    std::vector<int> got;
    testing::start_process(sim, "n1", "p", [&](Env) {
        for (int i = 0; i < 3; ++i) ch.send(i);
        ch.close();
        int v;
        while (ch.receive(v) == ChannelStatus::ok) got.push_back(v);
    });
    sim.run_until(at_ms(1));
    EXPECT_EQ(got, (std::vector<int>{0, 1, 2}));
}

TEST(Channel, ATimedOutReceiverIsNotHandedAValue) {
    // The receiver times out while its process is paused, so it has not yet run to unlink itself
    // when a value arrives: the value must stay in the channel, not vanish into a receiver that
    // already gave up.
    Simulation sim(testing::options());
    Channel<int> ch(sim, 1);
    ChannelStatus status = ChannelStatus::ok;
    Process& receiver = testing::start_process(sim, "n1", "receiver", [&](Env) {
        int v;
        status = ch.receive_for(v, ms(10));
    });
    sim.run_until(at_ms(5));
    sim.pause(receiver);
    sim.run_until(at_ms(20));
    int v = 42;
    EXPECT_EQ(ch.try_send(v), ChannelStatus::ok);
    sim.resume(receiver);
    sim.run_until(at_ms(30));
    EXPECT_EQ(status, ChannelStatus::timeout);
    EXPECT_EQ(ch.size(), 1u);
}

TEST(Channel, CarriesMoveOnlyValues) {
    Simulation sim(testing::options());
    Channel<std::unique_ptr<int>> ch(sim, 1);
    int got = 0;
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        env.spawn([&] { ch.send(std::make_unique<int>(5)); });
        std::unique_ptr<int> v;
        ch.receive(v);
        got = *v;
    });
    sim.run_until(at_ms(1));
    EXPECT_EQ(got, 5);
}

}  // namespace
}  // namespace stormlog::sim
