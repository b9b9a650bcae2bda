#pragma once
// Always-on assertions. Checked in every build type, NDEBUG or not: in a simulator a failed
// assertion is a found bug with a seed, the cheapest bug detector there is.
//
//   SL_ASSERT(cond)        Inside a running simulation (a simulated fiber, or a timer callback)
//                          it fails the run: Simulation::fail("assert", node, "file:line: cond"),
//                          then throws AssertionFailed, which unwinds the fiber (or callback) to
//                          the kernel; the run stops at the next scheduling point, with verdict
//                          fail and the seed that replays it. Outside a simulation it prints the
//                          file, line and condition and aborts.
//   SL_ASSERT_FATAL(cond)  Always prints and aborts. For the kernel's own bookkeeping (the state
//                          that would carry the failure is itself broken), for destructors and
//                          for noexcept functions, where an exception would terminate anyway.
//
// One condition per assertion, so that a failure names the one that broke. Assertions state what
// must hold whatever the seed, the faults and the input; errors a user can cause are values.
// A condition must have no side effects: it is evaluated exactly once, but reads as a check.

namespace stormlog::sim {

// Thrown by a failed SL_ASSERT inside a running simulation, after the failure is recorded.
// Deliberately not derived from std::exception: `catch (const std::exception&)` in system code
// must not swallow it. The kernel catches it where a fiber or a timer callback starts.
struct AssertionFailed {};

// The handlers behind the macros; cold, out of line, so that a passing assertion costs one
// predictable branch. assertion_failed returns only while an exception already unwinds the stack
// (an assertion in a destructor during unwinding): the failure is recorded, and a second throw
// would terminate the process.
[[gnu::cold, gnu::noinline]] void assertion_failed(const char* file, int line,
                                                   const char* condition);
[[noreturn, gnu::cold, gnu::noinline]] void assertion_fatal(const char* file, int line,
                                                            const char* condition) noexcept;

}  // namespace stormlog::sim

#define SL_ASSERT(cond)                           \
    (__builtin_expect(static_cast<bool>(cond), 1) \
         ? static_cast<void>(0)                   \
         : ::stormlog::sim::assertion_failed(__FILE__, __LINE__, #cond))

#define SL_ASSERT_FATAL(cond)                     \
    (__builtin_expect(static_cast<bool>(cond), 1) \
         ? static_cast<void>(0)                   \
         : ::stormlog::sim::assertion_fatal(__FILE__, __LINE__, #cond))
