#pragma once
// RaftNode: one incarnation of a store node's consensus module (Ongaro & Ousterhout, "In Search of
// an Understandable Consensus Algorithm", and Ongaro's thesis for PreVote, CheckQuorum and
// ReadIndex), on the simulated network and disk, with protocol-aware storage repair (Alagappan et
// al., FAST'18).
//
// Structure: one fiber runs an event loop in the style of etcd's raft "Ready" cycle:
//   1. wait for a packet or the next timer (election, heartbeat, CheckQuorum, repair);
//   2. handle it - handlers change in-memory state, append to the LogStore's cache and queue
//      outgoing messages, but never send;
//   3. persist: the hard state (term, vote) is saved and the log synced *before* any queued
//      message leaves, so a vote or an append ack always promises only what is on disk;
//   4. send the queued messages; apply newly committed entries; serve confirmed reads.
// One fiber means handlers never interleave: a disk sleep in step 3 blocks the node, as a
// single-threaded server blocks on its fsync.
//
// Protocol-aware repair. The LogStore tells a torn tail (dropped at recovery) from a corrupt
// entry that may be committed (kept as a hole). A node with holes:
//   - never acks through a hole: an append ack's match index stops below the first hole, so the
//     leader resends from there and the follower repairs the hole from the leader's copy;
//   - asks every peer for a copy; a peer answers only with an intact entry of the identity the
//     hole's surviving proof names (or, when the identity is lost too, only the leader answers);
//   - does not campaign until repaired (a leader must hold every committed entry intact);
//   - does not apply past the hole.
// A node whose hard state was damaged may have lost its latest vote, and a node whose disk was
// lost (blank after its first start) both its votes and entries it acknowledged: either neither
// votes nor campaigns until it has caught up with a leader - its term is then at least the
// leader's and its log holds every entry the leader knew committed - so it can never help elect
// a leader that lacks a committed entry. (A vote lost for a term above the leader's that no
// leader won is a residual risk of a damaged hard state: a double fault, outside the budget.)
//
// Snapshots (raft_snapshot.cpp). Every snapshot_every applied entries a node snapshots the host's
// state (RaftHost::snapshot_state) and compacts its log, keeping snapshot_trailing entries for
// followers slightly behind. A leader sends a follower whose next entry it no longer holds an
// InstallSnapshot, in chunks; the follower acks only once the snapshot is durable (LogStore), keeps
// its log after the snapshot if it matches, and restores the host from it. A restarted node
// restores its newest snapshot and applies only what follows. A node whose log follows a gap (its
// snapshot rotted after the prefix was dropped) votes but neither applies nor campaigns until a
// leader's snapshot covers the gap; it refuses appends at prev_index 0, which makes a leader
// without a snapshot take one.
//
// Failed fsyncs. A node never acts on the belief that data is durable after an fsync failed: the
// LogStore stops, and the node fails stop (crashes and restarts, recovering from its disk) before
// any ack, vote or reply queued in that cycle leaves. A truncation the disk refuses keeps the
// conflicting entries, and the ack stops below them.
//
// The host (the event store server) receives non-Raft packets and committed entries through
// RaftHost, proposes through propose(), asks for linearizable reads through read_index(), and
// sends its replies through send() so they, too, leave only after persistence.

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "sim/assert.hpp"
#include "sim/disk.hpp"
#include "sim/env.hpp"
#include "sim/network.hpp"
#include "system/store/log_store.hpp"
#include "system/store/observer.hpp"
#include "system/store/raft_messages.hpp"

namespace stormlog::system::store {

// Deliberate bugs, switched on only by tests that prove the property checkers catch them.
struct RaftBugs {
    bool grant_any_vote = false;       // votes again in a term it already voted in
    bool skip_vote_log_check = false;  // votes for candidates whose log is behind its own
    bool skip_conflict_check = false;  // a follower keeps its own entry where the leader's differs
    bool apply_uncommitted = false;    // applies entries as soon as they are appended
    bool ack_before_sync = false;      // sends append acks before the log is synced
    bool stale_reads = false;          // any node serves reads from its state, without ReadIndex
    // A node that led its current term serves reads at its commit index with no ReadIndex round,
    // also after CheckQuorum's step-down, until a newer term reaches it: cut off, stale reads.
    bool unconfirmed_leader_reads = false;
    bool leader_accepts_stale = false;   // a leader obeys appends from an older term's leader
    bool never_campaign = false;         // no election timeout ever fires
    bool drop_acks = false;              // followers never answer appends: nothing commits
    bool skip_snapshot_restore = false;  // installs a leader's snapshot without restoring its state
    bool commit_by_counting = false;     // a leader commits an older term's entry once a majority
                                         // holds it (Raft's Figure 8)
    bool unpersisted_vote = false;       // the term reaches the disk, the vote never does
    bool eager_step_down = false;        // CheckQuorum wants acks within a heartbeat, not an
                                         // election timeout: a healthy leader steps down
    bool skip_pre_vote = false;          // campaigns at once: a node cut off raises its term, and
                                         // its answers depose the leader when it rejoins
};

struct RaftConfig {
    NodeId self = 0;
    size_t nodes = 1;
    sim::Duration heartbeat = sim::Duration::millis(50);
    sim::Duration election_min = sim::Duration::millis(300);
    sim::Duration election_max = sim::Duration::millis(600);
    size_t batch_entries_max = 64;  // entries per AppendEntries
    // A node snapshots its state machine (and compacts its log) once it has applied this many
    // entries beyond its last snapshot.
    size_t snapshot_every = 1024;
    size_t snapshot_trailing = 128;  // entries before the snapshot a leader keeps for followers
    bool pre_vote = true;
    bool check_quorum = true;
    // The node's first start as a member of a new cluster: a blank disk means a new node. On any
    // later start a blank disk means the disk was lost, with whatever this node promised.
    bool bootstrap = true;
    RaftBugs bugs;
    LogStoreOptions storage;
};

struct RaftStats {
    uint64_t elections = 0, leaderships = 0, appends_sent = 0, entries_proposed = 0;
    uint64_t holes_recovered = 0, holes_repaired = 0, torn_tails = 0, sync_errors = 0;
    uint64_t snapshots_taken = 0, snapshots_sent = 0, snapshots_installed = 0;
};

class RaftHost {
  public:
    virtual ~RaftHost() = default;
    // A packet that is not a Raft message (a client request), intact.
    virtual void on_packet(const sim::Packet& p) = 0;
    // Entry `e` is committed; entries arrive in index order, each once per incarnation.
    virtual void apply(const Entry& e) = 0;
    // The node's role or term changed; pending proposals and reads may never complete.
    virtual void on_role_change(Role role, Term term) = 0;
    // The read ticket returned by read_index() may now be served from the state machine.
    virtual void on_read_ready(uint64_t ticket) = 0;
    // The state machine's bytes after applying everything up to the last apply().
    virtual std::vector<uint8_t> snapshot_state() = 0;
    // Replace the state machine with the one `s` holds (at s.index); the next apply() is
    // s.index + 1. `s.data` is what some node's snapshot_state() returned, checksummed end to end.
    virtual void restore(const Snapshot& s) = 0;
};

class RaftNode {
  public:
    RaftNode(sim::Env& env, sim::Network& network, sim::Disk& disk, RaftConfig config,
             Observer* observer, RaftHost& host);
    RaftNode(const RaftNode&) = delete;
    RaftNode& operator=(const RaftNode&) = delete;

    // Recovers from disk, then runs the event loop until the process dies.
    void run();

    // ---- For the host, from within its callbacks -------------------------------------------
    // Appends `data` as a new entry if this node leads; its index, or nullopt (not leader,
    // disk full).
    std::optional<Index> propose(std::vector<uint8_t> data);
    // A ticket for a linearizable read, answered by on_read_ready once leadership is confirmed
    // and the state machine has applied everything committed when the read arrived; nullopt if
    // this node does not lead.
    std::optional<uint64_t> read_index();
    // Queues `bytes` for `to`; it leaves after this cycle's persistence.
    void send(NodeId to, std::vector<uint8_t> bytes);

    Role role() const { return role_; }
    Term term() const { return term_; }
    bool is_leader() const { return role_ == Role::leader; }
    std::optional<NodeId> leader() const { return leader_; }
    Index commit_index() const { return commit_; }
    Index applied_index() const { return applied_; }
    const RaftStats& stats() const { return stats_; }
    bool serving() const;  // leader with an entry of its term committed
    // Under the unconfirmed_leader_reads bug: whether this node takes itself for its term's
    // leader - it led the term and has heard of no newer one - and so serves a read at once.
    bool believes_it_leads() const;
    // Why the node neither votes nor campaigns (until it catches up with a leader), or nullptr.
    size_t holes() const { return store_.corrupt_count(); }
    const char* abstaining() const { return abstain_ ? abstain_reason_ : nullptr; }
    // The log follows a compacted prefix no snapshot covers: no apply, no campaign until a
    // leader's snapshot fills it (see LogStore, "Snapshots and compaction").
    bool has_gap() const { return store_.has_gap(); }

  private:
    struct Peer {
        Index next{1};
        Index match{0};
        bool inflight = false;         // an AppendEntries with entries awaits its response
        uint64_t acked_seq = 0;        // the newest broadcast round it answered in our term
        sim::Time last_ack;            // local time of its last response in our term
        sim::Time last_sent;           // local time we last sent it an append
        uint64_t snapshot_offset = 0;  // bytes of our snapshot it has acknowledged
    };
    // A leader's snapshot being received, chunk by chunk.
    struct Incoming {
        Index index;
        Term term;
        uint64_t total = 0;
        std::vector<uint8_t> data;
    };
    struct PendingRead {
        uint64_t ticket = 0;
        Index index;
        uint64_t seq = 0;  // the broadcast round whose quorum confirms leadership
        bool waiting_commit = false;
    };

    // recovery and the loop (raft.cpp)
    void recover();
    void handle(const sim::Packet& p);
    void on_timers();
    void ready();
    void persist();
    void apply_committed();
    void flush_outbox();
    // The store stopped (LogStore, "Failed fsyncs"): whatever memory believes durable may not be
    // on disk, and no retry can make it so. This incarnation crashes before anything it queued
    // leaves, and the process restarts through the path a crash fault's heal takes, recovering
    // from what the disk holds (PostgreSQL's answer to fsyncgate). Never returns.
    [[noreturn]] void fail_stop(const char* where);
    sim::Time next_deadline() const;

    // elections (raft_election.cpp)
    void on_election_timeout();
    void start_pre_vote();
    void campaign();
    void become_follower(Term term, std::optional<NodeId> leader);
    void become_leader();
    void handle_vote_request(NodeId from, const VoteRequest& m);
    void handle_vote_response(NodeId from, const VoteResponse& m);
    bool log_up_to_date(Term last_term, Index last_index) const;
    bool may_vote() const;
    bool in_lease() const;
    void check_quorum();
    void reset_election_timer();

    // replication (raft_replication.cpp)
    void handle_append(NodeId from, const AppendRequest& m);
    // Returns the last index up to which the log now matches the leader's (prev_index at least):
    // short of the leader's last entry when the disk refused an append, a repair or a truncation.
    Index accept_entries(const AppendRequest& m);
    void handle_compacted_append(NodeId from, const AppendRequest& m);
    void handle_append_response(NodeId from, const AppendResponse& m);
    // A follower's answer in `term`: steps down if it is newer; the follower's Peer, with its
    // contact and round recorded, if this leader's term; nullptr otherwise.
    Peer* answered(NodeId from, Term term, uint64_t seq);
    void send_append(NodeId to, bool heartbeat);
    void broadcast(bool heartbeat);
    void heartbeat();
    void maybe_commit();
    void set_commit(Index c);
    void confirm_reads();
    void serve_reads();

    // the log (raft_log.cpp)
    bool append_entries(std::span<const Entry> entries);
    void truncate_from(Index from);
    bool repair_entry(const Entry& e);
    std::optional<Term> known_term(Index i) const;
    Index first_hole() const;
    Index last_index() const { return store_.last_index(); }
    void report_append(std::span<const Entry> entries, bool repair);

    // snapshots (raft_snapshot.cpp)
    void restore_snapshot(const Snapshot& s);
    void maybe_snapshot(bool now = false);
    bool needs_snapshot(const Peer& p) const;
    void send_snapshot(NodeId to);
    void handle_snapshot(NodeId from, const SnapshotRequest& m);
    void install_snapshot(const Snapshot& s);
    void handle_snapshot_response(NodeId from, const SnapshotResponse& m);
    Index snapshot_index() const;

    // repair of holes (raft_repair.cpp)
    void request_repairs();
    void handle_repair_request(NodeId from, const RepairRequest& m);
    void handle_repair_response(NodeId from, const RepairResponse& m);

    void queue(NodeId to, const RaftMessage& m);
    size_t quorum() const { return config_.nodes / 2 + 1; }
    // The value a quorum has reached: the quorum()-th largest of value_of(n) over the nodes. It
    // runs at every ack and every read round, so it sorts in a buffer kept for it, not a new one.
    template <class ValueOf>
    uint64_t quorum_reached(ValueOf value_of) {
        SL_ASSERT(quorum_scratch_.size() == config_.nodes);
        for (NodeId n = 0; n < config_.nodes; ++n) quorum_scratch_[n] = value_of(n);
        const auto kth = quorum_scratch_.begin() + static_cast<ptrdiff_t>(quorum() - 1);
        std::nth_element(quorum_scratch_.begin(), kth, quorum_scratch_.end(), std::greater<>());
        return *kth;
    }
    // The node's invariants between two events, checked after recovery and at the end of every
    // cycle of the loop (O(1)). Inside checks whose outside twins are the properties/raft checks.
    void check_invariants() const {
        // Persistence never runs ahead of the log. (The commit index may: set_commit moves it only
        // within the log, but installing a snapshot below it whose own entry is a hole here
        // drops the log after it - see install_snapshot.)
        SL_ASSERT(durable_ <= last_index());
        // Twin of raft.state_machine_safety: only committed entries are applied, never one past a
        // hole (holes appear only at recovery, above the snapshot and thus above applied_), and
        // the state machine holds at least the snapshot (none in a gap: nothing was restored).
        SL_ASSERT(applied_ <= commit_ || config_.bugs.apply_uncommitted);
        SL_ASSERT(applied_ < first_hole());
        SL_ASSERT(applied_ >= snapshot_index() || store_.has_gap() ||
                  config_.bugs.apply_uncommitted || config_.bugs.leader_accepts_stale);
        // A leader won its term with its own vote, and campaigned only able to vouch for its log:
        // no hole, no gap, no forgotten vote (twins of raft.election_safety and
        // raft.leader_completeness; holes and gaps only ever shrink after recovery).
        SL_ASSERT(role_ != Role::leader || voted_for_ == config_.self ||
                  config_.bugs.grant_any_vote);
        SL_ASSERT(role_ != Role::leader || store_.corrupt_count() == 0);
        SL_ASSERT(role_ != Role::leader || !store_.has_gap());
        SL_ASSERT(role_ != Role::leader || !abstain_);
    }
    sim::Time now() const { return env_->now(); }
    void set_role(Role r);

    sim::Env* env_;
    sim::Network* network_;
    RaftConfig config_;
    Observer* observer_;
    RaftHost* host_;
    LogStore store_;

    // Durable (mirrored in the LogStore's hard state once persisted).
    Term term_;
    std::optional<NodeId> voted_for_;
    bool hard_dirty_ = false;
    // The node may have forgotten a vote or acknowledged entries (hard state damaged, disk lost):
    // it neither votes nor campaigns until its log holds everything a leader has committed.
    bool abstain_ = false;
    const char* abstain_reason_ = "";

    Role role_ = Role::follower;
    std::optional<NodeId> leader_;
    Term led_term_;  // the last term this node led (for the unconfirmed_leader_reads bug)
    Index commit_;
    Index applied_;
    Index durable_;  // every entry up to here is synced
    std::vector<bool> votes_;
    std::vector<Peer> peers_;
    std::vector<uint64_t> quorum_scratch_;  // quorum_reached's, one value per node
    uint64_t broadcast_seq_ = 0;
    bool read_round_wanted_ = false;
    std::vector<std::pair<Term, NodeId>>
        granted_;  // votes granted this cycle (term, whom)  // a read awaits a broadcast round that
                   // has not started
    uint64_t next_ticket_ = 0;
    std::deque<PendingRead> reads_;
    std::vector<std::pair<NodeId, std::vector<uint8_t>>> outbox_;
    std::vector<const Entry*> batch_;  // send_append's scratch: entries of one AppendEntries
    std::optional<Incoming> incoming_;

    sim::Time election_deadline_;
    sim::Time heartbeat_deadline_ = sim::Time::max();
    sim::Time quorum_deadline_ = sim::Time::max();
    sim::Time repair_deadline_ = sim::Time::max();
    std::optional<sim::Time> last_leader_contact_;  // local time a leader was last heard
    RaftStats stats_;
};

}  // namespace stormlog::system::store
