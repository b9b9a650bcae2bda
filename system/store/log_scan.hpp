#pragma once
// Recovery's classification of raft.log against raft.ids (protocol-aware recovery, FAST'18).
//
// The question for every index: was this entry ever durable (then it may be committed, and a
// damaged copy is *corruption* that must be repaired from peers, never truncated), or did the
// crash cut it before it was (a *torn tail*, which no one was ever promised, safe to drop)?
//
// raft.ids answers it independently of the entry's own bytes: sync() writes an index's identity
// record only after raft.log's fsync covering that entry completed, and fsyncs raft.ids before it
// returns. So a proof slot with content means "this entry was durable", even when the entry's
// record is now rotten, torn-looking, unreadable (EIO), or overwritten by a misdirected write.
//
// Classification (P = the highest index whose proof slot holds anything, valid or damaged):
//   index <= P  read the record where the proof says (or right after the previous record when the
//               proof itself is damaged); intact with the proven identity -> intact, otherwise
//               -> corrupt (a hole). Never truncated.
//   index >  P  read records sequentially while they are intact and in sequence; the first bad
//               or out-of-sequence one starts a torn tail, dropped with everything after it. No
//               entry there was proven, so none was acknowledged (Raft acks only after sync()).
//               Intact records after a bad one are no evidence of durability here: the disk drops
//               earlier pending writes while tearing a later one into place, so a crash alone
//               leaves exactly that pattern. A bad record followed by a durable (proven) one lies
//               below P and is corruption.
// Where the log starts: raft.log's first record (offset 0) is index 1, or - once a snapshot
// replaced the whole log (LogStore's reset) - the index after that snapshot. The scan takes it from
// the valid proof of a record at offset 0, else that record's header, else `base` + 1 (`base`: the
// newest valid snapshot's index). Proofs of indices before it are stale (compacted) and ignored.
// Double faults beyond the design budget (an entry's record AND its proof both damaged at the tail)
// can make a durable entry look torn; the fault budget allows at most one bad copy.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/disk.hpp"
#include "system/store/record_format.hpp"
#include "system/store/types.hpp"

namespace stormlog::system::store::detail {

// What the store knows about one index of its log.
struct Slot {
    std::optional<Entry> entry;          // nullopt: a corrupt hole awaiting repair
    std::optional<uint64_t> offset;      // where its record starts in raft.log, if known
    uint64_t span_bytes = 0;             // record bytes, 0 if unknown
    std::optional<format::Proof> proof;  // its identity, if known (from raft.ids or the record)
    bool proven = false;                 // evidence in raft.ids that it was durable
    bool proof_on_disk = false;  // raft.ids holds a valid proof for it (else sync writes one)
};

// A file's bytes as read through the disk, with the sectors whose reads failed (EIO).
struct FileImage {
    std::vector<uint8_t> bytes;
    std::vector<bool> bad_sectors;
    // True if any byte of [offset, offset + length) lies in a bad sector.
    bool bad(uint64_t offset, uint64_t length) const;
};

// Reads the whole of `file` (empty if missing). Sleeps the disk's read latency: call from a fiber.
FileImage read_image(sim::Disk& disk, const std::string& file);

struct ScanResult {
    Index first{1};                       // the index of raft.log's first record
    std::vector<Slot> slots;              // index i at slots[i - first]
    uint64_t log_end_bytes = 0;           // raft.log is cut here (a torn tail lies beyond)
    std::optional<Index> truncated_from;  // first index of a dropped torn tail
};

// `bug_truncate_corruption`: a deliberate bug for tests - treats the first bad record as a torn
// tail even when it is proven durable or followed by intact records.
ScanResult scan_log(const FileImage& log, const FileImage& ids, Index base,
                    bool bug_truncate_corruption);

}  // namespace stormlog::system::store::detail
