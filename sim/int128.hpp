#pragma once
// 128-bit integers for exact intermediate arithmetic (duration scaling, unbiased ranges).
// __extension__ keeps -Wpedantic quiet about the GNU type; g++ and clang both provide it.

namespace stormlog::sim {
__extension__ typedef __int128 int128;
__extension__ typedef unsigned __int128 uint128;
}  // namespace stormlog::sim
