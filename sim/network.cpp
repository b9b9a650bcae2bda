#include "sim/network.hpp"

#include <cmath>
#include <string>

#include "sim/assert.hpp"
namespace stormlog::sim {
namespace {

const uint64_t k_send = trace_kind_named("net.send");
const uint64_t k_deliver = trace_kind_named("net.deliver");
const uint64_t k_drop = trace_kind_named("net.drop");
const uint64_t k_duplicate = trace_kind_named("net.duplicate");
const uint64_t k_corrupt = trace_kind_named("net.corrupt");

bool node_up(const Node& node) {
    for (const auto& p : node.processes()) {
        if (p->state() == Process::State::running) return true;
    }
    return false;
}

}  // namespace

Network::Network(Simulation& sim, LinkSettings defaults, size_t inbox_capacity)
    : sim_(&sim),
      nodes_(sim.nodes().size()),
      defaults_(defaults),
      rng_(sim.fork_rng("network")),
      links_(nodes_ * nodes_, Link{defaults, false, Time::zero(), {}, {}}) {
    SL_ASSERT(nodes_ > 0 && "add the nodes before the network");
    for (size_t i = 0; i < nodes_; ++i)
        inboxes_.push_back(std::make_unique<Channel<Packet>>(sim, inbox_capacity));
    crash_listener_ = sim.add_node_crash_listener([this](Node& node) { on_node_crash(node.id()); });
}

Network::~Network() {
    sim_->remove_node_crash_listener(crash_listener_);
    for (Link& l : links_) sim_->cancel(l.release_timer);
}

// ---- Sending and delivery -------------------------------------------------------------------

uint64_t Network::send(NodeId from, NodeId to, Bytes payload) {
    SL_ASSERT(from < nodes_);
    SL_ASSERT(to < nodes_);
    Packet p;
    p.from = from;
    p.to = to;
    p.id = next_packet_id_++;
    p.checksum = crc32c(payload);
    p.sent_at = sim_->now();
    p.payload = std::move(payload);
    ++stats_.sent;
    trace(k_send, p);
    const LinkSettings& s = link(from, to).settings;
    if (rng_.chance(s.loss)) {
        ++stats_.dropped_loss;
        trace(k_drop, p);
        return p.id;
    }
    if (rng_.chance(s.corrupt) && !p.payload.empty()) {
        const uint64_t bit = rng_.below(p.payload.size() * 8);
        p.payload[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
        ++stats_.corrupted;
        trace(k_corrupt, p);
    }
    const uint64_t id = p.id;
    if (rng_.chance(s.duplicate)) {
        ++stats_.duplicated;
        trace(k_duplicate, p);
        schedule_delivery(store(p), draw_latency(s));
    }
    schedule_delivery(store(std::move(p)), draw_latency(s));
    return id;
}

Duration Network::draw_latency(const LinkSettings& s) {
    if (s.latency_max <= s.latency_min) return s.latency_min;
    double u = rng_.unit();
    if (s.latency_shape != 1.0) u = std::pow(u, s.latency_shape);
    const auto span = static_cast<double>((s.latency_max - s.latency_min).ns());
    return s.latency_min + Duration::nanos(static_cast<int64_t>(u * span));
}

uint32_t Network::store(Packet p) {
    if (!free_slots_.empty()) {
        const uint32_t slot = free_slots_.back();
        free_slots_.pop_back();
        in_flight_[slot].emplace(std::move(p));
        return slot;
    }
    in_flight_.emplace_back(std::move(p));
    return static_cast<uint32_t>(in_flight_.size() - 1);
}

void Network::schedule_delivery(uint32_t slot, Duration latency) {
    sim_->schedule_after(latency, [this, slot] { arrive(slot); });
}

void Network::arrive(uint32_t slot) {
    const Packet& p = *in_flight_[slot];
    Link& l = link(p.from, p.to);
    if (l.blocked) {
        ++stats_.dropped_partition;
        trace(k_drop, p);
        in_flight_[slot].reset();
        free_slots_.push_back(slot);
        return;
    }
    if (l.clogged_until > sim_->now()) {
        ++stats_.held_by_clog;
        l.held.push_back(slot);
        return;
    }
    hand_to_node(slot);
}

void Network::hand_to_node(uint32_t slot) {
    Packet p = std::move(*in_flight_[slot]);
    in_flight_[slot].reset();
    free_slots_.push_back(slot);
    if (!node_up(*sim_->nodes()[p.to])) {
        ++stats_.dropped_node_down;
        trace(k_drop, p);
        return;
    }
    trace(k_deliver, p);
    if (inboxes_[p.to]->try_send(p) != ChannelStatus::ok) {
        ++stats_.dropped_inbox_full;
        trace(k_drop, p);
        return;
    }
    ++stats_.delivered;
}

ChannelStatus Network::receive(NodeId node, Packet& out, Time deadline) {
    return inboxes_.at(node)->receive(out, deadline);
}

ChannelStatus Network::try_receive(NodeId node, Packet& out) {
    return inboxes_.at(node)->try_receive(out);
}

uint64_t packet_digest(const Packet& p) {
    return hash_combine(hash_combine(p.id, (uint64_t{p.from} << 32) | p.to), p.checksum);
}

void Network::trace(uint64_t kind, const Packet& p) {
    sim_->record(kind == k_deliver ? p.to : p.from, kind, packet_digest(p), [&] {
        return sim_->node(p.from).name() + "->" + sim_->node(p.to).name() + " packet " +
               std::to_string(p.id) + ", " + std::to_string(p.payload.size()) + " bytes";
    });
}

// ---- Connectivity -----------------------------------------------------------------------------

void Network::block(NodeId from, NodeId to) {
    link(from, to).blocked = true;
}
void Network::unblock(NodeId from, NodeId to) {
    link(from, to).blocked = false;
}

void Network::partition(const std::vector<std::vector<NodeId>>& groups) {
    std::vector<size_t> group_of(nodes_,
                                 groups.size());  // nodes in no group form a group of their own
    for (size_t g = 0; g < groups.size(); ++g) {
        for (NodeId n : groups[g]) group_of.at(n) = g;
    }
    for (NodeId a = 0; a < nodes_; ++a) {
        for (NodeId b = 0; b < nodes_; ++b) link(a, b).blocked = group_of[a] != group_of[b];
    }
}

void Network::isolate(NodeId node) {
    for (NodeId other = 0; other < nodes_; ++other) {
        if (other == node) continue;
        block(node, other);
        block(other, node);
    }
}

void Network::heal_partitions() {
    for (Link& l : links_) l.blocked = false;
}

// ---- Clogging ---------------------------------------------------------------------------------

void Network::clog(NodeId from, NodeId to, Time until) {
    Link& l = link(from, to);
    if (until <= l.clogged_until) return;
    l.clogged_until = until;
    sim_->cancel(l.release_timer);
    l.release_timer = sim_->schedule_at(until, [this, from, to] { release(from, to); });
}

void Network::clog_node(NodeId node, Time until) {
    for (NodeId other = 0; other < nodes_; ++other) {
        if (other == node) continue;
        clog(node, other, until);
        clog(other, node, until);
    }
}

void Network::unclog_all() {
    for (NodeId a = 0; a < nodes_; ++a) {
        for (NodeId b = 0; b < nodes_; ++b) {
            if (link(a, b).clogged_until > sim_->now()) release(a, b);
        }
    }
}

void Network::release(NodeId from, NodeId to) {
    Link& l = link(from, to);
    sim_->cancel(l.release_timer);
    l.release_timer = TimerId{};
    l.clogged_until = sim_->now();
    // In arrival order; a partition that started meanwhile still drops them.
    // The link is no longer clogged, so none of these arrivals is held again.
    std::vector<uint32_t> held;
    held.swap(l.held);
    for (const uint32_t slot : held) arrive(slot);
    SL_ASSERT(l.held.empty());
}

// ---- Link quality -----------------------------------------------------------------------------

void Network::set_link(NodeId from, NodeId to, const LinkSettings& settings) {
    link(from, to).settings = settings;
}

void Network::set_all_links(const LinkSettings& settings) {
    for (Link& l : links_) l.settings = settings;
}

void Network::reset_links() {
    set_all_links(defaults_);
}

void Network::on_node_crash(NodeId node) {
    Packet dropped;
    while (inboxes_[node]->try_receive(dropped) == ChannelStatus::ok) {
        ++stats_.dropped_node_down;
        trace(k_drop, dropped);
    }
}

}  // namespace stormlog::sim
