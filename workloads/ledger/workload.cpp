#include "workloads/ledger/workload.hpp"

#include <span>

#include "faults/catalogue.hpp"
#include "properties/catalogue.hpp"
#include "properties/ledger/ledger_checker.hpp"
#include "properties/projections/projection_checker.hpp"
#include "properties/raft/raft_safety.hpp"
#include "properties/store/store_checker.hpp"
#include "system/ledger/probes.hpp"
#include "system/monitoring/probes.hpp"
#include "system/projections/probes.hpp"
#include "system/resilience/probes.hpp"
#include "system/store/probes.hpp"
#include "workloads/ledger/run.hpp"

namespace stormlog::workloads {

const Workload& ledger_workload() {
    static const Workload w = [] {
        Workload d{
            .name = "ledger",
            .summary = "the ledger service, its projections and breakers on the event store",
            .properties = {},
            .settings = {"clients", "rate", "accounts"},
            .application_faults = {},
            .records_history = false,
            .has_leader = true,
            .probes = {},
            .run = [](const Scenario& s,
                      const RunOptions& options) { return run_ledger(s, options); },
        };
        using namespace properties::property;
        for (const std::string& p : properties::raft::RaftSafety::property_names())
            d.properties.push_back(catalogued(p));
        for (const std::string& p : properties::store::StoreChecker::property_names())
            d.properties.push_back(catalogued(p));
        d.properties.push_back(client_backoff.name);
        d.properties.push_back(liveness_leader.name);
        d.properties.push_back(liveness_stable_leader.name);
        d.properties.push_back(liveness_no_disruption.name);
        for (const std::string& p : properties::ledger::LedgerChecker::property_names())
            d.properties.push_back(catalogued(p));
        for (const std::string& p : properties::projections::ProjectionChecker::property_names())
            d.properties.push_back(catalogued(p));
        d.properties.insert(d.properties.end(), {breaker_semantics.name, retry_backoff.name,
                                                 liveness_projections.name, liveness_service.name});
        // It owns every part an application fault acts on (ledger::LedgerRun::application_fault).
        for (const faults::FaultKindInfo& k : faults::catalogue()) {
            if (k.category == faults::Category::application) d.application_faults.push_back(k.name);
        }
        // Every part of the system runs in it: every area's probes.
        for (const std::span<const sim::Probe* const> area :
             {std::span<const sim::Probe* const>(system::store::probes::all),
              std::span<const sim::Probe* const>(system::projections::probes::all),
              std::span<const sim::Probe* const>(system::resilience::probes::all),
              std::span<const sim::Probe* const>(system::ledger::probes::all),
              std::span<const sim::Probe* const>(system::monitoring::probes::all)})
            d.probes.insert(d.probes.end(), area.begin(), area.end());
        return d;
    }();
    return w;
}

RunResult run_ledger(const Scenario& scenario, const RunOptions& options, const LedgerBugs& bugs) {
    return ledger::LedgerRun(scenario, options, bugs).run();
}

}  // namespace stormlog::workloads
