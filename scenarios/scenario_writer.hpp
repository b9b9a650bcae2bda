#pragma once
// A Scenario back to scenario-file JSON (the format of scenario_file.hpp): every setting written
// out, durations exact to the nanosecond, so that parse_scenario(scenario_json(s)) gives back s.
// What `stormlog run --dump-scenario` and `stormlog shrink` write.

#include <string>

#include "workloads/scenario.hpp"

namespace stormlog::scenarios {

// The file's text: one JSON object, indented, ending with a newline.
std::string scenario_json(const workloads::Scenario& s);

// A duration as the format writes it, in the largest unit that keeps it exact ("1500ms", "3s",
// "250us", "7ns", "-2s").
std::string exact_duration(sim::Duration d);

}  // namespace stormlog::scenarios
