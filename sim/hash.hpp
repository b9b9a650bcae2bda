#pragma once
// Small, fast, platform-independent 64-bit hashing used by RNG forking and the trace hash.
// Never std::hash: its values are not specified and may differ between standard libraries.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace stormlog::sim {

// SplitMix64's finaliser: a bijective mix with good avalanche.
constexpr uint64_t mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

constexpr uint64_t hash_combine(uint64_t seed, uint64_t value) {
    return mix64(seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2)));
}

// FNV-1a over bytes, finished with mix64.
constexpr uint64_t hash_bytes(const void* data, size_t size,
                              uint64_t seed = 0xcbf29ce484222325ULL) {
    const auto* p = static_cast<const unsigned char*>(data);
    uint64_t h = seed;
    for (size_t i = 0; i < size; ++i) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return mix64(h);
}

// A digest of a byte run, eight bytes per step: for payloads (log entries, events) that checkers
// digest on every node at every append and apply, where hash_bytes's byte-at-a-time loop was a
// twentieth of a store run's instructions. Not interchangeable with hash_bytes (other values).
inline uint64_t hash_words(const void* data, size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    uint64_t h = 0x6a09e667f3bcc908ULL ^ (size * 0x9e3779b97f4a7c15ULL);
    const auto step = [&h](uint64_t word) {
        h = (h ^ word) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    };
    for (; size >= 8; size -= 8, p += 8) {
        uint64_t word;
        std::memcpy(&word, p, 8);  // unaligned-safe; the byte order is the host's (x86-64)
        step(word);
    }
    if (size > 0) {
        uint64_t word = 0;
        std::memcpy(&word, p, size);
        step(word);
    }
    return mix64(h);
}

constexpr uint64_t hash_string(std::string_view s) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return mix64(h);
}

}  // namespace stormlog::sim
