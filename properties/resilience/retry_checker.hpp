#pragma once
// retry.backoff: the system's retry loops (system/resilience/retry.hpp) back off as their
// policies say - the ledger service's command retries, a projection handler's retries.
//
// Fed from the loops' observation tap (attempt begins, attempt failed, loop over) and judged
// against each loop's RetryPolicy by this checker's own arithmetic, not by RetryState's: the
// wait after the k-th failure runs from that failure to the next attempt's beginning, and is
// drawn uniformly from [0, min(cap, base * multiplier^(k-1))] (full jitter). So:
//   - no loop makes more than attempts_max attempts, nor begins one elapsed_max or more after
//     its first;
//   - no wait exceeds its ceiling;
//   - the waits look fully jittered (properties/jitter_test.hpp), counting only the waits whose
//     whole range fit within elapsed_max (next() gives up instead of drawing a longer one, so
//     the long draws would go missing).
// A wait next() did not decide (a projection waiting on a dependency that is down) is not
// judged: the next attempt after it is measured from nothing.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "properties/jitter_test.hpp"
#include "system/resilience/retry.hpp"

namespace stormlog::properties::resilience {

class RetryChecker final : public system::resilience::RetryObserver {
  public:
    void on_retry_attempt(const void* loop, const system::resilience::RetryPolicy& policy,
                          sim::Time started, sim::Time now) override;
    void on_retry_failed(const void* loop, sim::Time now) override;
    void on_retry_over(const void* loop) override;

    // The first violation's evidence, if any (the jitter test runs here, over the whole run).
    std::optional<std::string> verdict() const;
    uint64_t waits() const { return jitter_.samples(); }

  private:
    struct Loop {
        system::resilience::RetryPolicy policy;
        sim::Time started;
        uint32_t attempts = 0;  // attempts the policy counts: the first and one per wait
        uint32_t failures = 0;  // next() calls
        std::optional<sim::Time> failed_at;  // the failure whose wait is running
    };
    static sim::Duration ceiling(const system::resilience::RetryPolicy& p, uint32_t failures);
    void hard(const std::string& what);

    std::unordered_map<const void*, Loop> loops_;  // loops in progress
    JitterTest jitter_;
    std::optional<std::string> hard_;
};

}  // namespace stormlog::properties::resilience
