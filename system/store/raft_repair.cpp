// Protocol-aware repair of corrupt entries (FAST'18): a node asks its peers for a copy of each
// hole; a peer vouches for a copy only when it can prove it is the entry the hole held.

#include "sim/assert.hpp"
#include "system/store/probes.hpp"
#include "system/store/raft.hpp"

namespace stormlog::system::store {

namespace {
constexpr size_t k_holes_per_round = 8;
}

void RaftNode::request_repairs() {
    const std::vector<Index> holes = store_.corrupt();
    if (holes.empty()) {
        repair_deadline_ = sim::Time::max();
        return;
    }
    repair_deadline_ = now() + config_.heartbeat;
    for (size_t k = 0; k < holes.size() && k < k_holes_per_round; ++k) {
        // Holes lie inside the log: a snapshot that covers one drops it with the prefix.
        SL_ASSERT(holes[k] >= store_.first_index());
        SL_ASSERT(holes[k] <= last_index());
        const RepairRequest req{term_, holes[k], store_.hole_term(holes[k])};
        for (NodeId n = 0; n < config_.nodes; ++n) {
            if (n != config_.self) queue(n, req);
        }
    }
}

void RaftNode::handle_repair_request(NodeId from, const RepairRequest& m) {
    RepairResponse resp{term_, role_ == Role::leader, std::nullopt, m.index, Term{}};
    if (m.index.value >= 1)
        resp.prev_term = store_.term_at(Index{m.index.value - 1}).value_or(Term{});
    const Entry* e = store_.entry(m.index);
    // With the hole's identity known, any intact copy of that (index, term) is the entry (Log
    // Matching). Without it, only the leader's copy is authoritative - and only if committed
    // here, so the requester never adopts an entry a later leader could overwrite.
    if (e && m.entry_term && e->term == *m.entry_term) resp.entry = *e;
    if (e && !m.entry_term && role_ == Role::leader && m.index <= commit_) resp.entry = *e;
    queue(from, resp);
}

void RaftNode::handle_repair_response(NodeId from, const RepairResponse& m) {
    // A hole a snapshot has since covered is moot.
    if (!m.entry || m.entry->index != m.index || m.index < store_.first_index()) return;
    if (store_.holds(m.index) || m.index > last_index()) return;
    const std::optional<Term> identity = store_.hole_term(m.index);
    if (identity) {
        if (m.entry->term != *identity) return;
    } else if (!(m.from_leader && m.term == term_ && leader_ == from) ||
               store_.term_at(Index{m.index.value - 1}) != std::optional<Term>(m.prev_term)) {
        // Without a proven identity only the leader's copy will do, and only where our log
        // matches the leader's up to the hole; elsewhere AppendEntries resolves the conflict.
        return;
    }
    if (repair_entry(*m.entry)) SL_PROBE(probes::hole_repaired_from_peer);
}

}  // namespace stormlog::system::store
