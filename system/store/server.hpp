#pragma once
// StoreServer: one incarnation of an event-store node - a RaftNode replicating event-store
// commands, the EventStore state machine they build, and the client protocol on top.
//
// Appends are proposed as Raft entries and answered when applied (the state machine's verdict:
// positions, WrongExpectedVersion, or an idempotency conflict). Reads (read, read_all) go through
// ReadIndex: answered from the state machine only once leadership is confirmed and everything
// committed when the read arrived is applied - so they are linearizable. A node that loses its
// leadership answers its pending appends `unknown` (they may still commit) and its reads
// `not_leader`.

#include <map>
#include <memory>
#include <optional>

#include "sim/env.hpp"
#include "system/store/client_protocol.hpp"
#include "system/store/decode_cache.hpp"
#include "system/store/event_store.hpp"
#include "system/store/raft.hpp"

namespace stormlog::system::store {

// What the server reports about its state machine, for the store's property checkers.
class StoreObserver {
  public:
    virtual ~StoreObserver() = default;
    // `node` applied the append committed at `index`, with this result.
    virtual void on_store_apply(NodeId node, Index index, const AppendCommand& command,
                                const AppendResult& result) = 0;
};

struct StoreServerConfig {
    RaftConfig raft;
    EventStoreOptions store;
    // A deliberate bug, switched on only by tests: a replay (an append whose events are all
    // there already) is answered as an idempotency conflict. The state machine is right; only
    // the answer is wrong, so only a check of the clients' answers can see it.
    bool bug_replay_answered_as_conflict = false;
    // Decodings shared with the other nodes of the cluster (not owned; null: decode every entry).
    DecodeCache* decode_cache = nullptr;
};

struct ServerStats {
    uint64_t requests = 0, redirected = 0, appends_ok = 0, appends_refused = 0, reads_served = 0;
    uint64_t answered_unknown = 0;
};

class StoreServer final : public RaftHost {
  public:
    StoreServer(sim::Env& env, sim::Network& network, sim::Disk& disk, StoreServerConfig config,
                Observer* raft_observer, StoreObserver* store_observer);

    // Runs the node until its process dies.
    void run() { raft_.run(); }

    const RaftNode& raft() const { return raft_; }
    const EventStore& state() const { return store_; }
    const ServerStats& stats() const { return stats_; }

    // RaftHost
    void on_packet(const sim::Packet& p) override;
    void apply(const Entry& e) override;
    void on_role_change(Role role, Term term) override;
    void on_read_ready(uint64_t ticket) override;
    std::vector<uint8_t> snapshot_state() override { return store_.snapshot(); }
    void restore(const Snapshot& s) override;

  private:
    struct Pending {
        NodeId client = 0;
        uint64_t request = 0;
        Term term;
    };
    struct PendingRead {
        NodeId client = 0;
        ClientRequest request;
    };

    void reply(NodeId client, ClientResponse r);
    // The command in entry `e` (nullopt inside: the bytes do not decode), shared when it can be.
    DecodeCache::Decoded decode(const Entry& e) const;
    void refuse(NodeId client, uint64_t request, ClientStatus status);

    sim::Env* env_;
    StoreServerConfig config_;
    StoreObserver* store_observer_;
    EventStore store_;
    RaftNode raft_;
    std::map<uint64_t, Pending> appends_;    // by Raft index
    std::map<uint64_t, PendingRead> reads_;  // by read ticket
    ServerStats stats_;
};

}  // namespace stormlog::system::store
