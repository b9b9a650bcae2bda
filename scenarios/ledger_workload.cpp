#include "scenarios/ledger_workload.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "properties/ledger/committed_log.hpp"
#include "properties/ledger/ledger_checker.hpp"
#include "properties/projections/projection_checker.hpp"
#include "properties/resilience/breaker_checker.hpp"
#include "scenarios/cluster.hpp"
#include "sim/env.hpp"
#include "system/monitoring/alerts.hpp"
#include "system/monitoring/metrics.hpp"
#include "system/projections/downstream.hpp"
#include "system/projections/runner.hpp"

namespace stormlog::scenarios {
namespace {

using sim::Duration;
using sim::NodeId;
using sim::Time;
using system::ledger::LedgerResult;
using system::ledger::LedgerStatus;
using system::projections::ProjectionRunner;
using system::resilience::BreakerState;
using system::resilience::CircuitBreaker;
using system::resilience::OverflowPolicy;

enum class Effect : uint8_t { none, notify, complete };

struct ProjectionSpec {
    const char* name;
    const char* kind;
    OverflowPolicy overflow;
    size_t capacity, high, low;
    Effect effect;
};

// The projections every ledger run deploys, in node order.
constexpr ProjectionSpec k_projections[] = {
    {"balances", "balances", OverflowPolicy::block, 64, 48, 16, Effect::none},
    {"account-history", "account-history", OverflowPolicy::block, 64, 48, 16, Effect::notify},
    {"totals", "totals", OverflowPolicy::reject, 32, 24, 8, Effect::none},
    {"transfers", "transfers", OverflowPolicy::block, 64, 48, 16, Effect::complete},
};
constexpr size_t k_projection_count = std::size(k_projections);

enum Op : uint8_t { op_open, op_deposit, op_withdraw, op_transfer, op_balance, op_count };
const char* const k_op_names[op_count] = {"open", "deposit", "withdraw", "transfer", "balance"};
constexpr size_t k_status_count = 5;

const Duration k_sample_every = Duration::millis(100);
const Duration k_drain = Duration::seconds(1);  // workers stop this long before the end

std::vector<std::string> node_names(const Scenario& s) {
    std::vector<std::string> names;
    for (int c = 0; c < s.workload.clients; ++c) names.push_back("w" + std::to_string(c + 1));
    names.emplace_back("feeder");
    for (const ProjectionSpec& p : k_projections) names.push_back(std::string("p-") + p.name);
    return names;
}

system::resilience::BreakerConfig store_breaker_config(const LedgerBugs& bugs) {
    system::resilience::BreakerConfig c;
    c.window = system::resilience::WindowKind::time;
    c.window_size = 2;  // seconds
    c.minimum_calls = 8;
    c.failure_rate_threshold = 50;
    c.slow_call_rate_threshold = 90;
    c.slow_call_duration = Duration::millis(600);
    c.wait_in_open = Duration::millis(500);
    c.wait_backoff = 2.0;
    c.max_wait_in_open = Duration::seconds(2);
    c.permitted_in_half_open = 2;
    c.bug_half_open_admits_all = bugs.breaker_half_open_admits_all;
    c.bug_ignore_open = bugs.breaker_ignore_open;
    return c;
}

system::resilience::BreakerConfig notifier_breaker_config(const LedgerBugs& bugs) {
    system::resilience::BreakerConfig c;
    c.window = system::resilience::WindowKind::count;
    c.window_size = 10;
    c.minimum_calls = 4;
    c.failure_rate_threshold = 50;
    c.slow_call_duration = Duration::millis(80);
    c.wait_in_open = Duration::millis(300);
    c.wait_backoff = 2.0;
    c.max_wait_in_open = Duration::seconds(2);
    c.permitted_in_half_open = 1;
    c.bug_half_open_admits_all = bugs.breaker_half_open_admits_all;
    c.bug_ignore_open = bugs.breaker_ignore_open;
    return c;
}

bool enabled_in(const std::set<std::string>& enabled, const std::string& p) {
    return enabled.empty() || enabled.count(p) > 0;
}

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

class LedgerRun final : public system::ledger::BalanceSource {
  public:
    LedgerRun(const Scenario& scenario, const RunOptions& options, const LedgerBugs& bugs)
        : cluster_(scenario, options, node_names(scenario)),
          bugs_(bugs),
          enabled_(scenario.properties.begin(), scenario.properties.end()),
          store_(cluster_, bugs.store, enabled_),
          ledger_([this](const properties::ledger::LedgerViolation& v) { fail(v.property, "-", v.evidence); }),
          projections_(log_, [this](const properties::projections::ProjectionViolation& v) {
              fail(v.property, std::string("p-") + v.projection, v.evidence);
          }),
          breakers_([this](const properties::resilience::BreakerViolation& v) {
              fail("breaker.semantics", v.breaker, v.evidence);
          }),
          store_breaker_("ledger-store", store_breaker_config(bugs), listener(0)),
          notifier_breaker_("notifier", notifier_breaker_config(bugs), listener(1)),
          completer_breaker_("completer-store", store_breaker_config(bugs), listener(2)),
          bulkhead_(cluster_.sim(), system::resilience::BulkheadConfig{3, Duration::millis(100)}),
          service_(store_breaker_, bugs.service, &breakers_, this, &bulkhead_),
          completer_(completer_breaker_, bugs.service, &breakers_, nullptr),
          notifier_("notifier", system::projections::DownstreamOptions{}),
          runners_(k_projection_count, nullptr),
          alerts_(metrics_),
          app_rng_(cluster_.sim().fork_rng("ledger-app-faults")) {
        store_.also_observe(&log_);
        ledger_.enable(on("ledger.conservation"), on("ledger.no_overdraft"));
        projections_.enable(enabled_);
        log_.listen([this](const system::store::RecordedEvent& e) {
            ledger_.on_committed(e);
            commits_->add();
        });
        sim::Simulation& sim = cluster_.sim();
        const NodeId first_app = static_cast<NodeId>(cluster_.size());
        for (int c = 0; c < scenario.workload.clients; ++c) {
            const NodeId n = first_app + static_cast<NodeId>(c);
            sim.start(sim.add_process(sim.node(n), "worker", [this, c, n](sim::Env& env) { work(env, c, n); }));
        }
        const NodeId feeder = first_app + static_cast<NodeId>(scenario.workload.clients);
        sim.start(sim.add_process(sim.node(feeder), "feeder", [this, feeder](sim::Env& env) { feed(env, feeder); }));
        for (size_t p = 0; p < k_projection_count; ++p) {
            const NodeId n = feeder + 1 + static_cast<NodeId>(p);
            sim::Node& node = sim.node(n);
            disks_.push_back(std::make_unique<sim::Disk>(sim, n, node.rng().fork("disk"), scenario.disk));
            projections_.add(k_projections[p].name, k_projections[p].kind);
            processes_.push_back(&sim.add_process(node, "projection", [this, p, n](sim::Env& env) { project(env, p, n); }));
            sim.start(*processes_.back());
        }
        add_alerts();
    }

    ~LedgerRun() override { cluster_.sim().shutdown(); }
    LedgerRun(const LedgerRun&) = delete;
    LedgerRun& operator=(const LedgerRun&) = delete;

    RunResult run() {
        cluster_.start_faults([this] { return store_.leader(); }, [this](const faults::FaultSpec& f, bool heal) {
            return application_fault(f, heal);
        });
        sample();
        if (cluster_.heal_all_at() < cluster_.end()) {
            cluster_.sim().schedule_at(cluster_.heal_all_at(), [this] { replay_parked(); });
        }
        cluster_.sim().run_until(cluster_.end());
        if (!failed()) check_acked();
        if (!failed()) check_liveness();
        RunResult r = cluster_.result();
        summarize(r);
        return r;
    }

    // ---- BalanceSource: degraded reads from the `balances` read model ---------------------
    system::ledger::StaleBalance balance(const std::string& account) const override {
        system::ledger::StaleBalance out;
        const ProjectionRunner* r = runners_[0];
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
        out.age = r->caught_up_at() ? cluster_.sim().now() - *r->caught_up_at() : cluster_.sim().now() - Time::zero();
        return out;
    }

  private:
    bool on(const std::string& p) const { return enabled_in(enabled_, p); }
    bool failed() const { return cluster_.sim().failed(); }
    void fail(const std::string& property, const std::string& node, const std::string& evidence) {
        if (on(property)) cluster_.sim().fail(property, node, evidence);
    }
    bool liveness_applies() const {
        const Scenario& s = cluster_.scenario();
        return s.budget == Budget::within && s.quiet_period.ns() > 0;
    }
    Time stop_at() const { return cluster_.end() - k_drain; }

    std::array<const CircuitBreaker*, 3> breakers() const { return {&store_breaker_, &notifier_breaker_, &completer_breaker_}; }

    // Transitions go to breaker.semantics; the breaker exists by the time it first transitions.
    CircuitBreaker::Listener listener(size_t which) {
        return [this, which](const system::resilience::BreakerTransition& t) {
            breakers_.on_transition(*breakers()[which], t);
        };
    }

    // ---- Workers --------------------------------------------------------------------------

    std::string account(sim::Env& env) const {
        return "a" + std::to_string(env.rng().below(static_cast<uint64_t>(cluster_.scenario().workload.accounts)));
    }

    void work(sim::Env& env, int c, NodeId self) {
        system::store::StoreClient conn(env, cluster_.network(), self, store_.client_options());
        const std::string me = "w" + std::to_string(c + 1) + "." + std::to_string(env.incarnation());
        uint64_t n = 0;
        if (c == 0) open_accounts(env, conn, me, n);
        const Scenario& s = cluster_.scenario();
        const Duration mean = Duration::nanos(static_cast<int64_t>(1e9 / s.workload.rate));
        for (;;) {
            env.sleep(env.rng().exponential(mean / static_cast<int64_t>(rate_factor_)) + Duration::micros(1));
            if (cluster_.sim().now() >= stop_at()) return;
            const uint64_t pick = env.rng().below(100);
            const std::string op = me + "-" + std::to_string(++n);
            const int64_t amount = 1 + static_cast<int64_t>(env.rng().below(100));
            const Time started = cluster_.sim().now();
            if (pick < 30) {
                record(op_deposit, service_.deposit(env, conn, account(env), amount, op), op, started);
            } else if (pick < 55) {
                record(op_withdraw, service_.withdraw(env, conn, account(env), amount, op), op, started);
            } else if (pick < 85) {
                const std::string from = account(env), to = account(env);
                record(op_transfer, service_.transfer(env, conn, from, to, amount, "t-" + op), op, started);
            } else {
                query(env, conn, account(env));
            }
        }
    }

    void open_accounts(sim::Env& env, system::store::StoreClient& conn, const std::string& me, uint64_t& n) {
        for (int a = 0; a < cluster_.scenario().workload.accounts; ++a) {
            for (;;) {
                const std::string op = me + "-" + std::to_string(++n);
                const Time started = cluster_.sim().now();
                const LedgerResult r = service_.open(env, conn, "a" + std::to_string(a), op);
                record(op_open, r, op, started);
                if (r.status == LedgerStatus::ok || r.status == LedgerStatus::refused) break;
                env.sleep(Duration::millis(100));
            }
        }
    }

    void record(Op op, const LedgerResult& r, const std::string& id, Time started) {
        ++ops_[op][static_cast<size_t>(r.status)];
        metrics_.histogram("ledger.latency_us").record((cluster_.sim().now() - started).ns() / 1000);
        if (r.status == LedgerStatus::ok) acked_.push_back(op == op_transfer ? system::ledger::debit_id("t-" + id) : id);
        if (r.credit_pending) ++credits_left_;
    }

    void query(sim::Env& env, system::store::StoreClient& conn, const std::string& account) {
        const system::ledger::BalanceAnswer a = service_.balance(env, conn, account);
        ++ops_[op_balance][a.ok ? 0 : static_cast<size_t>(LedgerStatus::unavailable)];
        if (a.degraded && a.ok) ++degraded_reads_;
        if (a.degraded && a.ok) max_stated_lag_ = std::max(max_stated_lag_, a.staleness.lag);
    }

    // ---- The feeder: poison events on request -------------------------------------------

    void feed(sim::Env& env, NodeId self) {
        system::store::StoreClient conn(env, cluster_.network(), self, store_.client_options());
        for (;;) {
            env.sleep(Duration::millis(50));
            while (poison_wanted_ > 0) {
                system::store::AppendCommand cmd;
                cmd.stream = "inbox-" + std::to_string(poison_sent_ % 3);
                cmd.events.push_back(system::store::EventData{"poison-" + std::to_string(poison_sent_),
                                                               system::ledger::poison_payload(poison_sent_)});
                if (conn.append(cmd).outcome != system::store::Outcome::ok) break;
                ++poison_sent_;
                --poison_wanted_;
            }
        }
    }

    // ---- Projections --------------------------------------------------------------------

    system::projections::SideEffect effect(Effect e) {
        switch (e) {
            case Effect::none: return {};
            case Effect::notify: return [this](sim::Env& env, system::store::StoreClient&, const system::store::RecordedEvent& ev) { notify(env, ev); };
            case Effect::complete: return [this](sim::Env& env, system::store::StoreClient& c, const system::store::RecordedEvent& ev) { complete(env, c, ev); };
        }
        return {};
    }

    static std::optional<system::ledger::LedgerEvent> ledger_event(const system::store::RecordedEvent& e) {
        std::optional<system::ledger::LedgerEvent> le = system::ledger::decode(e.data);
        if (!le || !system::ledger::account_of(e.stream)) {
            throw system::projections::HandlerError("cannot handle event " + e.id + " of " + e.stream);
        }
        return le;
    }

    // account-history sends every entry to the statement notifier, through its breaker.
    void notify(sim::Env& env, const system::store::RecordedEvent& e) {
        if (system::projections::system_stream(e.stream)) return;
        ledger_event(e);
        system::resilience::GuardedCall call(notifier_breaker_, env.now(), &breakers_);
        if (!call.permitted()) throw system::projections::Transient("the notifier's breaker is open");
        const std::string error = notifier_.call(env);
        if (!error.empty()) {
            call.failed(env.now());
            throw system::projections::Transient(error);
        }
        call.succeeded(env.now());
    }

    // The transfer completer credits every debited transfer (idempotent by the credit's id).
    void complete(sim::Env& env, system::store::StoreClient& conn, const system::store::RecordedEvent& e) {
        if (system::projections::system_stream(e.stream)) return;
        const std::optional<system::ledger::LedgerEvent> le = ledger_event(e);
        if (le->type != system::ledger::EventType::transfer_debited) return;
        const LedgerResult r = completer_.credit(env, conn, *le, *system::ledger::account_of(e.stream));
        if (r.status == LedgerStatus::ok) return;
        if (r.status == LedgerStatus::refused) throw system::projections::HandlerError("credit refused: " + r.error);
        throw system::projections::Transient("credit not confirmed: " + r.error);
    }

    void project(sim::Env& env, size_t p, NodeId self) {
        const ProjectionSpec& spec = k_projections[p];
        system::store::StoreClient client(env, cluster_.network(), self, store_.client_options());
        std::unique_ptr<system::projections::ReadModel> model = system::projections::make_read_model(spec.kind);
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
        ProjectionRunner runner(env, client, *disks_[p], config, *model, effect(spec.effect), &projections_);
        runner.set_handler_delay(slow_[p]);
        Slot slot(runners_[p], runner);
        const bool rebuild = std::exchange(rebuild_[p], false);
        rebuild ? runner.rebuild() : runner.run();
    }

    void replay_parked() {
        for (ProjectionRunner* r : runners_) {
            if (r) r->request_replay_parked();
        }
    }

    // ---- Application faults -------------------------------------------------------------

    size_t pick_projection(const faults::FaultSpec& f) {
        const auto it = f.params.find("projection");
        const int p = it == f.params.end() ? -1 : static_cast<int>(it->second);
        if (p >= 0 && static_cast<size_t>(p) < k_projection_count) return static_cast<size_t>(p);
        return static_cast<size_t>(app_rng_.below(k_projection_count));
    }

    bool application_fault(const faults::FaultSpec& f, bool heal) {
        sim::Simulation& sim = cluster_.sim();
        if (f.kind == "projection-crash" || f.kind == "slow-handler") {
            size_t& p = chosen_[&f];
            if (!heal) p = pick_projection(f);
            if (f.kind == "projection-crash") {
                heal ? sim.restart(*processes_[p]) : sim.crash(*processes_[p]);
            } else {
                slow_[p] = heal ? Duration{} : Duration::nanos(static_cast<int64_t>(f.params.at("delay")));
                if (runners_[p]) runners_[p]->set_handler_delay(slow_[p]);
            }
            if (heal) chosen_.erase(&f);
        } else if (f.kind == "projection-rebuild") {
            const size_t p = pick_projection(f);
            rebuild_[p] = true;
            sim.restart(*processes_[p]);
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

    void cut_app_from_store(bool cut) {
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

    // ---- Monitoring ---------------------------------------------------------------------

    void add_alerts() {
        using system::monitoring::AlertRule;
        using system::monitoring::Comparison;
        alerts_.add(AlertRule{"no-store-leader", "store.leader", Comparison::below, 0.5, Duration::seconds(2)});
        for (const ProjectionSpec& p : k_projections) {
            alerts_.add(AlertRule{std::string("lag-") + p.name, std::string("projection.") + p.name + ".lag",
                                  Comparison::above, 200, Duration::seconds(3)});
        }
        for (const CircuitBreaker* b : breakers()) {
            alerts_.add(AlertRule{"breaker-open-" + b->name(), "breaker." + b->name() + ".open", Comparison::above,
                                  0.5, Duration::seconds(3)});
        }
    }

    void sample() {
        const Time now = cluster_.sim().now();
        metrics_.gauge("store.leader").set(now, store_.serving_leader() ? 1 : 0);
        for (size_t p = 0; p < k_projection_count; ++p) {
            const std::string name = k_projections[p].name;
            const ProjectionRunner* r = runners_[p];
            if (r) last_checkpoint_[p] = r->checkpoint();
            const uint64_t lag = log_.head() - std::min(log_.head(), last_checkpoint_[p]);
            max_lag_ = std::max(max_lag_, lag);
            metrics_.gauge("projection." + name + ".lag").set(now, static_cast<double>(lag));
            metrics_.gauge("queue." + name + ".depth").set(now, r ? static_cast<double>(r->queue_depth()) : 0.0);
            const bool above = r && r->queue().above_high_watermark();
            metrics_.gauge("queue." + name + ".above_high_watermark").set(now, above ? 1 : 0);
            if (above && !above_[p]) ++high_watermarks_;
            above_[p] = above;
            metrics_.gauge("projection." + name + ".parked").set(now, r ? static_cast<double>(r->parked().size()) : 0.0);
        }
        for (const CircuitBreaker* b : breakers()) {
            const bool open = b->state() == BreakerState::open || b->state() == BreakerState::forced_open;
            metrics_.gauge("breaker." + b->name() + ".open").set(now, open ? 1 : 0);
        }
        alerts_.evaluate(now);
        cluster_.sim().schedule_after(k_sample_every, [this] { sample(); });
    }

    // ---- At the end ---------------------------------------------------------------------

    void check_acked() {
        std::set<std::string> ids;
        for (const system::store::RecordedEvent& e : log_.events()) ids.insert(e.id);
        for (const std::string& id : acked_) {
            if (ids.count(id) == 0) ++acked_lost_;
        }
        if (acked_lost_ > 0 && on("store.durability")) {
            fail("store.durability", "-", std::to_string(acked_lost_) + " operations the ledger acknowledged are not in the committed log");
        }
    }

    void check_liveness() {
        for (size_t p = 0; p < k_projection_count; ++p) {
            if (runners_[p]) projections_.finish_queue(k_projections[p].name, runners_[p]->queue_depth());
        }
        if (!liveness_applies() || failed()) return;
        const std::string since = " at the end of the quiet period";
        if (on("liveness.leader")) {
            const system::store::StoreServer* l = store_.serving_leader();
            if (!l || store_.followers_of(l) < cluster_.size() / 2 + 1) {
                fail("liveness.leader", l ? store_.name(l) : "-", "no leader with a majority" + since + ":" + store_.node_states());
                return;
            }
        }
        if (!on("liveness.projections")) return;
        std::string why;
        for (size_t p = 0; p < k_projection_count && why.empty(); ++p) {
            const ProjectionRunner* r = runners_[p];
            const std::string name = k_projections[p].name;
            if (!r) why = "projection " + name + " is not running";
            else if (r->stopped()) why = "projection " + name + " stopped";
            else if (r->checkpoint() != log_.head()) why = "projection " + name + " is at " + std::to_string(r->checkpoint()) + ", the log at " + std::to_string(log_.head());
            else if (r->queue_depth() != 0) why = "projection " + name + "'s queue holds " + std::to_string(r->queue_depth()) + " events";
        }
        for (const CircuitBreaker* b : breakers()) {
            if (why.empty() && b->state() != BreakerState::closed) why = "breaker " + b->name() + " is " + to_string(b->state());
        }
        if (why.empty() && !alerts_.firing_now().empty()) why = "alert " + alerts_.firing_now().front() + " still fires";
        if (why.empty() && ledger_.transfers_in_flight() > 0) {
            why = std::to_string(ledger_.transfers_in_flight()) + " transfers are debited but not credited";
        }
        if (!why.empty()) fail("liveness.projections", "-", why + since);
    }

    void summarize(RunResult& r) const {
        uint64_t fired = alerts_.fired(), resolved = alerts_.resolved();
        std::string ops;
        for (size_t o = 0; o < op_count; ++o) {
            ops += std::string(" ") + k_op_names[o] + "=" + std::to_string(ops_[o][0]) + "/";
            uint64_t total = 0;
            for (uint64_t x : ops_[o]) total += x;
            ops += std::to_string(total);
        }
        r.summary.push_back("ledger: ops ok/all" + ops + " degraded_reads=" + std::to_string(degraded_reads_) +
                            " credits_left_to_completer=" + std::to_string(credits_left_) + " poison_events=" +
                            std::to_string(poison_sent_) + " balance_sum=" + std::to_string(ledger_.deposits() - ledger_.withdrawals() - ledger_.in_flight()));
        std::string projs;
        for (size_t p = 0; p < k_projection_count; ++p) {
            const ProjectionRunner* run = runners_[p];
            projs += std::string(" ") + k_projections[p].name + "=" + (run ? std::to_string(run->checkpoint()) : "down");
        }
        r.summary.push_back("projections: log=" + std::to_string(log_.head()) + projs + " resumes=" +
                            std::to_string(projections_.resumes()) + " rebuilds=" +
                            std::to_string(projections_.rebuilds()) + " notifier_calls=" +
                            std::to_string(notifier_.stats().calls) + " queues_above_high_watermark=" +
                            std::to_string(high_watermarks_));
        r.summary.push_back("resilience: faults applied=" + std::to_string(cluster_.injector().stats().applied) +
                            " breaker_trips=" + std::to_string(breakers_.trips()) + " recoveries=" +
                            std::to_string(breakers_.half_open_closed()) + " parked_events=" +
                            std::to_string(projections_.parked_events()) + " max_lag=" + std::to_string(max_lag_) +
                            " alerts fired=" + std::to_string(fired) + " resolved=" + std::to_string(resolved) +
                            " acked_writes_lost=" + std::to_string(acked_lost_));
        if (const auto* h = metrics_.find_histogram("ledger.latency_us")) {
            r.summary.push_back("latency: commands p50=" + std::to_string(h->percentile(50)) + "us p99=" +
                                std::to_string(h->percentile(99)) + "us max=" + std::to_string(h->max()) +
                                "us; bulkhead refusals=" + std::to_string(bulkhead_.refused()));
        }
        if (!alerts_.firings().empty()) r.summary.push_back("alerts:" + describe_firings());
        r.summary.push_back(store_.raft_summary("off"));
        if (!store_.serving_leader()) r.summary.push_back("store: not serving at the end:" + store_.node_states());
    }

    // " lag-balances 5.2s..9.1s, breaker-open-notifier 12s..(firing)", the first few.
    std::string describe_firings() const {
        std::string out;
        size_t shown = 0;
        for (const system::monitoring::AlertFiring& f : alerts_.firings()) {
            if (++shown > 8) {
                out += " ...";
                break;
            }
            out += std::string(shown > 1 ? "," : "") + " " + f.rule + " " + sim::format_duration(f.fired_at - Time::zero()) +
                   ".." + (f.resolved_at ? sim::format_duration(*f.resolved_at - Time::zero()) : std::string("(firing)"));
        }
        return out;
    }

    Cluster cluster_;
    LedgerBugs bugs_;
    std::set<std::string> enabled_;
    properties::ledger::CommittedLog log_;
    StoreDeployment store_;
    properties::ledger::LedgerChecker ledger_;
    properties::projections::ProjectionChecker projections_;
    properties::resilience::BreakerChecker breakers_;
    CircuitBreaker store_breaker_, notifier_breaker_, completer_breaker_;
    system::resilience::Bulkhead bulkhead_;  // at most 3 of the workers' store calls at once
    system::ledger::LedgerService service_, completer_;
    system::projections::Downstream notifier_;
    std::vector<std::unique_ptr<sim::Disk>> disks_;
    std::vector<sim::Process*> processes_;
    std::vector<ProjectionRunner*> runners_;
    std::array<Duration, k_projection_count> slow_{};
    std::array<bool, k_projection_count> rebuild_{};  // the next incarnation starts over
    std::array<bool, k_projection_count> above_{};    // a queue above its high watermark
    uint64_t high_watermarks_ = 0;                    // samples that found a queue newly above it
    std::array<uint64_t, k_projection_count> last_checkpoint_{};
    system::monitoring::Metrics metrics_;
    system::monitoring::Counter* commits_ = &metrics_.counter("store.commits");
    system::monitoring::Alerts alerts_;
    sim::Rng app_rng_;
    std::map<const faults::FaultSpec*, size_t> chosen_;
    double rate_factor_ = 1.0;
    int outages_ = 0, store_cuts_ = 0;
    uint64_t poison_wanted_ = 0, poison_sent_ = 0;
    std::array<std::array<uint64_t, k_status_count>, op_count> ops_{};
    std::vector<std::string> acked_;
    uint64_t acked_lost_ = 0, degraded_reads_ = 0, credits_left_ = 0, max_stated_lag_ = 0, max_lag_ = 0;
};

}  // namespace

const std::vector<std::string>& ledger_properties() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v = properties::raft::RaftSafety::property_names();
        for (const std::string& p : properties::store::StoreChecker::property_names()) v.push_back(p);
        v.emplace_back("liveness.leader");
        for (const std::string& p : properties::ledger::LedgerChecker::property_names()) v.push_back(p);
        for (const std::string& p : properties::projections::ProjectionChecker::property_names()) v.push_back(p);
        v.insert(v.end(), {"breaker.semantics", "liveness.projections"});
        return v;
    }();
    return names;
}

RunResult run_ledger(const Scenario& scenario, const RunOptions& options, const LedgerBugs& bugs) {
    return LedgerRun(scenario, options, bugs).run();
}

}  // namespace stormlog::scenarios
