#pragma once
// The simulated network: datagrams between node endpoints, with a checksum each. Every link
// (ordered pair of nodes) has its own latency distribution, loss, duplication and corruption
// rates; reordering follows from latency jitter. Faults act on links: any connectivity matrix
// (partitions, one-way links), clogs that hold a link's traffic and then release it in order.
//
// Delivery rules, as a real network behaves:
// - a link that is blocked when the packet arrives drops it: nothing crosses an active partition;
// - a packet for a crashed node is lost, and a node's inbox is emptied when the node crashes;
// - a packet for a paused node waits in its inbox (bounded: overflow drops, counted);
// - a corrupted packet is delivered with its original checksum: receivers must verify it.
// Every decision draws from the network's own RNG stream, so runs replay bit for bit.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "sim/channel.hpp"
#include "sim/crc32c.hpp"
#include "sim/node.hpp"
#include "sim/rng.hpp"
#include "sim/simulation.hpp"
#include "sim/time.hpp"

namespace stormlog::sim {

using Bytes = std::vector<uint8_t>;

struct Packet;
// The digest a packet's trace records carry (net.send, net.deliver, net.drop, ...).
uint64_t packet_digest(const Packet& p);

struct Packet {
    NodeId from = 0;
    NodeId to = 0;
    uint64_t id = 0;        // unique per send; a duplicate carries the same id
    uint32_t checksum = 0;  // of the payload as sent
    Time sent_at;
    Bytes payload;

    bool intact() const { return crc32c(payload) == checksum; }
};

struct LinkSettings {
    Duration latency_min = Duration::micros(500);
    Duration latency_max = Duration::millis(5);
    // 1: uniform in [min, max]; larger values crowd latencies near min with a long tail to max.
    double latency_shape = 1.0;
    double loss = 0.0;       // probability a packet is dropped
    double duplicate = 0.0;  // probability a packet is delivered twice
    double corrupt = 0.0;    // probability one bit of the payload flips in flight
};

struct NetworkStats {
    uint64_t sent = 0, delivered = 0, duplicated = 0, corrupted = 0, held_by_clog = 0;
    uint64_t dropped_loss = 0, dropped_partition = 0, dropped_node_down = 0, dropped_inbox_full = 0;
};

class Network {
  public:
    static constexpr size_t k_inbox_capacity_default = 4096;

    // One endpoint per node of `sim` (add every node before creating the network).
    Network(Simulation& sim, LinkSettings defaults,
            size_t inbox_capacity = k_inbox_capacity_default);
    ~Network();
    Network(const Network&) = delete;
    Network& operator=(const Network&) = delete;

    // ---- For the system under test -------------------------------------------------------
    // Sends a datagram; never blocks. Returns the packet id.
    uint64_t send(NodeId from, NodeId to, Bytes payload);
    // Blocks the calling fiber until a packet for `node` arrives or `deadline` (true time).
    ChannelStatus receive(NodeId node, Packet& out, Time deadline = Time::max());
    ChannelStatus try_receive(NodeId node, Packet& out);

    // ---- Faults: connectivity ------------------------------------------------------------
    // Blocks traffic from -> to (one way). A packet arriving on a blocked link is dropped.
    void block(NodeId from, NodeId to);
    void unblock(NodeId from, NodeId to);
    // Splits the nodes into groups that cannot reach each other (both directions); nodes in no
    // group form one more group. Replaces the current connectivity.
    void partition(const std::vector<std::vector<NodeId>>& groups);
    void isolate(NodeId node);
    void heal_partitions();
    bool connected(NodeId from, NodeId to) const { return !link(from, to).blocked; }

    // ---- Faults: clogging ----------------------------------------------------------------
    // Holds every packet that arrives on from -> to until `until`, then releases them in order.
    void clog(NodeId from, NodeId to, Time until);
    // Clogs every link into and out of `node`.
    void clog_node(NodeId node, Time until);
    // Releases held packets now.
    void unclog_all();

    // ---- Faults: link quality ------------------------------------------------------------
    void set_link(NodeId from, NodeId to, const LinkSettings& settings);
    void set_all_links(const LinkSettings& settings);
    void reset_links();  // back to the defaults
    const LinkSettings& link_settings(NodeId from, NodeId to) const {
        return link(from, to).settings;
    }

    // ---- Node lifecycle (called by the kernel's node crash) --------------------------------
    // The node's buffered packets are lost.
    void on_node_crash(NodeId node);

    const NetworkStats& stats() const { return stats_; }
    size_t nodes() const { return nodes_; }

  private:
    struct Link {
        LinkSettings settings;
        bool blocked = false;
        Time clogged_until;
        // In-flight slots waiting for the clog to end, in arrival order. A vector, not a deque:
        // libstdc++'s empty deque allocates, and a 101-node world has 10,201 links.
        std::vector<uint32_t> held;
        TimerId release_timer;
    };

    Link& link(NodeId from, NodeId to) { return links_[from * nodes_ + to]; }
    const Link& link(NodeId from, NodeId to) const { return links_[from * nodes_ + to]; }
    Duration draw_latency(const LinkSettings& s);
    uint32_t store(Packet p);
    void schedule_delivery(uint32_t slot, Duration latency);
    void arrive(uint32_t slot);
    void hand_to_node(uint32_t slot);
    void release(NodeId from, NodeId to);
    void trace(uint64_t kind, const Packet& p);

    Simulation* sim_;
    size_t nodes_;
    LinkSettings defaults_;
    Rng rng_;
    std::vector<Link> links_;
    std::vector<std::unique_ptr<Channel<Packet>>> inboxes_;
    std::vector<std::optional<Packet>> in_flight_;  // slots referenced by delivery timers
    std::vector<uint32_t> free_slots_;
    uint64_t next_packet_id_ = 1;
    NetworkStats stats_;
    size_t crash_listener_ = 0;
};

}  // namespace stormlog::sim
