#pragma once
// The ledger workload's monitoring: every 100 ms it samples gauges (store leader, each
// projection's lag, queue depth and parked events, each breaker's state) and evaluates the alert
// rules (projection lag, open breakers, no store leader); firings are part of the result.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "system/monitoring/alerts.hpp"
#include "system/monitoring/metrics.hpp"
#include "system/resilience/circuit_breaker.hpp"
#include "workloads/ledger/checks.hpp"
#include "workloads/ledger/config.hpp"
#include "workloads/ledger/projections.hpp"
#include "workloads/store/deployment.hpp"

namespace stormlog::workloads::ledger {

using Breakers = std::span<const system::resilience::CircuitBreaker* const>;

class Monitor {
  public:
    Monitor(Cluster& cluster, StoreDeployment& store, Checks& checks,
            const Projections& projections);
    Monitor(const Monitor&) = delete;
    Monitor& operator=(const Monitor&) = delete;

    system::monitoring::Metrics& metrics() { return metrics_; }
    const system::monitoring::Metrics& metrics() const { return metrics_; }
    const system::monitoring::Alerts& alerts() const { return alerts_; }

    // Adds the alert rules, then samples now and every k_sample_every. `breakers` must outlive
    // the run. REQUIRES: once, before the run.
    void start(Breakers breakers);

    uint64_t lag_max() const { return lag_max_; }
    uint64_t queues_above_high_watermark() const { return high_watermarks_; }
    // " lag-balances 5.2s..9.1s, breaker-open-notifier 12s..(firing)", the first few.
    std::string describe_firings() const;

  private:
    void add_alerts();
    void add_gauges();
    void sample();

    Cluster* cluster_;
    StoreDeployment* store_;
    Checks* checks_;
    const Projections* projections_;
    Breakers breakers_;
    system::monitoring::Metrics metrics_;
    system::monitoring::Alerts alerts_;
    std::array<bool, k_projection_count> above_{};  // a queue above its high watermark
    uint64_t high_watermarks_ = 0;                  // samples that found a queue newly above it
    std::array<uint64_t, k_projection_count> last_checkpoint_{};
    uint64_t lag_max_ = 0;
    // The gauges sample() sets, looked up by name once in start() (the registry keeps them in
    // place), so a sample builds no names and searches no map.
    struct ProjectionGauges {
        system::monitoring::Gauge* lag = nullptr;
        system::monitoring::Gauge* depth = nullptr;
        system::monitoring::Gauge* above_high_watermark = nullptr;
        system::monitoring::Gauge* parked = nullptr;
    };
    system::monitoring::Gauge* leader_gauge_ = nullptr;
    std::array<ProjectionGauges, k_projection_count> projection_gauges_{};
    std::vector<system::monitoring::Gauge*> breaker_gauges_;  // parallel to breakers_
    // With a recording (RunOptions::record), sample() also records what it samples into:
    std::vector<size_t> recorded_gauges_;  // series ids: lag, depth per projection
    std::vector<size_t> breaker_tracks_;   // recording track ids, parallel to breakers_
};

}  // namespace stormlog::workloads::ledger
