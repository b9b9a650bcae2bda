#include "workloads/ledger/projections.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "sim/assert.hpp"
#include "system/ledger/read_models.hpp"
#include "system/projections/checkpoint.hpp"
#include "system/resilience/time_limiter.hpp"

namespace stormlog::workloads::ledger {
namespace {

using system::ledger::LedgerResult;
using system::ledger::LedgerStatus;

// Sets a slot to the runner of the running incarnation, and clears it when the incarnation dies.
class Slot {
  public:
    Slot(ProjectionRunner*& slot, ProjectionRunner& runner) : slot_(&slot) { slot = &runner; }
    ~Slot() { *slot_ = nullptr; }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

  private:
    ProjectionRunner** slot_;
};

// What one projection incarnation runs on; its fibers share it (see ProjectionRunner::run).
struct ProjectionParts {
    ProjectionParts(sim::Env& env, sim::Network& network, NodeId self,
                    const system::store::ClientOptions& options, const std::string& kind)
        : client(env, network, self, options), model(system::ledger::make_read_model(kind)) {}
    system::store::StoreClient client;
    std::unique_ptr<system::projections::ReadModel> model;
    std::optional<ProjectionRunner> runner;
};

// The ledger event of an account stream `e` carries; anything else cannot be handled.
system::ledger::LedgerEvent ledger_event(const system::store::RecordedEvent& e) {
    std::optional<system::ledger::LedgerEvent> le = system::ledger::decode(e.data);
    if (!le || !system::ledger::account_of(e.stream)) {
        throw system::projections::HandlerError("cannot handle event " + e.id + " of " + e.stream);
    }
    return *le;
}

}  // namespace

Projections::Projections(Cluster& cluster, StoreDeployment& store, Checks& checks,
                         const LedgerBugs& bugs)
    : cluster_(&cluster),
      store_(&store),
      checks_(&checks),
      bugs_(&bugs),
      notifier_breaker_("notifier", notifier_breaker_config(bugs), listener(notifier_breaker_)),
      completer_breaker_("completer-store", store_breaker_config(bugs),
                         listener(completer_breaker_)),
      completer_(completer_breaker_, bugs.service, &checks.breakers, nullptr),
      notifier_("notifier", system::projections::DownstreamOptions{}),
      runners_(k_projection_count, nullptr) {}

// Transitions go to breaker.semantics; the breaker exists by the time it first transitions.
system::resilience::CircuitBreaker::Listener Projections::listener(
    const system::resilience::CircuitBreaker& b) {
    return [this, &b](const system::resilience::BreakerTransition& t) {
        checks_->breakers.on_transition(b, t);
    };
}

void Projections::start() {
    SL_ASSERT(processes_.empty());
    sim::Simulation& sim = cluster_->sim();
    const Scenario& s = cluster_->scenario();
    // After the cluster's nodes: the workers, the feeder, then one node per projection.
    const NodeId first =
        static_cast<NodeId>(cluster_->size()) + static_cast<NodeId>(s.workload.clients) + 1;
    for (size_t p = 0; p < k_projection_count; ++p) {
        const NodeId n = first + static_cast<NodeId>(p);
        sim::Node& node = sim.node(n);
        disks_.push_back(std::make_unique<sim::Disk>(sim, n, node.rng().fork("disk"), s.disk));
        checks_->projections.add(k_projections[p].name, k_projections[p].kind);
        processes_.push_back(&sim.add_process(node, "projection",
                                              [this, p, n](sim::Env& env) { project(env, p, n); }));
        sim.start(*processes_.back());
    }
}

system::ledger::StaleBalance Projections::balance(const std::string& account) const {
    system::ledger::StaleBalance out;
    const ProjectionRunner* r = runners_[k_balances];
    if (!r) {
        out.error = "the balances projection is down";
        return out;
    }
    const std::map<std::string, int64_t> view = r->model().view();
    const auto it = view.find(account);
    if (it == view.end()) {
        out.error = "the balances projection has not seen account " + account;
        return out;
    }
    out.available = true;
    out.balance = it->second;
    out.checkpoint = r->applied();
    out.lag = r->seen_head() - std::min(r->seen_head(), r->applied());
    out.age = r->caught_up_age();
    return out;
}

system::projections::SideEffect Projections::effect(Effect e) {
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

void Projections::notify(sim::Env& env, const system::store::RecordedEvent& e) {
    if (system::projections::system_stream(e.stream)) return;
    (void)ledger_event(e);  // throws for anything but a ledger event
    system::resilience::GuardedCall call(notifier_breaker_, env.now(), &checks_->breakers);
    if (!call.permitted()) {
        if (bugs_->notify_skip_when_open) return;  // "best effort": the statement is never sent
        throw system::projections::Transient("the notifier's breaker is open");
    }
    system::projections::Downstream* notifier = &notifier_;  // outlives every process
    const uint64_t key = e.global_position;
    const std::optional<std::string> error = system::resilience::with_timeout<std::string>(
        env, k_notify_timeout, [notifier, &env, key] { return notifier->call(env, key); });
    if (!error || !error->empty()) {
        call.failed(env.now());
        throw system::projections::Transient(error ? *error
                                                   : "the notifier did not answer within " +
                                                         sim::format_duration(k_notify_timeout));
    }
    call.succeeded(env.now());
}

void Projections::complete(sim::Env& env, system::store::StoreClient& conn,
                           const system::store::RecordedEvent& e) {
    if (system::projections::system_stream(e.stream)) return;
    const system::ledger::LedgerEvent le = ledger_event(e);
    if (le.type != system::ledger::EventType::transfer_debited) return;
    const LedgerResult r = completer_.credit(env, conn, le, *system::ledger::account_of(e.stream));
    if (r.status == LedgerStatus::ok) return;
    if (r.status == LedgerStatus::refused)
        throw system::projections::HandlerError("credit refused: " + r.error);
    throw system::projections::Transient("credit not confirmed: " + r.error);
}

void Projections::project(sim::Env& env, size_t p, NodeId self) {
    const ProjectionSpec& spec = k_projections[p];
    auto parts = std::make_shared<ProjectionParts>(env, cluster_->network(), self,
                                                   store_->client_options(), spec.kind);
    system::projections::ProjectionConfig config;
    config.name = spec.name;
    config.queue.capacity = spec.capacity;
    config.queue.high_watermark = spec.high;
    config.queue.low_watermark = spec.low;
    config.queue.overflow = spec.overflow;
    config.queue.bug_drop_when_full = bugs_->queue_drop_when_full;
    config.stop_on_park = bugs_->projections_stop_on_park;
    config.bug_in_memory_dedup = bugs_->projection_in_memory_dedup;
    config.bug_load_oldest_slot = bugs_->projection_load_oldest_slot;
    config.retry_observer = &checks_->retries;
    config.bug_retry_without_backoff = bugs_->projection_retry_without_backoff;
    config.bug_checkpoint_only_every_n = bugs_->projection_checkpoint_only_every_n;
    config.bug_park_without_dead_letter = bugs_->projection_park_without_dead_letter;
    config.bug_drop_replay_request = bugs_->projection_drop_replay_request;
    ProjectionRunner& runner =
        parts->runner.emplace(env, parts->client, *disks_[p], config, *parts->model,
                              effect(spec.effect), &checks_->projections);
    runner.set_handler_delay(slow_[p]);
    // Parked events are replayed once the faults heal: also by an incarnation born after that.
    if (cluster_->sim().now() >= cluster_->heal_all_at()) runner.request_replay_parked();
    Slot slot(runners_[p], runner);
    if (rebuild_[p]) {
        runner.erase_durable_state();
        rebuild_[p] = false;  // only once erased: a crash halfway rebuilds again
    }
    runner.run(parts);
}

void Projections::replay_parked() {
    for (ProjectionRunner* r : runners_) {
        if (r) r->request_replay_parked();
    }
}

void Projections::crash(size_t p, bool heal) {
    SL_ASSERT(p < k_projection_count);
    crash_counted(cluster_->sim(), *processes_[p], crashes_[p], heal);
}

void Projections::rot_checkpoint(size_t p, sim::Rng& rng) {
    SL_ASSERT(p < k_projection_count);
    sim::Disk& disk = *disks_[p];
    // One of the two slots, a byte the medium holds, one bit.
    const std::string file =
        system::projections::CheckpointStore::slot_file(k_projections[p].name, rng.below(2));
    const uint64_t size = disk.size(file);
    if (size > 0 && disk.rot(file, rng.below(size), static_cast<uint8_t>(1u << rng.below(8))))
        checks_->projections.on_damaged(k_projections[p].name);
}

void Projections::set_slow(size_t p, Duration delay) {
    SL_ASSERT(p < k_projection_count);
    slow_[p] = delay;
    if (runners_[p]) runners_[p]->set_handler_delay(delay);
}

void Projections::rebuild(size_t p) {
    SL_ASSERT(p < k_projection_count);
    rebuild_[p] = true;
    cluster_->sim().restart(*processes_[p]);
}

void Projections::set_downstream_outage(bool heal) {
    outages_ += heal ? -1 : 1;
    SL_ASSERT(outages_ >= 0);
    notifier_.set_down(outages_ > 0);
}

std::string Projections::undelivered() const {
    const ProjectionRunner* history = nullptr;
    for (size_t p = 0; p < k_projection_count; ++p) {
        if (k_projections[p].effect == Effect::notify) history = runners_[p];
    }
    if (!history) return "";
    const auto& events = checks_->log.events();
    for (uint64_t g = 0; g < history->checkpoint() && g < events.size(); ++g) {
        const system::store::RecordedEvent& e = events[g];
        if (system::projections::system_stream(e.stream) || history->parked().count(g)) continue;
        if (!notifier_.received(g)) {
            return "event " + e.id + " of \"" + e.stream + "\" (global position " +
                   std::to_string(g) + ") is below the notifying projection's checkpoint " +
                   std::to_string(history->checkpoint()) + " and not parked, but " +
                   notifier_.name() + " never received it";
        }
    }
    return "";
}

std::string Projections::summary_line(uint64_t queues_above_high_watermark) const {
    std::string projs;
    for (size_t p = 0; p < k_projection_count; ++p) {
        const ProjectionRunner* run = runners_[p];
        projs += std::string(" ") + k_projections[p].name + "=" +
                 (run ? std::to_string(run->checkpoint()) : "down");
    }
    const properties::projections::ProjectionChecker& c = checks_->projections;
    return "projections: log=" + std::to_string(checks_->log.head()) + projs +
           " resumes=" + std::to_string(c.resumes()) + " rebuilds=" + std::to_string(c.rebuilds()) +
           " notifier_calls=" + std::to_string(notifier_.stats().calls) +
           " queues_above_high_watermark=" + std::to_string(queues_above_high_watermark);
}

}  // namespace stormlog::workloads::ledger
