#pragma once
// On-disk encoding of a durable Raft snapshot (raft.snap.0 / raft.snap.1, written alternately so a
// torn write can only lose the new one, like raft.meta's slots):
//   [magic u32 | seq u64 | index u64 | term u64 | data_len u64 | data_crc u32 |
//    header_crc u32 (of bytes 0..39) at byte 40 | zeros to byte 512] [data]
// A reader accepts a file only if both checksums hold and the data is exactly data_len bytes.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "system/store/types.hpp"

namespace stormlog::system::store::format {

inline constexpr uint64_t k_snapshot_header_bytes = 512;
// A bound on a snapshot's data, so a rotten length field can never make a reader allocate or
// read without limit.
inline constexpr uint64_t k_snapshot_bytes_max = uint64_t{1} << 30;

struct SnapshotFile {
    uint64_t seq = 0;  // higher is newer
    Snapshot snapshot;
};

std::vector<uint8_t> encode_snapshot(const SnapshotFile& s);
// The same for sequence `seq` and `snapshot`, without first copying the state into a SnapshotFile.
std::vector<uint8_t> encode_snapshot(uint64_t seq, const Snapshot& snapshot);
// The snapshot in `bytes` (a whole file), or nullopt if anything about it is not exactly what
// encode_snapshot wrote.
std::optional<SnapshotFile> decode_snapshot(std::span<const uint8_t> bytes);

}  // namespace stormlog::system::store::format
