#pragma once
// What every fuzz target shares. A target is one input surface: it gets arbitrary bytes and must
// neither crash, nor read out of bounds, nor hang, nor allocate more than the input justifies
// (libFuzzer's -malloc_limit_mb and -timeout enforce the last two). Where it can build a value
// back from what it decoded, it also checks the round trip.
//
// The same file builds two ways (fuzz/CMakeLists.txt): with libFuzzer's engine under clang, and
// with replay_main.cpp under any compiler, so ctest replays the corpora on every `make test`.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "sim/assert.hpp"

// A check a target makes about the code under test: a failure is a found bug, so it aborts (the
// engine keeps the input as a crasher).
#define FUZZ_CHECK(cond) SL_ASSERT_FATAL(cond)

namespace stormlog::fuzz {

inline std::span<const uint8_t> as_bytes(const uint8_t* data, size_t size) {
    return {data, size};
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace stormlog::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
