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
//   - and its verdicts are the ones its configuration promises: a reference window of its own
//     (the last N results, or the results of the last N seconds), fed with every result of a
//     permit of the current epoch, says after each result whether the breaker must open (closed:
//     at least minimum_calls results and a failure or slow-call rate at or above its threshold)
//     or decide its half-open trial (open again, or closed); the breaker must do exactly that,
//     then and only then. A window that never slides or never opens, or a stale result (a permit
//     of an earlier state) that tips a fresh window, fails it. The reference shares no code with
//     the breaker.

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/assert.hpp"
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
    void on_result(const system::resilience::CircuitBreaker& breaker,
                   const system::resilience::Permit& permit, bool failed, sim::Duration elapsed,
                   sim::Time at) override;

    uint64_t trips() const { return trips_; }                 // transitions into open
    uint64_t half_open_closed() const { return recovered_; }  // half_open -> closed
    uint64_t permits() const { return permits_; }
    uint64_t refused() const { return refused_; }

  private:
    // One result in the reference window: its second (time windows) and what it was.
    struct Outcome {
        int64_t second = 0;
        bool failed = false;
        bool slow = false;
    };
    // The reference's closed window: its results, and how many failed and were slow, counted as
    // results come and go (recounting a window of a hundred on every result was most of this
    // checker's cost).
    class Window {
      public:
        void push_back(const Outcome& o) {
            results_.push_back(o);
            failures_ += o.failed ? 1 : 0;
            slow_ += o.slow ? 1 : 0;
        }
        void pop_front() {
            SL_ASSERT(!results_.empty());
            failures_ -= results_.front().failed ? 1 : 0;
            slow_ -= results_.front().slow ? 1 : 0;
            results_.pop_front();
        }
        void clear() {
            results_.clear();
            failures_ = slow_ = 0;
        }
        const Outcome& front() const { return results_.front(); }
        const Outcome& back() const { return results_.back(); }
        size_t size() const { return results_.size(); }
        bool empty() const { return results_.empty(); }
        size_t failures() const { return failures_; }
        size_t slow() const { return slow_; }

      private:
        std::deque<Outcome> results_;
        size_t failures_ = 0;
        size_t slow_ = 0;
    };
    // The reference: what the breaker's configuration says its verdicts must be.
    struct Reference {
        system::resilience::BreakerState state = system::resilience::BreakerState::closed;
        uint64_t epoch = 1;           // the breaker's epochs start at 1, one more per transition
        Window window;                // closed: the results the window holds
        std::vector<Outcome> trials;  // half-open: this epoch's trial results
        std::optional<system::resilience::BreakerState> verdict;  // the breaker's, not yet judged
    };
    struct Seen {
        system::resilience::BreakerState state = system::resilience::BreakerState::closed;
        uint32_t half_open_permits = 0;  // granted in this half-open period, minus released
        std::optional<uint64_t> half_open_epoch;  // the permits' epoch in this half-open period
        sim::Time opened_at;                      // when it last went open
        Reference ref;
    };
    // The verdict the reference reaches after `o` (nullopt: none), updating its window.
    static std::optional<system::resilience::BreakerState> judge(
        const system::resilience::BreakerConfig& c, Reference& r, const Outcome& o);
    // Why the reference reached its verdict on a result of `permit_epoch`, as judge() left it:
    // built only for a violation, since formatting it for every result cost more than the check.
    static std::string explain(const Reference& r, uint64_t permit_epoch);
    void violate(const system::resilience::CircuitBreaker& b, const std::string& evidence);
    void check_window(const system::resilience::CircuitBreaker& breaker, const Reference& r,
                      sim::Time at);

    Report report_;
    std::map<std::string, Seen> seen_;
    bool reported_ = false;
    uint64_t trips_ = 0, recovered_ = 0, permits_ = 0, refused_ = 0;
};

}  // namespace stormlog::properties::resilience
