#pragma once
// What a run with RunOptions::record hands to its report (reports/run_report.hpp): the
// monitoring layer's recording (series, node and breaker states, leaderships, fault windows),
// the injector's fault log, the alerts that fired and who the nodes are.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "faults/injector.hpp"
#include "system/monitoring/alerts.hpp"
#include "system/monitoring/recording.hpp"

namespace stormlog::workloads {

struct RunRecording {
    system::monitoring::Recording data;
    std::vector<faults::AppliedFault> faults;  // parallel to data.windows()
    std::vector<faults::SkippedFault> skipped;
    std::vector<std::string> nodes;  // by node id: the cluster's nodes, then the others
    size_t cluster_nodes = 0;
    std::vector<system::monitoring::AlertFiring> alerts;
    // Acknowledged writes missing from the final log; nullopt when the workload cannot tell.
    std::optional<uint64_t> acked_writes_lost;
    sim::Time heal_all_at = sim::Time::max();  // max: no quiet period
    sim::Time end;
};

}  // namespace stormlog::workloads
