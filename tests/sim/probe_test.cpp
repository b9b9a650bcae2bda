// Sometimes-probes: counted in the simulation running on this thread, in fibers and in timer
// callbacks; ignored outside a simulation; never part of a run's trace hash.

#include "sim/probe.hpp"

#include <gtest/gtest.h>

#include "sim/env.hpp"
#include "sim/simulation.hpp"
#include "tests/sim/world.hpp"

namespace stormlog::sim {
namespace {

using testing::at_ms;
using testing::ms;

constexpr Probe k_woke{"test.woke", "a fiber woke from its sleep"};
constexpr Probe k_rare{"test.rare", "never reached"};

uint64_t run_with_probes(bool probes, ProbeHits* hits = nullptr) {
    Simulation sim(testing::options());
    testing::start_process(sim, "n1", "p", [&](Env& env) {
        for (int i = 0; i < 3; ++i) {
            env.sleep(ms(5));
            if (probes) SL_PROBE(k_woke);
        }
    });
    sim.run_until(at_ms(100));
    if (hits != nullptr) *hits = sim.probe_hits();
    return sim.trace().hash();
}

TEST(Probe, HitsAreCountedPerProbeAndListedByName) {
    ProbeHits hits;
    run_with_probes(true, &hits);
    EXPECT_EQ(hits.count("test.woke"), 3u);
    EXPECT_EQ(hits.count("test.rare"), 0u);
    const auto sorted = hits.sorted();
    ASSERT_EQ(sorted.size(), 1u) << "a probe never hit is not listed";
    EXPECT_EQ(sorted[0].first, "test.woke");
    EXPECT_EQ(sorted[0].second, 3u);
}

TEST(Probe, CountingLeavesTheTraceHashAlone) {
    EXPECT_EQ(run_with_probes(true), run_with_probes(false));
}

TEST(Probe, OutsideASimulationAHitIsIgnored) {
    SL_PROBE(k_rare);  // a unit test driving a component: no simulation, nothing to count in
    ProbeHits hits;
    run_with_probes(true, &hits);
    EXPECT_EQ(hits.count("test.rare"), 0u);
}

// Probes are static objects (ProbeHits keeps pointers to them), as in every probes.hpp.
constexpr Probe k_second{"b.second", ""};
constexpr Probe k_second_again{"b.second", ""};
constexpr Probe k_first{"a.first", ""};

TEST(Probe, SortedOrderIsByNameNotByFirstHit) {
    ProbeHits hits;
    hits.hit(k_second);
    hits.hit(k_woke);
    hits.hit(k_first);
    hits.hit(k_second_again);  // another object with the same name: the same probe
    const auto sorted = hits.sorted();
    ASSERT_EQ(sorted.size(), 3u);
    EXPECT_EQ(sorted[0], (std::pair<std::string, uint64_t>{"a.first", 1}));
    EXPECT_EQ(sorted[1], (std::pair<std::string, uint64_t>{"b.second", 2}));
    EXPECT_EQ(sorted[2], (std::pair<std::string, uint64_t>{"test.woke", 1}));
}

}  // namespace
}  // namespace stormlog::sim
