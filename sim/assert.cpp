#include "sim/assert.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "sim/simulation.hpp"

namespace stormlog::sim {

void assertion_failed(const char* file, int line, const char* condition) {
    Simulation* sim = Simulation::running();
    if (sim == nullptr) assertion_fatal(file, line, condition);
    sim->fail_assertion(std::string(file) + ":" + std::to_string(line) + ": " + condition);
    // A second exception while one unwinds the stack would terminate the whole process (and with
    // it every other run of a suite); the failure is recorded and the run stops either way.
    if (std::uncaught_exceptions() == 0) throw AssertionFailed{};
}

void assertion_fatal(const char* file, int line, const char* condition) noexcept {
    std::fprintf(stderr, "stormlog: assertion failed: %s:%d: %s\n", file, line, condition);
    std::fflush(stderr);
    std::abort();
}

}  // namespace stormlog::sim
