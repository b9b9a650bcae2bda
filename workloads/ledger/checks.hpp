#pragma once
// The ledger workload's checkers and the committed log they read: every violation goes through
// fail(), which reports it only when the scenario checks that property.

#include <set>
#include <string>

#include "properties/ledger/committed_log.hpp"
#include "properties/ledger/ledger_checker.hpp"
#include "properties/projections/projection_checker.hpp"
#include "properties/resilience/breaker_checker.hpp"
#include "properties/resilience/retry_checker.hpp"
#include "workloads/cluster.hpp"

namespace stormlog::workloads::ledger {

class Checks {
  public:
    explicit Checks(Cluster& cluster);
    Checks(const Checks&) = delete;
    Checks& operator=(const Checks&) = delete;

    // Whether the scenario checks `property` (all, when it names none).
    bool on(const std::string& property) const {
        return enabled_.empty() || enabled_.count(property) > 0;
    }
    void fail(const std::string& property, const std::string& node, const std::string& evidence);
    bool failed() const { return cluster_->sim().failed(); }
    const std::set<std::string>& enabled() const { return enabled_; }

    properties::ledger::CommittedLog log;
    properties::ledger::LedgerChecker ledger;
    properties::projections::ProjectionChecker projections;
    properties::resilience::BreakerChecker breakers;
    properties::resilience::RetryChecker retries;

  private:
    Cluster* cluster_;
    std::set<std::string> enabled_;
};

}  // namespace stormlog::workloads::ledger
