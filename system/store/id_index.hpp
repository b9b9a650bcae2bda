#pragma once
// A stream's index from event id to stream position: an open-addressing table of (hash of the
// id, position), probed linearly. It keeps no copy of the ids: the caller says which id sits at a
// position (`id_at`), and a candidate whose hash matches is confirmed by comparing that id, so a
// hash collision never confuses two ids.
//
// Why not std::unordered_map<std::string, int64_t>: every apply of an append looks up each of its
// events' ids on every node (idempotent retries, EventStore::check_retry), and the map's node per
// id (a heap node and a copy of the string) made those lookups the store's costliest cache
// misses (perf on `stormlog bench store`: 5% of the wall time in its find). Here a lookup reads
// one or two 16-byte slots and then the id itself.
//
// Only looked up, never iterated: its layout never reaches a result.

#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/assert.hpp"
#include "sim/hash.hpp"

namespace stormlog::system::store {

class IdIndex {
  public:
    size_t size() const { return size_; }

    // The position of `id`, or -1. `id_at(position)` returns the id stored at a position.
    template <class IdAt>
    int64_t find(std::string_view id, IdAt&& id_at) const {
        if (slots_.empty()) return -1;
        const uint64_t h = sim::hash_string(id);
        for (size_t i = h & mask(); slots_[i].position >= 0; i = (i + 1) & mask()) {
            const Slot& s = slots_[i];
            if (s.hash == h && id_at(s.position) == id) return s.position;
        }
        return -1;
    }

    // Records that `id` is at `position`; false (and nothing changes) if `id` is already there,
    // so an id keeps its first position. REQUIRES: position >= 0.
    template <class IdAt>
    bool insert(std::string_view id, int64_t position, IdAt&& id_at) {
        SL_ASSERT(position >= 0);
        if ((size_ + 1) * 2 > slots_.size()) grow();
        const uint64_t h = sim::hash_string(id);
        size_t i = h & mask();
        for (; slots_[i].position >= 0; i = (i + 1) & mask()) {
            if (slots_[i].hash == h && id_at(slots_[i].position) == id) return false;
        }
        slots_[i] = Slot{h, position};
        ++size_;
        return true;
    }

  private:
    struct Slot {
        uint64_t hash = 0;
        int64_t position = -1;  // -1: empty
    };

    size_t mask() const { return slots_.size() - 1; }

    // Doubles the table (at most half full, so probes stay short) and re-places every slot by
    // its stored hash: no id is needed to move.
    void grow() {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
        for (const Slot& s : old) {
            if (s.position < 0) continue;
            size_t i = s.hash & mask();
            while (slots_[i].position >= 0) i = (i + 1) & mask();
            slots_[i] = s;
        }
    }

    std::vector<Slot> slots_;  // size a power of two, or empty
    size_t size_ = 0;
};

}  // namespace stormlog::system::store
