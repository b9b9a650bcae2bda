#include "bench/kernel_bench.hpp"

#include <algorithm>
#include <boost/fiber/all.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

#include "sim/channel.hpp"
#include "sim/env.hpp"
#include "sim/simulation.hpp"

namespace stormlog::bench {
namespace {

using sim::Duration;
using sim::Time;
using wall_clock = std::chrono::steady_clock;

constexpr int k_sleepers = 16;
constexpr int k_repetitions = 3;
constexpr uint64_t k_events = 2'000'000;

double per_second(uint64_t events, wall_clock::time_point start) {
    const double seconds = std::chrono::duration<double>(wall_clock::now() - start).count();
    return static_cast<double>(events) / std::max(seconds, 1e-9);
}

sim::SimulationOptions quiet_fifo() {
    sim::SimulationOptions o;
    o.seed = 1;
    return o;
}

// Re-arms itself until `left` runs out: one heap push and pop per event, no fiber involved.
struct Rearm {
    sim::Simulation* sim;
    uint64_t* left;
    void operator()() const {
        if (--*left > 0) sim->schedule_after(Duration::micros(1), Rearm{sim, left});
    }
};

}  // namespace

double timer_events_per_s(uint64_t events) {
    sim::Simulation sim(quiet_fifo());
    uint64_t left = events;
    sim.schedule_after(Duration::micros(1), Rearm{&sim, &left});
    const auto start = wall_clock::now();
    sim.run_until(Time::max());
    return per_second(sim.events(), start);
}

double sleep_wake_events_per_s(uint64_t events) {
    sim::Simulation sim(quiet_fifo());
    sim::Node& node = sim.add_node("n1");
    const uint64_t per_fiber = events / k_sleepers;
    sim::Process& p = sim.add_process(node, "sleepers", [per_fiber](sim::Env& env) {
        for (int i = 0; i < k_sleepers; ++i) {
            // Different periods keep the wake-ups interleaved: every event switches fibers.
            env.spawn([env, per_fiber, i] {
                for (uint64_t n = 0; n < per_fiber; ++n) env.sleep(Duration::micros(10 + i));
            });
        }
    });
    sim.start(p);
    const auto start = wall_clock::now();
    sim.run_until(Time::max());
    return per_second(sim.events(), start);
}

double channel_events_per_s(uint64_t events) {
    sim::Simulation sim(quiet_fifo());
    sim::Node& node = sim.add_node("n1");
    sim::Channel<uint64_t> ch(sim, 1);
    uint64_t received = 0;
    sim::Process& p = sim.add_process(node, "pipe", [&](sim::Env& env) {
        env.spawn([&] {
            for (uint64_t n = 0; n < events; ++n) ch.send(n);
        });
        env.spawn([&] {
            uint64_t v = 0;
            while (received < events && ch.receive(v) == sim::ChannelStatus::ok) ++received;
        });
    });
    sim.start(p);
    const auto start = wall_clock::now();
    sim.run_until(Time::max());
    return per_second(received, start);
}

double handoff_limit_events_per_s(uint64_t events) {
    double rate = 0;
    // A thread of its own, with Boost.Fiber's default round_robin scheduler.
    std::thread worker([&] {
        boost::fibers::mutex m;
        boost::fibers::condition_variable cv;
        uint64_t turn = 0;  // even: ping's turn, odd: pong's
        auto player = [&](uint64_t parity) {
            std::unique_lock<boost::fibers::mutex> lock(m);
            while (turn < events) {
                cv.wait(lock, [&] { return turn % 2 == parity || turn >= events; });
                if (turn >= events) break;
                ++turn;
                cv.notify_one();
            }
            cv.notify_one();
        };
        const auto start = wall_clock::now();
        boost::fibers::fiber ping(player, 0), pong(player, 1);
        ping.join();
        pong.join();
        rate = per_second(turn, start);
    });
    worker.join();
    return rate;
}

int run_kernel_bench(std::ostream& out) {
    auto best = [](double (*fn)(uint64_t)) {
        double r = 0;
        for (int i = 0; i < k_repetitions; ++i) r = std::max(r, fn(k_events));
        return r;
    };
    const double limit = best(handoff_limit_events_per_s);
    struct Figure {
        const char* name;
        double (*fn)(uint64_t);
    };
    const Figure figures[] = {{"kernel.timer", timer_events_per_s},
                              {"kernel.sleep_wake", sleep_wake_events_per_s},
                              {"kernel.channel", channel_events_per_s}};
    char line[256];
    for (const Figure& f : figures) {
        const double rate = best(f.fn);
        std::snprintf(line, sizeof line,
                      "BENCH %s events_per_s=%.0f limit_events_per_s=%.0f ratio=%.2f\n", f.name,
                      rate, limit, rate / limit);
        out << line << std::flush;
    }
    return 0;
}

}  // namespace stormlog::bench
