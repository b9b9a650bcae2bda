#include "workloads/ledger/monitor.hpp"

#include <algorithm>

#include "sim/assert.hpp"

namespace stormlog::workloads::ledger {

using system::resilience::BreakerState;
using system::resilience::CircuitBreaker;

Monitor::Monitor(Cluster& cluster, StoreDeployment& store, Checks& checks,
                 const Projections& projections)
    : cluster_(&cluster),
      store_(&store),
      checks_(&checks),
      projections_(&projections),
      alerts_(metrics_) {}

void Monitor::start(Breakers breakers) {
    SL_ASSERT(breakers_.empty());
    breakers_ = breakers;
    add_gauges();
    add_alerts();
    if (system::monitoring::Recording* rec = cluster_->recording()) {
        for (const ProjectionSpec& p : k_projections) {
            recorded_gauges_.push_back(
                rec->series().gauge(std::string("projection.") + p.name + ".lag"));
            recorded_gauges_.push_back(
                rec->series().gauge(std::string("queue.") + p.name + ".depth"));
        }
        for (const CircuitBreaker* b : breakers_) {
            breaker_tracks_.push_back(rec->add_track("breakers", b->name(), cluster_->sim().now(),
                                                     to_string(b->state())));
        }
    }
    sample();
}

void Monitor::add_gauges() {
    leader_gauge_ = &metrics_.gauge("store.leader");
    for (size_t p = 0; p < k_projection_count; ++p) {
        const std::string name = k_projections[p].name;
        ProjectionGauges& g = projection_gauges_[p];
        g.lag = &metrics_.gauge("projection." + name + ".lag");
        g.depth = &metrics_.gauge("queue." + name + ".depth");
        g.above_high_watermark = &metrics_.gauge("queue." + name + ".above_high_watermark");
        g.parked = &metrics_.gauge("projection." + name + ".parked");
    }
    for (const CircuitBreaker* b : breakers_)
        breaker_gauges_.push_back(&metrics_.gauge("breaker." + b->name() + ".open"));
}

void Monitor::add_alerts() {
    using system::monitoring::AlertRule;
    using system::monitoring::Comparison;
    alerts_.add(
        AlertRule{"no-store-leader", "store.leader", Comparison::below, 0.5, Duration::seconds(2)});
    for (const ProjectionSpec& p : k_projections) {
        alerts_.add(AlertRule{std::string("lag-") + p.name,
                              std::string("projection.") + p.name + ".lag", Comparison::above, 200,
                              Duration::seconds(3)});
    }
    for (const CircuitBreaker* b : breakers_) {
        alerts_.add(AlertRule{"breaker-open-" + b->name(), "breaker." + b->name() + ".open",
                              Comparison::above, 0.5, Duration::seconds(3)});
    }
}

void Monitor::sample() {
    const Time now = cluster_->sim().now();
    leader_gauge_->set(now, store_->serving_leader() ? 1 : 0);
    const properties::ledger::CommittedLog& log = checks_->log;
    system::monitoring::Recording* rec = cluster_->recording();  // a report's, or none
    for (size_t p = 0; p < k_projection_count; ++p) {
        const ProjectionRunner* r = projections_->runner(p);
        if (r) last_checkpoint_[p] = r->checkpoint();
        const uint64_t lag = log.head() - std::min(log.head(), last_checkpoint_[p]);
        lag_max_ = std::max(lag_max_, lag);
        const double depth = r ? static_cast<double>(r->queue_depth()) : 0.0;
        const ProjectionGauges& g = projection_gauges_[p];
        g.lag->set(now, static_cast<double>(lag));
        g.depth->set(now, depth);
        if (rec) {
            rec->series().sample(recorded_gauges_[2 * p], now, static_cast<double>(lag));
            rec->series().sample(recorded_gauges_[2 * p + 1], now, depth);
        }
        const bool above = r && r->queue().above_high_watermark();
        g.above_high_watermark->set(now, above ? 1 : 0);
        if (above && !above_[p]) ++high_watermarks_;
        above_[p] = above;
        g.parked->set(now, r ? static_cast<double>(r->parked().size()) : 0.0);
    }
    SL_ASSERT(breaker_gauges_.size() == breakers_.size());
    for (size_t i = 0; i < breakers_.size(); ++i) {
        const BreakerState state = breakers_[i]->state();
        const bool open = state == BreakerState::open || state == BreakerState::forced_open;
        breaker_gauges_[i]->set(now, open ? 1 : 0);
    }
    if (rec) {
        for (size_t i = 0; i < breakers_.size(); ++i)
            rec->set_state(breaker_tracks_[i], now, to_string(breakers_[i]->state()));
    }
    alerts_.evaluate(now);
    cluster_->sim().schedule_after(k_sample_every, [this] { sample(); });
}

std::string Monitor::describe_firings() const {
    std::string out;
    size_t shown = 0;
    for (const system::monitoring::AlertFiring& f : alerts_.firings()) {
        if (++shown > 8) {
            out += " ...";
            break;
        }
        out += std::string(shown > 1 ? "," : "") + " " + f.rule + " " +
               sim::format_duration(f.fired_at - Time::zero()) + ".." +
               (f.resolved_at ? sim::format_duration(*f.resolved_at - Time::zero())
                              : std::string("(firing)"));
    }
    return out;
}

}  // namespace stormlog::workloads::ledger
