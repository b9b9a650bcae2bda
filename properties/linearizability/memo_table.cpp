#include "properties/linearizability/memo_table.hpp"

#include <cstring>

#include "sim/assert.hpp"
#include "sim/hash.hpp"

namespace stormlog::properties::linearizability {

namespace {

constexpr std::uint64_t k_all_ones = ~std::uint64_t{0};
constexpr std::size_t k_initial_slots = 1024;    // a power of two
constexpr std::uint32_t k_block_shift_min = 16;  // 64 Ki words, 512 KiB

using sim::mix64;

// XOR of per-bit hashes: the same set hashes the same whatever order its bits were set in.
constexpr std::uint64_t bit_hash(std::size_t bit) {
    return mix64(bit + 0x9e3779b97f4a7c15ULL);
}

}  // namespace

LiveBitset::LiveBitset(std::size_t bits) : words_((bits + 63) / 64 + 1, 0) {
    // One spare zero word keeps `lo_` inside the vector even when every bit is set.
}

void LiveBitset::set(std::size_t bit) {
    const std::size_t w = bit >> 6;
    SL_ASSERT(!test(bit));
    words_[w] |= std::uint64_t{1} << (bit & 63);
    hash_ ^= bit_hash(bit);
    if (w + 1 > hi_) hi_ = static_cast<std::uint32_t>(w + 1);
    while (words_[lo_] == k_all_ones) ++lo_;
}

void LiveBitset::clear(std::size_t bit) {
    const std::size_t w = bit >> 6;
    SL_ASSERT(test(bit));
    words_[w] &= ~(std::uint64_t{1} << (bit & 63));
    hash_ ^= bit_hash(bit);
    if (w < lo_) lo_ = static_cast<std::uint32_t>(w);
    while (hi_ > 0 && words_[hi_ - 1] == 0) --hi_;
}

MemoTable::MemoTable(std::size_t bitset_bits, std::size_t bytes_max)
    : slots_(k_initial_slots, Slot{0, 0, 0, 0, 0}), bytes_max_(bytes_max) {
    // A block must hold the widest possible window.
    std::uint32_t shift = k_block_shift_min;
    while ((std::size_t{1} << shift) < bitset_bits / 64 + 2) ++shift;
    block_shift_ = shift;
    block_used_ = std::uint32_t{1} << shift;  // "full": the first store opens a block
}

std::size_t MemoTable::memory_bytes() const {
    return slots_.capacity() * sizeof(Slot) +
           blocks_.size() * (std::size_t{1} << block_shift_) * sizeof(std::uint64_t);
}

std::uint64_t MemoTable::slot_hash(const LiveBitset& bits, StateId state) {
    const std::uint64_t h = mix64(bits.hash() ^ (std::uint64_t{state} * 0xff51afd7ed558ccdULL));
    return h == 0 ? 1 : h;
}

const std::uint64_t* MemoTable::words_at(std::uint32_t offset) const {
    const std::uint32_t mask = (std::uint32_t{1} << block_shift_) - 1;
    return blocks_[offset >> block_shift_].get() + (offset & mask);
}

bool MemoTable::matches(const Slot& slot, std::uint64_t hash, const LiveBitset& bits,
                        StateId state) const {
    if (slot.hash != hash || slot.state != state || slot.lo != bits.lo() ||
        slot.count != bits.window_words()) {
        return false;
    }
    return slot.count == 0 || std::memcmp(words_at(slot.offset), bits.window(),
                                          slot.count * sizeof(std::uint64_t)) == 0;
}

bool MemoTable::store_words(const LiveBitset& bits, std::uint32_t& offset) {
    const std::uint32_t count = bits.window_words();
    const std::uint32_t block_words = std::uint32_t{1} << block_shift_;
    if (block_used_ + count > block_words) {
        const std::size_t block_bytes = std::size_t{block_words} * sizeof(std::uint64_t);
        if (memory_bytes() + block_bytes > bytes_max_) return false;
        // Offsets are 32-bit word indices: 32 GiB of words, far past any sane memory cap.
        if ((blocks_.size() + 1) << block_shift_ > 0xFFFFFFFFull) return false;
        // Not zeroed: only the words stored are ever read, and a block is 512 KiB or more,
        // which zeroing would cost more than the whole search of a small partition.
        blocks_.push_back(std::make_unique_for_overwrite<std::uint64_t[]>(block_words));
        block_used_ = 0;
    }
    offset = static_cast<std::uint32_t>(((blocks_.size() - 1) << block_shift_) + block_used_);
    std::memcpy(blocks_.back().get() + block_used_, bits.window(), count * sizeof(std::uint64_t));
    block_used_ += count;
    return true;
}

bool MemoTable::grow() {
    const std::size_t new_capacity = slots_.size() * 2;
    // Old and new slots coexist while rehashing: count both against the cap.
    if (memory_bytes() + new_capacity * sizeof(Slot) > bytes_max_) return false;
    std::vector<Slot> old(new_capacity, Slot{0, 0, 0, 0, 0});
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
        if (slot.hash == 0) continue;
        std::size_t i = slot.hash & mask;
        while (slots_[i].hash != 0) i = (i + 1) & mask;
        slots_[i] = slot;
    }
    return true;
}

MemoTable::Insert MemoTable::insert(const LiveBitset& bits, StateId state) {
    const std::uint64_t hash = slot_hash(bits, state);
    std::size_t mask = slots_.size() - 1;
    std::size_t i = hash & mask;
    for (; slots_[i].hash != 0; i = (i + 1) & mask) {
        if (matches(slots_[i], hash, bits, state)) return Insert::present;
    }
    // Keep the load at most 1/2 so that probe sequences stay short.
    if ((size_ + 1) * 2 > slots_.size()) {
        if (!grow()) return Insert::full;
        mask = slots_.size() - 1;
        i = hash & mask;
        while (slots_[i].hash != 0) i = (i + 1) & mask;
    }
    Slot slot{hash, state, bits.lo(), bits.window_words(), 0};
    if (slot.count > 0 && !store_words(bits, slot.offset)) return Insert::full;
    slots_[i] = slot;
    ++size_;
    return Insert::added;
}

}  // namespace stormlog::properties::linearizability
