#pragma once
// Decoded commands, shared by the nodes of one cluster. Every node applies the same committed
// entries, and decoding one on each node (an allocation for every event's id and payload, and the
// duplicate-id check) was a tenth of a store run's instructions. A deployment hands its nodes one
// cache: an entry whose bytes equal those of an entry decoded recently, at the same index, gets
// that decoding.
//
// Why sharing cannot change a run: decoding is a pure function of the bytes, the comparison is of
// every byte, and the result is immutable. A node whose entry differs (a bug, a corruption that
// slipped past the checksum) misses and decodes its own bytes, as it would without the cache.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "system/store/command.hpp"

namespace stormlog::system::store {

class DecodeCache {
  public:
    using Decoded = std::shared_ptr<const std::optional<Command>>;

    // decode_command(bytes), shared with every earlier call for `index` with the same bytes while
    // that decoding is still kept. The result stays valid as long as it is held.
    Decoded decode(uint64_t index, std::span<const uint8_t> bytes);

    uint64_t hits() const { return hits_; }
    uint64_t misses() const { return misses_; }

  private:
    // Nodes apply an index within a few entries of each other: a direct-mapped table by index
    // keeps every entry that some node has yet to apply in a healthy cluster; a node that lags
    // further decodes for itself.
    static constexpr size_t k_slots = 64;
    struct Slot {
        uint64_t index = 0;
        std::vector<uint8_t> bytes;
        Decoded decoded;
    };
    std::array<Slot, k_slots> slots_;
    uint64_t hits_ = 0;
    uint64_t misses_ = 0;
};

}  // namespace stormlog::system::store
