#pragma once
// The ledger service: command handlers over the event store, and balance queries.
//
// A command handler rebuilds the account from its stream, decides, and appends with the exact
// expected version it read; on WrongExpectedVersion it reads again and decides again, a bounded
// number of times (with jittered backoff). Each operation carries one event id across all its
// attempts, so an attempt whose outcome was lost (indeterminate) and did take effect is found in
// the stream on the next read - or replayed by the store's idempotency - never applied twice.
//
// Every store call goes through the service's bulkhead, then its circuit breaker. While the
// breaker is open, commands fail fast (status unavailable, with the breaker's state and when it
// will try again), and balance queries are answered from the `balances` projection with their
// staleness stated.
//
// One service is shared by several workers; each worker passes its own store connection (a
// StoreClient on its own node), so the breaker sees the service's concurrent calls.

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "sim/env.hpp"
#include "system/ledger/account.hpp"
#include "system/resilience/bulkhead.hpp"
#include "system/resilience/circuit_breaker.hpp"
#include "system/resilience/guarded_call.hpp"
#include "system/resilience/retry.hpp"
#include "system/store/client.hpp"

namespace stormlog::system::ledger {

enum class LedgerStatus : uint8_t {
    ok,
    refused,      // the domain said no (insufficient funds, no such account, already open)
    conflict,     // WrongExpectedVersion on every attempt
    unavailable,  // the store could not be reached, or the breaker is open (fail fast)
    unknown,      // an append's outcome stayed unknown: it may have taken effect
};
const char* to_string(LedgerStatus s);

struct LedgerResult {
    LedgerStatus status = LedgerStatus::unavailable;
    std::string error;
    int attempts = 0;
    bool credit_pending = false;  // transfer: debited, the credit left to the transfer completer
};

// A balance as the `balances` read model has it, with how stale it may be.
struct StaleBalance {
    bool available = false;  // false: the projection is down or does not know the account
    int64_t balance = 0;
    uint64_t checkpoint = 0;  // the global position the model has folded up to (exclusive; in
                              // memory - the durable checkpoint may be a little behind)
    uint64_t lag = 0;         // events the projection has read but not folded yet: a lower
                              // bound, since it cannot see what committed while it is cut off
    sim::Duration age;        // since the model was last caught up
    std::string error;
};

class BalanceSource {
  public:
    virtual ~BalanceSource() = default;
    virtual StaleBalance balance(const std::string& account) const = 0;
};

struct BalanceAnswer {
    bool ok = false;
    bool degraded = false;  // answered from the projection, not the store
    int64_t balance = 0;
    StaleBalance staleness;  // when degraded
    std::string error;
};

struct LedgerServiceOptions {
    resilience::RetryPolicy conflicts{5, sim::Duration::millis(5), 2.0, sim::Duration::millis(100),
                                      sim::Duration::seconds(3)};
    uint32_t page = 256;  // events per stream read
    // Deliberate bug for tests: append debits with `any` instead of the version read (a lost
    // update lets two withdrawals spend the same money).
    bool bug_debit_any_version = false;
    // Deliberate bug for tests: each credit attempt gets a fresh event id, so the service's credit
    // and the completer's (or a retry after a timeout) both land - money created.
    bool bug_credit_fresh_id = false;
    // Deliberate bug for tests: an attempt after one whose outcome was lost gets a fresh event id,
    // so if the lost one committed, the operation commits twice.
    bool bug_retry_fresh_id = false;
    // Deliberate bug for tests: an account whose command ended unknown is fenced "until it is
    // reconciled" - and nothing ever reconciles it: every later command on it is unavailable.
    bool bug_fence_after_unknown = false;
    // Deliberate bug for tests: a command's retries go at once, without the conflict policy's
    // backoff (a retry storm on a contended or recovering store).
    bool bug_retry_without_backoff = false;
    // Watches the command retry loops (retry.backoff); null: nobody does.
    resilience::RetryObserver* retry_observer = nullptr;
};

class LedgerService {
  public:
    // `bulkhead` (optional) bounds the service's concurrent store calls.
    LedgerService(resilience::CircuitBreaker& breaker, LedgerServiceOptions options,
                  resilience::PermitTap* tap = nullptr, const BalanceSource* projection = nullptr,
                  resilience::Bulkhead* bulkhead = nullptr);

    // `op` is the operation's event id (unique per operation, kept across retries).
    LedgerResult open(sim::Env& env, store::StoreClient& conn, const std::string& account,
                      const std::string& op);
    LedgerResult deposit(sim::Env& env, store::StoreClient& conn, const std::string& account,
                         int64_t amount, const std::string& op);
    LedgerResult withdraw(sim::Env& env, store::StoreClient& conn, const std::string& account,
                          int64_t amount, const std::string& op);
    // Debits `from` (decided), then credits `to`; `transfer` names the transfer (its events' ids).
    LedgerResult transfer(sim::Env& env, store::StoreClient& conn, const std::string& from,
                          const std::string& to, int64_t amount, const std::string& transfer);
    // Appends the credit of a debited transfer (idempotent: the transfer completer calls it too).
    LedgerResult credit(sim::Env& env, store::StoreClient& conn, const LedgerEvent& debit,
                        const std::string& from);

    BalanceAnswer balance(sim::Env& env, store::StoreClient& conn, const std::string& account);

  private:
    struct Load {
        LedgerStatus status = LedgerStatus::ok;  // ok, or unavailable
        // The cached account, brought up to date by this load. Valid until the caller next
        // blocks: another worker may move it on then.
        const Account* account = nullptr;
        std::string error;
    };
    Load load(sim::Env& env, store::StoreClient& conn, const std::string& account);
    // One store call through the bulkhead and the breaker; nullopt (with why) if either refused.
    template <class Call>
    std::optional<store::CallResult> call_store(sim::Env& env, Call call, std::string& refused);
    // One decided append: read, decide with `refuse`, append `event` with the version read.
    template <class Refuse>
    LedgerResult decided(sim::Env& env, store::StoreClient& conn, const std::string& account,
                         const std::string& id, const LedgerEvent& event, Refuse refuse,
                         bool exact);
    // decided()'s attempts, once the command's names are valid.
    template <class Refuse>
    LedgerResult decide(sim::Env& env, store::StoreClient& conn, const std::string& account,
                        const std::string& id, const LedgerEvent& event, Refuse refuse, bool exact);
    std::string breaker_open() const;
    // credit(), with who calls it: transfer() itself, or the transfer completer (via credit()).
    LedgerResult append_credit(sim::Env& env, store::StoreClient& conn, const LedgerEvent& debit,
                               const std::string& from, bool by_completer);

    resilience::CircuitBreaker* breaker_;
    LedgerServiceOptions options_;
    resilience::PermitTap* tap_;
    const BalanceSource* projection_;
    resilience::Bulkhead* bulkhead_;
    std::map<std::string, Account> cache_;  // by account: each a prefix of its stream
    std::set<std::string> fenced_;          // bug_fence_after_unknown's accounts
};

}  // namespace stormlog::system::ledger
