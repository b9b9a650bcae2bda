#include "sim/network.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>

#include "tests/sim/world.hpp"

namespace stormlog::sim {
namespace {

using testing::at_ms;
using testing::ms;

Bytes bytes(const std::string& s) {
    return Bytes(s.begin(), s.end());
}
std::string text(const Bytes& b) {
    return std::string(b.begin(), b.end());
}

LinkSettings fixed_latency(Duration d) {
    LinkSettings s;
    s.latency_min = s.latency_max = d;
    return s;
}

// A cluster of `n` nodes, each with a process that collects what arrives into `received`.
struct Cluster {
    explicit Cluster(int n, LinkSettings links = fixed_latency(ms(2)), uint64_t seed = 1)
        : sim(testing::options(seed)) {
        for (int i = 0; i < n; ++i) sim.add_node("n" + std::to_string(i));
        net = std::make_unique<Network>(sim, links);
        received.resize(n);
        for (int i = 0; i < n; ++i) {
            Process& p = sim.add_process(*sim.nodes()[i], "rx", [this, i](Env& env) {
                for (;;) {
                    Packet pkt;
                    if (net->receive(static_cast<NodeId>(i), pkt) != ChannelStatus::ok) return;
                    received[i].push_back({env.kernel().now(), std::move(pkt)});
                }
            });
            sim.start(p);
        }
    }
    ~Cluster() { sim.shutdown(); }  // fibers unwind while the network they read from exists
    struct Arrival {
        Time at;
        Packet packet;
    };
    Simulation sim;
    std::unique_ptr<Network> net;
    std::vector<std::vector<Arrival>> received;
};

TEST(Crc32c, KnownVector) {
    EXPECT_EQ(crc32c(bytes("123456789")), 0xE3069283u);
}

// The hardware path (8 bytes per step, then a byte tail) agrees with the table at every length
// and alignment.
TEST(Crc32c, AgreesWithThePortableTableAtEveryLengthAndOffset) {
    std::vector<uint8_t> data(300);
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 131 + 7);
    for (size_t offset = 0; offset < 8; ++offset) {
        for (size_t n = 0; offset + n <= data.size(); n += 1 + n / 16) {
            const std::span<const uint8_t> s(data.data() + offset, n);
            ASSERT_EQ(crc32c(s), crc32c_portable(s)) << "offset " << offset << " length " << n;
        }
    }
}

TEST(Network, DeliversAfterTheLinkLatencyWithAChecksum) {
    Cluster c(2);
    c.net->send(0, 1, bytes("hello"));
    c.sim.run_until(at_ms(10));
    ASSERT_EQ(c.received[1].size(), 1u);
    EXPECT_EQ(c.received[1][0].at, at_ms(2));
    EXPECT_EQ(text(c.received[1][0].packet.payload), "hello");
    EXPECT_EQ(c.received[1][0].packet.from, 0u);
    EXPECT_TRUE(c.received[1][0].packet.intact());
    EXPECT_EQ(c.net->stats().delivered, 1u);
}

TEST(Network, LatencyJitterReordersPackets) {
    LinkSettings s;
    s.latency_min = ms(1);
    s.latency_max = ms(20);
    Cluster c(2, s);
    for (int i = 0; i < 50; ++i) c.net->send(0, 1, bytes(std::to_string(i)));
    c.sim.run_until(at_ms(100));
    ASSERT_EQ(c.received[1].size(), 50u);
    bool reordered = false;
    for (size_t i = 1; i < 50; ++i)
        reordered |= c.received[1][i].packet.id < c.received[1][i - 1].packet.id;
    EXPECT_TRUE(reordered);
    for (const auto& a : c.received[1]) {
        EXPECT_GE(a.at, at_ms(1));
        EXPECT_LE(a.at, at_ms(20));
    }
}

TEST(Network, LossDropsPackets) {
    LinkSettings s = fixed_latency(ms(1));
    s.loss = 0.3;
    Cluster c(2, s);
    for (int i = 0; i < 1000; ++i) c.net->send(0, 1, bytes("x"));
    c.sim.run_until(at_ms(10));
    EXPECT_NEAR(static_cast<double>(c.received[1].size()), 700.0, 60.0);
    EXPECT_EQ(c.net->stats().dropped_loss + c.received[1].size(), 1000u);
}

TEST(Network, DuplicationDeliversTheSamePacketTwice) {
    LinkSettings s = fixed_latency(ms(1));
    s.duplicate = 1.0;
    Cluster c(2, s);
    const uint64_t id = c.net->send(0, 1, bytes("twice"));
    c.sim.run_until(at_ms(10));
    ASSERT_EQ(c.received[1].size(), 2u);
    EXPECT_EQ(c.received[1][0].packet.id, id);
    EXPECT_EQ(c.received[1][1].packet.id, id);
}

TEST(Network, CorruptionIsDeliveredAndCaughtByTheChecksum) {
    LinkSettings s = fixed_latency(ms(1));
    s.corrupt = 1.0;
    Cluster c(2, s);
    c.net->send(0, 1, bytes("payload"));
    c.sim.run_until(at_ms(10));
    ASSERT_EQ(c.received[1].size(), 1u);
    EXPECT_NE(text(c.received[1][0].packet.payload), "payload");
    EXPECT_FALSE(c.received[1][0].packet.intact());
}

TEST(Network, AOneWayPartitionBlocksOneDirectionOnly) {
    Cluster c(2);
    c.net->block(0, 1);
    c.net->send(0, 1, bytes("blocked"));
    c.net->send(1, 0, bytes("passes"));
    c.sim.run_until(at_ms(10));
    EXPECT_TRUE(c.received[1].empty());
    ASSERT_EQ(c.received[0].size(), 1u);
    c.net->unblock(0, 1);  // healing lets new traffic through
    c.net->send(0, 1, bytes("after"));
    c.sim.run_until(at_ms(20));
    ASSERT_EQ(c.received[1].size(), 1u);
    EXPECT_EQ(text(c.received[1][0].packet.payload), "after");
}

TEST(Network, APartitionDropsPacketsAlreadyInFlight) {
    Cluster c(3);
    c.net->send(0, 2, bytes("in flight"));
    c.sim.run_until(at_ms(1));
    c.net->partition({{0, 1}, {2}});
    c.net->send(0, 1, bytes("same side"));
    c.sim.run_until(at_ms(10));
    EXPECT_TRUE(c.received[2].empty());
    EXPECT_EQ(c.received[1].size(), 1u);
    EXPECT_EQ(c.net->stats().dropped_partition, 1u);
    c.net->heal_partitions();
    EXPECT_TRUE(c.net->connected(0, 2));
}

TEST(Network, IsolateCutsANodeOffBothWays) {
    Cluster c(3);
    c.net->isolate(1);
    EXPECT_FALSE(c.net->connected(0, 1));
    EXPECT_FALSE(c.net->connected(1, 2));
    EXPECT_TRUE(c.net->connected(0, 2));
}

TEST(Network, AClogHoldsTrafficThenReleasesItInOrder) {
    Cluster c(2);
    c.net->clog(0, 1, at_ms(50));
    for (int i = 0; i < 5; ++i) {
        c.sim.schedule_at(at_ms(i), [&c, i] { c.net->send(0, 1, bytes(std::to_string(i))); });
    }
    c.sim.run_until(at_ms(49));
    EXPECT_TRUE(c.received[1].empty());
    EXPECT_EQ(c.net->stats().held_by_clog, 5u);
    c.sim.run_until(at_ms(60));
    ASSERT_EQ(c.received[1].size(), 5u);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(text(c.received[1][i].packet.payload), std::to_string(i));
        EXPECT_EQ(c.received[1][i].at, at_ms(50));
    }
    c.net->send(0, 1, bytes("unclogged"));  // after the clog, normal latency again
    c.sim.run_until(at_ms(70));
    EXPECT_EQ(c.received[1].back().at, at_ms(62));
}

TEST(Network, PacketsToACrashedNodeAreLostAndItsBuffersEmptied) {
    Cluster c(2);
    c.sim.pause(*c.sim.nodes()[1]);
    c.net->send(0, 1, bytes("buffered"));
    c.sim.run_until(at_ms(3));
    c.net->send(0, 1, bytes("buffered too"));
    c.sim.run_until(at_ms(6));
    // The first packet went straight to the (paused) receiver, the second waits in the inbox.
    c.sim.crash(*c.sim.nodes()[1]);  // power loss: both die with the node
    c.net->send(0, 1, bytes("to a dead node"));
    c.sim.run_until(at_ms(10));
    EXPECT_EQ(c.net->stats().dropped_node_down,
              2u);  // the inbox's one, and the one sent to it down
    EXPECT_TRUE(c.received[1].empty());
    c.sim.restart(*c.sim.nodes()[1]);
    c.net->send(0, 1, bytes("back"));
    c.sim.run_until(at_ms(20));
    ASSERT_EQ(c.received[1].size(), 1u);
    EXPECT_EQ(text(c.received[1][0].packet.payload), "back");
}

TEST(Network, PacketsToAPausedNodeWaitForItToResume) {
    Cluster c(2);
    c.sim.pause(*c.sim.nodes()[1]);
    c.net->send(0, 1, bytes("held"));
    c.sim.run_until(at_ms(30));
    EXPECT_TRUE(c.received[1].empty());
    c.sim.resume(*c.sim.nodes()[1]);
    c.sim.run_until(at_ms(31));
    ASSERT_EQ(c.received[1].size(), 1u);
    EXPECT_EQ(c.received[1][0].at, at_ms(30));
}

TEST(Network, SameSeedSameDeliveries) {
    auto run = [](uint64_t seed) {
        LinkSettings s;
        s.loss = 0.2;
        s.duplicate = 0.1;
        s.latency_max = ms(30);
        Cluster c(3, s, seed);
        for (int i = 0; i < 100; ++i)
            c.net->send(static_cast<NodeId>(i % 3), static_cast<NodeId>((i + 1) % 3), bytes("m"));
        c.sim.run_until(at_ms(100));
        return c.sim.trace().hash();
    };
    EXPECT_EQ(run(5), run(5));
    EXPECT_NE(run(5), run(6));
}

// Property: whatever the schedule of partitions, nothing is delivered across an active one. The
// trace gives the exact order of connectivity changes and deliveries.
RC_GTEST_PROP(NetworkProperty, NeverDeliversAcrossAnActivePartition, ()) {
    const auto toggles = *rc::gen::container<std::vector<std::tuple<int, int, int, bool>>>(
        rc::gen::tuple(rc::gen::inRange(0, 100), rc::gen::inRange(0, 3), rc::gen::inRange(0, 3),
                       rc::gen::arbitrary<bool>()));
    const auto sends = *rc::gen::container<std::vector<std::tuple<int, int, int>>>(
        rc::gen::tuple(rc::gen::inRange(0, 100), rc::gen::inRange(0, 3), rc::gen::inRange(0, 3)));
    SimulationOptions o = testing::options(*rc::gen::arbitrary<uint64_t>());
    o.keep_trace = true;
    Simulation sim(o);
    for (int i = 0; i < 3; ++i) sim.add_node("n" + std::to_string(i));
    LinkSettings s;
    s.latency_min = Duration::micros(100);
    s.latency_max = ms(20);
    Network net(sim, s);
    const uint64_t k_toggle = trace_kind("test.toggle");
    std::vector<std::tuple<NodeId, NodeId, bool>> toggle_log;  // indexed by trace digest
    for (auto [at, a, b, blocked] : toggles) {
        sim.schedule_at(at_ms(at), [&, a = NodeId(a), b = NodeId(b), blocked = blocked] {
            blocked ? net.block(a, b) : net.unblock(a, b);
            toggle_log.emplace_back(a, b, blocked);
            sim.record(k_no_node, k_toggle, toggle_log.size() - 1);
        });
    }
    std::map<uint64_t, std::pair<NodeId, NodeId>> links_of;  // packet digest -> link
    for (auto [at, a, b] : sends) {
        sim.schedule_at(at_ms(at) + Duration::nanos(1), [&, a = NodeId(a), b = NodeId(b)] {
            Packet p;
            p.from = a;
            p.to = b;
            p.payload = bytes("p");
            p.checksum = crc32c(p.payload);
            p.id = net.send(a, b, p.payload);
            links_of[packet_digest(p)] = {a, b};
        });
    }
    sim.run_until(at_ms(200));
    bool blocked[3][3] = {};
    for (const TraceRecord& r : sim.trace().kept()) {
        if (r.kind == k_toggle) {
            auto [a, b, on] = toggle_log[r.digest];
            blocked[a][b] = on;
        } else if (r.kind == trace_kind("net.deliver")) {
            auto [a, b] = links_of.at(r.digest);
            RC_ASSERT(!blocked[a][b]);
        }
    }
}

}  // namespace
}  // namespace stormlog::sim
