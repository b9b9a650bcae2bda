#pragma once
// A downstream dependency a projection's handler calls (e.g. the statement notifier the
// account-history projection feeds): simulated as a service with a latency distribution that can
// be slowed or taken down by faults (downstream outage). A call to a service that is down gets no
// answer until the connection gives up (`no_answer_after`, long): callers bound their wait with a
// time limiter (system/resilience/time_limiter.hpp). The service counts what reaches it, so a
// flood on a recovering dependency shows.

#include <cstdint>
#include <string>
#include <unordered_set>

#include "sim/assert.hpp"
#include "sim/env.hpp"

namespace stormlog::system::projections {

struct DownstreamOptions {
    sim::Duration latency_min = sim::Duration::millis(1);
    sim::Duration latency_max = sim::Duration::millis(4);
    sim::Duration no_answer_after = sim::Duration::seconds(30);  // a down host: the TCP timeout
};

struct DownstreamStats {
    uint64_t calls = 0, failed = 0;
    uint64_t in_flight_max = 0;
};

class Downstream {
  public:
    Downstream(std::string name, DownstreamOptions options)
        : name_(std::move(name)), options_(options) {
        SL_ASSERT(options_.latency_min >= sim::Duration{});
        SL_ASSERT(options_.latency_min <= options_.latency_max);
        SL_ASSERT(options_.no_answer_after > sim::Duration{});
    }

    // One call from a fiber about `key` (what the caller tells the service: e.g. the global
    // position of the entry a notification is about); returns an error text, empty on success.
    // Blocks for its latency.
    std::string call(sim::Env& env, uint64_t key);
    // Whether a call about `key` got through to the service (it answered; the caller may have
    // stopped waiting by then). What a real service's own log would show.
    bool received(uint64_t key) const { return received_.count(key) > 0; }

    void set_down(bool down) { down_ = down; }
    void set_extra_latency(sim::Duration d) { extra_ = d; }
    bool down() const { return down_; }
    const std::string& name() const { return name_; }
    const DownstreamStats& stats() const { return stats_; }

  private:
    std::string name_;
    DownstreamOptions options_;
    bool down_ = false;
    sim::Duration extra_;
    uint64_t in_flight_ = 0;
    DownstreamStats stats_;
    std::unordered_set<uint64_t> received_;
};

}  // namespace stormlog::system::projections
