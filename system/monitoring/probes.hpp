#pragma once
// Sometimes-probes of monitoring (sim/probe.hpp): alert rules firing and resolving, so a suite
// knows its alerts were exercised, not only declared. Counting never changes what an alert does.

#include <array>

#include "sim/probe_list.hpp"

namespace stormlog::system::monitoring::probes {

inline constexpr sim::Probe alert_fired{
    "alert.fired", "an alert rule's condition held for its for_duration: the alert fires"};
inline constexpr sim::Probe alert_resolved{
    "alert.resolved", "a firing alert's condition no longer holds: the alert resolves"};

inline constexpr std::array<const sim::Probe*, 2> all{&alert_fired, &alert_resolved};

static_assert(sim::distinct_names(all));  // the coverage counts probes by name

}  // namespace stormlog::system::monitoring::probes
