#pragma once
// Sizes as people write them: "512MiB", "1GiB", "4096B".

#include <cstdint>
#include <optional>
#include <string_view>

namespace stormlog::sim {

// "<digits><unit>" with unit B, KiB, MiB, GiB or TiB (binary units, case as written) -> bytes;
// nullopt when malformed or beyond 64 bits. No sign, no spaces, no fractions.
std::optional<uint64_t> parse_size(std::string_view text);

}  // namespace stormlog::sim
