#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "tests/sim/world.hpp"

namespace stormlog::sim {
namespace {

TEST(Log, EveryLinePrintsSimulatedTimeAndTheNode) {
    std::ostringstream out;
    SimulationOptions o = testing::options();
    o.log_sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
    o.log_level = 1;  // debug
    Simulation sim(o);
    testing::start_process(sim, "n7", "p", [&](Env& env) {
        env.sleep(Duration::millis(1500) + Duration::nanos(3));
        env.log().info("hello {}", 42);
        env.log().trace("not shown");
    });
    sim.run_until(Time::zero() + Duration::seconds(2));
    EXPECT_EQ(out.str(), "[1.500000003s] [n7] info: hello 42\n");
}

TEST(Log, OffByDefault) {
    std::ostringstream out;
    SimulationOptions o = testing::options();
    o.log_sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
    Simulation sim(o);
    testing::start_process(sim, "n1", "p", [&](Env& env) { env.log().error("quiet"); });
    sim.run_until(Time::zero() + Duration::seconds(1));
    EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace stormlog::sim
