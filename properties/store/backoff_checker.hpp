#pragma once
// client.backoff: a store client's retries back off as its documented policy says.
//
// Fed from the clients' observation tap (attempt sent, attempt over, call over), on each client's
// own clock, and judged against the policy as ClientOptions states it - not against the client's
// code: after an answer that sends it to another attempt (not the leader, unavailable, unknown),
// a client waits a delay drawn uniformly from [0, ceiling], where the ceiling after its k-th
// attempt is min(backoff_max, backoff_base * 2^(k-1)) (full jitter); after an attempt that timed
// out the timeout was the wait. So:
//   - a timed-out attempt lasted its attempt_timeout (or until the call's deadline);
//   - no wait exceeds its ceiling, and no attempt is sent once the call's deadline has passed;
//   - the waits look fully jittered (properties/jitter_test.hpp), counting only the waits whose
//     whole range fit before the deadline - the client cuts a longer one short and sends nothing
//     after it, so the long draws would go missing and bias the mean low.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "properties/jitter_test.hpp"
#include "system/store/client.hpp"

namespace stormlog::properties::store {

class BackoffChecker final : public system::store::ClientObserver {
  public:
    // `policy`: the clients' options (backoff_base, backoff_max, attempt_timeout, deadline).
    explicit BackoffChecker(const system::store::ClientOptions& policy);

    void on_attempt_sent(system::store::NodeId client, uint64_t request, sim::Time now) override;
    void on_attempt_over(system::store::NodeId client, uint64_t request, sim::Time now,
                         AttemptEnd end) override;
    void on_call_over(system::store::NodeId client, uint64_t request) override;

    // The first violation's evidence, if any (the mean test runs here, over the whole run).
    std::optional<std::string> verdict() const;
    uint64_t waits() const { return jitter_.samples(); }

  private:
    struct Call {
        uint32_t sent = 0;
        sim::Time first_sent;
        sim::Time last_sent;
        sim::Time last_over;
        std::optional<AttemptEnd> last_end;
    };
    sim::Duration ceiling_after(uint32_t attempts) const;
    void hard(system::store::NodeId client, const std::string& what);

    system::store::ClientOptions policy_;
    std::map<std::pair<system::store::NodeId, uint64_t>, Call> calls_;  // calls in progress
    JitterTest jitter_;
    std::optional<std::string> hard_;
};

}  // namespace stormlog::properties::store
