#pragma once
// AddressSanitizer hooks. Boost.Context switches stacks where ASan cannot see it, so ASan cannot
// clean the shadow of frames that an exception (a crash's FiberKilled) unwinds on a fiber stack
// ("ASan is ignoring requested __asan_handle_no_return"). Left alone, stale poison would make a
// false report when the stack memory is used again; these hooks clear it. No-ops otherwise.

#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#define STORMLOG_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STORMLOG_ASAN 1
#endif
#endif

#if defined(STORMLOG_ASAN)
#include <sanitizer/asan_interface.h>
#endif

namespace stormlog::sim {

inline void asan_unpoison(const void* begin, size_t size) {
#if defined(STORMLOG_ASAN)
    ASAN_UNPOISON_MEMORY_REGION(begin, size);
#else
    (void)begin;
    (void)size;
#endif
}

}  // namespace stormlog::sim
