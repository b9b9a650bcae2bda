#include "system/projections/read_model.hpp"

#include "sim/assert.hpp"
#include "system/store/wire.hpp"

namespace stormlog::system::projections {
namespace {

// An entry's smallest encoding: an empty key (length u32) and its value (i64). decode() bounds a
// count by it, so a forged count cannot make it read, or reserve, more than the bytes hold.
constexpr size_t k_entry_bytes_min = 4 + 8;

}  // namespace

bool system_stream(const std::string& stream) {
    return !stream.empty() && stream[0] == '$';
}

std::vector<uint8_t> FlatModel::encode() const {
    SL_ASSERT(state_.size() <= k_keys_max);
    size_t bytes = 4;  // sized first: a checkpoint encodes the whole model every time
    for (const auto& [k, v] : state_) bytes += 4 + k.size() + 8;
    std::vector<uint8_t> out;
    out.reserve(bytes);
    store::wire::Writer w(out);
    w.u32(static_cast<uint32_t>(state_.size()));
    for (const auto& [k, v] : state_) {
        // A key decode() would refuse would make the model's own checkpoint unreadable.
        SL_ASSERT(k.size() <= k_key_bytes_max);
        w.str(k);
        w.i64(v);
    }
    SL_ASSERT(out.size() == bytes);
    return out;
}

bool FlatModel::decode(std::span<const uint8_t> bytes) {
    state_.clear();
    store::wire::Reader r(bytes);
    const size_t n = r.count(k_keys_max, k_entry_bytes_min);
    for (size_t i = 0; i < n && r.ok(); ++i) {
        std::string k = r.str(k_key_bytes_max);
        state_[std::move(k)] = r.i64();
    }
    if (!r.done() || state_.size() != n) {
        state_.clear();
        return false;
    }
    return true;
}

}  // namespace stormlog::system::projections
