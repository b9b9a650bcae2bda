#pragma once
// An open-addressing hash map from 64-bit keys to 32-bit ids, for the models' hot lookups
// (std::unordered_map allocates a node per entry, which dominated the kv model's profile).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace stormlog::properties::linearizability {

class FlatMap64 {
  public:
    static constexpr std::uint32_t k_absent = 0xFFFFFFFFu;  // also marks an empty slot

    FlatMap64() : slots_(k_initial_slots, Slot{0, k_absent}) {}

    std::uint32_t find(std::uint64_t key) const {
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = mix(key) & mask;; i = (i + 1) & mask) {
            if (slots_[i].value == k_absent) return k_absent;
            if (slots_[i].key == key) return slots_[i].value;
        }
    }

    // REQUIRES: value != k_absent. Replaces the value if the key is present.
    void insert(std::uint64_t key, std::uint32_t value) {
        if ((size_ + 1) * 2 > slots_.size()) grow();
        if (place(slots_, key, value)) ++size_;
    }

    std::size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot); }

  private:
    struct Slot {
        std::uint64_t key;
        std::uint32_t value;
    };
    static constexpr std::size_t k_initial_slots = 64;  // a power of two

    static std::uint64_t mix(std::uint64_t x) {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdULL;
        x ^= x >> 33;
        return x;
    }

    // Returns true if the key was new.
    static bool place(std::vector<Slot>& slots, std::uint64_t key, std::uint32_t value) {
        const std::size_t mask = slots.size() - 1;
        for (std::size_t i = mix(key) & mask;; i = (i + 1) & mask) {
            if (slots[i].value == k_absent) {
                slots[i] = Slot{key, value};
                return true;
            }
            if (slots[i].key == key) {
                slots[i].value = value;
                return false;
            }
        }
    }

    void grow() {
        std::vector<Slot> bigger(slots_.size() * 2, Slot{0, k_absent});
        for (const Slot& slot : slots_) {
            if (slot.value != k_absent) place(bigger, slot.key, slot.value);
        }
        slots_.swap(bigger);
    }

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
};

}  // namespace stormlog::properties::linearizability
