// Trace kinds carry their names, and a trace sink sees the run without changing it.

#include "sim/trace.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/network.hpp"
#include "tests/sim/world.hpp"

namespace stormlog::sim {
namespace {

using testing::at_ms;
using testing::ms;

const uint64_t k_test_tick = trace_kind_named("test.tick");

TEST(TraceKind, NamedKindHashesLikeTraceKindAndKeepsItsName) {
    EXPECT_EQ(k_test_tick, trace_kind("test.tick"));
    EXPECT_EQ(trace_kind_name(k_test_tick), "test.tick");
    EXPECT_EQ(trace_kind_name(kind::fiber_run), "fiber.run");
    EXPECT_EQ(trace_kind_name(kind::failure), "failure");
}

TEST(TraceKind, NamingAKindTwiceIsHarmless) {
    EXPECT_EQ(trace_kind_named("test.tick"), k_test_tick);
    EXPECT_EQ(trace_kind_name(k_test_tick), "test.tick");
}

TEST(TraceKind, AHashNobodyNamedHasNoName) {
    EXPECT_EQ(trace_kind_name(trace_kind("test.never-named")), "");
}

struct Seen {
    TraceRecord record;
    std::string detail;
};

class CollectingSink final : public TraceSink {
  public:
    std::vector<std::string> nodes;
    std::vector<Seen> seen;
    void on_node(uint32_t id, std::string_view name) override {
        EXPECT_EQ(id, nodes.size());  // told in id order, once each
        nodes.emplace_back(name);
    }
    void on_record(const TraceRecord& r, std::string_view detail) override {
        seen.push_back(Seen{r, std::string(detail)});
    }
};

struct Outcome {
    uint64_t hash = 0;
    std::vector<TraceRecord> kept;
    int described = 0;  // how often a readable payload was computed
};

// A small world with processes, a crash, a restart, the network and payloads to describe.
Outcome run_world(TraceSink* sink) {
    SimulationOptions o = testing::options(7, true);
    o.keep_trace = true;
    o.trace_sink = sink;
    Simulation sim(o);
    Outcome out;
    Node& node_a = sim.add_node("a");
    Node& node_b = sim.add_node("b");
    Network net(sim, LinkSettings{});  // after the nodes: one endpoint each
    Process& a = sim.add_process(node_a, "ticker", [&](Env& env) {
        for (uint64_t i = 0;; ++i) {
            env.sleep(ms(1 + static_cast<int64_t>(env.rng().below(5))));
            env.record(k_test_tick, i, [&] {
                ++out.described;
                return "tick " + std::to_string(i);
            });
            net.send(0, 1, Bytes{1, 2, 3});
        }
    });
    Process& b = sim.add_process(node_b, "receiver", [&](Env& env) {
        Packet p;
        while (net.receive(1, p, Time::max()) == ChannelStatus::ok) env.record(k_test_tick, p.id);
    });
    sim.start(a);
    sim.start(b);
    sim.schedule_at(at_ms(40), [&] { sim.crash(a); });
    sim.schedule_at(at_ms(60), [&] { sim.restart(a); });
    sim.run_until(at_ms(100));
    sim.shutdown();  // unwinding records too: the fibers' exits
    out.hash = sim.trace().hash();
    out.kept = sim.trace().kept();
    return out;
}

TEST(TraceSink, RunIsTheSameRunWithAndWithoutASink) {
    CollectingSink sink;
    const Outcome plain = run_world(nullptr);
    const Outcome watched = run_world(&sink);
    EXPECT_EQ(watched.hash, plain.hash);
    ASSERT_EQ(watched.kept.size(), plain.kept.size());
    EXPECT_GT(plain.kept.size(), 50u);
}

TEST(TraceSink, SeesEveryRecordInOrderAndTheNodesByName) {
    CollectingSink sink;
    const Outcome watched = run_world(&sink);
    EXPECT_EQ(sink.nodes, (std::vector<std::string>{"a", "b"}));
    ASSERT_EQ(sink.seen.size(), watched.kept.size());
    for (size_t i = 0; i < sink.seen.size(); ++i) {
        const TraceRecord& s = sink.seen[i].record;
        const TraceRecord& k = watched.kept[i];
        ASSERT_TRUE(s.at == k.at && s.node == k.node && s.kind == k.kind && s.digest == k.digest)
            << "record " << i;
    }
}

TEST(TraceSink, ReadablePayloadsAreComputedOnlyForASink) {
    CollectingSink sink;
    const Outcome plain = run_world(nullptr);
    const Outcome watched = run_world(&sink);
    EXPECT_EQ(plain.described, 0);
    EXPECT_GT(watched.described, 0);
    bool tick = false, crash = false, packet = false;
    for (const Seen& s : sink.seen) {
        tick |= s.record.kind == k_test_tick && s.detail.starts_with("tick ");
        crash |= s.record.kind == kind::process_crash && s.detail == "ticker incarnation 1";
        packet |= s.record.kind == trace_kind("net.send") && s.detail.starts_with("a->b packet ");
    }
    EXPECT_TRUE(tick);
    EXPECT_TRUE(crash);
    EXPECT_TRUE(packet);
}

}  // namespace
}  // namespace stormlog::sim
