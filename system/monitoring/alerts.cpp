#include "system/monitoring/alerts.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "sim/assert.hpp"
#include "system/monitoring/probes.hpp"

namespace stormlog::system::monitoring {

const char* to_string(Comparison c) {
    switch (c) {
        case Comparison::above:
            return "above";
        case Comparison::below:
            return "below";
    }
    return "?";
}

std::string validate(const AlertRule& r) {
    const std::string where = "alert rule '" + r.name + "': ";
    if (r.name.empty()) return "alert rule: field 'name' must not be empty";
    if (r.gauge.empty()) return where + "field 'gauge' must name a gauge";
    if (r.comparison != Comparison::above && r.comparison != Comparison::below)
        return where + "field 'comparison' must be 'above' or 'below'";
    if (!std::isfinite(r.threshold)) return where + "field 'threshold' must be a finite number";
    if (r.for_duration < sim::Duration{})
        return where + "field 'for_duration' must not be negative (is " +
               sim::format_duration(r.for_duration) + ")";
    return "";
}

Alerts::Alerts(const Metrics& metrics) : metrics_(&metrics) {}

void Alerts::add(AlertRule rule) {
    SL_ASSERT(validate(rule).empty());
    SL_ASSERT(std::none_of(rules_.begin(), rules_.end(),
                           [&](const State& s) { return s.rule.name == rule.name; }));
    rules_.push_back(State{std::move(rule), std::nullopt, std::nullopt, nullptr});
}

bool Alerts::holds(State& s) {
    if (s.gauge == nullptr) s.gauge = metrics_->find_gauge(s.rule.gauge);
    const Gauge* g = s.gauge;
    const AlertRule& rule = s.rule;
    if (g == nullptr || !g->has_value()) return false;
    return rule.comparison == Comparison::above ? g->value() > rule.threshold
                                                : g->value() < rule.threshold;
}

void Alerts::evaluate(sim::Time now) {
    SL_ASSERT(!last_evaluated_ || now >= *last_evaluated_);
    last_evaluated_ = now;
    for (State& s : rules_) step(s, now);
}

// Per rule: inactive -> pending -> firing -> inactive (or pending -> inactive); firing only after
// pending for for_duration, and a firing entry is resolved once, by the rule that fired it.
void Alerts::step(State& s, sim::Time now) {
    SL_ASSERT(!s.firing || s.pending_since);  // firing implies the condition has been holding
    SL_ASSERT(!s.pending_since || *s.pending_since <= now);
    SL_ASSERT(!s.firing || *s.firing < firings_.size());
    SL_ASSERT(!s.firing || !firings_[*s.firing].resolved_at);
    if (!holds(s)) {
        s.pending_since.reset();
        if (s.firing) {
            firings_[*s.firing].resolved_at = now;
            s.firing.reset();
            ++resolved_;
            SL_PROBE(probes::alert_resolved);
            SL_ASSERT(resolved_ <= firings_.size());
        }
        return;
    }
    if (s.firing) return;
    if (!s.pending_since) s.pending_since = now;
    if (now - *s.pending_since < s.rule.for_duration) return;
    s.firing = firings_.size();
    SL_PROBE(probes::alert_fired);
    firings_.push_back(AlertFiring{s.rule.name, now, std::nullopt, s.gauge->value()});
}

std::vector<std::string> Alerts::firing_now() const {
    std::vector<std::string> names;
    for (const State& s : rules_)
        if (s.firing) names.push_back(s.rule.name);
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace stormlog::system::monitoring
