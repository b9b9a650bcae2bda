#pragma once
// The search's memory: which (set of linearized operations, model state) pairs it has already
// explored. Reaching one again can only repeat what was found from it the first time.
//
// Operations are numbered in invoke order, so a linearized set is nearly always "every
// operation before some point, plus a few after it". A set is stored as that point (`lo`, the
// first 64-bit word that is not all ones) and the words from there to its last nonzero word:
// a few words however long the history, which keeps 100,000-operation histories small.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "properties/linearizability/op.hpp"

namespace stormlog::properties::linearizability {

// A bitset over a partition's operations with an order-independent hash that is updated as
// bits change, and the canonical (lo, hi) window described above.
class LiveBitset {
  public:
    explicit LiveBitset(std::size_t bits);

    void set(std::size_t bit);
    void clear(std::size_t bit);
    bool test(std::size_t bit) const { return (words_[bit >> 6] >> (bit & 63)) & 1; }

    std::uint64_t hash() const { return hash_; }
    std::uint32_t lo() const { return lo_; }
    std::uint32_t window_words() const { return hi_ - lo_; }
    const std::uint64_t* window() const { return words_.data() + lo_; }
    std::size_t memory_bytes() const { return words_.capacity() * sizeof(std::uint64_t); }

  private:
    std::vector<std::uint64_t> words_;
    std::uint64_t hash_ = 0;
    std::uint32_t lo_ = 0;  // first word that is not all ones
    std::uint32_t hi_ = 0;  // one past the last nonzero word
};

class MemoTable {
  public:
    enum class Insert { added, present, full };

    // `bytes_max` bounds the table and its word arena; past it, insert() says `full`.
    MemoTable(std::size_t bitset_bits, std::size_t bytes_max);

    Insert insert(const LiveBitset& bits, StateId state);

    std::size_t size() const { return size_; }
    std::size_t memory_bytes() const;

  private:
    struct Slot {
        std::uint64_t hash;  // 0: empty
        StateId state;
        std::uint32_t lo;
        std::uint32_t count;
        std::uint32_t offset;  // into the arena, in words
    };

    static std::uint64_t slot_hash(const LiveBitset& bits, StateId state);
    bool matches(const Slot& slot, std::uint64_t hash, const LiveBitset& bits, StateId state) const;
    bool grow();
    bool store_words(const LiveBitset& bits, std::uint32_t& offset);
    const std::uint64_t* words_at(std::uint32_t offset) const;

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
    std::size_t bytes_max_;
    // Words live in fixed-size blocks so that growing never copies (or doubles) them.
    std::vector<std::unique_ptr<std::uint64_t[]>> blocks_;
    std::uint32_t block_shift_;
    std::uint32_t block_used_;
};

}  // namespace stormlog::properties::linearizability
