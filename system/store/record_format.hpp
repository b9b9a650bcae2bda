#pragma once
// On-disk encodings of the store's three files. Every structure carries its own CRC-32C, so a
// reader can tell "this is exactly what was written" from torn, rotten or misplaced bytes.
// All integers are little-endian.
//
// raft.log  — log records, each starting on a sector boundary and padded to whole sectors:
//             [magic u32 | index u64 | term u64 | payload_len u32 | payload_crc u32 |
//              header_crc u32 (of the 28 bytes before it)] [payload] [zero padding]
//             Sector alignment keeps one record's damage (a torn prefix, a misdirected or rotten
//             sector) from reaching its neighbours, lets a scan resynchronise at any sector, and
//             lets repair rewrite a record in place with whole-sector writes (which also remaps a
//             latent sector error).
// raft.ids  — identity records ("proofs"), one fixed 64-byte slot per index at (index-1)*64:
//             [magic u32 | index u64 | term u64 | offset u64 | payload_len u32 | payload_crc u32 |
//              zero padding | crc u32 (of bytes 0..59) at byte 60]. 64 divides a sector, so a
//             torn write never splits a slot.
// raft.meta — two 512-byte hard-state slots: [magic u32 | seq u64 | term u64 | commit u64 |
//             has_vote u8 | voted_for u32 | zeros | crc u32 (of bytes 0..507) at byte 508].

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "system/store/types.hpp"

namespace stormlog::system::store::format {

inline constexpr uint64_t k_sector_bytes = 512;
inline constexpr uint64_t k_record_header_bytes = 32;
// A bound on one entry's payload, so a rotten length field can never make a reader allocate or
// scan without limit.
inline constexpr uint32_t k_payload_bytes_max = 1u << 20;
inline constexpr uint64_t k_proof_bytes = 64;
inline constexpr uint64_t k_meta_slot_bytes = 512;

// The layouts above, field by field: a record header is its fields and its CRC, and fits a
// sector; payload lengths fit their u32 field; proof slots tile a sector (a torn write never
// splits one) and hold their fields before the CRC; each hard-state slot is whole sectors (a
// torn write of one never reaches the other) and holds its fields before the CRC.
static_assert(k_record_header_bytes == 4 + 8 + 8 + 4 + 4 + 4);
static_assert(k_record_header_bytes <= k_sector_bytes);
static_assert(k_payload_bytes_max <= std::numeric_limits<uint32_t>::max());
static_assert(k_sector_bytes % k_proof_bytes == 0);
static_assert(4 + 8 + 8 + 8 + 4 + 4 <= k_proof_bytes - 4);
static_assert(k_meta_slot_bytes % k_sector_bytes == 0);
static_assert(4 + 8 + 8 + 8 + 1 + 4 <= k_meta_slot_bytes - 4);

// Bytes a record with `payload_len` bytes of payload occupies in raft.log (whole sectors).
uint64_t record_span(uint64_t payload_len);

struct RecordHeader {
    Index index;
    Term term;
    uint32_t payload_len = 0;
    uint32_t payload_crc = 0;
};

// Appends `e`'s record (header, payload, padding) to `out`.
void encode_record(const Entry& e, std::vector<uint8_t>& out);
// The header at the start of `bytes` if its magic, checksum and length bound hold.
std::optional<RecordHeader> decode_header(std::span<const uint8_t> bytes);
// The whole entry at the start of `bytes` if header and payload checksums hold.
std::optional<Entry> decode_record(std::span<const uint8_t> bytes);

// Identity of an entry that sync() proved durable: where its record is and what it contains.
struct Proof {
    Index index;
    Term term;
    uint64_t offset = 0;
    uint32_t payload_len = 0;
    uint32_t payload_crc = 0;
    bool operator==(const Proof&) const = default;
};

void encode_proof(const Proof& p, std::span<uint8_t> out);  // REQUIRES out.size() == 64
std::optional<Proof> decode_proof(std::span<const uint8_t> slot);

struct MetaSlot {
    uint64_t seq = 0;
    HardState hard;
};

void encode_meta(const MetaSlot& m, std::span<uint8_t> out);  // REQUIRES out.size() == 512
std::optional<MetaSlot> decode_meta(std::span<const uint8_t> slot);

}  // namespace stormlog::system::store::format
