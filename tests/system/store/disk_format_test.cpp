// The on-disk encodings (record_format.hpp, snapshot_format.hpp) read back exactly what they
// wrote, and nothing a writer could not have written - even when its checksum holds.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "sim/crc32c.hpp"
#include "system/store/record_format.hpp"
#include "system/store/snapshot_format.hpp"

namespace stormlog::system::store::format {
namespace {

using Bytes = std::vector<uint8_t>;

void put32(std::span<uint8_t> out, size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) out[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

// A proof slot with the given fields and a checksum that holds: what rot cannot make but a bug
// (or a forged input) can.
std::array<uint8_t, k_proof_bytes> checksummed_proof(const Proof& p) {
    std::array<uint8_t, k_proof_bytes> slot{};
    encode_proof({Index{1}, p.term, 0, 0, p.payload_crc}, slot);  // magic and layout
    for (int i = 0; i < 8; ++i) slot[4 + i] = static_cast<uint8_t>(p.index.value >> (8 * i));
    for (int i = 0; i < 8; ++i) slot[20 + i] = static_cast<uint8_t>(p.offset >> (8 * i));
    put32(slot, 28, p.payload_len);
    put32(slot, 60, sim::crc32c(std::span<const uint8_t>(slot).first(60)));
    return slot;
}

TEST(ProofSlot, RoundTrips) {
    const Proof p{Index{9}, Term{3}, 4 * k_sector_bytes, 100, 0xABCD};
    std::array<uint8_t, k_proof_bytes> slot{};
    encode_proof(p, slot);
    ASSERT_TRUE(decode_proof(slot).has_value());
    EXPECT_EQ(*decode_proof(slot), p);
    EXPECT_TRUE(decode_proof(checksummed_proof(p)).has_value());  // the forger agrees with encode
}

// Found by fuzz/targets/log_records.cpp: such a slot decoded, and re-encoding it failed an
// assertion.
TEST(ProofSlot, FieldsNoWriterProducesAreRefusedDespiteTheChecksum) {
    EXPECT_FALSE(decode_proof(checksummed_proof({Index{0}, Term{1}, 0, 1, 0})));
    EXPECT_FALSE(decode_proof(checksummed_proof({Index{2}, Term{1}, 7, 1, 0})));
    EXPECT_FALSE(
        decode_proof(checksummed_proof({Index{2}, Term{1}, 0, k_payload_bytes_max + 1, 0})));
    EXPECT_TRUE(decode_proof(checksummed_proof({Index{2}, Term{1}, 0, k_payload_bytes_max, 0})));
}

TEST(SnapshotFile, RoundTripsExactly) {
    const SnapshotFile s{3, Snapshot{Index{40}, Term{2}, Bytes{1, 2, 3}}};
    const Bytes bytes = encode_snapshot(s);
    const auto back = decode_snapshot(bytes);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->seq, 3u);
    EXPECT_EQ(back->snapshot, s.snapshot);
    EXPECT_EQ(encode_snapshot(*back), bytes);
}

// The header's padding is outside its checksum; a non-zero byte there is still not this file's
// header (found by fuzz/targets/snapshot_file.cpp: such a file decoded and re-encoded differently).
TEST(SnapshotFile, NonZeroHeaderPaddingIsRefused) {
    Bytes bytes = encode_snapshot({3, Snapshot{Index{40}, Term{2}, Bytes{1, 2, 3}}});
    for (const size_t at : {size_t{44}, size_t{300}, size_t{k_snapshot_header_bytes - 1}}) {
        Bytes damaged = bytes;
        damaged[at] = 0x01;
        EXPECT_FALSE(decode_snapshot(damaged).has_value()) << at;
    }
}

}  // namespace
}  // namespace stormlog::system::store::format
