#include <algorithm>
#include <utility>

#include "faults/catalogue.hpp"
#include "properties/catalogue.hpp"
#include "workloads/ledger/run.hpp"

namespace stormlog::workloads::ledger {

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

LedgerRun::LedgerRun(const Scenario& scenario, const RunOptions& options, const LedgerBugs& bugs)
    : cluster_(scenario, options, node_names(scenario)),
      bugs_(bugs),
      enabled_(scenario.properties.begin(), scenario.properties.end()),
      store_(cluster_, bugs.store, enabled_),
      ledger_([this](const properties::ledger::LedgerViolation& v) {
          fail(v.property, "-", v.evidence);
      }),
      projections_(log_,
                   [this](const properties::projections::ProjectionViolation& v) {
                       fail(v.property, std::string("p-") + v.projection, v.evidence);
                   }),
      breakers_([this](const properties::resilience::BreakerViolation& v) {
          fail(properties::property::breaker_semantics.name, v.breaker, v.evidence);
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
    ledger_.enable(on(properties::property::ledger_conservation.name), on(properties::property::ledger_no_overdraft.name));
    projections_.enable(enabled_);
    log_.listen([this](const system::store::RecordedEvent& e) {
        ledger_.on_committed(e);
        commits_->add();
    });
    sim::Simulation& sim = cluster_.sim();
    const NodeId first_app = static_cast<NodeId>(cluster_.size());
    for (int c = 0; c < scenario.workload.clients; ++c) {
        const NodeId n = first_app + static_cast<NodeId>(c);
        workers_.push_back(&sim.add_process(sim.node(n), "worker",
                                            [this, c, n](sim::Env& env) { work(env, c, n); }));
        sim.start(*workers_.back());
    }
    worker_crashes_.assign(workers_.size(), 0);
    const NodeId feeder = first_app + static_cast<NodeId>(scenario.workload.clients);
    sim.start(sim.add_process(sim.node(feeder), "feeder",
                              [this, feeder](sim::Env& env) { feed(env, feeder); }));
    for (size_t p = 0; p < k_projection_count; ++p) {
        const NodeId n = feeder + 1 + static_cast<NodeId>(p);
        sim::Node& node = sim.node(n);
        disks_.push_back(
            std::make_unique<sim::Disk>(sim, n, node.rng().fork("disk"), scenario.disk));
        projections_.add(k_projections[p].name, k_projections[p].kind);
        processes_.push_back(&sim.add_process(node, "projection",
                                              [this, p, n](sim::Env& env) { project(env, p, n); }));
        sim.start(*processes_.back());
    }
    add_alerts();
}

RunResult LedgerRun::run() {
    cluster_.start_faults(
        [this] { return store_.leader(); },
        [this](const faults::FaultSpec& f, bool heal) { return application_fault(f, heal); });
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

system::ledger::StaleBalance LedgerRun::balance(const std::string& account) const {
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
    out.age = r->caught_up_at() ? cluster_.sim().now() - *r->caught_up_at()
                                : cluster_.sim().now() - Time::zero();
    return out;
}

void LedgerRun::fail(const std::string& property, const std::string& node,
                     const std::string& evidence) {
    if (on(property)) cluster_.sim().fail(property, node, evidence);
}

bool LedgerRun::liveness_applies() const {
    const Scenario& s = cluster_.scenario();
    return s.budget == Budget::within && s.quiet_period.ns() > 0;
}

CircuitBreaker::Listener LedgerRun::listener(size_t which) {
    return [this, which](const system::resilience::BreakerTransition& t) {
        breakers_.on_transition(*breakers()[which], t);
    };
}

std::string LedgerRun::account(sim::Env& env) const {
    return "a" + std::to_string(
                     env.rng().below(static_cast<uint64_t>(cluster_.scenario().workload.accounts)));
}

void LedgerRun::work(sim::Env& env, int c, NodeId self) {
    system::store::StoreClient conn(env, cluster_.network(), self, store_.client_options());
    const std::string me = "w" + std::to_string(c + 1) + "." + std::to_string(env.incarnation());
    uint64_t n = 0;
    if (c == 0) open_accounts(env, conn, me, n);
    const Scenario& s = cluster_.scenario();
    const Duration mean = Duration::nanos(static_cast<int64_t>(1e9 / s.workload.rate));
    for (;;) {
        env.sleep(env.rng().exponential(Duration::nanos(
                      static_cast<int64_t>(static_cast<double>(mean.ns()) / rate_factor_))) +
                  Duration::micros(1));
        if (cluster_.sim().now() >= stop_at()) return;
        const uint64_t pick = env.rng().below(100);
        const std::string op = me + "-" + std::to_string(++n);
        const int64_t amount = 1 + static_cast<int64_t>(env.rng().below(100));
        const Time started = cluster_.sim().now();
        using system::ledger::EventType;
        if (pick < 30) {
            const std::string a = account(env);
            ledger_.issued(op, a, EventType::deposited, amount);
            record(op_deposit, service_.deposit(env, conn, a, amount, op), op, started);
        } else if (pick < 55) {
            const std::string a = account(env);
            ledger_.issued(op, a, EventType::withdrawn, amount);
            record(op_withdraw, service_.withdraw(env, conn, a, amount, op), op, started);
        } else if (pick < 85) {
            const std::string from = account(env), to = account(env);
            ledger_.issued(system::ledger::debit_id("t-" + op), from, EventType::transfer_debited,
                           amount);
            record(op_transfer, service_.transfer(env, conn, from, to, amount, "t-" + op), op,
                   started);
        } else {
            query(env, conn, account(env));
        }
    }
}

void LedgerRun::open_accounts(sim::Env& env, system::store::StoreClient& conn,
                              const std::string& me, uint64_t& n) {
    for (int a = 0; a < cluster_.scenario().workload.accounts; ++a) {
        for (;;) {
            const std::string op = me + "-" + std::to_string(++n);
            const Time started = cluster_.sim().now();
            ledger_.issued(op, "a" + std::to_string(a), system::ledger::EventType::opened, 0);
            const LedgerResult r = service_.open(env, conn, "a" + std::to_string(a), op);
            record(op_open, r, op, started);
            if (r.status == LedgerStatus::ok || r.status == LedgerStatus::refused) break;
            env.sleep(Duration::millis(100));
        }
    }
}

void LedgerRun::record(Op op, const LedgerResult& r, const std::string& id, Time started) {
    ++ops_[op][static_cast<size_t>(r.status)];
    metrics_.histogram("ledger.latency_us").record((cluster_.sim().now() - started).ns() / 1000);
    const std::string event_id = op == op_transfer ? system::ledger::debit_id("t-" + id) : id;
    if (r.status == LedgerStatus::ok) acked_.push_back(event_id);
    // ok and unknown may have happened; refused, conflict and unavailable certainly did not.
    ledger_.answered(event_id, r.status == LedgerStatus::ok || r.status == LedgerStatus::unknown);
    if (r.credit_pending) ++credits_left_;
}

void LedgerRun::query(sim::Env& env, system::store::StoreClient& conn, const std::string& account) {
    const system::ledger::BalanceAnswer a = service_.balance(env, conn, account);
    ++ops_[op_balance][a.ok ? 0 : static_cast<size_t>(LedgerStatus::unavailable)];
    if (a.degraded && a.ok) ++degraded_reads_;
    if (a.degraded && a.ok) max_stated_lag_ = std::max(max_stated_lag_, a.staleness.lag);
}

void LedgerRun::feed(sim::Env& env, NodeId self) {
    system::store::StoreClient conn(env, cluster_.network(), self, store_.client_options());
    for (;;) {
        env.sleep(Duration::millis(50));
        while (poison_wanted_ > 0) {
            system::store::AppendCommand cmd;
            cmd.stream = "inbox-" + std::to_string(poison_sent_ % 3);
            cmd.events.push_back(
                system::store::EventData{"poison-" + std::to_string(poison_sent_),
                                         system::ledger::poison_payload(poison_sent_)});
            if (conn.append(cmd).outcome != system::store::Outcome::ok) break;
            ++poison_sent_;
            --poison_wanted_;
        }
    }
}

}  // namespace stormlog::workloads::ledger

namespace stormlog::workloads {

const Workload& ledger_workload() {
    static const Workload w = [] {
        Workload d{
            .name = "ledger",
            .summary = "the ledger service, its projections and breakers on the event store",
            .properties = {},
            .application_faults = {},
            .records_history = false,
            .has_leader = true,
            .run = [](const Scenario& s, const RunOptions& options) { return run_ledger(s, options); },
        };
        using namespace properties::property;
        for (const std::string& p : properties::raft::RaftSafety::property_names()) d.properties.push_back(catalogued(p));
        for (const std::string& p : properties::store::StoreChecker::property_names()) d.properties.push_back(catalogued(p));
        d.properties.push_back(liveness_leader.name);
        for (const std::string& p : properties::ledger::LedgerChecker::property_names()) d.properties.push_back(catalogued(p));
        for (const std::string& p : properties::projections::ProjectionChecker::property_names())
            d.properties.push_back(catalogued(p));
        d.properties.insert(d.properties.end(), {breaker_semantics.name, liveness_projections.name});
        // It owns every part an application fault acts on (ledger::LedgerRun::application_fault).
        for (const faults::FaultKindInfo& k : faults::catalogue()) {
            if (k.category == faults::Category::application) d.application_faults.push_back(k.name);
        }
        return d;
    }();
    return w;
}

RunResult run_ledger(const Scenario& scenario, const RunOptions& options, const LedgerBugs& bugs) {
    return ledger::LedgerRun(scenario, options, bugs).run();
}

}  // namespace stormlog::workloads
