#pragma once
// AddressSanitizer support. Boost.Context switches stacks in assembly that ASan cannot see, so the
// kernel tells ASan about every switch itself (__sanitizer_start_switch_fiber before, and
// __sanitizer_finish_switch_fiber after, in the context that resumes). Every switch goes through
// Simulation::pick_next, which makes that possible. Without it, an exception thrown on a fiber
// stack (a crash's FiberKilled) makes ASan unpoison the wrong stack and report false errors.
// All of this compiles to nothing outside ASan builds.

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
#include <sanitizer/common_interface_defs.h>
#endif

namespace stormlog::sim {

struct StackBounds {
    const void* bottom = nullptr;  // lowest address
    size_t size = 0;               // 0: unknown
};

inline void asan_unpoison(const void* begin, size_t size) {
#if defined(STORMLOG_ASAN)
    ASAN_UNPOISON_MEMORY_REGION(begin, size);
#else
    (void)begin;
    (void)size;
#endif
}

// Before switching to a context whose stack is `to`. Fake stacks (detect_stack_use_after_return)
// are not supported with fibers, so no fake-stack state is saved.
inline void asan_start_switch(StackBounds to) {
#if defined(STORMLOG_ASAN)
    __sanitizer_start_switch_fiber(nullptr, to.bottom, to.size);
#else
    (void)to;
#endif
}

// In the context that just resumed; returns the stack it came from.
inline StackBounds asan_finish_switch() {
    StackBounds from;
#if defined(STORMLOG_ASAN)
    __sanitizer_finish_switch_fiber(nullptr, &from.bottom, &from.size);
#endif
    return from;
}

}  // namespace stormlog::sim
