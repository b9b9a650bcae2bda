#pragma once
// The parts of the scenario file parser, shared by its source files: scenario_sections.cpp (the
// settings: name, cluster, network, disk, workload, budget, quiet period, properties),
// scenario_faults.cpp (scripted faults and the nemesis) and scenario_file.cpp (the whole file, and
// the checks against the workload's registry entry). Not a public interface: scenario_file.hpp is.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/json_reader.hpp"
#include "scenarios/scenario_file.hpp"

namespace stormlog::scenarios {

constexpr size_t k_text_bytes_max = size_t{4} << 20;  // 10000 faults fit in a quarter of it
constexpr size_t k_depth_max = 64;
constexpr size_t k_faults_max = 10000;
constexpr size_t k_properties_max = 1000;  // and probes
// "probes": "all" - every probe the scenario's workload can reach.
constexpr std::string_view k_all_probes = "all";

// The keys of "workload" the format knows: "type", and every setting some workload of the registry
// reads (workloads/workload.hpp); which of them a scenario may set is its workload's business.
const std::vector<std::string_view>& workload_keys();

// Values that later checks compare against; empty when the value itself was wrong, so that one
// mistake does not echo through every fault that refers to it.
struct Context {
    std::optional<int> nodes = 3;
    std::optional<Duration> duration;
    std::optional<Duration> quiet_start;  // only under budget "within"
    Duration quiet_period;
};

// Durations in messages read like the file's own ("24h", not "86400s").
inline std::string show(Duration d) {
    return sim::format_duration_hm(d);
}

// Reads the keys that other checks depend on (cluster, duration, budget, quiet period) and the
// plain ones; returns what faults and the nemesis are checked against.
Context read_settings(Reader& r, const Json& doc, Scenario& s);

void read_faults(Reader& r, const Json& v, const std::string& path, const Context& ctx,
                 std::vector<FaultSpec>& out);
void read_nemesis(Reader& r, const Json& v, const std::string& path, const Context& ctx,
                  NemesisSpec& n);

}  // namespace stormlog::scenarios
