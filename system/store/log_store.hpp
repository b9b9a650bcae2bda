#pragma once
// LogStore: a Raft node's durable state on its (simulated) disk - the hard state (term, vote,
// commit) and the log - with protocol-aware recovery (Alagappan et al., FAST'18). Shaped like
// etcd's raft Storage + HardState so a Raft node can use it directly.
//
// Files
//   raft.meta  two fixed 512-byte hard-state slots, written alternately (see save_hard_state).
//   raft.log   append-only, sector-aligned, checksummed entry records.
//   raft.ids   one identity record ("proof") per index that sync() has made durable, at the
//              absolute position (index-1)*64 whatever the log's first index.
//   raft.snap.0, raft.snap.1  durable snapshots, written alternately (snapshot_format.hpp).
//   Formats: record_format.hpp. Classification at recovery: log_scan.hpp.
//
// Snapshots and compaction
//   save_snapshot() writes the snapshot into the file not holding the newest valid one and fsyncs
//   it before anything it replaces is dropped. Then, per Raft: if the log holds the snapshot's
//   last entry with its term, only the prefix up to it is dropped - from memory; raft.log and
//   raft.ids keep those bytes (they are moot: recovery ignores indices <= the snapshot). Otherwise
//   the whole log is *reset*: raft.ids is cut to nothing and fsynced, then raft.log, and the next
//   record is written at offset 0 with index snapshot+1 - so the disk space a lagging follower's
//   stale log used is reclaimed. (A leader's own compactions reclaim no disk space: without an
//   atomic rename, rewriting the kept suffix into a fresh file would leave acknowledged entries
//   with no durable copy for a moment. Segmenting raft.log would fix it: future work.)
//   With a base index B = first_index() - 1 the ordering argument below is unchanged: proofs stay
//   at absolute positions, a reset revokes every proof before it cuts raft.log, and recovery
//   classifies only indices > B (those <= B are covered by the snapshot; a hole there is moot).
//   Recovery picks the newest valid snapshot. If raft.log then starts after more than that
//   snapshot covers (the newest snapshot rotted after a reset dropped the prefix), the node holds
//   a *gap*: Recovered::gap. It must not apply (its state machine lacks the prefix) nor campaign
//   (it cannot send a lagging follower what it lacks) until a leader's InstallSnapshot covers the
//   gap; it may vote - its last entry is intact, and a vote only compares last entries. A damaged
//   snapshot is thus never mistaken for "no snapshot": without one the log would have to start
//   at index 1.
//
// Why raft.ids proves durability (the ordering argument)
//   sync() first fsyncs raft.log and waits for that fsync to complete; only then does it write
//   the identity records of the entries that fsync covered, and it fsyncs raft.ids before it
//   returns. Hence: a valid identity record on disk  =>  its write was issued after raft.log's
//   fsync completed  =>  the entry's record was on the medium, whole. If that record now reads
//   bad, the disk damaged it after the fact (bit rot, a latent error, a misdirected write over
//   it): it may be committed, so it is *corruption* and is kept as a hole until a peer supplies
//   it. Without an identity record an entry was never acknowledged (sync() had not returned), so
//   a bad record at the tail is the crash's *torn* cut and is safe to truncate. The converse
//   direction (no false proofs) holds because truncate_suffix revokes identity records (raft.ids
//   truncated and fsynced) before it cuts raft.log.
//
// Failed fsyncs (fsyncgate). When an fsync fails, the disk may have dropped every write it
//   covered (Linux marks the dirty pages clean), and a second fsync would "succeed" without them:
//   the store's memory no longer describes its files, and no retry can make it true again. So the
//   store *stops*: that call and every later one return Status::fail_stop, and its owner must
//   crash and recover from what the disk holds (PostgreSQL's answer since 2018). The same holds
//   when a truncate that memory already counts on fails (reset, recovery's cut). A truncate
//   refused by truncate_suffix changes nothing the store relies on and is an io_error.
//
// Raft's contract with this store: call sync() and wait for it before acknowledging an append or
// answering a vote; save_hard_state() is durable on return. Entries recovered intact but unproven
// (LogSlot::proven false) were never acknowledged: sync() proves them before Raft may ack them.
// holds(i) is false for a corrupt index: Raft must neither ack nor vote as if it held that entry
// until repair() succeeds.
//
// Threading: one simulation thread. Calls that touch the disk sleep its latency: call them from
// a simulated fiber (or use DiskOptions::instant()).

#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "sim/assert.hpp"
#include "sim/disk.hpp"
#include "system/store/log_scan.hpp"
#include "system/store/types.hpp"

namespace stormlog::system::store {

enum class [[nodiscard]] Status : uint8_t{
    ok,
    disk_full,    // nothing was acknowledged; the store is as before the call
    io_error,     // the disk failed an operation the store cannot work around
    not_corrupt,  // repair: the index already holds an intact entry
    mismatch,     // repair: the entry contradicts what the disk proves about that index
    unlocatable,  // repair: the hole's place in raft.log is unknown (repair earlier holes first)
    fail_stop,    // an fsync failed (or the files left what memory describes): the store has
                  // stopped; its owner must crash and recover from the disk (see "Failed fsyncs")
};

const char* to_string(Status s);

struct LogStoreOptions {
    std::string meta_file = "raft.meta";
    std::string log_file = "raft.log";
    std::string ids_file = "raft.ids";
    std::string snapshot_files[2] = {"raft.snap.0", "raft.snap.1"};
    // Deliberate bugs, switched on only by tests that prove the checks catch them.
    bool bug_truncate_corruption = false;  // recovery treats corruption as a torn tail
    bool bug_skip_ids_fsync = false;       // sync() returns before raft.ids is durable
    bool bug_retry_failed_fsync = false;   // a failed fsync is retried until it "succeeds" and
                                           // the store carries on (the classic fsyncgate bug)
};

// One index of the recovered log.
struct LogSlot {
    Index index;
    std::optional<Entry> entry;  // nullopt: corrupt, must be repaired from a peer
    bool proven = false;         // raft.ids proves it was durable (synced)
};

struct Recovered {
    HardState hard;
    // No valid hard-state slot on a disk that has data: the vote record is gone, so this node
    // must not vote in any term up to hard.term (set to the highest term the log shows).
    bool hard_state_lost = false;
    // A hard-state slot held data that failed its checksum. If it was the newer slot, the hard
    // state recovered is an older one and the latest vote may be lost.
    bool meta_damaged = false;
    // The disk holds none of the store's files: a new node - or one whose disk was lost.
    bool blank = false;
    std::optional<Snapshot> snapshot;     // the newest valid snapshot, if any
    bool snapshot_damaged = false;        // a snapshot file held data that failed its checksum
    bool gap = false;                     // see "Snapshots and compaction": log[0] follows a hole
    Index first_index{1};                 // the index of log[0]
    std::vector<LogSlot> log;             // index i at log[i - first_index]
    std::vector<Index> corrupt;           // ascending
    Index last_index;                     // including corrupt holes
    std::optional<Index> truncated_from;  // first index of the torn tail dropped, if any

    // Does this node hold an intact copy of entry `i`?
    bool holds(Index i) const;
};

class LogStore {
  public:
    // `disk` must outlive the store.
    explicit LogStore(sim::Disk& disk, LogStoreOptions options = {});
    LogStore(const LogStore&) = delete;
    LogStore& operator=(const LogStore&) = delete;

    // Reads the three files, classifies every index, cuts a torn tail off the disk (durably) and
    // loads the log. REQUIRES: called once, before any other call. If the disk refused the cut,
    // the store has stopped (stopped()): the caller must not use what it returned, but restart.
    Recovered recover();
    // An fsync failed, or the files no longer match memory: every call returns fail_stop.
    bool stopped() const { return stopped_; }

    // Durable on return: writes the older slot with the next sequence number, then fsyncs.
    Status save_hard_state(const HardState& hard);
    const HardState& hard_state() const { return hard_; }

    // Writes `entries` after the last index (into the disk cache: not durable until sync()).
    // REQUIRES: non-empty, indices last_index()+1, +2, ..., terms non-decreasing and not below
    // the last known term. On failure nothing was appended.
    Status append(std::span<const Entry> entries);
    // Everything appended or repaired so far is durable and proven on return.
    Status sync();
    // Removes indices >= `from` (Raft's conflict resolution); durable on return, and raft.ids no
    // longer proves them. REQUIRES: 1 <= from <= last_index() + 1.
    Status truncate_suffix(Index from);
    // Makes `s` durable, then drops the log up to s.index (see "Snapshots and compaction").
    // REQUIRES: s.index > snapshot index; if the log holds s.index intact with s.term, nothing
    // after it changes, and up to `trailing` entries before it are kept too (so a follower a
    // little behind still gets entries, not the snapshot); otherwise the log becomes empty with
    // first_index() == s.index + 1.
    // Takes `s` by value: a snapshot is the whole state, and the store keeps it (move it in).
    Status save_snapshot(Snapshot s, uint64_t trailing = 0);
    // The newest durable snapshot, or nullptr.
    const Snapshot* snapshot() const { return snapshot_ ? &*snapshot_ : nullptr; }
    // The log follows a prefix no snapshot covers (recovery found a damaged snapshot).
    bool has_gap() const { return gap_; }
    // Rewrites the corrupt entry at e.index in place with a copy a peer supplied, durably, and
    // proves it again. REQUIRES: 1 <= e.index <= last_index().
    Status repair(const Entry& e);

    bool holds(Index i) const;
    // The intact entry at `i`; nullptr if `i` is out of range or corrupt.
    const Entry* entry(Index i) const;
    // Term of entry `i`; Term{0} for index 0; the snapshot's term for its index; nullopt if out
    // of range, compacted or corrupt.
    std::optional<Term> term_at(Index i) const;
    // The term of the corrupt entry at `i` as its surviving identity record states it; nullopt
    // if `i` is not a hole or its identity was lost too.
    std::optional<Term> hole_term(Index i) const;
    Index first_index() const { return Index{base_ + 1}; }
    Index last_index() const { return Index{base_ + slots_.size()}; }
    std::vector<Index> corrupt() const;  // ascending
    size_t corrupt_count() const { return holes_.size(); }
    // The lowest corrupt index; REQUIRES corrupt_count() > 0.
    Index first_corrupt() const {
        SL_ASSERT(!holes_.empty());
        // Holes lie inside the log: compaction drops those it covers (drop_prefix, reset).
        SL_ASSERT(*holes_.begin() > base_);
        return Index{*holes_.begin()};
    }

  private:
    void recover_hard_state(Recovered& out);
    void load(detail::ScanResult scan, Recovered& out);
    void recover_snapshot(Recovered& out);
    Status write_snapshot(const Snapshot& s);
    // Drops slots up to `index` (held intact) from memory.
    void drop_prefix(Index index);
    // Empties the log, durably, so that it restarts at `base` + 1.
    Status reset(Index base);
    // Cuts raft.ids to `keep` proofs and raft.log to `log_end_bytes`, proofs first, both durable.
    Status cut(Index keep, uint64_t log_end_bytes);
    // After a cut that removed raft.ids' proofs from `from` on but not the records: the slots
    // whose proofs are gone must be proven again by the next sync().
    void revoke_proofs(Index from);
    // Writes proofs for slots [first, last] (all intact) in one write.
    Status write_proofs(size_t first, size_t last);
    Status fsync_ids();
    // fsync through the fault model's lens: a failure stops the store (see "Failed fsyncs").
    Status fsync_file(const std::string& file);
    // Marks the store stopped; returns fail_stop.
    Status stop();
    // Where raft.log must be cut to drop `from` and everything after it.
    uint64_t cut_offset(Index from) const;
    detail::Slot& slot(Index i);
    const detail::Slot& slot(Index i) const;
    size_t pos(Index i) const;  // slots_ position of index i

    sim::Disk* disk_;
    LogStoreOptions options_;
    bool recovered_ = false;
    HardState hard_;
    uint64_t meta_seq_ = 0;  // sequence number of the newest valid hard-state slot
    std::optional<Snapshot> snapshot_;
    uint64_t snapshot_seq_ = 0;  // sequence number of the newest valid snapshot file
    bool gap_ = false;
    uint64_t base_ = 0;                 // slots_[k] is index base_ + 1 + k
    std::optional<uint64_t> base_end_;  // where the record after base_ starts, if known
    std::optional<Term> base_term_;     // the term of entry base_, if known
    std::vector<detail::Slot> slots_;
    std::set<uint64_t> holes_;  // indices of corrupt slots
    size_t unproven_from_ = 0;  // every slot before this one is proven or a hole (sync scans on)
    uint64_t log_end_bytes_ = 0;
    bool log_dirty_ = false;  // raft.log may hold writes no completed fsync covered
    bool stopped_ = false;    // see "Failed fsyncs": sticky for this incarnation
};

}  // namespace stormlog::system::store
