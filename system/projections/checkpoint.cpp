#include "system/projections/checkpoint.hpp"

#include <cstdint>

#include "sim/assert.hpp"
#include "sim/crc32c.hpp"
#include "system/projections/buggify.hpp"
#include "system/store/wire.hpp"

namespace stormlog::system::projections {
namespace {

constexpr uint32_t k_magic = 0x50434c53;  // "SLCP"
constexpr uint32_t k_parked_max = 1 << 20;
constexpr uint32_t k_state_bytes_max = 64 << 20;
constexpr uint32_t k_record_bytes_max = k_state_bytes_max + 8 * k_parked_max + 64;
// Everything but the parked positions and the state: length, magic, sequence, checkpoint,
// parked count, state length, crc32c.
constexpr uint64_t k_fixed_bytes = 4 + 4 + 8 + 8 + 4 + 4 + 4;

// The largest record encode_record may write is one read_slot still reads, and its length
// prefix (a u32) can say how long it is.
static_assert(k_fixed_bytes + 8 * uint64_t{k_parked_max} + k_state_bytes_max <= k_record_bytes_max);
static_assert(k_record_bytes_max <= UINT32_MAX);

// The size of the record holding `parked` positions and `state` bytes, as both ends see it.
constexpr uint64_t record_bytes(uint64_t parked, uint64_t state) {
    return k_fixed_bytes + 8 * parked + state;
}

}  // namespace

std::vector<uint8_t> encode_record(const Durable& d) {
    // decode_record refuses more: a record over either bound could be written but never read.
    SL_ASSERT(d.parked.size() <= k_parked_max);
    SL_ASSERT(d.state.size() <= k_state_bytes_max);
    std::vector<uint8_t> out(4, 0);                              // the length, filled in below
    out.reserve(record_bytes(d.parked.size(), d.state.size()));  // one allocation per save
    store::wire::Writer w(out);
    w.u32(k_magic);
    w.u64(d.sequence);
    w.u64(d.checkpoint);
    w.u32(d.parked.size());
    for (uint64_t p : d.parked) w.u64(p);
    w.bytes(d.state);
    w.u32(sim::crc32c(std::span<const uint8_t>(out).subspan(4)));
    const uint64_t length = out.size() - 4;
    for (int i = 0; i < 4; ++i)
        out[static_cast<size_t>(i)] = static_cast<uint8_t>(length >> (8 * i));
    // The layout of the header comment, byte for byte (decode_record checks the same sum).
    SL_ASSERT(out.size() == record_bytes(d.parked.size(), d.state.size()));
    return out;
}

std::optional<Durable> decode_record(std::span<const uint8_t> bytes) {
    store::wire::Reader head(bytes);
    const uint32_t length = head.u32();
    if (!head.ok() || length < 8 || length > bytes.size() - 4) return std::nullopt;
    const std::span<const uint8_t> body = bytes.subspan(4, length);
    store::wire::Reader crc(body.subspan(length - 4));
    if (crc.u32() != sim::crc32c(body.first(length - 4))) return std::nullopt;
    store::wire::Reader r(body.first(length - 4));
    if (r.u32() != k_magic) return std::nullopt;
    Durable d;
    d.sequence = r.u64();
    d.checkpoint = r.u64();
    const size_t n = r.count(k_parked_max, 8);
    for (size_t i = 0; i < n && r.ok(); ++i) d.parked.insert(r.u64());
    d.state = r.bytes(k_state_bytes_max);
    if (!r.done() || d.parked.size() != n || d.sequence == 0) return std::nullopt;
    // The twin of encode_record's size: what was read back is exactly one whole record.
    SL_ASSERT(uint64_t{length} + 4 == record_bytes(d.parked.size(), d.state.size()));
    return d;
}

std::optional<Durable> CheckpointStore::read_slot(const std::string& file, uint64_t& claimed) {
    claimed = 0;
    const uint64_t size = disk_->size(file);
    if (size < 8 || size > k_record_bytes_max) return std::nullopt;
    std::vector<uint8_t> bytes(size);
    if (!disk_->read(file, 0, bytes).ok()) return std::nullopt;
    std::optional<Durable> d = decode_record(bytes);
    if (!d) {
        store::wire::Reader header(bytes);
        (void)header.u32();  // the length
        const uint32_t magic = header.u32();
        const uint64_t sequence = header.u64();
        if (header.ok() && magic == k_magic) claimed = sequence;
    }
    return d;
}

std::optional<Durable> CheckpointStore::load(bool oldest) {
    uint64_t claimed_a = 0;
    uint64_t claimed_b = 0;
    std::optional<Durable> a = read_slot(slot(0), claimed_a);
    std::optional<Durable> b = read_slot(slot(1), claimed_b);
    // save() writes sequence s to slot s % 2 and the CRC vouches for what a slot holds, so the
    // two records never tie and "newest" is well defined (a damaged slot reads as nullopt).
    SL_ASSERT(!a || a->sequence % 2 == 0);
    SL_ASSERT(!b || b->sequence % 2 == 1);
    // Only what the probe counts: the damaged slot was to hold the record after the intact one.
    loaded_older_slot_ =
        (!a && b && claimed_a == b->sequence + 1) || (!b && a && claimed_b == a->sequence + 1);
    if (!a) return b;
    if (!b) return a;
    const bool a_newer = a->sequence > b->sequence;
    return a_newer != oldest ? a : b;
}

bool CheckpointStore::save(const Durable& d) {
    // Sequence 0 reads back as "nothing durable": such a record would be lost on recovery.
    SL_ASSERT(d.sequence >= 1);
    const std::string file = slot(d.sequence);
    if (SL_BUGGIFY(buggify::checkpoint_write_refused)) return false;
    // The record moves into the disk's cache: a checkpoint carries the whole read model.
    if (!disk_->write(file, 0, encode_record(d)).ok()) return false;
    return disk_->fsync(file).ok();
}

void CheckpointStore::erase() {
    for (uint64_t s = 0; s < 2; ++s) {
        if (disk_->remove(slot(s)).ok()) (void)disk_->fsync(slot(s));
    }
}

}  // namespace stormlog::system::projections
