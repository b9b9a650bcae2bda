#include "system/store/record_format.hpp"

#include <algorithm>

#include "sim/assert.hpp"
#include "sim/network.hpp"

namespace stormlog::system::store::format {
namespace {

constexpr uint32_t k_record_magic = 0x474f4c53;  // "SLOG"
constexpr uint32_t k_proof_magic = 0x44494c53;   // "SLID"
constexpr uint32_t k_meta_magic = 0x54454d53;    // "SMET"
constexpr size_t k_proof_crc_at = 60;
constexpr size_t k_meta_crc_at = 508;
constexpr size_t k_header_crc_at = 28;
// Each CRC is the last 4 bytes of its structure, and covers every byte before it.
static_assert(k_proof_crc_at + 4 == k_proof_bytes);
static_assert(k_meta_crc_at + 4 == k_meta_slot_bytes);
static_assert(k_header_crc_at + 4 == k_record_header_bytes);

void put(std::span<uint8_t> out, size_t at, uint64_t v, size_t width) {
    SL_ASSERT(at + width <= out.size());
    for (size_t i = 0; i < width; ++i) out[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

uint64_t get(std::span<const uint8_t> in, size_t at, size_t width) {
    SL_ASSERT(at + width <= in.size());
    uint64_t v = 0;
    for (size_t i = 0; i < width; ++i) v |= uint64_t{in[at + i]} << (8 * i);
    return v;
}

uint32_t get32(std::span<const uint8_t> in, size_t at) {
    return static_cast<uint32_t>(get(in, at, 4));
}

uint32_t crc_of(std::span<const uint8_t> bytes, size_t len) {
    return sim::crc32c(bytes.first(len));
}

}  // namespace

uint64_t record_span(uint64_t payload_len) {
    // Lengths come from entries and proofs this store wrote, all within the record bound (which
    // also keeps the rounding below from overflowing).
    SL_ASSERT(payload_len <= k_payload_bytes_max);
    const uint64_t raw = k_record_header_bytes + payload_len;
    return (raw + k_sector_bytes - 1) / k_sector_bytes * k_sector_bytes;
}

void encode_record(const Entry& e, std::vector<uint8_t>& out) {
    SL_ASSERT(e.index.value > 0);
    SL_ASSERT(e.data.size() <= k_payload_bytes_max);
    const size_t start = out.size();
    out.resize(start + record_span(e.data.size()), 0);
    const std::span<uint8_t> rec(out.data() + start, out.size() - start);
    put(rec, 0, k_record_magic, 4);
    put(rec, 4, e.index.value, 8);
    put(rec, 12, e.term.value, 8);
    put(rec, 20, e.data.size(), 4);
    put(rec, 24, sim::crc32c(e.data), 4);
    put(rec, k_header_crc_at, crc_of(rec, k_header_crc_at), 4);
    std::copy(e.data.begin(), e.data.end(), rec.begin() + k_record_header_bytes);
}

std::optional<RecordHeader> decode_header(std::span<const uint8_t> bytes) {
    if (bytes.size() < k_record_header_bytes) return std::nullopt;
    if (get32(bytes, 0) != k_record_magic ||
        get32(bytes, k_header_crc_at) != crc_of(bytes, k_header_crc_at))
        return std::nullopt;
    RecordHeader h{Index{get(bytes, 4, 8)}, Term{get(bytes, 12, 8)}, get32(bytes, 20),
                   get32(bytes, 24)};
    if (h.payload_len > k_payload_bytes_max || h.index.value == 0) return std::nullopt;
    return h;
}

std::optional<Entry> decode_record(std::span<const uint8_t> bytes) {
    const std::optional<RecordHeader> h = decode_header(bytes);
    if (!h || bytes.size() < k_record_header_bytes + h->payload_len) return std::nullopt;
    const auto payload = bytes.subspan(k_record_header_bytes, h->payload_len);
    if (sim::crc32c(payload) != h->payload_crc) return std::nullopt;
    return Entry{h->index, h->term, std::vector<uint8_t>(payload.begin(), payload.end())};
}

void encode_proof(const Proof& p, std::span<uint8_t> out) {
    SL_ASSERT(out.size() == k_proof_bytes);
    SL_ASSERT(p.index.value > 0);
    // It names a record: at a sector boundary, with a payload a record can hold.
    SL_ASSERT(p.offset % k_sector_bytes == 0);
    SL_ASSERT(p.payload_len <= k_payload_bytes_max);
    std::fill(out.begin(), out.end(), uint8_t{0});
    put(out, 0, k_proof_magic, 4);
    put(out, 4, p.index.value, 8);
    put(out, 12, p.term.value, 8);
    put(out, 20, p.offset, 8);
    put(out, 28, p.payload_len, 4);
    put(out, 32, p.payload_crc, 4);
    put(out, k_proof_crc_at, crc_of(out, k_proof_crc_at), 4);
}

std::optional<Proof> decode_proof(std::span<const uint8_t> slot) {
    SL_ASSERT(slot.size() == k_proof_bytes);
    if (get32(slot, 0) != k_proof_magic ||
        get32(slot, k_proof_crc_at) != crc_of(slot, k_proof_crc_at))
        return std::nullopt;
    const Proof p{Index{get(slot, 4, 8)}, Term{get(slot, 12, 8)}, get(slot, 20, 8), get32(slot, 28),
                  get32(slot, 32)};
    // Only what encode_proof could have written: a checksum that holds over fields no writer
    // produces is damage all the same (found by fuzz/targets/log_records.cpp).
    if (p.index.value == 0 || p.offset % k_sector_bytes != 0 || p.payload_len > k_payload_bytes_max)
        return std::nullopt;
    return p;
}

void encode_meta(const MetaSlot& m, std::span<uint8_t> out) {
    SL_ASSERT(out.size() == k_meta_slot_bytes);
    SL_ASSERT(m.seq > 0);
    std::fill(out.begin(), out.end(), uint8_t{0});
    put(out, 0, k_meta_magic, 4);
    put(out, 4, m.seq, 8);
    put(out, 12, m.hard.term.value, 8);
    put(out, 20, m.hard.commit.value, 8);
    put(out, 28, m.hard.voted_for.has_value() ? 1 : 0, 1);
    put(out, 29, m.hard.voted_for.value_or(0), 4);
    put(out, k_meta_crc_at, crc_of(out, k_meta_crc_at), 4);
}

std::optional<MetaSlot> decode_meta(std::span<const uint8_t> slot) {
    SL_ASSERT(slot.size() == k_meta_slot_bytes);
    if (get32(slot, 0) != k_meta_magic || get32(slot, k_meta_crc_at) != crc_of(slot, k_meta_crc_at))
        return std::nullopt;
    MetaSlot m;
    m.seq = get(slot, 4, 8);
    m.hard.term = Term{get(slot, 12, 8)};
    m.hard.commit = Index{get(slot, 20, 8)};
    if (get(slot, 28, 1) != 0) m.hard.voted_for = static_cast<NodeId>(get(slot, 29, 4));
    if (m.seq == 0) return std::nullopt;
    return m;
}

}  // namespace stormlog::system::store::format
