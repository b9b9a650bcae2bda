#include "system/store/server.hpp"

#include "sim/assert.hpp"
#include "system/store/probes.hpp"

namespace stormlog::system::store {

StoreServer::StoreServer(sim::Env& env, sim::Network& network, sim::Disk& disk,
                         StoreServerConfig config, Observer* raft_observer,
                         StoreObserver* store_observer)
    : env_(&env),
      config_(std::move(config)),
      store_observer_(store_observer),
      store_(config_.store),
      raft_(env, network, disk, config_.raft, raft_observer, *this) {}

void StoreServer::on_packet(const sim::Packet& p) {
    const std::optional<ClientRequest> req = decode_client_request(p.payload);
    if (!req) return;
    ++stats_.requests;
    if (req->op == ClientOp::append) {
        const std::optional<Index> index =
            raft_.is_leader() ? raft_.propose(encode_command(req->append)) : std::nullopt;
        if (!index) {
            refuse(p.from, req->request,
                   raft_.is_leader() ? ClientStatus::unavailable : ClientStatus::not_leader);
            return;
        }
        // A fresh index: a leader never proposes over its own log (twin of
        // raft.leader_append_only; its bug passes), and a new leadership answered the old ones.
        SL_ASSERT(!appends_.contains(index->value) || config_.raft.bugs.leader_accepts_stale);
        appends_[index->value] = Pending{p.from, req->request, raft_.term()};
        return;
    }
    const std::optional<uint64_t> ticket = raft_.read_index();
    if (!ticket) {
        ++stats_.redirected;
        refuse(p.from, req->request, ClientStatus::not_leader);
        return;
    }
    reads_[*ticket] = PendingRead{p.from, *req};
}

DecodeCache::Decoded StoreServer::decode(const Entry& e) const {
    if (config_.decode_cache) return config_.decode_cache->decode(e.index.value, e.data);
    return std::make_shared<const std::optional<Command>>(decode_command(e.data));
}

void StoreServer::apply(const Entry& e) {
    // An empty entry is the leader's no-op at the start of its term.
    static const Command k_noop = NoopCommand{};
    const DecodeCache::Decoded decoded = e.data.empty() ? nullptr : decode(e);
    // Entries are checksummed end to end, and only encode_command's bytes are proposed: an entry
    // that does not decode is a bug in whoever proposed it.
    const bool undecodable = decoded && !decoded->has_value();
    SL_ASSERT(!undecodable);
    if (undecodable) {
        env_->log().error("entry {} does not decode as a command; applied as a no-op",
                          e.index.value);
    }
    const Command* cmd = decoded && !undecodable ? &**decoded : &k_noop;
    // Twin of raft.state_machine_safety: the state machine sees every index, none skipped (a
    // restored snapshot moves it to the snapshot's index); its bug passes.
    SL_ASSERT(e.index.value <= store_.applied_index() + 1 ||
              config_.raft.bugs.skip_snapshot_restore);
    const AppendResult result = store_.apply(e.index.value, *cmd);
    const auto* append = std::get_if<AppendCommand>(cmd);
    if (append && store_observer_)
        store_observer_->on_store_apply(env_->node().id(), e.index, *append, result);
    auto it = appends_.find(e.index.value);
    if (it == appends_.end()) return;
    const Pending p = it->second;
    appends_.erase(it);
    // A proposal is pending only while its leadership lasts (on_role_change answers the rest),
    // and a leader never overwrites its own log: the entry applied here is the one proposed
    // (twin of raft.leader_append_only; its bug passes).
    SL_ASSERT(p.term == e.term || config_.raft.bugs.leader_accepts_stale);
    if (p.term != e.term || !append) {
        // Our proposal was overwritten by another leader's entry: it never committed.
        refuse(p.client, p.request, ClientStatus::unknown);
        return;
    }
    ClientResponse r;
    r.request = p.request;
    r.result = result;
    switch (result.status) {
        case AppendStatus::ok:
            r.status = result.replay && config_.bug_replay_answered_as_conflict
                           ? ClientStatus::idempotency_conflict
                           : ClientStatus::ok;
            ++stats_.appends_ok;
            break;
        case AppendStatus::wrong_expected_version:
            r.status = ClientStatus::wrong_expected_version;
            ++stats_.appends_refused;
            break;
        case AppendStatus::idempotency_conflict:
            r.status = ClientStatus::idempotency_conflict;
            ++stats_.appends_refused;
            break;
        case AppendStatus::stale_request:
            // A late copy of a request its client has given up on; nobody waits for this.
            r.status = ClientStatus::unknown;
            break;
    }
    reply(p.client, std::move(r));
}

void StoreServer::restore(const Snapshot& s) {
    std::optional<EventStore> restored = EventStore::restore(s.data, config_.store);
    // The bytes are checksummed on disk and on the wire: a snapshot that does not decode is a bug.
    SL_ASSERT(restored);
    SL_ASSERT(restored->applied_index() == s.index.value);
    if (!restored) {
        env_->log().error("snapshot at {} does not decode; state machine kept", s.index.value);
        return;
    }
    store_ = std::move(*restored);
}

void StoreServer::on_role_change(Role role, Term term) {
    (void)role;
    (void)term;
    // Proposals of an earlier leadership may or may not commit; the client must retry to know.
    if (!appends_.empty()) SL_PROBE(probes::pending_appends_unknown);
    for (const auto& [index, p] : appends_) {
        ++stats_.answered_unknown;
        refuse(p.client, p.request, ClientStatus::unknown);
    }
    appends_.clear();
    for (const auto& [ticket, r] : reads_)
        refuse(r.client, r.request.request, ClientStatus::not_leader);
    reads_.clear();
}

void StoreServer::on_read_ready(uint64_t ticket) {
    auto it = reads_.find(ticket);
    if (it == reads_.end()) return;
    const PendingRead pr = std::move(it->second);
    reads_.erase(it);
    ClientResponse r;
    r.request = pr.request.request;
    const uint32_t max = std::min(pr.request.max, k_read_max);
    if (pr.request.op == ClientOp::read) {
        // No position is negative (EventStore::read requires from >= 0); no client asks for one.
        if (pr.request.from >= 0) r.events = store_.read(pr.request.stream, pr.request.from, max);
    } else {
        r.events =
            store_.read_all(static_cast<uint64_t>(std::max<int64_t>(0, pr.request.from)), max);
    }
    ++stats_.reads_served;
    reply(pr.client, std::move(r));
}

void StoreServer::reply(NodeId client, ClientResponse r) {
    raft_.send(client, encode(r));
}

void StoreServer::refuse(NodeId client, uint64_t request, ClientStatus status) {
    ClientResponse r;
    r.request = request;
    r.status = status;
    r.leader = raft_.leader();
    reply(client, std::move(r));
}

}  // namespace stormlog::system::store
