#pragma once
// Checks over an area's list of sometimes-probes (its probes.hpp `all`), at compile time.

#include <array>
#include <cstddef>

#include "sim/probe.hpp"

namespace stormlog::sim {

// True if no two probes of `probes` share a name: coverage counts probes by name.
template <std::size_t N>
constexpr bool distinct_names(const std::array<const Probe*, N>& probes) {
    for (std::size_t i = 0; i < N; ++i) {
        for (std::size_t j = i + 1; j < N; ++j) {
            if (probes[i]->name == probes[j]->name) return false;
        }
    }
    return true;
}

}  // namespace stormlog::sim
