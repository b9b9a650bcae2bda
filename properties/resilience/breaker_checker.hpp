#pragma once
// breaker.semantics, from each breaker's transition events and every permit it grants: the
// checker keeps its own idea of each breaker's state from the transitions (which must chain:
// each starts where the last ended, along an edge Resilience4j allows), and then
//   - no call is permitted while the breaker is open or forced open;
//   - half-open permits at most `permitted_in_half_open` calls between entering half-open and
//     leaving it;
//   - an open breaker waits at least `wait_in_open` before it lets a trial call through.
// A breaker that lets every call through in half-open - a flood on a recovering dependency -
// fails the second rule as soon as more callers than that arrive. A permit given back unused
// (released) frees its trial slot, as in Resilience4j.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "system/resilience/circuit_breaker.hpp"
#include "system/resilience/guarded_call.hpp"

namespace stormlog::properties::resilience {

struct BreakerViolation {
    std::string breaker;
    std::string evidence;
};

class BreakerChecker final : public system::resilience::PermitTap {
  public:
    using Report = std::function<void(const BreakerViolation&)>;
    explicit BreakerChecker(Report report) : report_(std::move(report)) {}

    void on_transition(const system::resilience::CircuitBreaker& breaker,
                       const system::resilience::BreakerTransition& t);
    void on_permit(const system::resilience::CircuitBreaker& breaker,
                   const system::resilience::Permit& permit, sim::Time at) override;
    void on_release(const system::resilience::CircuitBreaker& breaker,
                    const system::resilience::Permit& permit, sim::Time at) override;

    uint64_t trips() const { return trips_; }                 // transitions into open
    uint64_t half_open_closed() const { return recovered_; }  // half_open -> closed
    uint64_t permits() const { return permits_; }
    uint64_t refused() const { return refused_; }

  private:
    struct Seen {
        system::resilience::BreakerState state = system::resilience::BreakerState::closed;
        uint32_t half_open_permits = 0;  // granted in this half-open period, minus released
        std::optional<uint64_t> half_open_epoch;  // the permits' epoch in this half-open period
        sim::Time opened_at;                      // when it last went open
    };
    void violate(const system::resilience::CircuitBreaker& b, const std::string& evidence);

    Report report_;
    std::map<std::string, Seen> seen_;
    bool reported_ = false;
    uint64_t trips_ = 0, recovered_ = 0, permits_ = 0, refused_ = 0;
};

}  // namespace stormlog::properties::resilience
