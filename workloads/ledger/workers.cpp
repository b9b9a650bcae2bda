#include "workloads/ledger/workers.hpp"

#include <algorithm>

#include "sim/assert.hpp"

namespace stormlog::workloads::ledger {

using system::ledger::EventType;
using system::ledger::LedgerResult;
using system::ledger::LedgerStatus;

namespace {

system::ledger::LedgerServiceOptions with_retry_observer(system::ledger::LedgerServiceOptions o,
                                                         system::resilience::RetryObserver* r) {
    o.retry_observer = r;
    return o;
}

}  // namespace

Workers::Workers(Cluster& cluster, StoreDeployment& store, Checks& checks,
                 system::monitoring::Metrics& metrics, const LedgerBugs& bugs,
                 const system::ledger::BalanceSource& balances)
    : cluster_(&cluster),
      store_(&store),
      checks_(&checks),
      metrics_(&metrics),
      breaker_("ledger-store", store_breaker_config(bugs),
               [this](const system::resilience::BreakerTransition& t) {
                   checks_->breakers.on_transition(breaker_, t);
               }),
      bulkhead_(cluster.sim(), system::resilience::BulkheadConfig{3, Duration::millis(100)}),
      service_(breaker_, with_retry_observer(bugs.service, &checks.retries), &checks.breakers,
               &balances, &bulkhead_) {}

void Workers::start() {
    SL_ASSERT(workers_.empty());
    sim::Simulation& sim = cluster_->sim();
    const Scenario& s = cluster_->scenario();
    const NodeId first = static_cast<NodeId>(cluster_->size());
    last_.resize(static_cast<size_t>(s.workload.clients));
    for (int c = 0; c < s.workload.clients; ++c) {
        const NodeId n = first + static_cast<NodeId>(c);
        workers_.push_back(&sim.add_process(sim.node(n), "worker",
                                            [this, c, n](sim::Env& env) { work(env, c, n); }));
        sim.start(*workers_.back());
    }
    crashes_.assign(workers_.size(), 0);
    const NodeId feeder = first + static_cast<NodeId>(s.workload.clients);
    sim.start(sim.add_process(sim.node(feeder), "feeder",
                              [this, feeder](sim::Env& env) { feed(env, feeder); }));
}

void Workers::crash(size_t worker, bool heal) {
    SL_ASSERT(worker < workers_.size());
    crash_counted(cluster_->sim(), *workers_[worker], crashes_[worker], heal);
}

std::string Workers::account(sim::Env& env) const {
    return "a" + std::to_string(env.rng().below(
                     static_cast<uint64_t>(cluster_->scenario().workload.accounts)));
}

void Workers::work(sim::Env& env, int c, NodeId self) {
    system::store::StoreClient conn(env, cluster_->network(), self, store_->client_options());
    const std::string me = "w" + std::to_string(c + 1) + "." + std::to_string(env.incarnation());
    uint64_t n = 0;
    if (c == 0) open_accounts(env, conn, me, n);
    const Scenario& s = cluster_->scenario();
    const Duration mean = Duration::nanos(static_cast<int64_t>(1e9 / s.workload.rate));
    for (;;) {
        env.sleep(env.rng().exponential(Duration::nanos(
                      static_cast<int64_t>(static_cast<double>(mean.ns()) / rate_factor_))) +
                  Duration::micros(1));
        if (cluster_->sim().now() >= stop_at()) return;
        const uint64_t pick = env.rng().below(100);
        const std::string op = me + "-" + std::to_string(++n);
        const int64_t amount = 1 + static_cast<int64_t>(env.rng().below(100));
        const Time started = cluster_->sim().now();
        if (pick < 30) {
            const std::string a = account(env);
            checks_->ledger.issued(op, a, EventType::deposited, amount);
            record(c, op_deposit, service_.deposit(env, conn, a, amount, op), op, started);
        } else if (pick < 55) {
            const std::string a = account(env);
            checks_->ledger.issued(op, a, EventType::withdrawn, amount);
            record(c, op_withdraw, service_.withdraw(env, conn, a, amount, op), op, started);
        } else if (pick < 85) {
            const std::string from = account(env), to = account(env);
            checks_->ledger.issued(system::ledger::debit_id("t-" + op), from,
                                   EventType::transfer_debited, amount);
            record(c, op_transfer, service_.transfer(env, conn, from, to, amount, "t-" + op), op,
                   started);
        } else {
            query(env, conn, account(env));
        }
    }
}

void Workers::open_accounts(sim::Env& env, system::store::StoreClient& conn, const std::string& me,
                            uint64_t& n) {
    for (int a = 0; a < cluster_->scenario().workload.accounts; ++a) {
        for (;;) {
            const std::string op = me + "-" + std::to_string(++n);
            const Time started = cluster_->sim().now();
            checks_->ledger.issued(op, "a" + std::to_string(a), EventType::opened, 0);
            const LedgerResult r = service_.open(env, conn, "a" + std::to_string(a), op);
            record(0, op_open, r, op, started);
            if (r.status == LedgerStatus::ok || r.status == LedgerStatus::refused) break;
            env.sleep(Duration::millis(100));
        }
    }
}

void Workers::record(int c, Op op, const LedgerResult& r, const std::string& id, Time started) {
    SL_ASSERT(static_cast<size_t>(r.status) < k_status_count);
    SL_ASSERT(c >= 0 && static_cast<size_t>(c) < last_.size());
    last_[static_cast<size_t>(c)] = LastCommand{id, started, r.status, r.error};
    ++ops_[op][static_cast<size_t>(r.status)];
    metrics_->histogram(k_latency_metric).record((cluster_->sim().now() - started).ns() / 1000);
    if (system::monitoring::Recording* rec = cluster_->recording()) {
        // Served: a definite answer, the domain's "no" included.
        using system::monitoring::OpOutcome;
        const bool served = r.status == LedgerStatus::ok || r.status == LedgerStatus::refused;
        rec->op(started, cluster_->sim().now(),
                served                              ? OpOutcome::ok
                : r.status == LedgerStatus::unknown ? OpOutcome::unknown
                                                    : OpOutcome::fail);
    }
    const std::string event_id = op == op_transfer ? system::ledger::debit_id("t-" + id) : id;
    if (r.status == LedgerStatus::ok) acked_.push_back(event_id);
    // ok and unknown may have happened; refused, conflict and unavailable certainly did not.
    checks_->ledger.answered(event_id,
                             r.status == LedgerStatus::ok || r.status == LedgerStatus::unknown);
    if (r.credit_pending) ++credits_left_;
}

// Served: the service decided the command (ok, or refused on its merits, or lost every
// optimistic-concurrency race); not served: it could not reach a verdict (unavailable, unknown).
std::string Workers::not_serving(Time since) const {
    for (size_t c = 0; c < last_.size(); ++c) {
        const LastCommand& l = last_[c];
        if (!l.started || *l.started < since) continue;
        if (l.status != LedgerStatus::unavailable && l.status != LedgerStatus::unknown) continue;
        return "worker w" + std::to_string(c + 1) + "'s last command " + l.id + ", sent at " +
               sim::format_duration(*l.started - Time::zero()) + ", ended " + to_string(l.status) +
               " (" + l.error + ")";
    }
    return "";
}

void Workers::query(sim::Env& env, system::store::StoreClient& conn, const std::string& account) {
    const system::ledger::BalanceAnswer a = service_.balance(env, conn, account);
    ++ops_[op_balance][a.ok ? 0 : static_cast<size_t>(LedgerStatus::unavailable)];
    if (a.degraded && a.ok) ++degraded_reads_;
    if (a.degraded && a.ok) stated_lag_max_ = std::max(stated_lag_max_, a.staleness.lag);
}

void Workers::feed(sim::Env& env, NodeId self) {
    system::store::StoreClient conn(env, cluster_->network(), self, store_->client_options());
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

std::string Workers::summary_line() const {
    std::string ops;
    for (size_t o = 0; o < op_count; ++o) {
        ops += std::string(" ") + k_op_names[o] + "=" + std::to_string(ops_[o][0]) + "/";
        uint64_t total = 0;
        for (uint64_t x : ops_[o]) total += x;
        ops += std::to_string(total);
    }
    const properties::ledger::LedgerChecker& l = checks_->ledger;
    return "ledger: ops ok/all" + ops + " degraded_reads=" + std::to_string(degraded_reads_) +
           " max_stated_lag=" + std::to_string(stated_lag_max_) +
           " credits_left_to_completer=" + std::to_string(credits_left_) +
           " poison_events=" + std::to_string(poison_sent_) +
           " balance_sum=" + std::to_string(l.deposits() - l.withdrawals() - l.in_flight());
}

}  // namespace stormlog::workloads::ledger
