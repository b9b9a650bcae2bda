#include <algorithm>

#include "properties/catalogue.hpp"
#include "workloads/ledger/run.hpp"

namespace stormlog::workloads::ledger {

void LedgerRun::add_alerts() {
    using system::monitoring::AlertRule;
    using system::monitoring::Comparison;
    alerts_.add(
        AlertRule{"no-store-leader", "store.leader", Comparison::below, 0.5, Duration::seconds(2)});
    for (const ProjectionSpec& p : k_projections) {
        alerts_.add(AlertRule{std::string("lag-") + p.name,
                              std::string("projection.") + p.name + ".lag", Comparison::above, 200,
                              Duration::seconds(3)});
    }
    for (const CircuitBreaker* b : breakers()) {
        alerts_.add(AlertRule{"breaker-open-" + b->name(), "breaker." + b->name() + ".open",
                              Comparison::above, 0.5, Duration::seconds(3)});
    }
}

void LedgerRun::sample() {
    const Time now = cluster_.sim().now();
    metrics_.gauge("store.leader").set(now, store_.serving_leader() ? 1 : 0);
    for (size_t p = 0; p < k_projection_count; ++p) {
        const std::string name = k_projections[p].name;
        const ProjectionRunner* r = runners_[p];
        if (r) last_checkpoint_[p] = r->checkpoint();
        const uint64_t lag = log_.head() - std::min(log_.head(), last_checkpoint_[p]);
        max_lag_ = std::max(max_lag_, lag);
        metrics_.gauge("projection." + name + ".lag").set(now, static_cast<double>(lag));
        metrics_.gauge("queue." + name + ".depth")
            .set(now, r ? static_cast<double>(r->queue_depth()) : 0.0);
        const bool above = r && r->queue().above_high_watermark();
        metrics_.gauge("queue." + name + ".above_high_watermark").set(now, above ? 1 : 0);
        if (above && !above_[p]) ++high_watermarks_;
        above_[p] = above;
        metrics_.gauge("projection." + name + ".parked")
            .set(now, r ? static_cast<double>(r->parked().size()) : 0.0);
    }
    for (const CircuitBreaker* b : breakers()) {
        const bool open =
            b->state() == BreakerState::open || b->state() == BreakerState::forced_open;
        metrics_.gauge("breaker." + b->name() + ".open").set(now, open ? 1 : 0);
    }
    alerts_.evaluate(now);
    cluster_.sim().schedule_after(k_sample_every, [this] { sample(); });
}

void LedgerRun::check_acked() {
    ledger_.finish();
    if (failed()) return;
    std::set<std::string> ids;
    for (const system::store::RecordedEvent& e : log_.events()) ids.insert(e.id);
    for (const std::string& id : acked_) {
        if (ids.count(id) == 0) ++acked_lost_;
    }
    if (acked_lost_ > 0 && on(properties::property::store_durability.name)) {
        fail(properties::property::store_durability.name, "-",
             std::to_string(acked_lost_) +
                 " operations the ledger acknowledged are not in the committed log");
    }
}

void LedgerRun::check_liveness() {
    for (size_t p = 0; p < k_projection_count; ++p) {
        if (runners_[p])
            projections_.finish_queue(k_projections[p].name, runners_[p]->queue_depth());
    }
    if (!liveness_applies() || failed()) return;
    const std::string since = " at the end of the quiet period";
    if (on(properties::property::liveness_leader.name)) {
        const system::store::StoreServer* l = store_.serving_leader();
        if (!l || store_.followers_of(l) < cluster_.size() / 2 + 1) {
            fail(properties::property::liveness_leader.name, l ? store_.name(l) : "-",
                 "no leader with a majority" + since + ":" + store_.node_states());
            return;
        }
    }
    if (!on(properties::property::liveness_projections.name)) return;
    std::string why;
    for (size_t p = 0; p < k_projection_count && why.empty(); ++p) {
        const ProjectionRunner* r = runners_[p];
        const std::string name = k_projections[p].name;
        if (!r)
            why = "projection " + name + " is not running";
        else if (r->stopped())
            why = "projection " + name + " stopped";
        else if (r->checkpoint() != log_.head())
            why = "projection " + name + " is at " + std::to_string(r->checkpoint()) +
                  ", the log at " + std::to_string(log_.head());
        else if (r->queue_depth() != 0)
            why = "projection " + name + "'s queue holds " + std::to_string(r->queue_depth()) +
                  " events";
    }
    for (const CircuitBreaker* b : breakers()) {
        if (why.empty() && b->state() != BreakerState::closed)
            why = "breaker " + b->name() + " is " + to_string(b->state());
    }
    if (why.empty() && !alerts_.firing_now().empty())
        why = "alert " + alerts_.firing_now().front() + " still fires";
    if (why.empty() && ledger_.transfers_in_flight() > 0) {
        why = std::to_string(ledger_.transfers_in_flight()) +
              " transfers are debited but not credited";
    }
    if (!why.empty()) fail(properties::property::liveness_projections.name, "-", why + since);
}

void LedgerRun::summarize(RunResult& r) const {
    uint64_t fired = alerts_.fired(), resolved = alerts_.resolved();
    std::string ops;
    for (size_t o = 0; o < op_count; ++o) {
        ops += std::string(" ") + k_op_names[o] + "=" + std::to_string(ops_[o][0]) + "/";
        uint64_t total = 0;
        for (uint64_t x : ops_[o]) total += x;
        ops += std::to_string(total);
    }
    r.summary.push_back(
        "ledger: ops ok/all" + ops + " degraded_reads=" + std::to_string(degraded_reads_) +
        " max_stated_lag=" + std::to_string(max_stated_lag_) +
        " credits_left_to_completer=" + std::to_string(credits_left_) +
        " poison_events=" + std::to_string(poison_sent_) + " balance_sum=" +
        std::to_string(ledger_.deposits() - ledger_.withdrawals() - ledger_.in_flight()));
    std::string projs;
    for (size_t p = 0; p < k_projection_count; ++p) {
        const ProjectionRunner* run = runners_[p];
        projs += std::string(" ") + k_projections[p].name + "=" +
                 (run ? std::to_string(run->checkpoint()) : "down");
    }
    r.summary.push_back("projections: log=" + std::to_string(log_.head()) + projs +
                        " resumes=" + std::to_string(projections_.resumes()) +
                        " rebuilds=" + std::to_string(projections_.rebuilds()) +
                        " notifier_calls=" + std::to_string(notifier_.stats().calls) +
                        " queues_above_high_watermark=" + std::to_string(high_watermarks_));
    r.summary.push_back(
        "resilience: faults applied=" + std::to_string(cluster_.injector().stats().applied) +
        " breaker_trips=" + std::to_string(breakers_.trips()) +
        " recoveries=" + std::to_string(breakers_.half_open_closed()) +
        " breaker_refusals=" + std::to_string(breakers_.refused()) + "/" +
        std::to_string(breakers_.refused() + breakers_.permits()) + " parked_events=" +
        std::to_string(projections_.parked_events()) + " max_lag=" + std::to_string(max_lag_) +
        " alerts fired=" + std::to_string(fired) + " resolved=" + std::to_string(resolved) +
        " acked_writes_lost=" + std::to_string(acked_lost_));
    if (const auto* h = metrics_.find_histogram("ledger.latency_us")) {
        r.summary.push_back("latency: commands p50=" + std::to_string(h->percentile(50)) +
                            "us p99=" + std::to_string(h->percentile(99)) +
                            "us max=" + std::to_string(h->max()) +
                            "us; bulkhead refusals=" + std::to_string(bulkhead_.refused()));
    }
    if (!alerts_.firings().empty()) r.summary.push_back("alerts:" + describe_firings());
    r.summary.push_back(store_.raft_summary("off"));
    if (!store_.serving_leader())
        r.summary.push_back("store: not serving at the end:" + store_.node_states());
}

std::string LedgerRun::describe_firings() const {
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
