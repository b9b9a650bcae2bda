#include "sim/rng.hpp"

#include <cmath>

#include "sim/assert.hpp"
#include "sim/hash.hpp"
#include "sim/int128.hpp"

namespace stormlog::sim {
namespace {

constexpr uint64_t rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

}  // namespace

Rng::Rng(uint64_t identity) : identity_(identity) {
    // xoshiro256** state from SplitMix64 of the identity; never all zero.
    uint64_t x = identity;
    for (uint64_t& s : s_) {
        x += 0x9e3779b97f4a7c15ULL;
        s = mix64(x);
    }
}

Rng Rng::root(uint64_t seed) {
    return Rng(hash_combine(0x73746f726d6c6f67ULL, seed));
}

Rng Rng::fork(std::string_view name) const {
    return Rng(hash_combine(identity_, hash_string(name)));
}

Rng Rng::fork(uint64_t index) const {
    return Rng(hash_combine(identity_ ^ 0x5bd1e995ULL, mix64(index)));
}

uint64_t Rng::next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

uint64_t Rng::below(uint64_t bound) {
    SL_ASSERT(bound > 0);
    uint128 m = static_cast<uint128>(next_u64()) * bound;
    auto low = static_cast<uint64_t>(m);
    if (low < bound) {
        const uint64_t threshold = -bound % bound;
        while (low < threshold) {
            m = static_cast<uint128>(next_u64()) * bound;
            low = static_cast<uint64_t>(m);
        }
    }
    return static_cast<uint64_t>(m >> 64);
}

int64_t Rng::between(int64_t lo, int64_t hi) {
    SL_ASSERT(lo <= hi);
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    if (span == UINT64_MAX) return static_cast<int64_t>(next_u64());
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + below(span + 1));
}

double Rng::unit() {
    return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

bool Rng::chance(double p) {
    if (p <= 0.0) return false;
    if (p >= 1.0) return true;
    return unit() < p;
}

Duration Rng::between(Duration lo, Duration hi) {
    return Duration::nanos(between(lo.ns(), hi.ns()));
}

Duration Rng::exponential(Duration mean) {
    // 1 - unit() is in (0, 1], so the log is finite.
    const double u = 1.0 - unit();
    return Duration::nanos(static_cast<int64_t>(-std::log(u) * static_cast<double>(mean.ns())));
}

}  // namespace stormlog::sim
