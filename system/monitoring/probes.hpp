#pragma once
// Sometimes-probes of monitoring (sim/probe.hpp): alert rules firing and resolving, so a suite
// knows its alerts were exercised, not only declared. Counting never changes what an alert does.

#include <array>
#include <cstddef>

#include "sim/probe.hpp"

namespace stormlog::system::monitoring::probes {

inline constexpr sim::Probe alert_fired{
    "alert.fired", "an alert rule's condition held for its for_duration: the alert fires"};
inline constexpr sim::Probe alert_resolved{
    "alert.resolved", "a firing alert's condition no longer holds: the alert resolves"};

inline constexpr std::array<const sim::Probe*, 2> all{&alert_fired, &alert_resolved};

// No name twice (the coverage counts probes by name).
static_assert([] {
    for (std::size_t i = 0; i < all.size(); ++i) {
        for (std::size_t j = i + 1; j < all.size(); ++j) {
            if (all[i]->name == all[j]->name) return false;
        }
    }
    return true;
}());

}  // namespace stormlog::system::monitoring::probes
