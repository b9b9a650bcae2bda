#include "sim/size.hpp"

#include <cstddef>

namespace stormlog::sim {

std::optional<uint64_t> parse_size(std::string_view text) {
    struct Unit {
        std::string_view suffix;
        uint64_t bytes;
    };
    static constexpr Unit units[] = {{"", 1},
                                     {"B", 1},
                                     {"KiB", 1ULL << 10},
                                     {"MiB", 1ULL << 20},
                                     {"GiB", 1ULL << 30},
                                     {"TiB", 1ULL << 40},
                                     {"KB", 1'000},
                                     {"MB", 1'000'000},
                                     {"GB", 1'000'000'000},
                                     {"TB", 1'000'000'000'000}};
    size_t digits = 0;
    uint64_t count = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
        if (__builtin_mul_overflow(count, 10, &count) ||
            __builtin_add_overflow(count, static_cast<uint64_t>(text[digits] - '0'), &count)) {
            return std::nullopt;
        }
        ++digits;
    }
    if (digits == 0) return std::nullopt;
    for (const Unit& u : units) {
        uint64_t bytes = 0;
        if (text.substr(digits) == u.suffix && !__builtin_mul_overflow(count, u.bytes, &bytes))
            return bytes;
    }
    return std::nullopt;
}

}  // namespace stormlog::sim
