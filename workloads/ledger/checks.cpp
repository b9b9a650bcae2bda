#include "workloads/ledger/checks.hpp"

#include "properties/catalogue.hpp"

namespace stormlog::workloads::ledger {

Checks::Checks(Cluster& cluster)
    : ledger([this](const properties::ledger::LedgerViolation& v) {
          fail(v.property, "-", v.evidence);
      }),
      projections(log,
                  [this](const properties::projections::ProjectionViolation& v) {
                      fail(v.property, std::string("p-") + v.projection, v.evidence);
                  }),
      breakers([this](const properties::resilience::BreakerViolation& v) {
          fail(properties::property::breaker_semantics.name, v.breaker, v.evidence);
      }),
      cluster_(&cluster),
      enabled_(cluster.scenario().properties.begin(), cluster.scenario().properties.end()) {
    ledger.enable(on(properties::property::ledger_conservation.name),
                  on(properties::property::ledger_no_overdraft.name));
    projections.enable(enabled_);
}

void Checks::fail(const std::string& property, const std::string& node,
                  const std::string& evidence) {
    if (on(property)) cluster_->sim().fail(property, node, evidence);
}

}  // namespace stormlog::workloads::ledger
