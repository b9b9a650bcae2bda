#pragma once
// CRC-32C (Castagnoli), the checksum on every packet and disk record. On x86-64 CPUs with SSE4.2
// it uses the crc32 instruction (8 bytes per step); elsewhere Boost.CRC's table. Both give the
// same value, so runs replay bit for bit on either.

#include <cstdint>
#include <span>

namespace stormlog::sim {

uint32_t crc32c(std::span<const uint8_t> data);
// Boost.CRC's table-driven version, which crc32c must always agree with (tests compare them).
uint32_t crc32c_portable(std::span<const uint8_t> data);

}  // namespace stormlog::sim
