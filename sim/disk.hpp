#pragma once
// The simulated disk of one node: named files, a write-back cache, and the storage faults that real
// disks have (TigerBeetle's and FoundationDB's simulators set the bar). The system under test uses
// it like pwrite/pread/fsync on files and never learns that it is simulated.
//
// Model
// - A file is a byte array addressed in sectors of k_sector_bytes. Two layers hold it: the
//   *medium* (durable bytes) and the *cache* (pending operations of that file, oldest first).
//   What a read sees is the medium with the pending operations applied in order on top.
// - write / truncate / remove enter the cache and are visible at once, but are not durable.
//   fsync(file) makes every operation of that file issued before the fsync began durable, in
//   order, once the fsync's latency has passed. Metadata rides the same path: a truncate or a
//   remove is lost in a crash unless an fsync of that name completed after it (fsync of a removed
//   name is how its removal becomes durable, like fsyncing the directory). Files are independent:
//   an fsync of one never persists another.
// - A write to a missing file creates it; truncate creates a missing file too (there is no separate
//   open/create). Bytes between the old end and a write or truncate past it read as zeros.
// - Crash (the kernel calls crash() when the node crashes): the cache is emptied and every pending
//   operation is lost, except that, per file and with torn_write_probability, the file's last
//   pending write is *torn*: a prefix of whole sectors of it (from 0 up to all but one) reaches
//   the medium. A process crash alone does not touch the disk (the OS keeps its page cache).
// - Latency: each call waits first for any stall to end, then acts, then sleeps a latency drawn
//   uniformly from the configured range (a write is in the cache during its sleep; an fsync's
//   effect happens only after its sleep, so a crash during it means it did not happen; a read
//   copies the data after its sleep). A call that must sleep needs a simulated fiber; with zero
//   latencies (DiskOptions::instant()) and no stall, calls never sleep and work from anywhere;
//   peek/exists/size/list never sleep.
// - Capacity counts the logical sizes of all files; an operation that would exceed it fails with
//   disk_full and changes nothing.
//
// Faults (for the fault injector; every decision draws from this disk's RNG stream, so it replays,
// and every application is recorded in the trace as "disk.<what>")
// - Bit rot: bits flip at rest on the medium. The disk never detects it: reads return the rotten
//   bytes, and only the system's checksums can notice. A cached newer write hides rot until synced.
// - Misdirected writes: while the probability is > 0, a write may be aimed at another
// sector-aligned
//   offset of the same file (same offset within the sector, inside the file's extent). The cache
//   serves the intended place (like a page cache), but when the write reaches the medium it lands
//   at the wrong place and the intended sectors keep their old data.
// - Latent sector errors: a read touching such a sector of the medium fails with io_error (EIO).
//   A write that fully covers the sector remaps it at once (the error is gone even if the write is
//   later lost; the sector then reads its old contents). clear_latent_errors() heals all.
// - Disk full: every write and growing truncate fails with disk_full while on.
// - Stall: every I/O that starts before the stall's end waits until then (true time).
// - Torn writes: torn_write_probability decides, at each crash and per file, whether the last
//   pending write is torn rather than lost.
// - Failed fsyncs ("fsyncgate"): while the probability is > 0, an fsync fails with io_error after
//   its latency, and the operations it covered are *dropped*: Linux marks the dirty pages clean
//   without writing them, so here they leave the cache without reaching the medium. Later reads
//   see the medium's old contents, and a later fsync "succeeds" without persisting them. A caller
//   that retries the fsync and carries on has lost data without knowing (PostgreSQL, 2018).
// - Failed truncates: while the probability is > 0, a truncate fails with io_error and leaves
//   the file unchanged.
//
// Threading: one simulation thread, like the rest of sim/. Iteration is over std::map (sorted by
// name), so no unspecified order reaches behaviour.

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/rng.hpp"
#include "sim/time.hpp"

namespace stormlog::sim {

class Simulation;

struct DiskOptions {
    Duration write_latency_min = Duration::micros(50);
    Duration write_latency_max = Duration::micros(200);
    Duration read_latency_min = Duration::micros(20);
    Duration read_latency_max = Duration::micros(100);
    Duration fsync_latency_min = Duration::millis(1);
    Duration fsync_latency_max = Duration::millis(5);
    uint64_t capacity_bytes = uint64_t{1} << 30;
    // At a crash, the chance (per file with pending writes) that its last pending write is torn.
    double torn_write_probability = 0.5;

    // Zero latencies: calls never sleep, so tests may call them from outside any fiber.
    static DiskOptions instant() {
        DiskOptions o;
        o.write_latency_min = o.write_latency_max = Duration{};
        o.read_latency_min = o.read_latency_max = Duration{};
        o.fsync_latency_min = o.fsync_latency_max = Duration{};
        return o;
    }
};

enum class IoError : uint8_t {
    none,
    not_found,  // the file does not exist (read, fsync, remove)
    disk_full,  // the capacity would be exceeded, or the disk-full fault is on; nothing changed
    io_error,   // EIO: a latent sector error under a read, a failed fsync or truncate
};

const char* to_string(IoError e);

struct [[nodiscard]] IoResult {
    IoError error = IoError::none;
    // write: bytes written (all of them). read: bytes present in the file at [offset, offset +
    // out.size()); the rest of `out` is zero-filled. Others: 0.
    uint64_t bytes = 0;

    bool ok() const { return error == IoError::none; }
};

struct DiskStats {
    uint64_t writes = 0;  // successful write calls
    uint64_t reads = 0;   // successful read calls
    uint64_t fsyncs = 0;  // completed fsyncs
    uint64_t bytes_written = 0;
    uint64_t bytes_read = 0;    // bytes present, as returned in IoResult::bytes
    uint64_t bytes_synced = 0;  // write bytes made durable by fsync or write-back
    uint64_t torn_writes = 0;  // crash left a non-empty, incomplete prefix of a write on the medium
    uint64_t lost_writes = 0;  // pending writes dropped whole by a crash
    uint64_t lost_metadata_ops = 0;  // pending truncates/removes dropped by a crash
    uint64_t misdirected_writes = 0;
    uint64_t rotted_bits = 0;
    uint64_t io_errors = 0;    // reads failed with EIO
    uint64_t full_errors = 0;  // operations refused with disk_full
    uint64_t crashes = 0;
    uint64_t fsync_errors = 0;     // fsyncs failed by the fsync-error fault
    uint64_t dropped_ops = 0;      // pending operations those failed fsyncs dropped
    uint64_t truncate_errors = 0;  // truncates failed by the truncate-error fault
};

class Disk {
  public:
    static constexpr uint64_t k_sector_bytes = 512;
    // Pending operations a file may hold before the oldest is written back to the medium on its own
    // (an OS flushes dirty pages eventually); bounds the cache's memory.
    static constexpr size_t k_pending_ops_max = 4096;

    // `sim` must outlive the disk. `rng` is this disk's stream (e.g. the node's stream forked
    // "disk"); latency, fault and crash decisions use separate named forks of it, so one kind of
    // draw never shifts another.
    Disk(Simulation& sim, uint32_t node_id, Rng rng, DiskOptions options = {});
    Disk(const Disk&) = delete;
    Disk& operator=(const Disk&) = delete;

    // ---- The seam the system under test uses ------------------------------------------------
    // Writes `data` at `offset` into the cache (creating the file), then sleeps the write latency.
    // Throws FiberKilled if the process crashes while waiting; the write then stays in the cache.
    IoResult write(const std::string& file, uint64_t offset, std::span<const uint8_t> data);
    // The same, taking the caller's buffer as the cached operation's bytes: no copy.
    IoResult write(const std::string& file, uint64_t offset, std::vector<uint8_t>&& data);
    // Fills `out` with the file's bytes at `offset` after the read latency; see IoResult::bytes.
    IoResult read(const std::string& file, uint64_t offset, std::span<uint8_t> out);
    // Makes every operation of `file` issued before this call durable, after the fsync latency.
    // not_found if the name has neither a file nor pending operations (e.g. a durable remove).
    // io_error under the fsync-error fault: those operations were dropped instead (see Faults).
    IoResult fsync(const std::string& file);
    // Sets the file's size (zero-filling growth), creating it if missing. Pending until fsync.
    // io_error under the truncate-error fault: the file is unchanged.
    IoResult truncate(const std::string& file, uint64_t size_bytes);
    // Removes the file. Pending until fsync(file). not_found if it does not exist.
    IoResult remove(const std::string& file);

    // Observers of the logical view (cache over medium) for the kernel, checkers and tests: they
    // never sleep, never fail on latent errors, and neither count in stats nor reach the trace.
    // peek fills `out` like read and returns the bytes present (0 if the file is missing).
    uint64_t peek(std::string_view file, uint64_t offset, std::span<uint8_t> out) const;
    bool exists(std::string_view file) const;
    uint64_t size(std::string_view file) const;  // 0 if missing
    std::vector<std::string> list() const;       // sorted
    uint64_t used_bytes() const { return used_bytes_; }

    // ---- Kernel ------------------------------------------------------------------------------
    // The node crashed: pending operations are lost, or the last write of a file is torn.
    void crash();

    // ---- Faults ------------------------------------------------------------------------------
    // XORs `mask` into the durable byte at `offset` of `file`. False if that byte is not on the
    // medium (nothing happens then).
    bool rot(const std::string& file, uint64_t offset, uint8_t mask);
    // Flips `count` bits chosen uniformly over all durable bytes. Returns how many flipped (0 when
    // the medium is empty).
    uint64_t rot_random(uint64_t count);
    void set_misdirect_probability(double p);
    // Reads touching `sector` of the durable file fail with io_error. False if the file is not on
    // the medium.
    bool add_latent_error(const std::string& file, uint64_t sector);
    void clear_latent_errors();
    void set_full(bool full);
    // I/O that starts before `until` (true time) waits until then. Time::zero() ends a stall.
    void stall_until(Time until);
    void set_torn_write_probability(double p);
    // Each fsync fails (dropping what it covered) with probability p; 0 heals.
    void set_fsync_error_probability(double p);
    // Each truncate fails, changing nothing, with probability p; 0 heals.
    void set_truncate_error_probability(double p);
    // Wipe: the medium and cache are gone (a replaced disk). Latent errors go with them.
    void wipe();

    const DiskStats& stats() const { return stats_; }
    const DiskOptions& options() const { return options_; }
    // Pending operations across all files (for tests and reports).
    size_t pending_ops() const;

  private:
    enum class OpKind : uint8_t { write, truncate, remove };

    // One pending operation. A write keeps its intended offset (what reads see) and the offset
    // where it will land on the medium (different only when misdirected).
    struct Op {
        OpKind kind = OpKind::write;
        uint64_t seq = 0;
        uint64_t offset = 0;
        uint64_t medium_offset = 0;
        uint64_t size_bytes = 0;  // truncate
        std::vector<uint8_t> data;
    };

    struct File {
        bool on_medium = false;
        std::vector<uint8_t> medium;
        std::set<uint64_t> latent_sectors;
        std::vector<Op> pending;  // oldest first, seq increasing
        bool exists = false;      // logical (cache over medium)
        uint64_t size_bytes = 0;  // logical
    };

    using Files = std::map<std::string, File, std::less<>>;

    File* find(std::string_view name);
    const File* find(std::string_view name) const;
    // Like files_[name], through the same cache of recent files as find().
    File& find_or_create(const std::string& name);
    // Puts `entry` first in recent_; forget_recent() takes it out (files_ is dropping it).
    void remember(Files::value_type* entry) const;
    void forget_recent(const Files::value_type* entry);
    // Throws FiberKilled if the caller's process crashed, then waits out any stall.
    void begin_io();
    void sleep_latency(Duration lo, Duration hi);
    // Blocks the calling fiber until `deadline`; aborts with a message outside a fiber.
    void block_until(Time deadline);
    // The offset where a write at `offset` of `length` bytes lands; records misdirection.
    uint64_t aim(const std::string& name, const File& f, uint64_t offset, uint64_t length);
    bool would_overflow(uint64_t old_size, uint64_t new_size) const;
    // Appends `op` to the cache; past k_pending_ops_max the oldest is written back.
    void push_op(File& f, Op op);
    void set_logical(File& f, bool exists, uint64_t size_bytes);
    // Recomputes the logical existence and size from the medium and the pending operations.
    void refresh_logical(File& f);
    // A failed fsync: drops the pending operations issued before `seq_end` unwritten.
    void drop_covered(const std::string& name, File& f, uint64_t seq_end);
    // Applies `op` to the medium (an fsync or a write-back); may take a write's bytes, so the
    // caller drops `op` right after.
    void commit(File& f, Op& op);
    // Puts `data` on the medium at `medium_offset`, growing the file to at least `size_end`.
    static void land(File& f, uint64_t medium_offset, std::span<const uint8_t> data,
                     uint64_t size_end);
    // Copies the logical bytes of [offset, offset + out.size()) into `out` (zero-filled first).
    static void overlay(const File& f, uint64_t offset, std::span<uint8_t> out);
    bool hits_latent_error(const File& f, uint64_t offset, uint64_t length) const;
    void crash_file(const std::string& name, File& f);
    // Whether a file exists nowhere any more: not on the medium, not in the cache.
    static bool gone(const File& f);
    // Drops a file that is gone; the second form looks it up only then.
    void forget_if_gone(Files::iterator it);
    void forget_if_gone(std::string_view name, const File& f);
    void record(uint64_t kind_id, uint64_t digest);

    Simulation* sim_;
    uint32_t node_id_;
    Rng rng_latency_;
    Rng rng_faults_;
    Rng rng_crash_;
    Rng rng_io_errors_;  // failed fsyncs and truncates: a stream of their own, so the faults'
                         // draws never shift the others'
    DiskOptions options_;
    Files files_;
    // The files looked up last, most recent first (their nodes in files_; null past the end). A
    // node's I/O cycles through a handful of files - the log, its ids, the metadata - and the
    // map's string compares were 2% of a store run. A file leaves it whenever files_ drops it.
    static constexpr size_t k_recent = 4;
    mutable std::array<Files::value_type*, k_recent> recent_{};
    uint64_t used_bytes_ = 0;
    uint64_t next_seq_ = 1;
    double misdirect_probability_ = 0.0;
    double fsync_error_probability_ = 0.0;
    double truncate_error_probability_ = 0.0;
    bool full_ = false;
    Time stall_end_;
    DiskStats stats_;
};

}  // namespace stormlog::sim
