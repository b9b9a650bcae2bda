#include "system/ledger/ledger_service.hpp"

#include "sim/assert.hpp"
#include "sim/time.hpp"
#include "system/ledger/probes.hpp"

namespace stormlog::system::ledger {

using store::CallResult;
using store::ClientStatus;
using store::Outcome;

namespace {

bool is_debit(EventType t) {
    return t == EventType::withdrawn || t == EventType::transfer_debited;
}

// How a decided operation ends. `maybe_applied`: an attempt's append was left indeterminate.
LedgerResult settled(LedgerResult out, bool maybe_applied) {
    // Once an attempt may have committed, only ok or unknown is true to the caller: a refusal,
    // conflict or outage after it would report as not done what may be done.
    SL_ASSERT(!maybe_applied || out.status == LedgerStatus::ok ||
              out.status == LedgerStatus::unknown);
    SL_ASSERT(out.status != LedgerStatus::unknown || maybe_applied);
    return out;
}

// What every append a command handler decides must satisfy, `a` being the state it read.
void check_decision(const Account& a, const LedgerEvent& event, bool exact, bool any_version_bug) {
    SL_ASSERT(a.error.empty());  // nothing is decided on a stream the fold could not read
    SL_ASSERT(event.type != EventType::opened || a.version == -1);
    SL_ASSERT(event.type == EventType::opened || a.opened);
    // A debit is appended only when the balance it read covers it: twin of ledger.no_overdraft.
    SL_ASSERT(!is_debit(event.type) || a.balance >= event.amount);
    // ... and only on that balance, by the exact version read; the bug that demonstrates
    // ledger.no_overdraft appends with `any`, and passes.
    SL_ASSERT(exact || any_version_bug);
}

}  // namespace

const char* to_string(LedgerStatus s) {
    switch (s) {
        case LedgerStatus::ok:
            return "ok";
        case LedgerStatus::refused:
            return "refused";
        case LedgerStatus::conflict:
            return "conflict";
        case LedgerStatus::unavailable:
            return "unavailable";
        case LedgerStatus::unknown:
            return "unknown";
    }
    return "?";
}

LedgerService::LedgerService(resilience::CircuitBreaker& breaker, LedgerServiceOptions options,
                             resilience::PermitTap* tap, const BalanceSource* projection,
                             resilience::Bulkhead* bulkhead)
    : breaker_(&breaker),
      options_(options),
      tap_(tap),
      projection_(projection),
      bulkhead_(bulkhead) {}

std::string LedgerService::breaker_open() const {
    std::string why = "the store's circuit breaker is " +
                      std::string(to_string(breaker_->state())) + ": failing fast";
    if (breaker_->state() == resilience::BreakerState::open) {
        why += " (a trial call is allowed at " +
               sim::format_duration(breaker_->open_until() - sim::Time::zero()) + ")";
    }
    return why;
}

template <class Call>
std::optional<CallResult> LedgerService::call_store(sim::Env& env, Call call,
                                                    std::string& refused) {
    // The bulkhead first: time spent waiting for a slot is not the store's, and must neither
    // count as a slow call nor hold a half-open trial permit.
    resilience::Bulkhead::Slot slot;
    if (bulkhead_) {
        slot = bulkhead_->enter();
        if (!slot.held()) {
            refused = "the service's bulkhead is full (" + std::to_string(bulkhead_->in_use()) +
                      " store calls in flight): failing fast";
            return std::nullopt;
        }
    }
    resilience::GuardedCall guard(*breaker_, env.now(), tap_);
    if (!guard.permitted()) {
        SL_PROBE(probes::breaker_fail_fast);
        refused = breaker_open();
        return std::nullopt;
    }
    CallResult r = call();
    // The store answered (a result, or a refusal by its state machine): healthy. No verdict in
    // time (an append left indeterminate, a read not served): a failure.
    const bool answered =
        r.outcome == Outcome::ok ||
        (r.outcome == Outcome::fail && (r.response.status == ClientStatus::wrong_expected_version ||
                                        r.response.status == ClientStatus::idempotency_conflict));
    answered ? guard.succeeded(env.now()) : guard.failed(env.now());
    return r;
}

LedgerService::Load LedgerService::load(sim::Env& env, store::StoreClient& conn,
                                        const std::string& account) {
    // The cached account is a prefix of its stream, and streams only grow: reading from its
    // version on brings it up to date (an aggregate snapshot that can never be stale, only short).
    Account& cached = cache_[account];
    Load out;
    out.account = &cached;
    const std::string stream = account_stream(account);
    for (;;) {
        const int64_t from = cached.version + 1;
        const std::optional<CallResult> r = call_store(
            env, [&] { return conn.read(stream, from, options_.page); }, out.error);
        if (!r || r->outcome != Outcome::ok) {
            out.status = LedgerStatus::unavailable;
            if (r) out.error = "reading " + stream + ": " + r->error;
            return out;
        }
        // Another worker may have brought the cache further meanwhile: apply only what is new.
        for (const store::RecordedEvent& e : r->response.events) {
            // A read returns the stream from `from` on without a gap, and the cache is at least
            // at from - 1: a gap here would leave the cache short for good.
            SL_ASSERT(e.stream_position <= cached.version + 1);
            if (e.stream_position == cached.version + 1) cached.apply(e);
        }
        if (r->response.events.size() < options_.page) return out;
    }
}

template <class Refuse>
LedgerResult LedgerService::decided(sim::Env& env, store::StoreClient& conn,
                                    const std::string& account, const std::string& id,
                                    const LedgerEvent& event, Refuse refuse, bool exact) {
    if (!valid_name(account) || !valid_name(id)) {
        return LedgerResult{LedgerStatus::refused,
                            "an account name or operation id must be 1 to 64 of [A-Za-z0-9._-]", 0,
                            false};
    }
    if (fenced_.count(account)) {
        return LedgerResult{LedgerStatus::unavailable,
                            "account " + account + " awaits reconciliation", 0, false};
    }
    LedgerResult out = decide(env, conn, account, id, event, refuse, exact);
    if (options_.bug_fence_after_unknown && out.status == LedgerStatus::unknown)
        fenced_.insert(account);
    return out;
}

template <class Refuse>
LedgerResult LedgerService::decide(sim::Env& env, store::StoreClient& conn,
                                   const std::string& account, const std::string& id,
                                   const LedgerEvent& event, Refuse refuse, bool exact) {
    resilience::RetryState retry(options_.conflicts, env.now(), options_.retry_observer);
    LedgerResult out;
    bool maybe_applied = false;  // an attempt ended indeterminate: it may commit yet
    bool conflicted = false;     // an attempt was refused with WrongExpectedVersion
    for (;;) {
        retry.attempt(env.now());
        ++out.attempts;
        // Every attempt is one the conflict policy allowed (attempts_max bounds them).
        SL_ASSERT(static_cast<uint32_t>(out.attempts) == retry.attempts());
        const Load l = load(env, conn, account);
        if (l.status != LedgerStatus::ok) {
            SL_ASSERT(l.status == LedgerStatus::unavailable);
            out.status = maybe_applied ? LedgerStatus::unknown : LedgerStatus::unavailable;
            out.error = l.error;
            if (breaker_->state() != resilience::BreakerState::closed)
                return settled(out, maybe_applied);  // fail fast
        } else if (l.account->has(id)) {
            if (maybe_applied) SL_PROBE(probes::indeterminate_found_committed);
            out.status = LedgerStatus::ok;  // an earlier attempt took effect
            return settled(out, maybe_applied);
        } else if (std::optional<std::string> why = refuse(*l.account)) {
            const Account& a = *l.account;
            if (is_debit(event.type) && a.error.empty() && a.opened && event.amount > 0 &&
                a.balance < event.amount)
                SL_PROBE(probes::overdraft_refused);
            // A refusal after an unknown attempt is not final: that attempt may still commit.
            out.status = maybe_applied ? LedgerStatus::unknown : LedgerStatus::refused;
            out.error = *why;
            return settled(out, maybe_applied);
        } else {
            check_decision(*l.account, event, exact, options_.bug_debit_any_version);
            const int64_t read_version = l.account->version;  // the cache may move on meanwhile
            store::AppendCommand cmd;
            cmd.stream = account_stream(account);
            cmd.expected = exact ? store::Expected::exact(read_version) : store::Expected::any();
            std::string attempt_id = id;
            if (options_.bug_retry_fresh_id && maybe_applied) {
                attempt_id += "-retry" + std::to_string(out.attempts);  // a new "uuid" per retry
            }
            cmd.events.push_back(store::EventData{attempt_id, encode(event)});
            std::string refused;
            const std::optional<CallResult> answer = call_store(
                env, [&] { return conn.append(cmd); }, refused);
            if (!answer) {
                out.status = maybe_applied ? LedgerStatus::unknown : LedgerStatus::unavailable;
                out.error = refused;
                return settled(out, maybe_applied);
            }
            const CallResult& r = *answer;
            if (r.outcome == Outcome::ok) {
                // Appended right after the version it was decided on (or found there, from an
                // earlier attempt): the decision saw the state it changed.
                SL_ASSERT(!exact || r.response.result.replay ||
                          r.response.result.first == read_version + 1);
                if (maybe_applied && r.response.result.replay)
                    SL_PROBE(probes::indeterminate_replayed);
                if (conflicted) SL_PROBE(probes::conflict_retry_succeeded);
                out.status = LedgerStatus::ok;
                out.error.clear();
                return settled(out, maybe_applied);
            }
            if (r.outcome == Outcome::indeterminate) {
                maybe_applied = true;
                out.status = LedgerStatus::unknown;
                out.error = r.error;
            } else {
                if (r.response.status != ClientStatus::wrong_expected_version) {
                    out.status = maybe_applied ? LedgerStatus::unknown : LedgerStatus::refused;
                    out.error = r.error;
                    return settled(out, maybe_applied);
                }
                conflicted = true;
                if (!maybe_applied) out.status = LedgerStatus::conflict;
                out.error = "wrong expected version " + std::to_string(read_version) +
                            " (the stream is at " +
                            std::to_string(r.response.result.actual_version) + ")";
            }
        }
        const std::optional<sim::Duration> delay = retry.next(env.now(), env.rng());
        if (!delay) {
            if (out.status == LedgerStatus::conflict) SL_PROBE(probes::conflicts_exhausted);
            return settled(out, maybe_applied);
        }
        if (!options_.bug_retry_without_backoff) env.sleep(*delay);
    }
}

LedgerResult LedgerService::open(sim::Env& env, store::StoreClient& conn,
                                 const std::string& account, const std::string& op) {
    return decided(env, conn, account, op, LedgerEvent{EventType::opened, 0, {}, {}}, refuse_open,
                   true);
}

LedgerResult LedgerService::deposit(sim::Env& env, store::StoreClient& conn,
                                    const std::string& account, int64_t amount,
                                    const std::string& op) {
    return decided(
        env, conn, account, op, LedgerEvent{EventType::deposited, amount, {}, {}},
        [amount](const Account& a) { return refuse_deposit(a, amount); }, true);
}

LedgerResult LedgerService::withdraw(sim::Env& env, store::StoreClient& conn,
                                     const std::string& account, int64_t amount,
                                     const std::string& op) {
    return decided(
        env, conn, account, op, LedgerEvent{EventType::withdrawn, amount, {}, {}},
        [amount](const Account& a) { return refuse_debit(a, amount); },
        !options_.bug_debit_any_version);
}

LedgerResult LedgerService::transfer(sim::Env& env, store::StoreClient& conn,
                                     const std::string& from, const std::string& to, int64_t amount,
                                     const std::string& transfer) {
    if (from == to)
        return LedgerResult{LedgerStatus::refused, "a transfer needs two accounts", 0, false};
    // Up front, not only by the debit's decision: a retried transfer id finds its debit in the
    // stream and goes straight on to the credit, which must never carry a non-positive amount.
    if (amount <= 0)
        return LedgerResult{LedgerStatus::refused, "the amount must be positive", 0, false};
    if (!valid_name(from) || !valid_name(to) || !valid_name(transfer)) {
        return LedgerResult{LedgerStatus::refused,
                            "account names and the transfer id must be 1 to 64 of [A-Za-z0-9._-]",
                            0, false};
    }
    const Load target = load(env, conn, to);
    if (target.status != LedgerStatus::ok)
        return LedgerResult{target.status, target.error, 1, false};
    if (!target.account->opened)
        return LedgerResult{LedgerStatus::refused, "no such account: " + to, 1, false};
    const LedgerEvent debit{EventType::transfer_debited, amount, transfer, to};
    LedgerResult out = decided(
        env, conn, from, debit_id(transfer), debit,
        [amount](const Account& a) { return refuse_debit(a, amount); },
        !options_.bug_debit_any_version);
    if (out.status != LedgerStatus::ok) return out;
    const LedgerResult credited = append_credit(env, conn, debit, from, false);
    out.credit_pending = credited.status != LedgerStatus::ok;
    if (out.credit_pending) SL_PROBE(probes::credit_left_to_completer);
    return out;
}

LedgerResult LedgerService::credit(sim::Env& env, store::StoreClient& conn,
                                   const LedgerEvent& debit, const std::string& from) {
    return append_credit(env, conn, debit, from, true);
}

LedgerResult LedgerService::append_credit(sim::Env& env, store::StoreClient& conn,
                                          const LedgerEvent& debit, const std::string& from,
                                          bool by_completer) {
    // The debit the service appended (transfer) or the completer read back from the log: both
    // were decided by transfer(), so they name a valid other account and a valid transfer id.
    SL_ASSERT(debit.type == EventType::transfer_debited);
    SL_ASSERT(valid_name(debit.counterparty));
    SL_ASSERT(valid_name(debit.transfer));
    SL_ASSERT(debit.counterparty != from);
    const LedgerEvent credit{EventType::transfer_credited, debit.amount, debit.transfer, from};
    // Both legs move the same amount, so in_flight returns to 0: twin of ledger.conservation.
    SL_ASSERT(credit.amount == debit.amount);
    store::AppendCommand cmd;
    cmd.stream = account_stream(debit.counterparty);
    std::string id = credit_id(debit.transfer);
    if (options_.bug_credit_fresh_id)
        id += "-" + std::to_string(env.rng().next_u64());  // a new "uuid" per try
    cmd.events.push_back(store::EventData{id, encode(credit)});
    std::string refused;
    const std::optional<CallResult> r = call_store(
        env, [&] { return conn.append(cmd); }, refused);
    if (!r) return LedgerResult{LedgerStatus::unavailable, refused, 0, false};
    if (r->outcome == Outcome::indeterminate)
        return LedgerResult{LedgerStatus::unknown, r->error, 1, false};
    if (r->outcome != Outcome::ok) return LedgerResult{LedgerStatus::refused, r->error, 1, false};
    // Not a replay: this append wrote the credit (the service's own had not landed).
    if (by_completer && !r->response.result.replay)
        SL_PROBE(probes::transfer_completed_by_completer);
    return LedgerResult{LedgerStatus::ok, {}, 1, false};
}

BalanceAnswer LedgerService::balance(sim::Env& env, store::StoreClient& conn,
                                     const std::string& account) {
    BalanceAnswer out;
    const Load l = load(env, conn, account);
    if (l.status == LedgerStatus::ok) {
        out.ok = l.account->opened;
        out.balance = l.account->balance;
        if (!out.ok) out.error = "no such account";
        return out;
    }
    // Degraded: the store is out of reach; answer from the read model, saying how stale it is.
    out.error = l.error;
    if (!projection_) return out;
    out.staleness = projection_->balance(account);
    out.degraded = true;
    out.ok = out.staleness.available;
    out.balance = out.staleness.balance;
    if (out.ok) SL_PROBE(probes::degraded_balance_served);
    if (!out.ok) out.error += "; the balances projection cannot answer: " + out.staleness.error;
    return out;
}

}  // namespace stormlog::system::ledger
