#include "workloads/ledger/run.hpp"

#include <algorithm>
#include <set>

#include "properties/catalogue.hpp"
#include "sim/assert.hpp"

namespace stormlog::workloads::ledger {

using properties::property::breaker_semantics;
using properties::property::liveness_leader;
using properties::property::liveness_projections;
using properties::property::liveness_service;
using properties::property::store_durability;
using system::resilience::BreakerState;
using system::resilience::CircuitBreaker;

LedgerRun::LedgerRun(const Scenario& scenario, const RunOptions& options, const LedgerBugs& bugs)
    : cluster_(scenario, options, node_names(scenario)),
      bugs_(bugs),
      checks_(cluster_),
      store_(cluster_, bugs.store, checks_.enabled()),
      projections_(cluster_, store_, checks_, bugs_),
      monitor_(cluster_, store_, checks_, projections_),
      workers_(cluster_, store_, checks_, monitor_.metrics(), bugs_, projections_),
      breakers_{&workers_.breaker(), &projections_.notifier_breaker(),
                &projections_.completer_breaker()} {
    store_.also_observe(&checks_.log);
    system::monitoring::Counter* commits = &monitor_.metrics().counter("store.commits");
    checks_.log.listen([this, commits](const system::store::RecordedEvent& e) {
        checks_.ledger.on_committed(e);
        commits->add();
    });
    // The order processes start in is part of the run (its trace): workers, feeder, projections.
    workers_.start();
    projections_.start();
}

RunResult LedgerRun::run() {
    cluster_.start_faults(
        [this] { return store_.leader(); },
        [this](faults::FaultSpec& f, bool heal) { return application_fault(f, heal); },
        [this](sim::NodeId n) { return store_.awaits_repair(n); });
    monitor_.start(breakers_);
    if (cluster_.heal_all_at() < cluster_.end()) {
        cluster_.sim().schedule_at(cluster_.heal_all_at(), [this] {
            checks_.projections.on_heal();
            projections_.replay_parked();
        });
    }
    cluster_.sim().run_until(cluster_.end());
    cluster_.sim().run_checks([this] {
        if (!checks_.failed()) check_acked();
        if (!checks_.failed() && checks_.on(properties::property::client_backoff.name))
            store_.check_client_backoff();
        if (!checks_.failed() && checks_.on(properties::property::retry_backoff.name)) {
            if (const auto why = checks_.retries.verdict())
                checks_.fail(properties::property::retry_backoff.name, "-", *why);
        }
        if (!checks_.failed()) check_liveness();
    });
    if (RunRecording* rec = cluster_.run_recording()) rec->alerts = monitor_.alerts().firings();
    RunResult lines;  // the summary first: an assertion there fails the result below
    cluster_.sim().run_checks([&] { summarize(lines); });
    RunResult r = cluster_.result();
    r.summary.insert(r.summary.end(), lines.summary.begin(), lines.summary.end());
    return r;
}

bool LedgerRun::liveness_applies() const {
    const Scenario& s = cluster_.scenario();
    return s.budget == Budget::within && s.quiet_period.ns() > 0;
}

// ---- Application faults ------------------------------------------------------------------------

sim::Rng LedgerRun::fault_rng(const faults::FaultSpec& f) const {
    return cluster_.sim()
        .fork_rng("ledger-app-faults")
        .fork(f.kind)
        .fork(static_cast<uint64_t>(f.at.ns()));
}

size_t LedgerRun::pick_projection(faults::FaultSpec& f) {
    const auto it = f.params.find("projection");
    const int want = it == f.params.end() ? -1 : static_cast<int>(it->second);
    size_t p = static_cast<size_t>(want);
    if (want < 0 || p >= k_projection_count)
        p = fault_rng(f).fork("pick").below(k_projection_count);
    f.params["projection"] = static_cast<double>(p);
    return p;
}

size_t LedgerRun::pick_worker(faults::FaultSpec& f) {
    const auto it = f.params.find("worker");
    const int want = it == f.params.end() ? -1 : static_cast<int>(it->second);
    size_t w = static_cast<size_t>(want);
    if (want < 0 || w >= workers_.count()) w = fault_rng(f).fork("pick").below(workers_.count());
    f.params["worker"] = static_cast<double>(w);
    return w;
}

bool LedgerRun::application_fault(faults::FaultSpec& f, bool heal) {
    if (f.kind == "projection-crash" || f.kind == "slow-handler" ||
        f.kind == "projection-disk-rot") {
        size_t& p = chosen_[&f];
        if (!heal) p = pick_projection(f);
        if (f.kind == "projection-disk-rot" && !heal) {
            sim::Rng rng = fault_rng(f).fork("rot");
            projections_.rot_checkpoint(p, rng);
        }
        if (f.kind != "slow-handler") {
            projections_.crash(p, heal);
        } else {
            projections_.set_slow(
                p, heal ? Duration{} : Duration::nanos(static_cast<int64_t>(f.params.at("delay"))));
        }
        if (heal) chosen_.erase(&f);
    } else if (f.kind == "projection-rebuild") {
        projections_.rebuild(pick_projection(f));
    } else if (f.kind == "service-crash") {
        size_t& w = chosen_[&f];
        if (!heal) w = pick_worker(f);
        workers_.crash(w, heal);
        if (heal) chosen_.erase(&f);
    } else if (f.kind == "poison-event") {
        workers_.request_poison(static_cast<uint64_t>(f.params.at("count")));
    } else if (f.kind == "downstream-outage") {
        projections_.set_downstream_outage(heal);
    } else if (f.kind == "load-burst") {
        workers_.set_rate_factor(heal ? 1.0 : std::max(1.0, f.params.at("factor")));
    } else if (f.kind == "store-outage") {
        cut_app_from_store(!heal);
    } else {
        return false;
    }
    return true;
}

void LedgerRun::cut_app_from_store(bool cut) {
    store_cuts_ += cut ? 1 : -1;
    SL_ASSERT(store_cuts_ >= 0);
    // Overlapping outages: the links go down with the first and come back with the last.
    if ((cut && store_cuts_ != 1) || (!cut && store_cuts_ != 0)) return;
    // Counted with the injector's own cuts: a partition that puts clients on a side and ends
    // during the outage must not bring the application's links back, nor this heal its cuts.
    faults::Injector& injector = cluster_.injector();
    const int delta = cut ? 1 : -1;
    for (NodeId a = static_cast<NodeId>(cluster_.size()); a < cluster_.sim().nodes().size(); ++a) {
        for (NodeId s = 0; s < cluster_.size(); ++s) {
            injector.block_link(a, s, delta);
            injector.block_link(s, a, delta);
        }
    }
}

// ---- At the end --------------------------------------------------------------------------------

void LedgerRun::check_acked() {
    checks_.ledger.finish();
    if (checks_.failed()) return;
    std::set<std::string> ids;
    for (const system::store::RecordedEvent& e : checks_.log.events()) ids.insert(e.id);
    for (const std::string& id : workers_.acked()) {
        if (ids.count(id) == 0) ++acked_lost_;
    }
    if (RunRecording* rec = cluster_.run_recording()) rec->acked_writes_lost = acked_lost_;
    if (acked_lost_ > 0) {
        checks_.fail(store_durability.name, "-",
                     std::to_string(acked_lost_) +
                         " operations the ledger acknowledged are not in the committed log");
    }
}

void LedgerRun::check_liveness() {
    for (size_t p = 0; p < k_projection_count; ++p) {
        if (const ProjectionRunner* r = projections_.runner(p)) {
            checks_.projections.finish_queue(k_projections[p].name, r->queue_depth());
        }
    }
    checks_.projections.finish_parked(liveness_applies());
    if (!liveness_applies() || checks_.failed()) return;
    const std::string since = " at the end of the quiet period";
    if (checks_.on(properties::property::liveness_stable_leader.name)) {
        store_.check_stable_leader();
        if (cluster_.sim().failed()) return;
    }
    if (checks_.on(liveness_leader.name)) {
        const system::store::StoreServer* l = store_.serving_leader();
        if (!l || store_.followers_of(l) < cluster_.size() / 2 + 1) {
            checks_.fail(liveness_leader.name, l ? store_.name(l) : "-",
                         "no leader with a majority" + since + ":" + store_.node_states());
            return;
        }
    }
    if (checks_.on(liveness_projections.name)) {
        if (const std::string why = not_recovered(); !why.empty()) {
            checks_.fail(liveness_projections.name, "-", why + since);
            return;
        }
    }
    if (checks_.on(liveness_service.name)) check_service();
}

// Judged only once the quiet period is half over, which leaves the cluster time for its one
// election and the breakers time for their trials.
void LedgerRun::check_service() {
    const Time settled = cluster_.heal_all_at() + (cluster_.end() - cluster_.heal_all_at()) / 2;
    std::string why = workers_.not_serving(settled);
    if (why.empty()) why = projections_.undelivered();
    if (!why.empty())
        checks_.fail(liveness_service.name, "-", why + " at the end of the quiet period");
}

std::string LedgerRun::not_recovered() const {
    const uint64_t head = checks_.log.head();
    for (size_t p = 0; p < k_projection_count; ++p) {
        const ProjectionRunner* r = projections_.runner(p);
        const std::string name = k_projections[p].name;
        if (!r) return "projection " + name + " is not running";
        if (r->stopped()) return "projection " + name + " stopped";
        if (r->checkpoint() != head) {
            return "projection " + name + " is at " + std::to_string(r->checkpoint()) +
                   ", the log at " + std::to_string(head);
        }
        if (r->queue_depth() != 0) {
            return "projection " + name + "'s queue holds " + std::to_string(r->queue_depth()) +
                   " events";
        }
    }
    for (const CircuitBreaker* b : breakers_) {
        if (b->state() != BreakerState::closed)
            return "breaker " + b->name() + " is " + to_string(b->state());
    }
    const system::monitoring::Alerts& alerts = monitor_.alerts();
    if (!alerts.firing_now().empty())
        return "alert " + alerts.firing_now().front() + " still fires";
    if (checks_.ledger.transfers_in_flight() > 0) {
        return std::to_string(checks_.ledger.transfers_in_flight()) +
               " transfers are debited but not credited";
    }
    return "";
}

void LedgerRun::summarize(RunResult& r) const {
    const system::monitoring::Alerts& alerts = monitor_.alerts();
    const properties::resilience::BreakerChecker& b = checks_.breakers;
    r.summary.push_back(workers_.summary_line());
    r.summary.push_back(projections_.summary_line(monitor_.queues_above_high_watermark()));
    r.summary.push_back(
        "resilience: faults applied=" + std::to_string(cluster_.injector().stats().applied) +
        " breaker_trips=" + std::to_string(b.trips()) + " recoveries=" +
        std::to_string(b.half_open_closed()) + " breaker_refusals=" + std::to_string(b.refused()) +
        "/" + std::to_string(b.refused() + b.permits()) +
        " parked_events=" + std::to_string(checks_.projections.parked_events()) + " max_lag=" +
        std::to_string(monitor_.lag_max()) + " alerts fired=" + std::to_string(alerts.fired()) +
        " resolved=" + std::to_string(alerts.resolved()) +
        " acked_writes_lost=" + std::to_string(acked_lost_));
    if (const auto* h = monitor_.metrics().find_histogram(k_latency_metric)) {
        r.summary.push_back(
            "latency: commands p50=" + std::to_string(h->percentile(50)) +
            "us p99=" + std::to_string(h->percentile(99)) + "us max=" + std::to_string(h->max()) +
            "us; bulkhead refusals=" + std::to_string(workers_.bulkhead().refused()));
    }
    if (!alerts.firings().empty()) r.summary.push_back("alerts:" + monitor_.describe_firings());
    r.summary.push_back(store_.raft_summary("off"));
    if (!store_.serving_leader())
        r.summary.push_back("store: not serving at the end:" + store_.node_states());
}

}  // namespace stormlog::workloads::ledger
