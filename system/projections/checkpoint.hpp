#pragma once
// A projection's durable state: its checkpoint (the next global position to handle), the
// positions it parked, and its read model - in ONE checksummed record, written with one write
// and an fsync. Because state and checkpoint can only change together, a crash leaves either
// the old pair or the new one, so redelivering everything after the checkpoint (at-least-once)
// applies each event exactly once in effect (Axon's tracking token stored with the read model).
//
// Two slots alternate ("<name>.ckpt.0", ".1"): a write that is torn or rots damages one slot,
// and recovery takes the newest record that checks out. With neither, the projection rebuilds
// from position 0.
//
// Record: length:u32 | magic:u32 | sequence:u64 | checkpoint:u64 | parked:u32 x u64 |
//         state:bytes | crc32c:u32 (of everything from magic on)

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/disk.hpp"

namespace stormlog::system::projections {

struct Durable {
    uint64_t sequence = 0;    // 0: nothing durable yet
    uint64_t checkpoint = 0;  // every event below it is applied (or parked)
    std::set<uint64_t> parked;
    std::vector<uint8_t> state;
};

std::vector<uint8_t> encode_record(const Durable& d);
std::optional<Durable> decode_record(std::span<const uint8_t> bytes);

class CheckpointStore {
  public:
    CheckpointStore(sim::Disk& disk, std::string name) : disk_(&disk), name_(std::move(name)) {}

    // The newest intact record, or nullopt (rebuild from zero). `oldest` (a test-only bug)
    // takes the first intact slot instead of the newest.
    std::optional<Durable> load(bool oldest = false);
    // Whether the last load() returned the older record because the newer slot is damaged: its
    // header (unverified) claims the sequence after the record returned - a torn or rotten write
    // of the newest record. (An unreadable slot says nothing: not counted.)
    bool loaded_older_slot() const { return loaded_older_slot_; }
    // Writes `d` (its sequence must be above every earlier one) and syncs it. False on an I/O
    // error: nothing is promised then, and the caller retries later.
    bool save(const Durable& d);
    // Drops both slots (rebuild).
    void erase();
    // The file of the slot that holds record `sequence` of projection `name`.
    static std::string slot_file(const std::string& name, uint64_t sequence) {
        return name + ".ckpt." + std::to_string(sequence % 2);
    }

  private:
    std::string slot(uint64_t sequence) const { return slot_file(name_, sequence); }
    // The record in `file`, or nullopt. When the file reads but its record does not check out,
    // `claimed` gets the sequence its header states (unverified; 0 if even the magic is wrong).
    std::optional<Durable> read_slot(const std::string& file, uint64_t& claimed);

    sim::Disk* disk_;
    std::string name_;
    bool loaded_older_slot_ = false;
};

}  // namespace stormlog::system::projections
