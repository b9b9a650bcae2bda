#pragma once
// Alert rules over gauges, evaluated on simulated time; their firings become part of a run's
// result (the report's alert table, a scenario's expectations).
//
// A rule's condition is "gauge above/below threshold". As in Prometheus, a rule whose condition
// turns true is first pending; it fires once the condition has held at every evaluation for
// for_duration, and resolves at the first evaluation where it is false. Only what evaluate()
// sees counts: a spike that comes and goes between two evaluations is never noticed, so callers
// evaluate periodically (e.g. every 100 ms of simulated time) and may also evaluate right after
// setting a gauge.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/time.hpp"
#include "system/monitoring/metrics.hpp"

namespace stormlog::system::monitoring {

enum class Comparison : uint8_t { above, below };
const char* to_string(Comparison c);

struct AlertRule {
    std::string name;   // e.g. "projection-lag-high"; unique among an Alerts' rules
    std::string gauge;  // the gauge it watches
    Comparison comparison = Comparison::above;  // strict: value > threshold, or value < threshold
    double threshold = 0;
    sim::Duration for_duration{};  // how long the condition must hold before the rule fires
};

// "" when the rule is well formed, else a message naming the offending field. Rules come from
// scenario files, so a bad one is the user's error, reported as a value.
std::string validate(const AlertRule& r);

struct AlertFiring {
    std::string rule;
    sim::Time fired_at;
    std::optional<sim::Time> resolved_at;  // nullopt while still firing
    double value_at_fire = 0;
};

class Alerts {
  public:
    // `metrics` must outlive this object. Gauges may be created after the rules are added.
    explicit Alerts(const Metrics& metrics);

    // REQUIRES: validate(rule) is "" and no rule of that name was added.
    void add(AlertRule rule);

    // Evaluates every rule at `now`. A gauge that does not exist or was never set makes the
    // condition false. REQUIRES: now is not before the previous evaluation.
    void evaluate(sim::Time now);

    // Every firing, in firing order; resolved ones included. A rule that resolves and fires again
    // has one entry per firing.
    const std::vector<AlertFiring>& firings() const { return firings_; }
    // Names of the rules firing now, sorted.
    std::vector<std::string> firing_now() const;
    size_t fired() const { return firings_.size(); }
    size_t resolved() const { return resolved_; }

  private:
    struct State {
        AlertRule rule;
        std::optional<sim::Time> pending_since;  // first evaluation of the current true run
        std::optional<size_t> firing;            // index into firings_ while firing
        // The rule's gauge once it exists (a registry's gauges never move), so evaluations after
        // the first search no map.
        const Gauge* gauge = nullptr;
    };

    bool holds(State& s);
    void step(State& s, sim::Time now);

    const Metrics* metrics_;
    std::vector<State> rules_;
    std::vector<AlertFiring> firings_;
    size_t resolved_ = 0;
    std::optional<sim::Time> last_evaluated_;
};

}  // namespace stormlog::system::monitoring
