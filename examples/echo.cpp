// The kernel (sim/) as a library: a client and a server on two simulated nodes, a request channel
// with timeouts, a crash and a restart of the server, and the run's trace hash - the same for the
// same seed, on every machine. Build it with the project (build/examples/stormlog_example_echo), or
// link your own program against the stormlog_sim library the same way (see CMakeLists.txt here).
//
//   build/examples/stormlog_example_echo [SEED]

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "sim/channel.hpp"
#include "sim/env.hpp"
#include "sim/simulation.hpp"
#include "sim/trace.hpp"

namespace sim = stormlog::sim;

static const uint64_t k_trace_answer = sim::trace_kind_named("echo.answer");

int main(int argc, char** argv) {
    sim::SimulationOptions options;
    options.seed = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 42;
    options.fuzz_scheduling = true;  // ready fibers run in a seeded shuffled order
    sim::Simulation world(options);
    sim::Channel<int> inbox(world, 16);  // bounded, blocking, with timeouts
    int answered = 0, timeouts = 0;

    sim::Process& server = world.add_process(world.add_node("server"), "echo", [&](sim::Env& env) {
        for (;;) {
            int request = 0;
            if (inbox.receive_for(request, sim::Duration::millis(100)) == sim::ChannelStatus::ok) {
                env.sleep(sim::Duration::micros(50 + env.rng().below(100)));  // the work
                env.record(k_trace_answer, static_cast<uint64_t>(request));
                ++answered;
            } else {
                ++timeouts;
            }
        }
    });
    sim::Process& client = world.add_process(world.add_node("client"), "load", [&](sim::Env& env) {
        for (int i = 0;; ++i) {
            env.sleep(env.rng().exponential(sim::Duration::millis(5)));
            if (inbox.send_for(i, sim::Duration::millis(10)) != sim::ChannelStatus::ok) return;
        }
    });
    world.start(server);
    world.start(client);

    world.run_until(sim::Time::zero() + sim::Duration::seconds(2));
    world.crash(server);  // every fiber of the process unwinds at its next suspension point
    world.run_until(sim::Time::zero() + sim::Duration::seconds(3));
    world.restart(server);  // the entry runs again, as a new incarnation
    world.run_until(sim::Time::zero() + sim::Duration::seconds(5));

    std::printf("echo: seed=%llu answered=%d timeouts=%d events=%llu hash=%016llx\n",
                static_cast<unsigned long long>(world.seed()), answered, timeouts,
                static_cast<unsigned long long>(world.events()),
                static_cast<unsigned long long>(world.trace().hash()));
    world.shutdown();  // the fibers unwind while the channel they use still exists
    return 0;
}
