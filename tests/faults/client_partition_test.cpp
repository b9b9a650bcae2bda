// Partitions that put client nodes on a side (`clients` 1): where each client lands, that the
// cluster's own draws do not move, that heals bring the clients back, and that the nemesis draws
// the option only when asked.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "tests/faults/world.hpp"

namespace stormlog::faults {
namespace {

using sim::NodeId;
using testing::at_ms;
using testing::fault;
using testing::TestWorld;

constexpr size_t k_cluster = 5;
constexpr size_t k_clients = 6;

// A world of k_cluster nodes and k_clients clients after them.
struct ClientWorld : TestWorld {
    explicit ClientWorld(uint64_t seed = 1)
        : TestWorld(static_cast<int>(k_cluster + k_clients), seed) {
        cluster = k_cluster;
    }
    bool both_ways(NodeId a, NodeId b) const {
        return network->connected(a, b) && network->connected(b, a);
    }
    bool cut_both_ways(NodeId a, NodeId b) const {
        return !network->connected(a, b) && !network->connected(b, a);
    }
    // The cluster nodes client c reaches both ways; every other one must be cut off both ways.
    std::set<NodeId> reach(NodeId c) const {
        std::set<NodeId> r;
        for (NodeId n = 0; n < k_cluster; ++n) {
            if (both_ways(c, n)) {
                r.insert(n);
            } else {
                EXPECT_TRUE(cut_both_ways(c, n)) << "client " << c << " half-linked to " << n;
            }
        }
        return r;
    }
    bool every_link_up() const {
        for (NodeId a = 0; a < k_cluster + k_clients; ++a) {
            for (NodeId b = 0; b < k_cluster + k_clients; ++b) {
                if (a != b && !network->connected(a, b)) return false;
            }
        }
        return true;
    }
    // The cluster's links, as a bit per directed pair (what the cluster's draws decided).
    std::vector<bool> cluster_links() const {
        std::vector<bool> v;
        for (NodeId a = 0; a < k_cluster; ++a) {
            for (NodeId b = 0; b < k_cluster; ++b) v.push_back(network->connected(a, b));
        }
        return v;
    }
};

FaultSpec with_clients(FaultSpec f, int clients) {
    f.params["clients"] = clients;
    return f;
}

TEST(ClientPartitions, EveryPartitionKindTakesTheClientsOptionDefaultingToUntouched) {
    for (const char* kind : {"partition-halves", "partition-minority", "isolate",
                             "partition-bridge", "partition-ring", "partition-one-way"}) {
        const FaultKindInfo* k = find_kind(kind);
        ASSERT_NE(k, nullptr) << kind;
        const ParamInfo* p = find_param(*k, "clients");
        ASSERT_NE(p, nullptr) << kind;
        EXPECT_EQ(p->default_value, 0) << kind;
        EXPECT_EQ(p->type, ParamType::integer) << kind;
    }
}

TEST(ClientPartitions, ByDefaultAPartitionLeavesTheClientsLinksAlone) {
    ClientWorld w;
    w.make_injector({fault("partition-halves", 10, 50, TargetKind::random)});
    w.sim.run_until(at_ms(20));
    for (NodeId c = k_cluster; c < k_cluster + k_clients; ++c)
        EXPECT_EQ(w.reach(c).size(), k_cluster) << "client " << c;
}

TEST(ClientPartitions, IsolateWithClientsPutsEachWithTheIsolatedNodeOrWithTheRest) {
    size_t with_isolated = 0, with_rest = 0;
    for (uint64_t seed = 1; seed <= 10; ++seed) {
        ClientWorld w(seed);
        w.make_injector({with_clients(fault("isolate", 10, 50, TargetKind::node, 2), 1)});
        w.sim.run_until(at_ms(20));
        for (NodeId c = k_cluster; c < k_cluster + k_clients; ++c) {
            const std::set<NodeId> r = w.reach(c);
            if (r == std::set<NodeId>{2}) {
                ++with_isolated;  // a client placed with the isolated node reaches only it
            } else {
                EXPECT_EQ(r, (std::set<NodeId>{0, 1, 3, 4})) << "seed " << seed;
                ++with_rest;
            }
        }
        // Clients never lose each other: only links to the cluster are cut.
        EXPECT_TRUE(w.both_ways(k_cluster, k_cluster + 1));
        w.sim.run_until(at_ms(70));
        EXPECT_TRUE(w.every_link_up()) << "seed " << seed << ": the heal restores client links";
    }
    EXPECT_GT(with_isolated, 0u);
    EXPECT_GT(with_rest, 0u);
}

TEST(ClientPartitions, HalvesMinorityAndBridgePutEachClientOnOneSide) {
    for (const char* kind : {"partition-halves", "partition-minority", "partition-bridge"}) {
        for (uint64_t seed = 1; seed <= 5; ++seed) {
            ClientWorld w(seed);
            w.make_injector({with_clients(fault(kind, 10, 50, TargetKind::random), 1)});
            w.sim.run_until(at_ms(20));
            for (NodeId c = k_cluster; c < k_cluster + k_clients; ++c) {
                const std::set<NodeId> r = w.reach(c);
                ASSERT_FALSE(r.empty()) << kind << " seed " << seed;
                EXPECT_LT(r.size(), k_cluster) << kind << ": the client is cut from a side";
                // Its side is whole: what it reaches reaches each other, and every node it
                // cannot reach is cut off from some node it can (the other side).
                for (NodeId a : r) {
                    for (NodeId b : r) {
                        if (a != b) {
                            EXPECT_TRUE(w.both_ways(a, b)) << kind << " seed " << seed;
                        }
                    }
                }
                for (NodeId n = 0; n < k_cluster; ++n) {
                    if (r.count(n)) continue;
                    bool cut_from_side = false;
                    for (NodeId a : r) cut_from_side = cut_from_side || w.cut_both_ways(a, n);
                    EXPECT_TRUE(cut_from_side) << kind << " seed " << seed << " node " << n;
                }
            }
            w.sim.run_until(at_ms(70));
            EXPECT_TRUE(w.every_link_up()) << kind << " seed " << seed;
        }
    }
}

TEST(ClientPartitions, InARingAClientReachesTwoNeighbours) {
    ClientWorld w;
    w.make_injector({with_clients(fault("partition-ring", 10, 50, TargetKind::random), 1)});
    w.sim.run_until(at_ms(20));
    for (NodeId c = k_cluster; c < k_cluster + k_clients; ++c) {
        const std::set<NodeId> r = w.reach(c);
        ASSERT_EQ(r.size(), 2u);
        EXPECT_TRUE(w.both_ways(*r.begin(), *r.rbegin())) << "ring neighbours";
    }
}

TEST(ClientPartitions, OneWayClientsWithTheTargetsCannotSendToTheRest) {
    size_t with_targets = 0, with_rest = 0;
    for (uint64_t seed = 1; seed <= 8; ++seed) {
        ClientWorld w(seed);
        w.make_injector({with_clients(fault("partition-one-way", 10, 50, TargetKind::node, 1), 1)});
        w.sim.run_until(at_ms(20));
        for (NodeId c = k_cluster; c < k_cluster + k_clients; ++c) {
            EXPECT_TRUE(w.both_ways(c, 1) != w.both_ways(c, 0)) << "one side or the other";
            if (w.network->connected(c, 1) && w.network->connected(1, c) &&
                !w.network->connected(c, 0)) {
                ++with_targets;  // like the target: heard by no one else, hears them all
                EXPECT_TRUE(w.network->connected(0, c));
            } else {
                ++with_rest;  // like the rest: deaf to the target, heard by it
                EXPECT_TRUE(w.network->connected(c, 1));
                EXPECT_FALSE(w.network->connected(1, c));
                EXPECT_TRUE(w.both_ways(c, 0));
            }
        }
    }
    EXPECT_GT(with_targets, 0u);
    EXPECT_GT(with_rest, 0u);
}

TEST(ClientPartitions, PlacingClientsDrawsOnItsOwnStream) {
    // The cluster's split is the same whether or not the clients are placed: existing draws stay.
    for (const char* kind : {"partition-halves", "partition-bridge", "partition-ring"}) {
        for (uint64_t seed = 1; seed <= 5; ++seed) {
            ClientWorld plain(seed), placed(seed);
            plain.make_injector({fault(kind, 10, 50, TargetKind::random),
                                 fault("crash", 30, 10, TargetKind::random)});
            placed.make_injector({with_clients(fault(kind, 10, 50, TargetKind::random), 1),
                                  fault("crash", 30, 10, TargetKind::random)});
            plain.sim.run_until(at_ms(35));
            placed.sim.run_until(at_ms(35));
            EXPECT_EQ(plain.cluster_links(), placed.cluster_links()) << kind << " seed " << seed;
            EXPECT_EQ(plain.injector->applied()[1].targets, placed.injector->applied()[1].targets);
        }
    }
}

TEST(ClientPartitions, ClientCutsDoNotCountAgainstTheBudget) {
    ClientWorld w;
    w.make_injector({with_clients(fault("isolate", 10, 50, TargetKind::node, 0), 1),
                     fault("crash", 20, 50, TargetKind::node, 1)},
                    Budget::within, NemesisSpec{}, at_ms(1000));
    w.sim.run_until(at_ms(30));
    EXPECT_EQ(w.injector->stats().applied, 2u);
    EXPECT_EQ(w.injector->stats().skipped_budget, 0u);
    const std::vector<bool> faulty = w.injector->faulty_nodes();
    EXPECT_EQ(std::count(faulty.begin(), faulty.end(), true), 2);
}

TEST(ClientPartitions, CountedCutsOverlapWithoutHealingEachOther) {
    // A workload's own cut of a client link (the ledger's store outage) and a partition that
    // cuts it too: the link comes back when the last of them ends, whichever order.
    ClientWorld w;
    Injector& inj =
        w.make_injector({with_clients(fault("isolate", 10, 50, TargetKind::node, 0), 1)});
    inj.block_link(k_cluster, 0, +1);
    inj.block_link(k_cluster, 1, +1);
    w.sim.run_until(at_ms(70));  // the isolate healed
    EXPECT_FALSE(w.network->connected(k_cluster, 0));
    EXPECT_FALSE(w.network->connected(k_cluster, 1));
    inj.block_link(k_cluster, 0, -1);
    inj.block_link(k_cluster, 1, -1);
    EXPECT_TRUE(w.every_link_up());
}

NemesisSpec partition_nemesis(double client_partitions) {
    NemesisSpec n;
    n.enabled = true;
    n.window_start = sim::Duration::millis(0);
    n.window_end = sim::Duration::seconds(20);
    n.mean_interval = sim::Duration::millis(300);
    n.fault_min = sim::Duration::millis(50);
    n.fault_max = sim::Duration::millis(200);
    n.kinds = {{"isolate", 1}, {"partition-halves", 1}, {"crash", 1}};
    n.client_partitions = client_partitions;
    return n;
}

TEST(ClientPartitions, TheNemesisPlacesClientsOnlyWhenAskedAndDrawsTheSameFaults) {
    ClientWorld never(7), always(7);
    never.make_injector({}, Budget::beyond, partition_nemesis(0));
    always.make_injector({}, Budget::beyond, partition_nemesis(1));
    bool placed = false;
    for (int ms = 10; ms < 20000; ms += 10) {
        never.sim.run_until(at_ms(ms));
        always.sim.run_until(at_ms(ms));
        for (NodeId c = k_cluster; c < k_cluster + k_clients; ++c)
            ASSERT_EQ(never.reach(c).size(), k_cluster) << "at " << ms << "ms";
        ASSERT_EQ(never.cluster_links(), always.cluster_links()) << "at " << ms << "ms";
        for (NodeId c = k_cluster; c < k_cluster + k_clients; ++c)
            placed = placed || always.reach(c).size() < k_cluster;
    }
    EXPECT_TRUE(placed);
    const auto& a = never.injector->applied();
    const auto& b = always.injector->applied();
    ASSERT_EQ(a.size(), b.size());
    ASSERT_GT(a.size(), 10u);
    for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].kind, b[i].kind);
        EXPECT_EQ(a[i].targets, b[i].targets);
        EXPECT_EQ(a[i].at, b[i].at);
    }
}

}  // namespace
}  // namespace stormlog::faults
