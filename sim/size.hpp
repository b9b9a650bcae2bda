#pragma once
// Sizes as people write them: "512MiB", "1GiB", "2GB", "4096B", "4096".

#include <cstdint>
#include <optional>
#include <string_view>

namespace stormlog::sim {

// "<digits>[unit]" -> bytes, with unit B (or none), KiB, MiB, GiB, TiB (powers of 1024) or KB, MB,
// GB, TB (powers of 1000), case as written; nullopt when malformed or beyond 64 bits. No sign, no
// spaces, no fractions: a size is exact.
std::optional<uint64_t> parse_size(std::string_view text);

}  // namespace stormlog::sim
