#pragma once
// The one registry of workloads: what runs in a scenario. Each workload's source defines its own
// Workload (name, properties, application faults, history, leader, run); this list is where they
// meet.

#include <span>
#include <string_view>
#include <vector>

#include "workloads/workload.hpp"

namespace stormlog::workloads {

// Every workload, in a fixed order.
std::span<const Workload* const> registry();

// The workload named `name`, or null.
const Workload* find_workload(std::string_view name);

// The names of registry(), in its order: for messages ("expected one of ...").
std::vector<std::string_view> workload_names();

}  // namespace stormlog::workloads
