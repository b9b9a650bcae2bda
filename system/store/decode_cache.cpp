#include "system/store/decode_cache.hpp"

#include <algorithm>

namespace stormlog::system::store {

DecodeCache::Decoded DecodeCache::decode(uint64_t index, std::span<const uint8_t> bytes) {
    Slot& slot = slots_[index % k_slots];
    if (slot.decoded && slot.index == index &&
        std::equal(slot.bytes.begin(), slot.bytes.end(), bytes.begin(), bytes.end())) {
        ++hits_;
        return slot.decoded;
    }
    ++misses_;
    Decoded decoded = std::make_shared<const std::optional<Command>>(decode_command(bytes));
    slot.index = index;
    slot.bytes.assign(bytes.begin(), bytes.end());
    slot.decoded = decoded;
    return decoded;
}

}  // namespace stormlog::system::store
