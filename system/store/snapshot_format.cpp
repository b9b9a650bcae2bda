#include "system/store/snapshot_format.hpp"

#include <algorithm>

#include "sim/assert.hpp"
#include "sim/network.hpp"
#include "system/store/wire.hpp"

namespace stormlog::system::store::format {
namespace {

constexpr uint32_t k_snapshot_file_magic = 0x50534e53;  // "SNSP"
constexpr size_t k_header_crc_at = 40;
// The header's fields (magic, seq, index, term, data_len, data_crc) end where its CRC starts, and
// the CRC fits the header.
static_assert(4 + 8 + 8 + 8 + 8 + 4 == k_header_crc_at);
static_assert(k_header_crc_at + 4 <= k_snapshot_header_bytes);

}  // namespace

std::vector<uint8_t> encode_snapshot(uint64_t seq, const Snapshot& snapshot) {
    SL_ASSERT(seq > 0);
    SL_ASSERT(snapshot.data.size() <= k_snapshot_bytes_max);
    std::vector<uint8_t> out;
    out.reserve(k_snapshot_header_bytes + snapshot.data.size());  // one allocation for the state
    wire::Writer w(out);
    w.u32(k_snapshot_file_magic);
    w.u64(seq);
    w.u64(snapshot.index.value);
    w.u64(snapshot.term.value);
    w.u64(snapshot.data.size());
    w.u32(sim::crc32c(snapshot.data));
    SL_ASSERT(out.size() == k_header_crc_at);
    w.u32(sim::crc32c(out));
    out.resize(k_snapshot_header_bytes, 0);
    out.insert(out.end(), snapshot.data.begin(), snapshot.data.end());
    // Exactly the length decode_snapshot accepts.
    SL_ASSERT(out.size() == k_snapshot_header_bytes + snapshot.data.size());
    return out;
}

std::vector<uint8_t> encode_snapshot(const SnapshotFile& s) {
    return encode_snapshot(s.seq, s.snapshot);
}

std::optional<SnapshotFile> decode_snapshot(std::span<const uint8_t> bytes) {
    if (bytes.size() < k_snapshot_header_bytes) return std::nullopt;
    wire::Reader r(bytes.first(k_header_crc_at + 4));
    SnapshotFile s;
    if (r.u32() != k_snapshot_file_magic) return std::nullopt;
    s.seq = r.u64();
    s.snapshot.index = Index{r.u64()};
    s.snapshot.term = Term{r.u64()};
    const uint64_t len = r.u64();
    const uint32_t data_crc = r.u32();
    if (r.u32() != sim::crc32c(bytes.first(k_header_crc_at))) return std::nullopt;
    if (s.seq == 0 || len > k_snapshot_bytes_max) return std::nullopt;
    // The header's padding is zeros, as written: anything else is not this file's header.
    const auto padding =
        bytes.subspan(k_header_crc_at + 4, k_snapshot_header_bytes - k_header_crc_at - 4);
    if (std::any_of(padding.begin(), padding.end(), [](uint8_t b) { return b != 0; }))
        return std::nullopt;
    if (bytes.size() != k_snapshot_header_bytes + len) return std::nullopt;
    const auto data = bytes.subspan(k_snapshot_header_bytes);
    if (sim::crc32c(data) != data_crc) return std::nullopt;
    s.snapshot.data.assign(data.begin(), data.end());
    return s;
}

}  // namespace stormlog::system::store::format
