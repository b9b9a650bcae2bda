#include <memory>
#include <optional>
#include <utility>

#include "workloads/ledger/run.hpp"
#include "system/ledger/read_models.hpp"
#include "system/resilience/time_limiter.hpp"

namespace stormlog::workloads::ledger {

system::projections::SideEffect LedgerRun::effect(Effect e) {
    switch (e) {
        case Effect::none:
            return {};
        case Effect::notify:
            return [this](sim::Env& env, system::store::StoreClient&,
                          const system::store::RecordedEvent& ev) { notify(env, ev); };
        case Effect::complete:
            return [this](sim::Env& env, system::store::StoreClient& c,
                          const system::store::RecordedEvent& ev) { complete(env, c, ev); };
    }
    return {};
}

std::optional<system::ledger::LedgerEvent> LedgerRun::ledger_event(
    const system::store::RecordedEvent& e) {
    std::optional<system::ledger::LedgerEvent> le = system::ledger::decode(e.data);
    if (!le || !system::ledger::account_of(e.stream)) {
        throw system::projections::HandlerError("cannot handle event " + e.id + " of " + e.stream);
    }
    return le;
}

void LedgerRun::notify(sim::Env& env, const system::store::RecordedEvent& e) {
    if (system::projections::system_stream(e.stream)) return;
    ledger_event(e);
    system::resilience::GuardedCall call(notifier_breaker_, env.now(), &breakers_);
    if (!call.permitted()) throw system::projections::Transient("the notifier's breaker is open");
    system::projections::Downstream* notifier = &notifier_;  // outlives every process
    const std::optional<std::string> error = system::resilience::with_timeout<std::string>(
        env, k_notify_timeout, [notifier, &env] { return notifier->call(env); });
    if (!error || !error->empty()) {
        call.failed(env.now());
        throw system::projections::Transient(error ? *error
                                                   : "the notifier did not answer within " +
                                                         sim::format_duration(k_notify_timeout));
    }
    call.succeeded(env.now());
}

void LedgerRun::complete(sim::Env& env, system::store::StoreClient& conn,
                         const system::store::RecordedEvent& e) {
    if (system::projections::system_stream(e.stream)) return;
    const std::optional<system::ledger::LedgerEvent> le = ledger_event(e);
    if (le->type != system::ledger::EventType::transfer_debited) return;
    const LedgerResult r = completer_.credit(env, conn, *le, *system::ledger::account_of(e.stream));
    if (r.status == LedgerStatus::ok) return;
    if (r.status == LedgerStatus::refused)
        throw system::projections::HandlerError("credit refused: " + r.error);
    throw system::projections::Transient("credit not confirmed: " + r.error);
}

namespace {

// What one projection incarnation runs on; its fibers share it (see ProjectionRunner::run).
struct ProjectionParts {
    ProjectionParts(sim::Env& env, sim::Network& network, NodeId self,
                    const system::store::ClientOptions& options, const std::string& kind)
        : client(env, network, self, options), model(system::ledger::make_read_model(kind)) {}
    system::store::StoreClient client;
    std::unique_ptr<system::projections::ReadModel> model;
    std::optional<ProjectionRunner> runner;
};

}  // namespace

void LedgerRun::project(sim::Env& env, size_t p, NodeId self) {
    const ProjectionSpec& spec = k_projections[p];
    auto parts = std::make_shared<ProjectionParts>(env, cluster_.network(), self,
                                                   store_.client_options(), spec.kind);
    system::projections::ProjectionConfig config;
    config.name = spec.name;
    config.queue.capacity = spec.capacity;
    config.queue.high_watermark = spec.high;
    config.queue.low_watermark = spec.low;
    config.queue.overflow = spec.overflow;
    config.queue.bug_drop_when_full = bugs_.queue_drop_when_full;
    config.stop_on_park = bugs_.projections_stop_on_park;
    config.bug_in_memory_dedup = bugs_.projection_in_memory_dedup;
    config.bug_load_oldest_slot = bugs_.projection_load_oldest_slot;
    config.bug_checkpoint_only_every_n = bugs_.projection_checkpoint_only_every_n;
    ProjectionRunner& runner = parts->runner.emplace(
        env, parts->client, *disks_[p], config, *parts->model, effect(spec.effect), &projections_);
    runner.set_handler_delay(slow_[p]);
    // Parked events are replayed once the faults heal: also by an incarnation born after that.
    if (cluster_.sim().now() >= cluster_.heal_all_at()) runner.request_replay_parked();
    Slot slot(runners_[p], runner);
    if (rebuild_[p]) {
        runner.erase_durable_state();
        rebuild_[p] = false;  // only once erased: a crash halfway rebuilds again
    }
    runner.run(parts);
}

void LedgerRun::replay_parked() {
    for (ProjectionRunner* r : runners_) {
        if (r) r->request_replay_parked();
    }
}

size_t LedgerRun::pick_projection(const faults::FaultSpec& f) {
    const auto it = f.params.find("projection");
    const int p = it == f.params.end() ? -1 : static_cast<int>(it->second);
    if (p >= 0 && static_cast<size_t>(p) < k_projection_count) return static_cast<size_t>(p);
    return static_cast<size_t>(app_rng_.below(k_projection_count));
}

bool LedgerRun::application_fault(const faults::FaultSpec& f, bool heal) {
    sim::Simulation& sim = cluster_.sim();
    if (f.kind == "projection-crash" || f.kind == "slow-handler") {
        size_t& p = chosen_[&f];
        if (!heal) p = pick_projection(f);
        if (f.kind == "projection-crash") {
            crash_counted(*processes_[p], projection_crashes_[p], heal);
        } else {
            slow_[p] =
                heal ? Duration{} : Duration::nanos(static_cast<int64_t>(f.params.at("delay")));
            if (runners_[p]) runners_[p]->set_handler_delay(slow_[p]);
        }
        if (heal) chosen_.erase(&f);
    } else if (f.kind == "projection-rebuild") {
        const size_t p = pick_projection(f);
        rebuild_[p] = true;
        sim.restart(*processes_[p]);
    } else if (f.kind == "service-crash") {
        size_t& w = chosen_[&f];
        if (!heal) {
            const auto it = f.params.find("worker");
            const int want = it == f.params.end() ? -1 : static_cast<int>(it->second);
            w = want >= 0 && static_cast<size_t>(want) < workers_.size()
                    ? static_cast<size_t>(want)
                    : static_cast<size_t>(app_rng_.below(workers_.size()));
        }
        crash_counted(*workers_[w], worker_crashes_[w], heal);
        if (heal) chosen_.erase(&f);
    } else if (f.kind == "poison-event") {
        poison_wanted_ += static_cast<uint64_t>(f.params.at("count"));
    } else if (f.kind == "downstream-outage") {
        outages_ += heal ? -1 : 1;
        notifier_.set_down(outages_ > 0);
    } else if (f.kind == "load-burst") {
        rate_factor_ = heal ? 1.0 : std::max(1.0, f.params.at("factor"));
    } else if (f.kind == "store-outage") {
        cut_app_from_store(!heal);
    } else {
        return false;
    }
    return true;
}

// Overlapping crash faults on one process: it goes down with the first, up with the last heal.
void LedgerRun::crash_counted(sim::Process& p, int& active, bool heal) {
    sim::Simulation& sim = cluster_.sim();
    if (!heal && active++ == 0) sim.crash(p);
    if (heal && --active == 0) sim.restart(p);
}

void LedgerRun::cut_app_from_store(bool cut) {
    store_cuts_ += cut ? 1 : -1;
    if ((cut && store_cuts_ != 1) || (!cut && store_cuts_ != 0)) return;
    sim::Network& net = cluster_.network();
    for (NodeId a = static_cast<NodeId>(cluster_.size()); a < cluster_.sim().nodes().size(); ++a) {
        for (NodeId s = 0; s < cluster_.size(); ++s) {
            cut ? net.block(a, s) : net.unblock(a, s);
            cut ? net.block(s, a) : net.unblock(s, a);
        }
    }
}

}  // namespace stormlog::workloads::ledger
