#include "sim/crc32c.hpp"

#include <boost/crc.hpp>
#include <cstring>

namespace stormlog::sim {
namespace {

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define STORMLOG_CRC32C_HW 1
__attribute__((target("sse4.2"))) uint32_t crc32c_hw(std::span<const uint8_t> data) {
    uint64_t c = 0xFFFFFFFFu;
    const uint8_t* p = data.data();
    size_t n = data.size();
    for (; n >= 8; n -= 8, p += 8) {
        uint64_t word;
        std::memcpy(&word, p, 8);  // unaligned-safe
        c = __builtin_ia32_crc32di(c, word);
    }
    auto c32 = static_cast<uint32_t>(c);
    for (; n > 0; --n, ++p) c32 = __builtin_ia32_crc32qi(c32, *p);
    return c32 ^ 0xFFFFFFFFu;
}
#endif

}  // namespace

uint32_t crc32c_portable(std::span<const uint8_t> data) {
    boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc;
    crc.process_bytes(data.data(), data.size());
    return crc.checksum();
}

uint32_t crc32c(std::span<const uint8_t> data) {
#ifdef STORMLOG_CRC32C_HW
    static const bool hw = __builtin_cpu_supports("sse4.2");
    if (hw) return crc32c_hw(data);
#endif
    return crc32c_portable(data);
}

}  // namespace stormlog::sim
